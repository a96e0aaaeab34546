"""The rules every Launchpad event shares: actor, window, time zone, dict shape."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.event import parse_time
from sources.launchpad.events import actor_timezone, make_event, number_after, person_name
from tests.sources.launchpad.samples import API, WINDOW, context, person


def event_at(when: str | None, actor: str = "alice"):
    return make_event(
        context("bugs"),
        parent_item_id="bug:1",
        event_id="launchpad-bug-1-created",
        relation_type="created",
        actor_link=person(actor),
        when=when,
        event_properties={"title": "t"},
        relation_properties={},
        metrics={"heat": 1},
    )


def test_event_dict_has_the_contract_fields_in_utc():
    event = event_at("2024-03-10T14:00:00+02:00")
    assert event == {
        "source_kind_id": "launchpad",
        "event_type": "bugs",
        "parent_item_id": "bug:1",
        "event_id": "launchpad-bug-1-created",
        "relation_type": "created",
        "employee_id": "alice",
        "event_time_utc": "2024-03-10T12:00:00+00:00",
        "timezone": "Europe/Berlin",
        "event_properties": {"title": "t"},
        "relation_properties": {},
        "metrics": {"heat": 1},
    }


def test_window_start_is_included_and_end_instant_excluded():
    assert event_at("2024-03-01T00:00:00+00:00") is not None
    assert event_at("2024-02-29T23:59:59.999999+00:00") is None
    assert event_at("2024-03-31T23:59:59.999999+00:00") is not None
    assert event_at("2024-04-01T00:00:00+00:00") is None
    # The same instants written with an offset: the window is about instants.
    assert event_at("2024-04-01T02:00:00+02:00") is None
    assert event_at("2024-03-01T01:00:00+01:00") is not None


def test_actor_outside_the_member_set_is_not_emitted():
    assert event_at("2024-03-10T12:00:00+00:00", actor="mallory") is None


def test_missing_time_or_actor_is_not_emitted():
    assert event_at(None) is None
    assert (
        make_event(
            context("bugs"),
            parent_item_id="bug:1",
            event_id="x",
            relation_type="created",
            actor_link=None,
            when="2024-03-10T12:00:00+00:00",
            event_properties={},
            relation_properties={},
            metrics={},
        )
        is None
    )


@pytest.mark.parametrize(
    ("served", "expected"),
    [
        ("Asia/Kolkata", "Asia/Kolkata"),
        (None, "UTC"),
        ("", "UTC"),
        ("tag:launchpad.net:2008:redacted", "UTC"),
        ("Mars/Olympus_Mons", "UTC"),
        (42, "UTC"),
    ],
)
def test_timezone_falls_back_to_utc_when_unset_or_unreadable(served, expected):
    assert actor_timezone(served) == expected


def test_links_and_times():
    assert person_name(f"{API}~alice") == "alice"
    assert person_name(f"{API}~alice/") == "alice"
    assert person_name(None) is None
    assert person_name(f"{API}bugs/1") is None
    assert number_after(f"{API}bugs/123", "/bugs/") == 123
    assert number_after(f"{API}~a/p/+git/r/+merge/77", "/+merge/") == 77
    assert parse_time("2024-03-01T00:00:00Z") == WINDOW.start
    assert parse_time("2024-03-01T00:00:00") == datetime(2024, 3, 1, tzinfo=UTC)
    assert parse_time(None) is None
