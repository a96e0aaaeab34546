"""Roster import from YAML and CSV: idempotent, deactivating, refusing bad files whole."""

from __future__ import annotations

import pytest

from models.exceptions import RosterError
from models.roster import Person, RosterSelection, RosterStore
from models.roster.file_source import read_roster_file
from models.settings import PROJECT_ROOT

EXAMPLE_YAML = PROJECT_ROOT / "examples" / "roster.yaml"
EXAMPLE_CSV = PROJECT_ROOT / "examples" / "roster.csv"


@pytest.mark.parametrize("example", [EXAMPLE_YAML, EXAMPLE_CSV], ids=["yaml", "csv"])
def test_import_is_idempotent(database, example):
    store = RosterStore(database)
    first = store.replace_all(read_roster_file(example))
    assert len(first.added) == 13 and not first.changed and not first.deactivated
    again = store.replace_all(read_roster_file(example))
    assert again.empty and again.unchanged == 13
    alan = store.get("E1001")
    assert alan == Person(
        "E1001",
        "Alan Jensen",
        "America/New_York",
        ["kernel", "platform"],
        True,
        {"launchpad": "alan-jensen", "github": "alan-jensen-gh"},
    )
    assert (alan.login("github"), store.get("E1012").login("github")) == ("alan-jensen-gh", None)


def test_yaml_and_csv_examples_hold_the_same_people():
    assert read_roster_file(EXAMPLE_YAML) == read_roster_file(EXAMPLE_CSV)


def test_a_person_missing_from_a_new_import_becomes_inactive(database, tmp_path):
    store = RosterStore(database)
    store.replace_all(read_roster_file(EXAMPLE_YAML))
    smaller = tmp_path / "roster.csv"
    lines = EXAMPLE_CSV.read_text().splitlines()
    smaller.write_text("\n".join(line for line in lines if not line.startswith("E1003")) + "\n")
    changes = store.replace_all(read_roster_file(smaller))
    assert changes.deactivated == ["E1003"] and not changes.added and not changes.changed
    bjarne = store.get("E1003")
    assert bjarne is not None and not bjarne.active  # never deleted
    assert bjarne.identities == {"launchpad": "bjarne-walsh", "github": "bjarne-walsh-gh"}
    active = [p.employee_id for p in store.select(RosterSelection(all_active=True))]
    assert "E1003" not in active and "E1099" not in active and len(active) == 11


def test_changes_are_reported_per_person(database, tmp_path):
    store = RosterStore(database)
    store.replace_all(read_roster_file(EXAMPLE_YAML))
    changed = tmp_path / "roster.csv"
    text = EXAMPLE_CSV.read_text().replace("Europe/Dublin", "Europe/Paris")
    changed.write_text(text.replace("lynn-garcia-gh", "lynn-g"))
    assert store.diff(read_roster_file(changed)).changed == {
        "E1004": ["timezone 'Europe/Dublin' -> 'Europe/Paris'"],
        "E1008": ["github 'lynn-garcia-gh' -> 'lynn-g'"],
    }
    changes = store.replace_all(read_roster_file(changed))
    assert sorted(changes.changed) == ["E1004", "E1008"]
    assert store.get("E1008").identities["github"] == "lynn-g"
    retired = [r for r in store.identities() if r.retired]
    assert [(r.login, r.employee_id) for r in retired] == [("lynn-garcia-gh", "E1008")]


def test_selection_by_team_ids_and_pages(database):
    store = RosterStore(database)
    store.replace_all(read_roster_file(EXAMPLE_YAML))
    kernel = store.select(RosterSelection(team="kernel"))
    assert [p.employee_id for p in kernel] == ["E1001", "E1004", "E1005", "E1008", "E1012"]
    listed = store.select(RosterSelection(employee_ids=["E1002", "E1099", "E7777"]))
    assert [p.employee_id for p in listed] == ["E1002"]  # E1099 is inactive
    assert store.missing(["E1002", "E1099", "E7777"]) == ["E1099", "E7777"]
    pages, after = [], None
    while page := store.select(RosterSelection(all_active=True), after=after, limit=5):
        pages.append([p.employee_id for p in page])
        after = page[-1].employee_id
    assert [len(p) for p in pages] == [5, 5, 2]
    with pytest.raises(RosterError, match="exactly one"):
        store.select(RosterSelection(all_active=True, team="kernel"))


HEADER = "employee_id,name,timezone,teams,active,launchpad\n"
REFUSALS = {
    "bad time zone": (
        "E1,Ann,Europe/London,,true,ann\nE2,Bob,Mars/Olympus,,true,bob\n",
        "roster.csv:3: unknown time zone 'Mars/Olympus'",
    ),
    "duplicate employee id": (
        "E1,Ann,,,true,ann\nE1,Bob,,,true,bob\n",
        "roster.csv:3: duplicate employee_id 'E1' (first at line 2)",
    ),
    "one login claimed by two people": (
        "E1,Ann,,,true,ann\nE2,Bob,,,true,ANN\n",
        "roster.csv:3: launchpad login 'ANN' of E2 is already claimed by E1 (line 2)",
    ),
    "missing employee id": (
        "E1,Ann,,,true,ann\n,Bob,,,true,bob\n",
        "roster.csv:3: missing employee_id",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_bad_csv_is_refused_naming_the_line_and_importing_nothing(database, tmp_path, case):
    rows, message = REFUSALS[case]
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + rows)
    store = RosterStore(database)
    with pytest.raises(RosterError) as refused:
        store.replace_all(read_roster_file(path))
    assert message in str(refused.value)
    assert store.people() == []


def test_unknown_source_kind_is_refused_naming_the_line(database, tmp_path):
    path = tmp_path / "roster.yaml"
    path.write_text(
        "people:\n"
        "  - employee_id: E1\n"
        "    identities: {launchpad: ann}\n"
        "  - employee_id: E2\n"
        "    identities: {myspace: bob}\n"
    )
    with pytest.raises(RosterError, match=r"roster.yaml:4: unknown source kind 'myspace'"):
        read_roster_file(path)
    csv_path = tmp_path / "roster.csv"
    csv_path.write_text("employee_id,myspace\nE1,bob\n")
    with pytest.raises(RosterError, match=r"roster.csv:2: unknown source kind 'myspace'"):
        read_roster_file(csv_path)
    assert RosterStore(database).people() == []
