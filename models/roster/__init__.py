"""The roster: the company's people, their identities per source, and how events use them.

Public API (see README, "Roster and identities")::

    from models.roster import Person, RosterSelection, RosterStore, roster_source

    people = RosterStore(database).select(RosterSelection(team="kernel"))
    for person in people:
        person.employee_id, person.identities.get("launchpad"), person.timezone
"""

from models.roster import file_source  # noqa: F401  (registers the "file" roster source)
from models.roster.people import Person, RosterSelection
from models.roster.sources import available_roster_sources, get_roster_source, roster_source
from models.roster.store import IdentityRecord, RosterChanges, RosterStore

__all__ = [
    "IdentityRecord",
    "Person",
    "RosterChanges",
    "RosterSelection",
    "RosterStore",
    "available_roster_sources",
    "get_roster_source",
    "roster_source",
]
