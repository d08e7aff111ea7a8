"""In real Chromium: a reader downloads their data from the profile, then deletes the account
(a wrong password first), and can no longer sign in."""

import json
from pathlib import Path

from sqlalchemy import select

from service.domain.moderation import moderator_actions
from service.domain.threads import comments
from service.extensions import db
from service.models import Article, User

from .steps import sign_in

PASSWORD = "a-good-long-password"


def test_reader_downloads_their_data_and_deletes_the_account(app, live_server, page, make_user, make_article):
    make_user("mona", role="moderator")
    reader_id = make_user("petra", password=PASSWORD)
    make_article()
    with app.app_context():
        petra, mona = db.session.get(User, reader_id), db.session.scalar(select(User).where(User.username == "mona"))
        comment = comments.post_comment(db.session.scalar(select(Article)), petra, "Petra's considered view")
        moderator_actions.moderate(comment.id, mona, "approve")
        db.session.remove()

    sign_in(page, live_server, "petra", PASSWORD)
    page.get_by_role("link", name="petra").click()
    data_section = page.locator("#your-data")
    with page.expect_download() as downloading:
        data_section.get_by_role("button", name="Download my data").click()
    download = downloading.value
    assert download.suggested_filename.startswith("parley-data-petra-") and download.suggested_filename.endswith(
        ".json"
    )
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["schema"] == "parley.account-export" and data["profile"]["username"] == "petra"
    assert [c["body"] for c in data["comments"]] == ["Petra's considered view"]
    page.reload()
    assert "Ready — " in data_section.inner_text()

    data_section.get_by_role("link", name="Delete my account…").click()
    page.get_by_label("Your current password").fill("not-the-password")
    page.get_by_role("button", name="Delete my account").click()
    assert "not your current password" in page.locator(".error").inner_text()
    with app.app_context():
        assert db.session.get(User, reader_id).status == "active"

    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(f"{live_server}/")
    assert "Your account is deleted" in page.locator(".flash:not(.moderation-banner)").first.inner_text()
    assert page.get_by_role("link", name="Sign in").first.is_visible()

    page.goto(f"{live_server}/articles/test-article")
    assert "Petra's considered view" in page.content()  # kept (the default), by a deleted user
    assert "petra" not in page.locator(".comment .author").first.inner_text()
    sign_in(page, live_server, "petra", PASSWORD, expect_in=False)
    assert "do not match" in page.content()
