"""A moderator works the pending queue from the keyboard in real Chromium, under the real CSP."""

from sqlalchemy import select

from moderation.policy import Decision
from service.domain.accounts import accounts
from service.domain.moderation import verdicts
from service.domain.threads import articles, comments
from service.extensions import db
from service.models import Comment, User

PASSWORD = "a-long-enough-password"
SCORES = {
    "toxicity": 0.9,
    "severe_toxicity": 0.1,
    "obscene": 0.2,
    "threat": 0.05,
    "insult": 0.7,
    "identity_attack": 0.02,
}


def seed(app):
    """Three comments the system held, oldest first, and a moderator to work them."""
    with app.app_context():
        accounts.register("kbmod@example.com", "kbmod", PASSWORD, role="moderator")
        author = accounts.register("kbreader@example.com", "kbreader", PASSWORD)
        article = articles.save_article(
            {"slug": "kb", "title": "Keyboard story", "summary": "s", "body": "b", "comments_mode": "open"}
        )
        ids = []
        for body in ("first held comment", "second held comment", "third held comment"):
            comment = comments.post_comment(article, author, body)
            start = body.index("held")
            spans = [{"start": start, "end": start + 4, "text": "held", "weight": 0.8}]
            verdicts.record_system_decision(
                comment, Decision("hold", "toxicity 0.90 ≥ hold 0.80", "scores"), SCORES, "test-model", "1", spans
            )
            db.session.commit()
            ids.append(comment.id)
        return ids


def state(app, comment_id):
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        return comment.status, comment.featured, comment.reason


def focused_card(page):
    return page.evaluate("document.activeElement.closest('.card') && document.activeElement.closest('.card').id")


def test_moderator_works_the_pending_queue_with_keyboard_shortcuts(app, live_server, page):
    first, second, third = seed(app)
    problems = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type in ("error", "warning") and "favicon" not in msg.location.get("url", "")
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    page.goto(f"{live_server}/login")
    page.get_by_label("Email or username").fill("kbmod")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Moderation").click()
    assert page.url.endswith("/review/pending")
    assert page.locator('[data-count="pending"]').inner_text() == "3"
    assert page.locator(f"#card-{third} mark").first.inner_text() == "held"

    # Keys pressed outside the queue are that control's: from the masthead, nothing happens.
    page.locator(".masthead a").first.focus()
    page.keyboard.press("a")
    page.keyboard.press("j")
    assert focused_card(page) is None
    assert state(app, third)[0] == "held"

    # Tab from the bulk bar reaches the queue at its first card (newest first); j, k move.
    page.locator("#bulk-form button[value=reject]").focus()
    page.keyboard.press("Tab")
    assert focused_card(page) == f"card-{third}"
    page.keyboard.press("j")
    assert focused_card(page) == f"card-{second}"
    page.keyboard.press("k")
    assert focused_card(page) == f"card-{third}"

    # a approves in place, and focus moves on to the next comment.
    page.keyboard.press("a")
    page.locator(f"#card-{third} [data-role=status]").filter(has_text="published").wait_for()
    assert "Approved" in page.locator(f"#card-{third} [data-role=result]").inner_text()
    assert focused_card(page) == f"card-{second}"

    # r picks the reason field, where no reason is chosen: Enter alone rejects nothing.
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == f"reason-{second}"
    assert page.locator(f"#reason-{second}").input_value() == ""
    page.keyboard.press("Enter")
    page.locator(f"#card-{second} [data-role=result]").filter(has_text="Choose a reason").wait_for()
    assert state(app, second)[0] == "held"
    page.locator(f"#reason-{second}").select_option("spam")
    page.keyboard.press("Enter")
    page.locator(f"#card-{second} [data-role=status]").filter(has_text="rejected").wait_for()
    assert focused_card(page) == f"card-{first}"

    # x selects for a bulk action; f features.
    page.keyboard.press("x")
    assert page.locator(f"#select-{first}").is_checked()
    page.keyboard.press("f")
    page.locator(f"#card-{first} [data-role=status]").filter(has_text="published").wait_for()
    page.locator('[data-count="pending"]').filter(has_text="0").wait_for()

    # ? shows the help; Escape closes it.
    page.keyboard.press("?")
    assert page.locator("#review-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#review-help").is_visible()

    assert state(app, third) == ("published", False, "approved by a moderator")
    assert state(app, second) == ("rejected", False, "spam")
    assert state(app, first)[:2] == ("published", True)

    # A decision someone else already made is shown, not overwritten.
    page.goto(f"{live_server}/review/comments/{second}")
    page.locator(f"#card-{second}").focus()
    page.keyboard.press("a")
    page.locator(f"#card-{second} [data-role=result]").filter(has_text="Already decided").wait_for()
    assert state(app, second)[0] == "rejected"

    csp = [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert not csp, csp
    assert not [p for p in problems if "409" not in p], problems  # the only error logged is the refused approve
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "kbmod")).is_moderator
