"""ETLFlow runs with the example roster loaded: roster ids, source_actor, roster time
zones, pseudonyms for everyone else; ``remap`` after a roster change; the key kept secret."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging

import pytest

import scripts.roster as roster_cli
from models.etl.etl_flow_input import ETLFlowInput
from models.roster import RosterStore
from models.roster.file_source import read_roster_file
from simulator import LaunchpadSimulator, preset
from tests.chaos.comparison import compare
from tests.fixtures.temporal import history_text
from tests.identities import as_stored, identity_map
from tests.models.roster.test_import import EXAMPLE_YAML

START, END = "2024-01-01", "2024-04-01"
TEAM = "sample-team"
FLOWS = ("bugs", "merge_proposals", "questions")
KEY = "k3y-Visible-Nowhere-4417"


def flow_input(sim, flow: str) -> ETLFlowInput:
    args = {"member": TEAM, "data_date_start": START, "data_date_end": END}
    return ETLFlowInput(
        "launchpad", f"launchpad-{flow}", {**args, "service_root": sim.service_root}
    )


def load_team(run_workflow, sim, settings, database, flows=FLOWS) -> list[dict]:
    """Run every flow for the team; returns the ground truth of those flows."""
    truth = []
    for flow in flows:
        result, _ = run_workflow(flow_input(sim, flow), settings, database)
        assert result["status"] == "completed", result
        truth += sim.ground_truth(TEAM, START, END, flow)
    return truth


def stored_strings(row: dict) -> str:
    return json.dumps([row["event_properties"], row["relation_properties"]])


@pytest.fixture
def keyed(settings):
    return dataclasses.replace(settings, pseudonym_key=KEY)


def test_a_run_stores_roster_ids_roster_zones_and_no_outside_login(run_workflow, keyed, database):
    RosterStore(database).replace_all(read_roster_file(EXAMPLE_YAML))
    roster_logins = {p.identities.get("launchpad") for p in read_roster_file(EXAMPLE_YAML)}
    dataset = preset("small")
    outsiders = sorted(set(dataset.people) - roster_logins)
    with LaunchpadSimulator(dataset) as sim:
        truth = load_team(run_workflow, sim, keyed, database)
    rows = database.fetch_events()

    comparison = compare(rows, truth, identity_map(keyed, database))
    assert comparison.equal, comparison.describe()

    by_actor = {}
    for row in rows:
        by_actor.setdefault(row["source_actor"], set()).add((row["employee_id"], row["timezone"]))
    assert by_actor["alan-jensen"] == {("E1001", "America/New_York")}
    assert by_actor["bjarne-keller"] == {("E1002", "Europe/Copenhagen")}  # unset on Launchpad
    assert by_actor["leslie-dalton"] == {("E1007", "America/Chicago")}  # overrides Launchpad's
    assert by_actor["ken-fisher"] == {("ken-fisher", "America/New_York")}  # not in the roster
    bjarne = next(r for r in rows if r["source_actor"] == "bjarne-keller")
    assert bjarne["event_time"] != bjarne["event_time_utc"]  # seen in Copenhagen

    leaks = {
        login: row["event_id"]
        for row in rows
        for login in outsiders
        if login in stored_strings(row)
    }
    assert leaks == {}
    everything = " ".join(stored_strings(row) for row in rows)
    assert "anon-" in everything and "E10" in everything
    assert all(r["relation_properties"].get("content") is None for r in rows)  # no bodies

    # the pseudonyms are keyed with PSEUDONYM_KEY: HMAC-SHA256, not a plain hash
    digest = hmac.new(KEY.encode(), b"launchpad\0fernando-parker", hashlib.sha256).hexdigest()
    assert f"anon-{digest[:16]}" in everything


def test_the_key_is_in_no_history_and_no_log(run_workflow, keyed, database, caplog):
    caplog.set_level(logging.DEBUG)
    with LaunchpadSimulator(preset("small")) as sim:
        result, history = run_workflow(flow_input(sim, "merge_proposals"), keyed, database)
    assert result["status"] == "completed" and result["inserted"] > 0
    assert "anon-" in " ".join(stored_strings(r) for r in database.fetch_events())
    text = history_text(history)
    assert TEAM in text  # the search below looks at the right history
    assert KEY not in text
    assert KEY not in caplog.text
    assert KEY not in repr(keyed) and KEY not in repr(identity_map(keyed))


def changed_roster(tmp_path):
    """The example roster with ken-fisher joining (E1013), ivan-garcia's Launchpad
    identity dropped (E1005), and Brian Quinn (E1004) moved to Tokyo."""
    text = EXAMPLE_YAML.read_text()
    text = text.replace(
        "{launchpad: ivan-garcia, github: ivan-garcia-gh}", "{github: ivan-garcia-gh}"
    )
    text = text.replace("Europe/Dublin", "Asia/Tokyo")
    text += (
        "  - employee_id: E1013\n"
        "    name: Ken Fisher\n"
        "    teams: [kernel]\n"
        "    identities: {launchpad: ken-fisher}\n"
    )
    path = tmp_path / "roster.yaml"
    path.write_text(text)
    return path


def test_remap_after_a_roster_change_rewrites_exactly_the_changed_peoples_rows(
    run_workflow, settings, database, tmp_path, monkeypatch, capsys
):
    store = RosterStore(database)
    store.replace_all(read_roster_file(EXAMPLE_YAML))
    with LaunchpadSimulator(preset("small")) as sim:
        truth = load_team(run_workflow, sim, settings, database)
    before = {r["event_id"]: r for r in database.fetch_events()}
    old_view = {e["event_id"]: e for e in as_stored(truth, identity_map(settings, database))}

    assert roster_cli.main(["import", str(changed_roster(tmp_path))], settings) == 0
    out = capsys.readouterr().out
    assert "added E1013" in out and "changed E1004" in out and "changed E1005" in out
    new_view = {e["event_id"]: e for e in as_stored(truth, identity_map(settings, database))}
    should_change = {eid for eid in old_view if old_view[eid] != new_view[eid]}
    assert len(should_change) > 10

    assert roster_cli.main(["remap"], settings) == 0
    out = capsys.readouterr().out
    assert f"{len(before)} rows scanned, {len(should_change)} updated" in out, out
    after = {r["event_id"]: r for r in database.fetch_events()}
    changed = {eid for eid in before if before[eid] != after[eid]}
    assert changed == should_change
    # the same table as a fresh extraction with the new roster would give
    comparison = compare(list(after.values()), truth, identity_map(settings, database))
    assert comparison.equal, comparison.describe()
    ken = [r for r in after.values() if r["source_actor"] == "ken-fisher"]
    assert ken and {r["employee_id"] for r in ken} == {"E1013"}
    ivan = [r for r in after.values() if r["source_actor"] == "ivan-garcia"]
    assert ivan and {r["employee_id"] for r in ivan} == {"ivan-garcia"}

    assert roster_cli.main(["remap"], settings) == 0  # idempotent
    assert ", 0 updated" in capsys.readouterr().out
