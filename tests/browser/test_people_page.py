"""Admin → People in real Chromium: an admin finds a reader by the email they wrote from,
appoints them moderator, and the new moderator finds the queues; every text on both pages
keeps AA contrast."""

from sqlalchemy import select

from service.domain.accounts import accounts
from service.extensions import db
from service.models import OutboxMessage, User
from tests.browser.contrast import text_failures
from tests.browser.steps import sign_in
from tests.browser.test_membership_flow import PASSWORD


def test_an_admin_finds_a_reader_by_email_and_appoints_a_moderator(app, live_server, browser):
    with app.app_context():
        accounts.register("chief@example.com", "chief", PASSWORD, role="admin")
        accounts.register("letters.editor@example.org", "lena", PASSWORD)
        for n in range(3):
            accounts.register(f"someone{n}@example.com", f"someone{n}", PASSWORD)
    admin = browser.new_context().new_page()
    sign_in(admin, live_server, "chief", PASSWORD)
    admin.get_by_role("link", name="Admin").click()
    admin.get_by_role("link", name="People").click()
    assert admin.locator("table.people tbody tr").count() == 5
    assert text_failures(admin, "main") == []

    admin.get_by_label("Username or email").fill("LETTERS.editor@")
    admin.get_by_role("button", name="Find").click()
    rows = admin.locator("table.people tbody tr")
    assert rows.count() == 1 and "letters.editor@example.org" in rows.first.inner_text()
    rows.first.get_by_role("link", name="lena").click()

    admin.get_by_role("link", name="Comments, record and sanctions").wait_for()
    admin.get_by_label("moderator").check()
    admin.get_by_label("Why (optional; in the mail and the history)").fill("runs the letters page")
    admin.get_by_role("button", name="Change role").click()
    admin.locator(".flash").filter(has_text="lena is now a moderator").wait_for()
    assert "role: reader → moderator" in admin.locator("main").inner_text()
    assert text_failures(admin, "main") == []

    with app.app_context():
        lena = db.session.scalar(select(User).where(User.username == "lena"))
        assert lena.role == "moderator"
        assert db.session.scalar(select(OutboxMessage.subject).where(OutboxMessage.user_id == lena.id)).startswith(
            "Your role on"
        )

    moderator = browser.new_context().new_page()
    sign_in(moderator, live_server, "lena", PASSWORD)
    moderator.get_by_role("link", name="Moderation").click()
    moderator.get_by_role("heading", name="Pending queue").wait_for()
    assert moderator.get_by_role("link", name="Admin").count() == 0
