"""One comment's verdict from its scores: language, policy decision and the spans to show.

The service's scoring worker and ``python -m moderation.check`` both call ``judge_many``, so
a dry run over an archive decides exactly as the live site would.
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
    explain_many = (lambda texts: [explain(t) for t in texts]) if explain else None
    return judge_many([(text, scores, author, article)], settings, explain_many)[0]


def judge_many(cases, settings, explain_many=None):
    """judge() of each (text, scores, author, article), with the model's spans for all the
    texts a moderator will look at asked for in one call: `explain_many(texts)` gives a
    list of spans per text (moderation.explain.explain_many), one forward pass for them all."""
    decided = [(text, *_decide(text, scores, settings, author, article)) for text, scores, author, article in cases]
    # By position: the same text may be held for one author and published for another.
    wanted = {i for i, (_, decision, _) in enumerate(decided) if explain_many and decision.outcome in EXPLAIN_OUTCOMES}
    texts = list(dict.fromkeys(decided[i][0] for i in sorted(wanted)))  # each text explained once
    spans = dict(zip(texts, explain_many(texts))) if texts else {}
    return [
        Verdict(decision, language, with_word_spans(spans[text] if i in wanted else None, decision, text))
        for i, (text, decision, language) in enumerate(decided)
    ]


def _decide(text, scores, settings, author, article):
    """(the policy's decision, the detected language) of one text."""
    language = detect(text)
    return decide(scores, text, settings, author, article, language=language), language


def with_word_spans(spans, decision, text):
    """The model's spans after the words the policy matched (a banned or suspect word): those
    are why the comment is where it is, so they are marked first, named by the rule."""
    words = [
        {"start": start, "end": end, "text": text[start:end], "weight": 1.0, "rule": decision.rule}
        for _, (start, end) in decision.words or ()
        if 0 <= start < end <= len(text)
    ]
    return (words + list(spans or [])) or spans
