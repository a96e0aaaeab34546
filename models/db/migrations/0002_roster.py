"""The roster (people, their identities per source) and ``events.source_actor``.

``source_actor`` keeps the login the source named as the actor, so that the roster can be
re-applied to stored rows (``scripts/roster.py remap``) without extracting again; rows
stored before it existed had the login as employee id, hence the backfill.

Identities are never deleted: one that is dropped or changes hands is retired
(``retired_at``), so that ``remap`` still knows which login an employee id stood for.
"""

from __future__ import annotations

from psycopg2 import sql

from models.db.schema import index_name

ROSTER_DDL = (
    """CREATE TABLE IF NOT EXISTS roster_people (
    employee_id VARCHAR PRIMARY KEY,
    name VARCHAR,
    timezone VARCHAR,
    teams VARCHAR[] NOT NULL DEFAULT '{}',
    active BOOLEAN NOT NULL DEFAULT true,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
)""",
    "CREATE INDEX IF NOT EXISTS roster_people_teams_idx ON roster_people USING GIN (teams)",
    """CREATE TABLE IF NOT EXISTS roster_identities (
    id SERIAL PRIMARY KEY,
    employee_id VARCHAR NOT NULL REFERENCES roster_people (employee_id),
    source_kind VARCHAR NOT NULL,
    login VARCHAR NOT NULL,
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    retired_at TIMESTAMPTZ
)""",
    # one current owner per login (logins compare case-insensitively: GitHub's do), and
    # at most one current identity per person and source
    """CREATE UNIQUE INDEX IF NOT EXISTS roster_identities_login_idx
    ON roster_identities (source_kind, lower(login)) WHERE retired_at IS NULL""",
    """CREATE UNIQUE INDEX IF NOT EXISTS roster_identities_person_idx
    ON roster_identities (employee_id, source_kind) WHERE retired_at IS NULL""",
)


def upgrade(cur, ctx) -> None:
    for statement in ROSTER_DDL:
        cur.execute(statement)
    cur.execute(
        sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS source_actor VARCHAR").format(ctx.events)
    )
    cur.execute(
        sql.SQL("UPDATE {} SET source_actor = employee_id WHERE source_actor IS NULL").format(
            ctx.events
        )
    )
    cur.execute(
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (source_kind_id, source_actor)").format(
            sql.Identifier(index_name(ctx.events_table, "source_actor")), ctx.events
        )
    )
