"""Ground truth computed from the model: window edges, actors, ids and properties."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simulator.launchpad import Dataset, ground_truth
from simulator.launchpad.ground_truth import EVENT_TYPES

KEYS = {
    "source_kind_id",
    "event_type",
    "parent_item_id",
    "event_id",
    "relation_type",
    "employee_id",
    "event_time_utc",
    "timezone",
    "event_properties",
    "relation_properties",
    "metrics",
}


def _window(ds: Dataset):
    return ds.window_start, ds.window_end


def _ids(events) -> set[str]:
    return {e["event_id"] for e in events}


def _bug_id(ds: Dataset, case: str) -> int:
    return int(ds.hard_cases[case].split(":")[1])


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_events_have_the_contract_shape(small: Dataset, event_type: str):
    events = ground_truth(small, "sample-team", *_window(small), event_type)
    assert events
    actors = set(small.actors("sample-team"))
    for event in events:
        assert set(event) == KEYS
        assert event["source_kind_id"] == "launchpad" and event["event_type"] == event_type
        assert event["employee_id"] in actors
        assert event["event_time_utc"].endswith("+00:00")
        assert small.window_start.isoformat() <= event["event_time_utc"]
    assert len(_ids(events)) == len(events)
    assert events == sorted(events, key=lambda e: (e["event_time_utc"], e["event_id"]))


def test_window_is_half_open(small: Dataset):
    ws, we = _window(small)
    events = ground_truth(small, "sample-team", ws, we, "bugs")
    times = [e["event_time_utc"] for e in events]
    assert ws.isoformat() in times
    assert we.isoformat() not in times
    at_start = _bug_id(small, "bug_last_updated_at_window_start")
    assert f"launchpad-bug-{at_start}-activity-1" in _ids(events)
    before = _bug_id(small, "bug_member_events_just_before_start")
    assert not any(e["parent_item_id"] == f"bug:{before}" for e in events)
    # Moving the end one microsecond later takes in the events exactly at the end.
    later = ground_truth(small, "sample-team", ws, we + timedelta(microseconds=1), "bugs")
    assert we.isoformat() in [e["event_time_utc"] for e in later]


def test_outsiders_are_never_counted(small: Dataset):
    bug = _bug_id(small, "bug_member_owned_outsider_activity")
    events = [
        e
        for e in ground_truth(small, "sample-team", *_window(small), "bugs")
        if e["parent_item_id"] == f"bug:{bug}"
    ]
    assert [e["relation_type"] for e in events] == ["created"]
    outsider = small.bugs[bug].messages[1].owner
    theirs = ground_truth(small, outsider, *_window(small), "bugs")
    assert any(e["parent_item_id"] == f"bug:{bug}" for e in theirs)


def test_team_truth_is_the_union_of_its_people(small: Dataset):
    for event_type in EVENT_TYPES:
        team = ground_truth(small, "sample-team", *_window(small), event_type)
        union = [
            event
            for person in small.actors("sample-team")
            for event in ground_truth(small, person, *_window(small), event_type)
        ]
        assert sorted(_ids(team)) == sorted(e["event_id"] for e in union)


def test_bug_ids_relations_and_properties(small: Dataset):
    bug_id = _bug_id(small, "bug_closed_multi_task")
    bug = small.bugs[bug_id]
    events = {e["event_id"]: e for e in ground_truth(small, "sample-team", *_window(small), "bugs")}
    created = events[f"launchpad-bug-{bug_id}-created"]
    assert created["employee_id"] == bug.owner and created["relation_type"] == "created"
    assert created["event_properties"] == {
        "title": bug.title,
        "tags": bug.tags,
        "importance": bug.tasks[0].importance,
        "status": "Fix Released",
        "information_type": bug.information_type,
        "web_link": f"https://bugs.launchpad.test/bugs/{bug_id}",
    }
    assert created["metrics"] == {
        "heat": bug.heat,
        "message_count": len(bug.messages),
        "users_affected_count": bug.users_affected_count,
    }
    relations = {
        e["relation_type"] for e in events.values() if e["parent_item_id"] == f"bug:{bug_id}"
    }
    assert {"created", "status_changed", "assignee_changed", "changed", "commented"} <= relations
    # The "added bug" row (index 0) is never an event; the description neither.
    assert f"launchpad-bug-{bug_id}-activity-0" not in events
    assert f"launchpad-bug-{bug_id}-message-0" not in events


def test_added_subscriber_row_is_a_change_and_tags_have_their_own_relation(small: Dataset):
    bug_id = _bug_id(small, "bug_member_activity_only")
    events = [
        e
        for e in ground_truth(small, "sample-team", *_window(small), "bugs")
        if e["parent_item_id"] == f"bug:{bug_id}"
    ]
    by_what = {e["relation_properties"]["whatchanged"]: e["relation_type"] for e in events}
    assert by_what == {"tags": "tags_changed", "bug": "changed", "status": "status_changed"}


def test_time_zones_follow_the_actor(small: Dataset):
    no_tz = small.hard_cases["person_nested_member_no_tz"][1:]
    hidden = small.hard_cases["person_member_hidden_tz"][1:]
    events = ground_truth(small, "sample-team", *_window(small), "bugs")
    zones = {e["employee_id"]: e["timezone"] for e in events}
    assert zones[no_tz] == "UTC" and zones[hidden] == "UTC"
    assert zones[small.sample_person] == "Europe/London"


def test_merge_proposal_rules(small: Dataset):
    events = {
        e["event_id"]: e
        for e in ground_truth(small, "sample-team", *_window(small), "merge_proposals")
    }
    unreported = small.hard_cases["mp_merged_without_merge_reporter"].split(":")[1]
    assert f"launchpad-mp-{unreported}-reviewed" in events
    assert f"launchpad-mp-{unreported}-merged" not in events
    votes = [e for e in events.values() if e["relation_type"] == "voted"]
    assert votes and all(
        set(e["relation_properties"]) == {"vote", "review_type", "subject", "content"}
        for e in votes
    )
    reviewed = [e for e in events.values() if e["relation_type"] == "reviewed"]
    assert all(
        e["relation_properties"]["queue_status"] == e["event_properties"]["queue_status"]
        for e in reviewed
    )
    early = small.hard_cases["mp_proposed_just_before_start"].split(":")[1]
    assert f"launchpad-mp-{early}-proposed" not in events
    assert f"launchpad-mp-{early}-review_requested" in events


def test_question_rules(small: Dataset):
    events = ground_truth(small, "sample-team", *_window(small), "questions")
    relations = {e["relation_type"] for e in events}
    assert relations == {
        "asked",
        "answered",
        "commented",
        "confirmed",
        "info_requested",
        "info_given",
        "rejected",
        "reopened",
        "status_changed",
    }
    assert not any(e["relation_properties"].get("action") == "Expire" for e in events)
    assert not ground_truth(small, "janitor", *_window(small), "questions")


def test_accepts_dates_strings_and_rejects_unknown_type(small: Dataset):
    by_string = ground_truth(small, "sample-team", "2024-01-01", "2024-04-01", "questions")
    assert by_string == ground_truth(small, "sample-team", *_window(small), "questions")
    with pytest.raises(ValueError):
        ground_truth(small, "sample-team", "2024-01-01", "2024-04-01", "commits")
