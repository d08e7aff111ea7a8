"""In Chromium: whatever refuses a comment, the reader's text stays in the box and the reason
is beside it, in words."""
from ..conftest import PASSWORD

SLUG = "test-article"


def sign_in(page, live_server, name):
    page.goto(f"{live_server}/login")
    page.get_by_label("Email or username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/articles/{SLUG}")


def test_the_draft_is_kept_after_each_refusal(app, live_server, page, make_user, make_article, monkeypatch):
    make_article()
    make_user("ann")
    limit = app.config["COMMENT_MAX_LENGTH"]
    sign_in(page, live_server, "ann")
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
