"""GitHub's rate limits, and the record of every request that shows whether a client
respected them.

Primary limits count requests per credential (a token, or anonymous) and resource
(``core``, ``search``) in fixed windows that start with the first request after a
reset; ``x-ratelimit-reset`` is the window's end in epoch seconds, rounded up. Once a
window's requests are used up, every request until its reset is refused (403 or 429,
``x-ratelimit-remaining: 0``). A secondary limit (drawn at random, or triggered by too
many concurrent requests) refuses with a message about a secondary rate limit and
closes the credential's window for ``retry-after`` seconds, or `secondary_window_s`
when the answer carries no ``retry-after``.

A request that arrives while a window is closed, and after the answer that closed it
was sent (the ``200`` with ``x-ratelimit-remaining: 0``, or the secondary refusal), is
recorded with ``in_closed_window`` set: its client could have known, and a correct
client sends none. Requests already on their way when that answer left are refused
all the same, but not flagged.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

RESOURCES = ("core", "search")


@dataclass(frozen=True)
class LimitSettings:
    core_limit: int = 5000  # per window, with a token
    core_limit_anonymous: int = 60
    core_window_s: float = 3600.0
    search_limit: int = 30
    search_limit_anonymous: int = 10
    search_window_s: float = 60.0
    limit_status: int = 403  # 403 or 429: GitHub answers either, for both kinds of limit
    secondary_retry_after: bool = True  # send retry-after (FaultSettings.retry_after_s)
    secondary_window_s: float = 60.0  # how long a secondary limit lasts without retry-after
    secondary_max_in_flight: int | None = None  # more concurrent requests: secondary limit
    incomplete_rate: float = 0.0  # share of searches answered with incomplete_results true

    def __post_init__(self) -> None:
        if self.limit_status not in (403, 429):
            raise ValueError("limit_status must be 403 or 429")
        if min(self.core_limit, self.core_limit_anonymous, self.search_limit) < 1:
            raise ValueError("limits must be at least 1")
        if not 0.0 <= self.incomplete_rate <= 1.0:
            raise ValueError("incomplete_rate must be between 0 and 1")

    def limit(self, resource: str, authenticated: bool) -> tuple[int, float]:
        if resource == "search":
            count = self.search_limit if authenticated else self.search_limit_anonymous
            return count, self.search_window_s
        return (self.core_limit if authenticated else self.core_limit_anonymous), self.core_window_s

    @classmethod
    def names(cls) -> set[str]:
        return {f.name for f in fields(cls)}


@dataclass
class RateWindow:
    limit: int
    used: int
    ends: float  # time.time() at which it resets
    known_closed_at: float = math.inf  # when an answer saying "remaining 0" was sent


@dataclass
class _Secondary:
    until: float
    known_at: float = math.inf  # when the refusal that closed it was sent


@dataclass(frozen=True)
class Admission:
    """What the limiter decided for one request."""

    refused: str | None  # None, "primary" or "secondary"
    in_closed_window: bool
    headers: dict[str, str]
    window: RateWindow
    # A refusal inside a secondary limit already in force: the seconds it has left
    # (None for the refusal that starts one).
    seconds_left: float | None = None


@dataclass(frozen=True)
class RequestRecord:
    at: float  # time.time() at arrival
    method: str
    path: str  # with the query string
    resource: str
    credential: str  # "anonymous" or "token:<its last 4 characters>"
    status: int
    in_closed_window: bool
    fault: str | None  # "5xx", "secondary", "primary", "slow" or None

    @property
    def authenticated(self) -> bool:
        return self.credential != "anonymous"


class RateLimiter:
    def __init__(self, settings: LimitSettings):
        self.settings = settings
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], RateWindow] = {}
        self._secondary: dict[str, _Secondary] = {}
        self.records: list[RequestRecord] = []

    def configure(self, **changes: Any) -> LimitSettings:
        with self._lock:
            self.settings = replace(self.settings, **changes)
            return self.settings

    def reset(self) -> None:
        """Open every window and forget the requests (settings stay)."""
        with self._lock:
            self._windows.clear()
            self._secondary.clear()
            self.records = []

    def _window(self, credential: str, resource: str, now: float) -> RateWindow:
        key = (credential, resource)
        window = self._windows.get(key)
        if window is None or now >= window.ends:
            limit, length = self.settings.limit(resource, credential != "anonymous")
            window = self._windows[key] = RateWindow(limit, 0, now + length)
        return window

    @staticmethod
    def _headers(window: RateWindow, resource: str) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(window.limit),
            "x-ratelimit-remaining": str(max(window.limit - window.used, 0)),
            "x-ratelimit-reset": str(math.ceil(window.ends)),
            "x-ratelimit-used": str(window.used),
            "x-ratelimit-resource": resource,
        }

    def admit(self, credential: str, resource: str, secondary: bool) -> Admission:
        """Refuse the request, or count it (`refund` it if it turns out to be a 304).

        `secondary`: the fault injector or the concurrency check asks for a secondary limit.
        """
        now = time.time()
        with self._lock:
            window = self._window(credential, resource, now)
            closed = self._secondary.get(credential)
            if closed is not None and now < closed.until:
                known = now >= closed.known_at
                headers = self._headers(window, resource)
                return Admission("secondary", known, headers, window, closed.until - now)
            if window.used >= window.limit:
                known = now >= window.known_closed_at
                return Admission("primary", known, self._headers(window, resource), window)
            if secondary:
                return Admission("secondary", False, self._headers(window, resource), window)
            window.used += 1
            return Admission(None, False, self._headers(window, resource), window)

    def close_secondary(self, credential: str, seconds: float, answer_delay: float) -> None:
        """A secondary limit refuses the credential's requests from now until `seconds`
        after its answer is sent (`answer_delay` from now; `sent` fixes the instant)."""
        now = time.time()
        until = now + answer_delay + seconds
        with self._lock:
            closed = self._secondary.get(credential)
            if closed is not None and now < closed.until:  # two at once: one window
                closed.until = max(closed.until, until)
            else:
                self._secondary[credential] = _Secondary(until)

    def sent(
        self, credential: str, window: RateWindow, said_none_left: bool, closed_for: float | None
    ) -> None:
        """An answer went out: from now on its client knows what it said.

        `said_none_left`: it carried ``x-ratelimit-remaining: 0`` for `window`;
        `closed_for`: it was a secondary refusal closing the window for that long.
        """
        now = time.time()
        with self._lock:
            if said_none_left:
                window.known_closed_at = min(window.known_closed_at, now)
            closed = self._secondary.get(credential)
            if closed_for is not None and closed is not None:
                closed.known_at = min(closed.known_at, now)
                closed.until = max(closed.until, now + closed_for)

    def refund(self, credential: str, resource: str) -> dict[str, str]:
        """A conditional request answered 304 costs nothing, as on GitHub."""
        with self._lock:
            window = self._window(credential, resource, time.time())
            window.used = max(window.used - 1, 0)
            return self._headers(window, resource)

    def status(self, credential: str) -> dict[str, Any]:
        """``GET /rate_limit``'s document for the credential."""
        now = time.time()
        with self._lock:
            resources = {}
            for resource in RESOURCES:
                window = self._window(credential, resource, now)
                resources[resource] = {
                    "limit": window.limit,
                    "used": window.used,
                    "remaining": max(window.limit - window.used, 0),
                    "reset": math.ceil(window.ends),
                }
        return {"resources": resources, "rate": resources["core"]}

    def record(self, record: RequestRecord) -> None:
        with self._lock:
            self.records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self.records)


def limit_settings_dict(settings: LimitSettings) -> dict[str, Any]:
    return asdict(settings)
