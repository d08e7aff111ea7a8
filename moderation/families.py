"""Families of paraphrases written for Parley: threats, violence news, counter-speech.

A *family* is one frame ("if you publish that again, you'll regret it") said
many ways and filled with many targets. Evaluation must measure frames the
model never saw, not fillers it never saw, so the train/held-out split is by
family id (deterministic, ``split``), never by sentence.

Kinds and labels:
- ``threat``: conditional, implied, surveillance-like, wished harm and calls
  on others to act, aimed at writers, commenters, officials and groups; many
  name no weapon and no violent verb. Toxic, threat.
- ``news``: reports of violence and threats (courts, police, war). Benign.
- ``identity``: people named by origin, faith, sexuality, age or disability in
  everyday news and chat. Benign: a group's name is not a cue.
- ``counter`` / ``negation`` / ``reporting``: each pairs a hateful or
  insulting *original* (toxic) with the reader who quotes it to condemn it,
  negates it, or reports that a public figure said it (benign). The
  originals are held out with their family, so "the originals stay flagged"
  is measured on unseen lines too.

Every sentence here was written for this project.
"""

import hashlib
import random
import re
from dataclasses import dataclass, replace

HELD_OUT_SHARE = 0.25  # of each kind's families

# Who a threat is aimed at. Singular "they" lets one template fit a person or
# a group without agreement trouble; templates use modals and past tense.
WRITERS = [
    "the author",
    "this reporter",
    "the editor",
    "that columnist",
    "whoever wrote this",
    "the journalist who wrote this",
    "{n}, the reporter",
    "the photographer",
]
OFFICIALS = [
    "the mayor",
    "the judge",
    "Councillor {n}",
    "Senator {n}",
    "the police chief",
    "the health officer",
    "the school board chair",
    "the prosecutor",
    "the governor",
]
COMMENTERS = [
    "{n}",
    "the commenter above",
    "the guy who posted that",
    "that troll {n}",
    "the person who reported my comment",
]
GROUPS = [
    "those {g} people",
    "the {g} family down the street",
    "the protesters",
    "the {g} students",
    "the refugees in the new housing",
    "every {g} person in this town",
    "the strikers",
]
TARGETS = WRITERS + OFFICIALS + COMMENTERS + GROUPS

GROUP_WORDS = [
    "Muslim",
    "Jewish",
    "Black",
    "Mexican",
    "gay",
    "trans",
    "Somali",
    "Chinese",
    "immigrant",
    "Sikh",
    "Roma",
    "Haitian",
]
NAMES = [
    "Dana",
    "Okafor",
    "Lindqvist",
    "Patel",
    "Moreno",
    "Kowalski",
    "Nguyen",
    "Brennan",
    "Haddad",
    "Fischer",
    "Tanaka",
    "Abara",
    "Costa",
    "Reyes",
]
# What a writer or commenter might do that a threat is conditional on.
DEEDS = [
    "publish that again",
    "write one more article like this",
    "show up at the meeting",
    "keep digging into my family",
    "print my name again",
    "testify on Monday",
    "post another comment like that",
    "vote for that bill",
    "run that story",
    "keep reporting on the plant",
    "go ahead with the rezoning",
    "open the shelter here",
]
KIN = [
    "your kids",
    "your daughter",
    "your wife",
    "your husband",
    "your family",
    "your mother",
    "your little boy",
    "your parents",
]
PLACES = [
    "where you live",
    "which car you drive",
    "when your kids leave school",
    "where your daughter goes to school",
    "what time you leave the office",
    "which gym you use",
    "where you park every night",
    "the route you jog every morning",
    "your home address",
    "which church your family attends",
]
HARMS_SOFT = [
    "an accident",
    "something bad",
    "a fire",
    "a fall down the stairs",
    "a nasty surprise",
    "what is coming to you",
    "a visit you won't forget",
]
INSULTS = ["idiot", "moron", "clown", "loser", "imbecile", "fool", "lowlife", "scumbag", "creep", "parasite"]
SLURS_MILD = ["thugs", "animals", "vermin", "parasites", "savages", "rats", "criminals", "invaders"]
FIGURES = [
    "the senator",
    "the mayor",
    "the governor",
    "a city councillor",
    "the prime minister",
    "the candidate",
    "a talk-show host",
    "the party chairman",
    "the sheriff",
    "a bishop",
]

GROUP_PLURALS = [
    "Muslims",
    "Jews",
    "Mexicans",
    "immigrants",
    "Somalis",
    "Chinese people",
    "gay people",
    "trans people",
    "Sikhs",
    "Roma",
    "Haitians",
    "Black people",
]

FILLERS = {
    "x": TARGETS,
    "g": GROUP_WORDS,
    "G": GROUP_PLURALS,
    "n": NAMES,
    "d": DEEDS,
    "k": KIN,
    "p": PLACES,
    "h": HARMS_SOFT,
    "i": INSULTS,
    "s": SLURS_MILD,
    "f": FIGURES,
}


@dataclass(frozen=True)
class Family:
    id: str
    kind: str  # threat | news | counter | negation | reporting | identity
    originals: tuple = ()  # toxic frames (threats, or the line that counter-speech answers)
    benign: tuple = ()  # benign frames; {q} is one filled original, quoted
    # Added after the held-out sets were drawn: always trained, never counted in the draw,
    # so a new family cannot move an old one in or out of the evaluation. What such a
    # family teaches is measured on probes written apart from it (probes.py).
    late: bool = False


def _threat(fid, *frames):
    return Family("threat." + fid, "threat", originals=frames)


def _news(fid, *frames):
    return Family("news." + fid, "news", benign=frames)


def _pair(kind, fid, originals, benign):
    return Family(f"{kind}.{fid}", kind, originals=tuple(originals), benign=tuple(benign))


FAMILIES = [
    # --- conditional ------------------------------------------------------
    _threat(
        "cond.regret",
        "If you {d}, you'll regret it.",
        "{d}, and you will regret it for the rest of your life.",
        "Go on, {d}. See how sorry you'll be.",
        "You'll be very sorry if you {d}, {n}.",
    ),
    _threat(
        "cond.last_time",
        "That's the last time you {d}, I promise you that.",
        "You only get to {d} once. Remember that.",
        "Try to {d} one more time and that will be the last thing you do.",
        "{x} should think hard before they {d}. It would be their last time.",
    ),
    _threat(
        "cond.consequences",
        "There will be consequences for {x} if they {d}, and not legal ones.",
        "If you {d}, what happens next is on you.",
        "{d} and find out what happens, {n}.",
        "Keep it up and you'll find out what real consequences look like.",
    ),
    _threat(
        "cond.not_safe",
        "If you {d}, you won't be safe in this town.",
        "{x} won't be safe anywhere if they {d}.",
        "After you {d}, don't expect to walk home safely.",
        "You {d} and this town stops being safe for you and yours.",
    ),
    _threat(
        "cond.stop_or_else",
        "Stop writing about us, or else.",
        "Drop the story, {n}. Or else.",
        "{x} had better back off, or else.",
        "Quit now while you still can, or else.",
    ),
    _threat(
        "cond.warned",
        "Consider this your only warning, {n}.",
        "This is the last warning {x} will get.",
        "You have been warned. Next time there won't be a message.",
        "Nobody will warn you twice. {d} and see.",
    ),
    # --- implied ---------------------------------------------------------
    _threat(
        "implied.shame",
        "Nice family you have. Would be a shame if something happened to them.",
        "Lovely house, {n}. It would be a pity if it burned.",
        "Such a happy life with {k}. Shame if that changed.",
        "Pretty car you have there. Be a shame if it had {h}.",
    ),
    _threat(
        "implied.accidents",
        "Accidents happen to people who ask too many questions.",
        "People who {d} tend to have {h}.",
        "Funny how {h} finds people like {x}.",
        "Reporters who poke around here sometimes have {h}.",
    ),
    _threat(
        "implied.days_numbered",
        "Your days are numbered, {n}.",
        "{x} is living on borrowed time.",
        "Enjoy your freedom while it lasts. It won't last long.",
        "Count the days, {n}. There aren't many left.",
    ),
    _threat(
        "implied.coming",
        "We're coming for you, {n}.",
        "They're coming for {x}, and soon.",
        "Something is coming for you, and you won't see it.",
        "See you soon. Very soon. You won't like it.",
    ),
    _threat(
        "implied.careful",
        "Be careful walking home tonight, {n}.",
        "{x} should be very careful from now on.",
        "I'd lock my doors if I were you.",
        "Sleep with one eye open, {n}.",
    ),
    _threat(
        "implied.end_up",
        "People like you end up in the river.",
        "{x} will end up like the last one who talked.",
        "You'll end up in a ditch, and nobody will miss you.",
        "Remember what happened to the last reporter here? You're next.",
    ),
    _threat(
        "implied.payback",
        "You will pay for this, {n}. Personally.",
        "{x} will pay for what they did, one way or another.",
        "Payback is coming and it won't be in court.",
        "What goes around comes around, and it's coming to your door.",
    ),
    # --- surveillance-like -------------------------------------------------
    _threat(
        "watch.know_where",
        "I know {p}, {n}.",
        "We know {p}. Think about that.",
        "Funny thing, I know {p}.",
        "I found out {p}. Took five minutes.",
    ),
    _threat(
        "watch.seen",
        "I saw {k} at the park yesterday. Cute.",
        "Saw you at the grocery store on Saturday. You didn't see me.",
        "I watched you lock up the office last night, {n}.",
        "I've been watching {x} for weeks now.",
    ),
    _threat(
        "watch.address",
        "Your address is not hard to find, {n}.",
        "Got {x}'s home address right here. Anyone want it?",
        "Posting your address tomorrow so people can drop by.",
        "Everyone should know where {x} sleeps at night.",
    ),
    _threat(
        "watch.following",
        "Don't look over your shoulder, {n}. I'm already there.",
        "I'm always a few steps behind you.",
        "I follow you home most nights. You never notice.",
        "Someone is parked outside {x}'s house every night, and it's me.",
    ),
    # --- wished harm -------------------------------------------------------
    _threat(
        "wish.runs_over",
        "I hope someone runs you over.",
        "Hope a bus finds {x} soon.",
        "I hope you get hit by a truck on your way home, {n}.",
        "Wish someone would run {x} off the road.",
    ),
    _threat(
        "wish.die",
        "I hope you die in a fire, {n}.",
        "Hope {x} never wakes up.",
        "I hope you get cancer and suffer.",
        "Can't wait to read {x}'s obituary.",
    ),
    _threat(
        "wish.suffer",
        "I hope you suffer the way you made us suffer.",
        "May {k} feel every bit of what you deserve.",
        "I hope {x} gets what's coming, slowly.",
        "Here's hoping someone makes you pay in pain.",
    ),
    _threat(
        "wish.better_off",
        "The world would be better off without you, {n}.",
        "Nobody would cry if {x} disappeared tomorrow.",
        "We'd all be happier if you were gone for good.",
        "This town would throw a party if {x} vanished.",
    ),
    # --- calls on others -------------------------------------------------
    _threat(
        "call.visit",
        "Someone should pay her a visit.",
        "Somebody ought to pay {x} a little visit.",
        "Would be great if a few of us dropped by {x}'s place.",
        "Time for someone to pay this reporter a visit at home.",
    ),
    _threat(
        "call.teach_lesson",
        "Someone needs to teach {x} a lesson they won't forget.",
        "Somebody should teach this clown some manners, the hard way.",
        "A few of us should show {x} what happens to people like them.",
        "Who's going to teach {n} a lesson? I'll buy the drinks.",
    ),
    _threat(
        "call.deal_with",
        "Someone should deal with {x} once and for all.",
        "Is nobody going to take care of {x}?",
        "Somebody please shut {x} up for good.",
        "Time to take care of the {g} problem ourselves.",
    ),
    _threat(
        "call.gather",
        "Everyone meet outside {x}'s office at six. Bring friends.",
        "Let's all show up at {x}'s house this weekend and make it clear.",
        "We know {p}. Let's go there together.",
        "Round up the guys, we're paying {x} a visit tonight.",
    ),
    _threat(
        "call.no_one_blame",
        "If someone did something about {x}, no jury would convict.",
        "Nobody would blame you if {x} got hurt.",
        "Whoever finally stops {x} deserves a medal.",
        "If something happened to {x}, I wouldn't call the police.",
    ),
    # --- aimed at groups ---------------------------------------------------
    _threat(
        "group.leave",
        "{g} people had better leave this town while they still can.",
        "Get out before we make you, {g} scum.",
        "The {g} families on Elm Street have until Friday to go.",
        "Leave now, or you'll leave in a box.",
    ),
    _threat(
        "group.night",
        "One night soon the {g} neighbourhood will learn its lesson.",
        "The {g} shops won't open again after this weekend.",
        "Wait until the {g} centre is empty at night. Then we act.",
        "We'll see how brave the {g} protesters are after dark.",
    ),
    # --- the rest: specific, direct ones with no named weapon --------------
    _threat(
        "direct.find",
        "I will find you, {n}.",
        "We will find {x}. It won't take long.",
        "You can move, but I'll find you.",
        "Wherever you go, I'll find you.",
    ),
    _threat(
        "direct.make_sure",
        "I'll make sure you never write again, {n}.",
        "We'll make sure {x} never speaks in public again.",
        "I will make sure you can't show your face in this town.",
        "I'll personally make sure {x} regrets this.",
    ),
    _threat(
        "direct.waiting",
        "I'll be waiting for you in the parking lot, {n}.",
        "I'll be waiting outside {x}'s house after work.",
        "See you in the car park after the meeting. Come alone.",
        "I know when you leave. I'll be waiting.",
    ),
    _threat(
        "direct.hands",
        "If I ever get my hands on you, {n}, there won't be much left.",
        "Let me get five minutes alone with {x}.",
        "Put me in a room with {x} and lock the door.",
        "Just give me ten minutes with that reporter.",
    ),
    # --- benign violence news ------------------------------------------------
    _news(
        "court.threat",
        "A man was sentenced to two years for threatening {o} online.",
        "The court heard that the defendant sent {o} forty threatening messages.",
        "The jury found him guilty of threatening to kill {o}.",
        "Prosecutors said the threats against {o} caused real fear.",
    ),
    _news(
        "police.attack",
        "Police said the attack outside the bar was not random.",
        "Officers arrested two men after a stabbing near the station on Friday.",
        "Police are asking witnesses of Saturday's assault to come forward.",
        "A spokesperson said the victim of the attack is in stable condition.",
    ),
    _news(
        "war.report",
        "Shelling killed at least twelve civilians in the city overnight.",
        "The army says it destroyed three tanks near the border.",
        "Aid groups say the bombing has left thousands without water.",
        "Both sides reported heavy casualties after the offensive.",
    ),
    _news(
        "crime.murder_trial",
        "The murder trial of the former guard begins on Monday.",
        "The accused pleaded not guilty to killing his neighbour.",
        "Detectives believe the victim knew her killer.",
        "The coroner ruled the death a homicide.",
    ),
    _news(
        "reader.sympathy",
        "My thoughts are with the family of the man killed in the shooting.",
        "Such a terrible attack. I hope the victims recover.",
        "Horrible news about the stabbing. Stay safe, everyone.",
        "Praying for everyone hurt in the bombing.",
    ),
    _news(
        "reader.policy",
        "Threats against {o} have doubled; the council should fund security.",
        "We need better protection for {o} who receive death threats.",
        "Online harassment of {o} is a real problem that deserves coverage.",
        "The new law on threatening {o} seems long overdue.",
    ),
    _news(
        "history.war",
        "My grandfather fought in the war and never talked about the killing he saw.",
        "The museum exhibit on the siege shows how many civilians died.",
        "Historians estimate the massacre killed several thousand people.",
        "The battle left the town in ruins for a decade.",
    ),
    _news(
        "sport.metaphor",
        "The home team absolutely destroyed them in the second half.",
        "Our goalkeeper killed it tonight.",
        "That defence got murdered on every counterattack.",
        "The striker shot the lights out in the final.",
    ),
    _news(
        "safety.advice",
        "If you receive a threat, keep the message and call the police.",
        "The police advise anyone threatened online to report it.",
        "Shelters offer help to people who fear for their safety at home.",
        "Know the signs of abuse and where to get help.",
    ),
    _news(
        "crime.robbery",
        "Two masked men robbed the petrol station at gunpoint.",
        "The suspect fled after firing a shot into the ceiling.",
        "Police found the stolen car burned out near the quarry.",
        "A shop owner was injured in the break-in.",
    ),
    _news(
        "court.verdict",
        "The judge called the attack on {o} cowardly and handed down the maximum sentence.",
        "The appeal court upheld the conviction for the assault on {o}.",
        "He admitted threatening {o} and was banned from contacting them.",
        "The restraining order protects {o} for five years.",
    ),
    _news(
        "reader.fear",
        "After the shooting, many parents are afraid to send their kids to school.",
        "I was robbed last year and still feel nervous walking home.",
        "Some residents say they no longer feel safe after the attacks.",
        "My neighbour's car was set on fire and nobody knows why.",
    ),
    # --- counter-speech: the hateful line, and the reader who condemns it ---
    _pair(
        "counter",
        "vermin",
        ["{g} people are vermin.", "{G} are nothing but vermin."],
        [
            'Someone on this page wrote "{q}" Disgusting. Reported.',
            'Quoting the troll above, "{q}" This is exactly the hate the article is about.',
            'My kid was told "{q}" at school today. We should all be ashamed that this still happens.',
        ],
    ),
    _pair(
        "counter",
        "go_back",
        ["{G} should go back where they came from.", "Go back to your own country, you {g} {s}."],
        [
            'A man shouted "{q}" at my neighbour. That is racism, plain and simple.',
            'People who say "{q}" should read this article about the history of this city.',
            'Telling anyone "{q}" is hateful and has no place here.',
        ],
    ),
    _pair(
        "counter",
        "not_human",
        ["{G} are not real people.", "{G} are less than human."],
        [
            '"{q}" is the kind of line that preceded every genocide. Never again.',
            'Whoever wrote "{q}" needs to meet some actual people.',
            'I can\'t believe anyone still says "{q}" in this day and age.',
        ],
    ),
    _pair(
        "counter",
        "ban_them",
        ["Ban all {G} from this country.", "No {G} should be allowed to live here."],
        [
            'The sign said "{q}" and the crowd rightly tore it down.',
            'Calls like "{q}" are bigotry, whatever the speaker claims.',
            'Seeing "{q}" painted on the mosque wall made me sick. Solidarity with our neighbours.',
        ],
    ),
    _pair(
        "counter",
        "dirty",
        ["{G} are dirty and stupid.", "All {G} are filthy liars."],
        [
            'Growing up I heard "{q}" all the time. It was wrong then and it is wrong now.',
            'Stereotypes like "{q}" are what the study found in hiring decisions.',
            'To the person who wrote "{q}": you are describing your own prejudice, not them.',
        ],
    ),
    _pair(
        "counter",
        "slur_report",
        ["Get out of here, you {s}.", "These {s} are ruining our neighbourhood."],
        [
            'The councillor was filmed saying "{q}" about the {g} residents. He should resign.',
            'Calling anyone "{s}" because of where they were born is vile.',
            'Someone spray-painted "{q}" on the bus shelter. Please report graffiti like that.',
        ],
    ),
    _pair(
        "counter",
        "women",
        ["Women are too stupid to vote.", "Women belong in the kitchen, not in parliament."],
        [
            'My grandfather used to say "{q}" and my grandmother proved him wrong for sixty years.',
            'Anyone who thinks "{q}" should look at who runs the best councils in the country.',
            '"{q}" was a common view a century ago. Glad we moved on.',
        ],
    ),
    # --- negation: the insult, and the reader who denies it -----------------
    _pair(
        "negation",
        "you_are_not",
        ["You are an {i}.", "You're a complete {i}, {n}."],
        [
            "You are not an {i}, you just got this one wrong.",
            "Nobody here thinks you're an {i}, {n}. We just disagree.",
            "I don't think you are an {i} at all; your point about the budget was fair.",
        ],
    ),
    _pair(
        "negation",
        "never_call",
        ["What a {i} you are.", "Only an {i} would write this."],
        [
            "I would never call anyone an {i} over a parking dispute.",
            "Calling people {i}s is not how we argue on this page.",
            "Let's not call each other {i}s. Your numbers are wrong, that's all.",
        ],
    ),
    _pair(
        "negation",
        "not_stupid",
        ["This is the stupidest article I have ever read.", "The author is stupid and lazy."],
        [
            "This is not a stupid article; it explains the tax changes well.",
            "The author is neither stupid nor lazy. She spent months on this story.",
            "It is not stupid to ask questions about where the money goes.",
        ],
    ),
    _pair(
        "negation",
        "apology",
        ["Shut up, you {i}.", "Nobody cares what you think, {i}."],
        [
            "I'm sorry I called you an {i} yesterday. That was out of line.",
            "I take back what I said. You are not an {i} and I was angry.",
            "Apologies, {n}, for calling you an {i}. I was wrong.",
        ],
    ),
    _pair(
        "negation",
        "not_trash",
        ["{g} people are trash.", "Every {g} person is worthless."],
        [
            "{g} people are not trash, and neither is anyone else.",
            "No, {g} people are not worthless. What a thing to say.",
            "It isn't true that {g} families are a burden; the census shows the opposite.",
        ],
    ),
    # --- reporting: what a public figure said, reported and judged ----------
    _pair(
        "reporting",
        "called",
        ["Those protesters are {s}.", "The strikers are a bunch of {s}."],
        [
            "{f} called the protesters '{s}', which is disgraceful.",
            "In the interview {f} described the strikers as {s}. Voters should remember that.",
            "When {f} called people '{s}' on live TV, the station should have cut away.",
        ],
    ),
    _pair(
        "reporting",
        "tweet",
        ["{G} are a plague on this country.", "The {G} are poisoning our nation."],
        [
            "{f} tweeted that '{q}' and deleted it an hour later. Too late.",
            "The article quotes {f}: '{q}' That alone should end the campaign.",
            "Reporters asked {f} about the post saying '{q}'; he refused to apologise.",
        ],
    ),
    _pair(
        "reporting",
        "speech",
        ["Judges who rule against us are traitors and {s}.", "Journalists are {s} and enemies of the people."],
        [
            "In Tuesday's speech {f} said '{q}' Historians warn where that rhetoric leads.",
            "The press association condemned {f} for saying '{q}'",
            "Fact check: {f} claimed '{q}' There is no evidence for any of it.",
        ],
    ),
    _pair(
        "reporting",
        "insult_opponent",
        ["My opponent is an {i} and a liar.", "What an {i} the minister is."],
        [
            "{f} called his opponent an '{i}' at the rally, which tells you about his campaign.",
            "The debate sank low when {f} said his rival was an '{i}'.",
            "{f} later apologised for calling the minister an '{i}'.",
        ],
    ),
]

# Victims in news frames: a separate list so news never needs threat targets.
FILLERS["o"] = [
    "a local journalist",
    "the mayor",
    "a city councillor",
    "his former partner",
    "a school principal",
    "two reporters",
    "an election official",
    "a nurse",
    "the judge",
    "a shopkeeper",
]


def _rank(family_id):
    return hashlib.sha1(family_id.encode()).hexdigest()


def _late(*families):
    """Families added after the held-out sets were drawn (see Family.late)."""
    return [replace(family, late=True) for family in families]


def held_out_ids():
    """Family ids kept for evaluation: the first quarter of each kind by hash (late ones aside)."""
    by_kind = {}
    for family in FAMILIES:
        if not family.late:
            by_kind.setdefault(family.kind, []).append(family.id)
    held = set()
    for ids in by_kind.values():
        count = max(1, round(len(ids) * HELD_OUT_SHARE))
        held |= set(sorted(ids, key=_rank)[:count])
    return held


def split(family):
    """'eval' or 'train', by family id alone (stable across runs and edits of other families)."""
    return "eval" if family.id in held_out_ids() else "train"


def _fill(frame, rng, quote=None):
    values = {key: rng.choice(options) for key, options in FILLERS.items()}
    if "{j}" in frame:
        # Drawn only where used, after the rest: the families written before it keep
        # their sentences (and the held-out figures stay comparable across runs).
        values["j"] = rng.choice(IDENTITIES)
    # Targets carry their own slots ("Councillor {n}", "those {g} people").
    values["x"] = values["x"].format(n=values["n"], g=values["g"])
    values["q"] = quote or ""
    text = _ARTICLE.sub(_article, frame.format(**values))
    return text[0].upper() + text[1:]


_ARTICLE = re.compile(r"\b([Aa])n? (['\"]?)(\w)")


def _article(match):
    """'a' or 'an' by the next word's first letter (fillers vary: an idiot, a moron)."""
    article = match.group(1) + ("n" if match.group(3).lower() in "aeiou" else "")
    return f"{article} {match.group(2)}{match.group(3)}"


def sentences(family, per_frame=12, seed=0):
    """(text, is_toxic) pairs for one family, seeded by its id (deterministic).

    Counter-speech frames quote one of the family's own originals, so a
    held-out family's quoted lines are held out with it.
    """
    rng = random.Random(f"{seed}:{family.id}")
    out, seen = [], set()

    def add(text, toxic):
        if text not in seen:
            seen.add(text)
            out.append((text, toxic))

    for frame in family.originals:
        for _ in range(per_frame):
            add(_fill(frame, rng), True)
    originals = [text for text, _ in out] or [""]
    for frame in family.benign:
        for _ in range(per_frame):
            add(_fill(frame, rng, quote=rng.choice(originals)), False)
    return out


def family_sentences(part, per_frame=12, seed=0):
    """{family: [(text, is_toxic)]} for the 'train' or 'eval' part."""
    return {f: sentences(f, per_frame, seed) for f in FAMILIES if split(f) == part}


# --- v1.2 additions (issue 13): more violence news, negation, counter-speech, threats ---
# News fillers: who did it, what happened, where, which war.
FILLERS["a"] = [
    "a 34-year-old man",
    "two teenagers",
    "a former soldier",
    "a woman from the north side",
    "the suspect",
    "a local businessman",
    "a 19-year-old student",
    "her former partner",
]
FILLERS["v"] = [
    "stabbing",
    "shooting",
    "assault",
    "arson attack",
    "robbery",
    "knife attack",
    "hit-and-run",
    "bomb threat",
]
FILLERS["c"] = [
    "the station",
    "Elm Street",
    "the shopping centre",
    "the harbour",
    "a nightclub",
    "the school gates",
    "the motorway services",
    "the park",
]
FILLERS["w"] = [
    "the eastern front",
    "the capital",
    "the border villages",
    "the port city",
    "the northern province",
    "Gaza",
    "Ukraine",
    "Sudan",
]

FAMILIES += [
    # --- benign violence news: courts, police, war, readers ------------------
    _news(
        "court.sentencing",
        "{a} was jailed for three years for the {v} at {c}.",
        "The judge told {a} that the {v} had left {o} badly shaken.",
        "{a} admitted sending death threats to {o} and will be sentenced next month.",
        "The court was told {a} had threatened to burn down the home of {o}.",
    ),
    _news(
        "police.statement",
        "Police say the {v} at {c} was a targeted incident and there is no wider risk.",
        "Detectives investigating the {v} near {c} have arrested {a}.",
        "A police spokesperson said {o} had received threats and officers are investigating.",
        "Anyone with footage of the {v} at {c} is asked to call the police.",
    ),
    _news(
        "war.front",
        "Heavy fighting continued in {w} as troops tried to retake the town.",
        "Missile strikes on {w} killed dozens of people overnight, officials said.",
        "The ceasefire collapsed after soldiers were shot dead near {w}.",
        "Refugees fleeing {w} describe villages flattened by artillery.",
    ),
    _news(
        "war.comment",
        "The war in {w} has been a disaster for the civilians caught in the middle.",
        "Bombing {w} will not bring peace; both governments should return to talks.",
        "The report from {w} on the killing of prisoners was hard to read but necessary.",
        "How many more people have to die in {w} before the world acts?",
    ),
    _news(
        "court.quoted_threat",
        "Prosecutors said {a} told {o} they would regret it if they went to the police.",
        "According to the charge sheet, {a} wrote to {o} that he knew where they lived.",
        "The jury heard messages in which {a} threatened to kill {o}.",
        "In court, {o} described months of threats before the arrest of {a}.",
    ),
    _news(
        "police.inquiry",
        "A murder inquiry has been launched after a body was found near {c}.",
        "The victim of the {v} near {c} died in hospital on Sunday, police confirmed.",
        "Officers were called to {c} just after midnight following reports of a {v}.",
        "{a} has been charged with attempted murder after the {v} at {c}.",
    ),
    _news(
        "reader.justice",
        "I hope whoever attacked {o} gets a long sentence.",
        "Glad they caught the person who was threatening {o}. Justice works sometimes.",
        "Anyone who threatens {o} should face the full force of the law.",
        "Good to see the police take threats against {o} seriously for once.",
    ),
    _news(
        "crime.domestic",
        "She told the court that {a} had threatened her for years.",
        "The charity says calls from people threatened at home rose by a third after the {v} at {c}.",
        "{o} said the threats only stopped after the restraining order against {a}.",
        "The inquest heard that warnings about {a} had been ignored by police.",
    ),
    _news(
        "idiom.violent_words",
        "{n} absolutely killed it on stage last night.",
        "The critics tore the new film apart, but I loved it.",
        "This heatwave is killing my tomatoes.",
        "I could murder a cup of tea after that meeting, {n}.",
    ),
    _news(
        "reader.crime_policy",
        "We need stricter rules after the {v} at {c}.",
        "Knife crime near {c} is up again; fund the youth clubs instead of cutting them.",
        "The {v} at {c} shows why the town needs more officers on foot.",
        "Gun violence killed more children here last year than anywhere else in the region.",
    ),
    _news(
        "terror.report",
        "The bombing at {c} was claimed by an extremist group, officials said.",
        "Security was tightened after a {v} at {c} on Thursday.",
        "The inquiry heard the attacker at {c} was shot by police within minutes.",
        "Survivors of the {v} at {c} met the minister today.",
    ),
    _news(
        "press.harassment",
        "{o} has received hundreds of abusive messages since the story ran, the paper said.",
        "The platform removed accounts that had threatened {o}.",
        "A survey found that one in three journalists has been threatened online.",
        "The union called the threats against {o} an attack on press freedom.",
    ),
    _news(
        "history.memorial",
        "The memorial lists the names of the villagers shot by soldiers in {w} in 1944.",
        "Historians say the famine and the killings in {w} took millions of lives.",
        "Every year the town remembers the night the bombs fell on {c}.",
        "The documentary about the massacre in {w} should be shown in every school.",
    ),
    # --- threats (more frames, still few weapons) ------------------------------
    _threat(
        "implied.brakes",
        "Nice car, {n}. Shame about the brakes.",
        "Your brakes look worn, {n}. Wouldn't want them to fail on the hill.",
        "It would be easy for {x}'s car to have {h}.",
        "Someone could be at {x}'s door in ten minutes. Just saying.",
    ),
    _threat(
        "wish.deserve",
        "{x} deserves a bullet.",
        "People like {x} deserve to get hurt.",
        "{x} deserves whatever happens to them on the way home.",
        "Someone like you deserves to bleed, {n}.",
    ),
    _threat(
        "kin.pay",
        "Stay away from this story or {k} will pay for it.",
        "Think about {k} before you {d}.",
        "{k} would not enjoy what happens if you {d}.",
        "One more story and it's {k} who suffers, {n}.",
    ),
    _threat(
        "group.burn",
        "The {g} shop will burn one of these nights.",
        "Somebody should torch the {g} centre.",
        "It would be a shame if the {g} church caught fire.",
        "Burn them out, every {g} house on the street.",
    ),
    _threat(
        "implied.last_article",
        "That will be your last article, {n}.",
        "{x} won't be writing much longer.",
        "Enjoy writing while you still can, {n}.",
        "You won't be around to write the follow-up, {n}.",
    ),
    _threat(
        "call.hunt",
        "Find {x} and make them pay.",
        "Somebody find out {p} and go have a word with {x}. A real word.",
        "Whoever lives near {x}, you know what to do.",
        "Share this until someone finds {x}. Then finish it.",
    ),
    # --- counter-speech --------------------------------------------------------
    _pair(
        "counter",
        "online",
        ["{G} are a disease.", "{G} should all be locked up."],
        [
            'Replies like "{q}" are why I stopped reading the comments. Shameful.',
            'Reported the account that posted "{q}" Hate has no home here.',
            'If your argument ends at "{q}", you have no argument.',
        ],
    ),
    _pair(
        "counter",
        "school",
        ["{g} kids are stupid.", "{G} can't be trusted."],
        [
            'When a teacher says "{q}", the children believe it. That is how prejudice spreads.',
            'My daughter heard "{q}" from a classmate, and we talked about why it is wrong.',
            'The report found that staff who said "{q}" were never disciplined.',
        ],
    ),
    _pair(
        "counter",
        "history",
        ["{G} are rats.", "{G} are a cancer on society."],
        [
            'Propaganda posters once said "{q}" and we know how that ended.',
            'The museum shows leaflets that read "{q}" so that we never forget.',
            'Comparing people to animals, as in "{q}", is the first step of dehumanisation.',
        ],
    ),
    _pair(
        "counter",
        "bystander",
        ["Go home, {g} trash.", "Get out of our country, you {s}."],
        [
            'A man yelled "{q}" on the train and three passengers stood up for the woman he targeted.',
            'I heard someone say "{q}" at the market and told him to stop.',
            'If you hear someone say "{q}", say something. Silence helps the bully.',
        ],
    ),
    # --- negation: the insult, and the reader who denies, refuses or retracts it ---
    _pair(
        "negation",
        "not_saying",
        ["{n} is an {i}.", "The author is a total {i}."],
        [
            "I'm not saying {n} is an {i}; I'm saying the numbers don't add up.",
            "Nobody is calling the author an {i}. The sources are just thin.",
            "To be clear, I don't think {n} is an {i}, I just disagree with them.",
        ],
    ),
    _pair(
        "negation",
        "defend",
        ["{n}, you are a pathetic {i}.", "Shut up, {n}, you {i}."],
        [
            "{n} is not a pathetic {i}. She has been right about the council for years.",
            "Stop calling {n} an {i}; they made a fair point.",
            "Whatever you think of {n}, they are no {i}.",
        ],
    ),
    _pair(
        "negation",
        "self",
        ["You must be an {i} to believe this.", "Anyone who believes this is an {i}."],
        [
            "I was an {i} to believe the first report, and I admit it.",
            "I'm no {i}, but even I can see the budget doesn't balance.",
            "Maybe I'm an {i}, but shouldn't the bridge have been inspected first?",
        ],
    ),
    _pair(
        "negation",
        "dont_call",
        ["You people are {s}.", "All {G} are {s}, every one of them."],
        [
            "Please don't call people {s}; it isn't true and it isn't fair.",
            "It is wrong to call {G} {s}, and this article shows why.",
            "No one deserves to be called {s} for where they were born.",
        ],
    ),
    _pair(
        "negation",
        "dumb_question",
        ["That is the dumbest question I have ever heard.", "What a dumb question, {i}."],
        [
            "That's not a dumb question at all; the article skipped it.",
            "There are no dumb questions about the tax rules, {n}.",
            "Not a dumb question, {n}. The answer is in paragraph four.",
        ],
    ),
    _pair(
        "negation",
        "disgusting",
        ["You are disgusting, {n}.", "{n} is a disgusting human being."],
        [
            "{n} is not disgusting for disagreeing with you.",
            "Nothing about asking for a recount is disgusting, {n}.",
            "I don't find your view disgusting, {n}, just wrong.",
        ],
    ),
    _pair(
        "negation",
        "liar",
        ["The mayor is a liar and an {i}.", "{n} is a lying {i}."],
        [
            "The mayor is not a liar; the figures were revised after the audit.",
            "I don't think {n} lied. They misread the chart.",
            "Calling {n} a liar is unfair when the report backs them up.",
        ],
    ),
    _pair(
        "negation",
        "hate",
        ["I hate {G}.", "{G} are the worst people on earth."],
        [
            "I don't hate {G}, and I don't know anyone who does.",
            "{G} are not the worst anything; they are our neighbours.",
            "Nobody here hates {G}. Stop putting words in our mouths.",
        ],
    ),
    _pair(
        "negation",
        "worthless",
        ["You are a worthless {i}, {n}.", "Worthless {i}."],
        [
            "{n}, you are not worthless, and the pile-on in this thread is ugly.",
            "Nobody is worthless. Let's keep this civil, {n}.",
            "I called you worthless earlier, {n}, and I'm sorry; it wasn't true.",
        ],
    ),
    _pair(
        "negation",
        "voters",
        ["Anyone who voted for this is an {i}.", "The voters here are {i}s."],
        [
            "People who voted for it are not {i}s; they had their reasons.",
            "I voted the other way, but the other side aren't {i}s.",
            "Voters aren't {i}s, {n}. They were given bad information.",
        ],
    ),
    _pair(
        "negation",
        "children",
        ["Your son is a little {i}.", "That kid is an {i}."],
        [
            "No child is an {i} for struggling with maths.",
            "My son is not an {i}; he has dyslexia and works twice as hard.",
            "Kids who ask questions aren't {i}s, {n}.",
        ],
    ),
]

# --- v1.3 additions (issue 13): negation in more shapes ------------------------
# Each benign line denies, questions or takes back the insult its family's
# originals throw; the shapes differ from v1.2's so held-out families test the
# shape, not a memorised phrase.
FAMILIES += [
    _pair(
        "negation",
        "just_wrong",
        ["You're an {i}, {n}.", "{n}, you absolute {i}."],
        [
            "You're not an {i}, {n}; you're just wrong about the dates.",
            "{n}, nobody thinks you're an {i}. The argument simply doesn't hold.",
            "Being wrong once doesn't make you an {i}, {n}.",
        ],
    ),
    _pair(
        "negation",
        "far_from",
        ["{n} is a clueless {i}.", "What a clueless {i} {n} is."],
        [
            "{n} is far from an {i}; she ran the numbers herself.",
            "Clueless is the last word I'd use for {n}.",
            "Hardly an {i}: {n} predicted this in 2019.",
        ],
    ),
    _pair(
        "negation",
        "question_no",
        ["Is {n} an {i}? Yes.", "{n} is obviously an {i}."],
        [
            "Is {n} an {i}? No. Is the plan flawed? Probably.",
            "Someone upthread asked whether {n} is an {i}. Of course not; read the report.",
            "Is it fair to call {n} an {i}? I really don't think so.",
        ],
    ),
    _pair(
        "negation",
        "take_back",
        ["{n}, you brainless moron.", "Only a moron would write this, {n}."],
        [
            "I take back what I said, {n}. You're not a moron and I was angry.",
            "Earlier I called {n} a moron. That was unfair and I apologise.",
            "I shouldn't have called you a moron, {n}. Your point about the bus routes stands.",
        ],
    ),
    _pair(
        "negation",
        "refuse",
        ["{n} is scum.", "People like {n} are scum."],
        [
            "I refuse to call {n} scum just because I disagree with her.",
            "{n} is not scum, and neither is anyone else in this thread.",
            "We can argue about the policy without calling {n} scum.",
        ],
    ),
    _pair(
        "negation",
        "says_more",
        ["{G} are animals.", "Those {G} are animals."],
        [
            "{G} are not animals, and saying so says more about you than about them.",
            "Calling {G} animals is exactly what the article warns about.",
            "People are not animals, whatever their religion or where they come from.",
        ],
    ),
    _pair(
        "negation",
        "never_was",
        ["{n} was always a useless {i}.", "{n} has always been useless."],
        [
            "{n} was never useless; the department fell apart after she left.",
            "I worked with {n} for years and she was never an {i}.",
            "Useless? {n} fixed the pension fund in two years.",
        ],
    ),
    _pair(
        "negation",
        "nobody_stupid",
        ["Only stupid people live in {p}.", "Everyone in {p} is stupid."],
        [
            "People in {p} aren't stupid; they were never told about the vote.",
            "Nobody in {p} is stupid for trusting the water board.",
            "I grew up in {p}. We're not stupid, we're underfunded.",
        ],
    ),
]

# --- v1.4 additions (issue 13): reporting beyond public figures -------------------
# Readers report abuse too: what was said to them, what a court heard, what a
# newsroom receives, what history printed. The quoted line is the family's own
# original; the frame around it is what makes it news, testimony or memory.
FAMILIES += [
    _pair(
        "reporting",
        "said_to_me",
        ["You're a worthless {i}.", "Get lost, you pathetic {i}."],
        [
            "A stranger on the bus told me '{q}' I still don't know what I did.",
            "My manager once said '{q}' to me in front of the whole team, and I reported it.",
            "When a neighbour shouted '{q}' at my son, we called the police.",
        ],
    ),
    _pair(
        "reporting",
        "court_heard",
        ["Get out of my shop, you filthy {s}.", "{G} are {s}, every last one of them."],
        [
            "The court heard that the defendant shouted '{q}' before the assault.",
            "According to the charge sheet, he yelled '{q}' at the two officers.",
            "A witness told the tribunal the supervisor had said '{q}' during the meeting.",
        ],
    ),
    _pair(
        "reporting",
        "inbox",
        ["Nobody wants to read your garbage, you {i}.", "Quit writing, you useless {i}."],
        [
            "After the story ran, our reporter received messages like '{q}' every day.",
            "The survey found women journalists are sent lines such as '{q}' far more often.",
            "Moderators here removed thousands of comments like '{q}' last year.",
        ],
    ),
    _pair(
        "reporting",
        "history",
        ["{G} are {s} and must be driven out.", "Keep the {s} out of our towns."],
        [
            "In the 1930s newspapers printed '{q}' and too few readers objected.",
            "The museum shows an old poster that reads '{q}' It is hard to look at.",
            "My grandfather remembered shop signs saying '{q}'",
        ],
    ),
]

# --- v1.4 additions (issue 13): threats in more shapes, and news that describes them ---
# New frames only: none paraphrases a held-out family (checked by hand against
# ``held_out_ids()``), so the held-out figure still measures unseen shapes.
FAMILIES += [
    _threat(
        "implied.dark_road",
        "It's a quiet road you live on, {n}. Very dark at night.",
        "Lovely garden, {n}. Nobody would hear a thing from the street.",
        "Your building has no cameras, {n}. Just so you know.",
        "Long walk from the bus stop to your door, isn't it, {n}?",
    ),
    _threat(
        "implied.locks",
        "I'd check the locks tonight if I were you, {n}.",
        "Hope your house is insured, {n}.",
        "Sleep with one eye open, {n}.",
        "I wouldn't park on the street this week if I were {x}.",
    ),
    _threat(
        "implied.nobody_finds",
        "Nobody would ever find you, {n}.",
        "People go missing all the time, {n}. Nobody asks twice.",
        "One day {x} just won't come home, and no one will know why.",
        "You'd be surprised how fast people forget a missing {i}, {n}.",
    ),
    _threat(
        "cond.cost_more",
        "Write one more line about us and it will cost you more than your job, {n}.",
        "Every time you {d}, the price goes up for you and {k}.",
        "Carry on like this and you won't like how it ends, {n}.",
        "You can stop now, {n}, or we can stop you.",
    ),
    _threat(
        "watch.routine",
        "You leave the office at six every day, {n}. Always the same route.",
        "I know which train you take home, {n}.",
        "{k} gets out of school at three, doesn't it, {n}?",
        "Blue door, second floor. We know where {x} sleeps.",
    ),
    _threat(
        "wish.kin",
        "I hope {k} pays for what you wrote, {n}.",
        "I hope something terrible happens to you and {k}.",
        "May {x} lose everything and everyone they love.",
        "I pray {x} gets hurt the way they hurt us.",
    ),
    _threat(
        "call.address",
        "Someone post {x}'s home address so we can all drop by.",
        "Share where {n} lives. Time the neighbours paid a visit.",
        "Does anyone know which house is {n}'s? Asking for a group of friends.",
        "Let's all show up at {x}'s door tomorrow and remind them who we are.",
    ),
    _threat(
        "group.first",
        "When the time comes, the {g} families will be first.",
        "This town will be cleared of {g} people soon enough.",
        "{x} won't be around much longer once we're organised.",
        "Enjoy it while it lasts, {g} people. It won't last long.",
    ),
    _threat(
        "direct.get_hurt",
        "You're going to get hurt, {n}. Soon.",
        "Somebody is going to hurt you badly, {n}, and I'll be there to watch.",
        "{x} is going to get what's coming, and it will hurt.",
        "Mark my words, {n}: you will bleed for this.",
    ),
    _news(
        "court.stalking",
        "A man was jailed for following {o} home and posting the address online.",
        "The court heard he had photographed {o}'s house and car for months.",
        "Prosecutors said the messages to {o} described her daily route to work.",
        "The judge issued a restraining order after {o} reported being followed.",
    ),
    _news(
        "police.advice",
        "Police urged residents to lock their doors after a run of burglaries.",
        "Officers are patrolling the estate at night after two cars were set alight.",
        "Detectives said the threats against {o} are being treated as serious.",
        "The council installed cameras on the road after the assault on {o}.",
    ),
]

# --- v1.4 additions, after v1.4a (issue 13): violent words used as idiom --------
# v1.4a flagged 13 of the 18 held-out idiom lines ("killed it on stage"): once
# that family was held out, training kept only sport metaphors. These frames
# use other idioms (work, daily life, praise), none from a held-out family.
FAMILIES += [
    _news(
        "idiom.work",
        "Our team smashed the quarterly targets, {n}.",
        "That deadline nearly killed the whole newsroom.",
        "The editor butchered my headline, but fair enough.",
        "We're drowning in paperwork since the merger.",
    ),
    _news(
        "idiom.daily_life",
        "My feet are killing me after the charity walk.",
        "This commute is murder in the rain, {n}.",
        "I nearly died laughing at the mayor's speech.",
        "The printer jammed again and I wanted to strangle it.",
    ),
    _news(
        "idiom.praise",
        "Break a leg at the audition tomorrow, {n}!",
        "That band blew the roof off the town hall last night.",
        "{n}'s column knocked it out of the park this week.",
        "The bakery's new croissants are to die for.",
    ),
]

# --- v1.4 additions, after v1.4b (issue 13): groups named in ordinary life --------
# v1.4b scored "The Mexican restaurant on Fifth Street deserves its award" 0.91
# toxic: its threat families name groups ("the {g} families will be first") and
# nothing in training named a group kindly. These benign frames name people by
# origin, faith, sexuality, age or disability in everyday news and chat, so that
# a group's name alone is not a cue. Terms beyond the threat fillers, so the
# lesson is about naming anyone, not about twelve words.
IDENTITIES = GROUP_WORDS + [
    "Latino",
    "Asian",
    "white",
    "Christian",
    "Catholic",
    "Hindu",
    "Buddhist",
    "Arab",
    "Nigerian",
    "Polish",
    "Irish",
    "Korean",
    "lesbian",
    "bisexual",
    "queer",
    "deaf",
    "blind",
    "disabled",
    "elderly",
    "Native American",
]


def _identity(fid, *frames):
    return Family("identity." + fid, "identity", benign=frames)


FAMILIES += [
    _identity(
        "food",
        "The {j} bakery on the corner makes the best bread in town.",
        "We had dinner at a {j} restaurant after the match; highly recommended.",
        "The {j} food stall at the market sold out by noon again.",
        "My favourite café is run by a {j} couple who remember every regular's order.",
    ),
    _identity(
        "neighbours",
        "Our {j} neighbours invited the whole street to their garden party.",
        "The {j} family next door helped us move the piano on Saturday.",
        "A {j} neighbour cleared our drive of snow while we were away.",
        "When the power went out, the {j} couple upstairs checked on everyone.",
    ),
    _identity(
        "speaking_as",
        "As a {j} woman, I found this article moving and fair.",
        "I'm {j} and I agree with the council about the bus lanes.",
        "Speaking as a {j} parent, the new school hours make sense.",
        "My husband is {j}, and we both enjoyed this piece, {n}.",
    ),
    _identity(
        "achievement",
        "The first {j} judge in the county was sworn in on Monday.",
        "A {j} student from our town won the national science prize.",
        "The {j} doctor who runs the clinic has served there for thirty years.",
        "Congratulations to the {j} team that won the robotics contest.",
    ),
    _identity(
        "community",
        "The {j} community centre offers free homework help on Thursdays.",
        "Thousands came to the {j} festival in the park this weekend.",
        "The {j} choir sang beautifully at the memorial service.",
        "The library is hosting a {j} history evening next month.",
    ),
    _identity(
        "census",
        "{G} make up about a tenth of the city's population, the census says.",
        "The survey asked {G} about housing costs and commuting times.",
        "The new museum wing tells the story of {G} who settled here a century ago.",
        "Several {G} spoke at the council meeting about the park plans.",
    ),
    _identity(
        "friends",
        "My oldest friend is {j}; we still talk every Sunday.",
        "I learned to cook from a {j} friend who lived across the hall.",
        "Our {j} colleague organised the best leaving party I've been to.",
        "My daughter's {j} classmates came over to study for exams.",
    ),
    _identity(
        "faith_and_custom",
        "The {j} holiday starts on Friday, so the market opens late.",
        "Our {j} colleagues brought sweets to the office for the festival.",
        "The {j} wedding on our street lasted three days and everyone was invited.",
        "The {j} congregation raised money for the flood victims.",
    ),
]

# --- 1.5 additions (issue 13): urging a reader to harm themselves ----------------
# 1.4 read "Do the world a favour and jump off a bridge." as clean (toxicity 0.04) and
# "kill yourself" as a review, threat 0.08: nothing in training told a person to end
# their life. Every moderation policy treats it as the gravest harassment, aimed at the
# reader rather than by the writer, so these are threats. Beside them, news and help
# lines about suicide that must stay published. Late families (trained, outside the
# held-out draw); probes.SELF_HARM_URGING measures frames written apart from these.
FAMILIES += _late(
    _threat(
        "selfharm.tell",
        "Go kill yourself, {n}.",
        "Do everyone a favour and end it, {n}.",
        "Why don't you just jump off a bridge, {i}?",
        "{x} should just kill themselves and spare us all.",
    ),
    _threat(
        "self.methods",
        "Buy a rope and use it, {n}.",
        "There's a tall building near your office, {n}. Use it.",
        "Next time swallow the whole bottle, {i}.",
        "Step in front of a train and do us all a kindness, {n}.",
    ),
    _threat(
        "selfharm.better_off",
        "Do us all a favour and stop breathing, {i}.",
        "The world would be better off if you ended your miserable life, {n}.",
        "Nobody would cry if {x} took their own life tomorrow.",
        "You should end yourself, {n}. I mean it.",
    ),
    _news(
        "suicide.prevention",
        "If you are struggling, the crisis line is open day and night and the call is free.",
        "The coroner found that {o} took their own life after months of abuse online.",
        "Campaigners want telling someone online to kill themselves made a crime.",
        "Barriers on the viaduct have halved the number of suicides there, the council says.",
    ),
)

# --- 1.5 additions (issue 13): groups named beside danger, in benign news ----------
# 1.4 publishes the held-out identity families 88.9%: every miss names a group beside
# a situation a threat might describe (an outage, a stranger at the door), which
# the threat families taught it to read as menace. These frames put a group word
# next to accidents, fires, storms and crime in which its people help or are
# helped, so that "danger" plus "group" alone is not a threat. Late families: the
# held-out identity families stay the ones every earlier figure measured.
FAMILIES += _late(
    _identity(
        "helpers",
        "A {j} nurse on her way home stopped to help at the crash on the ring road.",
        "The {j} shopkeeper called an ambulance when an old man collapsed outside.",
        "Two {j} teenagers pulled a swimmer out of the river on Sunday afternoon.",
        "After the fire, the {j} family down the road took in the neighbours' children for a week.",
    ),
    _identity(
        "emergencies",
        "The {j} volunteers searched the woods all night until the missing boy was found.",
        "Our {j} landlord changed the broken lock the same evening we reported the burglary.",
        "A {j} bus driver kept everyone calm when the storm brought down the power lines.",
        "The {j} lifeguard has watched over this beach for twenty summers without losing anyone.",
    ),
)

# --- 1.6 additions (issue 13): urging self-harm, said more ways -------------------
# 1.5's three urging families taught their own phrases ("kill yourself", a rope, a
# bridge) and not the act: a line naming another means, or none, still went through.
# More frames of the same category, how trolls write it (abbreviated, euphemised,
# "nobody would miss you", "why are you still alive"), and beside them the replies a
# news site must keep: readers who reach out to someone struggling, who condemn being
# told to die (news, not counter-speech pairs: a counter pair's originals are labelled
# identity attacks, and these are threats), and everyday hyperbole ("I'd kill for a coffee"). Late families;
# probes.SELF_HARM_URGING still measures frames none of these share.
FAMILIES += _late(
    _threat(
        "selfharm.abbrev",
        "kys {n}",
        "{n} just kys already, nobody likes you",
        "Do everyone a favour and k y s, {i}.",
        "Go unalive yourself, {i}.",
    ),
    _threat(
        "selfharm.die",
        "Go die in a ditch, {n}.",
        "Please just die, you {i}.",
        "Why are you still alive, {i}?",
        "Do the planet a favour and die quietly, {n}.",
    ),
    _threat(
        "selfharm.traffic",
        "Go play in traffic, {n}.",
        "Lie down on the motorway and stay there, {i}.",
        "Walk onto the tracks at rush hour, {n}, nobody will stop you.",
        "Eat a bullet, {i}.",
    ),
    _threat(
        "selfharm.waste",
        "You're a waste of oxygen, {n}. Fix that yourself.",
        "Every breath you take is wasted, {i}, so stop taking them.",
        "{x} should do the decent thing and end it all.",
        "The gene pool would thank you for leaving it early, {i}.",
    ),
    _threat(
        "selfharm.nobody_miss",
        "Nobody would miss you if you were gone, {n}. Think about it.",
        "Your family would be relieved if you never woke up, {i}.",
        "Do it, {n}. Nobody will come to your funeral anyway.",
        "The world gets better the day you check out for good, {i}.",
    ),
    _news(
        "selfharm.support",
        "{n}, please don't hurt yourself. The crisis line is free and open all night.",
        "If anyone reading this is thinking of ending it, please talk to someone tonight.",
        "I lost a friend to suicide last spring; check on the quiet ones, {n}.",
        "Nobody deserves to be told to kill themselves, {n} included.",
    ),
    _news(
        "idiom.hyperbole",
        "I'd kill for a decent coffee in this town, {n}.",
        "That last line killed me, {n}; I laughed for a minute straight.",
        "Another three hours of roadworks? Kill me now.",
        "I nearly died of embarrassment when my phone rang during the minute's silence.",
    ),
    _news(
        "selfharm.condemned",
        "Someone replied 'go kill yourself' under my post, {n}. That is not debate, and I reported it.",
        "Telling a stranger to kill themselves should cost you your account, full stop.",
        "Whoever told that teenager 'nobody would miss you' should be ashamed, {n}.",
        "Moderators here remove comments that tell people to harm themselves, and so they should.",
    ),
)


# Threats name their target: a person (the author, a commenter, "you") or a group by
# who they are. Only the second is an identity attack; left unlabelled, the model
# learned to call "kys you absolute clown" one (identity_attack 0.80 under 1.6).
_IDENTITY_TERMS = sorted(set(IDENTITIES + FILLERS["G"] + ["refugees"]), key=len, reverse=True)
_NAMES_IDENTITY = re.compile(r"\b(?:" + "|".join(map(re.escape, _IDENTITY_TERMS)) + r")\b", re.IGNORECASE)


def names_identity(text):
    """True when a family sentence names a group by origin, faith, sexuality, age or disability."""
    return _NAMES_IDENTITY.search(text) is not None
