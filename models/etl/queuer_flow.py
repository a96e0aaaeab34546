"""QueuerFlow: one child ETLFlow per identity × flow of a roster selection, over one window.

Deterministic workflow code only. The ``queuer.resolve`` activity turns the selection into
child runs page by page (windows widened to close gaps, service roots from the worker's
settings); this class starts them with deterministic ids, at most ``max_in_flight`` at
once, records each completed window, answers ``progress`` and continues-as-new after
``children_per_run`` children. Before continuing it lets the children in flight finish
(they belong to this run: a continued run could not await them) and records their
coverage, so the next run starts clean with only the not-yet-started units.

A child that fails is counted with its reason; the others go on. A child whose id already
ran or runs (a rerun of the same window, or a run replayed after a crash) is not started
again: with ``ALLOW_DUPLICATE_FAILED_ONLY`` only a failed one may run again, and
``rerun`` allows any.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey, WorkflowIDReusePolicy
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    ChildWorkflowError,
    WorkflowAlreadyStartedError,
)

with workflow.unsafe.imports_passed_through():
    from models.etl.etl_flow_input import ETLFlowInput
    from models.etl.queuer_activities import QueuerActivities
    from models.etl.queuer_io import (
        CoveredWindow,
        FlowTotals,
        QueuerInput,
        QueuerState,
        RecordCoverageInput,
        ResolveInput,
        WorkUnit,
    )
    from models.etl.queuer_window import iso, parse_duration, parse_moment, scheduled_window
    from models.etl.run_labels import queuer_summary, run_summary

SCHEDULED_START = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
PEOPLE_PER_PAGE = 100
COVERAGE_BATCH = 200  # completed windows recorded per activity call
MAX_FAILURES_LISTED = 200  # beyond this, failures are only counted (results stay small)

# Resolution reads the roster and watermarks: quick, retried a while if PostgreSQL is away.
DB_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=20,
)
DB_TIMEOUT = timedelta(minutes=2)


def failure_reason(failure: BaseException) -> str:
    """The messages along a child's chain of causes, without Temporal's wrappers."""
    messages = []
    cause: BaseException | None = failure
    while cause is not None:
        if not isinstance(cause, ChildWorkflowError | ActivityError):
            messages.append(str(cause) or type(cause).__name__)
        cause = cause.__cause__ or getattr(cause, "cause", None)
    return ": ".join(messages) or str(failure)


@workflow.defn(name="QueuerFlow")
class QueuerFlow:
    queue_name = "etl-task-queue"

    def __init__(self) -> None:
        self._state = QueuerState()
        self._phase = "starting"
        self._in_flight = 0
        self._covered: list[CoveredWindow] = []
        self._children: set[asyncio.Task] = set()
        self._title = ""

    @workflow.run
    async def run(self, input: QueuerInput) -> dict[str, Any]:
        state, request = input.resume, dataclasses.replace(input, resume=None)
        self._state = state = state or self._first_state(request)
        self._title = queuer_summary(request)
        started_here = 0
        while True:
            if not state.pending and not state.exhausted:
                await self._resolve_page(request)
            if not state.pending:
                break
            if started_here >= request.children_per_run or (
                started_here and workflow.info().is_continue_as_new_suggested()
            ):
                await self._drain()
                state.continued_as_new += 1
                workflow.continue_as_new(dataclasses.replace(request, resume=state))
            self._phase = "running"
            await workflow.wait_condition(lambda: self._in_flight < max(1, request.max_in_flight))
            self._start(request, state.pending.pop(0))
            self._show()
            started_here += 1
            if len(self._covered) >= COVERAGE_BATCH:
                await self._record_coverage()
        await self._drain()
        self._phase = "completed"
        self._show()
        return self.summary()

    def _first_state(self, request: QueuerInput) -> QueuerState:
        """The window: the input's, or the one the scheduled time gives."""
        if request.window_start and request.window_end:
            return QueuerState(
                window_start=iso(parse_moment(request.window_start)),
                window_end=iso(parse_moment(request.window_end)),
                widen=request.close_gaps,
            )
        scheduled = workflow.info().typed_search_attributes.get(SCHEDULED_START)
        if scheduled is None:
            raise ApplicationError(
                "no window: give window_start and window_end, or start QueuerFlow from a "
                "schedule (its TemporalScheduledStartTime gives the window)",
                type="InvalidQueryError",
                non_retryable=True,
            )
        start, end = scheduled_window(
            scheduled, parse_duration(request.period), parse_duration(request.overlap)
        )
        late = workflow.now() - scheduled > parse_duration(request.catch_up_window)
        return QueuerState(
            window_start=iso(start), window_end=iso(end), widen=request.close_gaps and not late
        )

    async def _resolve_page(self, request: QueuerInput) -> None:
        state = self._state
        self._phase = "resolving"
        page = await workflow.execute_activity_method(
            QueuerActivities.resolve,
            ResolveInput(
                request=request,
                window_start=state.window_start,
                window_end=state.window_end,
                widen=state.widen,
                after=state.after,
                limit=PEOPLE_PER_PAGE,
            ),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        state.pending = page.units
        state.after = page.next_after
        state.exhausted = page.next_after is None
        state.people += page.people
        for unit in page.units:
            self._totals(unit).units += 1
        self._show()

    def _totals(self, unit: WorkUnit) -> FlowTotals:
        return self._state.totals.setdefault(unit.source, {}).setdefault(unit.flow, FlowTotals())

    def _start(self, request: QueuerInput, unit: WorkUnit) -> None:
        self._in_flight += 1
        task = asyncio.create_task(self._child(request, unit))
        self._children.add(task)
        task.add_done_callback(self._children.discard)

    async def _child(self, request: QueuerInput, unit: WorkUnit) -> None:
        totals = self._totals(unit)
        try:
            handle = await workflow.start_child_workflow(
                "ETLFlow",
                ETLFlowInput(
                    query_type=unit.source,
                    extract_strategy=f"{unit.source}-{unit.flow}",
                    args=unit.args,
                    options=request.options,
                ),
                id=unit.workflow_id,
                task_queue=request.task_queue or workflow.info().task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE
                if request.rerun
                else WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
                parent_close_policy=workflow.ParentClosePolicy.REQUEST_CANCEL,
                # user metadata, not a command attribute: histories without it still replay
                static_summary=run_summary(
                    f"{unit.source}-{unit.flow}", unit.args, unit.employee_id
                ),
            )
        except WorkflowAlreadyStartedError:
            totals.skipped += 1
            self._in_flight -= 1
            self._show()
            return
        totals.started += 1
        try:
            result = await handle
        except ChildWorkflowError as failure:
            totals.failed += 1
            self._fail(unit, failure_reason(failure))
        else:
            totals.completed += 1
            for name in ("extracted", "inserted", "updated"):
                setattr(totals, name, getattr(totals, name) + int(result.get(name, 0)))
            self._covered.append(
                CoveredWindow(
                    source=unit.source,
                    member=unit.member,
                    flow=unit.flow,
                    window_start=unit.window_start,
                    window_end=unit.window_end,
                    employee_id=unit.employee_id,
                    workflow_id=unit.workflow_id,
                )
            )
        finally:
            self._in_flight -= 1
            self._show()

    def _fail(self, unit: WorkUnit, reason: str) -> None:
        if len(self._state.failures) >= MAX_FAILURES_LISTED:
            self._state.failures_omitted += 1
            return
        self._state.failures.append(
            {
                "workflow_id": unit.workflow_id,
                "source": unit.source,
                "flow": unit.flow,
                "member": unit.member,
                "employee_id": unit.employee_id,
                "reason": reason,
            }
        )

    async def _drain(self) -> None:
        """Wait for the children in flight, then record every completed window."""
        self._phase = "draining"
        self._show()
        await workflow.wait_condition(lambda: self._in_flight == 0)
        await self._record_coverage()

    async def _record_coverage(self) -> None:
        batch, self._covered = self._covered, []
        for start in range(0, len(batch), COVERAGE_BATCH):
            await workflow.execute_activity_method(
                QueuerActivities.record_coverage,
                RecordCoverageInput(windows=batch[start : start + COVERAGE_BATCH]),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )

    def _counts(self) -> dict[str, int]:
        flows = [t for per_source in self._state.totals.values() for t in per_source.values()]
        return {
            name: sum(getattr(t, name) for t in flows) for name in FlowTotals.__dataclass_fields__
        }

    def _show(self) -> None:
        """The Web UI's current details: what this queuer is (a run continued-as-new has
        no static summary of its own) and how far it got. Not a command: replay-safe."""
        counts = self._counts()
        done = counts["completed"] + counts["failed"] + counts["skipped"]
        workflow.set_current_details(
            f"{self._title}\n\n**{self._phase}**\n\nruns {done} of {counts['units']} · "
            f"in flight {self._in_flight} · failed {counts['failed']} · "
            f"events {counts['extracted']}"
        )

    def summary(self) -> dict[str, Any]:
        state = self._state
        return {
            "status": self._phase,
            "window": {"start": state.window_start, "end": state.window_end},
            "widened": state.widen,
            "people": state.people,
            **self._counts(),
            "totals": {
                source: {flow: asdict(t) for flow, t in flows.items()}
                for source, flows in state.totals.items()
            },
            "failures": state.failures,
            "failures_omitted": state.failures_omitted,
            "continued_as_new": state.continued_as_new,
        }

    @workflow.query
    def progress(self) -> dict[str, Any]:
        """Phase, window, people resolved, and runs started, skipped, completed, failed,
        in flight, with the events they extracted."""
        return {
            "phase": self._phase,
            "window": {"start": self._state.window_start, "end": self._state.window_end},
            "people": self._state.people,
            **self._counts(),
            "in_flight": self._in_flight,
            "continued_as_new": self._state.continued_as_new,
        }
