"""A set of ids in a WHERE clause, written so that the statement's text is the same for any
number of them.

`column IN (:id_1, …, :id_n)` is rendered anew for every page (SQLAlchemy expands and casts
each of the n parameters), and psycopg does not keep the parsed form of a query that long, so
a page reading a few hundred ids by IN spent milliseconds of CPU writing and parsing SQL. On
PostgreSQL the ids go as one array parameter, `column = ANY(:ids)`, which the planner treats
exactly as IN (the same index scans); SQLite has no arrays and keeps IN.
"""

from sqlalchemy import Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

from ..extensions import db


def among(column, ids=None, name=None):
    """`column` is one of `ids` (integers), as a WHERE condition; or, in a statement built
    once (statements.once), one of the list passed as parameter `name` when it runs."""
    value = sorted(ids) if ids is not None else None
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(name, value, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, value, expanding=True))
