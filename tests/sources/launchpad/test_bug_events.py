"""Bug JSON → events, without HTTP."""

from __future__ import annotations

import pytest

from sources.launchpad.bug_events import activity_relation, bug_events
from tests.sources.launchpad.samples import (
    BEFORE,
    INSIDE,
    activity,
    bug,
    context,
    message,
    task,
)


def events_of(bug_entry, messages=(), changes=()):
    return bug_events(bug_entry, task(), list(messages), list(changes), context("bugs"))


def by_id(events):
    return {event["event_id"]: event for event in events}


def test_created_by_owner_inside_window():
    [created] = events_of(bug(owner="alice", created=INSIDE), [message("alice", INSIDE)])
    assert created["event_id"] == "launchpad-bug-7-created"
    assert created["relation_type"] == "created"
    assert created["parent_item_id"] == "bug:7"
    assert created["employee_id"] == "alice"
    assert created["timezone"] == "Europe/Berlin"
    assert created["event_time_utc"] == "2024-03-10T12:00:00.123456+00:00"


def test_old_bug_still_yields_its_new_activity():
    events = events_of(
        bug(created=BEFORE),
        [message("alice", BEFORE), message("bob", INSIDE), message("bob", BEFORE)],
    )
    assert [e["event_id"] for e in events] == ["launchpad-bug-7-message-1"]


def test_first_message_is_the_description_and_is_never_a_comment():
    events = events_of(bug(owner="mallory"), [message("alice", INSIDE), message("bob", INSIDE)])
    assert [e["event_id"] for e in events] == ["launchpad-bug-7-message-1"]
    [comment] = events
    assert comment["relation_type"] == "commented"
    assert comment["employee_id"] == "bob"
    assert comment["relation_properties"]["subject"] == "Re: Crash"
    assert comment["relation_properties"]["content"] == "me too"


def test_non_member_activity_is_excluded():
    events = events_of(
        bug(owner="mallory"),
        [message("mallory", INSIDE), message("mallory", INSIDE)],
        [activity("mallory", INSIDE, "widget: status", "New", "Triaged")],
    )
    assert events == []


@pytest.mark.parametrize(
    ("whatchanged", "relation"),
    [
        ("widget: status", "status_changed"),
        ("ubuntu (linux): status", "status_changed"),
        ("status", "status_changed"),
        ("widget: assignee", "assignee_changed"),
        ("widget: importance", "importance_changed"),
        ("tags", "tags_changed"),
        ("summary", "changed"),
        ("description", "changed"),
        ("bug task added", "changed"),
        ("added subscriber Bob", "changed"),
        ("marked as duplicate", "changed"),
        ("information type", "changed"),
        ("widget: milestone", "changed"),
        ("attachment added", "changed"),
        ("bug", "changed"),
        ("", "changed"),
        (None, "changed"),
    ],
)
def test_every_whatchanged_maps_to_its_relation(whatchanged, relation):
    assert activity_relation(whatchanged) == relation


def test_activity_events_carry_the_change_and_their_collection_index():
    changes = [
        activity("alice", INSIDE, "bug", message="added bug"),
        activity("alice", BEFORE, "widget: status", "New", "Confirmed"),
        activity("bob", INSIDE, "widget: importance", "Undecided", "High"),
        activity("alice", INSIDE, "tags", "", "crash"),
        activity("alice", INSIDE, "summary", "old", "new"),
        activity("bob", INSIDE, "widget: assignee", None, "Bob"),
        activity("bob", INSIDE, "widget: status", "Confirmed", "Fix Released"),
    ]
    events = by_id(events_of(bug(owner="mallory", created=BEFORE), [], changes))
    assert {k: v["relation_type"] for k, v in events.items()} == {
        "launchpad-bug-7-activity-2": "importance_changed",
        "launchpad-bug-7-activity-3": "tags_changed",
        "launchpad-bug-7-activity-4": "changed",
        "launchpad-bug-7-activity-5": "assignee_changed",
        "launchpad-bug-7-activity-6": "status_changed",
    }
    assert events["launchpad-bug-7-activity-6"]["relation_properties"] == {
        "whatchanged": "widget: status",
        "oldvalue": "Confirmed",
        "newvalue": "Fix Released",
        "message": None,
    }


def test_added_bug_activity_duplicates_created_and_is_skipped():
    events = events_of(bug(), [], [activity("alice", INSIDE, "bug", message="added bug")])
    assert [e["relation_type"] for e in events] == ["created"]


def test_bug_properties_and_metrics_are_on_every_event():
    events = events_of(bug(), [message("alice", INSIDE), message("bob", INSIDE)])
    for event in events:
        assert event["event_properties"]["title"] == "Crash on start"
        assert event["event_properties"]["status"] == "Triaged"
        assert event["event_properties"]["importance"] == "High"
        assert event["metrics"] == {"heat": 12, "message_count": 3, "users_affected_count": 2}
