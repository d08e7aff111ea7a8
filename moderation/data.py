"""Reading the shared datasets and mapping their labels onto the six attributes.

Each dataset says something different about a comment, so every training
example carries a *mask*: 1 where the source actually labels that attribute,
0 where it is silent (that attribute's loss is then left out). Targets are the
share of raters who said yes, so disagreement among raters stays visible.

The data is read from ``--data`` (``../shared/datasets``) at run time; nothing
from it is copied into the repository.
"""

import csv
import hashlib
import html
import json
import random
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .labels import LABELS

IDX = {name: i for i, name in enumerate(LABELS)}

# Files that are for measuring only: training never reads them.
EVAL_FILES = ("wiki_toxicity_test.csv", "bias_madlibs_77k.csv")


@dataclass
class Example:
    text: str
    target: list  # six floats in [0, 1]
    mask: list  # six 0/1 floats: 1 where the source labels the attribute
    source: str
    weight: float = 1.0
    spans: list = field(default=None)  # [start, end) char ranges, civil only
    as_typed: bool = False  # skip the normaliser (a disguise it fully undoes, see model_view)


def _rows(data_dir, name):
    with open(Path(data_dir) / name, newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _example(text, source, labels, weight=1.0, spans=None):
    """Build an Example from {attribute: value}; attributes not named stay masked."""
    target = [0.0] * len(LABELS)
    mask = [0.0] * len(LABELS)
    for name, value in labels.items():
        target[IDX[name]] = min(max(float(value), 0.0), 1.0)
        mask[IDX[name]] = 1.0
    return Example(text, target, mask, source, weight, spans)


def all_clear():
    """Labels for a comment its raters found fine: nothing in it is toxic."""
    return {name: 0.0 for name in LABELS}


# --- civil_comments_spans: split into train / validation / test ------------


def civil_split(comment_id):
    """Stable split by hashing the id, so it never depends on row order or seed.

    About 12% is the test part (span F1 in evaluate), 6% validation (choosing
    explain's threshold); training sees neither.
    """
    bucket = int(hashlib.sha1(comment_id.encode()).hexdigest(), 16) % 100
    if bucket < 12:
        return "test"
    if bucket < 18:
        return "validation"
    return "train"


def civil_posts(data_dir, part):
    """(text, spans) for one part of civil_comments_spans.csv."""
    posts = []
    for row in _rows(data_dir, "civil_comments_spans.csv"):
        if civil_split(row["comment_id"]) == part:
            posts.append((row["text"], [tuple(s) for s in json.loads(row["toxic_spans"])]))
    return posts


def civil_examples(data_dir):
    """Civil Comments posts (all once judged toxic) with their re-annotation.

    toxicity: share of raters who did not take the toxic verdict back.
    insult / threat / identity_attack / obscene: share of raters who marked a
    span of that type. severe_toxicity: not labelled here, masked.
    """
    out = []
    for row in _rows(data_dir, "civil_comments_spans.csv"):
        if civil_split(row["comment_id"]) != "train":
            continue
        raters = max(int(row["raters"]), 1)
        labels = {"toxicity": 1.0 - int(row["not_toxic"]) / raters}
        for name in ("insult", "threat", "identity_attack", "obscene"):
            labels[name] = int(row[name]) / raters
        spans = [tuple(s) for s in json.loads(row["toxic_spans"])]
        out.append(_example(row["text"], "civil", labels, spans=spans))
    return out


# --- davidson_tweets ------------------------------------------------------

_MENTION = re.compile(r"@\w+")
_RETWEET = re.compile(r"^\s*(RT\s+)+|\bRT\b")
_URL = re.compile(r"https?://\S+")


def clean_tweet(text):
    """Strip Twitter furniture (RT, @handles, links, HTML entities).

    Left in, the model would learn "@handle" as a toxicity cue because the
    tweets are mostly offensive and no other source has handles.
    """
    text = html.unescape(text)
    text = _URL.sub("", _MENTION.sub("", _RETWEET.sub("", text)))
    return re.sub(r"\s+", " ", text).strip(" :!") or text


def davidson_examples(data_dir, rng, offensive_keep=5000):
    """Davidson et al.: hate speech / offensive / neither, by rater votes.

    toxicity: share voting hate or offensive. identity_attack and (as a proxy)
    severe_toxicity: share voting hate speech, which Davidson defines as
    attacking a group. Unanimously "neither" tweets are clear on every
    attribute; otherwise obscene/insult/threat are masked (the scheme does not
    separate them). The offensive class (77% of rows, mostly casual profanity)
    is subsampled so it does not dominate.
    """
    rows = list(_rows(data_dir, "davidson_tweets.csv"))
    offensive = [r for r in rows if r["class"] == "1"]
    keep = set(id(r) for r in rng.sample(offensive, min(offensive_keep, len(offensive))))
    out = []
    for row in rows:
        if row["class"] == "1" and id(row) not in keep:
            continue
        count = max(int(row["count"]), 1)
        hate, offensive_votes = int(row["hate_speech"]), int(row["offensive_language"])
        labels = all_clear() if int(row["neither"]) == count else {}
        labels["toxicity"] = (hate + offensive_votes) / count
        labels["identity_attack"] = hate / count
        labels["severe_toxicity"] = hate / count
        out.append(_example(clean_tweet(row["tweet"]), "davidson", labels))
    return out


# --- wiki_talk_comments ---------------------------------------------------


def wiki_talk_examples(data_dir, rng, benign_keep=20000, hold_out=True):
    """Ordinary Wikipedia talk comments, about 1% toxic: the benign mass.

    A comment its annotators found not toxic is clear on every attribute; a
    toxic one tells us only about toxicity. All toxic rows are kept and a
    seeded sample of the benign ones (enough to set the base rate; the rest
    would mostly cost CPU time). The Perspective column is used only by
    ``perspective_blend`` (train.py --perspective).
    hold_out=False also trains on the benign comments wiki_talk_split keeps
    for evaluation (as v1.0 did).
    """
    rows = [r for r in _rows(data_dir, "wiki_talk_comments.csv") if not hold_out or wiki_talk_split(r) == "train"]
    benign = [r for r in rows if r["toxic"] != "1"]
    keep = {id(r) for r in rng.sample(benign, min(benign_keep, len(benign)))}
    out = []
    for row in rows:
        toxic = row["toxic"] == "1"
        if toxic or id(row) in keep:
            labels = {"toxicity": 1.0} if toxic else all_clear()
            out.append(_example(row["text"], "wiki_talk", labels))
    return out


def perspective_blend(examples, data_dir, share):
    """Wiki talk toxicity targets moved `share` of the way to the Perspective score
    published with each comment.

    The raters' majority is 0 or 1, and 210 of the 20,000 comments are 1: it says
    nothing about which of the benign ones are curt, rude or borderline. Perspective's
    score grades them (it was trained on other Wikipedia talk comments), so blended in,
    the model learns an ordering inside the benign mass rather than one flat 0. Only
    the toxicity attribute changes; the raters' label keeps the rest of the weight.
    """
    if share <= 0:
        return examples
    scores = {r["text"]: float(r["perspective"]) for r in _rows(data_dir, "wiki_talk_comments.csv") if r["perspective"]}
    at = IDX["toxicity"]
    out = []
    for ex in examples:
        if ex.source == "wiki_talk" and ex.text in scores:
            target = list(ex.target)
            target[at] = (1 - share) * target[at] + share * scores[ex.text]
            ex = replace(ex, target=target)
        out.append(ex)
    return out


def wiki_talk_split(row):
    """'eval' for a stable 5% of the benign comments (the benign-flagged share), else 'train'.

    Toxic rows (about 1%) all stay in training: they are too few to spare.
    """
    bucket = int(hashlib.sha1(row["id"].encode()).hexdigest(), 16) % 100
    return "eval" if row["toxic"] != "1" and bucket < 5 else "train"


def wiki_talk_benign_held_out(data_dir):
    """Benign wiki talk comments training never sees."""
    return [r["text"] for r in _rows(data_dir, "wiki_talk_comments.csv") if wiki_talk_split(r) == "eval"]


def wiki_parent_examples(data_dir):
    """The parent comments quoted in wiki_talk_comments.csv: unlabelled talk text.

    Nobody rated these, so every attribute is masked; they are used only with
    a teacher model (train.py --teacher), whose scores become soft targets.
    Parents that are also rated comments are left to their own labels.
    """
    rows = list(_rows(data_dir, "wiki_talk_comments.csv"))
    rated = {r["text"].strip().lower() for r in rows}
    seen, out = set(), []
    for row in rows:
        text = row["parent"].strip()
        key = text.lower()
        if text and key not in rated and key not in seen:
            seen.add(key)
            out.append(_example(text, "wiki_parent", {}))
    return out


# --- toxigen_statements: implicit hate vs talk about prejudice ------------


def toxigen_split(text):
    """'eval' for a stable 20% of the statements (by text hash), else 'train'."""
    bucket = int(hashlib.sha1(text.encode()).hexdigest(), 16) % 100
    return "eval" if bucket < 20 else "train"


def toxigen_rows(data_dir, part):
    """(text, is_hate) for one part of toxigen_statements.csv."""
    return [
        (r["text"], r["label"] == "hate")
        for r in _rows(data_dir, "toxigen_statements.csv")
        if toxigen_split(r["text"]) == part
    ]


def toxigen_examples(data_dir):
    """Implicit hate (no slur, no swear) is toxic and an identity attack; neutral
    statements, many of them about prejudice itself, are clear."""
    out = []
    for text, hate in toxigen_rows(data_dir, "train"):
        labels = {"toxicity": 1.0, "identity_attack": 1.0, "threat": 0.0, "obscene": 0.0} if hate else all_clear()
        out.append(_example(text, "toxigen", labels))
    return out


# --- our own families of paraphrases (families.py) ------------------------

# What each kind's toxic originals are; attributes not named stay masked (a threat's
# identity_attack is set per sentence, by family_labels).
FAMILY_LABELS = {
    "threat": {"toxicity": 1.0, "threat": 1.0, "insult": 0.0, "obscene": 0.0},
    "counter": {"toxicity": 1.0, "identity_attack": 1.0, "threat": 0.0, "obscene": 0.0},
    "negation": {"toxicity": 1.0, "insult": 1.0, "threat": 0.0, "obscene": 0.0},
    "reporting": {"toxicity": 1.0, "threat": 0.0, "obscene": 0.0},
}


def family_examples(per_frame=20):
    """The training families: threats, violence news, counter-speech pairs."""
    from .families import family_sentences

    out = []
    for family, pairs in family_sentences("train", per_frame=per_frame).items():
        for text, toxic in pairs:
            out.append(_example(text, "families", family_labels(family.kind, text) if toxic else all_clear()))
    return out


def family_labels(kind, text):
    """A toxic family sentence's labels; a threat is an identity attack only when aimed at a group."""
    from .families import names_identity

    labels = dict(FAMILY_LABELS[kind])
    if kind == "threat":
        labels["identity_attack"] = 1.0 if names_identity(text) else 0.0
    return labels


# --- spelling disguises (obfuscate.py) ------------------------------------

_WORD = re.compile(r"[A-Za-z]{3,}")
_COMMON = {
    "the",
    "and",
    "you",
    "are",
    "for",
    "that",
    "this",
    "with",
    "your",
    "they",
    "them",
    "what",
    "have",
    "from",
    "just",
    "like",
    "than",
    "who",
    "not",
    "all",
    "was",
    "his",
    "her",
    "she",
    "him",
    "its",
    "our",
    "out",
    "get",
    "can",
    "about",
    "their",
    "there",
    "will",
    "been",
}
_SWEARS = {"shit", "fuck", "bullshit", "ass", "crap", "damn", "hell", "bitch", "bastard"}


def disguised_examples(examples, rng, count):
    """`count` copies of toxic examples with their abusive words disguised.

    Civil posts: the words inside the marked spans (spans moved to match).
    Our own abusive sentences: the insult, cruel and swear words.
    """
    from .augment import CRUEL_WORDS, INSULT_NOUNS, SWEARS
    from .obfuscate import disguise_words, move_spans

    own_words = {w.split()[0] for w in CRUEL_WORDS + INSULT_NOUNS + SWEARS} | _SWEARS
    pool = [e for e in examples if e.target[IDX["toxicity"]] >= 0.5 and e.source in ("civil", "augment")]
    out = []
    for ex in rng.sample(pool, min(count, len(pool))):
        if ex.spans:
            words = {m.group(0).lower() for a, b in ex.spans for m in _WORD.finditer(ex.text[a:b])}
            words -= _COMMON  # a span's "the" would be disguised all over the post
        else:
            words = {w for w in own_words if re.search(rf"\b{w}\b", ex.text, re.IGNORECASE)}
        if not words:
            continue
        text, moved = disguise_words(ex.text, words, rng)
        spans = move_spans(ex.spans, moved) if ex.spans is not None else None
        out.append(
            Example(
                text, list(ex.target), list(ex.mask), ex.source, ex.weight, spans, _undone_by_normaliser(text, ex.text)
            )
        )
    return out


def _undone_by_normaliser(disguised, original):
    """Whether the model would see the original anyway (then train on the disguise as typed)."""
    for_model = _for_model()
    return for_model is not None and for_model(disguised).text == for_model(original).text


# --- toxic lines inside long benign text (the position test's shape) --------


def embedded_examples(examples, rng, count, chars=400):
    """`count` short toxic examples set at the start, middle or end of benign wiki talk text.

    Scored in windows, an insult shares its window with up to 250 tokens of
    ordinary text; trained only on short toxic posts, the model lets that text
    dilute the score. Each copy keeps its toxic line's labels (and its marked
    spans, moved along) and stays under `chars` characters: 400 fit the 128
    training tokens whole (v1.2); about 1,000 fill a whole 256-token scoring
    window, as a long comment's window is (train.py --embedded-chars, encoded at
    256 tokens with --source-length embedded=256). Only training text is used (the wiki talk
    comments evaluation holds out are not in `examples`).
    """
    toxic = [
        e
        for e in examples
        if e.target[IDX["toxicity"]] >= 0.5 and e.source in ("civil", "augment", "families") and len(e.text) <= 200
    ]
    benign = _benign_pool(examples)
    out = []
    for ex in rng.sample(toxic, min(count, len(toxic))):
        room = chars - len(ex.text) - 2
        before_share = rng.choice((0.0, 0.5, 1.0, rng.random()))
        pad = _benign_words(_benign_text(benign, rng, room), rng, room)
        cut = _word_cut(pad, round(len(pad) * before_share))
        before, after = pad[:cut].strip(), pad[cut:].strip()
        text = " ".join(part for part in (before, ex.text, after) if part)
        shift = len(before) + 1 if before else 0
        spans = None if ex.spans is None else [(a + shift, b + shift) for a, b in ex.spans]
        out.append(Example(text, list(ex.target), list(ex.mask), "embedded", ex.weight, spans))
    return out


MID_BENIGN_FROM = 400  # characters: where the mid-length benign texts start


def long_benign_examples(examples, rng, count, chars=1100, min_chars=None):
    """`count` long benign examples: wiki talk comments joined to about `chars` characters
    (or to a length drawn between `min_chars` and `chars`), half of them with a benign
    line of the families (violence news, counter-speech, negation, reporting) set inside.

    The wiki talk training comments are short (16 of 20,000 pass 128 tokens) while
    real long comments are common; with only ``embedded_examples`` the model would
    see long text almost only with an insult in it, and learn that length is toxic.
    These are the other side of the contrast: long text, even with talk of violence
    or a quoted slur condemned, is clean. Between 500 and 1,000 characters the only
    other training text is Civil Comments posts, every one once rated toxic (mean
    toxicity 0.6): `min_chars` spreads benign texts over that range too (train.py
    --mid-benign adds them beside the full-length ones, never in their place).
    """
    benign = _benign_pool(examples)
    lines = [e for e in examples if e.source == "families" and e.target[IDX["toxicity"]] == 0.0]
    out = []
    for n in range(count):
        line = rng.choice(lines).text if lines and n % 2 else ""
        room = rng.randint(min_chars, chars) if min_chars else chars  # no draw by default: same data
        pad = _benign_words(_benign_text(benign, rng, room), rng, room - len(line) - 2)
        cut = _word_cut(pad, round(len(pad) * rng.random()))
        text = " ".join(part for part in (pad[:cut].strip(), line, pad[cut:].strip()) if part)
        out.append(_example(text, "embedded", all_clear()))
    return out


def _benign_pool(examples):
    """The benign wiki talk training comments that pad embedded and long benign examples."""
    return [
        e.text.strip()
        for e in examples
        if e.source == "wiki_talk" and e.target[IDX["toxicity"]] == 0.0 and 40 <= len(e.text) <= 2000
    ]


def _benign_text(benign, rng, room):
    """One benign comment, or several joined as paragraphs until there is `room` characters of text."""
    text = rng.choice(benign)
    while len(text) < room:
        text += "\n\n" + rng.choice(benign)
    return text


def _benign_words(text, rng, room):
    """About `room` characters of benign text, cut at word boundaries, from a random start."""
    if len(text) <= room:
        return text
    start = _word_cut(text, rng.randrange(0, len(text) - room))
    return text[start : _word_cut(text, start + room, back=True)]


def _word_cut(text, at, back=False):
    """`at` moved to a word boundary (forward, or back so the piece never grows past `at`)."""
    if at <= 0 or at >= len(text):
        return max(0, min(at, len(text)))
    if back:
        space = text.rfind(" ", 0, at)
        return space if space > 0 else at
    space = text.find(" ", at)
    return space if space != -1 else len(text)


# --- what the model reads: the normaliser's view (normalize.py) ------------


def _for_model():
    try:
        from .normalize import for_model
    except ImportError:  # trained before the normaliser existed: raw text
        return None
    return for_model


def model_view(examples):
    """Every example as the scorer will present it to the model (train = inference).

    A disguised copy that the normaliser fully undoes would only repeat its
    original, so it is kept as typed (``as_typed``): the model then also
    learns the raw disguise, for callers that score without the normaliser.
    """
    for_model = _for_model()
    if for_model is None:
        return examples
    out = []
    for ex in examples:
        norm = for_model(ex.text)
        if ex.as_typed or norm.text == ex.text:
            out.append(ex)
            continue
        spans = None if ex.spans is None else _spans_after(norm, ex.spans)
        out.append(Example(norm.text, ex.target, ex.mask, ex.source, ex.weight, spans))
    return out


def _spans_after(norm, spans):
    """Marked character spans carried onto the normalised text (via its offsets)."""
    marked = [any(s < b and e > a for a, b in spans) for s, e in zip(norm.starts, norm.ends)]
    out, start = [], None
    for j, hit in enumerate(marked + [False]):
        if hit and start is None:
            start = j
        elif not hit and start is not None:
            out.append((start, j))
            start = None
    return out


# --- evaluation files (never used for training) -------------------------


def wiki_test(data_dir):
    """(texts, labels) from wiki_toxicity_test.csv."""
    rows = list(_rows(data_dir, "wiki_toxicity_test.csv"))
    return [r["comment"] for r in rows], [int(r["toxic"] == "True") for r in rows]


def madlibs(data_dir):
    """(texts, labels) from bias_madlibs_77k.csv."""
    rows = list(_rows(data_dir, "bias_madlibs_77k.csv"))
    return [r["Text"] for r in rows], [int(r["Label"] == "BAD") for r in rows]


def eval_texts(data_dir, robust=True):
    """Every text of the evaluation files, to keep them out of training.

    robust=False: only v1.0's evaluation files (its data predates the rest).
    """
    from .families import family_sentences
    from .probes import FRIENDLY, INSULTS, SELF_HARM_URGING, SUICIDE_NEWS

    texts = set(wiki_test(data_dir)[0]) | set(madlibs(data_dir)[0])
    for part in ("validation", "test"):
        texts |= {text for text, _ in civil_posts(data_dir, part)}
    if not robust:
        return {t.strip().lower() for t in texts}
    texts |= set(INSULTS) | set(SELF_HARM_URGING) | set(SUICIDE_NEWS) | set(FRIENDLY)
    texts |= set(wiki_talk_benign_held_out(data_dir))
    texts |= {text for text, _ in toxigen_rows(data_dir, "eval")}
    texts |= {text for pairs in family_sentences("eval").values() for text, _ in pairs}
    return {t.strip().lower() for t in texts}


def training_examples(
    data_dir,
    seed=13,
    limit=None,
    unlabelled=False,
    taunts=0,
    robust=False,
    disguises=3000,
    replay=1.0,
    wiki_replay=1.0,
    embedded=0,
    embedded_chars=400,
    long_benign=0,
    mid_benign=0,
    perspective=0.0,
):
    """All training examples: the sources plus our own augmentation.

    unlabelled=True adds the wiki parent comments (for distillation).
    robust=False is the bundled model's (v1.0) data, drawn in the same order.
    robust=True (train.py --robust-data, tried for v1.1) holds 5% of the
    benign wiki talk comments out, adds toxigen, the families of threats /
    news / counter-speech and `disguises` spelling-disguised copies of toxic
    examples, and passes every text through the normaliser (normalize.py).
    replay < 1 keeps that seeded share of the civil, davidson and templated
    examples, wiki_replay that share of the wiki talk ones (for continuing a
    trained model: train.py --init); the new data is always kept whole.
    embedded > 0 (with robust) adds that many toxic lines set inside benign
    wiki talk text (``embedded_examples``), long_benign that many long benign
    texts (``long_benign_examples``), both up to embedded_chars characters; mid_benign
    that many more long benign texts of MID_BENIGN_FROM characters and up.
    perspective > 0 blends Perspective's score into the wiki talk toxicity targets
    (``perspective_blend``), after the padding for those examples was drawn from
    the benign comments.
    """
    from .augment import identity_examples

    rng = random.Random(seed)
    civil, davidson = civil_examples(data_dir), davidson_examples(data_dir, rng)
    wiki = wiki_talk_examples(data_dir, rng, hold_out=robust)
    replayed = civil + davidson + identity_examples(rng, taunts=taunts)
    if replay < 1.0:
        replayed = rng.sample(replayed, round(len(replayed) * replay))
    if wiki_replay < 1.0:
        wiki = rng.sample(wiki, round(len(wiki) * wiki_replay))
    examples = replayed + wiki + (wiki_parent_examples(data_dir) if unlabelled else [])
    if robust:
        examples += toxigen_examples(data_dir) + family_examples()
        examples += disguised_examples(examples, rng, disguises)
        if embedded:
            examples += embedded_examples(examples, rng, embedded, embedded_chars)
        if long_benign:
            examples += long_benign_examples(examples, rng, long_benign, embedded_chars)
        if mid_benign:
            # More, never instead: 1.7b drew its long benign texts from 400 characters up, left
            # 1,205 benign beside 1,499 toxic at a full window, and learned that a full window
            # is toxic (a benign 4,000-character comment scored 0.60; 1.6: 0.09).
            examples += long_benign_examples(examples, rng, mid_benign, embedded_chars, MID_BENIGN_FROM)
    examples = perspective_blend(examples, data_dir, perspective)
    held_out = eval_texts(data_dir, robust)
    examples = [e for e in examples if e.text.strip().lower() not in held_out]
    if robust:
        examples = model_view(examples)
    rng.shuffle(examples)
    return examples[:limit] if limit else examples
