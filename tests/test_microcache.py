"""The micro-cache of signed-out thread reads (service/microcache.py): hits that never reach the
database, staleness bounded by THREAD_CACHE_SECONDS, and nothing per-reader ever shared."""

from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from flask import g, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, select

from service import microcache
from service.domain.embed import sites, tokens
from service.extensions import db
from service.models import User

from .test_config import _start

SLUG = "test-article"
PAGE = f"/articles/{SLUG}"
API = f"/api/v1/articles/{SLUG}/comments"
HOST = "https://news.example.com"
WIDGET = "/embed/thread?" + urlencode({"article": SLUG, "origin": HOST})
TTL = 2


class Clock:
    """The cache's clock, moved by hand: expiry is tested without sleeping."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(app, monkeypatch):
    """The cache on (TTL 2 s), empty, on a hand-moved clock; emptied again afterwards."""
    cache = microcache.cache_of(app)
    clock = Clock()
    monkeypatch.setitem(app.config, "THREAD_CACHE_SECONDS", TTL)
    monkeypatch.setattr(cache, "clock", clock)
    cache.clear()
    yield clock
    cache.clear()


@pytest.fixture
def article(make_article):
    return make_article(SLUG)


@pytest.fixture
def registered_host(app, make_user):
    """HOST registered by an admin, so the widget's frame may be shown there."""
    make_user("root", role="admin")
    with app.app_context():
        sites.add_origin(HOST, db.session.scalar(select(User).where(User.username == "root")))
        db.session.remove()
    return HOST


@pytest.fixture
def ann(api, make_user):
    make_user("ann")
    api.login("ann")
    return api


def post(api, body):
    response = api.post(API, {"body": body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["comment"]["id"]


def publish(moderator, comment_id):
    response = moderator.post(f"/api/v1/review/comments/{comment_id}/decision", {"action": "approve"})
    assert response.status_code == 200, response.get_json()


@contextmanager
def statements(app):
    """Every SQL statement the app sends while the block runs."""
    with app.app_context():
        engine = db.engine
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


# --- hits, misses and staleness ------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, API, WIDGET])
def test_a_second_signed_out_read_within_the_ttl_is_a_hit_that_never_touches_the_database(
    app, clock, article, registered_host, url
):
    first_reader, second_reader = app.test_client(), app.test_client()
    with statements(app) as first_sql:
        first = first_reader.get(url)
    assert first.status_code == 200 and first.headers["X-Cache"] == "miss" and first_sql
    clock.now += TTL - 0.1
    with statements(app) as second_sql:
        second = second_reader.get(url)
        head = second_reader.head(url)
    assert second.headers["X-Cache"] == "hit" and head.headers["X-Cache"] == "hit"
    assert second_sql == []
    assert second.get_data() == first.get_data() and head.get_data() == b""
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers.get("X-Frame-Options") == first.headers.get("X-Frame-Options")  # the widget frame has none
    assert second.headers["Age"] == "1"


def test_after_the_ttl_a_read_is_a_miss_and_shows_a_newly_published_comment(
    app, clock, article, ann, as_moderator, client
):
    assert client.get(PAGE).headers["X-Cache"] == "miss"
    comment_id = post(ann, "A freshly published thought")
    publish(as_moderator, comment_id)
    stale = client.get(PAGE)
    assert stale.headers["X-Cache"] == "hit" and "A freshly published thought" not in stale.get_data(as_text=True)
    clock.now += TTL
    fresh = client.get(PAGE)
    assert fresh.headers["X-Cache"] == "miss" and "A freshly published thought" in fresh.get_data(as_text=True)
    assert client.get(API).headers["X-Cache"] == "miss"
    assert [c["id"] for c in client.get(API).get_json()["comments"]] == [comment_id]


def test_different_query_strings_are_different_entries_and_their_order_does_not_matter(
    app, clock, article, ann, as_moderator, client
):
    for n in range(3):
        publish(as_moderator, post(ann, f"Comment number {n}"))
    first = client.get(API + "?limit=1")
    cursor = first.get_json()["next"]
    second = client.get(API + "?" + urlencode({"limit": 1, "cursor": cursor}))
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "miss")
    assert first.get_json()["comments"] != second.get_json()["comments"]
    same = client.get(API + "?" + urlencode({"cursor": cursor, "limit": 1}))
    assert same.headers["X-Cache"] == "hit" and same.get_json() == second.get_json()
    assert client.get(API + "?limit=1").get_json() == first.get_json()
    assert client.get(PAGE + "?" + urlencode({"cursor": cursor})).headers["X-Cache"] == "miss"


def test_errors_are_not_kept(app, clock, client):
    assert client.get("/articles/no-such-article").status_code == 404
    missing = client.get("/articles/no-such-article")
    assert missing.status_code == 404 and missing.headers["X-Cache"] == "miss"
    assert len(microcache.cache_of(app)) == 0


# --- the door before Flask (Replay) -----------------------------------------------------------


@contextmanager
def flask_requests(app, monkeypatch):
    """How many requests reached Flask's before-request hooks while the block ran."""
    seen = []
    hooks = list(app.before_request_funcs.get(None, []))
    monkeypatch.setitem(app.before_request_funcs, None, [lambda: seen.append(1)] + hooks)
    yield seen


def replayed_and_flask_hit(app, url, monkeypatch):
    """A cookieless hit and a hit of a reader whose session cookie holds only a CSRF token
    (taken inside Flask), after a miss filled the entry; with how many reached Flask."""
    assert app.test_client().get(url).headers["X-Cache"] == "miss"
    with_cookie = app.test_client()
    with_cookie.get("/api/v1/session")  # a session cookie with a CSRF token, nobody signed in
    with flask_requests(app, monkeypatch) as reached:
        replayed = app.test_client().get(url)
        replayed_count = len(reached)
        inside = with_cookie.get(url)
    return replayed, replayed_count, inside, len(reached) - replayed_count


@pytest.mark.parametrize("url", [PAGE, API])
def test_a_cookieless_hit_is_answered_before_flask_with_the_bytes_and_headers_of_a_hit_inside_it(
    app, clock, article, url, monkeypatch
):
    replayed, replayed_reached, inside, inside_reached = replayed_and_flask_hit(app, url, monkeypatch)
    assert (replayed_reached, inside_reached) == (0, 1)
    assert replayed.headers["X-Cache"] == inside.headers["X-Cache"] == "hit"
    assert replayed.get_data() == inside.get_data()
    assert sorted(replayed.headers.items()) == sorted(inside.headers.items())
    assert replayed.headers["Content-Length"] == str(len(replayed.get_data()))
    head = app.test_client().head(url)
    assert head.headers["X-Cache"] == "hit" and head.get_data() == b""
    assert head.headers["Content-Length"] == replayed.headers["Content-Length"]


def test_the_widget_frame_keeps_its_rate_limit_and_takes_the_door_inside_flask(
    app, clock, article, registered_host, monkeypatch
):
    monkeypatch.setitem(app.config, "RATELIMIT_HEADERS_ENABLED", True)
    assert app.test_client().get(WIDGET).headers["X-Cache"] == "miss"
    with flask_requests(app, monkeypatch) as reached:
        hit = app.test_client().get(WIDGET)
    assert hit.headers["X-Cache"] == "hit" and reached == [1]


@pytest.mark.parametrize(
    "headers, cookie",
    [
        ({"Origin": "https://elsewhere.example"}, None),
        ({}, ("remember_token", "whatever")),
        ({"Authorization": "Basic Zm9vOmJhcg=="}, None),
    ],
    ids=["origin", "remember-me", "authorization"],
)
def test_reads_that_carry_an_origin_or_credentials_go_on_to_flask(app, clock, article, headers, cookie, monkeypatch):
    assert app.test_client().get(PAGE).headers["X-Cache"] == "miss"
    reader = app.test_client()
    if cookie:
        reader.set_cookie(*cookie)
    with flask_requests(app, monkeypatch) as reached:
        answer = reader.get(PAGE, headers=headers)
    assert reached == [1] and answer.headers["X-Cache"] != "miss"


def test_a_cookie_of_another_site_does_not_keep_a_reader_from_the_replay(app, clock, article, monkeypatch):
    assert app.test_client().get(PAGE).headers["X-Cache"] == "miss"
    reader = app.test_client()
    reader.set_cookie("_ga", "GA1.2.3")
    with flask_requests(app, monkeypatch) as reached:
        answer = reader.get(PAGE)
    assert reached == [] and answer.headers["X-Cache"] == "hit"


def test_an_expired_entry_is_not_replayed(app, clock, article, monkeypatch):
    assert app.test_client().get(PAGE).headers["X-Cache"] == "miss"
    clock.now += TTL
    with flask_requests(app, monkeypatch) as reached:
        answer = app.test_client().get(PAGE)
    assert reached == [1] and answer.headers["X-Cache"] == "miss"


def test_behind_a_trusted_proxy_replays_are_keyed_by_the_host_and_scheme_the_client_asked_for(
    behind_proxy, article, monkeypatch
):
    monkeypatch.setitem(behind_proxy.config, "THREAD_CACHE_SECONDS", TTL)
    public = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "comments.example.com"}
    other = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "other.example.com"}
    assert behind_proxy.test_client().get(PAGE, headers=public).headers["X-Cache"] == "miss"
    with flask_requests(behind_proxy, monkeypatch) as reached:
        again = behind_proxy.test_client().get(PAGE, headers=public)
        elsewhere = behind_proxy.test_client().get(PAGE, headers=other)
    assert again.headers["X-Cache"] == "hit" and "Strict-Transport-Security" in again.headers
    assert elsewhere.headers["X-Cache"] == "miss" and reached == [1]


# --- signed-in readers, tokens and per-session values -----------------------------------------


def test_an_author_sees_their_pending_comment_at_once_and_signed_out_readers_never_do(app, clock, article, ann, client):
    post(ann, "Awaiting its score")
    for url in (PAGE, API):
        own = ann.get(url)  # rendered first: it must not be what signed-out readers get
        assert own.headers["X-Cache"] == "bypass" and "Awaiting its score" in own.get_data(as_text=True)
        for expected in ("miss", "hit"):
            theirs = client.get(url)
            assert theirs.headers["X-Cache"] == expected and "Awaiting its score" not in theirs.get_data(as_text=True)
        again = ann.get(url)
        assert again.headers["X-Cache"] == "bypass" and "Awaiting its score" in again.get_data(as_text=True)
    page = ann.get(PAGE).get_data(as_text=True)
    assert "being checked" in page and "Sign out" in page


def test_a_cached_page_is_never_served_to_a_signed_in_moderator(app, clock, article, as_moderator, client):
    assert client.get(PAGE).headers["X-Cache"] == "miss"
    assert client.get(PAGE).headers["X-Cache"] == "hit"
    theirs = as_moderator.get(PAGE)
    assert theirs.headers["X-Cache"] == "bypass" and "Sign out" in theirs.get_data(as_text=True)


def test_bearer_requests_never_get_or_leave_a_cached_thread(app, clock, article, make_user, client):
    make_user("ann")
    with app.app_context():
        raw, _ = tokens.mint(db.session.scalar(select(User).where(User.username == "ann")), HOST)
        db.session.commit()
        db.session.remove()
    widget = {"Authorization": f"Bearer {raw}"}
    assert client.get(API).headers["X-Cache"] == "miss"
    assert client.post(API, json={"body": "From the widget"}, headers=widget).status_code == 201
    own = client.get(API, headers=widget)
    assert own.headers["X-Cache"] == "bypass" and [c["body"] for c in own.get_json()["comments"]] == ["From the widget"]
    assert client.get(API).headers["X-Cache"] == "hit" and client.get(API).get_json()["comments"] == []
    # Any Authorization header, even a malformed one, is answered by the app, not the cache.
    assert client.get(API, headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_a_remember_me_cookie_bypasses_the_cache(app, clock, article, client):
    client.get(PAGE)
    client.set_cookie("remember_token", "whatever")
    assert client.get(PAGE).headers["X-Cache"] == "bypass"


def test_a_renamed_remember_me_cookie_bypasses_both_doors(app, clock, article, monkeypatch):
    # A site that names its remember-me cookie (REMEMBER_COOKIE_NAME) keeps its readers out of
    # the shared cache: both the replay before Flask and the cache inside it read that name.
    monkeypatch.setitem(app.config, "REMEMBER_COOKIE_NAME", "parley_remember")
    assert app.test_client().get(PAGE).headers["X-Cache"] == "miss"
    reader = app.test_client()
    reader.set_cookie("parley_remember", "whatever")
    with flask_requests(app, monkeypatch) as reached:
        answer = reader.get(PAGE)
    assert reached == [1] and answer.headers["X-Cache"] == "bypass"


def test_an_answer_that_sets_a_cookie_is_not_kept(app, clock, article):
    refreshing = app.test_client()
    with refreshing.session_transaction() as cookie_session:
        cookie_session.permanent = True  # a permanent session's cookie is refreshed on every answer
    answer = refreshing.get(PAGE)
    assert answer.headers["X-Cache"] == "miss" and "Set-Cookie" in answer.headers
    assert len(microcache.cache_of(app)) == 0
    assert app.test_client().get(PAGE).headers["X-Cache"] == "miss"


def test_a_flash_message_is_shown_to_its_reader_and_never_shared(app, clock, article):
    app.test_client().get(PAGE)  # a copy is in the cache
    flashed = app.test_client()
    with flashed.session_transaction() as cookie_session:
        cookie_session["_flashes"] = [("success", "Only for this reader.")]
    answer = flashed.get(PAGE)
    assert answer.headers["X-Cache"] == "bypass" and "Only for this reader." in answer.get_data(as_text=True)
    other = app.test_client().get(PAGE)
    assert other.headers["X-Cache"] == "hit" and "Only for this reader." not in other.get_data(as_text=True)


def test_the_signed_out_page_holds_no_session_bound_value(app, clock, article):
    """Signed out, the article page has no comment form and no CSRF token, so it can be shared;
    a reader whose session already holds a CSRF token (from /api/v1/session) gets the same bytes."""
    reader = app.test_client()
    token = reader.get("/api/v1/session").get_json()["csrf_token"]
    with reader.session_transaction() as cookie_session:
        raw = cookie_session["csrf_token"]
    # Flask-Login marks such a session "not fresh" on its next request (a Set-Cookie: not kept).
    reader.get(PAGE)
    page = reader.get(PAGE)
    assert page.headers["X-Cache"] == "miss" and "Set-Cookie" not in page.headers
    html = page.get_data(as_text=True)
    assert token not in html and raw not in html and "csrf_token" not in html
    assert "Sign in to leave a comment" in html
    other = app.test_client().get(PAGE)
    assert other.headers["X-Cache"] == "hit" and other.get_data() == page.get_data()


def test_an_answer_that_rendered_a_csrf_token_is_not_kept(app, clock):
    """The safety net: should a signed-out page ever render a form, it is not shared."""
    with app.test_request_context(PAGE):
        session["csrf_token"] = "a reader's secret"  # as if it came with the cookie:
        session.modified = False  # the answer sets no cookie
        g.microcache = ("miss", "key")
        generate_csrf()
        assert not app.session_interface.should_set_cookie(app, session)
        microcache.keep_in_cache(app.response_class("<form>…</form>"))
    assert len(microcache.cache_of(app)) == 0


# --- settings and size --------------------------------------------------------------------


def test_zero_seconds_turns_the_cache_off(app, clock, article, client, monkeypatch):
    monkeypatch.setitem(app.config, "THREAD_CACHE_SECONDS", 0)
    client.get(PAGE)
    with statements(app) as sql:
        again = client.get(PAGE)
    assert "X-Cache" not in again.headers and sql
    assert len(microcache.cache_of(app)) == 0


def test_the_cache_keeps_at_most_its_number_of_entries_dropping_the_least_recently_used(
    app, clock, article, client, monkeypatch
):
    monkeypatch.setattr(microcache.cache_of(app), "max_entries", 2)
    client.get(API + "?limit=1")
    client.get(API + "?limit=2")
    assert client.get(API + "?limit=1").headers["X-Cache"] == "hit"  # now the most recently used
    client.get(API + "?limit=3")  # pushes out limit=2
    assert len(microcache.cache_of(app)) == 2
    assert client.get(API + "?limit=1").headers["X-Cache"] == "hit"
    assert client.get(API + "?limit=2").headers["X-Cache"] == "miss"


def test_the_cache_keeps_at_most_its_number_of_bytes():
    cache = microcache.MicroCache(max_entries=100, max_bytes=800)
    for n in range(10):
        cache.put(n, b"x" * 100, [], ttl=60)
    assert len(cache) == 8 and cache.get(0) is None and cache.get(9) is not None
    cache.put("huge", b"x" * 101, [], ttl=60)  # over an eighth of the budget: not kept at all
    assert cache.get("huge") is None and len(cache) == 8


@pytest.mark.parametrize("value", ["-1", "two", "301"])
def test_a_bad_cache_setting_stops_the_process(value):
    started = _start(THREAD_CACHE_SECONDS=value)
    assert started.returncode != 0
    assert started.stderr.strip().splitlines()[-1].startswith("service.config.ConfigError: THREAD_CACHE_SECONDS")


def test_gzip_sits_outside_the_cache_so_every_reader_gets_what_they_can_read(app, clock, article):
    """The cache keeps the plain page; each answer is compressed only for a client that asks."""
    import gzip

    packed = app.test_client().get(PAGE, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["X-Cache"] == "miss" and packed.headers["Content-Encoding"] == "gzip"
    plain = app.test_client().get(PAGE)
    assert plain.headers["X-Cache"] == "hit" and "Content-Encoding" not in plain.headers
    again = app.test_client().get(PAGE, headers={"Accept-Encoding": "gzip"})
    assert again.headers["X-Cache"] == "hit" and gzip.decompress(again.data) == plain.data == gzip.decompress(
        packed.data
    )
