"""The bundled model, scored for real: ordinary comments pass, abuse does not."""

import threading

import pytest

from moderation import LABELS
from moderation.policy import Settings, decide

# Ordinary comments of the kind a news site gets, several naming identities.
ORDINARY = [
    "Thanks for the balanced article, I learned a lot about the Beijing talks.",
    "As a gay man and a Muslim, I appreciate this comment section.",
    "As a gay Muslim veteran, I think the reporting on the talks was fair.",
    "I'm a Black woman who grew up in this neighbourhood and I welcome the new library.",
    "My Jewish grandmother would have loved this story about the old synagogue choir.",
    "As a transgender teacher, I'm glad the school board is listening to parents.",
    "Speaking as an elderly Christian farmer, the drought coverage was spot on.",
    "I disagree with the author about tariffs, but the numbers were well explained.",
    "Could the paper publish the full transcript of the press conference?",
    "The Mexican restaurant on Fifth Street deserves its award, congratulations to them.",
    "I am deaf and the captions on your videos make a real difference, thank you.",
    "Great photos of the marathon. My daughter ran it for the first time this year.",
]

# (comment, the attribute that fits it) — plainly abusive lines.
ABUSIVE = [
    ("You are a complete idiot and everyone here knows it.", "insult"),
    ("Shut up, you pathetic moron.", "insult"),
    ("What a stupid, worthless piece of garbage you are.", "insult"),
    ("Only a brainless loser would write something this dumb.", "insult"),
    ("I am going to kill you.", "threat"),
    ("I'm going to beat you until you can't stand up.", "threat"),
    ("Those immigrants are vermin, not people, and should be exterminated.", "identity_attack"),
    ("Gay people are disgusting animals.", "identity_attack"),
    ("Fuck you and your shitty article.", "obscene"),
    ("Go to hell, you ugly stupid bitch.", "insult"),
]


# Abuse the model scores below the hold band today (0.67-0.80 on the best attribute):
# indirect threats and half-censored profanity; see MODEL_CARD.md "Known limits".
KNOWN_WEAK = [
    ("I will find where you live and hurt you.", "threat"),
    ("Keep talking and I'll put a bullet in your head.", "threat"),
    ("This author is a f***ing disgrace, what a pile of shit.", "obscene"),
]


def test_ordinary_comments_score_low(scorer):
    scores = scorer.score(ORDINARY)
    high = {text: round(s["toxicity"], 3) for text, s in zip(ORDINARY, scores) if s["toxicity"] >= 0.2}
    assert not high


@pytest.mark.parametrize("text,attribute", ABUSIVE)
def test_abusive_comments_score_high(scorer, text, attribute):
    scores = scorer.score([text])[0]
    assert max(scores["toxicity"], scores[attribute]) > 0.8, scores


@pytest.mark.parametrize("text,attribute", KNOWN_WEAK)
def test_known_weak_spots(scorer, text, attribute):
    # Not scored as high as the abuse above, but never published unseen: the default policy
    # still sends each one to a moderator. A model that lets one through fails here.
    scores = scorer.score([text])[0]
    assert max(scores["toxicity"], scores[attribute]) > 0.6, scores
    assert decide(scores, text, Settings()).outcome != "publish", scores


def test_shapes_and_ranges(scorer):
    texts = ["", "ok", "A longer comment about the city budget. " * 40]
    scores = scorer.score(texts)
    assert len(scores) == len(texts)
    for row in scores:
        assert set(row) == set(LABELS)
        assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in row.values())
    assert scorer.score([]) == []


# How far batch-mates may move a comment's scores. In float32, not at all (to 1e-4). With
# bfloat16 products the rounding is the bound: on CPUs with AMX, oneDNN picks its kernel, and
# with it the order of the sums, by how many rows a product has, so a comment alone and the
# same comment in a batch of 26 differ by up to 0.0009 (a Xeon with AMX); the bound is
# test_fast.py's BF16_BOUND for bfloat16 against float32.
BATCH_BOUND = {"float32": 1e-4, "bfloat16": 0.01}


@pytest.fixture(scope="module")
def float32_scorer(scorer):
    from moderation.scorer import Scorer

    return scorer if scorer.precision == "float32" else Scorer(precision="float32")


@pytest.mark.parametrize("exact", [True, False], ids=["float32", "as-shipped"])
def test_batched_equals_one_by_one(scorer, float32_scorer, exact):
    scorer = float32_scorer if exact else scorer
    texts = ORDINARY + [text for text, _ in ABUSIVE]
    batched = scorer.score(texts)
    for text, row in zip(texts, batched):
        single = scorer.score([text])[0]
        assert all(abs(row[k] - single[k]) < BATCH_BOUND[scorer.precision] for k in LABELS), text


def test_concurrent_calls_agree_with_serial(scorer):
    texts = ORDINARY + [text for text, _ in ABUSIVE]
    serial = scorer.score(texts)
    results, errors = [None] * 8, []

    def work(slot):
        try:
            results[slot] = scorer.score(texts)
        except Exception as exc:  # surfaced below; a thread's raise is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for result in results:
        for a, b in zip(result, serial):
            assert all(abs(a[k] - b[k]) < 1e-4 for k in LABELS)


def test_name_version_and_shared_instance(scorer):
    from moderation import get_scorer

    assert scorer.name == "parley-minilm-v1"
    assert scorer.version
    assert get_scorer() is scorer
