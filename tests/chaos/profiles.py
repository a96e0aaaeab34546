"""The fault suite's profiles: how big the extraction is, how slow Launchpad is, and how
hard each fault hits (``quick`` and ``full``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Profile:
    """How big the extraction is, how slow Launchpad is, and how hard each fault hits."""

    name: str
    preset: str
    latency_ms: float  # added to every simulator answer: makes the runs long enough to hit
    lp_max_concurrency: int  # LP_MAX_CONCURRENCY of the workers (requests in flight per run)
    lp_timeout: int  # LP_TIMEOUT of the workers, seconds; "slow" answers take longer
    fault_rates: dict[str, Any]  # the launchpad-faults scenario's simulator faults
    background_faults: dict[str, Any] = field(default_factory=dict)  # every other scenario
    # The launchpad-faults scenario needs no slowness of its own (the faults are slow
    # enough), so it runs with the worker's default concurrency.
    faults_latency_ms: float = 0.0
    faults_lp_max_concurrency: int = 8
    kill_points: tuple[float, ...] = (0.15, 0.50, 0.85)  # share of the expected events
    worker_restart_s: float = 1.5
    postgres_at: float = 0.40
    postgres_down_s: float = 3.0
    temporal_at: float = 0.40
    temporal_down_s: float = 2.0
    run_timeout_s: float = 240.0  # per scenario, from the start of the runs

    def simulator_options(self) -> dict[str, Any]:
        """Latency and background faults of every scenario's simulator."""
        return {"latency_ms": self.latency_ms, **self.background_faults}


# The issue's rates: 10% 503, 5% 429 and 2% of answers slower than the client's timeout.
ISSUE_FAULTS = {
    "error_rate": 0.10,
    "rate_limit_rate": 0.05,
    "retry_after_s": 1,
    "slow_rate": 0.02,
    "slow_ms": 3000,
}

PROFILES = {
    # ~620 events, ~390 requests: 120 ms a request and two in flight per run make the
    # bugs run last ~15 s, long enough to interrupt three times.
    "quick": Profile(
        name="quick",
        preset="small",
        latency_ms=120,
        lp_max_concurrency=2,
        lp_timeout=2,
        fault_rates=ISSUE_FAULTS,
        # Pages hold ~70-90 events here: the last point leaves room for at least one.
        kill_points=(0.15, 0.50, 0.80),
        run_timeout_s=240.0,
    ),
    # ~6,900 events, ~6,000 requests; every scenario also runs under 3% 503 and 1% 429,
    # and the outages last longer: PostgreSQL longer than the Database layer's own retry
    # budget (30 s), so activities fail and Temporal retries them; Temporal longer than
    # the SDK's retries of an activity's completion and its heartbeats.
    "full": Profile(
        name="full",
        preset="medium",
        latency_ms=40,
        lp_max_concurrency=4,
        lp_timeout=2,
        fault_rates=ISSUE_FAULTS,
        background_faults={"error_rate": 0.03, "rate_limit_rate": 0.01, "retry_after_s": 1},
        postgres_down_s=40.0,
        temporal_down_s=15.0,
        run_timeout_s=900.0,
    ),
}
