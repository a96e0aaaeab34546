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
from models.etl.queuer_flow import QueuerFlow
from models.etl.queuer_io import QueuerInput
from models.etl.streaming_config import StreamingConfig, StreamingETLFlowInput
from models.etl.streaming_etl_flow import StreamingETLFlow
from models.roster import RosterSelection, RosterStore
from models.roster.file_source import read_roster_file
from models.settings import PROJECT_ROOT
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


# -- QueuerFlow -----------------------------------------------------------------------------
# The example roster's "docs" team is 4 people, "kernel" 5: a few children per run. The
# children's ETLFlow histories are not recorded (they have their own scenarios above).


def _queuer_input(rec: Recording, **fields) -> QueuerInput:
    """Bugs only, over the example roster imported into the recording's database; child
    ids unique to the recording (the same window ran in the scenarios before)."""
    RosterStore(rec.database).replace_all(read_roster_file(PROJECT_ROOT / "examples/roster.yaml"))
    defaults = {"selection": RosterSelection(team="docs"), "window_start": START, "window_end": END}
    return QueuerInput(
        sources=["launchpad"],
        flows=["bugs"],
        max_in_flight=2,
        id_prefix=f"{rec.task_queue}-",
        args_overrides={"launchpad": {"service_root": rec.sim.service_root}},
        **{**defaults, **fields},
    )


async def queuer_fan_out(rec: Recording) -> str:
    """A team's four children, two at a time."""
    return await rec.run_in_process(QueuerFlow, _queuer_input(rec), "fan-out")


async def queuer_continue_as_new(rec: Recording) -> str:
    """Continues-as-new after every two children (draining them first)."""
    flow_input = _queuer_input(rec, children_per_run=2)
    return await rec.run_in_process(QueuerFlow, flow_input, "continue-as-new")


async def queuer_failed_child(rec: Recording) -> str:
    """One login Launchpad does not know: its child fails, the queuer reports it and
    completes."""
    flow_input = _queuer_input(rec, selection=None, logins=["bjarne-walsh", "no-such-person"])
    return await rec.run_in_process(QueuerFlow, flow_input, "failed-child")


async def queuer_failed(rec: Recording) -> str:
    """No window and no schedule to give one: the queuer itself fails."""
    flow_input = _queuer_input(rec, window_start="", window_end="")
    return await rec.run_in_process(QueuerFlow, flow_input, "failed")


async def queuer_worker_killed(rec: Recording) -> str:
    """Killed once the first child loads events: another worker takes the fan-out over."""
    flow_input = _queuer_input(rec, selection=RosterSelection(team="kernel"))
    return await _kill_a_worker_midway(
        rec, lambda: rec.start(QueuerFlow, flow_input, "worker-killed")
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
    "QueuerFlow": Recorded(
        QueuerFlow,
        ETLWorker,
        (),
        {
            "fan-out": queuer_fan_out,
            "continue-as-new": queuer_continue_as_new,
            "failed-child": queuer_failed_child,
            "failed": queuer_failed,
            "worker-killed": queuer_worker_killed,
        },
    ),
}
