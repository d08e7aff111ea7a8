"""In Chromium: whatever refuses a comment, the reader's text stays in the box and the reason
is beside it, in words."""

from .steps import open_host_page, sign_in, sign_in_through_widget

SLUG = "test-article"


def sign_in_on_the_article(page, live_server, name):
    sign_in(page, live_server, name)
    page.goto(f"{live_server}/articles/{SLUG}")


def test_the_draft_is_kept_after_each_refusal(app, live_server, page, make_user, make_article, monkeypatch):
    make_article()
    make_user("ann")
    limit = app.config["COMMENT_MAX_LENGTH"]
    sign_in_on_the_article(page, live_server, "ann")
    box = page.get_by_label("Leave a comment")

    # A paste over the limit is neither cut nor posted: the count says by how much.
    long_text = "a" * (limit + 25)
    box.fill(long_text)
    counter = page.locator("#comment-body-count")
    assert f"25 over the limit of {limit:,}" in counter.inner_text()
    page.get_by_role("button", name="Post comment").click()
    assert box.input_value() == long_text and page.url.endswith(f"/articles/{SLUG}")

    # Only spaces: the server refuses (422), the page comes back with the text and the reason.
    box.fill("   ")
    page.get_by_role("button", name="Post comment").click()
    error = page.locator("#comment-body-error")
    assert error.inner_text() == "Your comment is empty. Write something, then post it."
    assert page.get_by_label("Leave a comment").input_value() == "   "
    assert page.evaluate("document.activeElement.id") == "comment-body"

    # Too fast (429): the second comment stays in the box, with what to do.
    monkeypatch.setitem(app.config, "COMMENT_LIMIT_PER_MINUTE", 1)
    page.get_by_label("Leave a comment").fill("first thought")
    page.get_by_role("button", name="Post comment").click()
    page.locator(".comment", has_text="first thought").wait_for()
    page.get_by_label("Leave a comment").fill("second thought, quickly")
    page.get_by_role("button", name="Post comment").click()
    assert "Wait a minute, then post it again." in page.locator("#comment-body-error").inner_text()
    assert page.get_by_label("Leave a comment").input_value() == "second thought, quickly"
    assert "Error 429" not in page.content()


def test_the_widget_keeps_the_draft_after_each_refusal(app, live_server, browser, make_user, make_article, monkeypatch):
    """The same in the widget on another site: the reason beside the box, the text in it."""
    from sqlalchemy import select

    from service.domain.embed import sites
    from service.extensions import db
    from service.models import User

    from .embed_host import host_site

    make_article()
    make_user("adam", role="admin")
    make_user("ann")
    limit = app.config["COMMENT_MAX_LENGTH"]
    with host_site(live_server, SLUG) as host:
        with app.app_context():
            sites.add_origin(host, db.session.scalar(select(User).where(User.role == "admin")))
            db.session.remove()
        page, frame = open_host_page(browser, host, 360, 800)
        sign_in_through_widget(page, frame, "ann")
        box = frame.get_by_label("Leave a comment")
        box.wait_for()

        # Over the limit: counted, not cut, not sent.
        box.fill("b" * (limit + 7))
        assert f"7 over the limit of {limit:,}" in frame.locator("#pw-body-new-count").inner_text()
        frame.get_by_role("button", name="Post comment").click()
        assert "shorten it by 7" in frame.locator("#pw-body-new-problem").inner_text()
        assert box.input_value() == "b" * (limit + 7)

        # Only spaces: the server's 422 in words, the text kept.
        box.fill("   ")
        frame.get_by_role("button", name="Post comment").click()
        frame.locator("#pw-body-new-problem", has_text="Your comment is empty").wait_for()
        assert box.input_value() == "   "

        # Too fast: the 429 in words, the second comment kept.
        monkeypatch.setitem(app.config, "COMMENT_LIMIT_PER_MINUTE", 1)
        box.fill("first from the widget")
        frame.get_by_role("button", name="Post comment").click()
        frame.locator(".pw-comment", has_text="first from the widget").wait_for()
        box.fill("second, too soon")
        frame.get_by_role("button", name="Post comment").click()
        frame.locator("#pw-body-new-problem", has_text="posting faster than we allow").wait_for()
        assert box.input_value() == "second, too soon"
        page.context.close()
