"""StreamingETLFlow with the Launchpad flows against the simulator: the table equals the
simulator's ground truth, with chunks in flight at once, and also when the worker process
is killed (SIGKILL) in the middle of a run and started again."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.converter import DataConverter

from devstack.stack import worker_env
from models.etl.activities import ETLActivities
from models.etl.streaming_config import StreamingConfig, StreamingETLFlowInput
from models.event import Event
from models.settings import PROJECT_ROOT, Settings
from simulator.launchpad import LaunchpadSimulator, preset
from sources.launchpad import client, extraction, login
from sources.launchpad.transport import RetryPolicy
from tests.identities import as_stored, identity_map
from workers.streaming_etl_worker import StreamingETLWorker

START, END = "2024-01-01", "2024-04-01"
TEAM = "sample-team"
FAST_RETRY = RetryPolicy(attempts=10, base_delay=0.005, max_delay=0.05, max_retry_after=5)


@pytest.fixture
def lp_client(tmp_path, monkeypatch):
    """A private launchpadlib cache and nothing remembered from another test."""
    monkeypatch.setattr(
        client,
        "DEFAULT_OPTIONS",
        client.SessionOptions(launchpadlib_dir=str(tmp_path / "launchpadlib"), retry=FAST_RETRY),
    )
    monkeypatch.setenv("LP_CREDENTIALS_FILE", "")
    login.forget_logins()
    extraction.forget_listings()
    yield
    extraction.forget_listings()


def launchpad_input(sim: LaunchpadSimulator, flow: str, config: StreamingConfig):
    args = {
        "member": TEAM,
        "data_date_start": START,
        "data_date_end": END,
        "service_root": sim.service_root,
        "version": "devel",
    }
    return StreamingETLFlowInput("launchpad", f"launchpad-{flow}", args, config)


def expected_rows(truth: list[dict], flow: str, settings: Settings) -> list[dict]:
    """The rows the ground truth's events make, as ``Database.fetch_events`` returns them,
    for a worker with ``settings``."""
    rows = []
    for data in as_stored(truth, identity_map(settings)):
        event = Event.from_dict({"source_kind_id": "launchpad", "event_type": flow, **data})
        row = dict(zip(Event.COLUMNS, event.to_row(), strict=True))
        rows.append({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()})
    return sorted(rows, key=lambda row: row["event_id"])


def table_rows(database) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "id"} for row in database.fetch_events()]


@pytest.mark.parametrize("flow", ["bugs", "merge_proposals", "questions"])
def test_streaming_run_equals_ground_truth(
    flow, lp_client, temporal_server, task_queue, settings, database
):
    config = StreamingConfig(chunk_size=10, max_chunks_in_flight=3, memory_threshold_mb=100_000)
    with LaunchpadSimulator(preset("small"), latency_ms=5) as sim:
        truth = sim.ground_truth(TEAM, START, END, flow)

        async def go():
            temporal = await Client.connect(temporal_server.address)
            activities = ETLActivities(settings, database)
            async with StreamingETLWorker(
                temporal, settings, task_queue=task_queue, activities=activities
            ):
                return await temporal.execute_workflow(
                    "StreamingETLFlow",
                    launchpad_input(sim, flow, config),
                    id=f"wf-{uuid.uuid4().hex}",
                    task_queue=task_queue,
                    execution_timeout=timedelta(minutes=2),
                )

        result = asyncio.run(go())
    assert result["status"] == "completed" and result["partitioned"] is True
    assert result["chunks"] >= 3 and result["peak_in_flight"] == 3
    assert table_rows(database) == expected_rows(truth, flow, settings)
    assert result["extracted"] == result["inserted"] == len(truth)


# -- a worker killed in the middle of a run ---------------------------------------------------


@pytest.fixture
def spawn_worker(temporal_server, task_queue, db_settings, tmp_path) -> Iterator:
    """Start ``python streaming_etl.py worker`` on this test's queue; killed at the end."""
    started: list[subprocess.Popen] = []

    def spawn(name: str) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"{name}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, "streaming_etl.py", "worker", "--task-queue", task_queue],
                cwd=PROJECT_ROOT,
                env=worker_env(temporal_server.address, db_settings),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        return process, log

    yield spawn
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


async def heartbeated_cursors(handle) -> list:
    """Cursors the run's running chunk activities have heartbeated."""
    description = await handle.describe()
    cursors = []
    for pending in description.raw_description.pending_activities:
        if pending.heartbeat_details.payloads:
            details = await DataConverter.default.decode(pending.heartbeat_details.payloads)
            if details and details[0].get("cursor") is not None:
                cursors.append(details[0]["cursor"])
    return cursors


def test_worker_killed_mid_run_resumes_and_loads_exactly_the_ground_truth(
    spawn_worker, temporal_server, task_queue, database
):
    config = StreamingConfig(
        chunk_size=100,
        max_chunks_in_flight=3,
        memory_threshold_mb=100_000,
        heartbeat_timeout_seconds=4,
    )
    with LaunchpadSimulator(preset("medium"), latency_ms=25) as sim:
        truth = sim.ground_truth(TEAM, START, END, "bugs")
        first, _ = spawn_worker("worker-1")

        async def go():
            temporal = await Client.connect(temporal_server.address)
            handle = await temporal.start_workflow(
                "StreamingETLFlow",
                launchpad_input(sim, "bugs", config),
                id=f"wf-{uuid.uuid4().hex}",
                task_queue=task_queue,
                execution_timeout=timedelta(minutes=3),
            )
            # Mid-run: a chunk has finished, and a running one has heartbeated a cursor
            # (committed pages) that its retry must resume from.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                at_kill = await handle.query("progress")
                if at_kill["chunks_done"] >= 1 and await heartbeated_cursors(handle):
                    # Freeze the worker, let completions already on the wire land, and
                    # look again: a chunk still pending now is one the kill interrupts
                    # (on a busy machine it could otherwise finish before the kill).
                    os.kill(first.pid, signal.SIGSTOP)
                    await asyncio.sleep(0.5)
                    if await heartbeated_cursors(handle):
                        break
                    os.kill(first.pid, signal.SIGCONT)
                await asyncio.sleep(0.05)
            else:
                pytest.fail(f"the run was never mid-way; last progress: {at_kill}")
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
            rows_at_kill = database.count_events()
            _, log = spawn_worker("worker-2")
            result = await handle.result()
            history = await handle.fetch_history()
            return at_kill, rows_at_kill, result, history, log

        at_kill, rows_at_kill, result, history, log = asyncio.run(go())
    assert at_kill["phase"] == "streaming" and at_kill["chunks_done"] < at_kill["chunks_total"]
    assert 0 < rows_at_kill < len(truth)
    assert result["status"] == "completed"
    # Exactly the ground truth: every event once, nothing else.
    assert database.count_events() == len(truth)
    # the worker process read its settings from the environment (and .env)
    assert table_rows(database) == expected_rows(truth, "bugs", Settings.from_env())
    # The killed worker's chunks were retried on the new worker, from their cursors.
    retried = [
        e
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
        and e.activity_task_started_event_attributes.attempt > 1
    ]
    assert retried
    assert "resumes at cursor" in log.read_text()
    # What was loaded before the kill was not extracted again (beyond the few pages
    # between a chunk's last heartbeat and the kill).
    assert result["extracted"] < len(truth) + rows_at_kill


def test_streaming_etl_run_command_follows_the_run_to_its_summary(
    lp_client, temporal_server, task_queue, settings, database, monkeypatch, capsys
):
    import streaming_etl

    monkeypatch.setenv("TEMPORAL_HOST", temporal_server.address)
    with LaunchpadSimulator(preset("small")) as sim:
        truth = sim.ground_truth(TEAM, START, END, "questions")
        argv = [
            *("--member", TEAM, "--from", START, "--to", END),
            *("--service-root", sim.service_root, "--api-version", "devel"),
            *("--flow", "questions", "--chunk-size", "10", "--max-chunks-in-flight", "2"),
            *("--task-queue", task_queue, "--workflow-id", f"cli-{uuid.uuid4().hex}", "--wait"),
        ]

        async def go():
            temporal = await Client.connect(temporal_server.address)
            activities = ETLActivities(settings, database)
            async with StreamingETLWorker(
                temporal, settings, task_queue=task_queue, activities=activities
            ):
                return await streaming_etl.start_run(argv)

        assert asyncio.run(go()) == 0
    out = capsys.readouterr().out
    summary = json.loads(out[out.index("{\n") :])
    assert '"max_chunks_in_flight": 2' in out and "web ui:" in out
    assert summary["status"] == "completed" and summary["extract_strategy"] == "launchpad-questions"
    assert summary["inserted"] == len(truth) == database.count_events()
    assert summary["chunks"] > 1 and summary["peak_in_flight"] == 2
