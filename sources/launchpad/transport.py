"""One GET against the Launchpad web service, retried when retrying can help.

Kept apart from the session so the retry and error rules can be read (and tested) in one
place: 5xx, 408, 429 (honouring ``Retry-After``), timeouts and dropped connections are
retried with bounded exponential backoff and end in ``TransientError``; 404/410 mean the
thing is gone (``ItemGoneError``); any other answer is permanent and never retried.
"""

from __future__ import annotations

import http.client
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httplib2

from models import metrics
from models.exceptions import (
    ConfigurationError,
    InvalidQueryError,
    NotFoundError,
    RateLimitedError,
    TransientError,
)

log = logging.getLogger(__name__)

GONE_STATUSES = frozenset({404, 410})
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# What a dropped connection, a refused connection or a socket timeout raise through httplib2.
NETWORK_ERRORS = (OSError, http.client.HTTPException, httplib2.HttpLib2Error)


class ItemGoneError(NotFoundError):
    """Launchpad answered 404 or 410: the resource does not exist (any more)."""

    def __init__(self, url: str, status: int):
        super().__init__(f"Launchpad answered {status} for {url}")
        self.url = url
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failed request is tried again."""

    attempts: int = 8
    base_delay: float = 0.5
    max_delay: float = 30.0
    # A server asking us to wait longer than this is better served by failing the
    # activity now (RateLimitedError) and letting Temporal retry it later.
    max_retry_after: float = 120.0

    def backoff(self, attempt: int) -> float:
        """Delay before retry number ``attempt + 1``: exponential, capped, half jittered
        so that many threads failing together do not come back together."""
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: either a number or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


class NullCache:
    """An httplib2 cache that stores nothing: every entry is fetched once per run anyway,
    and a shared file cache would need locking across threads."""

    def get(self, key: str) -> None:
        return None

    def set(self, key: str, value: bytes) -> None:
        pass

    def delete(self, key: str) -> None:
        pass


def _permanent_error(url: str, status: int, content: bytes) -> Exception:
    detail = content[:300].decode("utf-8", "replace").strip()
    if status in (401, 403):
        return ConfigurationError(
            f"Launchpad refused access ({status}) to {url}: {detail}; check LP_CREDENTIALS_FILE "
            "or whether the resource is private"
        )
    return InvalidQueryError(f"Launchpad rejected {url} with {status}: {detail}")


def get_json(
    request: Callable[..., tuple[Any, bytes]],
    url: str,
    policy: RetryPolicy,
    headers: dict[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    """GET ``url`` with ``request`` (an httplib2 ``Http.request``) and decode its JSON."""
    failure: Exception = TransientError(f"GET {url} was never tried")
    for attempt in range(policy.attempts):
        delay = policy.backoff(attempt)
        try:
            response, content = request(
                url, "GET", headers={"Accept": "application/json", **(headers or {})}
            )
        except NETWORK_ERRORS as exc:
            failure = TransientError(f"GET {url} failed: {type(exc).__name__}: {exc}")
        else:
            status = response.status
            if 200 <= status < 300:
                try:
                    return json.loads(content)
                except ValueError:
                    # A body cut short by a dropped connection: worth another try.
                    failure = TransientError(f"GET {url} returned a body that is not JSON")
            elif status in GONE_STATUSES:
                raise ItemGoneError(url, status)
            elif status in RETRYABLE_STATUSES or status >= 500:
                wait = retry_after_seconds(response.get("retry-after"))
                if status == 429:
                    failure = RateLimitedError(f"GET {url} was rate limited (429)", wait)
                else:
                    failure = TransientError(f"GET {url} answered {status}")
                if wait is not None:
                    if wait > policy.max_retry_after:
                        raise failure
                    delay = max(delay, wait)
            else:
                raise _permanent_error(url, status, content)
        if attempt + 1 < policy.attempts:
            # Counted per source for the worker's /metrics (see workers/metrics_server.py).
            metrics.inc("retries", source="launchpad")
            if isinstance(failure, RateLimitedError):
                metrics.inc("rate_limit_waits", source="launchpad")
            log.info("retrying in %.2fs (attempt %d): %s", delay, attempt + 2, failure)
            sleep(delay)
    log.warning("giving up after %d attempts: %s", policy.attempts, failure)
    raise failure
