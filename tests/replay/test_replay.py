"""Every recorded history replays on today's workflow code (temporalio's ``Replayer``):
a change that would break running workflows (a different command sequence) fails here.

Histories are recorded by ``python -m tests.replay.record`` (see docs/replay.md).
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner
from temporalio.workflow import NondeterminismError

from models.etl.queuer_flow import QueuerFlow
from models.etl.queuer_io import QueuerInput
from tests.replay.scenarios import WORKFLOWS
from workers.etl_worker import ETLWorker
from workers.streaming_etl_worker import StreamingETLWorker

HISTORIES = Path(__file__).resolve().parent / "histories"
RECORDED = sorted(HISTORIES.glob("*.json"))
# Their worker is killed while an activity of theirs runs (QueuerFlow's while it waits
# for its children: the children's activities are retried, not its own).
KILLED_DURING_AN_ACTIVITY = ("ETLFlow", "StreamingETLFlow")


def load(path: Path) -> WorkflowHistory:
    return WorkflowHistory.from_json(path.stem, path.read_text())


def workflow_type(history: WorkflowHistory) -> str:
    started = history.events[0].workflow_execution_started_event_attributes
    return started.workflow_type.name


@pytest.mark.parametrize("path", RECORDED, ids=[path.stem for path in RECORDED])
def test_recorded_history_replays(path: Path):
    history = load(path)
    recorded = WORKFLOWS[workflow_type(history)]
    asyncio.run(Replayer(workflows=[recorded.workflow]).replay_workflow(history))


def test_every_workflow_a_worker_runs_is_recorded():
    recorded = {rec.workflow for rec in WORKFLOWS.values()}
    unrecorded = set(ETLWorker.workflows + StreamingETLWorker.workflows) - recorded
    names = sorted(workflow.__name__ for workflow in unrecorded)
    assert not unrecorded, f"add scenarios to tests/replay/scenarios.py for {names}"


def test_every_workflow_type_and_scenario_has_a_recording():
    names = {path.stem.rsplit("-run", 1)[0] for path in RECORDED}
    wanted = {f"{name}-{scenario}" for name, rec in WORKFLOWS.items() for scenario in rec.scenarios}
    missing = wanted - names
    assert not missing, f"record them: python -m tests.replay.record  (missing {sorted(missing)})"


def events(stem: str) -> list[dict]:
    return json.loads((HISTORIES / f"{stem}.json").read_text())["events"]


def event_types(stem: str) -> set[str]:
    return {event["eventType"] for event in events(stem)}


def test_recordings_cover_continue_as_new_failure_and_a_killed_worker():
    for name in WORKFLOWS:
        assert "EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW" in event_types(
            f"{name}-continue-as-new-run1"
        )
        assert "EVENT_TYPE_WORKFLOW_EXECUTION_FAILED" in event_types(f"{name}-failed-run1")
        killed = events(f"{name}-worker-killed-run1")
        workers = {
            event["workflowTaskCompletedEventAttributes"]["identity"]
            for event in killed
            if "workflowTaskCompletedEventAttributes" in event
        }
        assert len(workers) == 2, f"{name}: no other worker took the run over: {workers}"
        if name not in KILLED_DURING_AN_ACTIVITY:
            continue
        attempts = [
            event["activityTaskStartedEventAttributes"].get("attempt", 1)
            for event in killed
            if "activityTaskStartedEventAttributes" in event
        ]
        assert max(attempts) > 1, f"{name}: no activity was retried after the kill"


def test_queuer_recordings_fan_out_and_report_a_failed_child():
    started = "EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED"
    assert sum(e["eventType"] == started for e in events("QueuerFlow-fan-out-run1")) >= 3
    failed_child = event_types("QueuerFlow-failed-child-run1")
    assert "EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED" in failed_child
    assert "EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED" in failed_child


@workflow.defn(name="ETLFlow")
class ReorderedETLFlow:
    """ETLFlow with one more step in front: not what the recorded runs did."""

    @workflow.run
    async def run(self, input) -> None:
        await workflow.sleep(timedelta(seconds=1))


@workflow.defn(name="QueuerFlow")
class QueuerFlowCheckingFirst(QueuerFlow):
    """QueuerFlow calling one more activity before each resolution."""

    @workflow.run
    async def run(self, input: QueuerInput) -> dict:
        return await super().run(input)

    async def _resolve_page(self, request: QueuerInput) -> None:
        await workflow.execute_activity(
            "queuer.check_roster", start_to_close_timeout=timedelta(seconds=10)
        )
        await super()._resolve_page(request)


@pytest.mark.parametrize(
    ("changed", "recording", "found"),
    [
        (ReorderedETLFlow, "ETLFlow-continue-as-new-run1", "Timer machine"),
        (QueuerFlowCheckingFirst, "QueuerFlow-fan-out-run1", "'queuer.check_roster'"),
    ],
    ids=["ETLFlow", "QueuerFlow"],
)
def test_an_incompatible_change_fails_the_replay(changed: type, recording: str, found: str):
    history = load(HISTORIES / f"{recording}.json")
    with pytest.raises(NondeterminismError, match=found):
        # unsandboxed: the sandbox would re-import this test module, which reads files
        replayer = Replayer(workflows=[changed], workflow_runner=UnsandboxedWorkflowRunner())
        asyncio.run(replayer.replay_workflow(history))
