"""The policy, exhaustively: it is pure, so no database and no model are needed."""

from hypothesis import assume, given
from hypothesis import strategies as st

from moderation.policy import (
    ATTRIBUTES,
    DEFAULT_HOLD,
    DEFAULT_REVIEW,
    Article,
    Author,
    Settings,
    decide,
    should_premoderate,
)

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
scores_st = st.fixed_dictionaries({a: unit for a in ATTRIBUTES})
authors = st.builds(Author, trusted=st.booleans(), premoderated=st.booleans())
articles = st.builds(Article, premoderated=st.booleans())
CLEAN = {a: 0.01 for a in ATTRIBUTES}


@st.composite
def bands(draw):
    """Review and hold thresholds with review <= hold for every attribute."""
    review, hold = {}, {}
    for attribute in ATTRIBUTES:
        low, high = sorted((draw(unit), draw(unit)))
        review[attribute], hold[attribute] = low, high
    return review, hold


def test_defaults_make_a_valid_policy():
    assert Settings().review == DEFAULT_REVIEW and Settings().hold == DEFAULT_HOLD


@given(bands(), scores_st, authors, articles)
def test_outcome_follows_the_bands(band, scores, author, article):
    review, hold = band
    decision = decide(scores, "an ordinary comment", Settings(review=review, hold=hold), author, article)
    over_hold = any(scores[a] >= hold[a] for a in ATTRIBUTES)
    over_review = any(scores[a] >= review[a] for a in ATTRIBUTES)
    if over_hold or author.premoderated or article.premoderated:
        assert decision.outcome == "hold"
    elif over_review and not author.trusted:
        assert decision.outcome == "review"
    else:
        assert decision.outcome == "publish"
    assert decision.reason


@given(bands(), scores_st, articles)
def test_trust_never_skips_the_hold_band(band, scores, article):
    review, hold = band
    settings = Settings(review=review, hold=hold)
    trusted = decide(scores, "text", settings, Author(trusted=True), article)
    plain = decide(scores, "text", settings, Author(trusted=False), article)
    if plain.outcome == "hold":
        assert trusted.outcome == "hold"
    if plain.outcome == "review":
        assert trusted.outcome == "publish"


@given(bands(), scores_st, st.floats(min_value=0.0, max_value=0.2))
def test_raising_a_score_never_softens_the_outcome(band, scores, bump):
    review, hold = band
    settings = Settings(review=review, hold=hold)
    rank = {"publish": 0, "review": 1, "hold": 2, "reject": 3}
    for attribute in ATTRIBUTES:
        higher = {**scores, attribute: min(1.0, scores[attribute] + bump)}
        assert rank[decide(higher, "t", settings).outcome] >= rank[decide(scores, "t", settings).outcome]


def test_reasons_read_like_a_person_wrote_them():
    decision = decide({**CLEAN, "toxicity": 0.91}, "t", Settings())
    assert decision.outcome == "hold" and decision.reason == "toxicity 0.91 ≥ hold 0.80"
    review = decide({**CLEAN, "insult": 0.7}, "t", Settings())
    assert review.outcome == "review" and review.reason == "insult 0.70 ≥ review 0.60"
    assert decide(CLEAN, "t", Settings(), Author(premoderated=True)).reason == "author on pre-moderation"
    assert decide(CLEAN, "t", Settings(), article=Article(premoderated=True)).reason == "article is pre-moderated"


def test_banned_word_holds_and_suspect_word_reviews():
    settings = Settings(banned_words=("idiot",), suspect_words=("scam",))
    banned = decide(CLEAN, "You absolute 1d10t.", settings)
    assert banned.outcome == "hold" and banned.reason == "banned word 'idiot'" and banned.words[0][1] == (13, 18)
    suspect = decide(CLEAN, "Sounds like a sc@m to me", settings)
    assert suspect.outcome == "review" and suspect.reason == "suspect word 'scam'"
    assert (
        decide(
            CLEAN, "a suspect word does not outrank a trusted author? it does: scam", settings, Author(trusted=True)
        ).outcome
        == "review"
    )


def test_auto_reject_is_off_by_default_and_acts_above_its_threshold():
    extreme = {**CLEAN, "threat": 0.99}
    assert decide(extreme, "t", Settings()).outcome == "hold"
    decision = decide(extreme, "t", Settings(auto_reject=True, reject_threshold=0.95))
    assert decision.outcome == "reject" and decision.reason == "threat 0.99 ≥ auto-reject 0.95"


# Bad settings and their exact messages: tests/moderation/test_policy_properties.py.


@given(st.lists(st.sampled_from(["rejected", "published"]), max_size=30), st.integers(1, 20), st.integers(1, 10), unit)
def test_premoderation_rate_rule(outcomes, window, minimum, rate):
    settings = Settings(rate_window=window, rate_min_decided=minimum, premoderation_rate=rate)
    recent = outcomes[:window]
    expected = len(recent) >= minimum and recent.count("rejected") / len(recent) > rate
    assert should_premoderate(outcomes, settings) == expected


def test_premoderation_lifts_when_the_rate_falls():
    settings = Settings(rate_window=4, rate_min_decided=4, premoderation_rate=0.5)
    history = ["rejected", "rejected", "rejected", "published"]
    assert should_premoderate(history, settings)
    # Newest first: two approvals push two rejections out of the window.
    assert not should_premoderate(["published", "published"] + history, settings)


@given(st.text(min_size=1, max_size=40))
def test_no_words_means_no_word_rule(text):
    assume(text.strip())
    assert decide(CLEAN, text, Settings()).rule == "clean"


# --- the language rule -------------------------------------------------------------------
import pytest  # noqa: E402

from moderation.language import UNSURE, Detected  # noqa: E402
from moderation.policy import PolicyError  # noqa: E402

GERMAN = Detected("de", 0.99, "German")


def test_a_comment_the_model_cannot_read_is_never_clean():
    decision = decide(CLEAN, "Vielen Dank für den Artikel", Settings(), language=GERMAN)
    assert (decision.outcome, decision.rule) == ("review", "language")
    assert decision.reason == "written in German; the model reads English"


@pytest.mark.parametrize("action", ["review", "hold"])
def test_the_site_chooses_review_or_hold(action):
    decision = decide(CLEAN, "Danke", Settings(language_action=action), language=GERMAN)
    assert (decision.outcome, decision.rule) == (action, "language")


def test_publish_goes_on_through_the_review_rules_and_is_not_clean():
    settings = Settings(language_action="publish", suspect_words=("dummkopf",))
    assert decide(CLEAN, "Danke", settings, language=GERMAN).rule == "language"
    assert decide(CLEAN, "Danke", settings, language=GERMAN).outcome == "publish"
    assert decide(CLEAN, "so ein Dummkopf", settings, language=GERMAN).rule == "suspect_word"


def test_hold_rules_come_first():
    held = decide(CLEAN, "du idiot", Settings(banned_words=("idiot",)), language=GERMAN)
    assert held.rule == "banned_word"
    scores = {**CLEAN, "insult": 0.99}
    assert decide(scores, "Danke", Settings(), language=GERMAN).rule == "hold_band"
    assert decide(CLEAN, "Danke", Settings(), Author(premoderated=True), language=GERMAN).rule == "author_premoderated"


@pytest.mark.parametrize("language", [None, Detected("en", 0.99, "English"), Detected(UNSURE, 0.3, "")])
def test_english_or_unsure_goes_through_the_model_as_before(language):
    assert decide(CLEAN, "Thanks", Settings(), language=language).rule == "clean"


def test_language_action_must_be_a_known_choice():
    with pytest.raises(PolicyError, match="language_action"):
        Settings(language_action="delete")
