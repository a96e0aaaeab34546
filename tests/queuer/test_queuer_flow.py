"""QueuerFlow on a real dev server and PostgreSQL, Launchpad simulated: the table equals
the ground truth, a rerun starts nothing, a failing child stops no other."""

from __future__ import annotations

import asyncio

from models.etl.queuer_io import QueuerInput
from models.roster import RosterSelection
from tests.chaos.comparison import compare
from tests.identities import identity_map
from tests.queuer.conftest import END, START, TEAM, roster_truth, table_rows, truth_rows


def test_queuer_over_the_roster_equals_ground_truth_and_a_rerun_starts_nothing(
    sim, worker_settings, database, roster, run_workflow, task_queue
):
    request = QueuerInput(
        sources=["launchpad"],
        selection=RosterSelection(all_active=True),
        window_start=START,
        window_end=END,
        id_prefix=f"{task_queue}-",  # child ids are unique per test, as per deployment
        max_in_flight=6,
        children_per_run=10,  # several continue-as-new on the way
    )
    seen = []

    async def watch(handle):
        while True:
            progress = await handle.query("progress")
            seen.append(progress)
            if progress["phase"] == "completed" or progress["in_flight"]:
                return
            await asyncio.sleep(0.05)

    result, _ = run_workflow(request, worker_settings, database, "QueuerFlow", during=watch)
    units = 3 * sum(1 for p in roster if p.identities.get("launchpad"))
    assert result["failed"] == 0 and result["completed"] == units, result
    assert set(result["totals"]["launchpad"]) == {"bugs", "merge_proposals", "questions"}
    assert result["continued_as_new"] >= 2, result
    assert any(p["in_flight"] for p in seen), seen
    comparison = compare(
        database.fetch_events(), roster_truth(sim, roster), identity_map(worker_settings, database)
    )
    assert comparison.equal, comparison.describe()
    rows = database.fetch_events()
    assert {row["employee_id"] for row in rows} >= {"E1001", "E1002"}

    again, _ = run_workflow(request, worker_settings, database, "QueuerFlow")
    assert again["started"] == 0 and again["skipped"] == units, again
    assert database.fetch_events() == rows


def test_a_failing_child_is_reported_and_the_others_finish(
    sim, worker_settings, database, run_workflow, task_queue
):
    people = sim.dataset.actors(TEAM)[:3]
    request = QueuerInput(
        sources=["launchpad"],
        logins=[*people, "no-such-person"],
        flows=["bugs"],
        window_start=START,
        window_end=END,
        id_prefix=f"{task_queue}-",
    )
    result, _ = run_workflow(request, worker_settings, database, "QueuerFlow")
    assert result["completed"] == 3 and result["failed"] == 1, result
    (failure,) = result["failures"]
    assert failure["member"] == "no-such-person" and failure["flow"] == "bugs"
    assert "Launchpad has no person or team named 'no-such-person'" in failure["reason"]
    assert table_rows(database) == truth_rows(sim, people, flows=["bugs"])
