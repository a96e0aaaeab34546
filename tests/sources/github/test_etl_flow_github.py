"""The GitHub flows through ETLFlow and StreamingETLFlow: Temporal dev server, worker,
PostgreSQL, the simulator; and a rate-limit window longer than a worker should wait
becomes an activity retry scheduled for its reset."""

from __future__ import annotations

from models.etl.etl_flow_input import ETLFlowInput
from models.etl.streaming_config import StreamingConfig, StreamingETLFlowInput
from simulator.github import GithubSimulator
from sources.github import client
from tests.fixtures.temporal import history_text
from tests.sources.github.conftest import END, NO_LIMITS, START, TOKEN
from workers.streaming_etl_worker import StreamingETLWorker


def stored_ids(database) -> list[tuple]:
    return sorted(
        (row["event_id"], row["relation_type"], row["employee_id"], row["parent_item_id"])
        for row in database.fetch_events()
    )


def truth_ids(truth: list[dict]) -> list[tuple]:
    return sorted(
        (e["event_id"], e["relation_type"], e["employee_id"], e["parent_item_id"]) for e in truth
    )


def args(sim, member: str) -> dict:
    return {
        "member": member,
        "owners": list(sim.dataset.company_owners),
        "data_date_start": START,
        "data_date_end": END,
        "service_root": sim.service_root,
    }


def test_team_pull_requests_through_etlflow_twice(run_workflow, settings, database):
    with GithubSimulator("small", token=TOKEN, **NO_LIMITS) as sim:
        team = sim.dataset.sample_team
        flow_input = ETLFlowInput("github", "github-pull_requests", args(sim, team))
        first, history = run_workflow(flow_input, settings, database)
        truth = sim.ground_truth(team, START, END, "pull_requests")
        assert first["status"] == "completed"
        assert first["inserted"] == len(truth) > 20
        assert stored_ids(database) == truth_ids(truth)
        second, _ = run_workflow(flow_input, settings, database)
        assert (second["inserted"], second["updated"], second["unchanged"]) == (0, 0, len(truth))
        assert sim.stats()["authenticated"] == sim.stats()["total"]
    assert TOKEN not in history_text(history)


def test_team_issues_through_streaming_etlflow(run_workflow, settings, database):
    with GithubSimulator("small", token=TOKEN, **NO_LIMITS) as sim:
        team = sim.dataset.sample_team
        config = StreamingConfig(chunk_size=10, max_chunks_in_flight=3, memory_threshold_mb=0)
        flow_input = StreamingETLFlowInput("github", "github-issues", args(sim, team), config)
        result, _ = run_workflow(
            flow_input,
            settings,
            database,
            workflow="StreamingETLFlow",
            worker_cls=StreamingETLWorker,
        )
        truth = sim.ground_truth(team, START, END, "issues")
        assert result["status"] == "completed" and result["partitioned"] is True
        assert result["chunks"] >= 3
        assert stored_ids(database) == truth_ids(truth)


def test_a_long_closed_window_is_an_activity_retry_at_its_reset(
    run_workflow, settings, database, monkeypatch
):
    # Search windows of 4 s with 2 searches each, and no waiting longer than 0.5 s in a
    # worker thread: every closed window ends the activity, which Temporal retries at
    # the reset; the run still completes exactly, and nothing was sent while closed.
    monkeypatch.setattr(
        client, "DEFAULT_OPTIONS", client.SessionOptions(max_inline_wait=0.5, reset_margin=0.2)
    )
    with GithubSimulator("small", token=TOKEN, search_limit=2, search_window_s=4) as sim:
        person = sim.dataset.sample_person
        flow_input = ETLFlowInput("github", "github-pull_requests", args(sim, person))
        result, history = run_workflow(flow_input, settings, database)
        truth = sim.ground_truth(person, START, END, "pull_requests")
        assert result["status"] == "completed"
        assert stored_ids(database) == truth_ids(truth)
        assert not sim.closed_window_requests()
        searches = [r for r in sim.requests() if r.resource == "search"]
        assert len(searches) > 2  # more than one window was needed
    # The extraction activity was retried (Temporal records the attempt that succeeded).
    attempts = [
        event.activity_task_started_event_attributes.attempt
        for event in history.events
        if event.HasField("activity_task_started_event_attributes")
    ]
    assert max(attempts) > 1
    assert TOKEN not in history_text(history)
