"""SMTP delivery against a real SMTP server (aiosmtpd) on loopback, started by the test: STARTTLS
with a certificate made here, login, and a failure recorded on the outbox row without failing
the request that wrote the mail (requests only write the outbox; the worker's mail turn,
`deliver_mail` here, delivers it)."""

import datetime
import ipaddress
import ssl

import pytest
from sqlalchemy import select

from service.domain.mail.sending import send_mail
from service.extensions import db
from service.models import OutboxMessage, User

from .conftest import deliver_mail

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402 -- only once importorskip found aiosmtpd

PORT = 5108  # this suite's own port on loopback
LOGIN, SECRET = "parley", "mail-password"


def self_signed(tmp_path):
    """A certificate and key for 127.0.0.1, written to tmp_path."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class Mailbox:
    """The server's side: what arrived, and over what kind of session."""

    def __init__(self):
        self.messages, self.sessions = [], []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode())
        self.sessions.append({"tls": session.ssl is not None, "login": session.auth_data})
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        LOGIN.encode(),
        SECRET.encode(),
    )
    # handled=False: the server answers a refusal with its 535 itself.
    return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)


@pytest.fixture
def smtp_server(tmp_path):
    """An SMTP server that insists on STARTTLS and a login before it takes mail."""
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    controller = aiosmtpd.Controller(
        mailbox,
        hostname="127.0.0.1",
        port=PORT,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=authenticate,
    )
    controller.start()
    yield mailbox
    controller.stop()


@pytest.fixture
def smtp_config(app, monkeypatch, tmp_path):
    for key, value in {
        "SMTP_CA_FILE": str(tmp_path / "cert.pem"),  # the test server's self-signed certificate
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": PORT,
        "SMTP_STARTTLS": True,
        "SMTP_USER": LOGIN,
        "SMTP_PASSWORD": SECRET,
        "MAIL_FROM": "Parley <noreply@parley.test>",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return app.config


def outbox(app):
    with app.app_context():
        return [
            (m.recipient, m.subject, m.sent_at is not None, m.error)
            for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def mail_bob(app):
    with app.app_context():
        bob = db.session.scalar(select(User).where(User.username == "bob"))
        send_mail(bob, "Hello", "A line of text.\n")
        db.session.commit()
    deliver_mail(app)


def test_a_message_goes_out_over_starttls_with_a_login(app, make_user, smtp_server, smtp_config):
    make_user("bob", email="bob@example.com")
    mail_bob(app)
    assert outbox(app) == [("bob@example.com", "Hello", True, None)]
    assert smtp_server.sessions == [{"tls": True, "login": LOGIN.encode()}]
    [message] = smtp_server.messages
    assert "From: Parley <noreply@parley.test>" in message and "To: bob@example.com" in message
    assert "Subject: Hello" in message and "A line of text." in message


@pytest.mark.parametrize(
    "change, words",
    [
        ({"SMTP_PASSWORD": "wrong"}, "535"),  # authentication failed
        ({"SMTP_STARTTLS": False}, "auth extension not supported"),  # no login offered before STARTTLS
        ({"SMTP_USER": ""}, "530"),  # the server wants a login
        ({"SMTP_PORT": PORT + 1}, "refused"),  # nothing listens there
    ],
)
def test_a_failed_delivery_is_recorded_and_the_message_kept(app, make_user, smtp_server, smtp_config, change, words):
    smtp_config.update(change)
    make_user("bob", email="bob@example.com")
    mail_bob(app)
    [(recipient, subject, sent, error)] = outbox(app)
    assert (recipient, subject, sent) == ("bob@example.com", "Hello", False)
    assert words in error.lower()
    assert smtp_server.messages == []


def test_a_failed_delivery_does_not_fail_the_request(app, api, make_user, smtp_server, smtp_config):
    smtp_config["SMTP_PASSWORD"] = "wrong"
    make_user("bob", email="bob@example.com")
    page = api.form("/forgot", {"email": "bob@example.com"})
    assert page.status_code == 302
    deliver_mail(app)
    [(recipient, _, sent, error)] = outbox(app)
    assert recipient == "bob@example.com" and not sent and "535" in error
    smtp_config["SMTP_PASSWORD"] = SECRET
    api.form("/forgot", {"email": "bob@example.com"})
    deliver_mail(app)  # the failed one waits for its next try; the new one goes
    assert [row[2] for row in outbox(app)] == [False, True]
    assert "reset" in smtp_server.messages[0].lower()


def test_a_server_whose_certificate_is_not_trusted_gets_no_password(app, make_user, smtp_server, smtp_config):
    make_user("bob")
    smtp_config["SMTP_CA_FILE"] = ""  # the system's CAs only: they never signed the test's certificate
    mail_bob(app)
    [(recipient, subject, sent, error)] = [row for row in outbox(app) if row[1] == "Hello"]
    assert not sent and "CERTIFICATE_VERIFY_FAILED" in error
    assert smtp_server.messages == []
