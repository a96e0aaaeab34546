"""GitHub's rate limits, kept per worker so that no request is sent into a closed window.

GitHub counts requests per token (or per address when anonymous) in windows, separately
for each *resource*: ``core`` for most of the API, ``search`` with its own, much smaller
limit. Every answer says how many requests are left (``x-ratelimit-remaining``) and when
the window reopens (``x-ratelimit-reset``, epoch seconds). ``RateGate`` keeps that per
(server, token, resource) for the whole process:

* before a request, ``reserve`` takes one of the requests left. When none is left
  (counting those in flight), the window is closed: the caller waits for the reset;
* while the number left is unknown (first request, a window that just reopened) one
  request goes alone and its answer tells the rest;
* a primary limit (403/429 with nothing left) closes the resource until its reset, a
  secondary limit (403/429 naming one) closes every resource for ``retry-after``
  seconds, else a minute doubling on repeats;
* a wait longer than ``max_inline_wait`` is not spent holding a worker thread:
  ``RateLimitWait`` is raised instead, carrying the instant the window reopens, and the
  flow turns it into an activity retry scheduled for then (see ``client``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from models import metrics
from models.exceptions import RateLimitedError

SECONDARY_MINIMUM = 60.0  # seconds, when a secondary limit gives no retry-after
SECONDARY_MAXIMUM = 15 * 60.0


class RateLimitWait(RateLimitedError):
    """The window stays closed longer than a worker thread should wait."""

    def __init__(self, resource: str, seconds: float):
        super().__init__(
            f"GitHub {resource} rate limit: window closed for {seconds:.0f} s more", seconds
        )
        self.resource = resource


class WindowClosed(Exception):
    """The window closed between ``reserve`` and sending: the request was not sent."""


@dataclass
class Bucket:
    remaining: int | None = None  # as last reported for this window; None: no limit known
    reset: float = 0.0  # epoch seconds at which the reported window reopens
    closed_until: float = 0.0  # no request before this instant
    in_flight: int = 0
    # An answer of this window was seen (or the server sends no limits at all, as GitHub
    # Enterprise Server with rate limiting disabled): requests need not go one by one.
    known: bool = False


def resource_of(path: str) -> str:
    return "search" if path.lstrip("/").startswith("search/") else "core"


class RateGate:
    """The rate-limit state of one token on one server (see the module docstring)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        max_inline_wait: float = 10.0,
        reset_margin: float = 1.0,
    ):
        self.clock = clock
        self.max_inline_wait = max_inline_wait
        # Reset instants are whole seconds of the server's clock: a little slack keeps
        # a request from arriving just before the server reopens the window.
        self.reset_margin = reset_margin
        self._buckets: dict[str, Bucket] = {}
        self._secondary_until = 0.0
        # The latest secondary limit: when it was learnt and whether the server said how
        # long it lasts.
        self._secondary_since = float("-inf")
        self._secondary_told = False
        self._secondary_streak = 0
        self._changed = threading.Condition()

    def _bucket(self, resource: str) -> Bucket:
        return self._buckets.setdefault(resource, Bucket())

    def _closed_until(self, bucket: Bucket, now: float) -> float:
        until = max(bucket.closed_until, self._secondary_until)
        if bucket.remaining is not None and now >= bucket.reset + self.reset_margin:
            bucket.remaining, bucket.known = None, False  # a new window, allowance unknown
        if bucket.remaining is not None and bucket.remaining - bucket.in_flight <= 0:
            until = max(until, bucket.reset + self.reset_margin)
        return until

    def reserve(self, resource: str) -> float:
        """Wait until a request to ``resource`` may be sent, and count it as in flight.
        Returns the instant it is sent (give it back to ``settle``).

        Raises ``RateLimitWait`` instead of waiting longer than ``max_inline_wait``."""
        counted = False
        with self._changed:
            while True:
                now = self.clock()
                bucket = self._bucket(resource)
                until = self._closed_until(bucket, now)
                if until > now:
                    if not counted:
                        metrics.inc("rate_limit_waits", source="github")
                        counted = True
                    if until - now <= self.max_inline_wait:
                        self._changed.wait(until - now)
                    elif self._awaiting_secondary_length(until):
                        self._changed.wait(1.0)
                    else:
                        raise RateLimitWait(resource, until - now)
                elif not bucket.known and bucket.in_flight > 0:
                    self._changed.wait(1.0)  # the probe's answer is on its way
                else:
                    bucket.in_flight += 1
                    return now

    def check_open(self, resource: str) -> None:
        """Raise ``WindowClosed`` if ``resource``'s window has closed since ``reserve``
        (an answer that arrived meanwhile)."""
        with self._changed:
            now = self.clock()
            if max(self._bucket(resource).closed_until, self._secondary_until) > now:
                raise WindowClosed(resource)

    def _awaiting_secondary_length(self, until: float) -> bool:
        """The long wait is a secondary limit of unknown length, and answers still on
        their way may say how long it is (see ``_secondary``)."""
        return (
            not self._secondary_told
            and self._secondary_until >= until
            and any(bucket.in_flight for bucket in self._buckets.values())
        )

    def release(self, resource: str) -> None:
        """A reserved request was not answered (a network error): forget it."""
        with self._changed:
            self._bucket(resource).in_flight -= 1
            self._changed.notify_all()

    def settle(
        self,
        resource: str,
        status: int,
        headers: Mapping[str, str],
        secondary: bool,
        sent_at: float = float("inf"),
    ) -> None:
        """Record a reserved request's answer (sent at ``sent_at``): its rate-limit
        headers and what it was."""
        with self._changed:
            bucket = self._bucket(resource)
            bucket.in_flight -= 1
            remaining, reset = (
                _header_int(headers, "x-ratelimit-remaining"),
                _header_int(headers, "x-ratelimit-reset"),
            )
            if remaining is not None and reset is not None:
                bucket.known = True
                if bucket.remaining is None or reset > bucket.reset:
                    bucket.remaining, bucket.reset = remaining, float(reset)
                elif reset == bucket.reset:
                    # Answers overtake each other: the smallest count is the latest.
                    bucket.remaining = min(bucket.remaining, remaining)
            if secondary:
                self._secondary(headers, sent_at)
            elif status in (403, 429) and remaining == 0 and reset is not None:
                bucket.closed_until = max(bucket.closed_until, reset + self.reset_margin)
            elif status < 400 and sent_at >= self._secondary_since:
                self._secondary_streak = 0
                bucket.known = True
            self._changed.notify_all()

    def _secondary(self, headers: Mapping[str, str], sent_at: float) -> None:
        told = _header_int(headers, "retry-after")
        now = self.clock()
        if sent_at < self._secondary_since:
            # On its way before the latest limit was learnt: the same episode. Answers
            # overtake each other, so a refusal with retry-after may come after those
            # refused inside the window without one: its word on the length wins.
            # Each retry-after counts from its own answer.
            if told is not None and not self._secondary_told:
                self._secondary_until, self._secondary_told = now + told, True
            elif told is not None:
                self._secondary_until = max(self._secondary_until, now + told)
            return
        self._secondary_streak += 1
        wait = told
        if wait is None:
            wait = min(SECONDARY_MAXIMUM, SECONDARY_MINIMUM * 2 ** (self._secondary_streak - 1))
        self._secondary_since = now
        self._secondary_told = told is not None
        self._secondary_until = max(self._secondary_until, now + wait)


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


_gates: dict[tuple[str, str], RateGate] = {}
_gates_lock = threading.Lock()


def gate_for(service_root: str, token_key: str) -> RateGate:
    """The process-wide gate of one server and token (``token_key`` is a fingerprint,
    never the token itself)."""
    with _gates_lock:
        return _gates.setdefault((service_root, token_key), RateGate())


def forget_gates() -> None:
    with _gates_lock:
        _gates.clear()
