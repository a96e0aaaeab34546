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

from tests.replay.scenarios import WORKFLOWS

HISTORIES = Path(__file__).resolve().parent / "histories"
RECORDED = sorted(HISTORIES.glob("*.json"))


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


def test_every_workflow_type_and_scenario_has_a_recording():
    names = {path.stem.rsplit("-run", 1)[0] for path in RECORDED}
    wanted = {f"{name}-{scenario}" for name, rec in WORKFLOWS.items() for scenario in rec.scenarios}
    missing = wanted - names
    assert not missing, f"record them: python -m tests.replay.record  (missing {sorted(missing)})"


def test_recordings_cover_continue_as_new_failure_and_a_retry_after_a_killed_worker():
    text = {path.stem: path.read_text() for path in RECORDED}
    for name in WORKFLOWS:
        assert "CONTINUED_AS_NEW" in text[f"{name}-continue-as-new-run1"]
        assert "WORKFLOW_EXECUTION_FAILED" in text[f"{name}-failed-run1"]
        killed = json.loads(text[f"{name}-worker-killed-run1"])["events"]
        attempts = [
            event["activityTaskStartedEventAttributes"].get("attempt", 1)
            for event in killed
            if "activityTaskStartedEventAttributes" in event
        ]
        assert max(attempts) > 1, f"{name}: no activity was retried after the kill"


@workflow.defn(name="ETLFlow")
class ReorderedETLFlow:
    """ETLFlow with one more step in front: not what the recorded runs did."""

    @workflow.run
    async def run(self, input) -> None:
        await workflow.sleep(timedelta(seconds=1))


def test_an_incompatible_change_fails_the_replay():
    history = load(HISTORIES / "ETLFlow-continue-as-new-run1.json")
    with pytest.raises(NondeterminismError):
        # unsandboxed: the sandbox would re-import this test module, which reads files
        replayer = Replayer(
            workflows=[ReorderedETLFlow], workflow_runner=UnsandboxedWorkflowRunner()
        )
        asyncio.run(replayer.replay_workflow(history))
