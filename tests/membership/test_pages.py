"""The membership pages: Support us, My membership, sponsors, and the admin's forms, CSV and dashboard."""

import csv
import io
import re

from sqlalchemy import select

from service.domain.accounts import users
from service.domain.membership import grants
from service.extensions import db
from service.models import Membership, Tier, User

from .conftest import counts, days


def grant(app, username, **data):
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        return grants.grant(users.find_user(username), {"tier": "subscriber", **data}, admin).id


def text(response):
    return response.get_data(as_text=True)


def test_support_us_shows_tiers_and_perks_to_everyone(client):
    page = text(client.get("/support"))
    for expected in (
        "Reader",
        "Subscriber",
        "€5.00 a month",
        "Sponsor",
        "€50.00 a year or more",
        "Comment on members-only articles",
        "Trusted commenter",
        "Sign in to subscribe",
    ):
        assert expected in page, expected
    assert "<script>" not in page


def test_article_page_links_to_support_us(client, make_article):
    make_article()
    page = text(client.get("/articles/test-article"))
    assert "Kindly sponsor or subscribe." in page and 'href="/support"' in page


def test_reader_asks_admin_confirms_reader_sees_tier_and_cancels(app, api, other_api, make_user):
    make_user("ann")
    make_user("boss", role="admin")
    api.login("ann")
    asked = api.form("/support/subscriber", {})
    assert asked.status_code == 302 and asked.headers["Location"].endswith("/membership")
    page = text(api.client.get("/membership"))
    assert "You are a Reader" in page and "awaiting payment" in page and "PARLEY-" in page

    other_api.login("boss")
    requests = text(other_api.client.get("/admin/members?state=requested"))
    assert "ann" in requests
    with app.app_context():
        membership_id = db.session.scalar(select(Membership.id))
    member_page = text(other_api.client.get(f"/admin/members/{db_user_id(app, 'ann')}"))
    assert "Confirm payment" in member_page
    missing = other_api.form(f"/admin/memberships/{membership_id}/confirm", {"payment_reference": ""})
    assert missing.status_code == 422 and 'aria-invalid="true"' in text(missing) and "Required." in text(missing)
    confirmed = other_api.form(f"/admin/memberships/{membership_id}/confirm", {"payment_reference": "SEPA 991"})
    assert confirmed.status_code == 302

    page = text(api.client.get("/membership"))
    # Paid by hand, it runs to its end: only a provider's subscription renews by itself.
    assert "You are a Subscriber" in page and ", until " in page and "renews on" not in page
    cancelled = api.form(f"/membership/{membership_id}/cancel", {})
    assert cancelled.status_code == 302
    page = text(api.client.get("/membership"))
    assert "cancelled, ends" in page and "You are a Subscriber" in page  # still active to the period's end


def db_user_id(app, username):
    with app.app_context():
        return users.find_user(username).id


def test_sponsor_form_validates_amount_next_to_the_field(app, api, make_user):
    make_user("ann")
    api.login("ann")
    before = counts(app)
    for amount in ("-5", "12.345", "lots", "999999999"):
        response = api.form("/support/sponsor", {"amount_major": amount})
        assert response.status_code == 422, amount
        assert 'id="sponsor-amount-error"' in text(response)
    assert counts(app) == before
    ok = api.form("/support/sponsor", {"amount_major": "75.50", "public": "on", "display_name": "Ann of Leeds"})
    assert ok.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Membership))
        assert (row.amount_minor, row.public, row.display_name, row.state) == (7550, True, "Ann of Leeds", "requested")


def test_admin_grant_form_shows_errors_beside_fields_and_writes_nothing(app, api, make_user):
    make_user("boss", role="admin")
    make_user("ann")
    api.login("boss")
    before = counts(app)
    bad = api.form("/admin/memberships/new", {"username": "nobody", "tier": "subscriber"})
    assert bad.status_code == 422 and 'id="f-username-error"' in text(bad)
    bad = api.form(
        "/admin/memberships/new",
        {
            "username": "ann",
            "tier": "subscriber",
            "starts_at": "2026-05-01",
            "ends_at": "2026-04-01",
            "amount_major": "1.005",
            "currency": "EURO",
        },
    )
    page = text(bad)
    assert bad.status_code == 422
    for field in ("ends_at", "amount_major", "currency"):
        assert f'id="f-{field}-error"' in page, field
    assert counts(app) == before
    good = api.form(
        "/admin/memberships/new?kind=sponsorship",
        {
            "username": "ann",
            "tier": "sponsor",
            "amount_major": "250",
            "currency": "gbp",
            "source": "manual_payment",
            "payment_reference": "cheque 12",
            "recurrence": "none",
            "public": "on",
            "display_name": "The Ann Trust",
        },
    )
    assert good.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Membership))
        assert (row.amount_minor, row.currency, row.source, row.tier.slug) == (
            25000,
            "GBP",
            "manual_payment",
            "sponsor",
        )


def test_admin_member_page_actions_and_history(app, api, make_user):
    make_user("boss", role="admin")
    ann = make_user("ann")
    api.login("boss")
    membership_id = grant(app, "ann", ends_at=days(10))
    bad = api.form(f"/admin/memberships/{membership_id}/extend", {"ends_at": "2001-01-01"})
    assert bad.status_code == 422 and f'id="m{membership_id}-ends_at-error"' in text(bad)
    assert api.form(f"/admin/memberships/{membership_id}/extend", {"ends_at": days(60)[:10]}).status_code == 302
    assert api.form(f"/admin/memberships/{membership_id}/refund", {"refund_note": "goodwill"}).status_code == 302
    assert api.form(f"/admin/memberships/{membership_id}/cancel_now", {}).status_code == 302
    page = text(api.client.get(f"/admin/members/{ann}"))
    for said in (
        "Granted Subscriber",
        "Extended Subscriber to",
        "Noted a refund of Subscriber: goodwill",
        "Ended Subscriber now",
    ):
        assert said in page, said
    assert "membership.grant" not in page and "payment_reference:" not in page  # words, not field names
    assert "refunded" in page and "goodwill" in page


def test_csv_export(app, api, make_user):
    make_user("boss", role="admin")
    make_user("ann")
    make_user("bob")
    api.login("boss")
    grant(app, "ann", amount=500, note='=HYPERLINK("http://evil")')
    grant(app, "bob", tier="sponsor", starts_at=days(-90), ends_at=days(-30), amount=5000, currency="JPY")
    response = api.client.get("/admin/members.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(text(response))))
    by_user = {r["username"]: r for r in rows}
    assert (
        by_user["ann"]["amount"] == "5.00"
        and by_user["ann"]["active"] == "yes"
        and by_user["ann"]["tier"] == "subscriber"
    )
    assert (
        by_user["bob"]["amount"] == "5000" and by_user["bob"]["currency"] == "JPY" and by_user["bob"]["active"] == "no"
    )
    assert by_user["ann"]["note"].startswith("'=")  # a spreadsheet will not run it
    only_active = list(csv.DictReader(io.StringIO(text(api.client.get("/admin/members.csv?active=yes")))))
    assert [r["username"] for r in only_active] == ["ann"]
    api.client.post("/api/v1/auth/logout", headers={"X-CSRFToken": api.token()})
    api.login("ann")
    assert api.client.get("/admin/members.csv").status_code == 403


def test_dashboard_draws_charts_as_inline_svg(app, api, make_user):
    make_user("boss", role="admin")
    for name in ("ann", "bob", "cyd"):
        make_user(name)
    api.login("boss")
    grant(app, "ann", starts_at=days(-70), recurrence="monthly", amount=500)
    grant(app, "bob", tier="sponsor", starts_at=days(-20), recurrence="yearly", amount=6000)
    grant(app, "cyd", starts_at=days(-200), ends_at=days(-100), amount=500)
    page = text(api.client.get("/admin/membership/dashboard"))
    assert (
        page.count('<svg class="plot" viewBox') >= 4 and "<script>" not in page
    )  # drawn on the server, no inline script
    assert "Active members per tier" in page and "New and lapsed" in page
    assert "Monthly recurring revenue, EUR" in page
    assert "€10.00</strong> a month" in page  # 5.00 monthly + 60.00 yearly / 12
    assert "All time: <strong>€60.00</strong>" in page
    assert re.search(r"<title>Subscriber, \w+ \d{4}: 1</title>", page)


def test_sponsors_page_lists_opted_in_active_sponsors_in_the_admins_order(app, api, make_user, client):
    make_user("boss", role="admin")
    for name in ("ann", "bob", "cyd", "dee"):
        make_user(name)
    grant(app, "ann", tier="sponsor", public=True, display_name="Ann's Bakery", starts_at=days(-400), public_order=2)
    grant(app, "bob", tier="sponsor", public=True, public_order=1, starts_at=days(-30))
    grant(app, "cyd", tier="sponsor", public=False)  # did not opt in
    grant(app, "dee", tier="sponsor", public=True, starts_at=days(-90), ends_at=days(-10))  # lapsed
    page = text(client.get("/sponsors"))
    assert "Ann&#39;s Bakery" in page and "bob" in page and "cyd" not in page and "dee" not in page
    assert page.index("bob") < page.index("Ann&#39;s Bakery")


def test_admin_tier_pages_add_edit_and_retire(app, api, make_user):
    make_user("boss", role="admin")
    api.login("boss")
    assert "Subscriber" in text(api.client.get("/admin/tiers"))
    bad = api.form(
        "/admin/tiers/new",
        {
            "slug": "Not OK",
            "name": "",
            "kind": "subscription",
            "price_major": "-1",
            "currency": "EUR",
            "interval": "monthly",
            "rank": "5",
            "rate_limit_multiplier": "1",
        },
    )
    assert bad.status_code == 422
    for field in ("slug", "name", "price_major"):
        assert f'id="f-{field}-error"' in text(bad), field
    good = api.form(
        "/admin/tiers/new",
        {
            "slug": "student",
            "name": "Student",
            "kind": "subscription",
            "price_major": "2.50",
            "currency": "EUR",
            "interval": "monthly",
            "rank": "5",
            "rate_limit_multiplier": "1",
            "members_comments": "on",
            "badge": "Student",
        },
    )
    assert good.status_code == 302
    with app.app_context():
        tier = db.session.scalar(select(Tier).where(Tier.slug == "student"))
        assert (tier.price_minor, tier.members_comments, tier.trusted_commenter) == (250, True, False)
        tier_id = tier.id
    edited = api.form(
        f"/admin/tiers/{tier_id}/edit",
        {
            "name": "Students",
            "kind": "subscription",
            "price_major": "3",
            "currency": "EUR",
            "interval": "monthly",
            "rank": "6",
            "rate_limit_multiplier": "2",
            "badge": "",
        },
    )
    assert edited.status_code == 302
    assert api.form(f"/admin/tiers/{tier_id}/retire", {}).status_code == 302
    with app.app_context():
        tier = db.session.get(Tier, tier_id)
        assert (tier.name, tier.price_minor, tier.members_comments, tier.badge, tier.retired) == (
            "Students",
            300,
            False,
            None,
            True,
        )
    assert 'id="tier-student"' not in text(api.client.get("/support"))
    history = text(api.client.get(f"/admin/tiers/{tier_id}/edit"))
    assert "tier.create" in history and "tier.update" in history


def test_seed_demo_adds_a_members_only_article_and_a_sponsor_once(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"]).output
    assert "members-only demo article" in first and "Harbour Street Bakery" in first
    assert first.count("password:") == 2  # the sponsor account never signs in; no password shown
    second = runner.invoke(args=["seed-demo"]).output
    assert "members-only" not in second and "Harbour Street Bakery" not in second
    page = text(client.get("/articles/members-briefing-beijing-talks"))
    assert "Members&#39; briefing" in page
    assert "Harbour Street Bakery" in text(client.get("/sponsors"))
    with app.app_context():
        assert db.session.scalar(select(Membership.id).where(Membership.public.is_(True))) is not None
        assert len(db.session.scalars(select(Membership)).all()) == 1
