"""StreamingETLFlow end to end on a real Temporal dev server into a real PostgreSQL.

A small partitioned source defined here (items 1..N, range cursors, a little time per
page) stands in for a real one, so these tests check the scheduler itself: chunks in
flight at once, backpressure, continue-as-new, the seed's simple form, bad input.
The Launchpad flows against the simulator, and a worker killed mid-run, are in
test_streaming_launchpad.py.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowFailureError
from temporalio.worker import Replayer

from models.etl.extract_cmd import ExtractStrategy, Page, extract_method, item_ranges
from models.etl.query import Query, QueryFactory, query_type
from models.etl.streaming_activities import MemoryMonitor
from models.etl.streaming_config import StreamingConfig, StreamingETLFlowInput
from models.etl.streaming_etl_flow import StreamingETLFlow
from models.exceptions import InvalidQueryError
from workers.streaming_etl_worker import StreamingETLWorker


@query_type("test-stream")
class StreamQuery(Query):
    def __init__(self, items: int, per_item: int, page_items: int, page_seconds: float):
        super().__init__("test", "streaming")
        self.items, self.per_item = items, per_item
        self.page_items, self.page_seconds = page_items, page_seconds

    @staticmethod
    def from_dict(data):
        if not isinstance(data.get("items"), int) or data["items"] < 0:
            raise InvalidQueryError(f"items must be a whole number >= 0, got {data.get('items')!r}")
        return StreamQuery(
            data["items"], data.get("per_item", 2), data.get("page_items", 2), data.get("delay", 0)
        )

    def to_summary_base(self):
        return {"items_asked": self.items}


def stream_item_ids(query: StreamQuery) -> list[int]:
    return list(range(1, query.items + 1))


@extract_method(name="test-stream-events", partitions=stream_item_ids)
def stream_events(query: StreamQuery, cursor=None):
    after, until = (cursor or {}).get("after", 0), (cursor or {}).get("until")
    ids = [i for i in stream_item_ids(query) if i > after and (until is None or i <= until)]
    for start in range(0, len(ids), query.page_items):
        page = ids[start : start + query.page_items]
        time.sleep(query.page_seconds)
        events = [
            {
                "event_id": f"test-stream-{item}-{n}",
                "parent_item_id": str(item),
                "relation_type": "streamed",
                "employee_id": f"person{n}",
                "event_time_utc": f"2024-02-{item % 28 + 1:02d}T08:00:00+00:00",
            }
            for item in page
            for n in range(query.per_item)
        ]
        page_cursor = {"after": page[-1]} | ({"until": until} if until is not None else {})
        yield Page(events=events, cursor=page_cursor, stats={"items": len(page)})


@extract_method(name="test-stream-simple")
def simple_events(query: StreamQuery):
    """The seed's form: one list, no cursor."""
    return [
        {
            "event_id": f"test-simple-{item}",
            "relation_type": "listed",
            "employee_id": "someone",
            "event_time_utc": "2024-03-01T00:00:00Z",
        }
        for item in stream_item_ids(query)
    ]


@pytest.fixture(scope="module", autouse=True)
def _unregister():
    yield
    QueryFactory._registry._entries.pop("test-stream", None)
    for name in ("test-stream-events", "test-stream-simple"):
        ExtractStrategy._registry._entries.pop(name, None)


def stream_input(method="test-stream-events", config=None, **args) -> StreamingETLFlowInput:
    args = {"items": 40, "per_item": 2, "page_items": 2, "delay": 0.02, **args}
    return StreamingETLFlowInput("test-stream", method, args, config or StreamingConfig())


def most_at_once(history, activity="etl.extract_load") -> int:
    """The most ``activity`` executions running at the same moment, from the start and
    completion times the server recorded: > 1 means chunks really ran at once."""
    scheduled, started, edges = {}, {}, []
    for event in history.events:
        when = event.event_time.ToDatetime()
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            attrs = event.activity_task_scheduled_event_attributes
            scheduled[event.event_id] = attrs.activity_type.name
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            attrs = event.activity_task_started_event_attributes
            if scheduled.get(attrs.scheduled_event_id) == activity:
                started[attrs.scheduled_event_id] = when
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            attrs = event.activity_task_completed_event_attributes
            if attrs.scheduled_event_id in started:
                edges += [(started[attrs.scheduled_event_id], 1), (when, -1)]
    running = peak = 0
    for _, step in sorted(edges, key=lambda edge: (edge[0], edge[1])):
        running += step
        peak = max(peak, running)
    return peak


@pytest.fixture
def streaming(run_workflow, settings, database):
    """Run a StreamingETLFlow on an in-process worker; ``during(handle)`` runs meanwhile.

    Returns ``(result_or_exception, history_of_the_last_run)``.
    """

    def run(flow_input, during=None):
        return run_workflow(
            flow_input,
            settings,
            database,
            workflow="StreamingETLFlow",
            worker_cls=StreamingETLWorker,
            during=during,
        )

    return run


def replay(history) -> None:
    """Replaying the recorded history must take the same decisions (determinism)."""
    asyncio.run(Replayer(workflows=[StreamingETLFlow]).replay_workflow(history))


async def wait_for(handle, predicate, timeout: float = 20.0) -> dict:
    """Poll the progress query until ``predicate(progress)``; return that progress."""
    deadline = time.monotonic() + timeout
    progress: dict = {}
    while time.monotonic() < deadline:
        try:
            progress = await handle.query("progress")
        except Exception:  # noqa: BLE001 - not answerable before the first workflow task
            progress = {}
        if progress and predicate(progress):
            return progress
        await asyncio.sleep(0.1)
    raise AssertionError(f"progress never matched; last: {progress}")


# -- no services ---------------------------------------------------------------------------


def test_item_ranges_cover_every_id_end_to_end():
    ranges = item_ranges([3, 9, 1, 7, 5], 2)
    assert ranges == [{"after": 0, "until": 3}, {"after": 3, "until": 7}, {"after": 7}]
    assert item_ranges(["b", "a", "c"], 2) == [{"after": "", "until": "b"}, {"after": "b"}]
    assert item_ranges([], 10) == []


def test_partition_hooks_explicit_by_convention_or_none():
    explicit = ExtractStrategy.create("test-stream-events")
    query = StreamQuery(5, 1, 2, 0)
    assert explicit.partition(query, 2) == [
        {"after": 0, "until": 2},
        {"after": 2, "until": 4},
        {"after": 4},
    ]
    # The seed's simple form cannot take a range: one chunk from the beginning.
    assert ExtractStrategy.create("test-stream-simple").partition(query, 2) == [None]
    # The Launchpad flows expose list_item_ids in their modules: found by convention.
    ExtractStrategy._discover_and_import_modules()
    for flow in ("bugs", "merge_proposals", "questions"):
        method = ExtractStrategy.create(f"launchpad-{flow}")
        assert method.partitions is not None and method.partitions.__name__ == "list_item_ids"


def test_config_validation_names_the_knob():
    StreamingConfig().validate()
    with pytest.raises(InvalidQueryError, match="max_chunks_in_flight must be a whole number"):
        StreamingConfig(max_chunks_in_flight=0).validate()
    with pytest.raises(InvalidQueryError, match="memory_threshold_mb must be a number >= 0"):
        StreamingConfig(memory_threshold_mb=-1).validate()


def test_memory_monitor_reads_this_process():
    reading = MemoryMonitor().reading(threshold_mb=1.0)
    assert reading.rss_mb > 10 and reading.over and reading.peak_rss_mb >= reading.rss_mb
    assert not MemoryMonitor().reading(threshold_mb=0).over


# -- on Temporal and PostgreSQL --------------------------------------------------------------


def test_chunks_run_at_once_and_load_everything(streaming, database):
    config = StreamingConfig(chunk_size=5, max_chunks_in_flight=3, memory_threshold_mb=100_000)
    result, history = streaming(stream_input(config=config))
    assert result["status"] == "completed" and result["partitioned"] is True
    assert (result["chunks"], result["items"], result["extracted"]) == (8, 40, 80)
    assert (result["inserted"], result["updated"]) == (80, 0)
    assert database.count_events() == 80
    assert result["peak_in_flight"] == 3
    assert most_at_once(history) > 1
    replay(history)
    # Control data only: no event id in the history, and it stays small.
    text = json.dumps(history.to_json_dict())
    assert "test-stream-7-1" not in text
    assert len(text) < 200_000


def test_the_seed_simple_form_runs_as_one_chunk(streaming, database):
    result, _ = streaming(stream_input("test-stream-simple", items=7))
    assert (result["chunks"], result["partitioned"], result["inserted"]) == (1, False, 7)
    assert database.count_events() == 7


def test_backpressure_holds_new_chunks_until_memory_allows(streaming, database):
    # A threshold below any Python process's RSS: nothing may start.
    config = StreamingConfig(
        chunk_size=10, max_chunks_in_flight=2, memory_threshold_mb=1, backpressure_poll_seconds=0.2
    )
    seen = {}

    async def during(handle):
        held = await wait_for(
            handle, lambda p: p["phase"] == "backpressure" and p["backpressure_waits"] >= 3
        )
        seen["held"] = held
        seen["rows_while_held"] = database.count_events()
        # Memory "falls below" the threshold: raise the threshold over the worker's RSS.
        await handle.signal("set_memory_threshold", held["worker_rss_mb"] + 10_000)
        seen["after"] = await wait_for(handle, lambda p: p["chunks_started"] > 0)

    result, history = streaming(stream_input(config=config, items=20), during=during)
    held = seen["held"]
    assert held["chunks_started"] == 0 and held["chunks_total"] == 2
    assert held["extracted"] == 0 and seen["rows_while_held"] == 0
    assert held["worker_rss_mb"] > held["memory_threshold_mb"] == 1
    assert seen["after"]["phase"] in ("streaming", "completed")
    assert result["status"] == "completed" and result["inserted"] == 40
    assert result["backpressure_waits"] >= 3
    assert database.count_events() == 40
    replay(history)  # memory readings, timers and the signal included


def test_continue_as_new_carries_chunks_and_totals(streaming, database):
    # One page per chunk activity (a tiny time budget), three activities per run. 4 chunks
    # of 3 pages: a bounded range ends with its last page, the open-ended last one takes
    # one more activity to find nothing after it; 13 activities take 5 runs.
    config = StreamingConfig(
        chunk_size=6,
        max_chunks_in_flight=2,
        chunk_time_budget_seconds=1e-6,
        activities_per_run=3,
        memory_threshold_mb=0,
    )
    result, _ = streaming(stream_input(config=config, items=24, delay=0))
    assert result["continued_as_new"] == 4
    assert (result["chunks"], result["activities"], result["pages"]) == (4, 13, 12)
    assert (result["items"], result["extracted"], result["inserted"]) == (24, 48, 48)
    assert database.count_events() == 48


def test_bad_config_fails_fast_without_retries(streaming, database):
    outcome, history = streaming(stream_input(config=StreamingConfig(chunk_size=0)))
    assert isinstance(outcome, WorkflowFailureError)
    assert "chunk_size must be a whole number >= 1" in str(outcome.cause.cause)
    started = [
        e for e in history.events if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
    ]
    assert len(started) == 1
    assert database.count_events() == 0
