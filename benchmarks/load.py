"""Parley under mixed load: the embedded default and the scaled-out layout, side by side.

    python benchmarks/load.py [--duration 60] [--setups embedded,scaled] [--json out.json]

For each setup the script starts the system itself, seeds it, drives traffic, reads the
scoring lag back from the database, and tears everything down:

- embedded: SQLite under a temporary folder, one gunicorn process (gthread) and the scoring
  process it starts and supervises (SCORING_WORKER=process, the default; --embedded-worker
  thread for the earlier in-process scoring thread), rate limits in memory;
- scaled:   a fresh PostgreSQL database on 127.0.0.1:5432 (created and dropped here), Redis
  (--redis-db, a database of its own: emptied before and after), gunicorn web processes
  with SCORING_WORKER=external and `flask worker` processes, one of each per two cores
  (--web-processes, --workers).

Seed: a thread of --thread-size published comments (a third of them replies) on one article,
--live-articles open articles that receive the new comments, and enough reader accounts that
each poster stays under the README's per-user comment limit (COMMENT_LIMIT_PER_MINUTE, left
at its default of 5 a minute; nothing is raised or switched off). All readers share one real
scrypt password hash, so signing in costs what it costs in production.

Traffic, open-loop at fixed rates (latency counted from each request's scheduled send time):
comment POSTs through the API by signed-in readers (each reader posts every ~14 s, round
robin), anonymous reads of the big thread (the HTML page and the API, half each), and
sign-ins of random readers. A short warm-up runs first and is not counted.

Why this generator: wrk is closed-loop (each connection waits for its answer before sending
the next), so a slow server quietly lowers the offered rate and its latencies hide the queue
(coordinated omission), and Debian has no wrk2. One asyncio process with a minimal HTTP/1.1
client keeps every route open-loop with one clock, needs nothing beyond the standard library
(and SQLAlchemy, already a dependency, for the read-backs), and its own CPU use is measured
and printed so it can be weighed: it shares the machine's cores with the system under test.

A server that cannot keep up with an offered rate queues requests until they pass the 10 s
client timeout (and, beyond 200 in flight on one route, requests are counted as dropped): all
are errors. Lower --read-rate (or --post-rate) to find the rates a machine sustains.

Scoring lag is the decisions table's created_at minus the comment's created_at, for every
comment the measured phase posted, after the queue has drained.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # moderation.cpu

from load_cpu import cpu_by_role, shares  # noqa: E402
from load_db import Readback  # noqa: E402
from load_http import Pool, Stats, cookie_from, cpu_seconds, percentile, run_stream  # noqa: E402
from load_text import comment_body  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-benchmark-password"
COMMENT_LIMIT_PER_MINUTE = 5  # the README's default; posters are spread to stay under it
SECONDS_BETWEEN_POSTS = 60 / COMMENT_LIMIT_PER_MINUTE + 2  # 14 s: a margin for fixed windows
TARGETS = {"post_p99_ms": 100, "reads_per_s": 300, "lag_p99_s": 2.0, "errors": 0}
ROUTES = ("post comment", "thread page", "thread API", "sign-in")


# -- the system under test ---------------------------------------------------------------
class System:
    """Processes of one setup, their logs in a temporary folder; stopped in reverse order."""

    def __init__(self, name, args):
        self.name = name
        self.args = args
        self.dir = Path(tempfile.mkdtemp(prefix=f"parley-load-{name}-"))
        self.port = _free_port()
        self.processes = []
        self.roles = {}  # pid -> "web" or "workers", for the CPU breakdown
        self.database = None
        self.env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "REDIS_URL")}
        self.env.update(
            SECRET_KEY=secrets.token_hex(16),
            FLASK_APP="wsgi.py",
            BIND=f"127.0.0.1:{self.port}",
            SITE_URL=f"http://127.0.0.1:{self.port}",
            ACCESS_LOG="0",
            PYTHONUNBUFFERED="1",
        )
        if name == "embedded":
            self.env.update(
                DATABASE_URL=f"sqlite:///{self.dir / 'parley.db'}",
                SCORING_WORKER=args.embedded_worker,
                WEB_CONCURRENCY="1",
            )
        else:
            self.database = f"parley_load_{os.getpid()}"
            self.env.update(
                DATABASE_URL=f"postgresql://postgres@{args.pg_host}:{args.pg_port}/{self.database}",
                REDIS_URL=f"redis://127.0.0.1:6379/{args.redis_db}",
                SCORING_WORKER="external",
                WEB_CONCURRENCY=str(args.web_processes),
                # Every process shares this host's cores: one torch thread per worker, or
                # two workers' thread pools (torch's default, one per core) oversubscribe them.
                SCORING_THREADS=str(args.worker_threads),
            )

    @property
    def url(self):
        return self.env["DATABASE_URL"]

    def prepare(self, readers):
        if self.database:
            self._pg("dropdb", "--if-exists", self.database)
            self._pg("createdb", self.database)
            _flush_redis(self.env["REDIS_URL"])
        self._run([sys.executable, "-m", "flask", "db", "upgrade"])
        out = self._run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "load_db.py"),
                "seed",
                "--readers",
                str(readers),
                "--thread-size",
                str(self.args.thread_size),
                "--live-articles",
                str(self.args.live_articles),
                "--password",
                PASSWORD,
            ]
        )
        return json.loads(out.strip().splitlines()[-1])

    def start(self):
        self._spawn("web", [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"])
        if self.name == "scaled":
            for n in range(self.args.workers):
                self._spawn(f"worker{n + 1}", [sys.executable, "-m", "flask", "worker"])

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.database:
            _flush_redis(self.env["REDIS_URL"])
            self._pg("dropdb", "--if-exists", self.database)
        if self.args.keep_logs:
            print(f"[{self.name}] logs kept in {self.dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self, lines=30):
        tails = []
        for log in sorted(self.dir.glob("*.log")):
            tails.append(f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:]))
        return "\n".join(tails)

    def _spawn(self, name, command):
        log = open(self.dir / f"{name}.log", "w")  # noqa: SIM115 -- open for the process's whole life
        self.processes.append(subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT))
        self.roles[self.processes[-1].pid] = "web" if name == "web" else "workers"

    def _run(self, command):
        result = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600)
        if result.returncode:
            raise SystemExit(f"{' '.join(command[1:4])} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        return result.stdout

    def _pg(self, tool, *args):
        subprocess.run(
            [tool, "-h", self.args.pg_host, "-p", str(self.args.pg_port), "-U", "postgres", *args],
            check=True,
            capture_output=True,
        )


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flush_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


def _healthz(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return json.load(response)
    except Exception:
        return None


def wait_until_ready(system, readback, timeout=180):
    """Web answering, and every scoring worker has loaded its model."""
    deadline = time.monotonic() + timeout
    want = system.args.workers if system.name == "scaled" else 1
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in system.processes):
            raise SystemExit(f"a process of the {system.name} setup exited:\n{system.log_tail()}")
        health = _healthz(system.port)  # on the embedded default this request starts the scoring thread
        if health and health.get("status") == "ok" and readback.live_workers() >= want:
            return
        time.sleep(0.5)
    raise SystemExit(f"the {system.name} setup was not ready in {timeout} s:\n{system.log_tail()}")


def wait_for_drain(readback, timeout):
    """Seconds until nothing is pending (None if it never got there)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if readback.pending() == 0:
            return time.monotonic() - started
        time.sleep(0.25)
    return None


# -- traffic ----------------------------------------------------------------------------
class Traffic:
    """The four request streams against one system, sharing one clock."""

    def __init__(self, port, seeded, args):
        self.args = args
        self.seeded = seeded
        # One pool per route, so a route the server is slow on cannot starve the others' connections.
        self.pools = {route: Pool(port) for route in ROUTES}
        self.sessions = []  # (cookie, csrf token) of each signed-in poster
        self.post_count = 0
        self.created = []  # ids of comments that got a 201 in the measured phase
        self.measuring = False
        self.cache_hits = {"thread page": 0, "thread API": 0}  # answers marked X-Cache: hit (measured phase)
        self.rng = random.Random(11)

    async def sign_in_posters(self, posters, concurrency=4):
        gate = asyncio.Semaphore(concurrency)

        async def one(username):
            async with gate:
                status, headers, _ = await self._login(username)
                if status != 200:
                    raise SystemExit(f"sign-in of {username} answered {status}")
                cookie = cookie_from(headers)
                status, headers, data = await self.pools["post comment"].request(
                    "GET", "/api/v1/session", {"Cookie": cookie}
                )
                return cookie_from(headers) or cookie, json.loads(data)["csrf_token"]

        self.sessions = await asyncio.gather(*(one(name) for name in self.seeded["readers"][:posters]))

    async def _login(self, username):
        body = json.dumps({"login": username, "password": PASSWORD}).encode()
        return await self.pools["sign-in"].request(
            "POST", "/api/v1/auth/login", {"Content-Type": "application/json"}, body
        )

    async def post(self, i):
        cookie, token = self.sessions[self.post_count % len(self.sessions)]  # round robin keeps each under the limit
        self.post_count += 1
        slug = self.seeded["live"][i % len(self.seeded["live"])]
        body = json.dumps({"body": comment_body(self.rng)}).encode()
        headers = {"Cookie": cookie, "X-CSRFToken": token, "Content-Type": "application/json"}
        status, _, data = await self.pools["post comment"].request(
            "POST", f"/api/v1/articles/{slug}/comments", headers, body
        )
        if status == 201 and self.measuring:
            self.created.append(json.loads(data)["comment"]["id"])
        return status

    async def page(self, i):
        return await self._read("thread page", f"/articles/{self.seeded['big']}")

    async def api(self, i):
        return await self._read("thread API", f"/api/v1/articles/{self.seeded['big']}/comments")

    async def _read(self, route, path):
        """A signed-out read; counts the answers the server's micro-cache replayed."""
        status, headers, _ = await self.pools[route].request("GET", path)
        if self.measuring and headers.get("x-cache") == ["hit"]:
            self.cache_hits[route] += 1
        return status

    async def sign_in(self, i):
        return (await self._login(self.rng.choice(self.seeded["readers"])))[0]

    async def phase(self, duration):
        """All streams at their rates for `duration` seconds; the stats of each route."""
        a = self.args
        plan = {
            "post comment": (a.post_rate, self.post, (201,)),
            "thread page": (a.read_rate / 2, self.page, (200,)),
            "thread API": (a.read_rate / 2, self.api, (200,)),
            "sign-in": (a.signin_rate, self.sign_in, (200,)),
        }
        stats = {route: Stats(expected) for route, (_, _, expected) in plan.items()}
        start = asyncio.get_running_loop().time() + 0.1
        await asyncio.gather(
            *(run_stream(start, rate, duration, call, stats[route]) for route, (rate, call, _) in plan.items())
        )
        return stats


def machine_busy():
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def scoring_setup(env):
    """'CPU ...; scoring: float32 products' for the settings the scorers will run with."""
    from moderation import cpu

    code = "import os; from moderation.fast import choose_precision; print(choose_precision(os.environ.get('SCORING_PRECISION', 'auto')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    precision = result.stdout.strip() or f"unknown ({result.stderr.strip()[-200:]})"
    return f"{cpu.describe()}; scoring: packed forward, {precision} products"


# -- one setup, end to end ---------------------------------------------------------------
def posters_needed(post_rate):
    return int(post_rate * SECONDS_BETWEEN_POSTS) + 1


def run_setup(name, args):
    posters = posters_needed(args.post_rate)
    readers = max(args.readers, posters)
    system = System(name, args)
    print(
        f"[{name}] preparing: database, migrations, seed ({readers} readers, {args.thread_size}-comment thread)",
        file=sys.stderr,
    )
    seeded = system.prepare(readers)
    readback = Readback(system.url)
    try:
        system.start()
        wait_until_ready(system, readback)
        return asyncio.run(_drive(system, seeded, readback, posters, args))
    finally:
        readback.dispose()
        system.stop()


async def _drive(system, seeded, readback, posters, args):
    name = system.name
    traffic = Traffic(system.port, seeded, args)
    began = time.monotonic()
    await traffic.sign_in_posters(posters)
    signed_in = time.monotonic() - began
    print(f"[{name}] {posters} posters signed in ({signed_in:.1f} s); warm-up {args.warmup:g} s", file=sys.stderr)
    await traffic.phase(args.warmup)

    print(f"[{name}] measuring {args.duration:g} s", file=sys.stderr)
    traffic.measuring = True
    cpu_before, busy_before, roles_before = cpu_seconds(), machine_busy(), cpu_by_role(system.roles)
    load_before = os.getloadavg()[0]
    began = time.monotonic()
    stats = await traffic.phase(args.duration)
    elapsed = time.monotonic() - began
    cpu_after, busy_after, roles_after = cpu_seconds(), machine_busy(), cpu_by_role(system.roles)
    traffic.measuring = False
    for pool in traffic.pools.values():
        pool.close()

    drained = wait_for_drain(readback, args.drain_timeout)
    scoring = readback.scoring(traffic.created)
    result = {
        "routes": {route: _route_figures(s, elapsed) for route, s in stats.items()},
        "elapsed_s": round(elapsed, 2),
        "posters": posters,
        "posters_sign_in_s": round(signed_in, 2),
        "scoring": {
            "posted": len(traffic.created),
            "decided": len(scoring["lags"]),
            "lag_p50_s": _round(percentile(scoring["lags"], 50), 3),
            "lag_p99_s": _round(percentile(scoring["lags"], 99), 3),
            "lag_max_s": _round(max(scoring["lags"], default=None), 3),
            "undecided": scoring["undecided"],
            "missing": scoring["missing"],
            "decided_twice": scoring["decided_twice"],
            "drain_s": _round(drained, 2),
        },
        "generator_cpu_pct_of_one_core": round(100 * (cpu_after - cpu_before) / elapsed, 1),
        "machine_cpu_busy_pct": round(
            100 * (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]), 1
        ),
        "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpu_pct_of_one_core_by_role": shares(roles_before, roles_after, elapsed),
    }
    reads = result["routes"]["thread page"]["ok_per_s"] + result["routes"]["thread API"]["ok_per_s"]
    result["thread_reads_per_s"] = round(reads, 1)
    ok_reads = result["routes"]["thread page"]["ok"] + result["routes"]["thread API"]["ok"]
    result["thread_reads_cache_hit_pct"] = round(100 * sum(traffic.cache_hits.values()) / max(1, ok_reads), 1)
    return result


def _route_figures(stats, elapsed):
    ms = [x * 1000 for x in stats.latencies]
    return {
        "sent": len(stats.latencies) + sum(stats.failures.values()),
        "ok": stats.ok,
        "ok_per_s": round(stats.ok / elapsed, 1),
        "p50_ms": _round(percentile(ms, 50), 1),
        "p95_ms": _round(percentile(ms, 95), 1),
        "p99_ms": _round(percentile(ms, 99), 1),
        "errors": stats.errors,
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "failures": dict(stats.failures),
    }


def _round(value, digits):
    return None if value is None else round(value, digits)


# -- the report ----------------------------------------------------------------------------
def verdicts(result):
    """Each target: (label, met?)."""
    routes = result["routes"]
    errors = (
        sum(r["errors"] for r in routes.values()) + result["scoring"]["missing"] + result["scoring"]["decided_twice"]
    )
    post_p99 = routes["post comment"]["p99_ms"]
    lag_p99 = result["scoring"]["lag_p99_s"]
    return {
        "0 errors": errors == 0,
        f"comment POST p99 <= {TARGETS['post_p99_ms']} ms": post_p99 is not None and post_p99 <= TARGETS["post_p99_ms"],
        f"thread reads >= {TARGETS['reads_per_s']} req/s": result["thread_reads_per_s"] >= TARGETS["reads_per_s"],
        f"scoring lag p99 <= {TARGETS['lag_p99_s']:g} s": lag_p99 is not None
        and lag_p99 <= TARGETS["lag_p99_s"]
        and not result["scoring"]["undecided"],
    }


def report(results, args):
    names = list(results)
    header = f"{'':26}" + "".join(f"{name:>40}" for name in names)
    out = [
        results[names[0]]["machine"],
        f"Parley load benchmark: {os.cpu_count()} CPU cores, {args.duration:g} s measured per setup "
        f"(after {args.warmup:g} s warm-up), open-loop offered rates: comment POSTs {args.post_rate:g}/s, "
        f"thread reads {args.read_rate:g}/s (page and API, half each), sign-ins {args.signin_rate:g}/s",
        "",
        header,
        f"{'route':26}" + "".join(f"{'ok/s   p50    p95    p99 ms   errors':>40}" for _ in names),
    ]
    for route in ROUTES:
        row = f"{route:26}"
        for name in names:
            r = results[name]["routes"][route]
            row += f"{r['ok_per_s']:>13.1f}{_fmt(r['p50_ms']):>7}{_fmt(r['p95_ms']):>7}{_fmt(r['p99_ms']):>7}{r['errors']:>9}  "
        out.append(row)
    out.append(
        f"{'thread reads, both':26}" + "".join(f"{results[n]['thread_reads_per_s']:>13.1f}{'req/s':>27}" for n in names)
    )
    out.append(
        f"{'  of them cache hits':26}"
        + "".join(f"{results[n]['thread_reads_cache_hit_pct']:>12.1f}%{'':27}" for n in names)
    )
    out.append(
        f"{'scoring lag p50 / p99':26}"
        + "".join(
            f"{_fmt(results[n]['scoring']['lag_p50_s'], 2):>13} / {_fmt(results[n]['scoring']['lag_p99_s'], 2):<7} s{'':17}"
            for n in names
        )
    )
    out.append(
        f"{'decided / posted':26}"
        + "".join(
            f"{results[n]['scoring']['decided']:>13} / {results[n]['scoring']['posted']:<7}{'':19}" for n in names
        )
    )
    out.append(
        f"{'machine CPU busy':26}" + "".join(f"{results[n]['machine_cpu_busy_pct']:>12.1f}%{'':27}" for n in names)
    )
    out.append(
        f"{'generator CPU (1 core)':26}"
        + "".join(f"{results[n]['generator_cpu_pct_of_one_core']:>12.1f}%{'':27}" for n in names)
    )
    for name in names:
        roles = results[name]["cpu_pct_of_one_core_by_role"]
        by_role = ", ".join(f"{role} {pct:g}%" for role, pct in roles.items())
        out.append(f"{name} CPU by role (% of one core): {by_role}")
    out.append("")
    out.append(f"{'target':44}" + "".join(f"{name:>14}" for name in names))
    for label in verdicts(results[names[0]]):
        out.append(
            f"{label:44}" + "".join(f"{('met' if verdicts(results[n])[label] else 'NOT MET'):>14}" for n in names)
        )
    for name in names:
        failures = {
            route: r["failures"] or r["statuses"] for route, r in results[name]["routes"].items() if r["errors"]
        }
        if failures:
            out.append(f"{name} errors by route: {json.dumps(failures)}")
    return "\n".join(out)


def _fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setups", default="embedded,scaled", help="comma-separated: embedded, scaled")
    parser.add_argument("--duration", type=float, default=60, help="measured seconds per setup")
    parser.add_argument("--warmup", type=float, default=5, help="uncounted seconds of the same traffic first")
    parser.add_argument("--post-rate", type=float, default=50)
    parser.add_argument("--read-rate", type=float, default=300)
    parser.add_argument("--signin-rate", type=float, default=2)
    parser.add_argument("--readers", type=int, default=300, help="at least; more if the post rate needs them")
    parser.add_argument("--thread-size", type=int, default=300)
    parser.add_argument("--live-articles", type=int, default=4)
    # One web process and one worker per two cores: on a 2-core host, two of each (four
    # Python processes) starved the niced workers and the lag grew to 10 s (README, Sizing).
    per_two_cores = max(1, (os.cpu_count() or 2) // 2)
    parser.add_argument("--web-processes", type=int, default=per_two_cores, help="default: one per two cores")
    parser.add_argument("--workers", type=int, default=per_two_cores, help="default: one per two cores")
    parser.add_argument("--worker-threads", type=int, default=1, help="SCORING_THREADS of each flask worker")
    parser.add_argument(
        "--embedded-worker",
        default="process",
        choices=["process", "thread"],
        help="SCORING_WORKER of the embedded setup: its scoring process (default) or a thread of the web process",
    )
    parser.add_argument("--redis-db", type=int, default=9, help="emptied before and after the scaled run")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--drain-timeout", type=float, default=180)
    parser.add_argument("--keep-logs", action="store_true", help="keep each setup's folder (logs, SQLite file)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()

    results = {}
    for name in args.setups.split(","):
        if name not in ("embedded", "scaled"):
            parser.error(f"unknown setup {name!r}")
        results[name] = run_setup(name, args)
        results[name]["machine"] = scoring_setup(dict(os.environ, PYTHONPATH=str(ROOT)))
    print(report(results, args))
    if args.json:
        document = {
            "cores": os.cpu_count(),
            "settings": vars(args),
            "targets": TARGETS,
            "setups": results,
            "verdicts": {n: verdicts(r) for n, r in results.items()},
        }
        Path(args.json).write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    main()
