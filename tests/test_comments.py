from datetime import timedelta

from sqlalchemy import select

from service.extensions import db
from service.models import Article, Comment, ModerationAction, OutboxMessage

SLUG = "test-article"


def comments_url(slug=SLUG):
    return f"/api/v1/articles/{slug}/comments"


def stored(app):
    """Every comment as stored (id, status, body, edited), the history's length and the mail
    sent: what a refused request must leave as it was."""
    with app.app_context():
        comments = db.session.execute(
            select(Comment.id, Comment.status, Comment.body, Comment.edited_at).order_by(Comment.id)
        ).all()
        return (
            comments,
            db.session.scalar(select(db.func.count()).select_from(ModerationAction)),
            db.session.scalar(select(db.func.count()).select_from(OutboxMessage)),
        )


def post(api, body="A perfectly ordinary comment.", parent_id=None, slug=SLUG):
    payload = {"body": body} if parent_id is None else {"body": body, "parent_id": parent_id}
    return api.post(comments_url(slug), payload)


def test_signed_in_reader_posts_and_everyone_sees_it_once_decided(ann_on_article, api, other_api, worker):
    response = post(api, "First!\n\nSecond paragraph.")
    assert response.status_code == 201
    comment = response.get_json()["comment"]
    assert comment["body"] == "First!\n\nSecond paragraph."
    assert comment["status"] == "pending"
    assert comment["author"] == {"username": "ann", "tier": "reader"}
    # The author sees it at once; others once the worker has published it.
    assert [c["id"] for c in api.get(comments_url()).get_json()["comments"]] == [comment["id"]]
    assert other_api.get(comments_url()).get_json()["comments"] == []
    worker.drain()
    listed = other_api.get(comments_url()).get_json()["comments"]
    assert [c["id"] for c in listed] == [comment["id"]] and listed[0]["status"] == "published"
    assert "scores" not in listed[0]


def test_every_comment_passes_through_pending_and_is_recorded(ann_on_article, api, app, worker):
    cid = post(api).get_json()["comment"]["id"]
    worker.drain()
    with app.app_context():
        history = db.session.scalars(select(ModerationAction).where(ModerationAction.comment_id == cid)).all()
        assert [(h.from_status, h.to_status, h.actor_id) for h in history] == [("pending", "published", None)]


def test_signed_out_visitor_reads_but_cannot_post(ann_on_article, app, api, worker):
    client = app.test_client()
    post(api, "Visible to all")
    worker.drain()
    before = stored(app)
    assert client.post(comments_url(), json={"body": "anon"}).status_code == 401
    assert stored(app) == before
    page = client.get(f"/articles/{SLUG}").get_data(as_text=True)
    assert "Visible to all" in page
    assert "Sign in to leave a comment" in page
    assert f"/login?next=/articles/{SLUG}%23comment-form" in page
    assert 'id="comment-body"' not in page


def test_replies_nest_and_respect_max_depth(ann_on_article, api, app):
    parent = post(api, "top").get_json()["comment"]["id"]
    for _ in range(app.config["COMMENT_MAX_DEPTH"]):
        response = post(api, "deeper", parent_id=parent)
        assert response.status_code == 201
        parent = response.get_json()["comment"]["id"]
    before = stored(app)
    too_deep = post(api, "too deep", parent_id=parent)
    assert too_deep.status_code == 422
    assert "parent_id" in too_deep.get_json()["errors"]
    assert stored(app) == before


def test_reply_to_a_comment_on_another_article_is_refused(api, make_user, make_article, app):
    make_article()
    make_article(slug="other")
    make_user("ann")
    api.login("ann")
    elsewhere = post(api, slug="other").get_json()["comment"]["id"]
    before = stored(app)
    assert post(api, parent_id=elsewhere).status_code == 422
    assert post(api, parent_id=999999).status_code == 422
    assert post(api, parent_id="1").status_code == 422
    assert stored(app) == before


def test_body_limits(ann_on_article, api, app):
    for body in ("", "   \n ", None, 42, "x" * 5001):
        response = post(api, body)
        assert response.status_code == 422, body
        assert "body" in response.get_json()["errors"]
    assert post(api, "x" * 5000).status_code == 201
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Comment)) == 1


def test_the_schema_names_every_bad_field_of_a_comment_and_nothing_is_stored(ann_on_article, api, app):
    """service/schemas/comments.py validates the post, the edit and the report alike."""
    comment = post(api).get_json()["comment"]["id"]
    before = stored(app)
    refused = post(api, "   ", parent_id="1")
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"body": "Write something first.", "parent_id": "Must be a comment id."}
    edited = api.patch(f"/api/v1/comments/{comment}", {"body": "x" * 5001})
    assert edited.get_json()["errors"] == {"body": "Keep it to 5000 characters (this is 5001)."}
    reported = api.post(f"/api/v1/comments/{comment}/reports", {"reason": "\n\t"})
    assert reported.status_code == 422
    assert reported.get_json()["errors"] == {"reason": "Say why, in at most 500 characters."}
    assert stored(app) == before


def test_body_is_stored_exactly_and_rendered_escaped(ann_on_article, api):
    nasty = ["<script>alert(1)</script>", '" onmouseover="alert(1)', "<img src=x onerror=alert(1)>"]
    for body in nasty:
        returned = post(api, body).get_json()["comment"]
        assert returned["body"] == body
        assert api.get(f"/api/v1/comments/{returned['id']}").get_json()["comment"]["body"] == body
    page = api.client.get(f"/articles/{SLUG}").get_data(as_text=True)  # the author sees them while pending
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '" onmouseover="alert(1)' not in page
    assert "&#34; onmouseover=&#34;alert(1)" in page
    assert "<img src=x" not in page


def test_edit_within_window_then_refused(ann_on_article, api, app):
    cid = post(api, "orginal").get_json()["comment"]["id"]
    edited = api.patch(f"/api/v1/comments/{cid}", {"body": "original"})
    assert edited.status_code == 200
    assert edited.get_json()["comment"]["body"] == "original"
    assert edited.get_json()["comment"]["edited_at"]
    with app.app_context():
        comment = db.session.get(Comment, cid)
        comment.created_at -= timedelta(minutes=app.config["COMMENT_EDIT_WINDOW_MINUTES"] + 1)
        db.session.commit()
    before = stored(app)
    late = api.patch(f"/api/v1/comments/{cid}", {"body": "too late"})
    assert late.status_code == 403
    assert "15 minutes" in late.get_json()["error"]
    assert stored(app) == before and before[0][0].body == "original"


def test_only_the_author_edits_or_deletes(api, other_api, make_user, make_article, worker, app):
    make_article()
    make_user("ann")
    make_user("bob")
    api.login("ann")
    other_api.login("bob")
    cid = post(api).get_json()["comment"]["id"]
    worker.drain()
    before = stored(app)
    assert other_api.patch(f"/api/v1/comments/{cid}", {"body": "hijack"}).status_code == 403
    assert other_api.delete(f"/api/v1/comments/{cid}").status_code == 403
    assert stored(app) == before and before[0][0].status == "published"
    assert api.get(f"/api/v1/comments/{cid}").get_json()["comment"]["body"] == "A perfectly ordinary comment."


def test_only_the_author_is_offered_the_delete_form(cast_on_article, api, other_api, client, worker):
    other_api.login("bob")
    cid = post(api).get_json()["comment"]["id"]
    worker.drain()
    delete_form = f'action="/comments/{cid}/delete"'
    assert delete_form in api.client.get(f"/articles/{SLUG}").get_data(as_text=True)
    for someone_else in (other_api.client, client):  # another reader, and a signed-out one
        page = someone_else.get(f"/articles/{SLUG}").get_data(as_text=True)
        assert "A perfectly ordinary comment." in page and delete_form not in page


def test_soft_delete_keeps_the_thread_shape(api, other_api, make_user, make_article, client, worker, app):
    make_article()
    make_user("ann")
    make_user("bob")
    api.login("ann")
    other_api.login("bob")
    parent = post(api, "parent comment").get_json()["comment"]["id"]
    worker.drain()
    child = post(other_api, "a reply", parent_id=parent).get_json()["comment"]["id"]
    lonely = post(api, "nobody replied").get_json()["comment"]["id"]
    worker.drain()
    assert api.delete(f"/api/v1/comments/{parent}").status_code == 204
    assert api.delete(f"/api/v1/comments/{lonely}").status_code == 204
    listed = {c["id"]: c for c in client.get(comments_url()).get_json()["comments"]}
    assert set(listed) == {parent, child}
    assert listed[parent]["status"] == "deleted" and listed[parent]["body"] == "" and listed[parent]["author"] is None
    assert listed[child]["parent_id"] == parent
    page = client.get(f"/articles/{SLUG}").get_data(as_text=True)
    assert "This comment was deleted." in page and "parent comment" not in page
    before = stored(app)
    assert api.patch(f"/api/v1/comments/{parent}", {"body": "back"}).status_code == 403
    assert post(api, "reply to deleted", parent_id=parent).status_code == 422
    assert stored(app) == before


def test_closed_article_shows_thread_but_takes_no_comments(ann_on_article, api, app, client):
    post(api, "said before closing")
    with app.app_context():
        db.session.scalar(select(Article)).comments_mode = "closed"
        db.session.commit()
    before = stored(app)
    refused = post(api, "after closing")
    assert refused.status_code == 403
    assert "closed" in refused.get_json()["error"]
    assert stored(app) == before
    page = api.client.get(f"/articles/{SLUG}").get_data(as_text=True)
    assert "said before closing" in page and "Comments on this article are closed." in page
    assert 'id="comment-body"' not in page


def test_members_only_article_refuses_plain_readers(api, make_user, make_article, app):
    make_article(comments_mode="members")
    make_user("ann")
    api.login("ann")
    refused = post(api)
    assert refused.status_code == 403 and "members" in refused.get_json()["error"]
    assert stored(app) == ([], 0, 0)


def test_page_forms_post_reply_edit_delete(ann_on_article, api, client):
    response = api.form(f"/articles/{SLUG}/comments", {"body": "from the page"})
    assert response.status_code == 302 and "#comment-" in response.headers["Location"]
    cid = int(response.headers["Location"].rsplit("-", 1)[1])
    reply = api.form(f"/articles/{SLUG}/comments", {"body": "replying", "parent_id": str(cid)})
    assert reply.status_code == 302
    api.form(f"/comments/{cid}/edit", {"body": "edited on the page"})
    page = api.client.get(f"/articles/{SLUG}").get_data(as_text=True)
    assert "edited on the page" in page and "replying" in page
    api.form(f"/comments/{cid}/delete", {})
    assert "edited on the page" not in client.get(f"/articles/{SLUG}").get_data(as_text=True)


def test_page_form_without_csrf_token_is_refused(ann_on_article, api, app):
    response = api.client.post(f"/articles/{SLUG}/comments", data={"body": "no token"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Comment)) is None
