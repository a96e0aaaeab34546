"""Scale out: two worker processes on one task queue share a team's extraction; one is
killed with SIGKILL in the middle and the other finishes it.

Real ``python worker.py`` subprocesses against the session's Temporal dev server and
PostgreSQL, Launchpad simulated (preset ``medium``: ~100 pages over the three flows).
A time budget of a millisecond makes every page an activity of its own, so both workers
get work; each one's Temporal identity (``pid@hostname``) shows in the histories.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from temporalio.client import Client

from models.database import Database
from models.etl.progress import RunOptions
from simulator.launchpad import LaunchpadSimulator, preset
from tests.chaos.comparison import compare
from tests.chaos.extraction import start_team_extraction, team_truth
from tests.chaos.temporal_runs import (
    activity_completions,
    activity_starts,
    histories,
    outcomes,
    wait_closed,
)
from tests.chaos.worker_process import WorkerProcess, worker_env

pytestmark = pytest.mark.timeout(400)

ONE_PAGE_PER_ACTIVITY = RunOptions(time_budget_seconds=0.001)


async def wait_until(predicate, timeout: float, what: str, tick: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        found = await predicate()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f}s: {what}")
        await asyncio.sleep(tick)


def test_two_workers_share_a_run_and_the_survivor_finishes_it(
    temporal_server, db_settings, database: Database, task_queue, tmp_path
):
    dataset = preset("medium")
    truth = team_truth(dataset)
    env = worker_env(temporal_server.address, db_settings, lp_max_concurrency=4, lp_timeout=10)
    workers = [
        WorkerProcess(env, task_queue, tmp_path / f"worker-{name}.log") for name in ("a", "b")
    ]

    async def scenario() -> None:
        client = await Client.connect(temporal_server.address)
        with LaunchpadSimulator(dataset, latency_ms=5) as sim:
            for worker in workers:
                worker.start()
            for worker in workers:
                await asyncio.to_thread(worker.wait_ready)
            identities = {worker.identity for worker in workers}
            assert len(identities) == 2, identities
            runs = await start_team_extraction(
                client, sim.service_root, task_queue, f"{task_queue}-", ONE_PAGE_PER_ACTIVITY
            )

            async def both_working():
                starts = activity_starts(await histories(client, runs))
                seen = Counter(start.identity for start in starts)
                loaded = database.count_events()
                return seen if set(seen) >= identities and loaded > 0.2 * len(truth) else None

            # Both workers ran activities of these runs: the history says which did what.
            shared = await wait_until(both_working, 120, "both workers in the histories")
            victim, survivor = workers
            loaded = database.count_events()
            assert loaded < len(truth), "the runs ended before a worker could be killed"
            victim.kill()
            killed_at = datetime.now(UTC)

            ends = await wait_closed(client, runs, timeout=240, tick=None)
            results = await outcomes(client, runs)
            assert all(r.completed for r in results.values()), (results, ends)
            found = await histories(client, runs)
            after = activity_completions(found, killed_at)
            starts = activity_starts(found)

        # The survivor finished the runs alone: every activity completed after the kill
        # is its own, and there were some.
        assert after and set(after) == {survivor.identity}, (Counter(after), survivor.identity)
        by_identity = Counter(start.identity for start in starts)
        assert set(by_identity) == identities, by_identity
        print(
            f"activities before the kill {dict(shared)}; in the end {dict(by_identity)}; "
            f"killed {victim.identity} at {loaded}/{len(truth)} events; "
            f"{len(after)} completed afterwards by {survivor.identity}; "
            f"{sum(s.attempt > 1 for s in starts)} finished on a retry"
        )

    try:
        asyncio.run(scenario())
    except BaseException:
        for worker in workers:
            print(f"--- {worker.log_file} (pid {worker.pid}) ---\n{worker.tail(40)}")
        raise
    finally:
        for worker in workers:
            worker.stop()

    comparison = compare(database.fetch_events(), truth)
    assert comparison.equal, comparison.describe()
    assert comparison.duplicates == 0
