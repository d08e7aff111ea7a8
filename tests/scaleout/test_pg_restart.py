"""PostgreSQL restarted under traffic: the web answers 503 (with Retry-After) while it is down,
recovers by itself when it is back, and no comment that got a 201 is lost or decided twice.

Real processes against a private throwaway cluster (the shared server on :5432 is never
restarted): two gunicorn web processes with SCORING_WORKER=external, one `flask worker`, and
a thread posting comments through the API the whole time.
"""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from .pg_cluster import PrivateCluster, free_port, why_unavailable
from .waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-enough-password"
SLUG = "restart-article"
OUTAGE_SECONDS = 4
SLOW = 10  # no request may hang longer than this, outage or not

_url = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = [
    pytest.mark.skipif(
        not _url.startswith("postgresql"),
        reason="runs in the PostgreSQL pass (TEST_DATABASE_URL=postgresql://…); it starts a private cluster of its own",
    ),
    pytest.mark.skipif(why_unavailable() is not None, reason=f"no private PostgreSQL cluster: {why_unavailable()}"),
]


class Client:
    """A tiny HTTP client with one session cookie and its CSRF token, a new connection per request
    so nothing it holds can outlive the outage."""

    def __init__(self, port):
        self.port = port
        self.cookie = None
        self.token = None

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=SLOW + 5)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.token and method != "GET":
            headers["X-CSRFToken"] = self.token
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = conn.getresponse()
            data = response.read()
            cookie = response.getheader("Set-Cookie")
            if cookie and cookie.startswith("session="):
                self.cookie = cookie.split(";", 1)[0]
            return response.status, response.headers, data
        finally:
            conn.close()

    def fetch_token(self):
        status, _, data = self.request("GET", "/api/v1/session")
        assert status == 200, data
        self.token = json.loads(data)["csrf_token"]

    def sign_in(self, login):
        self.fetch_token()
        status, _, data = self.request("POST", "/api/v1/auth/login", {"login": login, "password": PASSWORD})
        assert status == 200, data
        self.fetch_token()


class Poster(threading.Thread):
    """Posts a comment every 50 ms and records what each POST answered, and when."""

    def __init__(self, client):
        super().__init__(daemon=True)
        self.client = client
        self.stopping = threading.Event()
        self.results = []  # (sent, answered, status, Retry-After, parsed body or raw text)

    def run(self):
        n = 0
        while not self.stopping.is_set():
            n += 1
            sent = time.monotonic()
            try:
                status, headers, data = self.client.request(
                    "POST", f"/api/v1/articles/{SLUG}/comments", {"body": f"Comment {n} on the talks."}
                )
                retry_after = headers.get("Retry-After")
            except OSError as exc:  # a hang or a dropped connection is a result too
                status, retry_after, data = f"{exc.__class__.__name__}", None, b""
            self.results.append((sent, time.monotonic(), status, retry_after, _parse(data)))
            self.stopping.wait(0.05)

    def created_after(self, moment):
        return [r for r in self.results if r[2] == 201 and r[0] >= moment]


def _parse(data):
    try:
        return json.loads(data)
    except ValueError:
        return data.decode("utf-8", "replace")[:200]


def _children(pid):
    """Process ids whose parent is `pid` (gunicorn's web workers), read from /proc."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


@pytest.fixture
def cluster():
    cluster = PrivateCluster()
    try:
        cluster.start()
        cluster.create_database("parley")
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def site(cluster, tmp_path):
    """Migrated database, an admin, an article and a reader; web processes and a worker running."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=cluster.url("parley"),
        SECRET_KEY="pg-restart-test",
        SCORING_WORKER="external",
        # No polling to speak of: comments decided after the restart prove the worker's LISTEN
        # connection came back by itself.
        SCORING_POLL_SECONDS="30",
        COMMENT_LIMIT_PER_MINUTE="100000",  # one reader posts 20 a second here
        FLASK_APP="wsgi.py",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    subprocess.run(
        [*flask, "create-admin", "--email", "admin@example.com", "--username", "admin", "--password", PASSWORD],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("web", "worker")}  # noqa: SIM115 -- the processes' lifetime
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=logs["web"],
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen([*flask, "worker"], cwd=ROOT, env=env, stdout=logs["worker"], stderr=subprocess.STDOUT)
    try:
        admin = Client(port)
        assert wait_for(lambda: _answers(admin, "/healthz") == 200, timeout=60), (tmp_path / "web.log").read_text()
        admin.sign_in("admin")
        article = {"slug": SLUG, "title": "Talks resume", "summary": "Talks.", "comments_mode": "open"}
        status, _, data = admin.request("POST", "/api/v1/admin/articles", article)
        assert status == 201, data
        reader = Client(port)
        status, _, data = reader.request(
            "POST", "/api/v1/auth/register", {"email": "ann@example.com", "username": "ann", "password": PASSWORD}
        )
        assert status == 201, data  # and signed in
        reader.fetch_token()
        # The worker has loaded its model and said so: traffic meets a working pipeline.
        assert wait_for(lambda: _model(admin) not in (None, "no worker"), timeout=120), (
            tmp_path / "worker.log"
        ).read_text()[-3000:]
        yield {"port": port, "web": web, "worker": worker, "reader": reader, "logs": tmp_path}
    finally:
        for process in (worker, web):
            process.terminate()
        for process in (worker, web):
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs.values():
            log.close()


def _answers(client, path):
    try:
        return client.request("GET", path)[0]
    except OSError:
        return None


def _model(client):
    status, _, data = client.request("GET", "/healthz")
    return json.loads(data).get("model") if status == 200 else None


def _decisions(cluster, ids):
    """comment id -> (status, number of system decisions) for the given ids."""
    with psycopg.connect(cluster.url("parley")) as conn:
        rows = conn.execute(
            "SELECT c.id, c.status, count(d.id) FROM comments c LEFT JOIN decisions d ON d.comment_id = c.id "
            "WHERE c.id = ANY(%s) GROUP BY c.id, c.status",
            (list(ids),),
        ).fetchall()
    return {comment_id: (status, n) for comment_id, status, n in rows}


def test_postgres_restart_gives_503_then_recovers_and_loses_no_comment(cluster, site):
    web, worker = site["web"], site["worker"]
    web_processes = _children(web.pid)
    poster = Poster(site["reader"])
    poster.start()
    try:
        assert wait_for(lambda: len(poster.created_after(0)) >= 10, timeout=30), poster.results[-5:]

        cluster.stop()
        down_from = time.monotonic()
        anonymous = Client(site["port"])
        during = {
            path: anonymous.request("GET", path)
            for path in (f"/api/v1/articles/{SLUG}/comments", f"/articles/{SLUG}", "/healthz")
        }
        # More sign-in attempts than the per-account limit allows: our outage is not their failure.
        signing_in = Client(site["port"])
        sign_ins = [
            signing_in.request("POST", "/api/v1/auth/login", {"login": "ann", "password": PASSWORD})[0]
            for _ in range(7)
        ]
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_from)))
        down_until = time.monotonic()
        cluster.start()
        back = time.monotonic()

        recovered = wait_for(lambda: poster.created_after(back), timeout=15)
        time.sleep(1)
    finally:
        poster.stopping.set()
        poster.join(timeout=SLOW + 10)
    logs = site["logs"]
    assert recovered, (
        f"no comment accepted after PostgreSQL came back: {poster.results[-3:]}\n{(logs / 'web.log').read_text()[-3000:]}"
    )

    # While it was down, reads and writes said so clearly: 503, Retry-After, a message.
    status, headers, data = during[f"/api/v1/articles/{SLUG}/comments"]
    assert status == 503 and headers["Retry-After"] and "database is unavailable" in json.loads(data)["error"]
    status, headers, data = during[f"/articles/{SLUG}"]
    assert status == 503 and headers["Retry-After"] and "database is unavailable" in data.decode()
    assert during["/healthz"][0] == 503
    assert sign_ins == [503] * 7
    Client(site["port"]).sign_in("ann")  # not locked out by the attempts that met the outage

    results = poster.results
    assert {r[2] for r in results} <= {201, 503}, [r for r in results if r[2] not in (201, 503)][:5]
    assert max(answered - sent for sent, answered, *_ in results) < SLOW
    inside = [r for r in results if r[0] >= down_from and r[1] <= down_until]
    assert len(inside) >= 10 and all(r[2] == 503 for r in inside), inside[:5]
    for _, _, status, retry_after, body in results:
        if status == 503:
            assert retry_after and "database is unavailable" in body["error"], body
    # Recovery came by itself: the same web processes, the same worker.
    assert _children(web.pid) == web_processes and web.poll() is None and worker.poll() is None
    # The database being down is not the rate-limit storage being down.
    assert "Rate limit storage unreachable" not in (logs / "web.log").read_text()

    # Every comment that got a 201 is there and ends with exactly one system decision.
    created = {r[4]["comment"]["id"] for r in results if r[2] == 201}
    assert len(created) >= 20

    def all_decided():
        found = _decisions(cluster, created)
        return len(found) == len(created) and all(status != "pending" for status, _ in found.values())

    # Well inside the 30 s poll: the worker was woken by NOTIFY on its restored connection.
    assert wait_for(all_decided, timeout=15, step=0.5), (logs / "worker.log").read_text()[-3000:]
    found = _decisions(cluster, created)
    assert set(found) == created
    assert all(n == 1 for _, n in found.values()), {i: v for i, v in found.items() if v[1] != 1}
