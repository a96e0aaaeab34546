"""The bugs flow through the whole ETLFlow: Temporal dev server, worker, PostgreSQL."""

from __future__ import annotations

from models.etl.etl_flow_input import ETLFlowInput
from models.event import Event
from simulator import LaunchpadSimulator, preset
from tests.identities import as_stored, identity_map

START, END = "2024-01-01", "2024-04-01"


def expected_rows(truth: list[dict], settings) -> list[dict]:
    """Ground-truth events as the table stores them (derived columns included)."""
    rows = []
    for event in as_stored(truth, identity_map(settings)):
        row = Event.from_dict(event)
        rows.append(
            {
                **{k: v for k, v in event.items() if k != "event_time_utc"},
                "event_time_utc": row.event_time_utc.replace(tzinfo=None).isoformat(),
                "week": row.week.isoformat(),
                "event_time": row.event_time.replace(tzinfo=None).isoformat(),
            }
        )
    return sorted(rows, key=lambda r: r["event_id"])


def stored_rows(database) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "id"} for row in database.fetch_events()]


def test_team_bugs_twice_equal_ground_truth_and_change_nothing(run_workflow, settings, database):
    with LaunchpadSimulator(preset("small"), page_size=7) as sim:
        flow_input = ETLFlowInput(
            "launchpad",
            "launchpad-bugs",
            {
                "member": "sample-team",
                "data_date_start": START,
                "data_date_end": END,
                "service_root": sim.service_root,
            },
        )
        first, _ = run_workflow(flow_input, settings, database)
        truth = sim.ground_truth("sample-team", START, END, "bugs")
        assert first["status"] == "completed"
        assert first["inserted"] == len(truth) > 100
        assert stored_rows(database) == expected_rows(truth, settings)
        before = database.fetch_events()

        second, _ = run_workflow(flow_input, settings, database)
        assert (second["inserted"], second["updated"], second["unchanged"]) == (0, 0, len(truth))
        assert database.fetch_events() == before
