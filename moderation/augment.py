"""Templated sentences of our own that mention identities, benign and abusive.

Why: in the source data identity words (gay, Muslim, Black, ...) turn up mostly
in abuse, so a model learns the word itself as a toxicity cue and flags
"As a gay Muslim veteran, I enjoyed this article". Pairing every identity with
both friendly and abusive sentences makes the identity carry no signal; only
what is said about it does. All templates and word lists here are written for
Parley; none are taken from the evaluation files.
"""

IDENTITIES = [
    "gay",
    "lesbian",
    "bisexual",
    "transgender",
    "trans",
    "queer",
    "straight",
    "heterosexual",
    "homosexual",
    "nonbinary",
    "LGBT",
    "LGBTQ",
    "Muslim",
    "Jewish",
    "Christian",
    "Catholic",
    "Protestant",
    "Hindu",
    "Buddhist",
    "Sikh",
    "atheist",
    "Mormon",
    "evangelical",
    "Taoist",
    "Black",
    "white",
    "Asian",
    "Latino",
    "Latina",
    "Latinx",
    "Hispanic",
    "Mexican",
    "Chinese",
    "African",
    "African American",
    "Arab",
    "Indian",
    "Native American",
    "indigenous",
    "immigrant",
    "American",
    "European",
    "Canadian",
    "Irish",
    "Korean",
    "Japanese",
    "Palestinian",
    "Israeli",
    "Russian",
    "Nigerian",
    "deaf",
    "blind",
    "disabled",
    "autistic",
    "paralyzed",
    "old",
    "elderly",
    "young",
    "teenage",
    "middle-aged",
    "female",
    "male",
    "feminist",
    "Democrat",
    "Republican",
]

PEOPLE = [
    "man",
    "woman",
    "person",
    "neighbour",
    "teacher",
    "nurse",
    "veteran",
    "student",
    "father",
    "mother",
    "reader",
    "doctor",
    "pastor",
    "farmer",
    "engineer",
    "writer",
    "grandmother",
    "colleague",
    "friend",
    "voter",
]

KIND_WORDS = [
    "kind",
    "thoughtful",
    "generous",
    "brilliant",
    "honest",
    "talented",
    "brave",
    "hardworking",
    "friendly",
    "wise",
    "decent",
    "funny",
    "warm",
    "cheerful",
    "caring",
    "gentle",
    "respected",
    "lovely",
    "smart",
    "admirable",
    "patient",
    "fair-minded",
    "helpful",
    "wonderful",
    "great",
    "good",
    "nice",
    "sweet",
    "fantastic",
    "excellent",
    "remarkable",
]

CRUEL_WORDS = [
    "stupid",
    "worthless",
    "disgusting",
    "pathetic",
    "filthy",
    "vile",
    "moronic",
    "idiotic",
    "repulsive",
    "brainless",
    "useless",
    "dumb",
    "ugly",
    "nasty",
    "horrible",
    "loathsome",
    "revolting",
    "wretched",
    "evil",
    "rotten",
    "scummy",
    "lying",
    "ignorant",
    "terrible",
    "awful",
    "trashy",
    "despicable",
    "gross",
    "miserable",
    "sick",
]

INSULT_NOUNS = [
    "idiot",
    "moron",
    "loser",
    "fool",
    "parasite",
    "scumbag",
    "pig",
    "clown",
    "creep",
    "lowlife",
    "imbecile",
    "jerk",
]

NAMES = [
    "Maria",
    "Ahmed",
    "Jun",
    "Priya",
    "Tom",
    "Fatima",
    "Diego",
    "Hannah",
    "Kwame",
    "Olga",
    "Sam",
    "Ines",
    "Yusuf",
    "Grace",
    "Mateo",
    "Aiko",
    "Daniel",
    "Leila",
    "Ravi",
    "Beth",
]

TOPICS = [
    "the Beijing talks",
    "the city budget",
    "the school board vote",
    "the new bridge",
    "the housing plan",
    "the trade negotiations",
    "the wildfire season",
    "the election results",
    "the transit levy",
    "the hospital merger",
    "the farm bill",
    "the climate summit",
    "the library renovation",
    "the port expansion",
    "the tax reform",
]

BENIGN = [
    "As a {i} {p}, I found this article really thoughtful.",
    "As a {i} {p}, I appreciate how fair this discussion has been.",
    "I am {i} and I agree with most of what the author says about {t}.",
    "I'm a {i} {p} and I have lived in this town for twenty years.",
    "My {p} is {i} and works at the clinic downtown.",
    "{n} is a {k} {i} {p} who volunteers at the food bank.",
    "{n} is a {i} {p}.",
    "Being {i} is part of who I am, and I am proud of it.",
    "Being {i} is {k}.",
    "The {i} community here organised a fundraiser for {t}.",
    "My {i} neighbours brought soup when we were sick.",
    "{i} families have been part of this city for generations.",
    "Speaking as a {i} {p}: the reporting on {t} was balanced.",
    "We welcomed a {i} {p} to the council last week.",
    "I love my {i} friends.",
    "I respect {i} people and their traditions.",
    "You are a {k} {i} {p}.",
    "What a {k} {i} {p} she is.",
    "The {i} {p} in the story made a good point about {t}.",
    "Our {i} mayor gave a calm speech about {t}.",
    "I disagree with the {i} senator on {t}, but she argued it well.",
    "Thank you, {n}. As a {i} {p} I had not thought about it that way.",
    "{i} voters will decide this race, like everyone else.",
    "Support {i} {p}s in our schools.",
    "Welcome {i} visitors to the festival this weekend.",
]

NEWS = [
    "The coverage of the shooting near {t} was careful and respectful.",
    "My heart goes out to the families hurt in the fire.",
    "Police said the attack was not linked to {t}.",
    "The court sentenced the man who threatened the mayor; justice was served.",
    "A sad story. Nobody should be killed over a parking space.",
    "Thanks for the balanced article, I learned a lot about {t}.",
    "Good reporting on {t}. I hope you follow up next month.",
    "I think the article on {t} missed the cost to taxpayers.",
    "Interesting read about {t}, though I would like more numbers.",
    "Does anyone know when the hearing on {t} takes place?",
    "I have followed {t} closely and this is the clearest summary yet.",
    "Respectfully, I disagree. {t} will take years to pay off.",
    "The photos from {t} were great. Thanks to the whole team.",
]

# Threats aimed at a person, and dehumanising lines aimed at a group: the
# source data has few of either (about 1,300 threat marks in all).
HARMS = [
    "hurt you",
    "beat you senseless",
    "break your neck",
    "put you in the hospital",
    "shoot you",
    "stab you",
    "burn your house down",
    "make you disappear",
    "kill you",
    "smash your face in",
    "end you",
    "break every bone in your body",
]

VERMIN = ["vermin", "rats", "cockroaches", "animals", "parasites", "a disease", "subhuman", "savages"]

FATES = ["wiped out", "exterminated", "driven out", "gotten rid of", "put down", "purged"]

SWEARS = ["fucking", "goddamn", "shitty", "bloody", "fucked up", "crappy"]

THREATS = [
    "I will {h}, {n}.",
    "{n}, I will find you and {h}.",
    "Somebody needs to {h}, and I'm happy to do it.",
    "You won't be laughing when I {h}.",
    "Post that again and I'll come over and {h}.",
    "Next time I see you at {t} I will {h}.",
    "Mark my words, I'm going to {h}.",
    "I'll wait outside your office and {h}.",
    "I will {h}.",
    "Say that again and I'll {h}.",
    "I know where you live and I'm going to {h}.",
    "One more word from you and I will {h}.",
    "Watch your back, {n}. I'm going to {h}.",
    "Keep writing this garbage and someone will {h}.",
    "If I ever see you I swear I'll {h}.",
]

DEHUMANISING = [
    "{i} people are {v}, not human beings.",
    "{i} people are {v} and should be {f}.",
    "The {i}s in this country are {v} that need to be {f}.",
    "{i} {p}s are no better than {v}.",
]

OBSCENE = [
    "What a {s} load of shit this article is.",
    "This is {s} bullshit and you know it.",
    "Who gives a fuck about {t}, this is {s} nonsense.",
    "Screw this {s} paper and its {s} writers.",
    "Kiss my ass, {n}.",
]

# An identity word thrown at a person as a put-down ("lol, you're so gay"):
# common in comment sections, and the opposite case of the benign sentences
# above. The cues are the taunt's shape (aimed at "you" or a name, shouting,
# "so"/"such a", mockery), not the identity, which also appears in BENIGN.
TAUNTS = [
    "lol {n} is {i}",
    "{N} IS {I}!!!",
    "{n} is {i}, haha",
    "You're so {i}, lol.",
    "your {i}",
    "ur so {i}",
    "Stop being such a {i} crybaby, {n}.",
    "{I}! {I}! {I}!",
    "Everyone knows {n} is {i}. Pathetic.",
    "Haha, what a {i} thing to say, {n}.",
    "Are you {i} or just {c}?",
    "Go cry to your {i} friends, {n}.",
    "{n} deleted my edit because {n} is {i}.",
    "hey {n}, are you {i}? you sure act like it",
]

# Put-downs without a single swear word: talk pages and news comments are
# full of them, and the profanity-heavy sources teach them poorly.
PLAIN_INSULTS = [
    "You are the worst, {n}.",
    "Get a life, {n}, and stop bothering people.",
    "Keep your whining off this page.",
    "You obviously have serious mental problems.",
    "Nobody asked you. Shut up.",
    "You are one sad little {p}.",
    "Go away, {n}. Nobody wants you here.",
    "You clearly can't read. Use your head for once.",
    "What a joke you are, {n}.",
    "Leave me alone, you {c} {x}!",
    "You have no idea what you are talking about, as usual.",
    "Crawl back under your rock, {n}.",
    "Your opinion is worthless and so are you.",
    "People like you are the reason this site is dying.",
]

ABUSE = [  # (template, attributes it labels as present)
    ("{n} is a {c} {i} {p}.", ("insult", "identity_attack")),
    ("You are a {c} {i} {p}.", ("insult", "identity_attack")),
    ("Shut up, you {c} {i} {x}.", ("insult", "identity_attack")),
    ("All {i} people are {c} {x}s.", ("insult", "identity_attack")),
    ("{i} people are {c} and should get out of this country.", ("identity_attack",)),
    ("Being {i} is {c}.", ("identity_attack",)),
    ("I hate {i} people, every one of them is {c}.", ("identity_attack",)),
    ("No one wants {c} {i} {x}s around here.", ("insult", "identity_attack")),
    ("{i} {p}s like you are {c} {x}s.", ("insult", "identity_attack")),
    ("Typical {c} {i} {x}, go back where you came from.", ("insult", "identity_attack")),
    ("Someone should beat that {i} {x} until he stops talking.", ("threat", "identity_attack")),
    ("Every {i} {x} in this town deserves a bullet.", ("threat", "identity_attack")),
    ("Kill all the {i} {x}s.", ("threat", "identity_attack")),
    ("You {c} {x}, nobody cares what you think.", ("insult",)),
    ("What a {c} {x} {n} is.", ("insult",)),
]


def _fill(template, rng):
    # Drawn in a fixed order, so a seed gives the same sentences as before.
    h, v, f, s = rng.choice(HARMS), rng.choice(VERMIN), rng.choice(FATES), rng.choice(SWEARS)
    i, p, k = rng.choice(IDENTITIES), rng.choice(PEOPLE), rng.choice(KIND_WORDS)
    c, x, n, t = rng.choice(CRUEL_WORDS), rng.choice(INSULT_NOUNS), rng.choice(NAMES), rng.choice(TOPICS)
    return template.format(h=h, v=v, f=f, s=s, i=i, p=p, k=k, c=c, x=x, n=n, t=t, I=i.upper(), N=n.upper())


def _capitalise(text):
    return text[0].upper() + text[1:]


def identity_examples(rng, benign=5000, news=1500, abusive=2000, other_abuse=1200, taunts=0):
    """Seeded, de-duplicated augmentation examples (see module docstring)."""
    from .data import _example, all_clear

    out, seen = [], set()

    def add(text, labels):
        text = _capitalise(text)
        if text not in seen:
            seen.add(text)
            out.append(_example(text, "augment", labels))

    for _ in range(benign):
        add(_fill(rng.choice(BENIGN), rng), all_clear())
    for _ in range(news):
        add(_fill(rng.choice(NEWS), rng), all_clear())
    for _ in range(abusive):
        template, present = rng.choice(ABUSE)
        # What the template does not do is labelled absent (an insult is no
        # threat); severe_toxicity stays masked, it is a judgement call.
        labels = {"toxicity": 1.0, "obscene": 0.0, "threat": 0.0, "insult": 0.0, "identity_attack": 0.0}
        labels.update({name: 1.0 for name in present})
        add(_fill(template, rng), labels)
    absent = {"obscene": 0.0, "threat": 0.0, "insult": 0.0, "identity_attack": 0.0}
    extra = ((THREATS, ("threat",)), (DEHUMANISING, ("identity_attack",)), (OBSCENE, ("obscene",)))
    for templates, present in extra:
        for _ in range(other_abuse):
            labels = {"toxicity": 1.0, **absent, **{name: 1.0 for name in present}}
            if templates is DEHUMANISING:
                labels.pop("threat")  # a call to "wipe out" a group may be one
            add(_fill(rng.choice(templates), rng), labels)
    # Off by default so earlier recipes reproduce; train.py --taunts turns it on.
    for _ in range(taunts):
        add(_fill(rng.choice(TAUNTS), rng), {"toxicity": 1.0, **absent, "insult": 1.0, "identity_attack": 1.0})
        add(_fill(rng.choice(PLAIN_INSULTS), rng), {"toxicity": 1.0, **absent, "insult": 1.0})
    return out
