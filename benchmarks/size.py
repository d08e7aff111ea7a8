"""Pages at size: server time of threads and queues over a database of 1,000,000 comments.

    python benchmarks/size.py [--database-url URL | --sqlite [PATH]] [--comments 1000000]
                              [--reuse] [--requests 30] [--json out.json]

Seeds the database with `flask seed-bulk`'s generator (or, with --reuse, measures what is
there), reports seeding time and rows/s, then times requests inside the Flask app (the test
client: no network, no browser; what a web process spends per request) for: the
5,000-comment article's first and a deep page, the API thread call, and each moderation
queue's first and a later page in each sort (newest, oldest, worst score first) as a
moderator, tab counts and the moderators' banner included. Median and p95 over --requests requests each,
after 3 warm-up requests; the target is 50 ms. The SQL time of a page is the EXPLAIN ANALYZE
execution time of its queries of comments and reports ("sql ms", the figure issue 17 set its
3x against) and of all its SELECTs ("all sql"). Then prints EXPLAIN (ANALYZE, BUFFERS) of the
comment queries those pages ran (EXPLAIN QUERY PLAN on SQLite).

The default database is a dedicated PostgreSQL one (parley_size, created if missing); it is
emptied before seeding unless --reuse.
"""

import argparse
import gc
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/parley_size"
TARGET_MS = 50
QUEUES = ("pending", "reported", "review")
SORTS = ("age", "oldest", "score")  # newest first (the default), oldest first, worst toxicity first
LATER_PAGE = 10
COMMENT_QUERY = re.compile(
    r"\b(FROM|JOIN) (comments|reports)\b"
)  # "a later page" of a queue: the 10th, reached by following cursors


def ensure_postgres_database(url):
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{parsed.database}"')
            print(f"created database {parsed.database}", file=sys.stderr)


def build_app(url):
    from service import create_app

    # External scoring: the benchmark process must not load the model or score the pending comments.
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SCORING_WORKER": "external",
            "RATELIMIT_ENABLED": False,
            "PARLEY_ENV": "development",
        }
    )


def seed(app, comments, articles, hot):
    from flask_migrate import upgrade
    from sqlalchemy import MetaData

    from service.bulk import seed as bulk_seed
    from service.extensions import db

    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        meta.drop_all(bind=db.engine)
        upgrade()
        summary = bulk_seed(comments, articles, hot)
        db.session.remove()
    return {
        "comments": summary.comments,
        "rows": summary.rows,
        "seconds": round(summary.seconds, 1),
        "rows_per_s": round(summary.rows / summary.seconds),
        "comments_per_s": round(summary.comments / summary.seconds),
        "statuses": dict(summary.statuses),
        "decisions": summary.decisions,
        "reports": summary.reports,
    }


def subjects(app):
    """The hot article's slug and a moderator's id, from what the database holds."""
    from sqlalchemy import func, select

    from service.extensions import db
    from service.models import Article, Comment, User

    with app.app_context():
        hot = db.session.execute(
            select(Article.slug, func.count(Comment.id))
            .join(Comment, Comment.article_id == Article.id)
            .where(Article.slug.like("%-hot-article"))
            .group_by(Article.slug, Article.id)
            .order_by(Article.id.desc())
            .limit(1)
        ).first()
        moderator = db.session.scalar(select(User.id).where(User.role == "moderator").order_by(User.id.desc()).limit(1))
        total = db.session.scalar(select(func.count()).select_from(Comment))
        db.session.remove()
    if hot is None or moderator is None:
        sys.exit("No bulk-seeded hot article or moderator here; run without --reuse to seed.")
    return hot[0], hot[1], moderator, total


def signed_in(app, user_id):
    """A test client with the user's session, as a sign-in would leave it (no scrypt on the clock)."""
    from service.extensions import db
    from service.models import User

    with app.app_context():
        session_id = db.session.get(User, user_id).get_id()  # "id:password fingerprint"
        db.session.remove()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


def follow(client, url, key, pages):
    """The cursor that reaches page `pages` + 1 of a paginated API call."""
    cursor = None
    for _ in range(pages):
        answer = client.get(url + (f"&cursor={quote(cursor)}" if cursor else "")).get_json()
        if not answer.get(key):
            break
        cursor = answer[key]
    return cursor


class QueryLog:
    """The SQL statements a request ran, to EXPLAIN afterwards."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.statements = []
        self.on = False
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        if self.on and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, parameters))


def force_generic_plans(engine):
    """Every connection of `engine` from now on plans prepared statements without looking at
    their parameters: the worst plan a page can get once psycopg has prepared its statements
    (on their fifth run) and PostgreSQL has chosen the generic plan (which it may from the
    sixth). A query whose speed rests on knowing a parameter shows here."""
    from sqlalchemy import event

    def on_connect(connection, record):
        with connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
        connection.commit()

    event.listen(engine, "connect", on_connect)
    engine.dispose()  # connections opened before the listener plan as before


def time_page(client, url, requests):
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "max_ms": round(times[-1], 1),
        # CPU the web process spent: on a busy machine wall time also counts waiting for a core.
        "cpu_median_ms": round(statistics.median(cpu), 1),
    }


def explain(app, log, client, url):
    """EXPLAIN each comment query one request of `url` ran, with the parameters it ran with."""
    from service.extensions import db

    log.statements, log.on = [], True
    client.get(url)
    log.on = False
    plans = []
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            postgres = db.engine.dialect.name == "postgresql"
            for statement, parameters in log.statements:
                prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
                cursor.execute(prefix + statement, parameters)
                rows = cursor.fetchall()
                plan = [r[0] for r in rows] if postgres else [f"{'  ' * (r[1] > 0)}{r[-1]}" for r in rows]
                executed = [float(line.split(":")[1].split()[0]) for line in plan if line.startswith("Execution Time:")]
                plans.append(
                    {
                        "sql": " ".join(statement.split()),
                        "plan": plan,
                        "ms": executed[0] if executed else None,
                        "comments": bool(COMMENT_QUERY.search(statement)),
                    }
                )
            raw.rollback()
        finally:
            raw.close()
    return plans


def pages(app, slug, moderator_id):
    """(name, client, url) of each measured page."""
    anonymous = app.test_client()
    moderator = signed_in(app, moderator_id)
    thread_api = f"/api/v1/articles/{slug}/comments?limit=50"
    deep = follow(anonymous, thread_api, "next", 1000)  # the last page of the thread
    out = [
        ("article, first page", anonymous, f"/articles/{slug}"),
        ("article, last page", anonymous, f"/articles/{slug}?cursor={quote(deep)}" if deep else f"/articles/{slug}"),
        ("API thread, first page", anonymous, thread_api),
        ("API thread, last page", anonymous, thread_api + (f"&cursor={quote(deep)}" if deep else "")),
        ("article, first page (moderator)", moderator, f"/articles/{slug}"),
    ]
    for name in QUEUES:
        for sort in SORTS:
            label = f"queue {name}" + (f" by {sort}" if sort != "age" else "")
            page = f"/review/{name}?sort={sort}"
            later = follow(moderator, f"/api/v1/review/queues/{name}?limit=50&sort={sort}", "next", LATER_PAGE - 1)
            out.append((f"{label}, first page", moderator, page))
            out.append((f"{label}, page {LATER_PAGE}", moderator, f"{page}&cursor={quote(later)}" if later else page))
        out.append((f"API queue {name}, first page", moderator, f"/api/v1/review/queues/{name}"))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument(
        "--sqlite", nargs="?", const=str(ROOT / "instance" / "size-bench.db"), help="measure SQLite (file path)"
    )
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--hot-article-comments", type=int, default=5000)
    parser.add_argument("--reuse", action="store_true", help="measure the database as it is; do not seed")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--quiet-plans", action="store_true", help="leave the plans out of the printout")
    parser.add_argument("--only", help="measure only the pages whose name contains this, e.g. 'queue'")
    parser.add_argument(
        "--generic-plans",
        action="store_true",
        help="PostgreSQL plans every prepared statement for any parameters (plan_cache_mode = "
        "force_generic_plan), as it may choose to after a statement's fifth run on a connection",
    )
    args = parser.parse_args()
    if args.requests < 20:
        parser.error("--requests: at least 20")

    url = f"sqlite:///{Path(args.sqlite).resolve()}" if args.sqlite else args.database_url
    if not args.sqlite:
        ensure_postgres_database(url)
    else:
        Path(args.sqlite).parent.mkdir(parents=True, exist_ok=True)
    app = build_app(url)
    result = {"database": "sqlite" if args.sqlite else "postgresql", "seed": None, "pages": {}, "cores": os.cpu_count()}
    if not args.reuse:
        print(f"seeding {args.comments:,} comments …", file=sys.stderr)
        result["seed"] = seed(app, args.comments, args.articles, args.hot_article_comments)
        s = result["seed"]
        print(
            f"seeded {s['rows']:,} rows ({s['comments']:,} comments) in {s['seconds']} s: "
            f"{s['rows_per_s']:,} rows/s, {s['comments_per_s']:,} comments/s"
        )
    slug, hot_count, moderator_id, total = subjects(app)
    result.update(comments=total, hot_article=slug, hot_article_comments=hot_count)
    print(f"{result['database']}: {total:,} comments; hot article {slug} with {hot_count:,}")

    from service.extensions import db

    with app.app_context():
        log = QueryLog(db.engine)
        if args.generic_plans and not args.sqlite:
            force_generic_plans(db.engine)
    # The cyclic collector runs only between pages, never inside a request. CPython 3.11.7
    # here segfaults now and then when a collection starts inside a dict resize and an ORM
    # weakref callback touches that dict (seen under valgrind as a use-after-free in
    # dictresize); it also keeps collector pauses out of the figures.
    gc.disable()
    if args.generic_plans:
        print("generic plans forced: wall and cpu times are for plans made without the parameters")
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; cpu = the web process's CPU time, "
        "sql = the EXPLAIN ANALYZE execution time (PostgreSQL) of the page's queries of comments and reports, "
        "all sql = of all its SELECTs (the signed-in user, settings, tiers, banner too), stmts = how many"
    )
    print(
        f"\n{'page':40} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'cpu ms':>7} {'sql ms':>7} {'all sql':>7}"
        f" {'stmts':>5}  target {TARGET_MS} ms"
    )
    for name, client, page_url in pages(app, slug, moderator_id):
        if args.only and args.only not in name:
            continue
        gc.collect()
        figures = time_page(client, page_url, args.requests)
        figures["ok"] = figures["p95_ms"] <= TARGET_MS
        figures["url"] = page_url
        figures["plans"] = explain(app, log, client, page_url)
        figures["sql_ms"] = round(sum(p["ms"] or 0 for p in figures["plans"] if p["comments"]), 1)
        figures["all_sql_ms"] = round(sum(p["ms"] or 0 for p in figures["plans"]), 1)
        figures["statements"] = len(figures["plans"])
        result["pages"][name] = figures
        print(
            f"{name:40} {figures['median_ms']:>10} {figures['p95_ms']:>8} {figures['max_ms']:>8} "
            f"{figures['cpu_median_ms']:>7} {figures['sql_ms']:>7} {figures['all_sql_ms']:>7} {figures['statements']:>5}"
            f"  {'ok' if figures['ok'] else 'OVER'}"
        )

    if not args.quiet_plans:
        seen = set()
        for name, figures in result["pages"].items():
            for plan in figures["plans"]:
                if not plan["comments"] or plan["sql"] in seen:
                    continue
                seen.add(plan["sql"])
                print(f"\n--- {name}\n{plan['sql'][:600]}")
                print("\n".join("    " + line for line in plan["plan"]))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
        print(f"\nwrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
