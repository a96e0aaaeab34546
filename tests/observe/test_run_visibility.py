"""Runs a user can find and read in the Web UI: search attributes, summaries, details.

Runs are started the way run_bugs_wf.py starts them (``start_or_attach``) against the
Launchpad simulator; the Web UI's list filters from the README are run through
``list_workflows`` exactly as written, and what the run says about itself is read back
the way the Web UI reads it (describe, the history's user metadata, the metadata query).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import uuid
from datetime import UTC, datetime

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError

from models.etl import search_attributes as attrs
from models.etl.etl_flow_input import ETLFlowInput
from models.etl.progress import RunOptions
from models.etl.runs import start_or_attach
from models.roster.file_source import read_roster_file
from models.roster.store import RosterStore
from models.settings import PROJECT_ROOT
from simulator.launchpad import LaunchpadSimulator, preset

START, END = "2024-01-01", "2024-04-01"
GOOD, UNKNOWN = "vint-parker", "no-such-person"
KNOWN = "alan-jensen"  # E1001 in examples/roster.yaml; vint-parker is not in it

# The README's filters ("Seeing runs, metrics and reports"), verbatim.
README_FILTERS = {
    'EtlMember = "vint-parker" AND ExecutionStatus = "Completed"': {GOOD},
    'EtlMember = "no-such-person" AND ExecutionStatus = "Failed"': {UNKNOWN},
    'EtlSource = "launchpad" AND EtlFlow = "bugs"': {GOOD, UNKNOWN, KNOWN},
    "EtlEvents > 0": {GOOD, KNOWN},
    'EtlWindowStart >= "2024-01-01T00:00:00Z" AND EtlWindowEnd < "2024-04-02T00:00:00Z"': {
        GOOD,
        UNKNOWN,
        KNOWN,
    },
    'EtlEmployee = "E1001"': {KNOWN},
}


def bugs_input(member: str, service_root: str) -> ETLFlowInput:
    return ETLFlowInput(
        query_type="launchpad",
        extract_strategy="launchpad-bugs",
        args={
            "member": member,
            "data_date_start": START,
            "data_date_end": END,
            "service_root": service_root,
        },
    )


def payload_text(payload) -> str:
    return json.loads(payload.data) if payload and payload.data else ""


async def listed(client: Client, query: str, ours: dict[str, str]) -> set[str]:
    """Which of our runs (id -> member) ``query`` lists."""
    found = set()
    async for execution in client.list_workflows(query):
        if execution.id in ours:
            found.add(ours[execution.id])
    return found


@pytest.fixture
def finished_runs(temporal_server, background_worker, task_queue, settings, database):
    """Two completed bug runs (one of a person the roster knows) and a failed one, started
    as run_bugs_wf.py starts them."""
    RosterStore(database).replace_all(read_roster_file(PROJECT_ROOT / "examples/roster.yaml"))
    background_worker(settings, database)

    async def go(service_root):
        client = await Client.connect(temporal_server.address)
        handles = {}
        for member in (GOOD, UNKNOWN, KNOWN):
            handle, _ = await start_or_attach(
                client,
                "ETLFlow",
                bugs_input(member, service_root),
                f"vis-{member}-{uuid.uuid4().hex[:8]}",
                task_queue,
            )
            handles[member] = handle
        for handle in handles.values():
            with contextlib.suppress(WorkflowFailureError):  # one of them fails on purpose
                await handle.result()
        return handles

    with LaunchpadSimulator(preset("small")) as sim:
        return asyncio.run(go(sim.service_root))


def test_readme_filters_list_the_expected_runs(temporal_server, finished_runs, database):
    ours = {handle.id: member for member, handle in finished_runs.items()}

    async def check():
        client = await Client.connect(temporal_server.address)
        # Visibility is eventually consistent: give the index a few seconds.
        deadline = time.monotonic() + 20
        while True:
            results = {q: await listed(client, q, ours) for q in README_FILTERS}
            if results == README_FILTERS or time.monotonic() > deadline:
                return results, await finished_runs[GOOD].describe()

    results, described = asyncio.run(check())
    for query in README_FILTERS:
        print(f"filter {query!r} -> {sorted(results[query])}")
    assert results == README_FILTERS
    typed = described.typed_search_attributes
    assert typed.get(attrs.SOURCE) == "launchpad"
    assert typed.get(attrs.FLOW) == "bugs"
    assert typed.get(attrs.MEMBER) == GOOD
    assert typed.get(attrs.WINDOW_START) == datetime(2024, 1, 1, tzinfo=UTC)
    assert typed.get(attrs.WINDOW_END) == datetime(2024, 4, 1, tzinfo=UTC)
    assert typed.get(attrs.EVENTS) == database.count_events(employee_id=GOOD) > 0
    assert typed.get(attrs.EMPLOYEE) is None  # not in the roster
    known = asyncio.run(finished_runs[KNOWN].describe()).typed_search_attributes
    assert known.get(attrs.EMPLOYEE) == ["E1001"]


def test_runs_and_activities_say_what_they_are(temporal_server, finished_runs, database):
    handle = finished_runs[GOOD]

    async def read():
        described = await handle.describe()
        history = await handle.fetch_history()
        metadata = await handle.query("__temporal_workflow_metadata")
        return await described.static_summary(), history, metadata

    summary, history, metadata = asyncio.run(read())
    assert summary == "Launchpad bugs · vint-parker · 2024-01-01 → 2024-04-01"
    activity_summaries = [
        payload_text(event.user_metadata.summary)
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]
    assert activity_summaries[0] == "validate the launchpad-bugs input"
    assert activity_summaries[1] == "extract and load from page 1"
    assert all(activity_summaries), activity_summaries
    details = metadata.current_details  # what the Web UI shows as the run's details
    events = database.count_events(employee_id=GOOD)
    assert "**completed**" in details
    assert f"events {events}: {events} inserted, 0 updated" in details


def test_a_running_workflow_shows_its_progress_as_current_details(
    temporal_server, background_worker, task_queue, settings, database
):
    background_worker(settings, database)
    flow_input = bugs_input("sample-team", "")
    # Small pages, slow answers and a short time budget: many activities, seen one by one.
    flow_input.options = RunOptions(time_budget_seconds=0.2)

    async def watch(service_root):
        flow_input.args["service_root"] = service_root
        client = await Client.connect(temporal_server.address)
        handle, _ = await start_or_attach(
            client, "ETLFlow", flow_input, f"live-{uuid.uuid4().hex[:8]}", task_queue
        )
        seen = []
        result = asyncio.ensure_future(handle.result())
        while not result.done():
            with contextlib.suppress(Exception):  # no workflow task has run yet
                seen.append((await handle.query("__temporal_workflow_metadata")).current_details)
            await asyncio.wait({result}, timeout=0.2)
        return seen, result.result()

    with LaunchpadSimulator(preset("small"), page_size=10, latency_ms=20) as sim:
        seen, summary = asyncio.run(watch(sim.service_root))
    running = [details for details in seen if details.startswith("**extracting**")]
    print("\n---\n".join(running[:3]))
    assert len(set(running)) >= 2, "the details did not change while the run went on"
    pages = [int(re.search(r"pages (\d+)", details)[1]) for details in running]
    assert pages == sorted(pages) and 0 < max(pages) <= summary["pages"]
