"""The measures evaluate.py reports, in plain numpy.

- roc_auc: the Mann-Whitney form (share of positive/negative pairs ranked
  right, ties counting half).
- bias_aucs: Borkan et al. 2019, "Nuanced Metrics for Measuring Unintended
  Bias with Real Data for Text Classification": subgroup, BPSN and BNSP AUC.
- span_f1: SemEval-2021 Task 5 (toxic spans): F1 over character offsets per
  post, averaged over posts; a post with no gold and no predicted offsets
  scores 1, one with only one of the two empty scores 0.
"""

import numpy as np


def _average_ranks(values):
    """1-based ranks, tied values sharing the mean of their ranks."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="mergesort")
    sorted_vals = values[order]
    ranks = np.empty(len(values))
    # Boundaries of runs of equal values in sorted order.
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_vals)) + 1]
    ends = np.r_[starts[1:], len(values)]
    for s, e in zip(starts, ends):
        ranks[order[s:e]] = (s + e + 1) / 2.0
    return ranks


def roc_auc(labels, scores):
    """Area under the ROC curve; nan when only one class is present."""
    labels = np.asarray(labels).astype(bool)
    n_pos, n_neg = labels.sum(), (~labels).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = _average_ranks(scores)
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def bias_aucs(labels, scores, in_group):
    """Subgroup, BPSN and BNSP AUC for one identity subgroup.

    subgroup: only comments that mention the identity.
    BPSN (background positive, subgroup negative): toxic comments without the
    identity vs non-toxic ones with it; low when the identity alone raises scores.
    BNSP (background negative, subgroup positive): the reverse; low when
    abuse aimed at the identity is scored too low.
    """
    labels = np.asarray(labels).astype(bool)
    scores = np.asarray(scores, dtype=float)
    g = np.asarray(in_group).astype(bool)
    bpsn = (~g & labels) | (g & ~labels)
    bnsp = (~g & ~labels) | (g & labels)
    return {
        "subgroup_auc": roc_auc(labels[g], scores[g]),
        "bpsn_auc": roc_auc(labels[bpsn], scores[bpsn]),
        "bnsp_auc": roc_auc(labels[bnsp], scores[bnsp]),
    }


def offsets(spans):
    """Set of character offsets covered by [start, end) spans."""
    return {i for start, end in spans for i in range(start, end)}


def post_f1(predicted, gold):
    """SemEval-2021 Task 5 F1 for one post, from two sets of character offsets."""
    if not predicted and not gold:
        return 1.0
    if not predicted or not gold:
        return 0.0
    hit = len(predicted & gold)
    return 2.0 * hit / (len(predicted) + len(gold))


def span_f1(predicted_spans, gold_spans):
    """Mean per-post F1; arguments are lists (one per post) of span lists."""
    scores = [post_f1(offsets(p), offsets(g)) for p, g in zip(predicted_spans, gold_spans)]
    return float(np.mean(scores)) if scores else float("nan")
