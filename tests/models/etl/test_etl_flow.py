"""ETLFlow end to end on a real Temporal dev server into a real PostgreSQL.

A tiny paged source defined here stands in for a real one, so these tests check the
workflow machinery itself: pages, cursors, progress, rerun idempotence and bad input.
"""

from __future__ import annotations

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowFailureError

from models.etl.etl_flow_input import ETLFlowInput
from models.etl.extract_cmd import ExtractStrategy, Page, extract_method
from models.etl.progress import RunOptions
from models.etl.query import Query, QueryFactory, query_type
from models.exceptions import InvalidQueryError
from tests.fixtures.temporal import history_text


@query_type("test-counter")
class CounterQuery(Query):
    def __init__(self, people: int, pages: int):
        super().__init__("test", "counting")
        self.people, self.pages = people, pages

    @staticmethod
    def from_dict(data):
        if not isinstance(data.get("pages"), int) or data["pages"] < 0:
            raise InvalidQueryError(f"pages must be a whole number >= 0, got {data.get('pages')!r}")
        return CounterQuery(data.get("people", 2), data["pages"])

    def to_summary_base(self):
        return {"pages_asked": self.pages}


@extract_method(name="test-counter-events")
def counter_events(query: CounterQuery, cursor=None):
    for page in range(cursor or 0, query.pages):
        events = [
            {
                "event_id": f"test-{page}-{person}",
                "parent_item_id": f"item:{page}",
                "relation_type": "counted",
                "employee_id": f"person{person}",
                "event_time_utc": f"2024-01-{page % 28 + 1:02d}T12:00:00+00:00",
            }
            for person in range(query.people)
        ]
        yield Page(events=events, cursor=page + 1, stats={"items": 1})


@pytest.fixture(scope="module", autouse=True)
def _unregister():
    yield
    QueryFactory._registry._entries.pop("test-counter", None)
    ExtractStrategy._registry._entries.pop("test-counter-events", None)


def counter_input(**args):
    return ETLFlowInput("test-counter", "test-counter-events", {"pages": 5, **args})


def activity_attempts(history) -> int:
    return sum(
        1 for e in history.events if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
    )


def test_flow_loads_every_page_and_reports_totals(run_workflow, settings, database):
    result, history = run_workflow(counter_input(people=3), settings, database)
    assert result["status"] == "completed"
    assert (result["pages"], result["extracted"], result["inserted"]) == (5, 15, 15)
    assert result["pages_asked"] == 5
    assert database.count_events() == 15
    rows = database.fetch_events(event_id="test-4-2")
    assert rows[0]["employee_id"] == "person2" and rows[0]["event_type"] == "counting"
    # Bulk data stays out of the history: no event id appears in it.
    text = history_text(history)
    assert "pages_asked" in text  # the search looks into the decoded payloads
    assert "test-4-2" not in text


def test_rerun_leaves_the_table_unchanged(run_workflow, settings, database):
    run_workflow(counter_input(), settings, database)
    before = database.fetch_events()
    result, _ = run_workflow(counter_input(), settings, database)
    assert (result["inserted"], result["updated"], result["unchanged"]) == (0, 0, 10)
    assert database.fetch_events() == before


def test_continue_as_new_carries_cursor_and_totals(run_workflow, settings, database):
    flow_input = counter_input(pages=7)
    # One page per activity, two activities per run: 7 pages take 4 runs.
    flow_input.options = RunOptions(time_budget_seconds=1e-6, activities_per_run=2)
    result, _ = run_workflow(flow_input, settings, database)
    assert result["continued_as_new"] == 3
    assert (result["pages"], result["extracted"]) == (7, 14)
    assert database.count_events() == 14


@pytest.mark.parametrize(
    "flow_input, message",
    [
        (ETLFlowInput("gitlab", "test-counter-events", {}), "unknown query_type 'gitlab'"),
        (ETLFlowInput("test-counter", "nope", {"pages": 1}), "unknown extract_method 'nope'"),
        (counter_input(pages=-1), "pages must be a whole number"),
        (ETLFlowInput("", "test-counter-events", {}), "query_type must be a non-empty string"),
    ],
)
def test_bad_input_fails_fast_without_retries(
    run_workflow, settings, database, flow_input, message
):
    outcome, history = run_workflow(flow_input, settings, database)
    assert isinstance(outcome, WorkflowFailureError)
    assert message in str(outcome.cause.cause)
    assert activity_attempts(history) == 1
    assert database.count_events() == 0
