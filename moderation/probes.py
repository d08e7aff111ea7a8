"""Evaluation-only sentences written for Parley: insults and a multilingual set.

Nothing here is used in training (data.eval_texts keeps them out). The
insults are the "plain form" for the spelling and position tests; the
multilingual sentences test the language gate.
"""

# Insults aimed at a person, in frames the augmentation does not use.
INSULTS = [
    "You are a complete idiot and everyone here knows it.",
    "Only a brainless moron could write something this stupid.",
    "Shut your mouth, you pathetic loser.",
    "What an ignorant fool you are.",
    "This author is a lying piece of shit.",
    "Go away, you disgusting pig.",
    "You're a worthless clown and a coward.",
    "The editor is a total imbecile.",
    "Nobody cares about your opinion, you stupid bitch.",
    "What a fucking idiot.",
    "You dumb ass, read the article before commenting.",
    "Get lost, you filthy rat.",
    "Every word you write is garbage, moron.",
    "The mayor is a corrupt, lying scumbag.",
    "You are a sad, stupid little man.",
    "Typical idiot comment from a typical idiot.",
    "Are you really this dumb or just pretending?",
    "Shut up, clown.",
    "You absolute moron, that is not what the law says.",
    "This reporter is an idiot who can't count.",
]

# The abusive words in INSULTS: the words the spelling test disguises.
INSULT_WORDS = ["idiot", "moron", "brainless", "stupid", "pathetic", "loser", "ignorant", "fool",
                "shit", "disgusting", "pig", "worthless", "clown", "coward", "imbecile", "bitch",
                "fucking", "dumb", "ass", "filthy", "rat", "garbage", "scumbag", "lying", "corrupt"]

# Sentences in other languages (and English ones) for the language gate:
# (language code, text). Long enough that detection is meant to be sure.
MULTILINGUAL = [
    ("de", "Ich habe den Artikel gestern gelesen und fand ihn sehr gut geschrieben."),
    ("de", "Die Stadt sollte mehr Geld für Radwege und öffentliche Verkehrsmittel ausgeben."),
    ("de", "Du bist ein kompletter Idiot und solltest endlich deinen Mund halten."),
    ("de", "Vielen Dank für die ausführliche Berichterstattung über die Wahl."),
    ("de", "Meiner Meinung nach hat der Bürgermeister in dieser Frage völlig recht."),
    ("de", "Wann findet die nächste Sitzung des Gemeinderats statt?"),
    ("de", "Was für ein dummer Kommentar, schäm dich."),
    ("de", "Das Wetter war am Wochenende wunderbar, wir waren am See."),
    ("de", "Die Schule in unserem Viertel braucht dringend neue Lehrer."),
    ("de", "Ich stimme dem Autor nicht zu, aber die Argumente sind interessant."),
    ("fr", "J'ai lu cet article avec beaucoup d'intérêt, merci pour votre travail."),
    ("fr", "La mairie devrait investir davantage dans les écoles du quartier."),
    ("fr", "Tu es vraiment un imbécile, personne ne veut lire tes bêtises."),
    ("fr", "Je ne suis pas d'accord avec l'auteur, mais le sujet est important."),
    ("fr", "Quand aura lieu la prochaine réunion du conseil municipal ?"),
    ("fr", "Les transports en commun sont toujours en retard le matin."),
    ("fr", "Quel commentaire stupide, tu devrais avoir honte."),
    ("fr", "Ma famille habite dans cette ville depuis trois générations."),
    ("fr", "Le journaliste a fait un excellent travail d'enquête."),
    ("fr", "Il faudrait plus de pistes cyclables dans le centre-ville."),
    ("es", "Leí el artículo ayer y me pareció muy bien escrito."),
    ("es", "El ayuntamiento debería invertir más en las escuelas públicas."),
    ("es", "Eres un idiota, nadie quiere leer tus comentarios."),
    ("es", "No estoy de acuerdo con el autor, pero el tema es importante."),
    ("es", "¿Cuándo es la próxima reunión del consejo municipal?"),
    ("es", "El transporte público siempre llega tarde por la mañana."),
    ("es", "Qué comentario tan estúpido, deberías darte vergüenza."),
    ("es", "Mi familia vive en esta ciudad desde hace tres generaciones."),
    ("es", "La periodista hizo un trabajo de investigación excelente."),
    ("es", "Necesitamos más carriles para bicicletas en el centro."),
    ("zh", "我昨天读了这篇文章，觉得写得非常好。"),
    ("zh", "市政府应该在公共交通上投入更多资金。"),
    ("zh", "你真是个白痴，没人想看你的评论。"),
    ("zh", "我不同意作者的观点，但这个话题很重要。"),
    ("zh", "下一次市议会会议什么时候举行？"),
    ("zh", "早上的公共汽车总是迟到，真让人头疼。"),
    ("zh", "多么愚蠢的评论，你应该感到羞耻。"),
    ("zh", "我的家人在这个城市已经住了三代了。"),
    ("zh", "这位记者做了非常出色的调查工作。"),
    ("zh", "市中心需要更多的自行车道。"),
    ("en", "I read the article yesterday and thought it was very well written."),
    ("en", "The city should spend more money on bike lanes and public transport."),
    ("en", "You are a complete idiot and should keep your mouth shut."),
    ("en", "Thanks for the detailed coverage of the election."),
    ("en", "In my opinion the mayor is completely right on this question."),
    ("en", "When is the next meeting of the city council?"),
    ("en", "The weather was wonderful at the weekend, we went to the lake."),
    ("en", "The school in our neighbourhood urgently needs new teachers."),
    ("en", "I disagree with the author, but the arguments are interesting."),
    ("en", "My family has lived in this town for three generations."),
]
