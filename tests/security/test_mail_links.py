"""Links in mail never come from the request (issue 14, item 2).

With PUBLIC_URL unset (the default then), `POST /forgot` with `Host: evil.example` mailed
`http://evil.example/reset/<valid token>`, and a trusted proxy's X-Forwarded-Host did the
same. Now one builder (service/domain/mail/links.py) makes every link in mail, in requests
and in the worker, from PUBLIC_URL, which production requires; development and tests use
the loopback address.
"""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from service import create_app
from service.config import ConfigError
from service.extensions import db
from service.models import OutboxMessage

from ..conftest import deliver_mail

FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


def forgot(client, email="rita@example.com", headers=FORGED):
    token = client.get("/api/v1/session", headers=headers).get_json()["csrf_token"]
    return client.post("/forgot", data={"email": email, "csrf_token": token}, headers=headers)


def mailed_links(app):
    deliver_mail(app)
    with app.app_context():
        bodies = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.subject.contains("Reset"))).all()
    return [link for body in bodies for link in re.findall(r"\S+://\S+", body)]


def test_a_forged_host_does_not_reach_the_reset_mail(app, world, client):
    assert forgot(client).status_code == 302
    [link] = mailed_links(app)
    assert link.startswith("http://127.0.0.1:5000/reset/") and "evil" not in link


def test_a_trusted_proxys_forwarded_host_does_not_either(app, world, behind_proxy):
    assert forgot(behind_proxy.test_client()).status_code == 302
    [link] = mailed_links(app)
    assert link.startswith("http://127.0.0.1:5000/reset/")


def test_with_public_url_every_link_is_on_it(app, world, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://comments.example.com")
    forgot(client)
    [link] = mailed_links(app)
    assert link.startswith("https://comments.example.com/reset/")


def test_production_refuses_to_start_without_public_url():
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "SCORING_WORKER": "off", "PUBLIC_URL": ""}
    with pytest.raises(ConfigError) as refused:
        create_app({**settings, "PARLEY_ENV": "production"})
    assert "PUBLIC_URL" in str(refused.value) and "PARLEY_ENV=development" in str(refused.value)
    assert create_app({**settings, "PARLEY_ENV": "production", "PUBLIC_URL": "https://c.example.com"})
    assert create_app({**settings, "PARLEY_ENV": "development"})  # development keeps the loopback default


def test_every_module_that_writes_mail_builds_its_links_with_the_one_builder():
    """The class, for code not written yet: a module that queues mail must not build a link
    from the request (public_url follows it in development; host_url and Host always do)."""
    root = Path(__file__).resolve().parents[2] / "service"
    offenders = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if ("send_mail(" in text or "mail.compose import" in text) and path.name != "sending.py":
            offenders += [
                f"{path.relative_to(root)}: {word}"
                for word in ("public_url", "host_url", "request.host", "url_root")
                if word in text
            ]
    assert not offenders, offenders
