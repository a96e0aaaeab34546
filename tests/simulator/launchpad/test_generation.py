"""The generator: deterministic, fast, and the hard cases are really there."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from simulator.launchpad import Dataset, preset
from simulator.launchpad.vocab import MERGE_PROPOSAL_STATUSES, QUESTION_ACTIONS, REDACTED


def _fingerprint(ds: Dataset) -> tuple:
    return (
        sorted(ds.people),
        {t: list(team.members) for t, team in ds.teams.items()},
        [
            (b.id, b.title, b.owner, b.date_created, len(b.messages), len(b.activity))
            for b in ds.bugs.values()
        ],
        [
            (m.id, m.registrant, m.queue_status, len(m.comments))
            for m in ds.merge_proposals.values()
        ],
        [(q.id, q.owner, q.status, len(q.messages)) for q in ds.questions.values()],
    )


def test_same_seed_same_dataset_and_other_seed_differs():
    first = Dataset.generate(seed=7, people=20, bugs=15, merge_proposals=10, questions=10)
    again = Dataset.generate(seed=7, people=20, bugs=15, merge_proposals=10, questions=10)
    other = Dataset.generate(seed=8, people=20, bugs=15, merge_proposals=10, questions=10)
    assert _fingerprint(first) == _fingerprint(again)
    assert _fingerprint(first) != _fingerprint(other)


def test_small_preset_is_quick_and_sized_by_arguments():
    started = time.perf_counter()
    ds = Dataset.generate(seed=3, people=40, bugs=60, merge_proposals=40, questions=40)
    assert time.perf_counter() - started < 1.0
    hard_bugs = sum(1 for ref in ds.hard_cases.values() if ref.startswith("bug:"))
    assert len(ds.bugs) == 60 + hard_bugs
    assert len(ds.people) == 41  # and the janitor
    bigger = Dataset.generate(seed=3, people=40, bugs=120, merge_proposals=40, questions=40)
    assert len(bigger.bugs) == 120 + hard_bugs


def test_invalid_arguments_are_refused():
    with pytest.raises(ValueError):
        Dataset.generate(people=3)
    with pytest.raises(ValueError):
        Dataset.generate(start="2024-02-01", end="2024-01-01")


def test_sample_team_nests_and_resolves_to_people(small: Dataset):
    participants = small.participants("sample-team")
    assert "sample-subteam" in participants and "sample-nested-team" in participants
    actors = small.actors("sample-team")
    assert all(name in small.people for name in actors)
    nested = small.teams["sample-nested-team"].members
    assert set(nested) <= set(actors)
    assert len(actors) == len(set(actors))
    assert small.actors(small.sample_person) == [small.sample_person]
    with pytest.raises(KeyError):
        small.actors("nobody")


def test_people_without_or_with_hidden_time_zone(small: Dataset):
    no_tz = small.hard_cases["person_nested_member_no_tz"][1:]
    hidden = small.hard_cases["person_member_hidden_tz"][1:]
    assert small.people[no_tz].served_time_zone is None
    assert small.people[hidden].served_time_zone == REDACTED
    assert small.people[no_tz].event_time_zone == small.people[hidden].event_time_zone == "UTC"
    zones = {p.time_zone for p in small.people.values()}
    assert {"Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney"} <= zones


def _item(ds: Dataset, case: str):
    kind, _, number = ds.hard_cases[case].partition(":")
    return {"bug": ds.bugs, "mp": ds.merge_proposals, "question": ds.questions}[kind][int(number)]


def test_window_edge_cases_exist(small: Dataset):
    ws, we = small.window_start, small.window_end
    old = _item(small, "bug_old_with_activity_in_window")
    assert old.date_created < ws and any(ws <= m.date_created < we for m in old.messages)
    assert _item(small, "bug_last_updated_at_window_start").date_last_updated == ws
    at_end = _item(small, "bug_events_at_window_end")
    assert any(m.date_created == we for m in at_end.messages)
    before = _item(small, "bug_member_events_just_before_start")
    assert any(m.date_created == ws - timedelta(microseconds=1) for m in before.messages)
    assert _item(small, "mp_events_at_window_edges").date_created == ws
    assert _item(small, "question_events_at_window_edges").date_created == ws
    assert _item(small, "question_asked_at_window_end").date_created == we


def test_item_hard_cases_exist(small: Dataset):
    assert _item(small, "bug_duplicate_with_member_activity").duplicate_of is not None
    closed = _item(small, "bug_closed_multi_task")
    assert len(closed.tasks) == 2 and closed.tasks[0].status == "Fix Released"
    whats = {a.whatchanged for b in small.bugs.values() for a in b.activity}
    assert {"status", "tags", "bug", "marked as duplicate"} <= whats
    assert any(w.endswith(": status") for w in whats)
    statuses = {m.queue_status for m in small.merge_proposals.values()}
    assert statuses == set(MERGE_PROPOSAL_STATUSES)
    unreported = _item(small, "mp_merged_without_merge_reporter")
    assert unreported.date_merged and unreported.merge_reporter is None
    assert not _item(small, "mp_member_only_reviewer_bzr").source.is_git
    actions = {m.action for q in small.questions.values() for m in q.messages}
    assert actions == set(QUESTION_ACTIONS)
    assert _item(small, "question_expired").status == "Expired"
    assert _item(small, "question_invalid").status == "Invalid"


def test_long_collections_exceed_launchpad_page(small: Dataset):
    assert len(_item(small, "bug_long_collections").messages) > 75
    assert len(_item(small, "bug_long_collections").activity) > 75
    assert len(_item(small, "mp_long_comments").comments) > 75
    assert len(_item(small, "question_long_thread").messages) > 75


def test_everyone_acting_on_a_proposal_can_find_it(small: Dataset):
    for mp in small.merge_proposals.values():
        reachable = {mp.registrant, *(r.reviewer for r in mp.reviews)}
        actors = {c.author for c in mp.comments} | {mp.reviewer, mp.merge_reporter} - {None}
        assert actors <= reachable, mp.id


def test_bug_state_matches_its_history(small: Dataset):
    for bug in small.bugs.values():
        assert bug.messages[0].owner == bug.owner
        assert bug.activity[0].message == "added bug"
        assert bug.date_last_updated == max(
            [bug.date_created]
            + [m.date_created for m in bug.messages]
            + [a.datechanged for a in bug.activity]
        )


def test_presets_are_cached_and_named():
    assert preset("small") is preset("small")
    with pytest.raises(KeyError):
        preset("huge")
