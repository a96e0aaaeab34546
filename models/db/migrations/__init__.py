"""The versioned schema: numbered migration modules, applied in order, each exactly once.

A migration is a module ``NNNN_what.py`` in this package (``0001_events.py``,
``0002_roster.py``, ...) with a docstring and one function::

    def upgrade(cur, ctx: MigrationContext) -> None:
        cur.execute(sql.SQL("ALTER TABLE {} ADD COLUMN ...").format(ctx.events))

``apply_pending`` runs, in one transaction under an advisory lock (so concurrent workers
queue instead of colliding), every migration not yet recorded in ``schema_migrations``,
and records it. A failing migration rolls everything back: the schema is never half
upgraded.

The record is kept per events table: ``EVENTS_TABLE`` is configurable, so one schema may
hold several events tables (tests, scratch runs), each at its own version. Objects that
belong to the schema as a whole (the roster's tables, views) must therefore be created
idempotently (``IF NOT EXISTS``, ``CREATE OR REPLACE``). A missing events table (dropped)
forgets its record, so it is rebuilt from 0001 on next use.

Never edit an applied migration: add the next number. 0001 is exactly the schema of the
release before migrations existed, so such a database upgrades in place.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from psycopg2 import sql

from models.exceptions import RegistryError

MIGRATIONS_TABLE = "schema_migrations"
_MODULE = re.compile(r"^(\d{4})_(\w+)\.py$")


@dataclass(frozen=True)
class MigrationContext:
    """What a migration may need to know: the names it works on."""

    events_table: str
    schema: str = "public"

    @property
    def events(self) -> sql.Identifier:
        return sql.Identifier(self.events_table)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    module: ModuleType

    def upgrade(self, cur, ctx: MigrationContext) -> None:
        self.module.upgrade(cur, ctx)


def discover() -> list[Migration]:
    """Every migration module of this package, in version order; two with one number
    raise ``RegistryError`` (two branches picked the same number: renumber one)."""
    found: dict[int, Migration] = {}
    for path in sorted(Path(__file__).parent.glob("*.py")):
        match = _MODULE.match(path.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise RegistryError(
                f"migrations {found[version].name!r} and {match.group(2)!r} both have "
                f"number {match.group(1)}"
            )
        module = importlib.import_module(f"{__name__}.{path.stem}")
        found[version] = Migration(version, match.group(2), module)
    return [found[v] for v in sorted(found)]


def _key(text: str) -> int:
    return int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "big", signed=True)


def lock_keys(ctx: MigrationContext) -> tuple[int, int]:
    """The ``pg_advisory_xact_lock`` keys taken, in this order: the one the release before
    migrations took around its ``CREATE TABLE`` (so that its workers, still running during
    a rolling upgrade, never race a migration), and one for the schema's shared objects."""
    return _key(f"temporaletl.schema.{ctx.events_table}"), _key(
        f"temporaletl.migrations.{ctx.schema}"
    )


def _prepare(cur, ctx: MigrationContext) -> None:
    for key in lock_keys(ctx):
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
    cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (ctx.schema,))
    if cur.fetchone() is None:
        cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(ctx.schema)))
    cur.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} ("
            " events_table VARCHAR NOT NULL,"
            " version INTEGER NOT NULL,"
            " name VARCHAR NOT NULL,"
            " applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
            " PRIMARY KEY (events_table, version))"
        ).format(sql.Identifier(MIGRATIONS_TABLE))
    )
    # the name is a validated identifier: quoting it keeps upper case as given
    cur.execute("SELECT to_regclass(%s) IS NULL", (f'"{ctx.events_table}"',))
    if cur.fetchone()[0]:
        cur.execute(
            sql.SQL("DELETE FROM {} WHERE events_table = %s").format(
                sql.Identifier(MIGRATIONS_TABLE)
            ),
            (ctx.events_table,),
        )


def applied_versions(cur, events_table: str) -> list[int]:
    cur.execute(
        sql.SQL("SELECT version FROM {} WHERE events_table = %s ORDER BY version").format(
            sql.Identifier(MIGRATIONS_TABLE)
        ),
        (events_table,),
    )
    return [version for (version,) in cur.fetchall()]


def apply_pending(conn, ctx: MigrationContext) -> list[Migration]:
    """Apply what is missing for ``ctx.events_table`` and commit; returns what ran."""
    migrations = discover()
    with conn.cursor() as cur:
        _prepare(cur, ctx)
        done = set(applied_versions(cur, ctx.events_table))
        pending = [m for m in migrations if m.version not in done]
        for migration in pending:
            migration.upgrade(cur, ctx)
            cur.execute(
                sql.SQL("INSERT INTO {} (events_table, version, name) VALUES (%s, %s, %s)").format(
                    sql.Identifier(MIGRATIONS_TABLE)
                ),
                (ctx.events_table, migration.version, migration.name),
            )
    conn.commit()
    return pending
