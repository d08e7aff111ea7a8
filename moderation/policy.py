"""Scores and context in, a decision out. Pure: no database, no Flask, no clock.

The order of the rules is the policy:
  1. auto-reject (only when the site enables it) above its threshold;
  2. a banned word holds;
  3. any attribute in its hold band holds;
  4. an author on pre-moderation, or a pre-moderated article, holds;
  5. a comment confidently in a language the model does not read (moderation.language)
     goes as the site's `language_action` says: review (the default) or hold; with
     "publish" it goes on through steps 6-7 and is published by this rule, never as clean;
  6. a suspect word sends to review;
  7. any attribute in its review band sends to review, unless the author is trusted;
  8. otherwise the comment is published.
Trusted commenters skip step 7 only; nothing lets a comment skip steps 1-5.
"""

from dataclasses import dataclass, field

from .labels import LABELS
from .words import find_words

ATTRIBUTES = LABELS  # the policy judges exactly what the model scores; one list, in labels.py
OUTCOMES = ("publish", "review", "hold", "reject")
LANGUAGE_ACTIONS = ("publish", "review", "hold")

DEFAULT_REVIEW = {
    "toxicity": 0.5,
    "severe_toxicity": 0.3,
    "obscene": 0.6,
    "threat": 0.4,
    "insult": 0.6,
    "identity_attack": 0.4,
}
DEFAULT_HOLD = {
    "toxicity": 0.8,
    "severe_toxicity": 0.6,
    "obscene": 0.9,
    "threat": 0.7,
    "insult": 0.85,
    "identity_attack": 0.7,
}


class PolicyError(ValueError):
    """Settings that cannot make a policy; the message says why, `field` (if set) which."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Settings:
    review: dict = field(default_factory=lambda: dict(DEFAULT_REVIEW))
    hold: dict = field(default_factory=lambda: dict(DEFAULT_HOLD))
    banned_words: tuple = ()
    suspect_words: tuple = ()
    auto_reject: bool = False
    reject_threshold: float = 0.97
    # Automatic pre-moderation: rejected share of the last `rate_window` decided comments.
    premoderation_rate: float = 0.5
    rate_window: int = 10
    rate_min_decided: int = 4
    # What happens to a comment the model cannot read (moderation.language): one of LANGUAGE_ACTIONS.
    language_action: str = "review"

    def __post_init__(self):
        check_settings(self)


def _in_unit(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise PolicyError(f"{name} must be a number from 0 to 1 (got {value!r}).")


def check_settings(settings):
    for band in ("review", "hold"):
        thresholds = getattr(settings, band)
        if set(thresholds) != set(ATTRIBUTES):
            raise PolicyError(f"{band} thresholds must name exactly: {', '.join(ATTRIBUTES)}.")
        for attribute, value in thresholds.items():
            _in_unit(f"{band} threshold for {attribute}", value)
    for attribute in ATTRIBUTES:
        if settings.review[attribute] > settings.hold[attribute]:
            raise PolicyError(
                f"The review threshold for {attribute} ({settings.review[attribute]:.2f}) "
                f"is above its hold threshold ({settings.hold[attribute]:.2f})."
            )
    if not isinstance(settings.auto_reject, bool):
        raise PolicyError("auto_reject must be true or false.")
    _in_unit("reject threshold", settings.reject_threshold)
    _in_unit("pre-moderation rate", settings.premoderation_rate)
    for name in ("rate_window", "rate_min_decided"):
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise PolicyError(f"{name} must be a whole number of at least 1.")
    if settings.language_action not in LANGUAGE_ACTIONS:
        raise PolicyError(f"language_action must be one of {', '.join(LANGUAGE_ACTIONS)}.", "language_action")


WORD_LIMIT, WORD_LENGTH = 2000, 100


def clean_words(name, value):
    """A word list as admins enter it (a list, or lines of text) -> sorted, case-folded, single-spaced."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)) or not all(isinstance(w, str) for w in value):
        raise PolicyError("A list of words or phrases, one per line.", name)
    words = sorted({" ".join(w.split()).casefold() for w in value if w.strip()})
    if any(len(w) > WORD_LENGTH for w in words) or len(words) > WORD_LIMIT:
        raise PolicyError("At most 2,000 entries of at most 100 characters.", name)
    return words


def merge_bands(name, value, base):
    """Thresholds for some attributes on top of `base` (the others keep theirs)."""
    if not isinstance(value, dict) or not set(value) <= set(ATTRIBUTES):
        raise PolicyError(f"An object with some of: {', '.join(ATTRIBUTES)}.", name)
    return {**base, **value}


def settings_from(values):
    """Settings from the fields admins edit, as the service stores them; missing ones keep defaults.

    Word lists are cleaned and bands merged exactly as the settings page does; keys that
    are not policy settings are left to the caller (see `policy_keys`).
    """
    fields = {}
    for key in policy_keys(values):
        value = values[key]
        if key in ("banned_words", "suspect_words"):
            value = tuple(clean_words(key, value))
        elif key in ("review", "hold"):
            value = merge_bands(key, value, DEFAULT_REVIEW if key == "review" else DEFAULT_HOLD)
        fields[key] = value
    try:
        return Settings(**fields)
    except TypeError:
        raise PolicyError("A value has the wrong type.") from None


def policy_keys(values):
    """The keys of `values` that are policy settings."""
    return [key for key in values if key in Settings.__dataclass_fields__]


@dataclass(frozen=True)
class Author:
    trusted: bool = False
    premoderated: bool = False


@dataclass(frozen=True)
class Article:
    premoderated: bool = False


@dataclass(frozen=True)
class Decision:
    outcome: str  # one of OUTCOMES
    reason: str  # what a moderator reads
    rule: str  # machine-readable name of the rule that decided
    words: tuple = ()  # (word, (start, end)) matches that contributed


def _over(scores, thresholds):
    """Attributes at or over their threshold, worst first by margin."""
    hits = [(a, scores[a], thresholds[a]) for a in ATTRIBUTES if scores.get(a, 0.0) >= thresholds[a]]
    return sorted(hits, key=lambda hit: hit[1] - hit[2], reverse=True)


def _band_reason(hits, band):
    return "; ".join(f"{attribute} {score:.2f} ≥ {band} {threshold:.2f}" for attribute, score, threshold in hits)


def decide(scores, text, settings, author=Author(), article=Article(), language=None):
    """The decision for one comment. `scores` maps each attribute to [0, 1]; `language` is
    moderation.language's Detected for `text` (None: not detected, the model reads it)."""
    held = _reject_or_hold(scores, text, settings, author, article)
    if held:
        return held
    unread = language is not None and not language.readable
    if unread and settings.language_action != "publish":
        return Decision(settings.language_action, language_reason(language), "language")
    reviewed = _review(scores, text, settings, author)
    if reviewed:
        return reviewed
    if unread:
        return Decision("publish", language_reason(language), "language")
    return Decision("publish", "all scores below review thresholds", "clean")


def language_reason(language):
    from .language import MODEL_LANGUAGE_NAMES

    return f"written in {language.name}; the model reads {MODEL_LANGUAGE_NAMES}"


def _reject_or_hold(scores, text, settings, author, article):
    """Steps 1-4: the rules nothing skips."""
    if settings.auto_reject:
        worst = max(ATTRIBUTES, key=lambda a: scores.get(a, 0.0))
        if scores.get(worst, 0.0) >= settings.reject_threshold:
            reason = f"{worst} {scores[worst]:.2f} ≥ auto-reject {settings.reject_threshold:.2f}"
            return Decision("reject", reason, "auto_reject")
    banned = find_words(text, settings.banned_words)
    if banned:
        return Decision("hold", _words_reason("banned", banned), "banned_word", tuple(banned))
    hold_hits = _over(scores, settings.hold)
    if hold_hits:
        return Decision("hold", _band_reason(hold_hits, "hold"), "hold_band")
    if author.premoderated:
        return Decision("hold", "author on pre-moderation", "author_premoderated")
    if article.premoderated:
        return Decision("hold", "article is pre-moderated", "article_premoderated")
    return None


def _review(scores, text, settings, author):
    """Steps 6-7: suspect words and the review band (which trusted commenters skip)."""
    suspect = find_words(text, settings.suspect_words)
    if suspect:
        return Decision("review", _words_reason("suspect", suspect), "suspect_word", tuple(suspect))
    review_hits = _over(scores, settings.review)
    if review_hits and not author.trusted:
        return Decision("review", _band_reason(review_hits, "review"), "review_band")
    if review_hits:
        return Decision("publish", f"trusted commenter; {_band_reason(review_hits, 'review')}", "trusted")
    return None


def _words_reason(kind, matches):
    words = ", ".join(f"'{word}'" for word, _ in matches)
    return f"{kind} word {words}" if len(matches) == 1 else f"{kind} words {words}"


def should_premoderate(recent_outcomes, settings):
    """Whether an author's recent record puts them on automatic pre-moderation.

    `recent_outcomes` is their decided comments, newest first, each 'rejected' or anything
    else. Below `rate_min_decided` decisions there is too little to judge, so no.
    """
    window = list(recent_outcomes)[: settings.rate_window]
    if len(window) < settings.rate_min_decided:
        return False
    rejected = sum(1 for outcome in window if outcome == "rejected")
    return rejected / len(window) > settings.premoderation_rate
