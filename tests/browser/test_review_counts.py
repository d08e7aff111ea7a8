"""Capped queue counts in real Chromium: the tab says "1,000+" past the cap, and the count the
page script refreshes after a decision is formatted the same way."""

from service.domain.accounts import accounts
from service.domain.moderation.capped import CAP
from service.domain.threads import articles

from ..conftest import PASSWORD, insert_comments


def seed(app, held):
    """`held` comments waiting in the pending queue, and a moderator."""
    with app.app_context():
        accounts.register("capmod@example.com", "capmod", PASSWORD, role="moderator")
        author = accounts.register("capreader@example.com", "capreader", PASSWORD)
        article = articles.save_article(
            {"slug": "cap", "title": "Busy story", "summary": "s", "body": "b", "comments_mode": "open"}
        )
        insert_comments(article.id, author.id, held, "held", body="held comment {n}")


def test_a_full_queue_says_how_full_and_the_refreshed_count_follows(app, live_server, page):
    seed(app, CAP + 1)
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server}/login")
    page.get_by_label("Email or username").fill("capmod")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/review/pending")
    badge = page.locator('[data-count="pending"]')
    assert badge.inner_text() == f"{CAP:,}+"
    assert badge.get_attribute("title") == f"more than {CAP:,} comments"

    # Approving one leaves exactly the cap: the script's refresh shows the number itself.
    page.locator(".card").first.focus()  # the keys act with focus in the queue
    page.keyboard.press("a")
    badge.filter(has_text=f"{CAP:,}").filter(has_not_text="+").wait_for()
    assert badge.inner_text() == f"{CAP:,}"
    assert problems == []
