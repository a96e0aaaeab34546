"""Operating a worker: ``python worker.py --check`` and a clean stop on SIGTERM.

Real ``python worker.py`` subprocesses against the session's Temporal dev server and
PostgreSQL, Launchpad simulated.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from temporalio.client import Client

from devstack.net import free_port
from models.database import Database
from models.etl.progress import RunOptions
from simulator.launchpad import LaunchpadSimulator, preset
from tests.chaos.comparison import compare
from tests.chaos.extraction import start_team_extraction, team_truth
from tests.chaos.temporal_runs import outcomes, wait_closed
from tests.chaos.worker_process import WorkerProcess, worker_env

ROOT = Path(__file__).resolve().parents[2]
GRACE_SECONDS = 3


def check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "worker.py", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_says_healthy_or_what_does_not_answer(temporal_server, db_settings):
    env = worker_env(temporal_server.address, db_settings)
    done = check(env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("healthy:") and done.stdout.count("\n") == 1

    wrong_password = {**env, "DB_PASSWORD": "not-the-password-1234"}
    done = check(wrong_password)
    assert done.returncode == 1
    assert done.stdout.startswith("unhealthy: PostgreSQL") and "refused" in done.stdout
    assert "not-the-password-1234" not in done.stdout + done.stderr

    no_temporal = {**env, "TEMPORAL_HOST": f"127.0.0.1:{free_port()}"}
    started = time.monotonic()
    done = check(no_temporal)
    assert done.returncode == 1 and done.stdout.startswith("unhealthy: Temporal")
    assert time.monotonic() - started < 30


@pytest.mark.timeout(300)
def test_sigterm_stops_within_the_grace_and_another_worker_finishes(
    temporal_server, db_settings, database: Database, task_queue, tmp_path
):
    dataset = preset("small")
    truth = team_truth(dataset)
    env = worker_env(temporal_server.address, db_settings, lp_max_concurrency=2, lp_timeout=10)
    args = ("--grace-seconds", str(GRACE_SECONDS))
    first = WorkerProcess(env, task_queue, tmp_path / "first.log", args)
    second = WorkerProcess(env, task_queue, tmp_path / "second.log", args)

    async def scenario() -> float:
        client = await Client.connect(temporal_server.address)
        with LaunchpadSimulator(dataset, latency_ms=40) as sim:
            first.start()
            await asyncio.to_thread(first.wait_ready)
            runs = await start_team_extraction(
                client,
                sim.service_root,
                task_queue,
                f"{task_queue}-",
                RunOptions(time_budget_seconds=0.001),  # one page per activity
            )
            deadline = time.monotonic() + 120
            while database.count_events() == 0:
                assert time.monotonic() < deadline, "no events loaded in 120s"
                await asyncio.sleep(0.2)
            assert database.count_events() < len(truth), "the runs ended before SIGTERM"
            first.process.send_signal(signal.SIGTERM)
            sent = time.monotonic()
            code = await asyncio.to_thread(first.process.wait, GRACE_SECONDS + 30)
            stopped_after = time.monotonic() - sent
            assert code == 0, first.tail()
            second.start()
            await wait_closed(client, runs, timeout=180)
            results = await outcomes(client, runs)
            assert all(r.completed for r in results.values()), results
        return stopped_after

    try:
        stopped_after = asyncio.run(scenario())
    except BaseException:
        for worker in (first, second):
            print(f"--- {worker.log_file} ---\n{worker.tail(40)}")
        raise
    finally:
        for worker in (first, second):
            worker.stop()

    print(f"worker stopped {stopped_after:.1f}s after SIGTERM (grace {GRACE_SECONDS}s)")
    assert stopped_after < GRACE_SECONDS + 10, f"stopped {stopped_after:.1f}s after SIGTERM"
    assert "worker stopped" in first.log_text()
    comparison = compare(database.fetch_events(), truth)
    assert comparison.equal, comparison.describe()
    assert comparison.duplicates == 0
