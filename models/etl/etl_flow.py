"""ETLFlow: one run of one extract method for one query, page after page.

Deterministic workflow code only: the activities validate, extract and load; this class
sequences them, keeps the totals, answers the ``progress`` query and continues-as-new
before its history grows large. Events never pass through it.
"""

import dataclasses
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from models.etl.activities import ETLActivities
    from models.etl.activity_io import ExtractLoadInput
    from models.etl.etl_flow_input import ETLFlowInput
    from models.etl.policies import EXTRACT_RETRY, HEARTBEAT_TIMEOUT, PAGE_TIMEOUT, PREPARE_RETRY
    from models.etl.progress import ETLFlowState, RunOptions
    from models.etl.run_labels import current_details, labels_for
    from models.etl.search_attributes import EMPLOYEE, EVENTS, upsert


@workflow.defn(name="ETLFlow")
class ETLFlow:
    queue_name = "etl-task-queue"
    BATCH_SIZE = RunOptions.load_batch_size  # events per database transaction

    def __init__(self) -> None:
        self._state = ETLFlowState()
        self._phase = "starting"

    @workflow.run
    async def run(self, input: ETLFlowInput) -> dict[str, Any]:
        state, input = input.resume, dataclasses.replace(input, resume=None)
        # Labelled before anything can fail, so failed runs are found by member too.
        upsert(labels_for(input.extract_strategy, input.args).updates())
        if state is None:
            self._show("validating")
            prepared = await workflow.execute_activity_method(
                ETLActivities.prepare,
                input,
                # Validation reads no network: if it takes longer, its worker is gone.
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=PREPARE_RETRY,
                summary=f"validate the {input.extract_strategy} input",
            )
            state = ETLFlowState(summary_base=prepared.summary_base)
            if prepared.employees:
                upsert([EMPLOYEE.value_set(prepared.employees)])
        self._state = state
        self._show("extracting")
        options = input.options or RunOptions()
        started_here = state.activities
        while True:
            result = await workflow.execute_activity_method(
                ETLActivities.extract_load,
                ExtractLoadInput(
                    flow_input=input,
                    cursor=state.cursor,
                    time_budget_seconds=options.time_budget_seconds,
                    load_batch_size=options.load_batch_size,
                ),
                start_to_close_timeout=PAGE_TIMEOUT,
                heartbeat_timeout=HEARTBEAT_TIMEOUT,
                retry_policy=EXTRACT_RETRY,
                summary=f"extract and load from page {state.counts.pages + 1}",
            )
            state.cursor = result.cursor
            state.counts.add(result.counts)
            state.activities += 1
            self._show("extracting")
            if result.done:
                break
            if (
                workflow.info().is_continue_as_new_suggested()
                or state.activities - started_here >= options.activities_per_run
            ):
                state.continued_as_new += 1
                workflow.continue_as_new(dataclasses.replace(input, resume=state))
        upsert([EVENTS.value_set(state.counts.extracted)])
        self._show("completed")
        return self.summary(input)

    def _show(self, phase: str) -> None:
        """Set the phase and the live details the Web UI shows for this run."""
        self._phase = phase
        extra = (
            {"continued as new": self._state.continued_as_new}
            if self._state.continued_as_new
            else None
        )
        workflow.set_current_details(current_details(phase, self._state.counts, extra))

    def summary(self, input: ETLFlowInput) -> dict[str, Any]:
        return {
            "status": self._phase,
            "query_type": input.query_type,
            "extract_strategy": input.extract_strategy,
            **self._state.summary_base,
            **asdict(self._state.counts),
            "activities": self._state.activities,
            "continued_as_new": self._state.continued_as_new,
        }

    @workflow.query
    def progress(self) -> dict[str, Any]:
        """Phase and running totals (pages, items, events extracted/inserted/updated)."""
        return {
            "phase": self._phase,
            **asdict(self._state.counts),
            "activities": self._state.activities,
            "continued_as_new": self._state.continued_as_new,
        }

    @staticmethod
    def get_activities(activities: ETLActivities) -> list:
        return activities.all()
