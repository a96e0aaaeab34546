"""DML text for the events table; the table name is always a quoted Identifier.

The DDL lives in the numbered migrations of ``models/db/migrations/``.
"""

from __future__ import annotations

import hashlib

from psycopg2 import sql

from models.event import Event

# The events table's column types after every migration (models/db/migrations/ creates
# and changes the table; this is what the staging table and tools mirror).
COLUMN_TYPES = {
    "id": "INTEGER",
    "source_kind_id": "VARCHAR",
    "parent_item_id": "VARCHAR",
    "event_id": "VARCHAR",
    "event_type": "VARCHAR",
    "relation_type": "VARCHAR",
    "employee_id": "VARCHAR",
    "event_time_utc": "TIMESTAMP",
    "week": "DATE",
    "timezone": "VARCHAR",
    "event_time": "TIMESTAMP",
    "event_properties": "JSONB",
    "relation_properties": "JSONB",
    "metrics": "JSONB",
    "source_actor": "VARCHAR",
}

STAGE_TABLE = "etl_stage_events"
UPDATABLE = tuple(c for c in Event.COLUMNS if c != "event_id")

_MAX_IDENT = 63


def index_name(table: str, suffix: str) -> str:
    """``<table>_<suffix>_idx``, shortened with a hash when over PostgreSQL's 63 bytes
    (PostgreSQL would truncate silently, and two truncated names could collide)."""
    name = f"{table}_{suffix}_idx"
    if len(name) <= _MAX_IDENT:
        return name
    digest = hashlib.sha1(table.encode()).hexdigest()[:8]
    keep = _MAX_IDENT - len(suffix) - len(digest) - 6
    return f"{table[:keep]}_{digest}_{suffix}_idx"


def create_stage() -> sql.Composed:
    """A session-private staging table, emptied at every commit."""
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(COLUMN_TYPES[c])) for c in Event.COLUMNS
    )
    return sql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} ({}) ON COMMIT DELETE ROWS").format(
        sql.Identifier(STAGE_TABLE), columns
    )


def copy_into(table: str) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, Event.COLUMNS))
    )


def _row(alias: str, columns=Event.COLUMNS) -> sql.Composed:
    return sql.SQL("ROW({})").format(sql.SQL(", ").join(sql.Identifier(alias, c) for c in columns))


def upsert_from_stage(table: str) -> sql.Composed:
    """Move the staged rows into ``table``; returns one row: (inserted, updated).

    * Rows identical to the stored ones are filtered out before the INSERT (one index
      probe each), so a rerun writes nothing and consumes no ``id`` sequence values.
    * ``ON CONFLICT ... DO UPDATE ... WHERE IS DISTINCT FROM`` updates changed rows in
      place (``id`` kept) and settles races with concurrent writers of the same event_id.
    * ``ORDER BY event_id``: every writer locks keys in the same order, so overlapping
      concurrent batches queue behind each other instead of deadlocking.
    * ``xmax = 0`` holds for freshly inserted row versions only.
    """
    t = sql.Identifier(table)
    cols = sql.SQL(", ").join(map(sql.Identifier, Event.COLUMNS))
    staged = sql.SQL(", ").join(sql.Identifier("s", c) for c in Event.COLUMNS)
    updates = sql.SQL(", ").join(
        sql.SQL("{} = EXCLUDED.{}").format(sql.Identifier(c), sql.Identifier(c)) for c in UPDATABLE
    )
    return sql.SQL(
        "WITH written AS (\n"
        "  INSERT INTO {t} AS t ({cols})\n"
        "  SELECT {staged} FROM {stage} AS s\n"
        "  WHERE NOT COALESCE((SELECT {cur_row} IS NOT DISTINCT FROM {s_row}\n"
        "                      FROM {t} AS cur WHERE cur.event_id = s.event_id), false)\n"
        "  ORDER BY s.event_id\n"
        "  ON CONFLICT (event_id) DO UPDATE SET {updates}\n"
        "  WHERE {t_row} IS DISTINCT FROM {x_row}\n"
        "  RETURNING (t.xmax = 0) AS inserted\n"
        ")\n"
        "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)\n"
        "FROM written"
    ).format(
        t=t,
        cols=cols,
        staged=staged,
        stage=sql.Identifier(STAGE_TABLE),
        cur_row=_row("cur", UPDATABLE),
        s_row=_row("s", UPDATABLE),
        updates=updates,
        t_row=_row("t", UPDATABLE),
        x_row=_row("excluded", UPDATABLE),
    )
