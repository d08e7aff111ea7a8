"""Writing many rows fast: PostgreSQL's COPY (psycopg's cursor.copy()), or executemany on
SQLite, inside the caller's transaction."""

import json

from sqlalchemy import JSON, func, insert, select, text


def _default(column):
    """The Python-side default of a column the generator does not fill (e.g. one added later)."""
    default = column.default
    if default is None or not default.is_scalar and not default.is_callable:
        return None
    return default.arg(None) if default.is_callable else default.arg


class Loader:
    def __init__(self, session):
        self.session = session
        self.connection = session.connection()
        self.postgres = self.connection.dialect.name == "postgresql"

    def next_id(self, table):
        return (self.session.scalar(select(func.max(table.c.id))) or 0) + 1

    def write(self, table, rows):
        if not rows:
            return
        if self.postgres:
            self._copy(table, rows)
        else:
            self.session.execute(insert(table), rows)

    def _copy(self, table, rows):
        given = list(rows[0])
        extra = {c.name: _default(c) for c in table.columns if c.name not in given and c.default is not None}
        columns = given + list(extra)
        as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
        tail = tuple(extra.values())
        cursor = self.connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                values = tuple(
                    json.dumps(row[name]) if name in as_json and row[name] is not None else row[name] for name in given
                )
                copy.write_row(values + tail)

    def finish(self, tables):
        """Move id sequences past the ids written explicitly; refresh the planner's statistics."""
        if self.postgres:
            for table in tables:
                self.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"
                    )
                )

    def analyze(self):
        """Run after the commit: without statistics the planner guesses, and guesses badly at
        1M rows; on PostgreSQL VACUUM also sets the visibility map, without which the queue
        counts' index-only scans visit the table for every row (as until autovacuum comes by)."""
        self.session.commit()
        if self.postgres:
            with self.session.get_bind().connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM (ANALYZE)"))
        else:
            self.session.execute(text("ANALYZE"))
            self.session.commit()
