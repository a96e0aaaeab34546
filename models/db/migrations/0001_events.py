"""The events table and its indexes, exactly as the release before migrations made them.

Frozen: a database created by that release is at this version already (every statement
is ``IF NOT EXISTS``), so it upgrades in place with its rows.
"""

from __future__ import annotations

from psycopg2 import sql

from models.db.schema import index_name

COLUMN_DDL = (
    ("id", "SERIAL PRIMARY KEY"),
    ("source_kind_id", "VARCHAR NOT NULL"),
    ("parent_item_id", "VARCHAR"),
    ("event_id", "VARCHAR NOT NULL UNIQUE"),
    ("event_type", "VARCHAR NOT NULL"),
    ("relation_type", "VARCHAR NOT NULL"),
    ("employee_id", "VARCHAR NOT NULL"),
    ("event_time_utc", "TIMESTAMP NOT NULL"),
    ("week", "DATE NOT NULL"),
    ("timezone", "VARCHAR"),
    ("event_time", "TIMESTAMP"),
    ("event_properties", "JSONB"),
    ("relation_properties", "JSONB"),
    ("metrics", "JSONB"),
)

# For the analysts' questions: one person's weeks; a kind of event over time; counts per
# source, event type and week.
INDEXES = (
    ("employee_week", ("employee_id", "week")),
    ("type_time", ("event_type", "event_time_utc")),
    ("source_type_week", ("source_kind_id", "event_type", "week")),
)


def upgrade(cur, ctx) -> None:
    columns = sql.SQL(",\n    ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(ddl)) for name, ddl in COLUMN_DDL
    )
    cur.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} (\n    {}\n)").format(ctx.events, columns))
    for suffix, cols in INDEXES:
        cur.execute(
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                sql.Identifier(index_name(ctx.events_table, suffix)),
                ctx.events,
                sql.SQL(", ").join(map(sql.Identifier, cols)),
            )
        )
