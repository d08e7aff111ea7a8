"""The article lists (front page, admins' list, API) a page at a time, and the filter menu.

A news site's archive only grows: a list of every article, each with a count over every
comment, cost more on each front page as the site aged. A page now shows the newest
articles and counts only their comments; `next` continues."""

from datetime import timedelta

from sqlalchemy import insert

from service.domain.threads import articles
from service.extensions import db
from service.models import Article, Comment
from service.models.base import utcnow

from .conftest import insert_comments, page_costs


def add_articles(app, count, listed=True, start=0):
    """`count` articles published a minute apart (story-0 the oldest), some sharing a minute
    so that the id breaks ties; returns their slugs, newest first."""
    now = utcnow()
    rows = [
        {
            "slug": f"story-{n}",
            "title": f"Story {n}",
            "summary": "",
            "body": "",
            "published_at": now - timedelta(minutes=(count - n) // 2),
            "comments_mode": "open",
            "premoderated": False,
            "listed": listed,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(start, start + count)
    ]
    with app.app_context():
        db.session.execute(insert(Article), rows)
        db.session.commit()
    return [row["slug"] for row in reversed(rows)]


def walk(client, url, limit):
    """Every page of the API list: (slugs in order, pages read)."""
    slugs, pages, cursor = [], 0, None
    while True:
        answer = client.get(url + f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")).get_json()
        slugs += [a["slug"] for a in answer["articles"]]
        pages += 1
        cursor = answer["next"]
        if cursor is None:
            return slugs, pages


def test_the_api_pages_through_every_listed_article_newest_first_once(app, client):
    newest_first = add_articles(app, 7)
    add_articles(app, 2, listed=False, start=100)  # the widget's unlisted ones stay off
    slugs, pages = walk(client, "/api/v1/articles", 3)
    assert slugs == newest_first and pages == 3


def test_a_page_counts_its_articles_visible_comments(app, client, make_user):
    author = make_user("ann")
    slugs = add_articles(app, 3)
    with app.app_context():
        ids = {a.slug: a.id for a in db.session.query(Article)}
        insert_comments(ids[slugs[0]], author, 4, "published")
        insert_comments(ids[slugs[0]], author, 2, "held")  # not visible: not counted
        insert_comments(ids[slugs[2]], author, 1, "review")  # visible, under review
    listed = client.get("/api/v1/articles").get_json()
    assert [a["comment_count"] for a in listed["articles"]] == [4, 0, 1]
    assert listed["next"] is None


def comment_statements(app, client, url):
    """The SQL statements that read the comments table during one request."""
    from sqlalchemy import event

    seen = []

    def record(conn, cursor, statement, *_):
        if " comments" in statement:
            seen.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_a_page_of_articles_costs_the_same_queries_whatever_the_archive(app, client, make_user):
    author = make_user("ann")
    add_articles(app, 3)
    few = page_costs(app, client, "/")[1]["sql"]
    add_articles(app, 2 * articles.PAGE, start=10)
    with app.app_context():
        for article in db.session.query(Article).limit(20):
            insert_comments(article.id, author, 3, "published")
    page, costs = page_costs(app, client, "/")
    assert page.count('class="article-link"') == articles.PAGE
    assert costs["sql"] == few
    # The one statement that counts comments counts those of the page's articles, not all.
    (counting,) = comment_statements(app, client, "/")
    assert "comments.article_id IN" in counting


def test_the_front_page_links_to_older_articles_and_back(app, client):
    newest_first = add_articles(app, articles.PAGE + 2)
    first = client.get("/").get_data(as_text=True)
    assert f'/articles/{newest_first[0]}"' in first and f'/articles/{newest_first[-1]}"' not in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert [s for s in newest_first if f'/articles/{s}"' in second] == newest_first[articles.PAGE :]
    assert 'rel="next"' not in second and ">Latest</a>" in second


def test_the_admins_list_pages_too_and_shows_the_unlisted(app, as_admin):
    newest_first = add_articles(app, articles.PAGE, listed=False)
    page = as_admin.get("/admin/articles").get_data(as_text=True)
    assert page.count(">unlisted</span>") == articles.PAGE and 'rel="next"' not in page
    add_articles(app, 1, start=500)  # now one page more
    page = as_admin.get("/admin/articles").get_data(as_text=True)
    assert 'rel="next"' in page and f'/articles/{newest_first[-1]}"' not in page


def test_a_bad_cursor_or_limit_is_refused_clearly(app, client):
    add_articles(app, 2)
    for url in ("/api/v1/articles?cursor=not-a-cursor", "/?cursor=WyJ4Il0"):
        answer = client.get(url)
        assert answer.status_code == 400, url
        assert "bad cursor" in answer.get_data(as_text=True)
    refused = client.get("/api/v1/articles?limit=0")
    assert refused.status_code == 422 and "limit" in refused.get_json()["errors"]


def test_the_filter_menu_offers_the_newest_articles_and_keeps_the_chosen_one(app, ctx):
    newest_first = add_articles(app, articles.MENU + 5)
    oldest = newest_first[-1]
    assert [row.slug for row in articles.choices()] == newest_first[: articles.MENU]
    kept = [row.slug for row in articles.choices(keep=oldest)]
    assert kept == newest_first[: articles.MENU] + [oldest]
    assert [row.slug for row in articles.choices(keep="no-such-story")] == newest_first[: articles.MENU]


def test_a_queue_filtered_by_an_old_article_keeps_it_on_its_menu(app, as_moderator, make_user):
    author = make_user("ann")
    newest_first = add_articles(app, articles.MENU + 1)
    oldest = newest_first[-1]
    with app.app_context():
        article_id = db.session.query(Article.id).filter_by(slug=oldest).scalar()
        insert_comments(article_id, author, 1, "held", body="held on an old story")
        assert db.session.query(Comment).count() == 1
    page = as_moderator.get(f"/review/pending?article={oldest}").get_data(as_text=True)
    assert "held on an old story" in page
    assert f'<option value="{oldest}" selected>' in page
