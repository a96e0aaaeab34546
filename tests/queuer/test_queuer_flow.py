"""QueuerFlow on a real dev server and PostgreSQL, Launchpad simulated."""

from __future__ import annotations

from models.etl.queuer_io import QueuerInput
from tests.queuer.conftest import END, START, TEAM, table_rows, truth_rows


def test_queuer_over_logins_equals_ground_truth(sim, worker_settings, database, run_workflow):
    people = sim.dataset.actors(TEAM)
    request = QueuerInput(
        sources=["launchpad"], logins=people, window_start=START, window_end=END, max_in_flight=4
    )
    result, _ = run_workflow(request, worker_settings, database, workflow="QueuerFlow")
    assert isinstance(result, dict), result
    assert result["failed"] == 0 and result["completed"] == len(people) * 3, result
    assert table_rows(database) == truth_rows(sim, people)
