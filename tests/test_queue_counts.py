"""Queue counts at size: capped tab counts and stale-pending banner, and the open-reports
counter on comments that the reported queue reads, kept right through every change."""

import threading
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from service.domain.accounts import deletion
from service.domain.moderation import moderator_actions, queues, reports, scoring_state, settings
from service.domain.moderation.capped import CAP, CappedCount
from service.domain.threads import comments
from service.errors import Conflict, ValidationError
from service.extensions import db
from service.models import Article, Comment, Report, User
from service.models.base import utcnow
from tests.conftest import PASSWORD, insert_comments


@pytest.fixture
def people(make_user, make_article):
    """An author, five readers, a moderator, an admin and an article; ids by name."""
    ids = {
        "author": make_user("author"),
        "mod": make_user("mod", role="moderator"),
        "admin": make_user("admin", role="admin"),
    }
    for n in range(5):
        ids[f"reader{n}"] = make_user(f"reader{n}")
    ids["article"] = make_article()
    return ids


def user(uid):
    return db.session.get(User, uid)


def published(people, body="A fair point about the talks."):
    """A comment as a worker would leave it: published."""
    article = db.session.get(Article, people["article"])
    comment = comments.post_comment(article, user(people["author"]), body)
    comment.status = "published"
    db.session.commit()
    return comment


def report(comment, people, *readers):
    for name in readers:
        reports.report_comment(comment, user(people[name]), "spam")


def open_in_table(comment_id):
    return db.session.scalar(
        select(func.count()).select_from(Report).where(Report.comment_id == comment_id, Report.resolved_at.is_(None))
    )


def assert_counters_match():
    """Every comment's counter equals its open reports in the reports table."""
    db.session.expire_all()
    stored = dict(db.session.execute(select(Comment.id, Comment.open_reports)).all())
    actual = dict(
        db.session.execute(
            select(Report.comment_id, func.count()).where(Report.resolved_at.is_(None)).group_by(Report.comment_id)
        ).all()
    )
    assert stored == {cid: actual.get(cid, 0) for cid in stored}


def reported_ids():
    return [c.id for c in queues.queue("reported").comments]


def add_pending(people, n, created_at=None):
    """n pending comments in one statement (a count needs rows, not the ORM's hooks)."""
    insert_comments(people["article"], people["author"], n, "pending", created_at, body="c{n}")


# --- capped counts ----------------------------------------------------------------------------


def test_capped_count_is_exact_up_to_the_cap_and_says_more_beyond(ctx, people):
    add_pending(people, 2)
    assert queues.counts(cap=3)["pending"] == CappedCount(2, False)
    add_pending(people, 1)
    assert queues.counts(cap=3)["pending"] == CappedCount(3, False)
    assert str(queues.counts(cap=3)["pending"]) == "3"
    add_pending(people, 1)
    four = queues.counts(cap=3)["pending"]
    assert four == CappedCount(3, True) and str(four) == "3+"
    add_pending(people, 5)
    assert str(queues.counts(cap=3)["pending"]) == "3+"
    assert queues.counts()["pending"] == CappedCount(9, False)  # the default cap is far off
    assert queues.counts(cap=3)["review"] == CappedCount(0, False) and not queues.counts(cap=3)["review"]


def test_capped_counts_refuse_a_cap_below_one(ctx, people):
    with pytest.raises(ValueError, match="^cap must be at least 1$"):
        queues.counts(cap=0)


def test_queue_tabs_and_api_show_the_cap(app, api, people):
    with app.app_context():
        add_pending(people, CAP)
    api.login("mod")
    page = api.get("/review/pending").get_data(as_text=True)
    assert f'data-count="pending">{CAP:,}</span>' in page
    answer = api.get("/api/v1/review/queues/pending?limit=1").get_json()
    assert answer["counts"]["pending"] == CAP and answer["counts_capped"] == {
        "pending": False,
        "reported": False,
        "review": False,
    }

    with app.app_context():
        add_pending(people, 1)
    page = api.get("/review/pending").get_data(as_text=True)
    assert f'data-count="pending" title="more than {CAP:,} comments">{CAP:,}+</span>' in page
    answer = api.get("/api/v1/review/queues/pending?limit=1").get_json()
    assert answer["counts"]["pending"] == CAP and answer["counts_capped"]["pending"] is True
    assert answer["counts_capped"]["review"] is False


def test_stale_pending_count_is_capped_and_ignores_recent_edits(ctx, people):
    def behind():
        return scoring_state.scoring_banner(cap=5).split(":")[1].split(" waited")[0].strip()

    long_ago = utcnow() - timedelta(hours=2)
    add_pending(people, 2, created_at=long_ago)
    add_pending(people, 3)  # just arrived: not stale
    assert behind() == "2 comments"
    # An old comment edited a moment ago waits from its edit, not from its creation.
    edited = db.session.scalar(select(Comment).where(Comment.created_at == long_ago).limit(1))
    edited.edited_at = utcnow()
    db.session.commit()
    assert behind() == "1 comment"
    edited.edited_at = long_ago + timedelta(minutes=1)
    db.session.commit()
    add_pending(people, 4, created_at=long_ago)
    assert behind() == "5+ comments"


def test_scoring_banner_says_how_many_wait(ctx, people):
    add_pending(people, 1, created_at=utcnow() - timedelta(minutes=5))
    assert "Scoring is behind: 1 comment waited" in scoring_state.scoring_banner()
    add_pending(people, CAP, created_at=utcnow() - timedelta(minutes=5))
    assert f"Scoring is behind: {CAP:,}+ comments waited" in scoring_state.scoring_banner()


# --- the open-reports counter ----------------------------------------------------------------


def test_reports_count_up_and_a_decision_resolves_them(ctx, people):
    settings.update({"report_hide_threshold": 3}, user(people["admin"]))
    comment = published(people)
    other = published(people, "Another view on the talks.")
    assert reported_ids() == [] and comment.open_reports == 0

    report(comment, people, "reader0", "reader1")
    report(other, people, "reader2")
    assert comment.open_reports == 2 and comment.status == "published"
    assert reported_ids() == [other.id, comment.id]
    assert queues.counts()["reported"] == CappedCount(2, False)
    assert_counters_match()

    report(comment, people, "reader2")  # the third: hidden, still in the queue
    assert comment.open_reports == 3 and comment.status == "held"
    assert reported_ids() == [other.id, comment.id]
    assert_counters_match()

    moderator_actions.moderate(comment.id, user(people["mod"]), "approve")
    assert comment.open_reports == 0 and open_in_table(comment.id) == 0
    assert reported_ids() == [other.id]
    assert_counters_match()

    # Reported again after the decision: back in the queue, counted from one.
    report(comment, people, "reader3")
    assert comment.open_reports == 1 and comment.id in reported_ids()
    assert_counters_match()


@pytest.mark.parametrize("action", ["approve", "reject", "feature"])
def test_every_decision_resolves_the_reports(ctx, people, action):
    comment = published(people)
    report(comment, people, "reader0", "reader1")
    moderator_actions.moderate(comment.id, user(people["mod"]), action)
    assert comment.open_reports == 0 and open_in_table(comment.id) == 0 and reported_ids() == []
    assert_counters_match()


def test_a_refused_report_changes_nothing(ctx, people):
    comment = published(people)
    report(comment, people, "reader0")
    with pytest.raises(Conflict, match="^You have already reported this comment.$"):
        report(comment, people, "reader0")  # the same reader twice: 409
    with pytest.raises(ValidationError) as refused:
        reports.report_comment(comment, user(people["reader1"]), "")  # no reason: 422
    assert refused.value.errors == {"reason": "Say why, in at most 500 characters."}
    comment = db.session.get(Comment, comment.id)
    assert comment.open_reports == 1
    assert_counters_match()


def test_a_deleted_comment_leaves_the_queue_and_its_count_stays_true(ctx, people):
    comment = published(people)
    report(comment, people, "reader0", "reader1")
    comments.delete_comment(comment, user(people["author"]))
    assert reported_ids() == [] and queues.counts()["reported"] == CappedCount(0, False)
    assert_counters_match()  # the reports are still open; the comment is just not in the queue


@pytest.mark.parametrize("mode", ["anonymise", "delete"])
def test_account_deletion_keeps_the_counters_right(ctx, people, mode):
    settings.update({"deleted_account_comments": mode}, user(people["admin"]))
    by_author = published(people)
    by_reader = comments.post_comment(db.session.get(Article, people["article"]), user(people["reader3"]), "Mine.")
    by_reader.status = "published"
    db.session.commit()
    report(by_author, people, "reader0", "reader1")
    report(by_reader, people, "reader0")

    # A reporter leaves: their reports still count (the hide rule), so do the counters.
    deletion.delete_own_account(user(people["reader1"]), PASSWORD)
    assert db.session.get(Comment, by_author.id).open_reports == 2
    assert_counters_match()

    # An author leaves: their comment stays in the queue only if it is kept.
    deletion.admin_delete_account(people["author"], user(people["admin"]), "asked by email")
    expected = [by_reader.id, by_author.id] if mode == "anonymise" else [by_reader.id]
    assert reported_ids() == expected
    assert queues.counts()["reported"] == CappedCount(len(expected), False)
    assert_counters_match()


def test_concurrent_reports_each_count(app, people):
    """Readers reporting the same comment at once: every report is counted (PostgreSQL
    orders them on the comment's row; SQLite takes one writer at a time)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("concurrent writers: PostgreSQL only")
    with app.app_context():
        settings.update({"report_hide_threshold": 50}, user(people["admin"]))
        comment_id = published(people).id
    start = threading.Barrier(5)
    errors = []

    def reader(n):
        try:
            with app.app_context():
                comment = db.session.get(Comment, comment_id)
                start.wait(timeout=10)
                reports.report_comment(comment, user(people[f"reader{n}"]), "spam")
                db.session.remove()
        except Exception as exc:  # reported below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    with app.app_context():
        assert db.session.get(Comment, comment_id).open_reports == 5 == open_in_table(comment_id)


# --- filling the counter in -------------------------------------------------------------------


def test_migration_counts_open_reports_on_a_populated_database(app):
    with app.app_context():
        downgrade(revision="0006")
        with db.engine.begin() as conn:
            for uid in (1, 2, 3):
                conn.execute(
                    text(
                        "INSERT INTO users (id, email, username, username_key, password_hash, role, status, premoderated,"
                        " auto_premoderated, created_at) VALUES (:id, :email, :name, :name, 'x', 'reader', 'active',"
                        " false, false, '2026-01-01 00:00:00')"
                    ),
                    {"id": uid, "email": f"u{uid}@example.com", "name": f"u{uid}"},
                )
            conn.execute(
                text(
                    "INSERT INTO articles (id, slug, title, summary, body, published_at, comments_mode, premoderated,"
                    " created_at, updated_at) VALUES (1, 's', 'T', '', '', '2026-01-01 00:00:00', 'open', false,"
                    " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
            for cid in (1, 2, 3):
                conn.execute(
                    text(
                        "INSERT INTO comments (id, article_id, root_id, author_id, depth, body, status, revision,"
                        " featured, attempts, created_at) VALUES (:id, 1, :id, 1, 0, 'b', 'published', 0, false, 0,"
                        " '2026-01-01 00:00:00')"
                    ),
                    {"id": cid},
                )
            # Comment 1: two open, one resolved; comment 2: only resolved; comment 3: none.
            resolved = "2026-01-02 00:00:00"
            for rid, cid, reporter, resolved_at in (
                (1, 1, 1, None),
                (2, 1, 2, None),
                (3, 1, 3, resolved),
                (4, 2, 1, resolved),
            ):
                conn.execute(
                    text(
                        "INSERT INTO reports (id, comment_id, reporter_id, reason, created_at, resolved_at)"
                        " VALUES (:id, :cid, :reporter, 'spam', '2026-01-01 00:00:00', :resolved)"
                    ),
                    {"id": rid, "cid": cid, "reporter": reporter, "resolved": resolved_at},
                )
        upgrade(revision="0007")
        with db.engine.connect() as conn:
            counts = dict(conn.execute(text("SELECT id, open_reports FROM comments")).all())
        downgrade(revision="0006")  # and back: the column and index go
        with db.engine.connect() as conn:
            columns = list(conn.execute(text("SELECT * FROM comments LIMIT 0")).keys())
        upgrade()
        assert queues.counts()["reported"] == CappedCount(1, False)
        db.session.remove()
    assert counts == {1: 2, 2: 0, 3: 0}
    assert "open_reports" not in columns


def test_seed_bulk_fills_the_counters(app):
    result = app.test_cli_runner().invoke(
        args=["seed-bulk", "--comments", "1500", "--articles", "5", "--hot-article-comments", "300"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Comment.open_reports > 0)) > 0
        assert_counters_match()
        db.session.remove()


def test_the_reported_queue_is_read_through_its_partial_index(ctx, people):
    # The count and the page of the reported queue must read ix_comments_reported (the few
    # reported comments), never every published comment by status; SQLite's planner took
    # the status index until the condition hid the status column from it.
    from service.domain.statements import _BUILT

    queues.counts()
    queues.queue("reported", sort="score")
    dialect = db.engine.dialect.name
    built = {key[0]: statement for key, statement in _BUILT.items() if key[1] == dialect}
    for name in (("queue counts", CAP), ("queue", "reported", "score", "toxicity", ((), None), None, False)):
        statement = built[name].params(limit=51, offset=0)
        sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
        explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
        plan = " ".join(str(row[-1]) for row in db.session.execute(text(explain + sql.replace("%%", "%"))))
        assert "ix_comments_reported" in plan, plan


@pytest.mark.parametrize("name", ["pending", "review"])
def test_the_score_sort_reads_a_toxicity_index_on_either_database(ctx, people, name):
    """Worst toxicity first never sorts a whole queue: PostgreSQL reads
    ix_comments_queue_toxicity, SQLite (the embedded default) its partial index per status,
    which it uses only because the query writes the JSON path as a literal."""
    from service.domain.statements import _BUILT

    queues.queue(name, sort="score")
    dialect = db.engine.dialect.name
    key = ("queue", name, "score", "toxicity", ((), None), None, False)
    statement = next(s for k, s in _BUILT.items() if k == (key, dialect)).params(limit=51, offset=0)
    sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if dialect == "sqlite":
        plan = _sqlite_plan_on_a_site_like_table(people, sql)
        statuses = queues.QUEUE_STATUSES[name]
        assert all(f"USING INDEX ix_comments_{status}_toxicity" in plan for status in statuses), plan
    else:
        db.session.execute(text("SET LOCAL enable_seqscan = off"))  # a test database is tiny
        plan = " ".join(str(row[-1]) for row in db.session.execute(text("EXPLAIN " + sql.replace("%%", "%"))))
        assert "ix_comments_queue_toxicity" in plan, plan


def _sqlite_plan_on_a_site_like_table(people, sql):
    """SQLite's plan for `sql` with the statistics of a site's comments (most published, a few
    waiting in each queue), not the test table's few rows or the statistics an earlier test
    left (sqlite_stat1 is kept in the database file); the earlier statistics are put back."""
    saved = db.session.execute(text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
    before = db.session.execute(text("SELECT tbl, idx, stat FROM sqlite_stat1")).all() if saved else []
    insert_comments(people["article"], people["author"], 2000, "published")
    for status in ("pending", "held", "review"):
        insert_comments(people["article"], people["author"], 30, status)
    db.session.execute(text("ANALYZE"))
    try:
        return " ".join(str(row[-1]) for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    finally:
        db.session.execute(text("DELETE FROM sqlite_stat1"))
        for row in before:
            db.session.execute(text("INSERT INTO sqlite_stat1 VALUES (:tbl, :idx, :stat)"), row._asdict())
        db.session.commit()
