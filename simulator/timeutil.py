"""Instants as the simulator reads and writes them: aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime


def parse_instant(value: str | date | datetime) -> datetime:
    """``YYYY-MM-DD``, an ISO-8601 timestamp, a date or a datetime -> aware UTC.

    A value without an offset is taken as UTC, like the contract says.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso(moment: datetime | None) -> str | None:
    """How Launchpad writes instants: ISO-8601 in UTC with "+00:00"."""
    return None if moment is None else moment.astimezone(UTC).isoformat()
