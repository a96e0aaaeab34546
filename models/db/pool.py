"""psycopg2's ThreadedConnectionPool, with two changes the Database layer needs.

* Idle connections are kept up to ``maxconn`` (psycopg2 closes any above ``minconn`` when
  they are returned, so with DB_MIN_CONN=1 every concurrent batch would log in again).
* A pool can be *retired* when PostgreSQL went away: its idle connections are closed at
  once and the ones still lent out are closed when they come back, without touching
  connections other threads are using at that moment.
"""

from __future__ import annotations

import contextlib
import time

from psycopg2 import extensions
from psycopg2.pool import ThreadedConnectionPool


class Pool(ThreadedConnectionPool):
    def __init__(self, minconn: int, maxconn: int, **connect_kwargs) -> None:
        super().__init__(minconn, maxconn, **connect_kwargs)
        self.retired = False
        self._idle_since: dict[int, float] = {}

    def take(self) -> tuple[extensions.connection, float]:
        """Lend a connection; also how long it sat idle (0 for a new one)."""
        with self._lock:
            conn = self._getconn()
            since = self._idle_since.pop(id(conn), None)
        return conn, (time.monotonic() - since) if since is not None else 0.0

    def give_back(self, conn: extensions.connection, discard: bool = False) -> None:
        """Return a connection; closed, broken or mid-transaction ones are not reused."""
        with self._lock:
            key = self._rused.pop(id(conn), None)
            if key is not None:
                self._used.pop(key, None)
            keep = (
                not discard
                and not self.closed
                and not self.retired
                and conn.closed == 0
                and conn.info.transaction_status == extensions.TRANSACTION_STATUS_IDLE
            )
            if keep:
                self._pool.append(conn)
                self._idle_since[id(conn)] = time.monotonic()
            if self.retired and not self._used and not self.closed:
                self.closed = True
        if not keep:
            _close_quietly(conn)

    def retire(self) -> None:
        """Close idle connections now, lent ones when they are returned."""
        with self._lock:
            self.retired = True
            idle, self._pool = self._pool, []
            self._idle_since.clear()
            if not self._used:
                self.closed = True
        for conn in idle:
            _close_quietly(conn)

    def counts(self) -> tuple[int, int]:
        """(lent out, idle)."""
        with self._lock:
            return len(self._used), len(self._pool)


def _close_quietly(conn) -> None:
    with contextlib.suppress(Exception):
        conn.close()
