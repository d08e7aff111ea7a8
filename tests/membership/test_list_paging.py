"""The admins' membership list: its date filters in SQL agree with the perks' own rules, and it
reads a page at a time."""

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from service.domain.membership import grants
from service.domain.membership.perks import effective_end, grace, is_active
from service.domain.threads import cursors
from service.domain.threads.cursors import BadCursor
from service.extensions import db
from service.models import Membership, Tier
from service.models.base import utcnow


def every_kind_of_membership(user_id, now):
    """One membership for each mix of state, start, end, renewal and cancellation, including
    ends inside the grace period and inside the 30 days that make one lapsing."""
    period = grace()
    tier = db.session.scalar(select(Tier).where(Tier.slug == "subscriber"))
    ends = [
        None,
        -period * 2,
        -period / 2,
        timedelta(days=-1),
        timedelta(days=5),
        timedelta(days=29),
        timedelta(days=90),
    ]
    starts = [timedelta(days=-40), timedelta(days=3)]
    kinds = itertools.product(("confirmed", "requested", "declined"), starts, ends, ("none", "monthly"), (False, True))
    for state, start, end, recurrence, cancelled in kinds:
        db.session.add(
            Membership(
                user_id=user_id,
                tier=tier,
                state=state,
                starts_at=now + start,
                ends_at=None if end is None else now + end,
                recurrence=recurrence,
                cancelled_at=now - timedelta(days=2) if cancelled else None,
                currency="EUR",
                source="manual",
            )
        )
    db.session.commit()


def test_the_list_filters_in_sql_agree_with_is_active_and_effective_end(app, make_user):
    ann = make_user("ann")
    with app.app_context():
        now = utcnow()
        every_kind_of_membership(ann, now)
        everyone = db.session.scalars(select(Membership)).all()
        period, soon = grace(), now + timedelta(days=grants.LAPSING_DAYS)
        expected_active = {m.id for m in everyone if is_active(m, now, period)}
        expected_lapsing = {
            m.id
            for m in everyone
            if is_active(m, now, period) and effective_end(m, period) is not None and effective_end(m, period) <= soon
        }
        assert 0 < len(expected_lapsing) < len(expected_active) < len(everyone)  # the grid covers each case

        def ids(**filters):
            return {m.id for m in grants.list_memberships(now=now, **filters)}

        assert ids(active=True) == expected_active
        assert ids(active=False) == {m.id for m in everyone} - expected_active
        assert ids(lapsing=True) == expected_lapsing
        assert ids(state="requested", active=True) == set()


def test_the_list_reads_a_page_at_a_time_newest_first_and_every_row_once(app, make_user):
    ann = make_user("ann")
    with app.app_context():
        now = utcnow()
        every_kind_of_membership(ann, now)
        whole = [m.id for m in grants.list_memberships(now=now)]
        seen, cursor, pages = [], None, 0
        while True:
            page = grants.page_memberships(limit=7, cursor=cursor, now=now)
            assert len(page.rows) <= 7
            seen += [m.id for m in page.rows]
            pages += 1
            if page.next is None:
                break
            cursor = page.next
        assert seen == whole and pages == -(-len(whole) // 7)
        active = grants.page_memberships(limit=5, now=now, active=True)
        assert [m.id for m in active.rows] == [m.id for m in grants.list_memberships(now=now, active=True)][:5]
        with pytest.raises(BadCursor):
            grants.page_memberships(cursor="not-a-cursor")


def next_link(page):
    """The href of a page's "Older memberships" link, or None on the last page."""
    if 'rel="next" href="' not in page:
        return None
    return page.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")


def test_the_admins_members_page_shows_a_page_and_links_the_next(app, admin_api, make_user, monkeypatch):
    ann = make_user("ann")
    with app.app_context():
        every_kind_of_membership(ann, utcnow())
        total = len(grants.list_memberships())
    monkeypatch.setattr(grants, "PAGE", 10)
    first = admin_api.client.get("/admin/members").get_data(as_text=True)
    assert first.count('class="membership-row"') == 10 and "Older memberships" in first
    assert "Newest memberships" in admin_api.client.get(next_link(first)).get_data(as_text=True)
    pages, rows, url = 0, 0, "/admin/members"
    while url:
        page = admin_api.client.get(url).get_data(as_text=True)
        pages, rows, url = pages + 1, rows + page.count('class="membership-row"'), next_link(page)
    assert rows == total and pages == -(-total // 10)
    assert admin_api.client.get("/admin/members?cursor=nonsense").status_code == 400


def test_the_api_pages_when_asked_and_answers_every_match_otherwise(app, admin_api, make_user):
    ann = make_user("ann")
    with app.app_context():
        every_kind_of_membership(ann, utcnow())
        newest_first = [m.id for m in grants.list_memberships(active=False)]
    whole = admin_api.get("/api/v1/admin/memberships?active=no").get_json()
    assert [m["id"] for m in whole["memberships"]] == newest_first and whole.get("next") is None
    seen, url = [], "/api/v1/admin/memberships?active=no&limit=25"
    while url:
        page = admin_api.get(url).get_json()
        assert len(page["memberships"]) <= 25
        seen += [m["id"] for m in page["memberships"]]
        url = page["next"] and f"/api/v1/admin/memberships?active=no&limit=25&cursor={page['next']}"
    assert seen == newest_first
    for bad in ("limit=0", "limit=501", "limit=x"):
        assert admin_api.get(f"/api/v1/admin/memberships?{bad}").status_code == 422, bad
    assert admin_api.get("/api/v1/admin/memberships?cursor=nonsense").status_code == 400


def test_requests_awaiting_payment_come_a_page_at_a_time_each_row_without_a_query(
    app, admin_api, make_user, monkeypatch
):
    from sqlalchemy import event

    ann = make_user("ann")
    with app.app_context():
        every_kind_of_membership(ann, utcnow())
        waiting = [m.id for m in grants.list_memberships(state="requested")]
    assert len(waiting) > 20
    monkeypatch.setattr(grants, "PAGE", 10)
    seen, url, pages = [], "/admin/members", 0
    while url:
        page = admin_api.client.get(url).get_data(as_text=True)
        assert f"Requests awaiting payment ({len(waiting)})" in page
        rows = [int(part.split('"')[0]) for part in page.split('<tr id="request-')[1:]]
        assert len(rows) <= 10
        seen, pages = seen + rows, pages + 1
        older = (
            page.split('#requests">Older requests</a>')[0].rsplit('href="', 1)[-1] if "Older requests" in page else None
        )
        url = older.replace("&amp;", "&") + "#requests" if older else None
    assert seen == waiting and pages == -(-len(waiting) // 10)
    # A page whose requests were all settled since it was linked still leads back to the newest.
    with app.app_context():
        oldest = grants.page_memberships(limit=len(waiting), state="requested").rows[-1]
        stale = cursors.encode([oldest.starts_at, oldest.id])
    page = admin_api.client.get(f"/admin/members?requests_cursor={stale}").get_data(as_text=True)
    assert "No older requests." in page and "Newest requests</a>" in page

    # Requests of 30 different readers: a page of 10 or of 20 runs the same statements.
    with app.app_context():
        tier = db.session.scalar(select(Tier).where(Tier.slug == "subscriber"))
        for i in range(30):
            user_id = make_user(f"asker{i}")
            db.session.add(
                Membership(
                    user_id=user_id, tier=tier, state="requested", starts_at=utcnow(), currency="EUR", source="manual"
                )
            )
        db.session.commit()
    statements = []
    with app.app_context():
        engine = db.engine
    record = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", record)
    try:
        admin_api.client.get("/admin/members")
        few = len(statements)
        monkeypatch.setattr(grants, "PAGE", 20)
        statements.clear()
        admin_api.client.get("/admin/members")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == few  # twice the rows, no more queries
