"""GitHub's faults against the simulator: primary and secondary rate limits, 5xx and
latency together, and a team run is still exact; no request is sent into a window once
the answer closing it has been sent; slow answers time out and are retried."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time

import httpx
import pytest

from models import metrics
from models.settings import PROJECT_ROOT
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


def test_team_run_is_exact_under_rate_limits_5xx_and_latency(tmp_path):
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
    out = tmp_path / "events.json"
    with GithubSimulator("small", **faults) as sim:
        team, owners = sim.dataset.sample_team, ",".join(sim.dataset.company_owners)
        run = subprocess.run(
            [sys.executable, "-m", "tests.sources.github.extract_in_process",
             sim.service_root, team, owners, str(out), *FLOWS],
            cwd=PROJECT_ROOT, env={**os.environ, "GITHUB_TOKEN": TOKEN},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-2000:]
        events = json.loads(out.read_text())
        for event_type in FLOWS:
            truth = sim.ground_truth(team, START, END, event_type)
            assert by_id(events[event_type]) == by_id(json.loads(json.dumps(truth)))
        records = sim.requests()
    assert {"5xx", "secondary"} <= {r.fault for r in records}, "the faults really happened"
    # The client never ran a primary window dry: no request was refused by one.
    assert not [r for r in records if r.fault == "primary"]
    # A secondary limit is learnt from its answer: requests already on their way when it
    # left (sent before the client had read it; at most one per client thread) arrive in
    # the closed window within moments (a latency, plus scheduling on a busy machine).
    # None came later in the window (a second), when the client knew.
    refusals = [r.at for r in records if r.fault == "secondary" and not r.in_closed_window]
    on_their_way = LATENCY_MS / 1000 + 0.2
    late = [
        r
        for r in records
        if r.in_closed_window and not any(at <= r.at <= at + on_their_way for at in refusals)
    ]
    assert late == []
    assert all(r.authenticated for r in records)


@pytest.mark.parametrize("status", [403, 429])
def test_primary_limit_answers_are_waited_out(make_query, status):
    with GithubSimulator(
        "small",
        token=TOKEN,
        core_limit=5,
        core_window_s=2,
        search_limit=3,
        search_window_s=2,
        limit_status=status,
    ) as sim:
        # Another worker with the same token has just used up both windows: the first
        # answers this client gets are primary-limit refusals.
        auth = {"Authorization": f"token {TOKEN}"}
        for path in ["/users/octocat"] * 5 + ["/search/issues?q=user:acme"] * 3:
            httpx.get(sim.service_root + path, headers=auth)
        waits = counter("rate_limit_waits")
        person = sim.dataset.sample_person
        query = make_query(person)
        query.service_root = sim.service_root
        events, _ = extract(issues, query)
        assert by_id(events) == by_id(sim.ground_truth(person, START, END, "issues"))
        refused = [r for r in sim.requests() if r.fault == "primary"]
        assert refused and {r.status for r in refused} == {status}
        # Only the first request of each resource met the closed window (the simulator
        # counts it: the other worker had been told); the client waited after that.
        closed = [r.resource for r in sim.closed_window_requests()]
        assert len(closed) == len(set(closed)) <= 2
    assert counter("rate_limit_waits") > waits


def test_answers_slower_than_the_timeout_are_retried(make_query, github_client, monkeypatch):
    monkeypatch.setattr(
        client, "DEFAULT_OPTIONS", dataclasses.replace(github_client, timeout=0.3, attempts=10)
    )
    retries = counter("retries")
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
    assert counter("retries") > retries
