"""Ground truth as the table stores it: the simulator's events after the identity step.

The simulator's ground truth holds Launchpad's own text. Stored rows hold what the
identity step made of it: roster ids, pseudonyms for people outside the roster, comment
bodies only with STORE_COMMENT_BODIES. ``as_stored`` applies the same step to the truth,
with the mapping's own marking rule (``sources/launchpad/people.py``), so comparisons
stay exact.
"""

from __future__ import annotations

from typing import Any

from models.database import Database
from models.event import Event
from models.roster.identity import IdentityMap
from models.roster.store import RosterStore
from models.settings import Settings
from sources.launchpad.people import mark_people


def identity_map(settings: Settings, database: Database | None = None) -> IdentityMap:
    """The identity map a worker with ``settings`` uses (the roster in ``database``,
    or none)."""
    records = RosterStore(database).identities() if database is not None else []
    return IdentityMap(records, settings.pseudonym_key, settings.store_comment_bodies)


def as_stored(truth: list[dict[str, Any]], identities: IdentityMap) -> list[dict[str, Any]]:
    """Ground-truth event dicts rewritten as the identity step stores them (same keys,
    ``employee_id`` and ``timezone`` from the roster, plus ``source_actor``)."""
    rows = []
    for event in truth:
        stored = identities.apply(Event.from_dict(mark_people(event)))
        rows.append(
            {
                **event,
                "employee_id": stored.employee_id,
                "timezone": stored.timezone,
                "event_properties": stored.event_properties,
                "relation_properties": stored.relation_properties,
                "source_actor": stored.source_actor,
            }
        )
    return rows
