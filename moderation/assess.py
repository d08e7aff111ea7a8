"""One comment's verdict from its scores: language, policy decision and the spans to show.

The service's scoring worker and ``python -m moderation.check`` both call ``judge``, so a
dry run over an archive decides exactly as the live site would.
"""

from dataclasses import dataclass

from .language import detect
from .policy import Article, Author, decide

EXPLAIN_OUTCOMES = ("review", "hold", "reject")  # what a moderator will look at


@dataclass(frozen=True)
class Verdict:
    decision: object  # moderation.policy.Decision
    language: object  # moderation.language.Detected
    spans: list = None  # the words the policy matched, then explain.py's spans; None when there are neither


def judge(text, scores, settings, author=Author(), article=Article(), explain=None):
    """The verdict on `text` given its scores. `explain(text)` gives the model's spans, asked
    for only where a moderator will look (None: no model spans)."""
    language = detect(text)
    decision = decide(scores, text, settings, author, article, language=language)
    spans = explain(text) if explain and decision.outcome in EXPLAIN_OUTCOMES else None
    return Verdict(decision, language, with_word_spans(spans, decision, text))


def with_word_spans(spans, decision, text):
    """The model's spans after the words the policy matched (a banned or suspect word): those
    are why the comment is where it is, so they are marked first, named by the rule."""
    words = [
        {"start": start, "end": end, "text": text[start:end], "weight": 1.0, "rule": decision.rule}
        for _, (start, end) in decision.words or ()
        if 0 <= start < end <= len(text)
    ]
    return (words + list(spans or [])) or spans
