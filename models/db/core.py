"""The Database layer: a pooled, self-healing PostgreSQL client that owns the events table.

One instance per process is the normal case (the spec's thread-safe singleton)::

    db = Database()                        # settings from the environment / .env
    db = Database.get_instance()           # the same object
    written = db.insert_events_batch(events)

Tests, benchmarks and tools that need another database or events table build a private
instance, which never touches the singleton::

    with Database.for_settings(db_settings) as db:     # == Database(s, singleton=False)
        result = db.upsert_events(events)               # UpsertResult(inserted, updated, ...)

``Database.reset_instance()`` closes the singleton and forgets it (a worker whose
settings changed, or a test); the next ``Database()`` builds a new one.

Faults: every operation runs in one transaction and is retried, on a fresh connection
and if need be a fresh pool, when the connection is lost or refused, with exponential
backoff and jitter for at most ``RetryPolicy.max_elapsed`` seconds; then it raises
``DatabaseUnavailableError`` naming host:port and the last error. A refused login (wrong
password, unknown role or database) raises ``DatabaseError`` at once. SQL and data errors
raise ``DatabaseError`` at once. The password never appears in messages, logs or reprs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from psycopg2 import sql

from models.db import migrations, schema
from models.db.client import PooledClient, log
from models.db.copy import copy_buffer
from models.db.retry import RetryPolicy
from models.event import Event
from models.exceptions import ConfigurationError
from models.settings import DatabaseSettings, Settings, validate_table_name

_COPY_CHUNK = 1 << 20
FETCH_COLUMNS = ("id", *Event.COLUMNS)


@dataclass(frozen=True)
class UpsertResult:
    """What one upsert did to the table, row by row (distinct event_ids)."""

    inserted: int = 0  # new event_ids
    updated: int = 0  # existing event_ids whose stored values changed
    unchanged: int = 0  # existing event_ids stored exactly as given: nothing written
    duplicates: int = 0  # input events dropped because a later one had the same event_id

    @property
    def written(self) -> int:
        """Rows inserted or changed: what ``insert_events_batch`` returns."""
        return self.inserted + self.updated

    @property
    def total(self) -> int:
        """Distinct event_ids in the input."""
        return self.inserted + self.updated + self.unchanged

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.duplicates + other.duplicates,
        )


def _as_db_settings(settings: DatabaseSettings | Settings | None) -> DatabaseSettings:
    if settings is None:
        return Settings.from_env().db
    if isinstance(settings, Settings):
        return settings.db
    if isinstance(settings, DatabaseSettings):
        return settings
    raise ConfigurationError(
        f"Database needs DatabaseSettings or Settings, got {type(settings).__name__}"
    )


class Database(PooledClient):
    """Thread-safe, pooled access to PostgreSQL and the events table (see module doc).

    Constructor arguments (keyword-only after ``settings``):

    * ``singleton`` (default True): return the process-wide instance, creating it on first
      use with double-checked locking; False builds a private instance.
    * ``retry``: a ``RetryPolicy`` (default: give up after 30 s).
    * ``connect_timeout``: seconds for one connection attempt (libpq, minimum 2).
    * ``pool_timeout``: seconds to wait for a free connection when all ``max_conn`` are lent.
    * ``validate_after``: a pooled connection idle longer than this is probed with
      ``SELECT 1`` before it is lent.
    """

    _instance: Database | None = None
    _lock = threading.Lock()

    def __new__(
        cls,
        settings: DatabaseSettings | Settings | None = None,
        *,
        singleton: bool = True,
        retry: RetryPolicy | None = None,
        connect_timeout: float = 5.0,
        pool_timeout: float = 30.0,
        validate_after: float = 5.0,
    ) -> Database:
        options = dict(
            retry=retry,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            validate_after=validate_after,
        )
        if not singleton:
            return cls._build(_as_db_settings(settings), **options)
        instance = cls._instance
        if instance is None:
            with cls._lock:
                instance = cls._instance
                if instance is None:
                    instance = cls._build(_as_db_settings(settings), **options)
                    cls._instance = instance
                    return instance
        if settings is not None and _as_db_settings(settings) != instance.settings:
            raise ConfigurationError(
                "the Database singleton already serves "
                f"{instance.settings.host}:{instance.settings.port}/{instance.settings.name} "
                f"table {instance.table!r}; call Database.reset_instance() before changing "
                "settings, or use Database.for_settings() for a private instance"
            )
        return instance

    def __init__(self, settings: DatabaseSettings | Settings | None = None, **options: Any):
        """Construction happens in ``__new__`` (once, for the singleton)."""

    @classmethod
    def get_instance(
        cls, settings: DatabaseSettings | Settings | None = None, **options: Any
    ) -> Database:
        """The process-wide instance (built from ``settings`` or the environment)."""
        return cls(settings, singleton=True, **options)

    @classmethod
    def for_settings(cls, settings: DatabaseSettings | Settings, **options: Any) -> Database:
        """A private instance with its own pool; the singleton is not involved."""
        return cls(settings, singleton=False, **options)

    @classmethod
    def reset_instance(cls) -> None:
        """Close and forget the singleton; the next ``Database()`` builds a new one."""
        with cls._lock:
            instance, cls._instance = cls._instance, None
        if instance is not None:
            instance.close()

    @classmethod
    def _build(cls, settings: DatabaseSettings, **options: Any) -> Database:
        self = object.__new__(cls)
        self._setup(settings, **options)
        return self

    def _setup(
        self,
        settings: DatabaseSettings,
        retry: RetryPolicy | None,
        connect_timeout: float,
        pool_timeout: float,
        validate_after: float,
    ) -> None:
        self._initialized = False
        self.table = validate_table_name(settings.events_table)
        self._init_client(settings, retry, connect_timeout, pool_timeout, validate_after)
        try:
            self._ensure_schema()
        except BaseException:
            self.close()
            raise
        self._initialized = True

    def __repr__(self) -> str:
        s = self.settings
        state = "closed" if self._closed else "open"
        return (
            f"Database({s.user}@{s.host}:{s.port}/{s.name}, table={self.table!r}, "
            f"pool={s.min_conn}..{s.max_conn}, {state})"
        )

    # -- schema --------------------------------------------------------------------------------

    def _create_schema(self, conn) -> None:
        applied = migrations.apply_pending(
            conn, migrations.MigrationContext(self.table, self.settings.schema)
        )
        for migration in applied:
            log.info(
                "schema %s, events table %s: applied migration %04d_%s",
                self.settings.schema,
                self.table,
                migration.version,
                migration.name,
            )

    def schema_version(self) -> int:
        """The last migration applied to this events table (0: none)."""

        def version(conn) -> int:
            with conn.cursor() as cur:
                versions = migrations.applied_versions(cur, self.table)
            conn.commit()
            return versions[-1] if versions else 0

        return self._run("read the schema version", version, repair_schema=False)

    def _repair_missing_table(self) -> None:
        self._ensure_schema()

    def _ensure_schema(self) -> None:
        """Apply the pending migrations (models/db/migrations/): from nothing, this creates
        every table; on an up-to-date schema it changes nothing."""
        self._run("migrate the schema", self._create_schema, repair_schema=False)

    def drop_table(self) -> None:
        """Drop the events table (tests and tools; the next write re-creates it)."""

        def drop(conn) -> None:
            with conn.cursor() as cur:
                # CASCADE: the activity views (migration 0004) read it; they are made
                # again with the table.
                cur.execute(
                    sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(sql.Identifier(self.table))
                )
            conn.commit()

        self._run("drop the events table", drop, repair_schema=False)

    # -- writing -------------------------------------------------------------------------------

    def upsert_events(self, events: Iterable[Event | dict]) -> UpsertResult:
        """Upsert ``events`` on event_id in one transaction (all or nothing).

        Within the batch the last event for an event_id wins. New event_ids are
        inserted; existing ones are updated in place (same ``id``) only if a value
        differs, so upserting the same batch again writes nothing. Data is sent with
        COPY into a temporary table, then merged by one ``INSERT ... SELECT ... ON
        CONFLICT`` statement.
        """
        latest: dict[str, Event] = {}
        received = 0
        for item in events:
            event = item if isinstance(item, Event) else Event.from_dict(item)
            latest[event.event_id] = event
            received += 1
        if not latest:
            return UpsertResult()
        batch = [latest[key] for key in sorted(latest)]
        statement = schema.upsert_from_stage(self.table)

        def upsert(conn) -> UpsertResult:
            with conn.cursor() as cur:
                cur.execute(schema.create_stage())
                cur.copy_expert(
                    schema.copy_into(schema.STAGE_TABLE), copy_buffer(batch), size=_COPY_CHUNK
                )
                cur.execute(statement)
                inserted, updated = cur.fetchone()
            conn.commit()
            return UpsertResult(
                inserted=inserted,
                updated=updated,
                unchanged=len(batch) - inserted - updated,
                duplicates=received - len(batch),
            )

        return self._run(f"upsert {len(batch)} events into {self.table}", upsert)

    def insert_events_batch(self, events: Iterable[Event | dict]) -> int:
        """Upsert ``events`` (see ``upsert_events``); returns the number of rows written,
        i.e. inserted plus changed. Rows already stored identically count 0, so a rerun
        returns 0. Use ``upsert_events`` for the inserted/updated/unchanged split."""
        return self.upsert_events(events).written

    # -- reading ---------------------------------------------------------------------------------

    def _where(self, filters: dict[str, Any]) -> tuple[sql.Composable, list[Any]]:
        unknown = sorted(set(filters) - set(FETCH_COLUMNS))
        if unknown:
            raise ValueError(
                f"unknown column(s) {', '.join(unknown)}; filter on: {', '.join(FETCH_COLUMNS)}"
            )
        clauses: list[sql.Composable] = []
        params: list[Any] = []
        for name, value in sorted(filters.items()):
            column = sql.Identifier(name)
            if value is None:
                clauses.append(sql.SQL("{} IS NULL").format(column))
            elif isinstance(value, list | tuple | set | frozenset):
                clauses.append(sql.SQL("{} = ANY(%s)").format(column))
                params.append(list(value))
            else:
                clauses.append(sql.SQL("{} = %s").format(column))
                params.append(value)
        if not clauses:
            return sql.SQL(""), params
        return sql.SQL(" WHERE ") + sql.SQL(" AND ").join(clauses), params

    def count_events(self, **filters: Any) -> int:
        """Rows in the events table matching column equality filters
        (``None`` matches NULL, a list matches any of its values)."""
        where, params = self._where(filters)
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(self.table)) + where

        def count(conn) -> int:
            with conn.cursor() as cur:
                cur.execute(query, params)
                (n,) = cur.fetchone()
            conn.commit()
            return n

        return self._run("count events", count)

    def fetch_events(self, limit: int | None = None, **filters: Any) -> list[dict[str, Any]]:
        """Matching rows ordered by event_id, as dicts: ``id`` and ``Event.COLUMNS``,
        timestamps and dates as ISO strings, JSONB as Python objects."""
        where, params = self._where(filters)
        query = (
            sql.SQL("SELECT {} FROM {}").format(
                sql.SQL(", ").join(map(sql.Identifier, FETCH_COLUMNS)), sql.Identifier(self.table)
            )
            + where
            + sql.SQL(" ORDER BY event_id")
        )
        if limit is not None:
            query += sql.SQL(" LIMIT %s")
            params.append(int(limit))

        def fetch(conn) -> list[dict[str, Any]]:
            with conn.cursor() as cur:
                cur.execute(query, params)
                rows = cur.fetchall()
            conn.commit()
            return [
                {
                    name: value.isoformat() if isinstance(value, datetime | date) else value
                    for name, value in zip(FETCH_COLUMNS, row, strict=True)
                }
                for row in rows
            ]

        return self._run("fetch events", fetch)

    # -- monitoring and lifecycle ------------------------------------------------------------

    def get_pool_status(self) -> dict[str, Any]:
        """Pool figures for monitoring; ``healthy`` runs ``health_check()``."""
        return {
            "host": self.settings.host,
            "port": self.settings.port,
            "database": self.settings.name,
            "table": self.table,
            "min_conn": self.settings.min_conn,
            "max_conn": self.settings.max_conn,
            **self._pool_figures(),
            "closed": self._closed,
            "healthy": self.health_check(),
        }

    def close(self) -> None:
        """Close the pool (connections still lent are closed when returned). Closing the
        singleton also forgets it. Idempotent."""
        super().close()
        cls = type(self)
        if cls._instance is self:
            with cls._lock:
                if cls._instance is self:
                    cls._instance = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
