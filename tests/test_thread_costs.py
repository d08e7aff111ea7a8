"""What an article page costs: the same queries, CSRF tokens and URLs for 4 comments as for 16,
for a moderator (who sees every control on every comment) and for a signed-in reader."""

import re

import pytest

from service.extensions import db
from service.models import User

from .conftest import insert_comments, page_costs


def thread_costs(app, client):
    page, counts = page_costs(app, client, "/articles/test-article")
    return len(re.findall(r'<li class="comment[^"]*" id="comment-\d+"', page)), counts


def add_comments(app, article_id, count):
    with app.app_context():
        author = db.session.query(User).filter_by(username="ann").one()
        insert_comments(article_id, author.id, count, "published")


@pytest.mark.parametrize("role", ["moderator", "reader"])
def test_an_article_page_costs_the_same_for_4_comments_as_for_16(app, make_article, make_user, role, request):
    article_id = make_article()
    make_user("ann")
    client = request.getfixturevalue(f"as_{role}")
    add_comments(app, article_id, 4)
    few, at_4 = thread_costs(app, client)
    add_comments(app, article_id, 12)
    many, at_16 = thread_costs(app, client)
    assert (few, many) == (4, 16)
    # Every comment's forms and links come from builders made once per page (comment_urls).
    assert at_16 == at_4, (at_4, at_16)
    page, _ = page_costs(app, client, "/articles/test-article")
    # Each comment keeps its controls; the reply and report forms are the page's one each.
    # (The reader here is ann, the comments' author: her own are edited, not reported.)
    others = 16 if role == "moderator" else 0
    assert page.count('<details class="reply" data-form="reply"') == 16
    assert page.count('class="inline respect"') == page.count('<details class="report" data-form="report"') == others
    assert page.count('<details class="edit"') == 16 - others
    assert page.count('<template id="reply-form">') == page.count('<template id="report-form">') == 1


def test_a_signed_out_article_page_builds_no_csrf_token(app, make_article, make_user):
    """A token would tie the page to a session, and the page cache would never store it."""
    article_id = make_article()
    make_user("ann")
    add_comments(app, article_id, 4)
    page, counts = page_costs(app, app.test_client(), "/articles/test-article")
    assert counts["csrf"] == 0 and 'name="csrf_token"' not in page
    assert page.count('id="comment-') >= 4


@pytest.mark.parametrize("role", ["moderator", "reader"])
def test_an_article_page_reads_no_scores_and_every_tier_at_once(app, make_article, make_user, role, request):
    """A page shows no scores: its comments come without them (the JSON of 190 comments was
    the largest decode of a moderator's page), while the API's thread still carries them. The
    authors' tiers (badges) and the reader's own (the membership line) are one lookup."""
    from sqlalchemy import event

    article_id = make_article()
    make_user("ann")
    add_comments(app, article_id, 4)
    client = request.getfixturevalue(f"as_{role}")
    client.get("/articles/test-article")  # the session's first page reads what later ones keep
    statements = []

    def record(conn, cursor, statement, *_):
        statements.append(statement)

    def run(url):
        statements.clear()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            response = client.get(url)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert response.status_code == 200
        return response, list(statements)

    def is_thread(statement):  # the comments of the page's threads, read by their roots' ids
        return "comments.body" in statement and "comments.root_id" in statement.split("WHERE", 1)[-1]

    page, on_page = run("/articles/test-article")
    assert page.get_data(as_text=True).count('id="comment-') >= 4
    (thread,) = [s for s in on_page if is_thread(s)]
    assert "comments.scores" not in thread
    assert sum("memberships" in s for s in on_page) == 1, on_page
    api, in_api = run("/api/v1/articles/test-article/comments")
    (thread,) = [s for s in in_api if is_thread(s)]
    assert "comments.scores" in thread
    if role == "moderator":  # a moderator's API thread carries each comment's scores
        assert all("scores" in c for c in api.get_json()["comments"])


def test_an_article_page_builds_no_mapped_comment_or_author(app, make_article, make_user, as_moderator):
    """The page reads its comments and their authors' names as plain rows (ShownComment): the
    190 mapped comments and 150 users of a large page were a quarter of its CPU. The API's
    thread, which serialises every field, still loads mapped comments."""
    from sqlalchemy import event

    from service.models import Comment

    article_id = make_article()
    make_user("ann")
    add_comments(app, article_id, 4)
    as_moderator.get("/articles/test-article")  # the session's first page reads what later ones keep
    loaded = []

    def count(target, context):
        loaded.append(type(target).__name__)

    event.listen(Comment, "load", count)
    event.listen(User, "load", count)
    try:
        page = as_moderator.get("/articles/test-article").get_data(as_text=True)
        assert page.count('id="comment-') >= 4 and "Comment" not in loaded and loaded.count("User") <= 1, loaded
        loaded.clear()
        as_moderator.get("/api/v1/articles/test-article/comments")
        assert loaded.count("Comment") >= 4
    finally:
        event.remove(Comment, "load", count)
        event.remove(User, "load", count)
