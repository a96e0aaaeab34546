"""GitHub's faults against the simulator: primary and secondary rate limits, 5xx and
latency together, and a team run is still exact; no request is sent into a window the
client knew to be closed."""

from __future__ import annotations

import dataclasses
import time

import pytest

from models import metrics
from simulator.github import GithubSimulator
from sources.github import client
from sources.github.flows import commits, issues, pull_requests
from tests.sources.github.conftest import END, NO_LIMITS, START, TOKEN, by_id, extract

FLOWS = {"issues": issues, "pull_requests": pull_requests, "commits": commits}
LATENCY_MS = 5


def counter(name: str) -> float:
    return sum(
        v
        for (n, labels), v in metrics.snapshot().items()
        if n == name and ("source", "github") in labels
    )


def test_team_run_is_exact_under_rate_limits_5xx_and_latency(make_query):
    faults = dict(
        token=TOKEN,
        latency_ms=LATENCY_MS,
        error_rate=0.05,
        rate_limit_rate=0.02,  # secondary limits, with retry-after
        retry_after_s=1,
        core_limit=60,
        core_window_s=2,
        search_limit=12,
        search_window_s=2,
        fault_seed=7,
    )
    waits, retries = counter("rate_limit_waits"), counter("retries")
    with GithubSimulator("small", **faults) as sim:
        team = sim.dataset.sample_team
        for event_type, flow in FLOWS.items():
            query = make_query(team)
            query.service_root = sim.service_root
            events, _ = extract(flow, query)
            assert by_id(events) == by_id(sim.ground_truth(team, START, END, event_type))
        records = sim.requests()
    kinds = {r.fault for r in records}
    assert {"5xx", "secondary"} <= kinds, "the faults really happened"
    assert counter("rate_limit_waits") > waits and counter("retries") > retries
    # Primary limits: the client never ran a window dry, so none was refused.
    assert not [r for r in records if r.fault == "primary"]
    # A secondary limit closes the window when the simulator decides it; requests
    # already on their way (sent before its answer arrived: one latency, plus the
    # scheduling of eight threads on a busy machine) cannot know. No request came
    # later than that into a closed window.
    on_their_way = LATENCY_MS / 1000 + 0.05
    refusals = [r.at for r in records if r.fault == "secondary" and not r.in_closed_window]
    late = [
        r
        for r in records
        if r.in_closed_window and not any(at <= r.at <= at + on_their_way for at in refusals)
    ]
    assert late == []
    assert all(r.authenticated for r in records)


@pytest.mark.parametrize("status", [403, 429])
def test_primary_limit_answers_are_waited_out(make_query, status):
    # The client has not seen this window yet: a second worker used it up.
    with GithubSimulator(
        "small",
        token=TOKEN,
        core_limit=5,
        core_window_s=2,
        search_limit=3,
        search_window_s=2,
        limit_status=status,
    ) as sim:
        person = sim.dataset.sample_person
        query = make_query(person)
        query.service_root = sim.service_root
        events, _ = extract(issues, query)
        assert by_id(events) == by_id(sim.ground_truth(person, START, END, "issues"))
        assert not sim.closed_window_requests()


def test_answers_slower_than_the_timeout_are_retried(make_query, github_client, monkeypatch):
    monkeypatch.setattr(
        client, "DEFAULT_OPTIONS", dataclasses.replace(github_client, timeout=0.3, attempts=10)
    )
    with GithubSimulator(
        "small", token=TOKEN, slow_rate=0.1, slow_ms=1000, fault_seed=3, **NO_LIMITS
    ) as sim:
        person = sim.dataset.sample_person
        query = make_query(person)
        query.service_root = sim.service_root
        events, _ = extract(pull_requests, query)
        assert by_id(events) == by_id(sim.ground_truth(person, START, END, "pull_requests"))
        time.sleep(1.2)  # the simulator records a slow answer once it has given it
        assert any(r.fault == "slow" for r in sim.requests())
