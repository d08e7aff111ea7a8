"""The bundled model at the default policy on what issue 13 names: threats without a
weapon, news about violence, counter-speech and negation. Sentences written for these
tests; none is a training sentence (families.py frames are filled differently).

The bundled model (1.6) flags most such threats; the one it still publishes (as 1.4 did; 1.2
published two) is a strict expected failure (MODEL_CARD.md, "1.6"), so a model that catches it
fails here until the marker goes."""

import pytest

from moderation.policy import Settings, decide

KNOWN_LIMIT = pytest.mark.xfail(reason="1.6 still publishes this (MODEL_CARD.md, 1.6)", strict=True)

THREATS = [
    "If you print my name one more time, you will be very sorry.",
    "I know which school your kids go to, reporter.",
    "Hope someone runs you off the road on your way home tonight.",
    "Somebody should go and pay the councillor a visit at home.",
    pytest.param("Lovely family you have there. It would be a pity if something happened to them.", marks=KNOWN_LIMIT),
]

NEWS = [
    "The man who threatened the mayor was sentenced to eighteen months on Tuesday.",
    "Police said the attack near the station was not linked to terrorism.",
    "Two soldiers were killed when their convoy was shelled near the border.",
    "The court heard he had sent the reporter dozens of threatening messages.",
    "My thoughts are with the families of the people killed in the shooting.",
]

COUNTER = [
    'Someone wrote "immigrants are vermin" under this article. That is vile, and I reported it.',
    "You are not an idiot, you just got the numbers wrong this time.",
]


def outcome(scorer, text):
    return decide(scorer.score([text])[0], text, Settings()).outcome


@pytest.mark.parametrize("text", THREATS)
def test_threats_without_a_weapon_are_flagged(scorer, text):
    assert outcome(scorer, text) != "publish"


@pytest.mark.parametrize("text", NEWS)
def test_news_about_violence_is_published(scorer, text):
    assert outcome(scorer, text) == "publish"


@pytest.mark.parametrize("text", COUNTER)
def test_counter_speech_and_negation_are_published(scorer, text):
    assert outcome(scorer, text) == "publish"


def test_the_hateful_original_is_still_flagged(scorer):
    assert outcome(scorer, "Immigrants are vermin.") != "publish"
