"""In Chromium: a comment's Reply and Report open the page's one form of each, filled in for
that comment by parley.js (label, ids, target), and post what the reader wrote; without the
script the same controls lead to the page with that comment's form written in."""

from sqlalchemy import select

from service.extensions import db
from service.models import Comment, Report

from .steps import sign_in
from .test_featuring import SLUG, seed


def test_reply_and_report_forms_are_filled_in_for_the_comment_opened(app, cast_on_article, live_server, page):
    early, chosen = seed(app, cast_on_article)
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server}/articles/{SLUG}")
    comment = page.locator(f"#comment-{early}")
    comment.locator("details.reply > summary").click()
    box = comment.get_by_label("Reply to ann")
    # The copy is this comment's: its own ids (the counter and hint follow), its parent id.
    assert box.get_attribute("id") == f"reply-{early}"
    assert box.evaluate("el => el === document.activeElement")
    text = "A reply written in the copied form."
    box.fill(text)
    assert comment.locator(f"#reply-{early}-count").inner_text() == f"{len(text)} of 5,000 characters"
    assert page.locator("textarea[id='reply-__ID__']").count() == 0  # the template stays inert
    comment.get_by_role("button", name="Post reply").click()
    page.wait_for_url(lambda url: "/articles/" in url)
    with app.app_context():
        reply = db.session.scalar(select(Comment).where(Comment.body == text))
        assert reply is not None and reply.parent_id == early

    page.goto(f"{live_server}/articles/{SLUG}")
    other = page.locator(f"#comment-{chosen}")
    other.locator("details.report > summary").click()
    other.get_by_label("Why are you reporting this comment?").select_option("spam")
    other.get_by_label("More detail (optional)").fill("selling watches")
    other.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.comment_id == chosen))
        assert report is not None and report.reason == "spam: selling watches"


def test_without_the_script_a_reply_opens_on_its_own_page(app, cast_on_article, live_server, browser):
    early, _ = seed(app, cast_on_article)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "bob")
        page.goto(f"{live_server}/articles/{SLUG}")
        comment = page.locator(f"#comment-{early}")
        comment.locator("details.reply > summary").click()
        comment.get_by_role("link", name="Write a reply").click()
        page.wait_for_url(lambda url: f"reply={early}" in url)
        page.locator(f"#comment-{early}").get_by_label("Reply to ann").fill("Posted without the script.")
        page.locator(f"#comment-{early}").get_by_role("button", name="Post reply").click()
        page.wait_for_load_state()
        with app.app_context():
            reply = db.session.scalar(select(Comment).where(Comment.body == "Posted without the script."))
            assert reply is not None and reply.parent_id == early
    finally:
        context.close()
