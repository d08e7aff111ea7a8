"""`among`: a set of ids in a WHERE, the same rows as IN, and on PostgreSQL the same SQL text
whatever their number (so neither SQLAlchemy nor psycopg writes and parses it anew)."""

from sqlalchemy import event, select

from service.domain.ids import among
from service.extensions import db
from service.models import Comment
from tests.conftest import insert_comments


def statements_of(run):
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = run()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return result, seen


def test_among_finds_what_in_finds_and_its_sql_does_not_grow(ctx, make_user, make_article):
    article_id, author_id = make_article(), make_user("ann")
    insert_comments(article_id, author_id, 40, "published")
    ids = db.session.scalars(select(Comment.id).order_by(Comment.id)).all()
    wanted = {ids[0], ids[7], ids[39], 10**9}  # one that does not exist
    few, few_sql = statements_of(lambda: db.session.scalars(select(Comment.id).where(among(Comment.id, wanted))).all())
    assert sorted(few) == sorted(wanted - {10**9})
    assert sorted(db.session.scalars(select(Comment.id).where(Comment.id.in_(wanted)))) == sorted(few)
    assert db.session.scalars(select(Comment.id).where(among(Comment.id, set()))).all() == []

    many, many_sql = statements_of(lambda: db.session.scalars(select(Comment.id).where(among(Comment.id, ids))).all())
    assert sorted(many) == ids
    if db.engine.dialect.name == "postgresql":
        assert few_sql == many_sql and "ANY" in many_sql[0]
