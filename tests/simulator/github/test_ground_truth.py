"""Ground truth follows the contract on the hard cases, and is deterministic."""

from __future__ import annotations

from collections import Counter

import pytest

from simulator.github import EVENT_TYPES, UnknownMember, ground_truth, preset
from simulator.github.generation.people import github_login
from simulator.launchpad import preset as launchpad_preset

WINDOW = ("2024-01-01", "2024-04-01")


def rows(ds, member, event_type, owners=("acme", "acme-labs"), window=WINDOW):
    return ground_truth(ds, member, *window, event_type, owners)


def of(ds, case, all_rows):
    return [r for r in all_rows if r["parent_item_id"] == ds.hard_cases[case]]


def test_window_edges(small):
    edges = of(small, "edges", rows(small, small.sample_person, "issues"))
    times = [r["event_time_utc"] for r in edges]
    assert times == [
        "2024-01-01T00:00:00+00:00",
        "2024-01-01T01:00:00+00:00",
        "2024-03-31T23:59:59+00:00",
    ]
    assert [r["relation_type"] for r in edges] == ["commented", "labels_changed", "commented"]
    created = of(small, "created_at_start", rows(small, small.sample_person, "issues"))
    assert [(r["relation_type"], r["event_time_utc"]) for r in created] == [
        ("created", "2024-01-01T00:00:00+00:00")
    ]


def test_pull_request_cases(small):
    person = small.sample_person.lower()
    team_rows = rows(small, small.sample_team, "pull_requests")
    pending = of(small, "pending_review", team_rows)
    kinds = Counter((r["employee_id"], r["relation_type"]) for r in pending)
    nested = small.hard_cases["nested_member"].lower()
    # P: one submitted review with one comment; the pending review's 2 comments are not rows.
    assert kinds == {
        (person, "reviewed"): 1,
        (person, "review_commented"): 1,
        (nested, "reviewed"): 1,
    }
    dismissed = [r for r in pending if r["employee_id"] == nested]
    assert dismissed[0]["relation_properties"]["state"] == "dismissed"
    merged = of(small, "merged", team_rows)
    relations = Counter(r["relation_type"] for r in merged)
    assert relations["merged"] == 1 and relations["closed"] == 1
    assert relations["review_requested"] == 2 and relations["changed"] == 7
    merge_time = {r["event_time_utc"] for r in merged if r["relation_type"] in ("merged", "closed")}
    assert len(merge_time) == 1
    assert not [r for r in merged if r["relation_properties"].get("event") == "committed"]


def test_not_emitted_other_owners_gone_and_outsiders(small):
    person_rows = rows(small, small.sample_person, "issues")
    parents = {r["parent_item_id"] for r in person_rows}
    for case in ("not_emitted", "other_owner", "user_repo", "deleted", "made_private"):
        assert small.hard_cases[case] not in parents, case
    theirs = of(small, "outsiders_on_member_item", rows(small, "outsider-1", "issues"))
    assert theirs  # outsiders do act on it ...
    assert not of(small, "outsiders_on_member_item", person_rows)  # ... P did nothing in the window
    other = rows(small, small.sample_person, "issues", owners=["other-corp"])
    assert {r["parent_item_id"] for r in other} == {small.hard_cases["other_owner"]}


def test_commit_edges_and_unlinked(small):
    person_rows = rows(small, small.sample_person, "commits")
    keys = {r["parent_item_id"] for r in person_rows}
    included = ("commit_at_start", "commit_local_date_before_start", "commit_just_before_end")
    excluded = ("commit_utc_before_start", "commit_at_end", "commit_unlinked", "commit_other_owner")
    assert all(small.hard_cases[c] in keys for c in included)
    assert not any(small.hard_cases[c] in keys for c in excluded)
    row = next(r for r in person_rows if r["parent_item_id"] == small.hard_cases["commit_at_start"])
    assert row["event_id"] == "github-" + row["parent_item_id"].replace(":", "-", 1)
    assert row["employee_id"] == small.sample_person.lower() != small.sample_person


def test_team_is_its_members_and_descendants(small):
    team_rows = rows(small, small.sample_team, "issues")
    people = {r["employee_id"] for r in team_rows}
    assert small.hard_cases["nested_member"].lower() in people
    assert people <= small.people(small.sample_team)
    assert not any(p.startswith("outsider") for p in people)
    # sample-team is a child of docs-team: the parent's rows include the child's.
    parent_rows = rows(small, "acme/docs-team", "issues")
    assert {r["event_id"] for r in team_rows} < {r["event_id"] for r in parent_rows}


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_rows_are_unique_sorted_and_well_formed(small, event_type):
    team_rows = rows(small, small.sample_team, event_type)
    ids = [r["event_id"] for r in team_rows]
    assert len(ids) == len(set(ids)) > 0
    assert team_rows == sorted(team_rows, key=lambda r: (r["event_time_utc"], r["event_id"]))
    for r in team_rows:
        assert r["source_kind_id"] == "github" and r["event_type"] == event_type
        assert r["employee_id"] == r["employee_id"].lower()
        assert r["parent_item_id"] == r["parent_item_id"].lower()
        assert r["event_id"].startswith("github-" + r["parent_item_id"].replace(":", "-", 1))
        assert WINDOW[0] <= r["event_time_utc"][:10] < WINDOW[1]


def test_deterministic_and_seeded():
    assert rows(preset("small"), "acme/sample-team", "issues") == rows(
        preset("small", seed=1), "acme/sample-team", "issues"
    )
    other = preset("small", seed=2)
    assert rows(other, other.sample_team, "issues") != rows(
        preset("small"), "acme/sample-team", "issues"
    )


def test_unknown_member_and_event_type(small):
    with pytest.raises(UnknownMember):
        rows(small, "no-such-login", "issues")
    with pytest.raises(UnknownMember):
        rows(small, "acme/no-such-team", "issues")
    with pytest.raises(ValueError):
        rows(small, small.sample_person, "bugs")


def test_logins_are_the_launchpad_people(small):
    people = launchpad_preset("small")
    for index, name in enumerate(sorted(people.people)):
        login = github_login(name, index)
        assert login.lower() == f"{name}-gh" and small.user(login.lower()).login == login
    assert small.sample_person.lower() == f"{people.sample_person}-gh"
