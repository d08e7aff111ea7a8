"""Statements built once per process and run with each request's values.

SQLAlchemy keeps the compiled SQL of a statement, but finds it by a key it computes by
walking the statement's whole tree, and it walks again for every statement built anew. For
a queue page's statement (two index reads merged, a window function, three joined rows),
building it and computing that key cost more CPU than running it and loading its fifty
comments (README, "Size"). A statement built once keeps its key. What changes from request to
request goes in as a named parameter, given when it runs; what picks a different statement
(a queue, a sort, which filters are on) is part of the name it is kept under.

Only for statements whose shape comes from a small, known set: every name is kept for
the life of the process.
"""

from sqlalchemy import bindparam

from ..extensions import db

_BUILT = {}


def once(name, build):
    """The statement `build()` returns, built on first use of `name` with this database's
    dialect (a statement may be written differently for PostgreSQL and SQLite)."""
    key = (name, db.session.get_bind().dialect.name)
    statement = _BUILT.get(key)
    if statement is None:  # two threads may both build it once; either copy serves
        statement = _BUILT.setdefault(key, build())
    return statement


def constant(value):
    """A value written into the SQL rather than bound: the planner then knows it in a
    prepared statement's generic plan too, and can prove that a query lies inside a partial
    index's WHERE (ix_comments_reported, ix_comments_queue_toxicity). psycopg prepares a
    statement on its fifth run on a connection, and PostgreSQL then plans it for any
    parameters: with the status bound, the moderators' stuck count became a sequential scan
    of the comments (70 ms at a million, against 4). Only for the code's own constants."""
    return bindparam(None, value, literal_execute=True, expanding=isinstance(value, tuple))
