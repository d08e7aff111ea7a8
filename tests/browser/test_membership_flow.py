"""In real Chromium: an admin grants a subscription, then the reader comments on a
members-only article and the comment carries the Subscriber badge."""

from service.domain.membership.perks import ensure_default_tiers

from .seeding import seed_demo
from .steps import sign_in

PASSWORD = "a-good-long-password"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_admin_grants_a_subscription_and_the_reader_comments_with_a_badge(app, live_server, page, make_user):
    seed_demo(app)
    with app.app_context():
        ensure_default_tiers()
    make_user("editor", role="admin", password=PASSWORD)
    make_user("maria", password=PASSWORD)
    article = f"{live_server}/articles/members-briefing-beijing-talks"

    # Before: maria reads the thread, is told why she cannot comment, and where to go.
    sign_in(page, live_server, "maria", PASSWORD)
    page.goto(article)
    notice = page.locator("#comment-form .notice")
    assert "open to members only" in notice.inner_text()
    assert notice.get_by_role("link", name="Support us").get_attribute("href") == "/support"
    sign_out(page)

    # The admin grants her a subscription from the admin pages.
    sign_in(page, live_server, "editor", PASSWORD)
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("navigation", name="Admin").get_by_role("link", name="Members", exact=True).click()
    page.get_by_role("link", name="Grant a membership").click()
    page.get_by_label("Member (username)").fill("maria")
    page.get_by_label("Tier").select_option("subscriber")
    page.get_by_label("Note").fill("a year's subscription, paid at the front desk")
    page.get_by_role("button", name="Grant membership").click()
    assert "Recorded Subscriber for maria." in page.locator(".flash:not(.moderation-banner)").first.inner_text()
    assert "current tier: Subscriber" in page.locator("main").inner_text()
    sign_out(page)

    # After: she comments, and her comment shows the badge.
    sign_in(page, live_server, "maria", PASSWORD)
    page.goto(article)
    page.get_by_label("Leave a comment").fill("The military hotlines matter most, I think.")
    page.get_by_role("button", name="Post comment").click()
    comment = page.locator(".comment", has_text="The military hotlines matter most")
    comment.wait_for()
    assert comment.locator(".author").inner_text() == "maria"
    assert comment.locator(".tier-badge").inner_text() == "Subscriber"
    page.get_by_role("link", name="My membership").click()
    assert "You are a Subscriber" in page.locator("main").inner_text()
