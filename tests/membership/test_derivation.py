"""A member's current tier, derived from dates when read: many generated cases (hypothesis),
the edges spelled out, and the batched SQL lookup agreeing with the plain rule."""

import random
import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, select, update

from service.domain.accounts import accounts
from service.domain.membership.perks import add_months, forget_cached_tiers, highest_tier, is_active, tiers_for
from service.extensions import db
from service.models import Comment, Membership, Tier, User
from service.models.base import utcnow

NOW = datetime(2026, 6, 15, 12, 0, 0)
# No deadline or speed check: CI machines can be busy, and a slow example is not a wrong one.
PURE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
GRACE = timedelta(days=7)
TIERS = [
    SimpleNamespace(id=i + 1, slug=slug, rank=rank) for i, (slug, rank) in enumerate([("a", 10), ("b", 20), ("c", 30)])
]


def record(tier, start, length, recurrence="none", state="confirmed", cancelled=False):
    """A membership-like record; `length` None is open-ended. Offsets are hours from NOW."""
    starts = NOW + timedelta(hours=start)
    return SimpleNamespace(
        tier=tier,
        state=state,
        starts_at=starts,
        ends_at=None if length is None else starts + timedelta(hours=length),
        recurrence=recurrence,
        cancelled_at=NOW if cancelled else None,
    )


records = st.builds(
    record,
    tier=st.sampled_from(TIERS),
    start=st.integers(-24 * 400, 24 * 30),
    length=st.one_of(st.none(), st.integers(1, 24 * 400)),
    recurrence=st.sampled_from(["none", "monthly", "yearly"]),
    state=st.sampled_from(["confirmed", "confirmed", "confirmed", "requested", "declined"]),
    cancelled=st.booleans(),
)


@PURE
@given(st.lists(records, max_size=8))
def test_the_tier_is_the_highest_ranked_active_one(items):
    tier = highest_tier(items, NOW, GRACE)
    active = [m for m in items if is_active(m, NOW, GRACE)]
    if not active:
        assert tier is None
    else:
        assert tier in [m.tier for m in active]
        assert tier.rank == max(m.tier.rank for m in active)


@PURE
@given(st.lists(records, max_size=8), st.randoms())
def test_order_of_records_does_not_matter(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert highest_tier(items, NOW, GRACE) is highest_tier(shuffled, NOW, GRACE)


@PURE
@given(st.lists(records, max_size=6), records)
def test_another_record_never_lowers_the_tier(items, extra):
    before = highest_tier(items, NOW, GRACE)
    after = highest_tier(items + [extra], NOW, GRACE)
    assert (after.rank if after else 0) >= (before.rank if before else 0)


@PURE
@given(records, st.integers(0, 30), st.integers(0, 30))
def test_a_longer_grace_period_never_ends_a_membership_sooner(item, shorter, extra):
    if is_active(item, NOW, timedelta(days=shorter)):
        assert is_active(item, NOW, timedelta(days=shorter + extra))


@PURE
@given(records)
def test_only_confirmed_records_that_have_started_count(item):
    if is_active(item, NOW, GRACE):
        assert item.state == "confirmed" and item.starts_at <= NOW


@pytest.mark.parametrize(
    "case, expected",
    [
        (dict(start=0, length=24), True),  # starts exactly now
        (dict(start=1, length=24), False),  # starts in an hour
        (dict(start=-24, length=24), False),  # ended exactly now
        (dict(start=-24, length=None), True),  # open-ended
        (dict(start=-24 * 40, length=24 * 35, recurrence="monthly"), True),  # 5 days past its end: in grace
        (dict(start=-24 * 40, length=24 * 32, recurrence="monthly"), False),  # 8 days past: grace is over
        (dict(start=-24 * 40, length=24 * 35, recurrence="monthly", cancelled=True), False),  # cancelled: no grace
        (dict(start=-24 * 40, length=24 * 35, recurrence="none"), False),  # one-off: no grace
        (dict(start=-24, length=None, state="requested"), False),
        (dict(start=-24, length=None, state="declined"), False),
    ],
)
def test_edges(case, expected):
    assert is_active(record(TIERS[0], **case), NOW, GRACE) is expected


def test_overlapping_and_back_dated_records_resolve_to_the_highest():
    low_long = record(TIERS[0], -24 * 100, None)
    high_past = record(TIERS[2], -24 * 100, 24 * 10)  # a sponsor-like tier that lapsed long ago
    mid_now = record(TIERS[1], -24, 24 * 30)
    assert highest_tier([low_long, high_past, mid_now], NOW, GRACE) is TIERS[1]
    assert highest_tier([low_long, high_past], NOW, GRACE) is TIERS[0]


def test_add_months_clamps_to_the_end_of_shorter_months():
    assert add_months(datetime(2026, 1, 31), 1) == datetime(2026, 2, 28)
    assert add_months(datetime(2028, 1, 31), 1) == datetime(2028, 2, 29)
    assert add_months(datetime(2026, 11, 30), 3) == datetime(2027, 2, 28)
    assert add_months(datetime(2026, 3, 15), -3) == datetime(2025, 12, 15)


# --- the batched lookup against the database ------------------------------------------------

db_records = st.lists(
    st.tuples(
        st.sampled_from(["reader", "subscriber", "sponsor"]),
        st.integers(-24 * 60, 24 * 10),
        st.one_of(st.none(), st.integers(1, 24 * 60)),
        st.sampled_from(["none", "monthly"]),
        st.sampled_from(["confirmed", "requested"]),
        st.booleans(),
    ),
    max_size=5,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(per_user=st.lists(db_records, min_size=1, max_size=3))
def test_the_batched_lookup_agrees_with_the_rule(app, ctx, per_user):
    """tiers_for() narrows in SQL first; it must never drop a record the rule would count."""
    db.session.execute(delete(Membership))
    users = _users(len(per_user))
    tiers = {t.slug: t for t in db.session.scalars(select(Tier))}
    now = utcnow().replace(microsecond=0)
    for user, rows in zip(users, per_user):
        for slug, start, length, recurrence, state, cancelled in rows:
            starts = now + timedelta(hours=start)
            db.session.add(
                Membership(
                    user=user,
                    tier=tiers[slug],
                    state=state,
                    starts_at=starts,
                    ends_at=None if length is None else starts + timedelta(hours=length),
                    currency="EUR",
                    recurrence=recurrence,
                    source="admin_grant",
                    cancelled_at=now if cancelled else None,
                )
            )
    db.session.commit()
    forget_cached_tiers()
    found = tiers_for([u.id for u in users], now=now)
    grace = timedelta(days=app.config["MEMBERSHIP_GRACE_DAYS"])
    for user in users:
        mine = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
        expected = highest_tier(mine, now, grace)
        assert found[user.id].slug == (expected.slug if expected else "reader")


def _users(n):
    """Users reused across examples (hypothesis runs them all in one test's database)."""
    users = []
    for i in range(n):
        name = f"member{i}"
        user = db.session.scalar(select(User).where(User.username == name))
        users.append(user or accounts.register(f"{name}@example.com", name, "a-long-enough-password"))
    return users


def test_a_thread_of_many_authors_looks_tiers_up_in_one_query(app, client, make_user, make_article):
    from service.domain.membership import grants
    from service.domain.threads import comments

    make_article(slug="busy", comments_mode="open")
    with app.app_context():
        from service.domain.threads.articles import get_article

        article = get_article("busy")
        admin = accounts.register("boss@example.com", "boss", "a-long-enough-password", role="admin")
        for i in range(8):
            user = accounts.register(f"author{i}@example.com", f"author{i}", "a-long-enough-password")
            if i % 2:
                grants.grant(user, {"tier": "subscriber"}, admin)
            comments.post_comment(article, user, f"comment {i} " + "x" * random.randint(1, 5))
        # Published by hand: this test is about rendering, not about scoring.
        db.session.execute(update(Comment).values(status="published"))
        db.session.commit()
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get("/articles/busy")
        listed = client.get("/api/v1/articles/busy/comments").get_json()["comments"]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.status_code == 200 and page.get_data(as_text=True).count(">Subscriber</span>") == 4
    assert sorted(c["author"]["tier"] for c in listed) == ["reader"] * 4 + ["subscriber"] * 4
    tier_queries = [s for s in statements if re.search(r"\b(FROM|JOIN) (memberships|tiers)\b", s)]
    # One per request, not one per author, and the base tier read with the memberships.
    assert len(tier_queries) == 2, tier_queries
