"""The worker process killed with SIGKILL at three points of the extraction, restarted
each time a moment later.

Temporal learns that the killed worker's activities are gone only when their heartbeat
timeout (20 s, ``HEARTBEAT_TIMEOUT`` in ``models/etl/policies.py``) passes; it then
retries them on the new worker, which resumes each from the last heartbeat the server
received. So every kill costs about 20 s of the suite's time: that is the production
setting under test, not shortened.
"""

from __future__ import annotations

import asyncio
import time

from tests.chaos.scenario import Scenario
from tests.chaos.stack import ScenarioRun


async def resumed_after(run: ScenarioRun, loaded: int, since: float) -> float:
    """Seconds from ``since`` until the table grows past ``loaded`` events."""
    while await asyncio.to_thread(run.count) <= loaded:
        if time.monotonic() - since > run.profile.run_timeout_s:
            raise TimeoutError(f"nothing was loaded for {run.profile.run_timeout_s:.0f}s")
        await asyncio.sleep(0.2)
    return time.monotonic() - since


async def disrupt(run: ScenarioRun) -> None:
    for share in run.profile.kill_points:
        loaded = await run.wait_for_events(share)
        victim = run.worker
        victim.kill()
        killed_at = time.monotonic()
        run.notes.append(
            f"SIGKILL worker {victim.pid} at {loaded}/{run.expected} events ({share:.0%} point)"
        )
        await asyncio.sleep(run.profile.worker_restart_s)
        await asyncio.to_thread(run.start_worker)
        run.notes[-1] += (
            f"; loading went on {await resumed_after(run, loaded, killed_at):.0f} s later"
        )


async def evidence(run: ScenarioRun) -> None:
    starts = [s for s in await run.activity_starts() if s.activity == "etl.extract_load"]
    retried = [s for s in starts if s.attempt > 1]
    identities = {s.identity for s in starts}
    run.notes.append(
        f"{len(starts)} extract activities, {len(retried)} finished on a retry "
        f"({', '.join(sorted({s.retried_after for s in retried})) or 'none'}); "
        f"{run.resumed_attempts()}; {len(identities)} worker identities in the histories"
    )
    if not retried:
        run.problems.append("no activity was retried: the kills interrupted nothing")


SCENARIO = Scenario(
    name="worker-sigkill",
    summary="worker killed with SIGKILL at three points (15%, 50%, 80-85% of the events), restarted",
    disrupt=disrupt,
    evidence=evidence,
)
