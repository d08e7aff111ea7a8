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
    spans: list = None  # explain.py's spans, for outcomes a moderator looks at


def judge(text, scores, settings, author=Author(), article=Article(), explain=None):
    """The verdict on `text` given its scores. `explain(text)` gives spans (None: no spans)."""
    language = detect(text)
    decision = decide(scores, text, settings, author, article, language=language)
    spans = explain(text) if explain and decision.outcome in EXPLAIN_OUTCOMES else None
    return Verdict(decision, language, spans)
