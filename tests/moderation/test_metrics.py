"""The metric functions against cases small enough to work out by hand."""

import math

import pytest

from moderation.metrics import bias_aucs, post_f1, roc_auc, span_f1


def test_auc_by_hand():
    # Pairs (pos, neg): (0.35>0.1 yes) (0.35>0.4 no) (0.8>0.1 yes) (0.8>0.4 yes) -> 3/4
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)


def test_auc_ties_count_half():
    assert roc_auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5)
    # pos 0.5 vs neg (0.5 tie=0.5, 0.2 win=1); pos 0.9 wins both -> (1.5 + 2) / 4
    assert roc_auc([1, 0, 0, 1], [0.5, 0.5, 0.2, 0.9]) == pytest.approx(0.875)


def test_auc_perfect_inverted_and_one_class():
    assert roc_auc([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8]) == 1.0
    assert roc_auc([0, 1, 0, 1], [0.9, 0.1, 0.8, 0.2]) == 0.0
    assert math.isnan(roc_auc([1, 1], [0.3, 0.4]))


def test_bias_aucs_by_hand():
    # Subgroup examples score high whatever their label: background ones are ranked right.
    labels = [0, 1, 0, 1, 0, 1]
    scores = [0.1, 0.9, 0.2, 0.8, 0.7, 0.75]
    group = [False, False, False, False, True, True]
    out = bias_aucs(labels, scores, group)
    assert out["subgroup_auc"] == pytest.approx(1.0)  # 0.75 > 0.7
    # BPSN: positives 0.9, 0.8 (background) vs negative 0.7 (subgroup) -> 2/2
    assert out["bpsn_auc"] == pytest.approx(1.0)
    # BNSP: positive 0.75 (subgroup) vs negatives 0.1, 0.2 (background) -> 2/2
    assert out["bnsp_auc"] == pytest.approx(1.0)
    out = bias_aucs(labels, [0.1, 0.6, 0.2, 0.8, 0.7, 0.75], group)
    # BPSN now: (0.6 vs 0.7 lose, 0.8 vs 0.7 win) -> 1/2
    assert out["bpsn_auc"] == pytest.approx(0.5)


def test_post_f1_conventions():
    assert post_f1(set(), set()) == 1.0
    assert post_f1({1, 2}, set()) == 0.0
    assert post_f1(set(), {1}) == 0.0
    # 2 shared of 4 predicted and 2 gold: 2*2/(4+2)
    assert post_f1({1, 2, 3, 4}, {3, 4}) == pytest.approx(2 / 3)


def test_span_f1_averages_posts():
    predicted = [[(0, 5)], [], [(10, 12)]]
    gold = [[(0, 5)], [], [(11, 13)]]
    # post 1: 1.0, post 2: 1.0 (both empty), post 3: overlap {11}: 2*1/(2+2) = 0.5
    assert span_f1(predicted, gold) == pytest.approx(2.5 / 3)
