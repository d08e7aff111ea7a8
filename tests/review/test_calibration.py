"""Calibration: how the thresholds fare against moderators' decisions."""

import pytest

from service.domain.moderation import calibration

from .conftest import decide, flashes, held, html, scores, status_of

HAND = [  # toxicity, rejected by a moderator
    (0.95, True),
    (0.85, True),
    (0.75, False),
    (0.55, True),
    (0.15, False),
]


def test_calibration_report_on_a_hand_computed_case():
    result = calibration.report([({"toxicity": s}, r) for s, r in HAND], target=0.9, minimum=5)
    tox = result["attributes"]["toxicity"]
    share = {row["threshold"]: (row["above"], row["rejected"]) for row in tox["rows"]}
    assert share[0.1] == (5, 3)
    assert share[0.2] == share[0.5] == (4, 3)
    assert share[0.6] == share[0.7] == (3, 2)
    assert share[0.8] == (2, 2) and share[0.9] == (1, 1)
    assert tox["rows"][0]["precision"] == pytest.approx(0.6)
    assert tox["suggested"] == 0.8 and tox["suggested_above"] == 2 and tox["decided"] == 5
    assert (
        calibration.report([({"toxicity": s}, r) for s, r in HAND], target=0.75, minimum=5)["attributes"]["toxicity"][
            "suggested"
        ]
        == 0.2
    )
    assert tox["histogram"] == {
        "approved": [0, 1, 0, 0, 0, 0, 0, 1, 0, 0],
        "rejected": [0, 0, 0, 0, 0, 1, 0, 0, 1, 1],
    }
    # Attributes the rows do not score are empty, not errors.
    insult = result["attributes"]["insult"]
    assert insult["suggested"] is None and all(r["above"] == 0 and r["precision"] is None for r in insult["rows"])


def test_calibration_withholds_a_suggestion_below_the_minimum_of_decisions():
    hand = [({"toxicity": s}, r) for s, r in HAND]
    tox = calibration.report(hand, target=0.9, minimum=6)["attributes"]["toxicity"]
    assert tox["withheld"] and tox["suggested"] is None and tox["decided"] == 5
    assert [r["above"] for r in tox["rows"]][:1] == [5]  # the table still shows what there is
    # By default a suggestion needs MIN_DECISIONS (30): 29 are too few, 30 are enough.
    many = [({"toxicity": 0.95}, True)] * (calibration.MIN_DECISIONS - 1)
    assert calibration.report(many)["attributes"]["toxicity"]["withheld"]
    enough = calibration.report(many + [({"toxicity": 0.95}, True)])["attributes"]["toxicity"]
    assert not enough["withheld"] and enough["suggested"] == 0.1 and enough["suggested_above"] == 30
    # No threshold meeting the target is not "withheld": there is nothing to withhold.
    assert not calibration.report([({"toxicity": 0.5}, False)])["attributes"]["toxicity"]["withheld"]


def test_calibration_edges():
    at = calibration.report([({"threat": 0.5}, True), ({"threat": 1.0}, False)])["attributes"]["threat"]
    assert {r["threshold"]: r["above"] for r in at["rows"]}[0.5] == 2  # at the threshold counts as above
    assert at["histogram"]["approved"][9] == 1 and at["histogram"]["rejected"][5] == 1
    assert at["suggested"] is None  # 1 of 2 at 0.5, 0 of 1 from 0.6 up
    assert calibration.report([])["attributes"]["toxicity"]["suggested"] is None
    with pytest.raises(ValueError, match=r"^target must be in \(0, 1\]$"):
        calibration.report([], target=0)


def test_calibration_page_uses_moderators_latest_decisions(app, as_admin, world, monkeypatch):
    ids = []
    for value, rejected in HAND:
        comment_id = held(app, "ann", f"scored {value}", scores(toxicity=value))
        decide(as_admin, comment_id, "reject" if rejected else "approve", reason="spam" if rejected else None)
        ids.append(comment_id)
    # A comment moderators approved and later rejected counts once, as rejected.
    second_thoughts = decide(as_admin, ids[2], "reject", reason="spam", expected_status="published")
    assert status_of(app, ids[2]) == "rejected", flashes(html(as_admin.get(second_thoughts.headers["Location"])))
    # The system's own holds and a comment nobody decided do not count.
    held(app, "ann", "undecided", scores(toxicity=0.99))
    with app.app_context():
        outcomes = calibration.moderator_outcomes()
    assert sorted((s["toxicity"], r) for s, r in outcomes) == [
        (0.15, False),
        (0.55, True),
        (0.75, True),
        (0.85, True),
        (0.95, True),
    ]

    page = html(as_admin.get("/review/calibration?target=0.9"))
    assert "From 5 comments" in page
    # Five decisions are too few for a suggestion: the page says what it would rest on.
    assert "data-suggested" not in page
    assert "it would rest on 5 decisions, and a suggestion needs at least 30" in page
    monkeypatch.setattr(calibration, "MIN_DECISIONS", 5)
    page = html(as_admin.get("/review/calibration?target=0.9"))
    assert "resting on 5 decisions (4 scoring at or above it)" in page
    assert 'data-suggested="0.2"' in page  # from 0.2 up: 4 of 4 rejected; at 0.1: 4 of 5
    assert "<svg" in page and page.count('class="bar-rejected"') == 60
    assert 'data-suggested="0.1"' in html(as_admin.get("/review/calibration?target=0.8"))
