"""Reading runs back from Temporal: statuses, waiting for the end, outcomes, histories
(following continue-as-new) and the activities they record; every call waits out a
restarting server.

Also used by ``tests/workers/test_scale_out.py``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from temporalio.api.enums.v1 import TimeoutType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowFailureError
from temporalio.service import RPCError

from models.etl.runs import failure_reason


async def patiently(make_call: Callable[[], Awaitable[Any]], timeout: float = 60.0) -> Any:
    """Await ``make_call()``, retrying while a restarted server is still coming up
    ("Frontend is not healthy yet")."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await make_call()
        except RPCError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def statuses(client: Client, workflow_ids: Iterable[str]) -> dict[str, Any] | None:
    """Status of the latest run of each workflow; None while the server does not answer."""
    found = {}
    try:
        for workflow_id in workflow_ids:
            found[workflow_id] = (await client.get_workflow_handle(workflow_id).describe()).status
    except RPCError:
        return None
    return found


async def wait_closed(
    client: Client,
    workflow_ids: Iterable[str],
    timeout: float,
    tick: Callable[[], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """Wait until no run is RUNNING (server outages are waited out); returns statuses."""
    ids = list(workflow_ids)
    deadline = time.monotonic() + timeout
    last = None
    while True:
        if tick is not None:
            await tick()
        found = await statuses(client, ids)
        if found is not None:
            last = found
            if all(status != WorkflowExecutionStatus.RUNNING for status in found.values()):
                return found
        if time.monotonic() > deadline:
            shown = {k: getattr(v, "name", v) for k, v in (last or {}).items()}
            raise TimeoutError(f"runs not finished after {timeout:.0f}s: {shown}")
        await asyncio.sleep(0.5)


@dataclass(frozen=True)
class Outcome:
    result: dict[str, Any] | None  # the run's summary when it completed
    error: str | None = None  # why it failed otherwise

    @property
    def completed(self) -> bool:
        return self.result is not None


async def outcomes(client: Client, workflow_ids: Iterable[str]) -> dict[str, Outcome]:
    """{workflow id: how its last run ended}."""
    found = {}
    for workflow_id in workflow_ids:
        try:
            handle = client.get_workflow_handle(workflow_id)
            found[workflow_id] = Outcome(await patiently(handle.result))
        except WorkflowFailureError as failure:
            found[workflow_id] = Outcome(None, f"failed: {failure_reason(failure)}")
    return found


@dataclass(frozen=True)
class ActivityStart:
    """One ActivityTaskStarted event: which worker ran the activity's last attempt."""

    workflow_id: str
    activity: str
    attempt: int
    identity: str
    retried_after: str  # the last failure before this attempt ("" for a first attempt)


async def histories(client: Client, runs: dict[str, str]) -> dict[str, list[HistoryEvent]]:
    """{workflow id: events of every run}, following continue-as-new from the first run."""
    found: dict[str, list[HistoryEvent]] = {}
    for workflow_id, run_id in runs.items():
        events: list[HistoryEvent] = []
        while run_id:
            handle = client.get_workflow_handle(workflow_id, run_id=run_id)
            history = await patiently(handle.fetch_history)
            events.extend(history.events)
            last = history.events[-1] if history.events else None
            run_id = None
            if last is not None and last.HasField(
                "workflow_execution_continued_as_new_event_attributes"
            ):
                run_id = (
                    last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
                )
        found[workflow_id] = events
    return found


def activity_completions(
    found: dict[str, list[HistoryEvent]], after: datetime | None = None
) -> list[str]:
    """Identities of the workers that completed activities (after ``after``, if given)."""
    identities = []
    for events in found.values():
        for event in events:
            if not event.HasField("activity_task_completed_event_attributes"):
                continue
            if after is not None and event.event_time.ToDatetime(UTC) <= after:
                continue
            identities.append(event.activity_task_completed_event_attributes.identity)
    return identities


def activity_starts(found: dict[str, list[HistoryEvent]]) -> list[ActivityStart]:
    starts = []
    for workflow_id, events in found.items():
        scheduled = {
            event.event_id: event.activity_task_scheduled_event_attributes.activity_type.name
            for event in events
            if event.HasField("activity_task_scheduled_event_attributes")
        }
        for event in events:
            if not event.HasField("activity_task_started_event_attributes"):
                continue
            attrs = event.activity_task_started_event_attributes
            last_failure = ""
            if attrs.HasField("last_failure"):
                last_failure = attrs.last_failure.message or "failure"
                if attrs.last_failure.HasField("timeout_failure_info"):
                    kind = attrs.last_failure.timeout_failure_info.timeout_type
                    last_failure = TimeoutType.Name(kind).removeprefix("TIMEOUT_TYPE_").lower()
                    last_failure += " timeout"
            starts.append(
                ActivityStart(
                    workflow_id,
                    scheduled.get(attrs.scheduled_event_id, "?"),
                    attrs.attempt,
                    attrs.identity,
                    last_failure,
                )
            )
    return starts
