"""A queuer, its children and its schedules say what they are in the Web UI: static
summaries read back with describe(), the queuer's current details, and a queuer history
recorded before children had summaries still replays."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import (
    Client,
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleSpec,
    WorkflowHistory,
)
from temporalio.worker import Replayer

import run_queuer
from models.etl import queuer_schedule
from models.etl.queuer_flow import QueuerFlow
from models.etl.queuer_io import QueuerInput
from models.roster import RosterSelection
from tests.queuer.conftest import END, START

pytestmark = pytest.mark.timeout(180)
WINDOW = "2024-01-01 → 2024-04-01"


@pytest.fixture
def client_env(monkeypatch, temporal_server):
    monkeypatch.setenv("TEMPORAL_HOST", temporal_server.address)


async def runs_on(client: Client, task_queue: str, count: int) -> dict[str, object]:
    """The runs on ``task_queue`` by workflow type, once visibility lists ``count``."""
    deadline = time.monotonic() + 30
    while True:
        runs = [run async for run in client.list_workflows(f'TaskQueue = "{task_queue}"')]
        if len(runs) >= count or time.monotonic() > deadline:
            return runs
        await asyncio.sleep(0.3)


def test_the_queuer_and_every_child_say_what_they_are(
    client_env, temporal_server, worker_settings, database, roster, background_worker, task_queue
):
    background_worker(worker_settings, database)
    argv = ["--employees", "E1001,E1002", "--sources", "launchpad", "--flows", "bugs",
            "--from", START, "--to", END, "--task-queue", task_queue,
            "--id-prefix", f"{task_queue}-", "--wait"]  # fmt: skip
    assert asyncio.run(run_queuer.main(argv)) == 0

    async def read():
        client = await Client.connect(temporal_server.address)
        summaries, queuer = {}, None
        for run in await runs_on(client, task_queue, 3):
            handle = client.get_workflow_handle(run.id, run_id=run.run_id)
            summary = await (await handle.describe()).static_summary()
            summaries.setdefault(run.workflow_type, set()).add(summary)
            if run.workflow_type == "QueuerFlow":
                queuer = handle
        details = (await queuer.query("__temporal_workflow_metadata")).current_details
        return summaries, details, await queuer.fetch_history()

    summaries, details, history = asyncio.run(read())
    assert summaries == {
        "QueuerFlow": {f"Queuer · E1001, E1002 · launchpad (bugs) · {WINDOW}"},
        "ETLFlow": {
            f"Launchpad bugs · alan-jensen (E1001) · {WINDOW}",
            f"Launchpad bugs · bjarne-keller (E1002) · {WINDOW}",
        },
    }
    # What the queuer is and how far it got, also on a run continued-as-new.
    assert details.startswith("Queuer · E1001, E1002 · launchpad (bugs)"), details
    assert "**completed**" in details and "runs 2 of 2" in details, details

    # A history recorded before children had summaries (no user metadata on their start)
    # replays on today's code: the summary is metadata, not part of the command.
    starts = [
        event
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED
    ]
    assert len(starts) == 2 and all(event.HasField("user_metadata") for event in starts)
    for event in starts:
        event.ClearField("user_metadata")
    old = WorkflowHistory(history.workflow_id, history.events)
    asyncio.run(Replayer(workflows=[QueuerFlow]).replay_workflow(old))


def test_a_schedule_and_the_runs_it_starts_say_what_they_are(temporal_server, task_queue):
    request = QueuerInput(
        sources=["launchpad", "github"], selection=RosterSelection(team="platform"), overlap="1d"
    )
    # No worker on this queue: the triggered run waits, its summary is set at its start.
    spec = ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(days=365))])
    name = f"summary-{task_queue}"
    expected = "Queuer · team platform · launchpad, github · weekly window + 1d overlap"

    async def scenario():
        client = await Client.connect(temporal_server.address)
        handle = await queuer_schedule.create(client, name, request, spec, task_queue)
        try:
            action = (await handle.describe()).schedule.action
            assert isinstance(action, ScheduleActionStartWorkflow)
            # described actions hold the raw payload (_from_raw): decoded as the UI does
            (described,) = await client.data_converter.decode([action.static_summary])
            await handle.trigger()
            deadline = time.monotonic() + 30
            while not (actions := (await handle.describe()).info.recent_actions):
                assert time.monotonic() < deadline, "the trigger started no run"
                await asyncio.sleep(0.2)
            run = client.get_workflow_handle(actions[0].action.workflow_id)
            summary = await (await run.describe()).static_summary()
            await run.terminate("test over")
            return described, summary
        finally:
            await handle.delete()

    described, summary = asyncio.run(scenario())
    assert described == expected
    assert summary == expected
