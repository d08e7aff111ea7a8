"""Fixtures in the manner of Flask's tutorial: one app per test session on a real database,
emptied after each test, and helpers that make each test read like a user story.

SQLite (a file under pytest's tmp dir) by default; PostgreSQL when TEST_DATABASE_URL is set.
"""

import os
from contextlib import contextmanager
from html import escape

import pytest
from flask_migrate import upgrade
from hypothesis import settings as hypothesis_settings
from sqlalchemy import MetaData, insert, update

from service import create_app
from service.domain.accounts import accounts
from service.domain.threads import articles
from service.extensions import db, limiter
from service.models import Comment
from service.models.base import utcnow

from .browser_fixtures import browser, live_server, page  # noqa: F401  (shared browser fixtures)

PASSWORD = "a-long-enough-password"

# No wall-clock limits in tests: hypothesis' 200 ms deadline per example fails at random on a
# machine shared with model training. Work is bounded by counts where it matters.
hypothesis_settings.register_profile("parley", deadline=None)
hypothesis_settings.load_profile("parley")


def pytest_configure(config):
    # Processes the tests start (gunicorn, `flask worker`) run as development: production
    # refuses to start without PUBLIC_URL, and a test that wants production says so.
    os.environ.setdefault("PARLEY_ENV", "development")


def database_url(tmp_path_factory):
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def drop_everything(engine):
    """Start from an empty database, whatever an earlier run left behind."""
    meta = MetaData()
    meta.reflect(bind=engine)
    meta.drop_all(bind=engine)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url(tmp_path_factory)})
    with app.app_context():
        drop_everything(db.engine)
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Every test starts with empty tables (the schema stays)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        limiter.reset()
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


def snapshot(app):
    """Every row of every table, by table name: equal before and after means nothing was
    written (no row added, changed or removed, no mail queued, no status moved)."""
    with app.app_context(), db.engine.connect() as conn:
        return {
            table.name: sorted(repr(tuple(row)) for row in conn.execute(table.select()))
            for table in db.metadata.sorted_tables
        }


@contextmanager
def nothing_changes(app):
    """`with nothing_changes(app): <a refused request>`: fails, naming the table, if it wrote."""
    before = snapshot(app)
    yield
    after = snapshot(app)
    changed = {
        name: {"gone": sorted(set(rows) - set(after[name])), "new": sorted(set(after[name]) - set(rows))}
        for name, rows in before.items()
        if rows != after[name]
    }
    assert not changed, f"a refused request changed the database: {changed}"


def refused_alike(app, api, url, form_url, bad, form=None):
    """A payload the API and a page's form share (one schema validates both): refused by each
    with a 422 in the same words, writing nothing. `form` adds the form's own fields; gives
    the API's answer."""
    with nothing_changes(app):
        refused = api.post(url, bad)
        page = api.form(form_url, {**bad, **(form or {})})
    assert refused.status_code == 422 and page.status_code == 422, refused.get_json()
    for message in refused.get_json()["errors"].values():
        assert escape(message) in page.get_data(as_text=True), message
    return refused.get_json()


def deliver_mail(app):
    """The worker loop's mail turn, by hand: queued reset requests become messages (or are
    dropped), and due mail goes over SMTP where configured. Returns the rows it took."""
    from service.background.mail import mail_turn

    with app.app_context():
        done = mail_turn()
        db.session.remove()
    return done


@pytest.fixture(scope="session")
def scorer():
    """The real bundled model, loaded once for the whole run."""
    from moderation import get_scorer

    return get_scorer()


@pytest.fixture
def worker(app, scorer):
    """A scoring worker the test drives by hand: `worker.drain()` decides what is pending."""
    from service.background.worker import ScoringWorker

    return ScoringWorker(app, scorer=scorer, worker_id="test-worker")


def insert_comments(article_id, author_id, count, status, created_at=None, body="comment {n}"):
    """`count` comments in one INSERT, as a worker would leave them (a count or a full queue
    needs rows, not the ORM's hooks): `body` with {n} numbered from 0. In an app context."""
    created_at = created_at or utcnow()
    rows = [
        {
            "article_id": article_id,
            "author_id": author_id,
            "body": body.format(n=n),
            "status": status,
            "created_at": created_at,
            "depth": 0,
            "revision": 0,
            "featured": False,
            "attempts": 0,
        }
        for n in range(count)
    ]
    db.session.execute(insert(Comment), rows)
    # A top-level comment is its own thread's root, as post_comment sets it.
    db.session.execute(update(Comment).where(Comment.root_id.is_(None)).values(root_id=Comment.id))
    db.session.commit()


@pytest.fixture
def behind_proxy(app):
    """A second app on the same database, built by create_app with the proxy trusted: its
    X-Forwarded-* headers are believed."""
    proxied = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TRUST_PROXY_HEADERS": True}
    )
    yield proxied
    with proxied.app_context():
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    def make(username="reader1", role="reader", password=PASSWORD, email=None):
        with app.app_context():
            user = accounts.register(email or f"{username}@example.com", username, password, role=role)
            return user.id

    return make


@pytest.fixture
def make_article(app):
    def make(slug="test-article", comments_mode="open", title="A test article"):
        with app.app_context():
            return articles.save_article(
                {"slug": slug, "title": title, "summary": "Summary.", "body": "Body.", "comments_mode": comments_mode}
            ).id

    return make


class Api:
    """A signed-in (or not) API client that carries the CSRF token like a browser app would."""

    def __init__(self, client):
        self.client = client

    def token(self):
        return self.client.get("/api/v1/session").get_json()["csrf_token"]

    def _write(self, method, url, json=None, **kwargs):
        headers = {"X-CSRFToken": self.token()}
        return self.client.open(url, method=method, json=json, headers=headers, **kwargs)

    def get(self, url):
        return self.client.get(url)

    def post(self, url, json=None):
        return self._write("POST", url, json)

    def patch(self, url, json=None):
        return self._write("PATCH", url, json)

    def delete(self, url):
        return self._write("DELETE", url)

    def login(self, login, password=PASSWORD):
        response = self.post("/api/v1/auth/login", {"login": login, "password": password})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["user"]

    def form(self, url, data):
        """A page form post, with the CSRF token the page would have rendered."""
        return self.client.post(url, data={**data, "csrf_token": self.token()})


@pytest.fixture
def api(app):
    """Its own client, so `client` stays an anonymous visitor in the same test."""
    return Api(app.test_client())


@pytest.fixture
def other_api(app):
    return Api(app.test_client())


@pytest.fixture
def ann_on_article(api, make_user, make_article):
    """The everyday scene: the test article, and `api` signed in as ann, a reader."""
    make_article()
    make_user("ann")
    api.login("ann")
    return api


@pytest.fixture
def cast_on_article(ann_on_article, make_user):
    """ann_on_article, with bob (a reader), mod (a moderator) and boss (an admin) as well."""
    make_user("bob")
    make_user("mod", role="moderator")
    make_user("boss", role="admin")
    return ann_on_article


# --- one signed-in client per role, as Flask's tutorial has `auth` ----------------------------
# Each is its own client (a test may hold several roles at once) signed in as the account the
# tests name: ann the reader, mod the moderator, boss the admin. The account is made unless the
# test's scene already holds it.
ROLE_ACCOUNTS = {"reader": "ann", "moderator": "mod", "admin": "boss"}


def signed_in(app, role):
    username = ROLE_ACCOUNTS[role]
    with app.app_context():
        user = accounts.find_by_login(username)
        if user is None:
            accounts.register(f"{username}@example.com", username, PASSWORD, role=role)
        else:
            assert user.role == role, f"{username} is a {user.role} in this scene, not a {role}"
        db.session.remove()
    client = Api(app.test_client())
    client.login(username)
    return client


def page_costs(app, client, url):
    """(the page's HTML, {SQL statements, CSRF tokens built, URLs built, mapped objects
    loaded}) for one request. Calls are counted by their code object, whoever holds a
    reference to the function."""
    import sys

    import flask_wtf.csrf
    from flask import Flask
    from sqlalchemy import event

    counted = {flask_wtf.csrf.generate_csrf.__code__: "csrf", Flask.url_for.__code__: "url_for"}
    counts = {"sql": 0, "csrf": 0, "url_for": 0, "mapped": 0}

    def count_sql(*_):
        counts["sql"] += 1

    def count_mapped(*_):
        counts["mapped"] += 1

    def count_calls(frame, what, _):
        if what == "call" and frame.f_code in counted:
            counts[counted[frame.f_code]] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count_sql)
    event.listen(db.Model, "load", count_mapped, propagate=True)
    sys.setprofile(count_calls)
    try:
        response = client.get(url)
    finally:
        sys.setprofile(None)
        event.remove(engine, "before_cursor_execute", count_sql)
        event.remove(db.Model, "load", count_mapped)
    assert response.status_code == 200
    return response.get_data(as_text=True), counts


@pytest.fixture
def as_reader(app):
    return signed_in(app, "reader")


@pytest.fixture
def as_moderator(app):
    return signed_in(app, "moderator")


@pytest.fixture
def as_admin(app):
    return signed_in(app, "admin")
