"""Injected latency and failures, and the counters that show what was served.

Decisions come from one seeded RNG under a lock: a single-threaded client sees
the same faults on every run with the same seed. Settings can be changed while
the server runs, so a test can turn faults on in the middle of a flow.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class FaultSettings:
    latency_ms: float = 0.0  # added to every answered request
    error_rate: float = 0.0  # share of requests answered 503
    rate_limit_rate: float = 0.0  # share answered 429 with Retry-After
    retry_after_s: int = 1  # the Retry-After value of those 429s
    slow_rate: float = 0.0  # share answered only after slow_ms (timeout tests)
    slow_ms: float = 0.0
    # The WADL and service root are spared by default, so clients can always log in.
    spare_service_root: bool = True

    def __post_init__(self) -> None:
        for name in ("error_rate", "rate_limit_rate", "slow_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.error_rate + self.rate_limit_rate > 1.0:
            raise ValueError("error_rate + rate_limit_rate must not exceed 1")
        if min(self.latency_ms, self.slow_ms, self.retry_after_s) < 0:
            raise ValueError("latency_ms, slow_ms and retry_after_s must not be negative")

    def updated(self, changes: dict[str, Any]) -> FaultSettings:
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        return replace(self, **changes)


@dataclass(frozen=True)
class FaultDecision:
    status: int | None  # 503 or 429 to answer with, or None to answer normally
    delay_s: float  # sleep before answering
    slow: bool


class FaultInjector:
    def __init__(self, settings: FaultSettings, seed: int = 0):
        self._settings = settings
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    @property
    def settings(self) -> FaultSettings:
        return self._settings

    def configure(self, **changes: Any) -> FaultSettings:
        with self._lock:
            self._settings = self._settings.updated(changes)
            return self._settings

    def draw(self) -> float:
        """One more number from the seeded RNG, for a service's own faults."""
        with self._lock:
            return self._rng.random()

    def decide(self, spareable: bool) -> FaultDecision:
        with self._lock:
            settings = self._settings
            draw, slow_draw = self._rng.random(), self._rng.random()
        delay = settings.latency_ms / 1000
        if spareable and settings.spare_service_root:
            return FaultDecision(None, delay, False)
        if draw < settings.error_rate:
            return FaultDecision(503, delay, False)
        if draw < settings.error_rate + settings.rate_limit_rate:
            return FaultDecision(429, delay, False)
        if slow_draw < settings.slow_rate:
            return FaultDecision(None, delay + settings.slow_ms / 1000, True)
        return FaultDecision(None, delay, False)


class RequestStats:
    """Thread-safe request counters, and the most requests ever served at once."""

    def __init__(self, fault_names: tuple[str, ...] = ("503", "429", "slow")) -> None:
        self._fault_names = fault_names  # always listed in the snapshot, 0 when none
        self._lock = threading.Lock()
        self._in_flight = 0
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._total = 0
            self._by_kind: Counter[str] = Counter()
            self._by_status: Counter[int] = Counter()
            self._faults: Counter[str] = Counter()
            self._signed = 0
            self._started = time.monotonic()
            # Requests being served survive a reset: they are still in flight.
            self._in_flight_peak = self._in_flight

    def begin(self) -> None:
        """A request arrived: count it in flight until `end`."""
        with self._lock:
            self._in_flight += 1
            self._in_flight_peak = max(self._in_flight_peak, self._in_flight)

    def end(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    def record(
        self, kind: str, status: int, fault: str | None = None, signed: bool = False
    ) -> None:
        with self._lock:
            self._total += 1
            self._signed += signed
            self._by_kind[kind] += 1
            self._by_status[status] += 1
            if fault:
                self._faults[fault] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self._total,
                "by_kind": dict(sorted(self._by_kind.items())),
                "by_status": {str(k): v for k, v in sorted(self._by_status.items())},
                "faults": {name: self._faults[name] for name in self._fault_names}
                | dict(self._faults),
                # Requests signed with OAuth credentials, as an authenticated
                # launchpadlib sends them (the simulator accepts any signature).
                "signed": self._signed,
                # How many requests were being served at once, at most: a client's
                # concurrency as the service saw it.
                "in_flight_peak": self._in_flight_peak,
                "seconds": round(time.monotonic() - self._started, 3),
            }


def settings_dict(settings: FaultSettings) -> dict[str, Any]:
    return asdict(settings)
