"""Starting ETL runs and following them: what the run_*.py scripts share."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from temporalio.client import (
    Client,
    WorkflowFailureError,
    WorkflowHandle,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ActivityError, WorkflowAlreadyStartedError
from tqdm import tqdm

from models.etl.etl_flow_input import ETLFlowInput
from models.etl.run_labels import run_summary
from models.settings import Settings


def workflow_id_for(flow: str, member: str, start: str, end: str) -> str:
    """A readable id derived from what the run does, so the same run is not queued twice."""
    raw = f"{flow}-{member}-{start}-{end}"
    return re.sub(r"[^A-Za-z0-9_.:+-]", "_", raw)


def ui_link(settings: Settings, workflow_id: str | None = None) -> str:
    """The Web UI page of a workflow, or of the namespace's workflow list."""
    base = settings.temporal_ui.rstrip("/")
    path = f"{base}/namespaces/{quote(settings.temporal_namespace)}/workflows"
    return f"{path}/{quote(workflow_id)}" if workflow_id else path


def failure_reason(failure: BaseException) -> str:
    """Why a run failed, in words a user can act on: the messages along the failure's
    chain of causes, without Temporal's generic wrappers."""
    messages = []
    cause: BaseException | None = failure
    while cause is not None:
        if not isinstance(cause, WorkflowFailureError | ActivityError):
            messages.append(str(cause) or type(cause).__name__)
        cause = getattr(cause, "cause", None)
    return ": ".join(messages) or str(failure)


async def start_or_attach(
    client: Client,
    workflow: str,
    flow_input: ETLFlowInput,
    workflow_id: str,
    task_queue: str,
    id_reuse_policy: WorkflowIDReusePolicy = WorkflowIDReusePolicy.ALLOW_DUPLICATE,
    summary: str | None = None,
) -> tuple[WorkflowHandle, bool]:
    """Start ``workflow``; if a run with this id is already going, attach to it instead.

    Returns the handle and whether a new run was started. By default a finished run with
    the same id may run again (the rerun upserts the same rows, so nothing is
    duplicated); ``REJECT_DUPLICATE`` attaches to the finished run instead. The run gets
    its one-line summary for the Web UI: ``summary``, by default
    ``run_labels.run_summary`` of the input's flow (a ``QueuerInput`` names no single
    flow: run_queuer.py gives ``run_labels.queuer_summary``).
    """
    strategy = getattr(flow_input, "extract_strategy", None)
    if summary is None and strategy:
        summary = run_summary(strategy, flow_input.args)
    try:
        handle = await client.start_workflow(
            workflow,
            flow_input,
            id=workflow_id,
            task_queue=task_queue,
            id_reuse_policy=id_reuse_policy,
            static_summary=summary,
        )
        return handle, True
    except WorkflowAlreadyStartedError:
        return client.get_workflow_handle(workflow_id), False


def show_events(bar: tqdm, state: dict[str, Any]) -> None:
    """Progress of an ETLFlow (its ``progress`` query, or its result): events extracted."""
    bar.n = state.get("extracted", bar.n)
    bar.set_postfix(
        phase=state.get("phase") or state.get("status"),
        items=state.get("items", 0),
        inserted=state.get("inserted", 0),
    )


async def follow(
    handle: WorkflowHandle,
    label: str = "events",
    show: Callable[[tqdm, dict[str, Any]], None] = show_events,
    unit: str = " events",
    poll_seconds: float = 0.5,
) -> Any:
    """Show a progress bar fed by the workflow's ``progress`` query until it ends; ``show``
    puts a progress (or, at the end, the result) on the bar."""
    with tqdm(desc=label, unit=unit, dynamic_ncols=True) as bar:
        result_task = asyncio.ensure_future(handle.result())
        while not result_task.done():
            # A query can fail while the run is between tasks; the next poll will do.
            with contextlib.suppress(Exception):
                show(bar, await handle.query("progress"))
            await asyncio.wait({result_task}, timeout=poll_seconds)
        result = result_task.result()
        show(bar, result)
        bar.refresh()
        return result


async def follow_to_summary(handle: WorkflowHandle, label: str, **follow_options: Any) -> int:
    """Follow a run, then print its summary (exit code 0) or why it failed (1)."""
    try:
        result = await follow(handle, label, **follow_options)
    except WorkflowFailureError as failure:
        print(f"run failed: {failure_reason(failure)}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0
