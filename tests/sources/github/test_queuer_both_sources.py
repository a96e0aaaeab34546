"""One QueuerFlow over a roster team whose people have Launchpad and GitHub identities:
both sources exact, and one employee id per person across both."""

from __future__ import annotations

import dataclasses

from models.etl.queuer_io import QueuerInput
from models.roster import RosterSelection, RosterStore
from models.roster.file_source import read_roster_file
from models.settings import PROJECT_ROOT
from simulator.github import GithubSimulator
from simulator.launchpad import LaunchpadSimulator, preset
from sources.launchpad import client as lp_client
from sources.launchpad import extraction as lp_extraction
from sources.launchpad import login as lp_login
from tests.sources.github.conftest import END, NO_LIMITS, START, TOKEN

ROSTER = PROJECT_ROOT / "examples" / "roster.yaml"
TEAM = "kernel"
FLOWS = {
    "launchpad": ("bugs", "merge_proposals", "questions"),
    "github": ("issues", "pull_requests", "commits"),
}


def test_one_queuer_over_both_sources(
    settings, database, run_workflow, task_queue, tmp_path, monkeypatch
):
    monkeypatch.setattr(
        lp_client,
        "DEFAULT_OPTIONS",
        lp_client.SessionOptions(launchpadlib_dir=str(tmp_path / "launchpadlib")),
    )
    monkeypatch.setenv("LP_CREDENTIALS_FILE", "")
    lp_login.forget_logins()
    lp_extraction.forget_listings()
    roster = read_roster_file(ROSTER)
    RosterStore(database).replace_all(roster)
    people = [p for p in roster if p.active and TEAM in p.teams]
    with (
        LaunchpadSimulator(preset("small")) as lp,
        GithubSimulator("small", token=TOKEN, **NO_LIMITS) as gh,
    ):
        worker_settings = dataclasses.replace(
            settings,
            lp_web_root=lp.service_root,
            github_api_url=gh.service_root,
            github_owners=tuple(gh.dataset.company_owners),
        )
        request = QueuerInput(
            sources=["launchpad", "github"],
            selection=RosterSelection(team=TEAM),
            window_start=START,
            window_end=END,
            id_prefix=f"{task_queue}-",
        )
        result, _ = run_workflow(request, worker_settings, database, "QueuerFlow")
        sims = {"launchpad": lp, "github": gh}
        expected = {
            (source, event["event_id"], person.employee_id)
            for person in people
            for source, flows in FLOWS.items()
            if person.identities.get(source)
            for flow in flows
            for event in sims[source].ground_truth(person.identities[source], START, END, flow)
        }
    units = sum(len(FLOWS[s]) for p in people for s in FLOWS if p.identities.get(s))
    assert result["failed"] == 0 and result["completed"] == units, result
    rows = database.fetch_events()
    stored = {(row["source_kind_id"], row["event_id"], row["employee_id"]) for row in rows}
    assert stored == expected
    assert {source for source, _, _ in stored} == {"launchpad", "github"}
    # One employee id per person, whichever source the fact came from.
    by_person = {}
    for person in people:
        logins = set(person.identities.values())
        by_person[person.employee_id] = {
            row["employee_id"] for row in rows if row["source_actor"] in logins
        }
    assert all(ids == {employee} for employee, ids in by_person.items() if ids)
    assert sum(1 for ids in by_person.values() if ids) >= 2
