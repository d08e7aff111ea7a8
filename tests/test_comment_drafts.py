"""A refused comment form never loses what the reader wrote: the article page comes back with
the text in its form and, beside it, what went wrong and what to do, in plain words."""

import html
import re

from sqlalchemy import func, select

from service.extensions import db
from service.models import Comment, User

SLUG = "test-article"


def text_of(page, textarea_id):
    found = re.search(rf'<textarea id="{textarea_id}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def error_of(page, textarea_id):
    found = re.search(rf'<p class="error form-error" id="{textarea_id}-error" role="alert">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Comment))


def test_a_comment_over_the_limit_comes_back_whole_with_the_limit_and_the_overshoot(ann_on_article, api, app):
    limit = app.config["COMMENT_MAX_LENGTH"]
    body = "word " * (limit // 5) + "tail end of a long thought"
    answer = api.form(f"/articles/{SLUG}/comments", {"body": body})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert text_of(page, "comment-body") == body  # not cut at the limit
    error = error_of(page, "comment-body")
    assert f"the limit is {limit:,}" in error and f"Shorten it by {len(body) - limit:,} characters" in error
    assert "body:" not in page and count(app) == 0
    # The page never cuts a paste: no maxlength on any comment box.
    assert "maxlength" not in re.search(r'<textarea id="comment-body"[^>]*>', page).group(0)


def test_an_empty_comment_says_what_to_do_not_which_field(ann_on_article, api):
    page = api.form(f"/articles/{SLUG}/comments", {"body": "   "}).get_data(as_text=True)
    assert error_of(page, "comment-body") == "Your comment is empty. Write something, then post it."


def test_a_refused_reply_opens_its_own_form_with_the_text(ann_on_article, api, app):
    first = api.post(f"/api/v1/articles/{SLUG}/comments", {"body": "top"}).get_json()["comment"]["id"]
    with app.app_context():
        db.session.get(Comment, first).status = "published"
        db.session.commit()
    body = "x" * (app.config["COMMENT_MAX_LENGTH"] + 1)
    answer = api.form(f"/articles/{SLUG}/comments", {"body": body, "parent_id": str(first)})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert text_of(page, f"reply-{first}") == body and "over" not in (error_of(page, "comment-body") or "")
    assert re.search(
        rf'<details class="reply" open>\s*<summary>Reply</summary>\s*<form[^>]*>.*?reply-{first}', page, re.S
    )


def test_a_refused_edit_keeps_the_new_text_and_offers_cancel(ann_on_article, api, app):
    cid = api.post(f"/api/v1/articles/{SLUG}/comments", {"body": "first words"}).get_json()["comment"]["id"]
    body = "second words " * 1000
    answer = api.form(f"/comments/{cid}/edit", {"body": body})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and text_of(page, f"edit-{cid}") == body
    assert '<button type="reset" class="secondary" data-close-details>Cancel</button>' in page
    with app.app_context():
        assert db.session.get(Comment, cid).body == "first words"


def test_a_rate_limited_comment_keeps_the_text_and_says_to_wait(ann_on_article, api, app, monkeypatch):
    monkeypatch.setitem(app.config, "COMMENT_LIMIT_PER_MINUTE", 1)
    assert api.form(f"/articles/{SLUG}/comments", {"body": "one"}).status_code == 302
    answer = api.form(f"/articles/{SLUG}/comments", {"body": "two, too soon"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 429 and "Error 429" not in page
    assert text_of(page, "comment-body") == "two, too soon"
    assert "Wait a minute, then post it again." in error_of(page, "comment-body")
    assert count(app) == 1


def test_a_suspended_reader_is_told_why_and_keeps_the_text_to_copy(ann_on_article, api, app):
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "ann")).status = "suspended"
        db.session.commit()
    answer = api.form(f"/articles/{SLUG}/comments", {"body": "my careful words"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 403
    assert text_of(page, "comment-kept") == "my careful words"
    assert "Your account is suspended from commenting." in page and count(app) == 0


def test_an_expired_form_token_keeps_the_text(ann_on_article, api, app):
    answer = api.client.post(f"/articles/{SLUG}/comments", data={"body": "typed for an hour", "csrf_token": "stale"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and text_of(page, "comment-body") == "typed for an hour"
    assert "Post it again now." in error_of(page, "comment-body") and count(app) == 0


def test_an_edit_after_the_window_keeps_the_text_though_the_form_is_gone(ann_on_article, api, app):
    from datetime import timedelta

    cid = api.post(f"/api/v1/articles/{SLUG}/comments", {"body": "first words"}).get_json()["comment"]["id"]
    with app.app_context():
        comment = db.session.get(Comment, cid)
        comment.created_at -= timedelta(minutes=app.config["COMMENT_EDIT_WINDOW_MINUTES"] + 1)
        db.session.commit()
    answer = api.form(f"/comments/{cid}/edit", {"body": "better words, too late"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 403 and f'id="edit-{cid}"' not in page
    assert text_of(page, "comment-kept") == "better words, too late"
    assert "can be edited for" in error_of(page, "comment-kept")
