"""Calibration: how well each attribute's scores match what moderators decided.

`report()` is pure (rows in, numbers out) so it can be checked against hand-computed
cases; `moderator_outcomes()` reads those rows from the moderation history.
"""

from sqlalchemy import select

from moderation.policy import ATTRIBUTES

from ...extensions import db
from ...models import Comment, ModerationAction

THRESHOLDS = tuple(round(t / 10, 1) for t in range(1, 10))  # 0.1 … 0.9
BINS = 10  # histogram bins of width 0.1 over [0, 1]
# Below this many decided comments scored on an attribute, a suggested threshold would be
# noise (3 decisions can show 100% precision anywhere): the report withholds it.
MIN_DECISIONS = 30


def moderator_outcomes():
    """[(scores, rejected)] for every scored comment a moderator approved or rejected.

    Only a person's decision counts (actor set); where moderators decided a comment more
    than once (approved, later rejected), the latest decision stands.
    """
    rows = db.session.execute(
        select(ModerationAction.comment_id, ModerationAction.action, Comment.scores)
        .join(Comment, Comment.id == ModerationAction.comment_id)
        .where(ModerationAction.actor_id.is_not(None), ModerationAction.action.in_(("approve", "reject")))
        .order_by(ModerationAction.id)
    )
    latest = {}
    for comment_id, action, scores in rows:
        if scores:
            latest[comment_id] = (scores, action == "reject")
    return list(latest.values())


def _bin(score):
    return min(int(score * BINS), BINS - 1)  # 1.0 falls in the last bin


def _attribute_report(pairs, target, thresholds, minimum):
    """pairs: [(score, rejected)] for one attribute."""
    rows = []
    for threshold in thresholds:
        above = [rejected for score, rejected in pairs if score >= threshold]
        rejected = sum(above)
        rows.append(
            {
                "threshold": threshold,
                "above": len(above),
                "rejected": rejected,
                "precision": rejected / len(above) if above else None,
            }
        )
    # The lowest threshold that meets the target catches the most of what moderators reject.
    suggested = next((r for r in rows if r["precision"] is not None and r["precision"] >= target), None)
    withheld = suggested is not None and len(pairs) < minimum
    approved_hist, rejected_hist = [0] * BINS, [0] * BINS
    for score, rejected in pairs:
        (rejected_hist if rejected else approved_hist)[_bin(score)] += 1
    return {
        "rows": rows,
        "decided": len(pairs),
        # The threshold and the decisions at or above it, from which its precision comes.
        "suggested": None if withheld or suggested is None else suggested["threshold"],
        "suggested_above": None if withheld or suggested is None else suggested["above"],
        "withheld": withheld,
        "histogram": {"approved": approved_hist, "rejected": rejected_hist},
    }


def report(outcomes, target=0.9, thresholds=THRESHOLDS, minimum=None):
    """Per attribute: for each threshold, of the comments scoring at or above it, how many
    moderators rejected (precision), the lowest threshold whose precision meets `target`
    (None when none does, or when fewer than `minimum` decisions, MIN_DECISIONS by default,
    scored on the attribute: `withheld` then says so), and histograms of approved and
    rejected scores.

    `outcomes` is [(scores dict, rejected bool)]; a comment without a score for an
    attribute is left out of that attribute.
    """
    if not 0 < target <= 1:
        raise ValueError("target must be in (0, 1]")
    minimum = MIN_DECISIONS if minimum is None else minimum
    out = {"decided": len(outcomes), "target": target, "minimum": minimum, "attributes": {}}
    for attribute in ATTRIBUTES:
        pairs = [
            (float(scores[attribute]), bool(rejected))
            for scores, rejected in outcomes
            if isinstance(scores.get(attribute), (int, float))
        ]
        out["attributes"][attribute] = _attribute_report(pairs, target, thresholds, minimum)
    return out
