"""Politeness over a whole fan-out: the requests one worker has in flight to Launchpad,
summed over every run, never exceed LP_MAX_CONCURRENCY."""

from __future__ import annotations

import dataclasses

from models.etl.queuer_io import QueuerInput
from simulator.launchpad import LaunchpadSimulator, preset
from tests.queuer.conftest import END, START, table_rows, truth_rows

BUDGET = 3


def test_a_queuer_over_a_dozen_people_stays_within_the_workers_budget(
    worker_settings, database, run_workflow, task_queue, monkeypatch
):
    # Launchpad sessions read the worker's settings from its environment, as worker.py has it.
    monkeypatch.setenv("LP_MAX_CONCURRENCY", str(BUDGET))
    dataset = preset("small")
    people = sorted(dataset.people)[:12]
    # Latency keeps requests open long enough to overlap: 12 runs at once, 8 activity
    # slots with 3 threads each, would put up to 24 requests in flight without the budget.
    with LaunchpadSimulator(dataset, latency_ms=15) as sim:
        settings = dataclasses.replace(
            worker_settings, lp_web_root=sim.service_root, lp_max_concurrency=BUDGET
        )
        request = QueuerInput(
            sources=["launchpad"],
            logins=people,
            window_start=START,
            window_end=END,
            id_prefix=f"{task_queue}-",
            max_in_flight=12,
        )
        result, _ = run_workflow(request, settings, database, "QueuerFlow")
        stats = sim.stats()
        assert result["completed"] == 36 and result["failed"] == 0, result
        assert table_rows(database) == truth_rows(sim, people)
    assert 1 < stats["in_flight_peak"] <= BUDGET, stats
