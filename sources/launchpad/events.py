"""What every Launchpad event has in common, as pure functions (no HTTP).

The flow-specific mappings (``bug_events``, ``merge_proposal_events``,
``question_events``) build on these: one rule for actor names, time zones and the dict
every event is emitted as. The window and timestamps follow ``models.event``, shared
with the other sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytz

from models.event import Window, parse_time
from sources.launchpad.people import mark_people

SOURCE_KIND_ID = "launchpad"


def person_name(link: str | None) -> str | None:
    """``https://api.launchpad.net/devel/~alice`` → ``alice`` (``None`` for no link)."""
    if not link or "~" not in link:
        return None
    return link.rsplit("~", 1)[1].strip("/").split("/", 1)[0] or None


def number_after(link: str, marker: str) -> int:
    """The number that follows ``marker`` in ``link``: ``/bugs/``, ``/+merge/``, ..."""
    return int(link.rsplit(marker, 1)[1].strip("/").split("/", 1)[0])


def actor_timezone(value: Any) -> str:
    """The actor's ``time_zone`` if it names a zone, else ``UTC`` (unset, or redacted
    for anonymous clients: ``tag:launchpad.net:2008:redacted``)."""
    if not isinstance(value, str) or not value:
        return "UTC"
    try:
        pytz.timezone(value)
    except pytz.UnknownTimeZoneError:
        return "UTC"
    return value


@dataclass(frozen=True)
class EventContext:
    """What the mapping of one item needs to know about the run."""

    event_type: str
    window: Window
    actors: Mapping[str, str]  # actor name → time zone (already resolved)


def make_event(
    context: EventContext,
    *,
    parent_item_id: str,
    event_id: str,
    relation_type: str,
    actor_link: str | None,
    when: str | None,
    event_properties: dict[str, Any],
    relation_properties: dict[str, Any],
    metrics: dict[str, Any],
) -> dict[str, Any] | None:
    """The event dict, or ``None`` when its actor is not one of ours or its time falls
    outside the window (the rule of the contract for every event). Values naming people
    are marked for the identity step (``sources/launchpad/people.py``)."""
    actor = person_name(actor_link)
    moment = parse_time(when)
    if actor not in context.actors or moment not in context.window:
        return None
    return mark_people(
        {
            "source_kind_id": SOURCE_KIND_ID,
            "event_type": context.event_type,
            "parent_item_id": parent_item_id,
            "event_id": event_id,
            "relation_type": relation_type,
            "employee_id": actor,
            "event_time_utc": moment.isoformat(),
            "timezone": context.actors[actor],
            "event_properties": event_properties,
            "relation_properties": relation_properties,
            "metrics": metrics,
        }
    )
