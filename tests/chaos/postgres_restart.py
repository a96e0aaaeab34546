"""PostgreSQL stopped while the runs are loading, started again a few seconds later.

The scenario has a PostgreSQL of its own (on a fixed port), so that it can run alongside
the others without stopping their database.

``pg_ctl stop -m fast`` rolls back the open transactions and drops every connection; the
Database layer retries on fresh connections with backoff (for up to 30 s), and whatever
fails beyond that is retried by Temporal, resuming from the last committed page.
"""

from __future__ import annotations

import asyncio

from tests.chaos.scenario import Scenario
from tests.chaos.stack import ScenarioRun


async def disrupt(run: ScenarioRun) -> None:
    postgres = run.postgres
    loaded = await run.wait_for_events(run.profile.postgres_at)
    running = await run.running()
    await asyncio.to_thread(postgres.stop, "fast")
    stopped = asyncio.get_running_loop().time()
    if not running:
        run.problems.append("no run was going when PostgreSQL stopped")
    await asyncio.sleep(run.profile.postgres_down_s)
    # On a busy machine a short outage can fall between two pages and hit no write: stay
    # down until a write has met it (the worker logs the retry), for at most a minute.
    deadline = asyncio.get_running_loop().time() + 60
    while "could not upsert" not in run.worker_logs() and await run.running():
        if asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.5)
    await asyncio.to_thread(postgres.start)
    down = asyncio.get_running_loop().time() - stopped
    run.notes.append(
        f"PostgreSQL stopped at {loaded}/{run.expected} events with {running} run(s) going; "
        f"down {down:.0f} s"
    )


async def evidence(run: ScenarioRun) -> None:
    logs = run.worker_logs()
    retries = logs.count("could not upsert")
    starts = [s for s in await run.activity_starts() if s.activity == "etl.extract_load"]
    retried = sum(s.attempt > 1 for s in starts)
    run.notes.append(
        f"{retries} upsert(s) retried by the Database layer; "
        f"{retried} extract activit(ies) finished on a Temporal retry"
    )
    if not retries and not retried:
        run.problems.append("no write was retried: the outage hit no load")


SCENARIO = Scenario(
    name="postgres-restart",
    summary="PostgreSQL stopped at 40% of the events, started again after the outage",
    disrupt=disrupt,
    evidence=evidence,
    private_postgres=True,
)
