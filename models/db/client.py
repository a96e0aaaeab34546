"""Pooled, self-healing connections to one PostgreSQL: the machinery under ``Database``.

``PooledClient`` lends connections from a ``Pool`` (at most ``max_conn``, waiting up to
``pool_timeout`` for a free one) and runs operations through ``_run``: one transaction
per call, retried with backoff on lost or refused connections and on transient errors
(deadlocks, serialization failures, shutdowns), replacing the pool when its connections
broke, and giving up with ``DatabaseUnavailableError`` after ``RetryPolicy.max_elapsed``
seconds. Refused logins and SQL or data errors raise ``DatabaseError`` at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg2
from psycopg2 import errorcodes, extensions

from models.db.pool import Pool
from models.db.retry import (
    RetryPolicy,
    error_text,
    is_login_refused,
    is_retryable,
    is_tls_refused,
)
from models.exceptions import ConfigurationError, DatabaseError, DatabaseUnavailableError
from models.settings import DatabaseSettings

log = logging.getLogger("models.database")
T = TypeVar("T")


class _Lease:
    """One borrowed connection, with the pool (generation) it came from."""

    __slots__ = ("conn", "pool", "generation")

    def __init__(self, conn, pool: Pool, generation: int) -> None:
        self.conn = conn
        self.pool = pool
        self.generation = generation


class PooledClient:
    """Connection pool, leases, retries and health for one ``DatabaseSettings``."""

    settings: DatabaseSettings

    def _init_client(
        self,
        settings: DatabaseSettings,
        retry: RetryPolicy | None,
        connect_timeout: float,
        pool_timeout: float,
        validate_after: float,
    ) -> None:
        if settings.min_conn < 1 or settings.max_conn < settings.min_conn:
            raise ConfigurationError(
                f"pool sizes must satisfy 1 <= DB_MIN_CONN <= DB_MAX_CONN, got "
                f"{settings.min_conn} and {settings.max_conn}"
            )
        self.settings = settings
        self.retry = retry or RetryPolicy()
        self.pool_timeout = pool_timeout
        self.validate_after = validate_after
        self._connect_kwargs = {
            **settings.dsn_kwargs(),
            "connect_timeout": max(2, int(round(connect_timeout))),
            "application_name": "temporaletl",
            # every table name is resolved in the application's schema (DB_SCHEMA)
            "options": f"-c TimeZone=UTC -c search_path={settings.schema}",
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
        self._pool: Pool | None = None
        self._generation = 0
        self._recreations = 0
        self._pool_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(settings.max_conn)
        self._in_use = 0
        self._count_lock = threading.Lock()
        self._closed = False

    @property
    def address(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def _scrub(self, text: str) -> str:
        """Hide the password should a message ever contain it (unless it is no secret:
        the same string as the user or database name)."""
        secret = self.settings.password
        if secret and len(secret) >= 4 and secret not in (self.settings.user, self.settings.name):
            text = text.replace(secret, "***")
        return text

    # -- pool ----------------------------------------------------------------------------------

    def _current_pool(self) -> tuple[Pool, int]:
        with self._pool_lock:
            if self._closed:
                raise DatabaseError(f"{self!r} is closed")
            if self._pool is None:
                self._pool = Pool(
                    self.settings.min_conn, self.settings.max_conn, **self._connect_kwargs
                )
            return self._pool, self._generation

    def _discard_pool(self, generation: int) -> None:
        """Retire the pool of ``generation`` unless another thread already replaced it."""
        with self._pool_lock:
            if generation != self._generation:
                return
            old, self._pool = self._pool, None
            self._generation += 1
            self._recreations += 1
        if old is not None:
            old.retire()
            log.info("connection pool for %s retired; a new one opens on next use", self.address)

    def _recreate_pool(self) -> None:
        """Replace the pool with a fresh one (connections in use are closed when returned)."""
        self._discard_pool(self._generation)
        self._current_pool()

    @staticmethod
    def _is_connection_healthy(conn) -> bool:
        """True if ``conn`` is open, not in a failed state, and answers ``SELECT 1``."""
        if conn is None or conn.closed:
            return False
        try:
            status = conn.info.transaction_status
            if status == extensions.TRANSACTION_STATUS_UNKNOWN:
                return False
            if status != extensions.TRANSACTION_STATUS_IDLE:
                conn.rollback()
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
                cur.fetchone()
            conn.rollback()
            return True
        except psycopg2.Error:
            return False

    def _lease(self, timeout: float | None = None) -> _Lease:
        """Borrow a connection: wait for a slot, then take a healthy pooled one or a new one.
        psycopg2 errors from connecting propagate (the caller decides about retrying)."""
        wait = self.pool_timeout if timeout is None else timeout
        if not self._slots.acquire(timeout=wait):
            raise DatabaseError(
                f"no free connection to {self.address} within {wait:.0f}s: all "
                f"{self.settings.max_conn} (DB_MAX_CONN) are in use"
            )
        try:
            while True:
                pool, generation = self._current_pool()
                conn, idle = pool.take()
                if idle < self.validate_after or self._is_connection_healthy(conn):
                    break
                pool.give_back(conn, discard=True)
                self._discard_pool(generation)  # one stale connection: expect more
        except BaseException:
            self._slots.release()
            raise
        with self._count_lock:
            self._in_use += 1
        return _Lease(conn, pool, generation)

    def _release(self, lease: _Lease, broken: bool = False) -> None:
        conn = lease.conn
        try:
            if not broken and conn.closed == 0:
                status = conn.info.transaction_status
                if status == extensions.TRANSACTION_STATUS_UNKNOWN:
                    broken = True
                elif status != extensions.TRANSACTION_STATUS_IDLE:
                    try:
                        conn.rollback()
                    except psycopg2.Error:
                        broken = True
            broken = broken or conn.closed != 0
            lease.pool.give_back(conn, discard=broken)
            if broken:
                self._discard_pool(lease.generation)
        finally:
            with self._count_lock:
                self._in_use -= 1
            self._slots.release()

    @contextmanager
    def get_connection(self) -> Iterator[extensions.connection]:
        """Borrow a pooled connection for raw SQL (``with db.get_connection() as conn:``).

        Getting it retries with backoff like every operation. On a clean exit the
        transaction is committed, on an exception rolled back; the connection then goes
        back to the pool, or is discarded if it broke (and the pool is renewed).
        Exceptions from the block propagate unchanged.
        """
        lease = self._run("get a connection", None)
        broken = False
        try:
            yield lease.conn
            if lease.conn.closed == 0:
                lease.conn.commit()
        except BaseException:
            broken = lease.conn.closed != 0
            if not broken:
                try:
                    lease.conn.rollback()
                except psycopg2.Error:
                    broken = True
            raise
        finally:
            self._release(lease, broken=broken or lease.conn.closed != 0)

    # -- the retry loop ------------------------------------------------------------------------

    def _repair_missing_table(self) -> None:
        """Called once when an operation hits ``undefined_table``; subclasses re-create
        their tables. By default the error stands."""
        raise NotImplementedError

    def _run(
        self, what: str, operation: Callable[[Any], T] | None, repair_schema: bool = True
    ) -> T:
        """Run ``operation(conn)`` (which commits) with retries; with ``None``, return the
        lease itself (used by ``get_connection``). With ``repair_schema``, a missing table
        (dropped behind our back) is re-created once by ``_repair_missing_table`` and the
        operation rerun."""
        policy = self.retry
        started = time.monotonic()
        attempt = 0
        schema_repaired = False
        while True:
            lease = None
            try:
                lease = self._lease()
                if operation is None:
                    return lease  # type: ignore[return-value]
                result = operation(lease.conn)
                done, lease = lease, None  # released exactly once, even if release fails
                self._release(done)
                return result
            except psycopg2.Error as err:
                broken = lease is None or lease.conn.closed != 0
                if lease is not None:
                    self._release(lease, broken=broken)
                message = self._scrub(error_text(err))
                if lease is None and is_tls_refused(err):
                    raise DatabaseError(
                        f"TLS connection to PostgreSQL at {self.address} failed "
                        f"(sslmode={self.settings.sslmode or 'prefer'}, "
                        f"sslrootcert={self.settings.sslrootcert or 'default'}): {message} "
                        "(check DB_SSLMODE, DB_SSLROOTCERT or DATABASE_URL)"
                    ) from None
                if lease is None and is_login_refused(err):
                    raise DatabaseError(
                        f"PostgreSQL at {self.address} refused the login of user "
                        f"{self.settings.user!r} to database {self.settings.name!r}: {message} "
                        "(check DB_USER, DB_PASSWORD and DB_NAME)"
                    ) from None
                if (
                    repair_schema
                    and not schema_repaired
                    and err.pgcode == errorcodes.UNDEFINED_TABLE
                ):
                    schema_repaired = True
                    try:
                        self._repair_missing_table()
                    except NotImplementedError:
                        pass
                    else:
                        continue
                if not is_retryable(err, broken):
                    raise DatabaseError(f"{what} failed on {self.address}: {message}") from None
                elapsed = time.monotonic() - started
                delay = policy.delay(attempt)
                if elapsed + delay > policy.max_elapsed:
                    raise DatabaseUnavailableError(
                        f"PostgreSQL at {self.address} (database {self.settings.name!r}) is "
                        f"unavailable: gave up trying to {what} after {elapsed:.1f}s and "
                        f"{attempt + 1} attempt(s); last error: {message}"
                    ) from None
                attempt += 1
                log.warning(
                    "could not %s on %s (attempt %d, retrying in %.2fs): %s",
                    what,
                    self.address,
                    attempt,
                    delay,
                    message,
                )
                time.sleep(delay)
            except BaseException:
                if lease is not None:
                    self._release(lease)
                raise

    # -- health and lifecycle ----------------------------------------------------------------

    def health_check(self) -> bool:
        """True if PostgreSQL answers ``SELECT 1`` now. One attempt, never raises."""
        if self._closed:
            return False
        lease = None
        try:
            lease = self._lease(timeout=5.0)
            healthy = self._is_connection_healthy(lease.conn)
        except (psycopg2.Error, DatabaseError):
            healthy = False
        if lease is not None:
            self._release(lease, broken=not healthy)
        return healthy

    def _pool_figures(self) -> dict[str, int]:
        with self._pool_lock:
            pool = self._pool
        idle = pool.counts()[1] if pool is not None else 0
        with self._count_lock:
            in_use = self._in_use
        return {
            "in_use": in_use,
            "idle": idle,
            "available": self.settings.max_conn - in_use,
            "pool_recreations": self._recreations,
        }

    def close(self) -> None:
        """Close the pool (connections still lent are closed when returned). Idempotent."""
        with self._pool_lock:
            self._closed = True
            pool, self._pool = self._pool, None
            self._generation += 1
        if pool is not None:
            pool.retire()

    @property
    def closed(self) -> bool:
        return self._closed
