"""The ``launchpad-team`` roster source against the simulator: today's behaviour as a
roster (employee id = Launchpad name)."""

from __future__ import annotations

import dataclasses

import scripts.roster as roster_cli
from models.roster import Person, RosterSelection, RosterStore, available_roster_sources
from simulator import LaunchpadSimulator, preset


def test_launchpad_team_roster_source_imports_the_participants(settings, database, capsys):
    assert "launchpad-team" in available_roster_sources()
    dataset = preset("small")
    with LaunchpadSimulator(dataset) as sim:
        settings = dataclasses.replace(settings, lp_web_root=sim.service_root)
        argv = ["import", "--source", "launchpad-team", "team=sample-team"]
        assert roster_cli.main(argv, settings) == 0
        assert roster_cli.main(argv, settings) == 0  # idempotent
    out = capsys.readouterr().out
    participants = sorted(dataset.actors("sample-team"))
    assert f"{len(participants)} added, 0 changed" in out
    assert f"0 added, 0 changed, 0 deactivated, {len(participants)} unchanged" in out
    people = RosterStore(database).select(RosterSelection(team="sample-team"))
    assert people == [
        Person(name, None, None, ["sample-team"], True, {"launchpad": name})
        for name in participants
    ]
