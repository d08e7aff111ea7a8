"""Counts that stop at a cap: a badge needs "how many, up to a point", not an exact count
of a million rows.

`SELECT count(*) FROM (SELECT 1 … LIMIT cap + 1)` reads at most cap + 1 index entries
whatever the table holds, so its cost is bounded; beyond the cap the count says "1,000+".
"""

from dataclasses import dataclass

from sqlalchemy import func, literal_column, select

from ...extensions import db
from ..statements import once

CAP = 1000


@dataclass(frozen=True)
class CappedCount:
    value: int  # exact when not capped; the cap itself when there are more
    capped: bool  # True: there are more than `value`

    def __str__(self):
        return f"{self.value:,}+" if self.capped else f"{self.value:,}"

    def __bool__(self):
        return self.value > 0

    @classmethod
    def read(cls, found, cap):
        """From what a capped subquery counted: up to cap + 1 rows."""
        return cls(min(found, cap), found > cap)


def capped_counts(conditions, model, name, cap=CAP):
    """{key: CappedCount} for each of `conditions` ({key: where}), in one statement: a round
    trip to the database costs more than these counts on a busy machine. The statement is
    built once per process under `name` (statements.once), so the conditions must be the
    same whenever that name is given."""
    names = list(conditions)

    def build():
        return select(*(capped_subquery(conditions[key], model, cap).label(key) for key in names))

    row = db.session.execute(once(name, build)).one()
    return {key: CappedCount.read(found, cap) for key, found in zip(names, row)}


def capped_subquery(where, model, cap=CAP):
    """The count of rows of `model` matching `where`, up to `cap` + 1, as a scalar subquery
    to read in one statement with others."""
    if cap < 1:
        raise ValueError("cap must be at least 1")
    # The limit is written into the SQL, not bound: a prepared statement's generic plan
    # would otherwise be chosen without knowing how few rows are wanted.
    limit = literal_column(str(int(cap) + 1))
    rows = select(literal_column("1")).select_from(model).where(where).limit(limit).subquery()
    return select(func.count()).select_from(rows).scalar_subquery()
