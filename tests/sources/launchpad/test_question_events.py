"""Question JSON → events, without HTTP."""

from __future__ import annotations

import pytest

from sources.launchpad.question_events import question_events
from tests.sources.launchpad.samples import BEFORE, INSIDE, context, question, question_message


def events_of(entry, messages=()):
    return question_events(entry, list(messages), context("questions"))


def test_asked_by_owner():
    [asked] = events_of(question())
    assert asked["event_id"] == "launchpad-question-5-asked"
    assert asked["relation_type"] == "asked"
    assert asked["employee_id"] == "alice"
    assert asked["parent_item_id"] == "question:5"
    assert asked["event_properties"] == {
        "title": "How do I start it?",
        "status": "Solved",
        "web_link": "https://answers.launchpad.test/widget/+question/5",
        "target": "widget",
    }
    assert asked["metrics"] == {}


@pytest.mark.parametrize(
    ("action", "relation"),
    [
        ("Answer", "answered"),
        ("Comment", "commented"),
        ("Confirm", "confirmed"),
        ("Request for more information", "info_requested"),
        ("Give more information", "info_given"),
        ("Reject", "rejected"),
        ("Reopen", "reopened"),
        ("Change status", "status_changed"),
    ],
)
def test_every_action_maps_to_its_relation(action, relation):
    messages = [question_message("bob", BEFORE, "Comment"), question_message("bob", INSIDE, action)]
    [event] = events_of(question(created=BEFORE), messages)
    assert event["event_id"] == "launchpad-question-5-message-1"
    assert event["relation_type"] == relation
    assert event["relation_properties"] == {
        "action": action,
        "new_status": "Open",
        "subject": "Re: How do I start it?",
        "content": "text",
    }


def test_expire_is_not_emitted_even_for_a_member():
    messages = [question_message("bob", INSIDE, "Expire", "Expired")]
    assert events_of(question(created=BEFORE), messages) == []


def test_non_member_messages_and_out_of_window_messages_are_excluded():
    messages = [
        question_message("mallory", INSIDE, "Answer"),
        question_message("bob", "2024-04-01T00:00:00+00:00", "Answer"),
        question_message("bob", "2024-03-31T23:59:59+00:00", "Answer"),
    ]
    events = events_of(question(owner="mallory", created=BEFORE), messages)
    assert [e["event_id"] for e in events] == ["launchpad-question-5-message-2"]
    assert events[0]["timezone"] == "UTC"
