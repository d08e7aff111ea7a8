"""The membership date and tier rules, pure (service/domain/membership/perks.py): no app, no
database, so make mutate runs them in a moment. The hypothesis cases and the SQL lookup are in
tests/membership/test_derivation.py."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from service.domain.membership.perks import (
    add_months,
    effective_end,
    highest_tier,
    is_active,
    period_end,
)

NOW = datetime(2026, 6, 15, 12, 0, 0)
GRACE = timedelta(days=7)


@pytest.mark.parametrize(
    "when, months, expected",
    [
        (datetime(2026, 12, 15, 9, 30), 1, datetime(2027, 1, 15, 9, 30)),  # December into the next year
        (datetime(2026, 11, 30), 2, datetime(2027, 1, 30)),
        (datetime(2026, 12, 31), 2, datetime(2027, 2, 28)),
        (datetime(2027, 11, 30), 3, datetime(2028, 2, 29)),  # a leap February
        (datetime(2026, 1, 31), 1, datetime(2026, 2, 28)),  # clamped to the month's last day
        (datetime(2026, 3, 31), 1, datetime(2026, 4, 30)),
        (datetime(2026, 1, 15), -1, datetime(2025, 12, 15)),  # back across a year
        (datetime(2024, 2, 29), 12, datetime(2025, 2, 28)),
        (datetime(2026, 5, 10), 0, datetime(2026, 5, 10)),
        (datetime(2026, 5, 10), 25, datetime(2028, 6, 10)),
    ],
)
def test_add_months(when, months, expected):
    assert add_months(when, months) == expected


def test_period_end_for_each_recurrence():
    start = datetime(2026, 12, 31, 10, 0)
    assert period_end(start, "monthly") == datetime(2027, 1, 31, 10, 0)
    assert period_end(start, "yearly") == datetime(2027, 12, 31, 10, 0)
    assert period_end(datetime(2028, 2, 29), "yearly") == datetime(2029, 2, 28)
    assert period_end(start, "none") is None  # a one-off membership has no period
    assert period_end(start, "weekly") is None


def record(
    starts=NOW - timedelta(days=30),
    ends=NOW + timedelta(days=1),
    recurrence="none",
    cancelled=False,
    state="confirmed",
    tier=None,
):
    return SimpleNamespace(
        starts_at=starts,
        ends_at=ends,
        recurrence=recurrence,
        state=state,
        tier=tier,
        cancelled_at=NOW if cancelled else None,
    )


def test_effective_end_adds_the_grace_only_to_a_renewing_membership():
    ends = NOW + timedelta(days=1)
    assert effective_end(record(ends=None, recurrence="monthly"), GRACE) is None
    assert effective_end(record(ends=ends, recurrence="monthly"), GRACE) == ends + GRACE
    assert effective_end(record(ends=ends, recurrence="yearly"), GRACE) == ends + GRACE
    assert effective_end(record(ends=ends, recurrence="monthly", cancelled=True), GRACE) == ends
    assert effective_end(record(ends=ends, recurrence="none"), GRACE) == ends


def test_is_active_at_the_edges():
    assert is_active(record(starts=NOW), NOW, GRACE)  # from the first moment
    assert not is_active(record(starts=NOW + timedelta(seconds=1)), NOW, GRACE)
    assert not is_active(record(ends=NOW), NOW, GRACE)  # up to, not including, the end
    assert is_active(record(ends=NOW + timedelta(seconds=1)), NOW, GRACE)
    assert is_active(record(ends=None), NOW, GRACE)
    assert is_active(record(ends=NOW - timedelta(days=6), recurrence="monthly"), NOW, GRACE)  # in its grace
    assert not is_active(record(ends=NOW - GRACE, recurrence="monthly"), NOW, GRACE)
    for state in ("requested", "declined"):
        assert not is_active(record(state=state), NOW, GRACE)


def test_equal_ranks_fall_to_the_lower_id_whatever_the_order():
    low, high = SimpleNamespace(id=3, rank=10), SimpleNamespace(id=5, rank=10)
    for order in ([low, high], [high, low]):
        assert highest_tier([record(tier=t) for t in order], NOW, GRACE) is low
    better = SimpleNamespace(id=9, rank=11)
    assert highest_tier([record(tier=low), record(tier=better)], NOW, GRACE) is better
    assert highest_tier([record(tier=better, state="requested"), record(tier=low)], NOW, GRACE) is low
    assert highest_tier([], NOW, GRACE) is None
