"""The small words readers see: prompts that say the thing once and truly, a profile line
without repeats, a Support page that marks nothing "current" for a visitor, a note where a
reply link would be at the deepest level, and a password that is not the username."""

from service.domain.membership.perks import ensure_default_tiers
from service.extensions import db
from service.models import Comment

from .conftest import PASSWORD, nothing_changes


def test_the_sign_in_prompt_says_it_once(client, make_article):
    make_article()
    page = client.get("/articles/test-article").get_data(as_text=True)
    assert "Sign in to leave a comment</a>" in page
    assert "You need to log in" not in page


def test_a_members_only_thread_says_so_to_a_visitor(client, make_article):
    make_article(comments_mode="members")
    page = client.get("/articles/test-article").get_data(as_text=True)
    assert "Comments here are for members." in page and "become a member</a>" in page
    assert "Sign in to leave a comment</a>" not in page


def test_the_support_page_marks_no_current_tier_for_a_visitor(app, client, api, make_user):
    with app.app_context():
        ensure_default_tiers()
    assert "Your current tier" not in client.get("/support").get_data(as_text=True)
    make_user("ann")
    api.login("ann")
    assert api.client.get("/support").get_data(as_text=True).count("Your current tier") == 1


def test_the_profile_line_names_a_reader_once(api, make_user):
    make_user("ann")
    api.login("ann")
    page = api.client.get("/profile").get_data(as_text=True)
    assert "Reader · Reader" not in page and "Reader · member since" in page


def test_the_deepest_comment_says_why_it_has_no_reply_link(ann_on_article, app, api):
    parent = None
    for depth in range(app.config["COMMENT_MAX_DEPTH"] + 1):
        data = {"body": f"level {depth}", **({"parent_id": parent} if parent else {})}
        parent = api.post("/api/v1/articles/test-article/comments", data).get_json()["comment"]["id"]
        with app.app_context():
            db.session.get(Comment, parent).status = "published"
            db.session.commit()
    page = api.client.get("/articles/test-article").get_data(as_text=True)
    deepest = page[page.index(f'id="comment-{parent}"') :]
    assert "Replies stop at this depth; reply to a comment higher up." in deepest
    assert f'id="reply-{parent}"' not in page


def test_a_password_equal_to_the_username_or_email_is_refused(app, api):
    for name, email, password in (
        ("longusername1", "a@example.com", "LongUsername1"),
        ("someone", "first.last.name@example.com", "first.last.name@example.com"),
    ):
        with nothing_changes(app):
            answer = api.post("/api/v1/auth/register", {"email": email, "username": name, "password": password})
        assert answer.status_code == 422
        assert "cannot be your username or email" in answer.get_json()["errors"]["password"]
    fine = api.post(
        "/api/v1/auth/register", {"email": "b@example.com", "username": "longusername1", "password": PASSWORD}
    )
    assert fine.status_code == 201
