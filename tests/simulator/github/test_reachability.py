"""The contract's searches and reads, done over HTTP by an independent reference client,
yield exactly the simulator's ground truth: for a person, a team, other owners, and a
search above the 1,000-result cap that must be split."""

from __future__ import annotations

from datetime import date

import pytest

from simulator.github import KEY_COLUMNS, GithubSimulator, preset
from simulator.timeutil import parse_instant
from tests.simulator.github.conftest import GENEROUS, TOKEN
from tests.simulator.github.reference_flow import ReferenceClient, extract

START, END = parse_instant("2024-01-01"), parse_instant("2024-04-01")
TODAY = date(2026, 1, 1)


def keys(rows: list[dict]) -> list[tuple]:
    return [tuple(row[c] for c in KEY_COLUMNS) for row in rows]


@pytest.mark.parametrize("event_type", ["issues", "pull_requests", "commits"])
@pytest.mark.parametrize("member", ["acme/sample-team", "sample_person"])
def test_reference_extraction_equals_ground_truth(sim, small, member, event_type):
    member = small.sample_person if member == "sample_person" else member
    client = ReferenceClient(sim.service_root, TOKEN)
    try:
        got = extract(client, member, ["acme", "acme-labs"], START, END, event_type, TODAY)
    finally:
        client.close()
    expected = keys(sim.ground_truth(member, START, END, event_type, ["acme", "acme-labs"]))
    assert got == expected
    assert expected  # the data exercises the flow


def test_other_owners_scope(sim, small):
    client = ReferenceClient(sim.service_root, TOKEN)
    try:
        got = extract(client, small.sample_person, ["other-corp"], START, END, "issues", TODAY)
    finally:
        client.close()
    expected = keys(sim.ground_truth(small.sample_person, START, END, "issues", ["other-corp"]))
    assert got == expected
    assert {row[1] for row in got} >= {small.hard_cases["other_owner"]}


@pytest.mark.parametrize(
    ("member", "event_type"),
    [("cap_person", "issues"), ("cap_person", "commits"), ("cap_team", "pull_requests")],
)
def test_search_above_the_cap_split_until_complete(member, event_type):
    dataset = preset("cap")
    person = dataset.hard_cases[member]
    with GithubSimulator(dataset, **GENEROUS) as sim:
        client = ReferenceClient(sim.service_root, TOKEN)
        try:
            got = extract(client, person, ["acme"], START, END, event_type, TODAY)
        finally:
            client.close()
        searches = [r for r in sim.requests() if r.resource == "search"]
        expected = keys(sim.ground_truth(person, START, END, event_type, ["acme"]))
    assert len(expected) > 1000
    assert got == expected
    assert all(r.status == 200 for r in searches)  # never a page past the cap
