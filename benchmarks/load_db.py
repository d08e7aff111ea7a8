"""The database side of benchmarks/load.py: seeding the system under test, and reading back
what the traffic left (scoring lag, pending comments, live workers).

Seeding runs as its own process (`python benchmarks/load_db.py seed …` with DATABASE_URL set)
through the app's models, so the generator process never imports Flask. The read-backs are
plain SQL over SQLAlchemy Core and run in the generator.
"""

import argparse
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIG_SLUG = "load-big-thread"
LIVE_SLUG = "load-live-{}"
READER = "load-r{:04d}"


# -- seeding (in its own process, through the app) ----------------------------------------
def seed(readers, thread_size, live_articles, password, rng_seed=7):
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from load_text import comment_body

    from service import create_app
    from service.domain.accounts import accounts
    from service.domain.threads import articles
    from service.extensions import db
    from service.models import Comment, User

    rng = random.Random(rng_seed)
    app = create_app({"PARLEY_ENV": "development"})  # seeding sends no mail worth a public address
    with app.app_context():
        big = _article(articles, BIG_SLUG, "Blinken starts round of talks with Chinese officials in Beijing")
        for n in range(live_articles):
            _article(articles, LIVE_SLUG.format(n), f"Live coverage, part {n + 1}")
        users = _readers(db, accounts, User, readers, password)
        _thread(db, Comment, big, users, thread_size, rng, comment_body)
        db.session.commit()
        return {
            "big": BIG_SLUG,
            "live": [LIVE_SLUG.format(n) for n in range(live_articles)],
            "readers": [u.username for u in users],
        }


def _article(articles, slug, title):
    return articles.save_article(
        {
            "slug": slug,
            "title": title,
            "summary": "Load benchmark article.",
            "body": "Body text.\n\nMore body text.",
            "comments_mode": "open",
        }
    )


def _readers(db, accounts, User, count, password):
    """Reader accounts sharing one real scrypt hash: seeding stays fast, signing in costs what it costs."""
    users = [
        User(
            email=f"{READER.format(n)}@load.example",
            username=READER.format(n),
            username_key=accounts.username_key(READER.format(n)),
        )
        for n in range(count)
    ]
    users[0].set_password(password)
    for user in users[1:]:
        user.password_hash = users[0].password_hash
    db.session.add_all(users)
    db.session.flush()
    return users


def _thread(db, Comment, article, users, size, rng, comment_body):
    """A realistic published thread: about a third of comments are replies, nesting a few levels,
    spread over the last six hours."""
    start = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=6)
    made = []
    for n in range(size):
        parent = rng.choice(made) if made and rng.random() < 0.35 else None
        if parent is not None and parent.depth >= 3:
            parent = None
        comment = Comment(
            article=article,
            author=rng.choice(users),
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            body=comment_body(rng),
            status="published",
            created_at=start + timedelta(seconds=n * 6 * 3600 / size),
        )
        db.session.add(comment)
        db.session.flush()  # root_id is set from the parent at insert
        made.append(comment)


# -- read-backs (plain SQL, in the generator) ---------------------------------------------
class Readback:
    def __init__(self, url):
        self.engine = create_engine(url)

    def scalar(self, sql, **params):
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def pending(self):
        return self.scalar("SELECT count(*) FROM comments WHERE status = 'pending'")

    def live_workers(self):
        return self.scalar("SELECT count(*) FROM worker_heartbeats WHERE state = 'ok'")

    def scoring(self, comment_ids):
        """Seconds from each comment's creation to its system decision, and how many are undecided
        or decided more than once, for the given comment ids."""
        query = text(
            "SELECT c.id, c.created_at, min(d.created_at), count(d.id) FROM comments c "
            "LEFT JOIN decisions d ON d.comment_id = c.id WHERE c.id IN :ids GROUP BY c.id, c.created_at"
        ).bindparams(bindparam("ids", expanding=True))
        rows = []
        ids = list(comment_ids)
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 1000):
                rows += conn.execute(query, {"ids": ids[start : start + 1000]}).all()
        lags = [(_when(decided) - _when(created)).total_seconds() for _, created, decided, n in rows if n]
        return {
            "lags": lags,
            "undecided": sum(1 for *_, n in rows if not n),
            "decided_twice": sum(1 for *_, n in rows if n > 1),
            "missing": len(ids) - len(rows),
        }

    def dispose(self):
        self.engine.dispose()


def _when(value):
    """SQLite hands back datetimes as text through plain SQL; PostgreSQL as datetimes."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def main():
    parser = argparse.ArgumentParser(description="Seed a Parley database for benchmarks/load.py (DATABASE_URL).")
    parser.add_argument("command", choices=["seed"])
    parser.add_argument("--readers", type=int, required=True)
    parser.add_argument("--thread-size", type=int, required=True)
    parser.add_argument("--live-articles", type=int, required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    print(json.dumps(seed(args.readers, args.thread_size, args.live_articles, args.password)))


if __name__ == "__main__":
    main()
