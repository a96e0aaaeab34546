"""The standard event record every source is mapped to, one row of the ``events`` table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytz

from models.exceptions import InvalidEventError

REQUIRED_FIELDS = (
    "source_kind_id",
    "event_id",
    "event_type",
    "relation_type",
    "employee_id",
    "event_time_utc",
)


def parse_utc(value: str | datetime) -> datetime:
    """An aware UTC datetime from an ISO-8601 string or datetime; naive means UTC."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def week_of(moment_utc: datetime) -> date:
    """Monday of the UTC week that contains ``moment_utc``."""
    day = moment_utc.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def resolve_timezone(name: str | None) -> str:
    """``name`` if pytz knows it, else ``UTC`` (unset or unreadable zones count as UTC)."""
    if not name:
        return "UTC"
    try:
        pytz.timezone(name)
    except pytz.UnknownTimeZoneError:
        return "UTC"
    return name


def parse_time(value: str | None) -> datetime | None:
    """A source's timestamp (``2024-01-02T03:04:05Z`` or with an offset) as an aware UTC
    datetime, ``None`` when unset: the one rule the sources' event mappings share."""
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Window:
    """The half-open extraction window [start, end), aware UTC datetimes; every source
    keeps an event whose own time lies in it."""

    start: datetime
    end: datetime

    def __contains__(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end


@dataclass
class Event:
    """One fact: who did what to which item, when.

    ``week``, ``timezone`` and ``event_time`` are derived when not given: the Monday of
    the UTC week, ``UTC``, and ``event_time_utc`` seen in ``timezone``. ``source_actor``
    is the actor's login on the source; it defaults to ``employee_id``, which the identity
    step (``models/roster/identity.py``) then replaces with the roster's id when it knows
    the login.
    """

    source_kind_id: str
    event_id: str
    event_type: str
    relation_type: str
    employee_id: str
    event_time_utc: datetime
    parent_item_id: str | None = None
    week: date | None = None
    timezone: str | None = None
    event_time: datetime | None = None
    event_properties: dict[str, Any] | None = field(default=None)
    relation_properties: dict[str, Any] | None = field(default=None)
    metrics: dict[str, Any] | None = field(default=None)
    source_actor: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        missing = [name for name in REQUIRED_FIELDS if getattr(self, name) in (None, "")]
        if missing:
            raise InvalidEventError(
                f"event {self.event_id or '<no event_id>'} lacks required field(s): "
                + ", ".join(missing)
            )
        try:
            self.event_time_utc = parse_utc(self.event_time_utc)
        except (TypeError, ValueError):
            raise InvalidEventError(
                f"event {self.event_id}: event_time_utc {self.event_time_utc!r} is not ISO-8601"
            ) from None
        if self.source_actor in (None, ""):
            self.source_actor = self.employee_id
        self.timezone = resolve_timezone(self.timezone)
        if self.week is None:
            self.week = week_of(self.event_time_utc)
        elif isinstance(self.week, str):
            self.week = date.fromisoformat(self.week)
        if self.event_time is None:
            self.event_time = self.event_time_utc.astimezone(pytz.timezone(self.timezone))
        elif isinstance(self.event_time, str):
            self.event_time = datetime.fromisoformat(self.event_time)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        known = {name for name in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidEventError(
                f"event {data.get('event_id', '<no event_id>')} has unknown field(s): "
                + ", ".join(unknown)
            )
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_row(self) -> tuple:
        """Column values in ``Event.COLUMNS`` order; timestamps naive, as stored."""
        return (
            self.source_kind_id,
            self.parent_item_id,
            self.event_id,
            self.event_type,
            self.relation_type,
            self.employee_id,
            self.event_time_utc.replace(tzinfo=None),
            self.week,
            self.timezone,
            self.event_time.replace(tzinfo=None) if self.event_time else None,
            self.event_properties,
            self.relation_properties,
            self.metrics,
            self.source_actor,
        )

    COLUMNS = (
        "source_kind_id",
        "parent_item_id",
        "event_id",
        "event_type",
        "relation_type",
        "employee_id",
        "event_time_utc",
        "week",
        "timezone",
        "event_time",
        "event_properties",
        "relation_properties",
        "metrics",
        "source_actor",
    )
