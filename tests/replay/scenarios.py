"""What is recorded for the replay tests: per workflow type, the runs whose histories
must keep replaying (normal, continued-as-new, failed, worker killed).

A scenario gets a ``Recording`` (Temporal client, simulator, a database table, helpers to
run workers) and returns the workflow id it started; the recorder then saves every run of
that id's continue-as-new chain. To record a new workflow type, write its scenarios and
add one line to ``WORKFLOWS``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.etl.etl_flow import ETLFlow
from models.etl.etl_flow_input import ETLFlowInput
from models.etl.progress import RunOptions
from models.etl.streaming_config import StreamingConfig, StreamingETLFlowInput
from models.etl.streaming_etl_flow import StreamingETLFlow
from workers.etl_worker import ETLWorker
from workers.streaming_etl_worker import StreamingETLWorker

if TYPE_CHECKING:
    from tests.replay.record import Recording

Scenario = Callable[["Recording"], Awaitable[str]]
START, END, TEAM = "2024-01-01", "2024-04-01", "sample-team"


def launchpad_args(rec: Recording) -> dict[str, str]:
    return {
        "member": TEAM,
        "data_date_start": START,
        "data_date_end": END,
        "service_root": rec.sim.service_root,
        "version": "devel",
    }


async def _kill_a_worker_midway(rec: Recording, start) -> str:
    """Start a worker process, start the run, SIGKILL the worker once events arrive,
    start another: the history shows the timed-out attempt and its retry."""
    first = rec.worker_process("first")
    await asyncio.to_thread(first.wait_ready)
    workflow_id = await start()
    deadline = time.monotonic() + 120
    while rec.database.count_events() == 0:
        if time.monotonic() > deadline:
            raise TimeoutError("no events loaded in 120s")
        await asyncio.sleep(0.1)
    first.kill()
    rec.worker_process("second")
    await rec.wait(workflow_id)
    return workflow_id


# -- ETLFlow --------------------------------------------------------------------------------


def _etl_input(rec: Recording, flow: str = "bugs", **options) -> ETLFlowInput:
    return ETLFlowInput(
        "launchpad", f"launchpad-{flow}", launchpad_args(rec), options=RunOptions(**options)
    )


async def etl_continue_as_new(rec: Recording) -> str:
    """One page per activity, a new run every two activities."""
    flow_input = _etl_input(rec, time_budget_seconds=0.001, activities_per_run=2)
    return await rec.run_in_process(ETLFlow, flow_input, "continue-as-new")


async def etl_failed(rec: Recording) -> str:
    """An extract method nobody registered: the run fails in validation."""
    flow_input = ETLFlowInput("launchpad", "launchpad-no-such-method", launchpad_args(rec))
    return await rec.run_in_process(ETLFlow, flow_input, "failed")


async def etl_worker_killed(rec: Recording) -> str:
    flow_input = _etl_input(rec, "merge_proposals", time_budget_seconds=0.001)
    return await _kill_a_worker_midway(rec, lambda: rec.start(ETLFlow, flow_input, "worker-killed"))


# -- StreamingETLFlow ---------------------------------------------------------------------


def _streaming_input(rec: Recording, flow: str = "bugs", **config) -> StreamingETLFlowInput:
    settings = {"chunk_size": 5, "chunk_time_budget_seconds": 0.001, **config}
    return StreamingETLFlowInput(
        "launchpad", f"launchpad-{flow}", launchpad_args(rec), StreamingConfig(**settings)
    )


async def streaming_continue_as_new(rec: Recording) -> str:
    """Small chunks, two in flight, a new run every four chunk activities."""
    flow_input = _streaming_input(rec, max_chunks_in_flight=2, activities_per_run=4)
    return await rec.run_in_process(StreamingETLFlow, flow_input, "continue-as-new")


async def streaming_failed(rec: Recording) -> str:
    flow_input = StreamingETLFlowInput("launchpad", "launchpad-no-such-method", launchpad_args(rec))
    return await rec.run_in_process(StreamingETLFlow, flow_input, "failed")


async def streaming_worker_killed(rec: Recording) -> str:
    flow_input = _streaming_input(rec, "questions", heartbeat_timeout_seconds=2)
    return await _kill_a_worker_midway(
        rec, lambda: rec.start(StreamingETLFlow, flow_input, "worker-killed")
    )


@dataclass(frozen=True)
class Recorded:
    """A workflow type, the worker that runs it (and ``python worker.py`` arguments for
    the same), and its scenarios by name."""

    workflow: type
    worker: type
    worker_args: tuple[str, ...]
    scenarios: dict[str, Scenario]


WORKFLOWS: dict[str, Recorded] = {
    "ETLFlow": Recorded(
        ETLFlow,
        ETLWorker,
        (),
        {
            "continue-as-new": etl_continue_as_new,
            "failed": etl_failed,
            "worker-killed": etl_worker_killed,
        },
    ),
    "StreamingETLFlow": Recorded(
        StreamingETLFlow,
        StreamingETLWorker,
        ("--streaming",),
        {
            "continue-as-new": streaming_continue_as_new,
            "failed": streaming_failed,
            "worker-killed": streaming_worker_killed,
        },
    ),
}
