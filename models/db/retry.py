"""Backoff policy and the classification of psycopg2 errors: retry, or give up at once."""

from __future__ import annotations

import random
from dataclasses import dataclass

import psycopg2

# Connection-time refusals that no amount of waiting will fix.
_LOGIN_REFUSED = (
    "password authentication failed",
    "authentication failed",
    "no pg_hba.conf entry",
    "pg_hba.conf rejects connection",
    "password must be supplied",
    "no password supplied",
    "does not exist",  # role "x" / database "x" does not exist
    "permission denied for database",
    "not permitted to log in",
)


# TLS set-up failures: a certificate that does not verify, a missing CA file, a server
# without TLS when it is required. ("SSL connection has been closed unexpectedly" is a
# dropped connection, retried like any other.)
_TLS_REFUSED = (
    "certificate verify failed",
    "root certificate file",
    "server does not support ssl",
    "does not match host name",
    "could not read certificate",
    "could not load private key",
    "certificate present, but not private key",
    "sslmode value",
    "tlsv1 alert",
    "ssl error: sslv3 alert",
)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, bounded in total time.

    Attempt ``n`` (from 0) sleeps a random time in ``[d/2, d]`` with
    ``d = min(max_delay, initial_delay * multiplier**n)`` ("equal jitter": spread out
    workers that lost the database together, but never retry in a tight loop). Once
    ``max_elapsed`` seconds have passed since the first attempt, the operation fails
    with ``DatabaseUnavailableError``.
    """

    max_elapsed: float = 30.0
    initial_delay: float = 0.1
    max_delay: float = 2.0
    multiplier: float = 2.0

    def delay(self, attempt: int) -> float:
        ceiling = min(self.max_delay, self.initial_delay * (self.multiplier**attempt))
        return random.uniform(ceiling / 2, ceiling)


def first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def error_text(err: BaseException) -> str:
    """The error's message on one line (libpq's ``FATAL:  ...`` lines joined)."""
    return " ".join(line.strip() for line in str(err).strip().splitlines()) or type(err).__name__


def is_login_refused(err: BaseException) -> bool:
    """A connection attempt was refused for credentials or names: never retried."""
    if not isinstance(err, psycopg2.OperationalError):
        return False
    text = str(err).lower()
    if "the database system is" in text:  # starting up / shutting down / in recovery
        return False
    return any(marker in text for marker in _LOGIN_REFUSED)


def is_retryable(err: BaseException, connection_broken: bool) -> bool:
    """Worth another attempt: a lost or refused connection, a deadlock, a serialization
    failure, an administrator's shutdown. Errors about the data or the SQL are not."""
    if connection_broken:
        return True
    return isinstance(err, psycopg2.OperationalError | psycopg2.InterfaceError)


def is_tls_refused(err: BaseException) -> bool:
    """The TLS handshake (or its set-up) failed for a reason waiting will not fix."""
    if not isinstance(err, psycopg2.OperationalError):
        return False
    text = str(err).lower()
    return any(marker in text for marker in _TLS_REFUSED)
