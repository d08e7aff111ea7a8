"""The policy's rules, each reached on purpose: the rule is drawn first and the inputs are built
to reach it, with thresholds away from 0.0 (which would hold everything) and scores placed
relative to the bands. Then every rule in a table, and the boundaries spelled out."""

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from moderation.language import Detected
from moderation.policy import (
    ATTRIBUTES,
    Article,
    Author,
    PolicyError,
    Settings,
    clean_words,
    decide,
    merge_bands,
    policy_keys,
    settings_from,
    should_premoderate,
)

OUTCOME = {
    "auto_reject": "reject",
    "banned_word": "hold",
    "hold_band": "hold",
    "author_premoderated": "hold",
    "article_premoderated": "hold",
    "language": "review",  # the default language_action
    "suspect_word": "review",
    "review_band": "review",
    "trusted": "publish",
    "clean": "publish",
}
TEXT = {"banned_word": "you idiot", "suspect_word": "what a scam"}
WORDS = {"banned_words": ("idiot",), "suspect_words": ("scam",)}
CLEAN = {a: 0.01 for a in ATTRIBUTES}
GERMAN = Detected("de", 0.99, "German")  # a language the model does not read


@st.composite
def policies(draw):
    """Bands with 0.1 <= review < hold <= 0.9 and an auto-reject threshold above every hold."""
    review, hold = {}, {}
    for attribute in ATTRIBUTES:
        review[attribute] = draw(st.floats(0.1, 0.7))
        hold[attribute] = draw(st.floats(review[attribute] + 0.05, 0.9))
    reject = draw(st.floats(0.91, 0.99))
    return Settings(review=review, hold=hold, reject_threshold=reject, auto_reject=draw(st.booleans()), **WORDS)


def below(threshold):
    return st.floats(0.0, threshold, exclude_max=True)


@st.composite
def scores_for(draw, rule, policy):
    """Scores that reach `rule` and no rule before it."""
    ceiling = {a: policy.reject_threshold for a in ATTRIBUTES}
    if rule in ("author_premoderated", "article_premoderated", "language", "suspect_word", "review_band", "trusted"):
        ceiling = dict(policy.hold)
    if rule == "clean":
        ceiling = dict(policy.review)
    scores = {a: draw(below(ceiling[a])) for a in ATTRIBUTES}
    over = draw(st.sampled_from(ATTRIBUTES))
    if rule == "auto_reject":
        scores[over] = draw(st.floats(policy.reject_threshold, 1.0))
    elif rule == "hold_band":
        scores[over] = draw(st.floats(policy.hold[over], policy.reject_threshold, exclude_max=True))
    elif rule in ("review_band", "trusted"):
        scores[over] = draw(st.floats(policy.review[over], policy.hold[over], exclude_max=True))
    return scores


@st.composite
def cases(draw, rule):
    policy = draw(policies())
    if rule == "auto_reject":
        policy = Settings(**{**policy.__dict__, "auto_reject": True})
    scores = draw(scores_for(rule, policy))
    author = Author(
        trusted=True if rule == "trusted" else (False if rule == "review_band" else draw(st.booleans())),
        premoderated=rule == "author_premoderated"
        or (rule in ("auto_reject", "banned_word", "hold_band") and draw(st.booleans())),
    )
    article = Article(premoderated=rule == "article_premoderated" or (author.premoderated and draw(st.booleans())))
    # A language the model cannot read decides only after the hold rules, before review.
    before_it = rule in ("auto_reject", "banned_word", "hold_band", "author_premoderated", "article_premoderated")
    language = GERMAN if rule == "language" else (draw(st.sampled_from([None, GERMAN])) if before_it else None)
    return rule, scores, TEXT.get(rule, "an ordinary comment"), policy, author, article, language


def test_every_rule_is_reached_and_decides():
    # The rule comes first (Hypothesis's sampled_from is far from uniform, and left to chance
    # some rules went unreached in a run); the examples for it are drawn after.
    reached = set()
    for rule in OUTCOME:

        @settings(max_examples=30, deadline=None)
        @given(cases(rule))
        def decides(case):
            rule, scores, text, policy, author, article, language = case
            decision = decide(scores, text, policy, author, article, language)
            event(decision.rule)
            reached.add(decision.rule)
            assert (decision.rule, decision.outcome) == (rule, OUTCOME[rule])
            assert decision.reason

        decides()
    assert reached == set(OUTCOME), f"never reached: {set(OUTCOME) - reached}"


@settings(deadline=None)  # a busy machine makes an example slow, not wrong
@given(policies(), st.dictionaries(st.sampled_from(ATTRIBUTES), st.floats(0.0, 1.0)))
def test_a_trusted_author_only_ever_skips_the_review_band(settings, scores):
    # Trust may turn a review into a publish; any other decision stays exactly the same.
    for article in (Article(), Article(premoderated=True)):
        plain = decide(scores, "an ordinary comment", settings, Author(), article)
        trusted = decide(scores, "an ordinary comment", settings, Author(trusted=True), article)
        if plain.rule == "review_band":
            assert (trusted.outcome, trusted.rule) == ("publish", "trusted")
        else:
            assert trusted == plain


POLICY = Settings(banned_words=("idiot", "moron"), suspect_words=("scam", "fraud"), auto_reject=True)
TABLE = [
    # (scores, text, author, article), (outcome, rule, reason, words)
    (
        ({**CLEAN, "threat": 0.98}, "t", Author(trusted=True), Article()),
        ("reject", "auto_reject", "threat 0.98 ≥ auto-reject 0.97", ()),
    ),
    (
        (CLEAN, "an idiot", Author(trusted=True), Article()),
        ("hold", "banned_word", "banned word 'idiot'", (("idiot", (3, 8)),)),
    ),
    (
        (CLEAN, "moron, idiot", Author(), Article()),
        ("hold", "banned_word", "banned words 'idiot', 'moron'", (("idiot", (7, 12)), ("moron", (0, 5)))),
    ),
    (
        ({**CLEAN, "insult": 0.9}, "t", Author(trusted=True), Article()),
        ("hold", "hold_band", "insult 0.90 ≥ hold 0.85", ()),
    ),
    (
        ({**CLEAN, "insult": 0.7}, "t", Author(trusted=True, premoderated=True), Article()),
        ("hold", "author_premoderated", "author on pre-moderation", ()),
    ),
    (
        ({**CLEAN, "insult": 0.7}, "t", Author(trusted=True), Article(premoderated=True)),
        ("hold", "article_premoderated", "article is pre-moderated", ()),
    ),
    (
        (CLEAN, "a scam", Author(trusted=True), Article()),
        ("review", "suspect_word", "suspect word 'scam'", (("scam", (2, 6)),)),
    ),
    (
        (CLEAN, "fraud and scam", Author(), Article()),
        ("review", "suspect_word", "suspect words 'scam', 'fraud'", (("scam", (10, 14)), ("fraud", (0, 5)))),
    ),
    (({**CLEAN, "insult": 0.7}, "t", Author(), Article()), ("review", "review_band", "insult 0.70 ≥ review 0.60", ())),
    (
        ({**CLEAN, "insult": 0.7}, "t", Author(trusted=True), Article()),
        ("publish", "trusted", "trusted commenter; insult 0.70 ≥ review 0.60", ()),
    ),
    ((CLEAN, "t", Author(), Article()), ("publish", "clean", "all scores below review thresholds", ())),
]
LANGUAGE_TABLE = [
    # language_action, scores, author -> outcome, rule, reason
    ("review", CLEAN, Author(trusted=True), "review", "language", "written in German; the model reads English"),
    ("hold", CLEAN, Author(), "hold", "language", "written in German; the model reads English"),
    ("publish", CLEAN, Author(), "publish", "language", "written in German; the model reads English"),
    ("publish", {**CLEAN, "insult": 0.7}, Author(), "review", "review_band", "insult 0.70 ≥ review 0.60"),
    ("review", {**CLEAN, "insult": 0.9}, Author(), "hold", "hold_band", "insult 0.90 ≥ hold 0.85"),
]


@pytest.mark.parametrize("action, scores, author, outcome, rule, reason", LANGUAGE_TABLE)
def test_the_language_rule_in_full(action, scores, author, outcome, rule, reason):
    decision = decide(scores, "Vielen Dank", Settings(language_action=action), author, Article(), GERMAN)
    assert (decision.outcome, decision.rule, decision.reason, decision.words) == (outcome, rule, reason, ())


@pytest.mark.parametrize(
    "scores, text, author, article, outcome, rule, reason, words",
    [(*given, *expected) for given, expected in TABLE],
    ids=[expected[1] + str(i) for i, (_, expected) in enumerate(TABLE)],
)
def test_each_rule_in_full(scores, text, author, article, outcome, rule, reason, words):
    decision = decide(scores, text, POLICY, author, article)
    assert (decision.outcome, decision.rule, decision.reason, decision.words) == (outcome, rule, reason, words)


def test_the_default_arguments_are_a_plain_author_on_an_open_article():
    assert decide({**CLEAN, "insult": 0.7}, "t", Settings()).rule == "review_band"


def test_a_score_exactly_on_a_threshold_counts_as_over_it():
    assert decide({**CLEAN, "threat": 0.97}, "t", POLICY).rule == "auto_reject"
    assert decide({**CLEAN, "threat": 0.7}, "t", POLICY).rule == "hold_band"
    assert decide({**CLEAN, "threat": 0.4}, "t", POLICY).rule == "review_band"
    just_under = decide({**CLEAN, "threat": 0.969}, "t", POLICY)
    assert just_under.rule == "hold_band"


def test_auto_reject_names_the_worst_attribute():
    decision = decide({**CLEAN, "toxicity": 0.98, "obscene": 0.99}, "t", POLICY)
    assert decision.reason == "obscene 0.99 ≥ auto-reject 0.97"
    assert decide({**CLEAN, "obscene": 0.99}, "t", Settings(auto_reject=False)).rule == "hold_band"


def test_two_attributes_over_a_band_read_worst_first():
    # toxicity is 0.05 over its hold, threat 0.20 over: the larger margin comes first.
    held = decide({**CLEAN, "toxicity": 0.85, "threat": 0.9}, "t", Settings())
    assert held.reason == "threat 0.90 ≥ hold 0.70; toxicity 0.85 ≥ hold 0.80"
    reviewed = decide({**CLEAN, "toxicity": 0.55, "identity_attack": 0.65}, "t", Settings())
    assert reviewed.reason == "identity_attack 0.65 ≥ review 0.40; toxicity 0.55 ≥ review 0.50"


@pytest.mark.parametrize("auto_reject", [False, True])
def test_a_missing_attribute_counts_as_zero_not_as_the_worst(auto_reject):
    # A model that scores fewer attributes must not hold (or reject) every comment.
    settings = Settings(auto_reject=auto_reject)
    assert decide({}, "t", settings).rule == "clean"
    partial = {a: 0.01 for a in ATTRIBUTES if a != "toxicity"}
    decision = decide(partial, "t", settings)
    assert (decision.outcome, decision.rule) == ("publish", "clean")
    assert decide({"insult": 0.7}, "t", settings).reason == "insult 0.70 ≥ review 0.60"
    held = decide({"threat": 0.99}, "t", settings)
    assert (held.rule, held.reason) == (
        ("auto_reject", "threat 0.99 ≥ auto-reject 0.97") if auto_reject else ("hold_band", "threat 0.99 ≥ hold 0.70")
    )


def test_the_defaults_are_these_numbers():
    settings = Settings()
    order = ("toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack")
    assert set(settings.review) == set(settings.hold) == set(order)
    assert [settings.review[name] for name in order] == [0.5, 0.3, 0.6, 0.4, 0.6, 0.4]
    assert [settings.hold[name] for name in order] == [0.8, 0.6, 0.9, 0.7, 0.85, 0.7]
    assert (settings.banned_words, settings.suspect_words, settings.auto_reject) == ((), (), False)
    assert (settings.reject_threshold, settings.premoderation_rate) == (0.97, 0.5)
    assert (settings.rate_window, settings.rate_min_decided) == (10, 4)
    # Each Settings has its own dicts: changing one policy's bands leaves the next alone.
    settings.review["toxicity"] = 0.1
    assert Settings().review["toxicity"] == 0.5


NAMES = "toxicity, severe_toxicity, obscene, threat, insult, identity_attack"


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"review": {**Settings().review, "toxicity": 1.5}},
            "review threshold for toxicity must be a number from 0 to 1 (got 1.5).",
        ),
        (
            {"hold": {**Settings().hold, "insult": -0.1}},
            "hold threshold for insult must be a number from 0 to 1 (got -0.1).",
        ),
        (
            {"hold": {**Settings().hold, "toxicity": "high"}},
            "hold threshold for toxicity must be a number from 0 to 1 (got 'high').",
        ),
        (
            {"hold": {**Settings().hold, "toxicity": True}},
            "hold threshold for toxicity must be a number from 0 to 1 (got True).",
        ),
        ({"review": {a: 0.1 for a in ATTRIBUTES[:-1]}}, f"review thresholds must name exactly: {NAMES}."),
        ({"hold": {**Settings().hold, "spam": 0.5}}, f"hold thresholds must name exactly: {NAMES}."),
        (
            {"review": {**Settings().review, "toxicity": 0.9}},
            "The review threshold for toxicity (0.90) is above its hold threshold (0.80).",
        ),
        ({"auto_reject": "yes"}, "auto_reject must be true or false."),
        ({"reject_threshold": 2}, "reject threshold must be a number from 0 to 1 (got 2)."),
        ({"premoderation_rate": 1.01}, "pre-moderation rate must be a number from 0 to 1 (got 1.01)."),
        ({"rate_window": 0}, "rate_window must be a whole number of at least 1."),
        ({"rate_window": True}, "rate_window must be a whole number of at least 1."),
        ({"rate_min_decided": 2.0}, "rate_min_decided must be a whole number of at least 1."),
        ({"rate_min_decided": 0}, "rate_min_decided must be a whole number of at least 1."),
    ],
)
def test_bad_settings_are_refused_with_this_message(change, message):
    with pytest.raises(PolicyError) as error:
        Settings(**change)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "change",
    [
        {"review": {a: 0.0 for a in ATTRIBUTES}, "hold": {a: 1.0 for a in ATTRIBUTES}},
        {"review": {a: 0.5 for a in ATTRIBUTES}, "hold": {a: 0.5 for a in ATTRIBUTES}},  # equal is allowed
        {"reject_threshold": 0, "premoderation_rate": 1, "rate_window": 1, "rate_min_decided": 1, "auto_reject": True},
    ],
)
def test_the_edges_of_the_allowed_settings_are_allowed(change):
    assert Settings(**change)


def test_premoderation_needs_enough_decisions_and_more_than_the_rate():
    settings = Settings(rate_window=4, rate_min_decided=4, premoderation_rate=0.5)
    assert not should_premoderate(["rejected"] * 3, settings)  # 3 decisions, 4 needed
    assert should_premoderate(["rejected"] * 4, settings)
    assert not should_premoderate(["rejected", "rejected", "published", "published"], settings)  # 0.5 is not over
    assert should_premoderate(["rejected", "rejected", "rejected", "published", "published"], settings)  # window of 4
    assert not should_premoderate(["hidden"] * 4, settings)  # only 'rejected' counts
    assert not should_premoderate(iter(["rejected"] * 3), Settings())  # the default needs 4
    assert should_premoderate(iter(["rejected"] * 4), Settings())


def test_word_lists_are_cleaned_as_admins_enter_them():
    assert clean_words("banned_words", "Idiot\n  go   home \n\n idiot\n") == ["go home", "idiot"]
    assert clean_words("suspect_words", ("Scam", "FRAUD", "  ")) == ["fraud", "scam"]
    assert clean_words("banned_words", ["x" * 100] * 3) == ["x" * 100]
    assert len(clean_words("banned_words", [f"w{i}" for i in range(2000)])) == 2000
    for bad, message in [
        (5, "A list of words or phrases, one per line."),
        (["ok", 3], "A list of words or phrases, one per line."),
        (["x" * 101], "At most 2,000 entries of at most 100 characters."),
        ([f"w{i}" for i in range(2001)], "At most 2,000 entries of at most 100 characters."),
    ]:
        with pytest.raises(PolicyError, match=f"^{message}$") as refused:
            clean_words("suspect_words", bad)
        assert refused.value.field == "suspect_words"


def test_bands_for_some_attributes_keep_the_others():
    merged = merge_bands("review", {"toxicity": 0.2}, Settings().review)
    assert merged == {
        "toxicity": 0.2,
        "severe_toxicity": 0.3,
        "obscene": 0.6,
        "threat": 0.4,
        "insult": 0.6,
        "identity_attack": 0.4,
    }
    for bad in ({"spam": 0.5}, [0.5], "0.5"):
        with pytest.raises(PolicyError, match=f"^An object with some of: {NAMES}.$") as refused:
            merge_bands("hold", bad, Settings().hold)
        assert refused.value.field == "hold"


def test_settings_from_the_fields_admins_edit():
    settings = settings_from(
        {
            "banned_words": "Idiot\nidiot",
            "review": {"toxicity": 0.2},
            "hold": {"threat": 0.9},
            "auto_reject": True,
            "site_name": "not a policy setting",
        }
    )
    assert settings.banned_words == ("idiot",) and settings.auto_reject is True
    assert (settings.review["toxicity"], settings.review["insult"]) == (0.2, 0.6)
    assert (settings.hold["threat"], settings.hold["toxicity"]) == (0.9, 0.8)
    assert settings_from({}) == Settings()
    assert policy_keys({"review": {}, "site_name": "x", "language_action": "hold"}) == ["review", "language_action"]
    with pytest.raises(PolicyError, match="^rate_window must be a whole number of at least 1.$"):
        settings_from({"rate_window": "10"})
    with pytest.raises(PolicyError, match="^language_action must be one of publish, review, hold.$") as refused:
        settings_from({"language_action": "delete"})
    assert refused.value.field == "language_action"


def test_settings_from_cleans_both_word_lists_and_names_the_bad_field():
    assert settings_from({"suspect_words": "Scam\nscam"}).suspect_words == ("scam",)
    every = {a: 0.5 for a in ATTRIBUTES}
    assert merge_bands("review", every, Settings().review) == every  # all six may be given
    for key, bad in (("banned_words", 5), ("suspect_words", 5), ("review", [1]), ("hold", {"spam": 1})):
        with pytest.raises(PolicyError) as refused:
            settings_from({key: bad})
        assert refused.value.field == key
