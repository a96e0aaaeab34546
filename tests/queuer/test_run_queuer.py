"""run_queuer.py as a user runs it: roster people, a progress bar, a summary per flow."""

from __future__ import annotations

import asyncio

import pytest

import run_queuer
from tests.chaos.comparison import compare
from tests.identities import identity_map
from tests.queuer.conftest import END, START, roster_truth


@pytest.fixture
def client_env(monkeypatch, temporal_server):
    monkeypatch.setenv("TEMPORAL_HOST", temporal_server.address)


def test_run_queuer_waits_and_prints_totals_per_flow(
    client_env, sim, worker_settings, database, roster, background_worker, task_queue, capsys
):
    background_worker(worker_settings, database)
    argv = ["--employees", "E1001,E1002", "--sources", "launchpad", "--flows", "bugs",
            "questions", "--from", START, "--to", END, "--task-queue", task_queue,
            "--id-prefix", f"{task_queue}-", "--wait"]  # fmt: skip
    assert asyncio.run(run_queuer.main(argv)) == 0
    out = capsys.readouterr().out
    assert "queued 4 new run(s); 0 already queued or done" in out
    assert "launchpad  bugs" in out and "launchpad  questions" in out
    people = [p for p in roster if p.employee_id in ("E1001", "E1002")]
    truth = roster_truth(sim, people, flows=("bugs", "questions"))
    comparison = compare(database.fetch_events(), truth, identity_map(worker_settings, database))
    assert comparison.equal, comparison.describe()

    assert asyncio.run(run_queuer.main(argv)) == 0
    assert "queued 0 new run(s); 4 already queued or done" in capsys.readouterr().out


def test_an_unknown_flow_is_named(
    client_env, worker_settings, database, roster, background_worker, task_queue, capsys
):
    background_worker(worker_settings, database)
    argv = ["--all", "--sources", "launchpad", "--flows", "commits", "--from", START,
            "--to", END, "--task-queue", task_queue, "--id-prefix", f"{task_queue}-", "--wait"]  # fmt: skip
    assert asyncio.run(run_queuer.main(argv)) == 1
    err = capsys.readouterr().err
    assert "unknown flow(s) commits for launchpad" in err, err
    assert "launchpad-bugs" in err
