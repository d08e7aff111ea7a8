"""What a request answers when the database fails under it (service/errors_http.py), on any
database: the failure is raised where the thread is read. The real outage, PostgreSQL stopped
and restarted under traffic, is tests/scaleout/test_pg_restart.py."""

import pytest
from sqlalchemy.exc import DBAPIError, OperationalError, PendingRollbackError

from service.domain.threads import threads

SLUG = "test-article"
DOWN = "The database is unavailable right now; nothing was saved. Try again in a moment."
BROKEN = "Something went wrong on our side; nothing was saved."


class DriverError(Exception):
    """Stands in for the driver's exception that SQLAlchemy wraps."""


def fail_with(monkeypatch, error):
    def page(*args, **kwargs):
        raise error

    monkeypatch.setattr(threads, "page", page)


@pytest.fixture
def article(make_article):
    make_article(slug=SLUG)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("SELECT 1", {}, DriverError("connection refused")),
        DBAPIError("SELECT 1", {}, DriverError("server closed the connection"), connection_invalidated=True),
    ],
)
def test_a_lost_connection_is_a_503_with_retry_after(client, article, monkeypatch, error):
    fail_with(monkeypatch, error)
    api = client.get(f"/api/v1/articles/{SLUG}/comments")
    assert (api.status_code, api.headers["Retry-After"], api.get_json()) == (503, "5", {"error": DOWN})
    page = client.get(f"/articles/{SLUG}")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert DOWN in page.get_data(as_text=True)


def test_any_other_database_error_is_a_500_without_retry_after(client, article, monkeypatch):
    fail_with(monkeypatch, DBAPIError("SELECT 1", {}, DriverError("syntax error")))
    api = client.get(f"/api/v1/articles/{SLUG}/comments")
    assert (api.status_code, api.get_json()) == (500, {"error": BROKEN})
    assert "Retry-After" not in api.headers


def test_the_site_works_again_once_the_database_answers(client, article, monkeypatch):
    fail_with(monkeypatch, OperationalError("SELECT 1", {}, DriverError("connection refused")))
    assert client.get(f"/api/v1/articles/{SLUG}/comments").status_code == 503
    monkeypatch.undo()
    assert client.get(f"/api/v1/articles/{SLUG}/comments").status_code == 200


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("SELECT 1", {}, DriverError("connection refused")),
        # A statement after a dropped connection in the same request: the session's
        # transaction is invalid. Seen in tests/scaleout/test_pg_restart.py, where Flask-Limiter
        # took it for its own storage failing and left Redis for memory.
        PendingRollbackError("Can't reconnect until invalid transaction is rolled back."),
    ],
)
def test_a_limit_that_reads_the_database_falls_back_while_it_is_down(error):
    from service.limits import _unless_database_down

    def reads_the_database():
        raise error

    assert _unless_database_down(lambda: "fallback")(reads_the_database)() == "fallback"


def test_a_limit_passes_other_errors_on():
    from service.limits import _unless_database_down

    def broken():
        raise DBAPIError("SELECT 1", {}, DriverError("syntax error"))

    with pytest.raises(DBAPIError):
        _unless_database_down(lambda: "fallback")(broken)()
