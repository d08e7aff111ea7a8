"""Account abuse: enumeration, reset tokens, weak passwords, look-alike names, brute force."""

import re

import pytest
from sqlalchemy import select

from service.domain.accounts import accounts, credentials
from service.extensions import db
from service.models import OutboxMessage, User

from ..conftest import PASSWORD, deliver_mail, nothing_changes
from .conftest import Api


def api_for(app):
    api = Api(app.test_client())
    api.token()
    return api


# --- enumeration ----------------------------------------------------------------------


def test_sign_in_answers_the_same_for_unknown_users_and_wrong_passwords(app, make_user):
    make_user("rita")
    api = api_for(app)
    unknown = api.post("/api/v1/auth/login", {"login": "nobody-here", "password": "wrong-password"})
    wrong = api.post("/api/v1/auth/login", {"login": "rita", "password": "wrong-password"})
    unknown_mail = api.post("/api/v1/auth/login", {"login": "nobody@example.com", "password": "wrong-password"})
    assert unknown.status_code == wrong.status_code == unknown_mail.status_code == 401
    assert unknown.get_json() == wrong.get_json() == unknown_mail.get_json()
    page_unknown = api.form("/login", {"login": "nobody-here", "password": "wrong-password"})
    page_wrong = api.form("/login", {"login": "rita", "password": "wrong-password"})
    assert page_unknown.status_code == page_wrong.status_code == 401
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731  (echoed input differs)
    assert strip(page_unknown).replace("nobody-here", "X") == strip(page_wrong).replace("rita", "X")


def test_sign_in_timing_does_not_reveal_who_exists(app, make_user, monkeypatch):
    """Found by this suite: an unknown name skipped the password hash and answered ~100x faster.
    Now a dummy scrypt check runs, so both paths cost one hash of the same cost: counted here
    (how many checks, with which scrypt parameters), not timed on a shared machine."""
    from service import passwords

    make_user("rita")
    api = api_for(app)
    checks, check = [], passwords.check_password_hash

    def counted(stored_hash, password):
        checks.append(stored_hash.split("$", 1)[0])  # the method and its cost: scrypt:N:r:p
        return check(stored_hash, password)

    monkeypatch.setattr(passwords, "check_password_hash", counted)
    cost = {}
    for login in ("rita", "rita@example.com", "nobody", "nobody@example.com"):
        checks.clear()
        assert api.post("/api/v1/auth/login", {"login": login, "password": "wrong-password"}).status_code == 401
        cost[login] = list(checks)
    assert cost["rita"][0].startswith("scrypt:")
    assert all(spent == cost["rita"] for spent in cost.values()) and len(cost["rita"]) == 1, cost


def test_password_reset_answers_the_same_either_way(app, make_user):
    make_user("rita")
    api = api_for(app)
    known = api.form("/forgot", {"email": "rita@example.com"})
    unknown = api.form("/forgot", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    deliver_mail(app)
    with app.app_context():
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 1  # only the real owner gets mail


def test_registration_conflicts_are_documented_409s(app, make_user):
    """DESIGN.md's contract: a duplicate email or username is a 409. Usernames are public anyway;
    for emails this is the one enumeration door left, throttled per IP (see SECURITY.md)."""
    make_user("rita")
    api = api_for(app)
    with nothing_changes(app):
        response = api.post(
            "/api/v1/auth/register", {"email": "rita@example.com", "username": "fresh", "password": PASSWORD}
        )
    assert response.status_code == 409


def test_registration_is_throttled_per_ip(app, monkeypatch):
    """Refused attempts (the 409 that tells an email is registered) have their own budget."""
    monkeypatch.setitem(app.config, "REGISTER_ATTEMPT_LIMIT_PER_IP", "3 per hour")
    api = api_for(app)
    statuses = [
        api.post(
            "/api/v1/auth/register", {"email": f"probe{i}@example.com", "username": f"probe{i}", "password": "x"}
        ).status_code
        for i in range(4)
    ]
    with nothing_changes(app):  # even a registration that would succeed is refused now
        last = api.post(
            "/api/v1/auth/register", {"email": "late@example.com", "username": "late", "password": PASSWORD}
        )
    assert statuses == [422, 422, 422, 429] and last.status_code == 429


# --- brute force ----------------------------------------------------------------------


def test_sign_in_is_throttled_per_account_across_addresses(app, make_user, monkeypatch):
    """The slower per-account budget, spent from many addresses (the per-address one is in
    test_lockout.py)."""
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_TOTAL", "4 per 5 minutes")
    make_user("rita")
    for i in range(4):
        attacker = api_for(app)
        attacker.client.environ_base["REMOTE_ADDR"] = f"10.0.0.{i}"
        assert attacker.post("/api/v1/auth/login", {"login": "rita", "password": f"guess-{i}-xxxx"}).status_code == 401
    attacker = api_for(app)
    attacker.client.environ_base["REMOTE_ADDR"] = "10.0.0.99"
    # Every spelling of the account and both doors (API and page) share its budget.
    for login in ("rita@example.com", "Rita", "ＲＩＴＡ"):
        blocked = attacker.post("/api/v1/auth/login", {"login": login, "password": PASSWORD})
        assert blocked.status_code == 429, login
        assert int(blocked.headers["Retry-After"]) > 0
    assert attacker.form("/login", {"login": "rita", "password": PASSWORD}).status_code == 429


def test_sign_in_is_throttled_per_ip_across_accounts(app, monkeypatch):
    """Found by this suite: the page and the API each had their own budget, doubling it."""
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "5 per 5 minutes")
    api = api_for(app)
    statuses = [
        api.post("/api/v1/auth/login", {"login": f"user{i}", "password": "guess-xxxxxx"}).status_code for i in range(7)
    ]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    page = api.form("/login", {"login": "another", "password": "guess-xxxxxx"})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0


# --- reset tokens ---------------------------------------------------------------------


def reset_link(app, email="rita@example.com"):
    deliver_mail(app)  # the worker writes the message the request queued
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert message is not None and message.recipient == email
        return re.search(r"(/reset/\S+)", message.body).group(1)


def test_reset_tokens_are_single_use(app, make_user):
    make_user("rita")
    api = api_for(app)
    api.form("/forgot", {"email": "rita@example.com"})
    link = reset_link(app)
    assert api.client.get(link).status_code == 200
    assert api.form(link, {"password": "a-brand-new-password"}).status_code == 302
    assert api.client.get(link).status_code == 400
    assert api.form(link, {"password": "yet-another-password"}).status_code == 400
    api.login("rita", "a-brand-new-password")


def test_reset_tokens_expire(app, make_user, monkeypatch):
    make_user("rita")
    api = api_for(app)
    api.form("/forgot", {"email": "rita@example.com"})
    link = reset_link(app)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    assert api.client.get(link).status_code == 400


def test_reset_tokens_are_not_forgeable_or_transferable(app, make_user):
    make_user("rita")
    make_user("otto")
    api = api_for(app)
    api.form("/forgot", {"email": "otto@example.com"})
    link = reset_link(app, "otto@example.com")
    token = link.rsplit("/", 1)[1]
    payload, _, signature = token.partition(".")
    for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x" + token, payload, "eyJ1aWQiOjF9.x.y"):
        assert api.client.get(f"/reset/{forged}").status_code == 400, forged
    # An older token dies when a newer reset (or any password change) happens.
    api.form(link, {"password": "a-brand-new-password"})
    with app.app_context():
        rita = db.session.scalar(select(User).where(User.username == "rita"))
        assert accounts.user_for_reset_token(token) is None
        assert rita.check_password(PASSWORD)


# --- password rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["password123", "Password123", "QWERTYUIOP", "1234567890", " 1qaz2wsx3edc ", "iloveyou123"]
)
def test_common_passwords_are_refused(app, api, password):
    with nothing_changes(app):
        response = api.post(
            "/api/v1/auth/register", {"email": "new@example.com", "username": "newbie", "password": password}
        )
    assert response.status_code == 422
    assert "common" in response.get_json()["errors"]["password"]


def test_the_common_password_list_ships_and_is_substantial():
    listed = credentials.common_passwords()
    assert len(listed) >= 300
    assert all(len(p) >= 10 for p in listed)


@pytest.mark.parametrize("password", ["short", "123456789", "", None, 12345678901, "x" * 257])
def test_weak_or_malformed_passwords_are_refused(app, api, password):
    with nothing_changes(app):
        response = api.post(
            "/api/v1/auth/register", {"email": "new@example.com", "username": "newbie", "password": password}
        )
    assert response.status_code == 422 and "password" in response.get_json()["errors"]


def test_password_reset_applies_the_same_rules(app, make_user):
    make_user("rita")
    api = api_for(app)
    api.form("/forgot", {"email": "rita@example.com"})
    link = reset_link(app)
    with nothing_changes(app):
        assert api.form(link, {"password": "password123"}).status_code == 422
        assert api.form(link, {"password": "short"}).status_code == 422
    api.login("rita")  # the old password still signs in


# --- usernames ------------------------------------------------------------------------

LOOK_ALIKES = [
    "RITA",  # case
    "ｒｉｔａ",  # fullwidth: NFKC folds it to rita
    "r.ita",  # separators
    "r_i-ta",
    "rlta",  # i / l
    "r1ta",  # 1 / l / i
]
REFUSED = [
    "rіta",  # Cyrillic і (U+0456)
    "rіtа",  # Cyrillic і and а
    "ritа",  # mixed scripts: Latin + Cyrillic а
    "rita\u200b",  # zero-width space
    "ri\u200dta",  # zero-width joiner
    "\u202eatir",  # right-to-left override
    "rita\x00",
    "ri\nta",
    "ρita",  # Greek rho
    "<script>",
    "rita'--",
    "admin\u00ad",  # soft hyphen
]


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_look_alike_usernames_are_refused(app, make_user, name):
    make_user("rita")
    api = api_for(app)
    with nothing_changes(app):
        response = api.post(
            "/api/v1/auth/register", {"email": "new@example.com", "username": name, "password": PASSWORD}
        )
    assert response.status_code == 409, (name, response.get_json())
    assert "username" in response.get_json()["errors"]


@pytest.mark.parametrize("name", REFUSED)
def test_spoofing_usernames_are_refused_outright(app, name):
    api = api_for(app)
    response = api.post("/api/v1/auth/register", {"email": "new@example.com", "username": name, "password": PASSWORD})
    assert response.status_code == 422, (name, response.get_json())
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_usernames_are_stored_normalised(app):
    api = api_for(app)
    response = api.post(
        "/api/v1/auth/register", {"email": "new@example.com", "username": "ＮｅｗＢｉｅ", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert response.get_json()["user"]["username"] == "NewBie"
    with app.app_context():
        assert db.session.scalar(select(User.username_key)) == "newbie"


def test_sign_in_folds_the_name_the_same_way(app, make_user):
    make_user("rita")
    api = api_for(app)
    assert api.post("/api/v1/auth/login", {"login": "ＲＩＴＡ", "password": PASSWORD}).status_code == 200
