"""Temporal Schedules running QueuerFlow on the dev server: windows from scheduled times,
backfills of past weeks, and a pause whose gap the next run closes."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from temporalio.client import Client, ScheduleIntervalSpec, ScheduleSpec

import scripts.schedule as schedule_cli
from models.etl import coverage, queuer_schedule
from models.etl.coverage_status import status
from models.etl.queuer_io import QueuerInput
from models.roster import RosterSelection
from tests.chaos.comparison import compare
from tests.identities import identity_map
from tests.queuer.conftest import roster_truth

pytestmark = pytest.mark.timeout(240)


@pytest.fixture
def cli_env(monkeypatch, temporal_server, db_settings):
    """The environment scripts/schedule.py reads: this test's server and database."""
    monkeypatch.setenv("TEMPORAL_HOST", temporal_server.address)
    for name, value in db_settings.as_env().items():
        monkeypatch.setenv(name, value)


async def finished_runs(client: Client, name: str, count: int, timeout: float = 90) -> list:
    """Wait until the schedule has started ``count`` runs and they all ended; returns
    (scheduled time, result) of each, oldest first."""
    handle = client.get_schedule_handle(name)
    deadline = time.monotonic() + timeout
    while True:
        actions = (await handle.describe()).info.recent_actions
        if len(actions) >= count:
            break
        assert time.monotonic() < deadline, f"{len(actions)} of {count} runs started"
        await asyncio.sleep(0.3)
    runs = []
    for action in actions[:count]:
        run = client.get_workflow_handle(action.action.workflow_id)
        runs.append((action.scheduled_at, await run.result()))
    return runs


def test_a_backfill_of_three_past_weeks_runs_exactly_those_windows(
    cli_env, temporal_server, sim, worker_settings, database, roster, background_worker, task_queue,
    capsys,
):  # fmt: skip
    background_worker(worker_settings, database)
    name = f"weekly-{task_queue}"
    create = ["create", name, "--employees", "E1001,E1002,E1003", "--sources", "launchpad",
              "--every", "week", "--at", "Mon 02:00", "--overlap", "1d",
              "--task-queue", task_queue]  # fmt: skip
    assert schedule_cli.main(create) == 0
    assert schedule_cli.main(["describe", name]) == 0
    described = capsys.readouterr().out
    assert f"schedule {name}: active" in described, described
    assert "who: employees E1001, E1002, E1003; sources: launchpad" in described
    assert "window: 1w before each run, plus overlap 1d" in described
    # Mondays 2024-01-08, -15 and -22 at 02:00 fall in this range; -29 does not.
    assert schedule_cli.main(["backfill", name, "--from", "2024-01-08", "--to", "2024-01-29"]) == 0

    async def scenario():
        client = await Client.connect(temporal_server.address)
        runs = await finished_runs(client, name, 3)
        await asyncio.sleep(2)  # a fourth run would have started by now
        info = (await client.get_schedule_handle(name).describe()).info
        await client.get_schedule_handle(name).delete()
        return runs, info.num_actions

    runs, actions = asyncio.run(scenario())
    assert actions == 3
    mondays = [datetime(2024, 1, day, 2, tzinfo=UTC) for day in (8, 15, 22)]
    assert [scheduled for scheduled, _ in runs] == mondays
    for monday, (_, result) in zip(mondays, runs, strict=True):
        start = (monday - timedelta(days=8)).isoformat()
        assert result["window"] == {"start": start, "end": monday.isoformat()}, result
        assert result["widened"] is False and result["failed"] == 0, result
    people = [p for p in roster if p.employee_id in ("E1001", "E1002", "E1003")]
    truth = roster_truth(sim, people, "2023-12-31T02:00:00+00:00", "2024-01-22T02:00:00+00:00")
    comparison = compare(database.fetch_events(), truth, identity_map(worker_settings, database))
    assert comparison.equal, comparison.describe()
    with database.get_connection() as conn:
        covered = coverage.coverage(conn)
    assert len(covered) == 9  # 3 people x 3 flows, each covered by exactly the 3 windows
    assert {tuple(c.stretches) for c in covered} == {
        ((datetime(2023, 12, 31, 2, tzinfo=UTC), datetime(2024, 1, 22, 2, tzinfo=UTC)),)
    }


def test_a_schedule_every_few_seconds_runs_real_windows_and_a_pause_leaves_no_gap(
    cli_env, temporal_server, worker_settings, database, roster, background_worker, task_queue,
    capsys,
):  # fmt: skip
    background_worker(worker_settings, database)
    name = f"often-{task_queue}"
    request = QueuerInput(
        sources=["launchpad"],
        selection=RosterSelection(employee_ids=["E1001", "E1002"]),
        flows=["bugs"],
        period="2s",
        id_prefix=f"{task_queue}-",
    )
    every = ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(seconds=2))])

    async def scenario():
        client = await Client.connect(temporal_server.address)
        handle = await queuer_schedule.create(client, name, request, every, task_queue)
        before = await finished_runs(client, name, 2)
        await handle.pause(note="test: leave a gap")
        await asyncio.sleep(7)  # three ticks missed
        await handle.unpause()
        paused_runs = len((await handle.describe()).info.recent_actions)
        after = await finished_runs(client, name, paused_runs + 2)
        await handle.delete()
        return before, after[paused_runs:]

    before, after = asyncio.run(scenario())
    for scheduled, result in before + after:
        # each run's window is the 2 s before its scheduled time, not the clock's
        assert result["window"] == {
            "start": (scheduled - timedelta(seconds=2)).isoformat(),
            "end": scheduled.isoformat(),
        }, result
        assert result["completed"] == 2 and result["failed"] == 0, result
    first_after_pause = after[0][0]
    assert first_after_pause - before[-1][0] > timedelta(seconds=6)
    with database.get_connection() as conn:
        covered = coverage.coverage(conn)
    assert len(covered) == 2
    for item in covered:
        # a new person starts from the look-back; the run after the pause widened back
        # to the watermark: one stretch, no gap
        first_end = before[0][0]
        assert item.stretches[0][0] == first_end - timedelta(days=28), item
        assert len(item.stretches) == 1 and not item.gaps(), item
    assert not [line for line in status(database, request) if line.has_gap]
    capsys.readouterr()
    assert schedule_cli.main(["status"]) == 0
    assert "2 person x flow line(s), 0 gap(s)" in capsys.readouterr().out
