"""The Temporal dev server killed in the middle of the runs and started again on the same
SQLite database file and port.

The histories survive in the database file. The worker is not restarted by the scenario:
it has to reconnect by itself and go on (should it exit instead, it is restarted as an
operator would, and the notes say so).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tests.chaos.scenario import Scenario
from tests.chaos.stack import ScenarioRun
from tests.chaos.temporal_runs import activity_completions, histories


async def disrupt(run: ScenarioRun) -> None:
    run.allow_worker_exit = True  # noted, not failed: see the module docstring
    loaded = await run.wait_for_events(run.profile.temporal_at)
    running = await run.running()
    await asyncio.to_thread(run.temporal.kill)
    run.notes.append(
        f"Temporal server SIGKILLed at {loaded}/{run.expected} events with {running} run(s) "
        f"going; down {run.profile.temporal_down_s:.0f} s"
    )
    if not running:
        run.problems.append("no run was going when the server was killed")
    await asyncio.sleep(run.profile.temporal_down_s)
    await asyncio.to_thread(run.temporal.start)
    run.state["worker"] = run.worker
    run.state["restarted_at"] = datetime.now(UTC)


async def evidence(run: ScenarioRun) -> None:
    worker = run.state["worker"]
    found = await histories(run.client, run.runs)
    after = activity_completions(found, run.state["restarted_at"])
    by_kept = sum(identity == worker.identity for identity in after)
    if worker.alive() and worker is run.worker:
        run.notes.append(
            f"the worker ({worker.pid}) reconnected by itself: it completed {by_kept} of the "
            f"{len(after)} activities completed after the restart"
        )
        if not by_kept:
            run.problems.append("the worker kept running but completed nothing after the restart")
    run.notes.append(run.resumed_attempts())


SCENARIO = Scenario(
    name="temporal-restart",
    summary="Temporal dev server killed at 40% of the events, restarted on the same db file",
    disrupt=disrupt,
    evidence=evidence,
)
