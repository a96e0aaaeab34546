"""Event derivations: week, time zone and local time, as analysts read them."""

from datetime import date, datetime

import pytest

from models.event import Event
from models.exceptions import InvalidEventError

BASE = dict(
    source_kind_id="launchpad",
    event_id="e1",
    event_type="bugs",
    relation_type="commented",
    employee_id="alice",
)


def make(**fields):
    return Event.from_dict({**BASE, **fields})


def test_week_is_monday_of_the_utc_week_even_when_local_day_differs():
    # Sunday 23:30 UTC is already Monday in Sydney; the week stays the UTC one.
    event = make(event_time_utc="2024-03-10T23:30:00+00:00", timezone="Australia/Sydney")
    assert event.week == date(2024, 3, 4)
    assert event.event_time.date() == date(2024, 3, 11)
    # Monday 00:00 UTC starts a new week.
    assert make(event_time_utc="2024-03-11T00:00:00Z").week == date(2024, 3, 11)


def test_local_time_follows_daylight_saving():
    before = make(event_time_utc="2024-03-31T00:30:00Z", timezone="Europe/London")
    after = make(event_time_utc="2024-03-31T01:30:00Z", timezone="Europe/London")
    assert before.event_time.replace(tzinfo=None) == datetime(2024, 3, 31, 0, 30)
    assert after.event_time.replace(tzinfo=None) == datetime(2024, 3, 31, 2, 30)
    assert after.event_time.utcoffset().total_seconds() == 3600


def test_timezone_defaults_to_utc_when_unset_or_unknown():
    assert make(event_time_utc="2024-01-01T10:00:00Z").timezone == "UTC"
    unknown = make(event_time_utc="2024-01-01T10:00:00Z", timezone="Mars/Olympus")
    assert unknown.timezone == "UTC"
    assert unknown.event_time.hour == 10


def test_offsets_are_normalised_to_utc():
    event = make(event_time_utc="2024-01-01T10:00:00+05:30")
    assert event.event_time_utc.isoformat() == "2024-01-01T04:30:00+00:00"


@pytest.mark.parametrize("missing", ["source_kind_id", "event_id", "employee_id", "event_time_utc"])
def test_missing_required_field_is_named(missing):
    fields = {**BASE, "event_time_utc": "2024-01-01T00:00:00Z"}
    fields[missing] = ""
    with pytest.raises(InvalidEventError, match=missing):
        Event.from_dict(fields)


def test_malformed_time_and_unknown_fields_are_refused():
    with pytest.raises(InvalidEventError, match="not ISO-8601"):
        make(event_time_utc="yesterday")
    with pytest.raises(InvalidEventError, match="unknown field.*colour"):
        make(event_time_utc="2024-01-01T00:00:00Z", colour="red")
