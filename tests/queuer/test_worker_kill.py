"""A worker SIGKILLed in the middle of a queuer's fan-out, and another one started: the
table still equals the ground truth, and no child run was started twice.

Real ``python worker.py`` subprocesses against the session's dev server and PostgreSQL
(the test's own schema, with the example roster), Launchpad simulated in this process.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest
from temporalio.client import Client

from models.etl.queuer_io import QueuerInput
from models.roster import RosterSelection
from simulator.launchpad import LaunchpadSimulator, preset
from tests.chaos.comparison import compare
from tests.chaos.worker_process import WorkerProcess, worker_env
from tests.identities import identity_map
from tests.queuer.conftest import END, START, roster_truth

pytestmark = pytest.mark.timeout(300)


def test_a_worker_killed_during_the_fan_out_changes_nothing(
    temporal_server, db_settings, worker_settings, database, roster, task_queue, tmp_path
):
    units = 3 * sum(1 for person in roster if person.identities.get("launchpad"))
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    workers: list[WorkerProcess] = []

    async def scenario(sim: LaunchpadSimulator) -> tuple[dict, dict, Counter]:
        env = worker_env(temporal_server.address, db_settings, lp_max_concurrency=4, lp_timeout=10)
        env["LP_WEB_ROOT"] = sim.service_root
        workers.append(WorkerProcess(env, task_queue, logs[0]).start())
        await asyncio.to_thread(workers[0].wait_ready)
        client = await Client.connect(temporal_server.address)
        handle = await client.start_workflow(
            "QueuerFlow",
            QueuerInput(
                sources=["launchpad"],
                selection=RosterSelection(all_active=True),
                window_start=START,
                window_end=END,
                id_prefix=f"{task_queue}-",
                max_in_flight=3,
            ),
            id=f"{task_queue}-queuer",
            task_queue=task_queue,
        )
        deadline = time.monotonic() + 120
        while (progress := await handle.query("progress"))["completed"] < 6:
            assert time.monotonic() < deadline, progress
            await asyncio.sleep(0.1)
        assert progress["completed"] < units, "the fan-out ended before the kill"
        workers[0].kill()
        workers.append(WorkerProcess(env, task_queue, logs[1]).start())
        result = await handle.result()
        runs: Counter = Counter()
        query = f"TaskQueue = '{task_queue}' AND WorkflowType = 'ETLFlow'"
        async for execution in client.list_workflows(query):
            runs[execution.id] += 1
        return progress, result, runs

    try:
        with LaunchpadSimulator(preset("small"), latency_ms=20) as sim:
            at_kill, result, runs = asyncio.run(scenario(sim))
            truth = roster_truth(sim, roster)
    except BaseException:
        for worker in workers:
            print(f"--- {worker.log_file} (pid {worker.pid}) ---\n{worker.tail(40)}")
        raise
    finally:
        for worker in workers:
            worker.stop()

    assert result["completed"] == units and result["failed"] == 0, result
    assert result["started"] == units and result["skipped"] == 0, result
    assert len(runs) == units and set(runs.values()) == {1}, runs  # each child ran once
    comparison = compare(database.fetch_events(), truth, identity_map(worker_settings, database))
    assert comparison.equal, comparison.describe()
    assert comparison.duplicates == 0
    print(f"killed at {at_kill['completed']}/{units} children; {result['completed']} completed")
