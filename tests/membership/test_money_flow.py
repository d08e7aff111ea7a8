"""Money that adds up, as reader and admin go through it: tier minimums, payment instructions
shown with the reference and mailed, mail on request, confirmation, decline and lapse, inline
confirmation under Admin → Members, the audit trail in words, members thanked."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from service.domain.accounts import users
from service.domain.membership import grants
from service.domain.membership.lapses import notify_lapsed
from service.extensions import db
from service.models import Membership, MembershipAudit, ModerationAction, OutboxMessage, User
from service.models.base import utcnow
from tests.conftest import Api

from .conftest import counts

BANK = "Bank: Ledger Savings\nIBAN: DE89 3704 0044 0532 0130 00"


def text(response):
    return response.get_data(as_text=True)


def mail_to(app, username):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return [
            (m.subject, m.body)
            for m in db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.user_id == user.id).order_by(OutboxMessage.id)
            )
        ]


def the_membership(app):
    with app.app_context():
        return db.session.scalar(select(Membership.id).order_by(Membership.id.desc()))


def reader(app, name="ann"):
    api = Api(app.test_client())
    api.login(name)
    return api


def test_a_sponsorship_below_the_tiers_minimum_is_refused_with_the_minimum(app, make_user):
    make_user("ann")
    ann = reader(app)
    before = counts(app)
    low = ann.form("/support/sponsor", {"amount_major": "10"})
    assert low.status_code == 422 and "The minimum for Sponsor is €50.00." in text(low)
    assert 'id="sponsor-amount-error"' in text(low)
    api_low = ann.post("/api/v1/me/membership/requests", {"tier": "sponsor", "amount": 4999})
    assert api_low.status_code == 422 and "€50.00" in str(api_low.get_json())
    both = ann.post("/api/v1/me/membership/requests", {"tier": "sponsor", "amount": 4999, "display_name": "x" * 81})
    assert both.get_json()["errors"] == {  # one schema, schemas/grants.RequestTerms, names both at once
        "amount_major": "The minimum for Sponsor is €50.00.",
        "display_name": "Text of at most 80 characters.",
    }
    assert counts(app) == before and mail_to(app, "ann") == []
    assert ann.form("/support/sponsor", {"amount_major": "50"}).status_code == 302
    through_api = reader(app, "ann").post("/api/v1/me/membership/requests", {"tier": "subscriber"}).get_json()
    assert through_api["payment_reference"].startswith("PARLEY-") and through_api["payment_instructions"] == ""


def test_the_whole_manual_payment_journey(app, admin_api, make_user):
    make_user("ann")
    saved = admin_api.form("/admin/members/payment-instructions", {"payment_instructions": BANK})
    assert saved.status_code == 302
    with app.app_context():
        change = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "settings"))
        assert change.reason == "payment instructions changed" and change.details["after"] == {
            "payment_instructions": BANK
        }

    ann = reader(app)
    support = text(ann.client.get("/support"))
    assert "Become a Sponsor</button>" in support and "Sponsor as Sponsor" not in support
    assert ann.form("/support/sponsor", {"amount_major": "60"}).status_code == 302
    membership_id = the_membership(app)
    reference = f"PARLEY-{membership_id}"

    # The request: mailed with the reference and the instructions, shown on both pages.
    ((subject, body),) = mail_to(app, "ann")
    assert subject.startswith("Your Sponsor request: how to pay")
    assert f"Please pay €60.00 a year for Sponsor with the reference {reference}." in body and BANK in body
    support = text(ann.client.get("/support"))
    pending = support[support.index('id="pending-sponsor"') :]
    assert reference in pending[:1500] and "IBAN: DE89" in pending[:1500] and "Become a Sponsor" not in support
    mine = text(ann.client.get("/membership"))
    assert "awaiting payment" in mine and reference in mine and "IBAN: DE89" in mine

    # Admin → Members lists it under "Requests awaiting payment" and confirms it in place.
    page = text(admin_api.client.get("/admin/members"))
    requests = page[page.index('id="requests"') : page.index('id="payment-instructions"')]
    assert "ann" in requests and "€60.00" in requests and f'value="{reference}"' in requests
    confirmed = admin_api.form(
        f"/admin/memberships/{membership_id}/confirm",
        {"payment_reference": "SEPA 4471", "next": "/admin/members#requests"},
    )
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/admin/members#requests"
    assert "None: every request has been confirmed or declined." in text(admin_api.client.get("/admin/members"))
    subject, body = mail_to(app, "ann")[-1]
    assert "Sponsor membership is active" in subject and "€60.00" in body and "SEPA 4471" in body

    # The trail reads as words.
    with app.app_context():
        ann_id = db.session.scalar(select(User.id).where(User.username == "ann"))
    history = text(admin_api.client.get(f"/admin/members/{ann_id}"))
    assert "Confirmed €60.00 sponsorship (payment reference SEPA 4471)" in history
    assert "Asked for €60.00 sponsorship" in history

    # A member is thanked, not asked, under every article; a one-off payment does not "renew".
    with app.app_context():
        from service.domain.threads import articles

        articles.save_article(
            {"slug": "story", "title": "A story", "summary": "s", "body": "b", "comments_mode": "open"}
        )
    article = text(ann.client.get("/articles/story"))
    assert "Thank you for supporting us." in article and "Kindly sponsor or subscribe" not in article
    assert "renews on" not in text(ann.client.get("/membership"))
    assert "Kindly sponsor or subscribe" in text(Api(app.test_client()).client.get("/articles/story"))


def test_a_declined_request_says_declined_and_a_withdrawn_one_withdrawn(app, admin_api, make_user):
    make_user("ann")
    ann = reader(app)
    ann.form("/support/subscriber", {})
    declined_id = the_membership(app)
    assert admin_api.form(f"/admin/memberships/{declined_id}/decline", {"next": "/admin/members"}).status_code == 302
    subject, body = mail_to(app, "ann")[-1]
    assert "Subscriber request was declined" in subject and "/support" in body
    mine = text(ann.client.get("/membership"))
    assert ">declined</span>" in mine and ">withdrawn</span>" not in mine

    ann.form("/support/subscriber", {})
    withdrawn_id = the_membership(app)
    mails = len(mail_to(app, "ann"))
    assert ann.form(f"/membership/{withdrawn_id}/cancel", {}).status_code == 302
    assert len(mail_to(app, "ann")) == mails  # withdrawing it herself: no mail about it
    mine = text(ann.client.get("/membership"))
    assert mine.count(">declined</span>") == 1 and mine.count(">withdrawn</span>") == 1
    with app.app_context():
        ann_id = db.session.scalar(select(User.id).where(User.username == "ann"))
    history = text(admin_api.client.get(f"/admin/members/{ann_id}"))
    assert "Declined the request for Subscriber" in history and "Withdrew the request for Subscriber" in history


def _grant(app, username, **data):
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        return grants.grant(users.find_user(username), {"tier": "subscriber", "amount": 500, **data}, admin).id


def _iso(days):
    return (utcnow() + timedelta(days=days)).isoformat(timespec="seconds")


def test_members_hear_once_when_a_membership_lapses(app, admin_api, make_user):
    for name in ("ann", "bob", "cyd", "dee"):
        make_user(name)
    _grant(app, "ann", starts_at=_iso(-40), ends_at=_iso(-2))  # a one-off: lapsed two days ago
    _grant(app, "bob", starts_at=_iso(-40), ends_at=_iso(-2))
    _grant(app, "bob", starts_at=_iso(-2), ends_at=_iso(30))  # renewed by a new grant: nothing lapsed for bob
    _grant(app, "cyd", starts_at=_iso(-40), ends_at=_iso(-2), recurrence="monthly")  # still in its grace period
    _grant(app, "dee", starts_at=_iso(-400), ends_at=_iso(-300))  # long ago: history, not news
    with app.app_context():
        assert notify_lapsed() == 2
        assert notify_lapsed() == 0  # once only
    ((subject, body),) = mail_to(app, "ann")
    assert "Subscriber membership has ended" in subject and "/support" in body
    assert mail_to(app, "bob") == [] and mail_to(app, "cyd") == [] and mail_to(app, "dee") == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(MembershipAudit.action == "membership.lapsed")) == 2
        ann_id = db.session.scalar(select(User.id).where(User.username == "ann"))
    assert "lapsed; the member was told by mail" in text(admin_api.client.get(f"/admin/members/{ann_id}"))
    # After its grace period, cyd's lapses too (7 days by default).
    with app.app_context():
        assert notify_lapsed(now=utcnow() + timedelta(days=6)) == 1
    assert "has ended" in mail_to(app, "cyd")[0][0]


def test_payment_instructions_are_checked(app, admin_api):
    too_long = admin_api.form("/admin/members/payment-instructions", {"payment_instructions": "x" * 2001})
    assert too_long.status_code == 302
    assert "Text of at most 2,000 characters." in text(admin_api.client.get("/admin/members"))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 0


def test_every_dashboard_chart_has_a_legend_whose_swatches_are_not_plots(app, admin_api, make_user):
    make_user("ann")
    _grant(app, "ann", starts_at=_iso(-70), recurrence="monthly")
    page = text(admin_api.client.get("/admin/membership/dashboard"))
    plots = page.count('<svg class="plot"')
    assert plots >= 3 and page.count('<ul class="legend">') == plots
    assert re.search(r'<ul class="legend"><li><svg class="swatch"[^>]*>.*?</svg> EUR</li></ul>', page)
