"""People as the roster knows them, and which of them a run is about.

Both are plain dataclasses of plain types, so they travel in workflow inputs and activity
results (``RosterSelection`` in ``QueuerFlow``'s input, ``Person`` in what resolves it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytz

from models.exceptions import RosterError

# Source kinds a roster may name identities for. "github" is listed before its source
# lands so that a company's roster can carry every identity at once; every registered
# query type (sources/*/query.py) counts too.
BUILT_IN_SOURCE_KINDS = frozenset({"launchpad", "github"})


@dataclass
class Person:
    """One employee: the company's id, and at most one login per source kind.

    ``timezone`` (IANA, optional) overrides the source's time zone in this person's
    events; ``active`` people are the ones queued (inactive ones still own their past
    events: their identities keep mapping to their id).
    """

    employee_id: str
    name: str | None = None
    timezone: str | None = None
    teams: list[str] = field(default_factory=list)
    active: bool = True
    identities: dict[str, str] = field(default_factory=dict)  # source kind → login

    def login(self, source_kind: str) -> str | None:
        """This person's login on ``source_kind``, if the roster has one."""
        return self.identities.get(source_kind)


@dataclass
class RosterSelection:
    """Whom a queuer run covers: every active person, one team's, or listed ids.

    Exactly one of the three is given. Only active people are ever selected.
    """

    all_active: bool = False
    team: str | None = None
    employee_ids: list[str] = field(default_factory=list)

    def validate(self) -> RosterSelection:
        chosen = [self.all_active, bool(self.team), bool(self.employee_ids)]
        if sum(chosen) != 1:
            raise RosterError(
                "a roster selection names exactly one of: all active people, a team, "
                f"employee ids; got {self!r}"
            )
        return self


def check_timezone(value: str | None) -> str | None:
    """``value`` if it names an IANA zone (or is empty: ``None``), else RosterError."""
    if value in (None, ""):
        return None
    try:
        pytz.timezone(value)
    except pytz.UnknownTimeZoneError:
        raise RosterError(f"unknown time zone {value!r}") from None
    return value


def known_source_kinds() -> frozenset[str]:
    from models.etl.query import QueryFactory

    return BUILT_IN_SOURCE_KINDS | frozenset(QueryFactory.available())
