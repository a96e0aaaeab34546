"""What a run says it is, from its input alone (no server needed)."""

from __future__ import annotations

import doctest
from datetime import UTC, datetime

from models.etl import run_labels
from models.etl.queuer_io import QueuerInput
from models.etl.run_labels import labels_for, queuer_summary, run_summary
from models.roster import RosterSelection


def test_the_module_examples_hold():
    assert doctest.testmod(run_labels).failed == 0


def test_summaries_name_source_flow_subject_and_window():
    assert (
        run_summary(
            "launchpad-merge-proposals",
            {
                "member": "sample-team",
                "data_date_start": "2024-01-01",
                "data_date_end": "2024-04-01",
            },
        )
        == "Launchpad merge proposals · sample-team · 2024-01-01 → 2024-04-01"
    )
    assert (
        run_summary(
            "github-pull-requests",
            {
                "member": "acme/web-team",
                "owners": ["acme", "acme-labs"],
                "data_date_start": "2024-03-04T12:00:00Z",
                "data_date_end": "2024-03-11",
            },
        )
        == "GitHub pull requests · acme/web-team · acme, acme-labs · 2024-03-04 12:00 → 2024-03-11"
    )
    # A run with unreadable input still gets a summary; its prepare step says what is wrong.
    assert run_summary("launchpad-bugs", {"data_date_start": "soon"}) == "Launchpad bugs · ? → ?"


def test_labels_are_the_search_attribute_values():
    labels = labels_for(
        "launchpad-bugs",
        {"member": "vint-parker", "data_date_start": "2024-01-01", "data_date_end": "2024-04-01"},
    )
    assert (labels.source, labels.flow, labels.member) == ("launchpad", "bugs", "vint-parker")
    assert labels.window_start == datetime(2024, 1, 1, tzinfo=UTC)
    assert [update.key.name for update in labels.updates()] == [
        "EtlSource",
        "EtlFlow",
        "EtlMember",
        "EtlWindowStart",
        "EtlWindowEnd",
    ]


def test_a_queuer_child_names_the_employee_and_the_flow_in_words():
    args = {"member": "alan-jensen", "data_date_start": "2024-03-04", "data_date_end": "2024-03-11"}
    assert (
        run_summary("launchpad-merge_proposals", args, "E1001")
        == "Launchpad merge proposals · alan-jensen (E1001) · 2024-03-04 → 2024-03-11"
    )
    # without a roster entry the login is the employee id: said once
    assert run_summary("launchpad-bugs", {**args, "member": "ken-fisher"}, "ken-fisher") == (
        "Launchpad bugs · ken-fisher · 2024-03-04 → 2024-03-11"
    )


def test_queuer_summaries_name_whom_which_sources_and_the_window():
    team = QueuerInput(
        sources=["launchpad", "github"],
        selection=RosterSelection(team="platform"),
        window_start="2024-03-04",
        window_end="2024-03-11",
    )
    assert (
        queuer_summary(team)
        == "Queuer · team platform · launchpad, github · 2024-03-04 → 2024-03-11"
    )
    scheduled = QueuerInput(
        sources=["launchpad"], selection=RosterSelection(all_active=True), flows=["bugs"]
    )
    assert (
        queuer_summary(scheduled) == "Queuer · all active people · launchpad (bugs) · weekly window"
    )
    many = QueuerInput(sources=["github"], logins=["a", "b", "c", "d"], period="1d", overlap="2h")
    assert queuer_summary(many) == "Queuer · 4 people · github · daily window + 2h overlap"
