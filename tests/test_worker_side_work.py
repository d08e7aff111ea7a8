"""The worker's mail and exports run beside scoring, not between its batches: a mail server
that accepts a connection and never answers keeps a mail try waiting for SMTP's timeout,
and new comments must be scored meanwhile, not after every try of the turn."""

import socket
import threading
import time

from sqlalchemy import select

from service.domain.mail.sending import send_mail
from service.domain.threads import comments
from service.extensions import db
from service.models import Article, Comment, OutboxMessage, User


class SilentServer:
    """A TCP server on loopback that accepts connections and never says a word (a hung mail
    server): it counts connections and the ones the client gave up on."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted, self.given_up, self.open = 0, 0, []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        self.listener.settimeout(0.1)
        while not self.done.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                self._count_given_up()
                continue
            self.accepted += 1
            self.open.append(conn)

    def _count_given_up(self):
        for conn in list(self.open):
            conn.setblocking(False)
            try:
                if conn.recv(1) == b"":  # the client closed it: its try timed out
                    self.given_up += 1
                    self.open.remove(conn)
            except BlockingIOError:
                pass

    def close(self):
        self.done.set()
        self.thread.join()
        for conn in self.open:
            conn.close()
        self.listener.close()


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_hung_mail_server_does_not_hold_up_scoring(app, monkeypatch, scorer, make_user, make_article):
    from service.background.worker import ScoringWorker

    server = SilentServer()
    for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": server.port, "SMTP_STARTTLS": False}.items():
        monkeypatch.setitem(app.config, key, value)
    make_user("bob", email="bob@example.com")
    make_article()
    with app.app_context():
        bob = db.session.scalar(select(User).where(User.username == "bob"))
        for n in range(3):  # three tries of up to 10 s each, one after another
            send_mail(bob, f"Hello {n}", "A line of text.\n")
        db.session.commit()

    worker = ScoringWorker(app, scorer=scorer, worker_id="side-work-test")
    loop = threading.Thread(target=worker.run, kwargs={"poll_seconds": 0.2}, daemon=True)
    loop.start()
    try:
        wait_for(lambda: server.accepted == 1)  # a mail try now waits for a greeting
        with app.app_context():
            article = db.session.scalar(select(Article))
            bob = db.session.scalar(select(User).where(User.username == "bob"))
            comment_id = comments.post_comment(article, bob, "Thanks for the clear report.").id

        def decided():
            with app.app_context():
                return db.session.get(Comment, comment_id).status != "pending"

        wait_for(decided)
        # Scored while the first mail try still waited: before, the loop scored only after
        # the turn's every try had timed out.
        assert server.given_up == 0 and server.accepted == 1
    finally:
        worker.stop()
        server.close()  # the waiting try fails at once, and the next finds nobody listening
        loop.join(timeout=30)
        for thread in threading.enumerate():
            if thread.name == "parley-mail-exports":
                thread.join(timeout=30)
    assert not loop.is_alive()
    with app.app_context():
        tried = db.session.scalars(select(OutboxMessage.attempts)).all()
    assert sum(tried) >= 1  # the hung try was recorded as a failure; the mail waits for its next try
