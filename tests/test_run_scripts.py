"""The starter scripts as a user runs them: run_bugs_wf.py and run_launchpad_queuer.py,
against the simulator, a real Temporal dev server and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest

import run_bugs_wf
import run_launchpad_queuer
from simulator.launchpad import LaunchpadSimulator, preset

START, END = "2024-01-01", "2024-04-01"
KEY_FIELDS = ("event_id", "employee_id", "relation_type", "parent_item_id", "timezone")


@pytest.fixture
def client_env(monkeypatch, temporal_server):
    monkeypatch.setenv("TEMPORAL_HOST", temporal_server.address)


def truth_rows(sim, member, flows):
    rows = []
    for flow in flows:
        for event in sim.ground_truth(member, START, END, flow):
            rows.append(tuple(event[f] for f in KEY_FIELDS))
    return sorted(rows)


def bugs_argv(member, sim, task_queue):
    return [
        "--member", member, "--from", START, "--to", END, "--wait",
        "--service-root", sim.service_root, "--task-queue", task_queue,
    ]  # fmt: skip


def table_rows(database):
    return sorted(tuple(row[f] for f in KEY_FIELDS) for row in database.fetch_events())


def test_run_bugs_wf_waits_and_prints_summary(
    client_env, background_worker, task_queue, settings, database, capsys
):
    background_worker(settings, database)
    with LaunchpadSimulator(preset("small"), page_size=20) as sim:
        argv = bugs_argv("vint-parker", sim, task_queue)
        assert asyncio.run(run_bugs_wf.launch("bugs", argv)) == 0
        out = capsys.readouterr().out
        assert "workflow id: launchpad-bugs-vint-parker-2024-01-01-2024-04-01" in out
        assert "/namespaces/default/workflows/launchpad-bugs-vint-parker" in out
        assert table_rows(database) == truth_rows(sim, "vint-parker", ["bugs"])
        assert f'"extracted": {database.count_events()}' in out


def test_run_bugs_wf_reports_an_unknown_member(
    client_env, background_worker, task_queue, settings, database, capsys
):
    background_worker(settings, database)
    with LaunchpadSimulator(preset("small")) as sim:
        argv = bugs_argv("no-such-person", sim, task_queue)
        assert asyncio.run(run_bugs_wf.launch("bugs", argv)) == 1
    assert "Launchpad has no person or team named 'no-such-person'" in capsys.readouterr().err
    assert database.count_events() == 0


def test_queuer_under_faults_equals_ground_truth_and_never_queues_twice(
    client_env, background_worker, task_queue, settings, database, capsys
):
    background_worker(settings, database)
    flows = list(run_launchpad_queuer.FLOWS)
    with LaunchpadSimulator(
        preset("small"), error_rate=0.10, rate_limit_rate=0.05, retry_after_s=0, fault_seed=7
    ) as sim:
        argv = [
            "--team",
            "sample-team",
            "--from",
            START,
            "--to",
            END,
            "--service-root",
            sim.service_root,
            "--task-queue",
            task_queue,
            "--id-prefix",
            f"{task_queue}-",
            "--wait",
        ]
        assert asyncio.run(run_launchpad_queuer.main(argv)) == 0
        first = capsys.readouterr().out
        participants = len(sim.dataset.actors("sample-team"))
        assert f"queued {participants * 3} new run(s)" in first
        faults = sim.stats()
        assert table_rows(database) == truth_rows(sim, "sample-team", flows)
        before = database.fetch_events()

        assert asyncio.run(run_launchpad_queuer.main(argv)) == 0
        second = capsys.readouterr().out
        assert "queued 0 new run(s)" in second
        assert database.fetch_events() == before
    assert faults["faults"]["503"] > 0 and faults["faults"]["429"] > 0, faults
