"""StreamingETLFlow: one extraction split into chunks, several loading at once.

The ``streaming.plan`` activity validates the input and splits the work into chunks
(item ranges of a partitioned extract method, or one chunk). This workflow keeps up to
``max_chunks_in_flight`` chunk activities (``etl.extract_load``: page by page, heartbeating
the cursor) running; before starting a chunk it asks the worker's memory (a local
activity) and, while it is over the threshold, starts nothing and reports
``phase="backpressure"``. A chunk activity returns at its time budget with a cursor and
is started again from there. Before the history grows large (the server's suggestion, or
``activities_per_run``) it stops starting chunks, lets the running ones return, and
continues-as-new carrying the unfinished chunks' cursors and the totals.

Deterministic workflow code only; events never pass through it. No ``from __future__
import annotations`` in workflow modules (see ``streaming_config``).
"""

import asyncio
import contextlib
from collections import deque
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from models.etl.activities import ETLActivities
    from models.etl.activity_io import ExtractLoadInput, ExtractLoadResult
    from models.etl.policies import EXTRACT_RETRY
    from models.etl.run_labels import current_details, labels_for
    from models.etl.search_attributes import EVENTS, upsert
    from models.etl.streaming_activities import MemoryReading, PlanInput, StreamingActivities
    from models.etl.streaming_config import (
        Chunk,
        StreamingConfig,
        StreamingETLFlowInput,
        StreamingState,
    )

# Planning lists the items (a few searches per actor): transient faults are retried;
# InputError is raised non-retryable.
PLAN_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=8,
)
MEMORY_RETRY = RetryPolicy(maximum_attempts=2)
PLAN_TIMEOUT = timedelta(minutes=30)
CHUNK_TIMEOUT = timedelta(minutes=30)


def range_exhausted(cursor: Any) -> bool:
    """Whether a range cursor has reached its end: nothing is left after ``until``, so
    the chunk is done without another activity to find that out."""
    return (
        isinstance(cursor, dict)
        and cursor.get("until") is not None
        and cursor.get("after") == cursor.get("until")
    )


@workflow.defn(name="StreamingETLFlow")
class StreamingETLFlow:
    queue_name = "streaming-etl-task-queue"

    def __init__(self) -> None:
        self._state = StreamingState()
        self._config = StreamingConfig()
        self._phase = "starting"
        self._threshold: float | None = None  # set_memory_threshold, if signalled
        self._memory: MemoryReading | None = None  # the last reading
        self._waiting: deque[Chunk] = deque()  # chunks to start (or start again)
        self._in_flight: dict[asyncio.Task, Chunk] = {}
        self._wake = False

    # -- the run -------------------------------------------------------------------------

    @workflow.run
    async def run(self, input: StreamingETLFlowInput) -> dict[str, Any]:
        config = self._config = input.config or StreamingConfig()
        flow_input = input.etl_input()
        upsert(labels_for(input.extract_strategy, input.args).updates())
        state = input.resume
        if state is None:
            self._phase = "planning"
            plan = await workflow.execute_activity_method(
                StreamingActivities.plan,
                PlanInput(flow_input, config),
                start_to_close_timeout=PLAN_TIMEOUT,
                heartbeat_timeout=timedelta(seconds=max(config.heartbeat_timeout_seconds, 10)),
                retry_policy=PLAN_RETRY,
                summary=f"validate and plan {input.extract_strategy} in chunks",
            )
            state = StreamingState(
                pending=[Chunk(index, cursor) for index, cursor in enumerate(plan.cursors)],
                chunks_total=len(plan.cursors),
                partitioned=plan.partitioned,
                summary_base=plan.summary_base,
            )
        self._state = state
        if self._threshold is None:
            self._threshold = state.memory_threshold_mb
        self._waiting = deque(state.pending)
        started_here = 0
        self._phase = "streaming"
        while self._waiting or self._in_flight:
            draining = self._time_to_continue(started_here)
            has_slot = len(self._in_flight) < config.max_chunks_in_flight
            if self._waiting and has_slot and not draining:
                if await self._memory_over():
                    self._phase = "backpressure"
                    await self._wait(timeout=config.backpressure_poll_seconds)
                    continue
                self._start(self._waiting.popleft(), flow_input, config)
                started_here += 1
                self._phase = "streaming"
                continue
            if not self._in_flight:
                break  # draining, and everything has come back
            self._phase = "draining" if draining else "streaming"
            await self._wait()
        if self._waiting:
            state.pending = list(self._waiting)
            state.memory_threshold_mb = self._threshold
            state.continued_as_new += 1
            workflow.continue_as_new(
                StreamingETLFlowInput(
                    input.query_type, input.extract_strategy, input.args, config, state
                )
            )
        state.pending = []
        self._phase = "completed"
        upsert([EVENTS.value_set(state.counts.extracted)])
        self._show()
        return self.summary(input)

    def _show(self) -> None:
        """The live details the Web UI shows: phase, chunks, pages and events so far."""
        state = self._state
        chunks = f"{state.chunks_done}/{state.chunks_total} done, {len(self._in_flight)} running"
        workflow.set_current_details(current_details(self._phase, state.counts, {"chunks": chunks}))

    def _time_to_continue(self, started_here: int) -> bool:
        return (
            workflow.info().is_continue_as_new_suggested()
            or started_here >= self._config.activities_per_run
        )

    def _start(self, chunk: Chunk, flow_input, config: StreamingConfig) -> None:
        if chunk.activities == 0:
            self._state.chunks_started += 1
        chunk.activities += 1
        task = asyncio.create_task(
            workflow.execute_activity_method(
                ETLActivities.extract_load,
                ExtractLoadInput(
                    flow_input=flow_input,
                    cursor=chunk.cursor,
                    time_budget_seconds=config.chunk_time_budget_seconds,
                    load_batch_size=config.load_batch_size,
                ),
                start_to_close_timeout=CHUNK_TIMEOUT,
                heartbeat_timeout=timedelta(seconds=config.heartbeat_timeout_seconds),
                retry_policy=EXTRACT_RETRY,
                summary=f"chunk {chunk.index + 1}/{self._state.chunks_total}",
            )
        )
        self._in_flight[task] = chunk
        self._state.peak_in_flight = max(self._state.peak_in_flight, len(self._in_flight))

    async def _wait(self, timeout: float | None = None) -> None:
        """Until a chunk activity returns, a signal arrives, or ``timeout`` passes."""
        tasks = list(self._in_flight)
        with contextlib.suppress(asyncio.TimeoutError):
            await workflow.wait_condition(
                lambda: self._wake or any(task.done() for task in tasks), timeout=timeout
            )
        self._wake = False
        self._collect()

    def _collect(self) -> None:
        """Account for every chunk activity that has returned (in start order)."""
        for task in [task for task in self._in_flight if task.done()]:
            chunk = self._in_flight.pop(task)
            result: ExtractLoadResult = task.result()  # a failed chunk fails the run
            self._state.activities += 1
            self._state.counts.add(result.counts)
            if result.done or range_exhausted(result.cursor):
                self._state.chunks_done += 1
            else:
                # Out of time budget: it goes on from its cursor before any new chunk.
                chunk.cursor = result.cursor
                self._waiting.appendleft(chunk)
            self._show()

    async def _memory_over(self) -> bool:
        threshold = self.memory_threshold_mb
        if threshold <= 0:
            return False
        try:
            self._memory = await workflow.execute_local_activity_method(
                StreamingActivities.memory,
                threshold,
                start_to_close_timeout=timedelta(seconds=10),
                retry_policy=MEMORY_RETRY,
            )
        except ActivityError as exc:
            # Backpressure protects the worker; it is no reason to stop the run.
            workflow.logger.warning("memory check failed, going on: %s", exc)
            return False
        if self._memory.over:
            self._state.backpressure_waits += 1
        return self._memory.over

    # -- signals and queries ---------------------------------------------------------------

    @property
    def memory_threshold_mb(self) -> float:
        if self._threshold is not None:
            return self._threshold
        return self._config.memory_threshold_mb

    @workflow.signal
    def set_memory_threshold(self, threshold_mb: float) -> None:
        """Change the memory threshold of this run (MB; 0 turns backpressure off)."""
        self._threshold = max(0.0, float(threshold_mb))
        self._wake = True

    @workflow.query
    def progress(self) -> dict[str, Any]:
        """Phase, chunks and running totals (pages, items, events extracted/inserted/...)."""
        state = self._state
        memory = self._memory
        return {
            "phase": self._phase,
            **asdict(state.counts),
            "chunks_total": state.chunks_total,
            "chunks_started": state.chunks_started,
            "chunks_done": state.chunks_done,
            "chunks_in_flight": len(self._in_flight),
            "peak_in_flight": state.peak_in_flight,
            "activities": state.activities,
            "continued_as_new": state.continued_as_new,
            "backpressure_waits": state.backpressure_waits,
            "memory_threshold_mb": self.memory_threshold_mb,
            "worker_rss_mb": memory.rss_mb if memory else None,
        }

    def summary(self, input: StreamingETLFlowInput) -> dict[str, Any]:
        state = self._state
        return {
            "status": self._phase,
            "query_type": input.query_type,
            "extract_strategy": input.extract_strategy,
            **state.summary_base,
            **asdict(state.counts),
            "chunks": state.chunks_total,
            "partitioned": state.partitioned,
            "peak_in_flight": state.peak_in_flight,
            "activities": state.activities,
            "continued_as_new": state.continued_as_new,
            "backpressure_waits": state.backpressure_waits,
        }

    @staticmethod
    def get_activities(activities: StreamingActivities) -> list:
        return activities.all()
