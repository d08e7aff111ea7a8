"""flask seed-bulk on a small scale, and migration 0004's root_id backfill on a populated database."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from service.domain.threads import comments
from service.extensions import db
from service.models import Article, Comment, Report, ScoringDecision, User


def seed_bulk(app, *args):
    return app.test_cli_runner().invoke(args=["seed-bulk", *args])


def test_seed_bulk_makes_the_counts_asked_for_with_threads_and_every_queue(app):
    result = seed_bulk(app, "--comments", "2000", "--articles", "10", "--hot-article-comments", "500")
    assert result.exit_code == 0, result.output
    assert "Created 2000 comments" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 2000
        assert db.session.scalar(select(func.count()).select_from(Article)) == 10
        assert db.session.scalar(select(func.count()).select_from(User.__table__).where(User.role == "moderator")) == 1
        hot = db.session.scalar(select(Article).where(Article.slug.like("%-hot-article")))
        assert db.session.scalar(select(func.count()).where(Comment.article_id == hot.id)) == 500
        statuses = dict(db.session.execute(select(Comment.status, func.count()).group_by(Comment.status)).all())
        assert statuses["published"] > 1600
        assert all(statuses.get(s, 0) > 0 for s in ("pending", "held", "review"))
        # Threads: replies point at an earlier comment of the same article and carry its root.
        rows = {c.id: c for c in db.session.scalars(select(Comment))}
        replies = [c for c in rows.values() if c.parent_id is not None]
        assert 0.4 * len(rows) < len(replies) < 0.8 * len(rows)
        for c in rows.values():
            root = rows[c.root_id]
            assert root.parent_id is None and root.article_id == c.article_id
            if c.parent_id is not None:
                parent = rows[c.parent_id]
                assert parent.id < c.id and parent.created_at < c.created_at
                assert c.depth == parent.depth + 1 <= 4 and c.root_id == parent.root_id
        assert db.session.scalar(select(func.count()).select_from(ScoringDecision)) == 2000 - statuses["pending"]
        assert db.session.scalar(select(func.count()).select_from(Report)) > 0
        # The seed chose the ids; the sequences moved past them, so a normal insert still works.
        reader = db.session.scalar(select(User).where(User.role == "reader").limit(1))
        assert comments.post_comment(hot, reader, "after the seed").id == 2001


def test_seed_bulk_refuses_a_database_with_comments_unless_appending(app):
    assert seed_bulk(app, "--comments", "300", "--articles", "3", "--hot-article-comments", "100").exit_code == 0
    refused = seed_bulk(app, "--comments", "300")
    assert refused.exit_code != 0
    assert "already has 300 comments" in refused.output and "--append" in refused.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 300
    appended = seed_bulk(app, "--comments", "300", "--articles", "3", "--hot-article-comments", "100", "--append")
    assert appended.exit_code == 0, appended.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 600
        assert db.session.scalar(select(func.count()).select_from(Article)) == 6


def test_seed_bulk_rejects_nonsense_counts(app):
    assert seed_bulk(app, "--comments", "0").exit_code != 0
    assert seed_bulk(app, "--comments", "10", "--articles", "-1").exit_code != 0


def test_migration_fills_root_id_on_a_populated_database(app):
    with app.app_context():
        downgrade(revision="0003")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, username, username_key, password_hash, role, status, premoderated,"
                    " auto_premoderated, created_at) VALUES (1, 'a@example.com', 'a', 'a', 'x', 'reader', 'active',"
                    " false, false, '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO articles (id, slug, title, summary, body, published_at, comments_mode, premoderated,"
                    " created_at, updated_at) VALUES (1, 's', 'T', '', '', '2026-01-01 00:00:00', 'open', false,"
                    " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
            # Two threads: 1 <- 2 <- 3 <- 4, and 5 <- 6; plus 7 alone.
            for cid, parent, depth in (
                (1, None, 0),
                (2, 1, 1),
                (3, 2, 2),
                (4, 3, 3),
                (5, None, 0),
                (6, 5, 1),
                (7, None, 0),
            ):
                conn.execute(
                    text(
                        "INSERT INTO comments (id, article_id, parent_id, author_id, depth, body, status, revision,"
                        " featured, attempts, created_at) VALUES (:id, 1, :parent, 1, :depth, 'b', 'published', 0,"
                        " false, 0, '2026-01-01 00:00:00')"
                    ),
                    {"id": cid, "parent": parent, "depth": depth},
                )
        upgrade(revision="0004")
        with db.engine.connect() as conn:
            roots = dict(conn.execute(text("SELECT id, root_id FROM comments")).all())
        upgrade()
    assert roots == {1: 1, 2: 1, 3: 1, 4: 1, 5: 5, 6: 5, 7: 7}
