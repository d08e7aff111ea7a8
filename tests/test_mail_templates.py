"""Mail bodies are templates (templates/email/*.txt) rendered without a request, as the worker
renders them: each still says what its f-string said, with links on PUBLIC_URL."""

from datetime import datetime
from pathlib import Path

import pytest
from flask import has_request_context

from service.domain.accounts.people import ROLE_WORDS
from service.domain.mail.compose import render
from service.models import Article, Comment, Membership, Tier, User

PUBLIC = "https://comments.example.com"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "email"


@pytest.fixture
def mail_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    with app.app_context():
        assert not has_request_context()  # as in the worker
        yield app


@pytest.fixture
def ann():
    return User(username="ann<&>", email="ann@example.com")


def a_comment():
    article = Article(slug="the-talks", title="Talks in “Beijing”")
    return Comment(id=41, article=article, author=User(username="bob"), body="b" * 499 + "Z" + "never shown")


def test_a_moderators_decision_says_what_was_decided_why_and_how_to_stop_such_mail(mail_app, ann):
    comment = a_comment()
    link = f"{PUBLIC}/articles/the-talks#comment-41"
    approved = render(
        "comment_decided", ann, comment=comment, action="approve", reason=None, comment_link=link, unsubscribe="U"
    )
    assert approved.startswith("Hello ann<&>,\n\nA moderator approved your comment on “Talks in “Beijing””.")
    assert f"It is now visible to everyone:\n{link}\n\n--\n" in approved and "Reason" not in approved
    assert approved.endswith(
        f"You get this because you comment on {mail_app.config['SITE_NAME']}. Stop mail about your comments: U\n"
    )
    rejected = render(
        "comment_decided", ann, comment=comment, action="reject", reason="off topic", comment_link=link, unsubscribe="U"
    )
    assert "decided not to publish your comment" in rejected and link not in rejected
    assert "”.\n\nReason: off topic\n\n--\n" in rejected


def test_a_reply_mail_quotes_the_first_500_characters_and_links_the_reply(mail_app, ann):
    body = render("reply_published", ann, comment=a_comment(), comment_link="L", unsubscribe="U")
    assert "bob replied to your comment on “Talks in “Beijing””:\n\n" + "b" * 499 + "Z\n\nL\n\n--\n" in body
    assert "never shown" not in body


def test_membership_mails_give_the_amount_the_reference_the_dates_and_links(mail_app, ann):
    membership = Membership(
        tier=Tier(name="Sponsor"), payment_reference="PRL-7", note="Card declined", ends_at=datetime(2027, 3, 4)
    )
    requested = render("membership_requested", ann, membership=membership, how_to_pay="Please pay €5.00.")
    assert "Thank you for supporting us! Please pay €5.00.\n\nWe switch your membership on" in requested
    confirmed = render("membership_confirmed", ann, membership=membership, paid="€5.00")
    assert (
        "we received €5.00 (reference PRL-7). Your Sponsor membership is active until 04 March 2027.\n\n" in confirmed
    )
    assert confirmed.endswith(f"{PUBLIC}/membership\n")
    declined = render("membership_declined", ann, membership=membership, amount="€5.00 a month")
    assert (
        "for Sponsor (€5.00 a month); nothing has been charged by us.\n\nThe note from our team: Card declined"
        in declined
    )
    assert declined.endswith(f"You can ask again at {PUBLIC}/support.\n")
    lapsed = render("membership_lapsed", ann, membership=membership)
    assert f"ended on 04 March 2027. Thank you for your support. To renew it: {PUBLIC}/support\n" in lapsed


@pytest.mark.parametrize(
    "action, words",
    [
        ("suspend", "suspended from commenting until 05 June 2027 14:30 UTC."),
        ("ban", "Your account is banned."),
        ("reinstate", "Your account is active again."),
        ("premoderate", "a moderator reviews your comments before they appear."),
        ("release", "no longer wait for a moderator"),
        ("warn", "A moderator has warned you about your comments."),
    ],
)
def test_a_sanction_mail_says_what_happened_and_why(mail_app, ann, action, words):
    ann.suspended_until = datetime(2027, 6, 5, 14, 30)
    body = render("sanction", ann, action=action, reason="Spam links")
    assert body.startswith("Hello ann<&>,\n\n") and words in body and body.endswith(".\n\nReason: Spam links\n")


def test_role_mails_say_the_new_role_the_old_one_and_where_to_find_the_work(mail_app, ann):
    site = mail_app.config["SITE_NAME"]
    promoted = render("role_changed", ann, before="reader", role="moderator", reason=None, words=ROLE_WORDS)
    assert (
        promoted
        == f"Hello ann<&>,\n\nYou are now a moderator on {site} (you were a reader). The Moderation link at the top of each page opens the queues.\n"
    )
    demoted = render("role_changed", ann, before="admin", role="reader", reason="left", words=ROLE_WORDS)
    assert f"You are no longer an admin on {site}; your account is a reader's account.\n\nReason: left\n" in demoted


def test_links_in_account_mail_are_on_the_public_address(mail_app, ann):
    reset = render("password_reset", ann, minutes=30, token="TOKEN")
    assert f"open this link within 30 minutes:\n\n{PUBLIC}/reset/TOKEN\n\nIf it was not you" in reset
    change = render("email_change", ann, hours=24, path="/account/email/T")
    assert (
        f"within 24 hours to use this address for your {mail_app.config['SITE_NAME']} account:\n\n{PUBLIC}/account/email/T\n"
        in change
    )
    export = render("export_ready", ann, hours=48)
    assert f"within 48 hours:\n\n{PUBLIC}/profile#your-data\n" in export


def test_no_mail_template_writes_an_address_of_its_own():
    """Every link goes through link() (links.py: PUBLIC_URL), never a literal or the request."""
    for template in TEMPLATES.glob("*.txt"):
        text = template.read_text(encoding="utf-8")
        assert "://" not in text and "request." not in text and "url_for" not in text, template.name
