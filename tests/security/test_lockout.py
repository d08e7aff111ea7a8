"""Password guessing is throttled without letting a stranger lock anyone out (issue 14,
items 6, 11 and 12).

- Every password check counts like a failed sign-in: deleting one's account asks for the
  password, and its wrong guesses spend the same budgets.
- The per-account budget is per (account, client address); a slower one counts the account
  from everywhere, so one stranger's five wrong guesses do not refuse the right password
  from the holder's own address.
- Registration budgets count accounts made, not refused form posts.
- A banned account answers a right password as it answers a wrong one.
"""

from sqlalchemy import select

from service.extensions import db
from service.models import User

from ..conftest import PASSWORD, Api
from .conftest import USERNAMES, client_for, from_address

MONA = USERNAMES["moderator"]


def test_a_stranger_cannot_lock_a_moderator_out(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "5 per 5 minutes")
    stranger = from_address(app, "198.51.100.7")
    for i in range(5):
        assert stranger.post("/api/v1/auth/login", {"login": MONA, "password": f"guess-{i}-xxxxx"}).status_code == 401
    # The stranger is stopped, even with the right password ...
    assert stranger.post("/api/v1/auth/login", {"login": MONA, "password": PASSWORD}).status_code == 429
    # ... and the moderator, from her own address, signs in on both doors.
    mona = from_address(app, "203.0.113.20")
    assert mona.post("/api/v1/auth/login", {"login": MONA, "password": PASSWORD}).status_code == 200
    assert from_address(app, "203.0.113.20").form("/login", {"login": MONA, "password": PASSWORD}).status_code == 302


def test_the_account_wide_budget_still_stops_guessing_from_many_addresses(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_TOTAL", "6 per hour")
    for i in range(6):
        assert (
            from_address(app, f"10.1.0.{i}")
            .post("/api/v1/auth/login", {"login": MONA, "password": "nope-nope-nope"})
            .status_code
            == 401
        )
    assert (
        from_address(app, "10.1.0.99").post("/api/v1/auth/login", {"login": MONA, "password": PASSWORD}).status_code
        == 429
    )


def test_account_deletion_password_checks_count_as_failed_sign_ins(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "4 per 5 minutes")
    rita = client_for(app, world, "reader")
    statuses = []
    for i in range(3):
        statuses.append(rita._write("DELETE", "/api/v1/me", {"password": f"guess-{i}-xxxxx"}).status_code)
    statuses.append(rita.form("/account/delete", {"password": "guess-page-xxxx"}).status_code)
    assert statuses == [422, 422, 422, 422]
    assert rita._write("DELETE", "/api/v1/me", {"password": PASSWORD}).status_code == 429
    assert rita.form("/account/delete", {"password": PASSWORD}).status_code == 429
    # The same budget as signing in: the account's sign-in from this address is spent too.
    again = Api(app.test_client())
    assert again.post("/api/v1/auth/login", {"login": USERNAMES["reader"], "password": PASSWORD}).status_code == 429
    with app.app_context():
        assert db.session.get(User, world.users["reader"]).status != "deleted"


def test_registration_limits_count_accounts_created(app, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTER_LIMIT_PER_IP", "3 per hour")
    api = from_address(app, "192.0.2.44")
    refused = [
        api.post("/api/v1/auth/register", {"email": f"x{i}@example.com", "username": f"x{i}", "password": "short"})
        for i in range(10)
    ]
    assert {response.status_code for response in refused} == {422}
    made = [
        api.post(
            "/api/v1/auth/register", {"email": f"ok{i}@example.com", "username": f"okname{i}", "password": PASSWORD}
        )
        for i in range(4)
    ]
    assert [response.status_code for response in made] == [201, 201, 201, 429]
    assert "new accounts" in made[-1].get_json()["error"]
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 3


def test_a_banned_accounts_right_password_answers_as_a_wrong_one(app, world):
    ben = client_for(app, world, "banned")  # signs in, then is banned
    right = ben.post("/api/v1/auth/login", {"login": USERNAMES["banned"], "password": PASSWORD})
    wrong = ben.post("/api/v1/auth/login", {"login": USERNAMES["banned"], "password": "not-it-at-all"})
    assert right.status_code == wrong.status_code == 401 and right.get_json() == wrong.get_json()
    page = from_address(app, "192.0.2.8")
    right_page = page.form("/login", {"login": USERNAMES["banned"], "password": PASSWORD})
    wrong_page = page.form("/login", {"login": USERNAMES["banned"], "password": "not-it-at-all"})
    assert right_page.status_code == wrong_page.status_code == 401
    assert "banned" not in right_page.get_data(as_text=True)
