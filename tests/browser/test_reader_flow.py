from sqlalchemy import select

from service.extensions import db
from service.models import Comment

from .seeding import seed_demo


def test_reader_signs_up_signs_in_and_comments_on_the_demo_article(app, live_server, page):
    seed_demo(app)
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Blinken starts round of talks with Chinese officials in Beijing").click()
    page.get_by_role("link", name="Sign in to leave a comment").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("newreader@example.com")
    page.get_by_label("Username").fill("newreader")
    page.get_by_label("Password").fill("a-good-long-password")
    page.get_by_role("button", name="Register").click()
    # Registration signs in and comes back to the comment form.
    assert "/articles/blinken-beijing-talks" in page.url
    page.get_by_role("button", name="Sign out").click()

    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email or username").fill("newreader")
    page.get_by_label("Password").fill("a-good-long-password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/articles/blinken-beijing-talks")
    page.get_by_label("Leave a comment").fill("Talking is better than not talking. <b>Agreed?</b>")
    page.get_by_role("button", name="Post comment").click()

    comment = page.locator(".comment", has_text="Talking is better than not talking.")
    comment.wait_for()
    assert "<b>Agreed?</b>" in comment.locator(".comment-body").inner_text()
    assert comment.locator(".author").inner_text() == "newreader"
    with app.app_context():
        stored = db.session.scalar(select(Comment).where(Comment.body.like("Talking is better%")))
        assert stored.body == "Talking is better than not talking. <b>Agreed?</b>"
