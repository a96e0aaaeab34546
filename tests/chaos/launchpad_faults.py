"""Launchpad (the simulator) answering 10% of requests 503, 5% 429 with Retry-After, and
2% only after longer than the worker's LP_TIMEOUT, for the whole extraction.

The HTTP client retries each with backoff (honouring Retry-After; a timed-out answer is
abandoned and asked again on a new connection); an activity that still fails is retried
by Temporal from its last cursor.
"""

from __future__ import annotations

from typing import Any

from tests.chaos.profiles import Profile
from tests.chaos.scenario import Scenario
from tests.chaos.stack import ScenarioRun


def simulator(profile: Profile) -> dict[str, Any]:
    return {"latency_ms": profile.faults_latency_ms, **profile.fault_rates}


async def disrupt(run: ScenarioRun) -> None:
    rates = run.sim.faults.settings
    run.notes.append(
        f"faults: {rates.error_rate:.0%} 503, {rates.rate_limit_rate:.0%} 429 "
        f"(Retry-After {rates.retry_after_s} s), {rates.slow_rate:.0%} answered after "
        f"{rates.slow_ms / 1000:.1f} s > LP_TIMEOUT {run.profile.lp_timeout} s"
    )


async def evidence(run: ScenarioRun) -> None:
    stats = run.sim.stats()
    served = stats["faults"]
    run.notes.append(
        f"simulator served {stats['total']} requests: {served['503']} 503, "
        f"{served['429']} 429, {served['slow']} too slow"
    )
    rates = run.sim.faults.settings
    for kind, rate in (("503", rates.error_rate), ("429", rates.rate_limit_rate)):
        if rate and not served[kind]:
            run.problems.append(f"no {kind} was served")
    if rates.slow_rate and not served["slow"]:
        run.problems.append("no slow answer was served")


SCENARIO = Scenario(
    name="launchpad-faults",
    summary="simulator answering 10% 503, 5% 429 and 2% slower than LP_TIMEOUT",
    disrupt=disrupt,
    evidence=evidence,
    simulator=simulator,
    lp_max_concurrency=lambda profile: profile.faults_lp_max_concurrency,
)
