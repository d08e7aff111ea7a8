"""Threads and queues a page at a time (keyset cursors), root_id, and the rules that must not
change on the way: who sees what, replies beside their roots, the comment count."""

from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select, update

from service.domain.threads import comments, threads
from service.extensions import db
from service.models import Article, Comment, User

SLUG = "test-article"
T0 = datetime(2026, 1, 1, 12, 0, 0, 123456)


def _post(article_id, author_id, body, parent_id=None, status="published", at=None):
    """A comment through the normal domain path, then put in the state and time a test needs."""
    article = db.session.get(Article, article_id)
    author = db.session.get(User, author_id)
    comment = comments.post_comment(article, author, body, parent_id)
    values = {"status": status}
    if at is not None:
        values["created_at"] = at
    if status == "deleted":
        values["deleted_at"] = at or T0
    db.session.execute(update(Comment).where(Comment.id == comment.id).values(**values))
    db.session.commit()
    return comment.id


@pytest.fixture
def forum(app, make_user, make_article):
    """An article with 12 threads; roots 2 and 3 share a created_at (the id breaks the tie).
    Each root has a reply, every third a reply to the reply."""
    article_id = make_article()
    ann, bob = make_user("ann"), make_user("bob")
    roots, replies = [], {}
    with app.app_context():
        for n in range(12):
            at = T0 + timedelta(minutes=n if n != 3 else 2)
            root = _post(article_id, ann if n % 2 else bob, f"root {n}", at=at)
            reply = _post(article_id, bob, f"reply to {n}", parent_id=root, at=at + timedelta(hours=5))
            replies[root] = [reply]
            if n % 3 == 0:
                replies[root].append(_post(article_id, ann, f"deeper {n}", parent_id=reply, at=at + timedelta(hours=6)))
            roots.append(root)
    return {"article": article_id, "roots": roots, "replies": replies, "ann": ann, "bob": bob}


def walk(client, limit, between=None, url=f"/api/v1/articles/{SLUG}/comments"):
    """Every page of an API listing; `between(page_number)` may add comments between pages."""
    pages, cursor = [], None
    while True:
        sep = "&" if "?" in url else "?"
        answer = client.get(f"{url}{sep}limit={limit}" + (f"&cursor={quote(cursor)}" if cursor else ""))
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        pages.append(body["comments"])
        cursor = body["next"]
        if cursor is None:
            return pages
        if between:
            between(len(pages))
        assert len(pages) < 100


def top_level(page):
    return [c["id"] for c in page if c["parent_id"] is None]


def test_pages_walk_every_thread_once_in_order_with_replies_beside_their_roots(client, forum):
    pages = walk(client, limit=5)
    assert [len(top_level(p)) for p in pages] == [5, 5, 2]
    seen = [cid for page in pages for cid in top_level(page)]
    assert seen == forum["roots"]  # oldest first; the tie at minute 2 goes by id
    for page in pages:
        page_roots = set(top_level(page))
        for comment in page:
            if comment["parent_id"] is not None:
                assert any(comment["id"] in forum["replies"][r] for r in page_roots)
        assert sum(len(forum["replies"][r]) for r in page_roots) == len(page) - len(page_roots)


def test_comments_added_between_pages_neither_repeat_nor_skip(app, client, forum):
    added = []

    def add(page_number):
        with app.app_context():
            # A new thread (the newest, so it belongs at the end) and a reply to the first thread.
            added.append(
                _post(
                    forum["article"], forum["ann"], f"new {page_number}", at=T0 + timedelta(days=1, minutes=page_number)
                )
            )
            _post(forum["article"], forum["bob"], "late reply", parent_id=forum["roots"][0], at=T0 + timedelta(days=2))

    pages = walk(client, limit=4, between=add)
    seen = [cid for page in pages for cid in top_level(page)]
    assert len(seen) == len(set(seen))
    assert seen == forum["roots"] + added


def test_pages_together_show_what_the_whole_thread_shows_to_each_viewer(app, client, api, make_user, forum):
    moderator = make_user("mod", role="moderator")
    with app.app_context():
        first, second, third = forum["roots"][:3]
        # ann's own pending and held comments; a deleted root that keeps a visible reply; a
        # deleted root with nothing visible under it; a held reply under a published root.
        _post(forum["article"], forum["ann"], "ann pending", status="pending", at=T0 + timedelta(minutes=30))
        _post(forum["article"], forum["ann"], "ann held reply", parent_id=third, status="held")
        db.session.execute(update(Comment).where(Comment.id.in_([first, second])).values(status="deleted"))
        db.session.execute(update(Comment).where(Comment.id.in_(forum["replies"][second])).values(status="held"))
        db.session.commit()
        users = {
            name: db.session.get(User, uid)
            for name, uid in (("ann", forum["ann"]), ("bob", forum["bob"]), ("mod", moderator))
        }
        article = db.session.get(Article, forum["article"])
        for viewer in (None, users["ann"], users["bob"], users["mod"]):
            everything = comments.thread(article, viewer)
            paged, cursor = [], None
            while True:
                page = threads.page(article, viewer, cursor=cursor, limit=3)
                paged += page.comments
                cursor = page.next
                if cursor is None:
                    break
            assert sorted(c.id for c in paged) == sorted(c.id for c in everything)
            assert threads.comment_count(article, viewer) == sum(1 for c in everything if not c.is_deleted)
        assert second not in {c.id for c in comments.thread(article, None)}  # nothing visible below it
        assert second in {c.id for c in comments.thread(article, users["bob"])}  # bob's own held reply
    # Over HTTP too: ann sees her pending comment and its state, bob does not.
    api.login("ann")
    assert "ann pending" in [c["body"] for page in walk(api.client, limit=50) for c in page]
    assert "ann pending" not in [c["body"] for page in walk(client, limit=50) for c in page]


def test_article_page_links_to_the_next_page_and_counts_everything(app, client, forum):
    with app.app_context():
        for n in range(60):  # 72 threads: two pages of 50
            _post(forum["article"], forum["bob"], f"filler {n}", at=T0 + timedelta(days=3, seconds=n))
    first = client.get(f"/articles/{SLUG}").get_data(as_text=True)
    assert "88 comments" in first  # 12 roots + 16 replies + 60
    assert "root 0" in first and "filler 37" in first and "filler 38" not in first
    link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "More comments" in first
    second = client.get(link).get_data(as_text=True)
    assert "filler 38" in second and "filler 59" in second and "root 0" not in second
    assert "88 comments" in second and 'rel="next"' not in second and "First comments" in second


@pytest.mark.parametrize("cursor", ["nonsense", "e30", "W10", "WyIyMDI2LTAxLTAxIiwtMV0", "x" * 300, "WyJ4IiwxXQ"])
def test_a_bad_cursor_is_a_400_with_a_clear_message(client, forum, cursor):
    api = client.get(f"/api/v1/articles/{SLUG}/comments?cursor={cursor}")
    assert api.status_code == 400
    assert "bad cursor" in api.get_json()["error"]
    page = client.get(f"/articles/{SLUG}?cursor={cursor}")
    assert page.status_code == 400 and "bad cursor" in page.get_data(as_text=True)


def test_limit_is_bounded(client, forum):
    assert client.get(f"/api/v1/articles/{SLUG}/comments?limit=0").status_code == 422
    assert client.get(f"/api/v1/articles/{SLUG}/comments?limit=201").status_code == 422
    assert client.get(f"/api/v1/articles/{SLUG}/comments?limit=200").status_code == 200


def test_root_id_is_set_for_comments_and_replies_made_the_normal_way(app, api, forum):
    api.login("ann")
    root = api.post(f"/api/v1/articles/{SLUG}/comments", {"body": "top"}).get_json()["comment"]["id"]
    reply = api.post(f"/api/v1/articles/{SLUG}/comments", {"body": "r", "parent_id": root}).get_json()["comment"]["id"]
    deeper = api.post(f"/api/v1/articles/{SLUG}/comments", {"body": "rr", "parent_id": reply}).get_json()["comment"][
        "id"
    ]
    with app.app_context():
        got = dict(
            db.session.execute(select(Comment.id, Comment.root_id).where(Comment.id.in_([root, reply, deeper]))).all()
        )
    assert got == {root: root, reply: root, deeper: root}


# --- queues -----------------------------------------------------------------------------


@pytest.fixture
def queue_comments(app, make_user, make_article):
    """30 comments in the pending queue (pending and held, interleaved in time, some sharing a
    created_at), 10 in review, 20 published; each with a toxicity score."""
    article_id = make_article()
    author = make_user("ann")
    moderator = make_user("mod", role="moderator")
    queue_of = {"pending": "pending", "held": "pending", "review": "review", "published": "none"}
    made = {"pending": [], "review": [], "none": []}
    with app.app_context():
        for n in range(60):
            status = "pending" if n < 15 else "held" if n < 30 else "review" if n < 40 else "published"
            at = T0 + timedelta(minutes=(n * 7) % 60 // 2)  # shuffled, with ties
            cid = _post(article_id, author, f"queued {n}", status=status, at=at)
            score = {"toxicity": round((n * 37 % 100) / 100, 2)}
            db.session.execute(update(Comment).where(Comment.id == cid).values(scores=score))
            made[queue_of[status]].append(cid)
        db.session.commit()
    return {"article": article_id, "author": author, "moderator": moderator, **made}


def _expected(app, ids, sort):
    with app.app_context():
        rows = db.session.scalars(select(Comment).where(Comment.id.in_(ids))).all()
        if sort == "age":
            rows.sort(key=lambda c: (c.created_at, c.id), reverse=True)
        elif sort == "oldest":
            rows.sort(key=lambda c: (c.created_at, c.id))
        else:
            rows.sort(key=lambda c: (-c.scores["toxicity"], c.id))
        return [c.id for c in rows]


@pytest.mark.parametrize("sort", ["age", "oldest", "score"])
@pytest.mark.parametrize("name", ["pending", "review"])
def test_queue_pages_walk_every_comment_once_in_order(app, api, queue_comments, sort, name):
    api.login("mod")
    pages = walk(api.client, limit=4, url=f"/api/v1/review/queues/{name}?sort={sort}")
    seen = [c["id"] for page in pages for c in page]
    assert seen == _expected(app, queue_comments[name], sort)


def test_queue_walk_survives_comments_arriving_between_pages(app, api, queue_comments):
    api.login("mod")
    added = []

    def add(page_number):
        with app.app_context():
            # Newer than everything: with newest first it belongs before the cursor, so not seen.
            added.append(
                _post(
                    queue_comments["article"],
                    queue_comments["author"],
                    f"new {page_number}",
                    status="held",
                    at=T0 + timedelta(days=1),
                )
            )

    pages = walk(api.client, limit=7, between=add, url="/api/v1/review/queues/pending?sort=oldest")
    seen = [c["id"] for page in pages for c in page]
    assert len(seen) == len(set(seen))
    # Oldest first: the old ones all once, in order, then those added as they came.
    assert seen == _expected(app, queue_comments["pending"], "oldest") + added


def test_reported_queue_pages(app, api, other_api, make_user, queue_comments):
    make_user("reporter")
    other_api.login("reporter")
    reported = queue_comments["review"][:6]
    for cid in reported:
        assert other_api.post(f"/api/v1/comments/{cid}/reports", {"reason": "spam"}).status_code == 201
    api.login("mod")
    pages = walk(api.client, limit=4, url="/api/v1/review/queues/reported?sort=age")
    assert [c["id"] for page in pages for c in page] == _expected(app, reported, "age")
    assert [len(p) for p in pages] == [4, 2]


def test_queue_page_links_next_and_bad_cursors_are_refused(app, api, queue_comments):
    api.login("mod")
    with app.app_context():
        for n in range(45):  # 75 in the pending queue: two pages of 50
            _post(queue_comments["article"], queue_comments["author"], f"more {n}", status="held")
    first = api.client.get("/review/pending").get_data(as_text=True)
    assert first.count('<article class="card"') == 50
    link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = api.client.get(link).get_data(as_text=True)
    assert second.count('<article class="card"') == 25 and "First page" in second and 'rel="next"' not in second
    assert api.client.get("/review/pending?cursor=bogus").status_code == 400
    bad = api.client.get("/api/v1/review/queues/pending?cursor=bogus")
    assert bad.status_code == 400 and "bad cursor" in bad.get_json()["error"]
    # A cursor of one sort is not a position in another.
    age_cursor = api.client.get("/api/v1/review/queues/pending?limit=2").get_json()["next"]
    assert api.client.get(f"/api/v1/review/queues/pending?sort=score&cursor={quote(age_cursor)}").status_code == 400
    both = api.client.get(f"/api/v1/review/queues/pending?offset=2&cursor={quote(age_cursor)}")
    assert both.status_code == 422
