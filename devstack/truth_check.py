"""The events table against the simulators' ground truth, for a roster's people.

What a queuer over the simulators should have loaded: for every person and each of their
source identities, every flow's ground-truth facts in the window, as the identity step
stores them (``employee_id`` and ``timezone`` from the roster). Compared on the contract's
key columns plus ``timezone``; properties (where logins outside the roster become keyed
pseudonyms) are compared by the tests (``tests/identities.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from models.roster.identity import IdentityMap
from models.roster.people import Person
from simulator.github import ground_truth as github_truth
from simulator.github import preset as github_preset
from simulator.github.ground_truth import EVENT_TYPES as GITHUB_FLOWS
from simulator.launchpad import ground_truth as launchpad_truth
from simulator.launchpad import preset as launchpad_preset
from simulator.launchpad.ground_truth import EVENT_TYPES as LAUNCHPAD_FLOWS

KEYS = ("event_id", "parent_item_id", "relation_type", "employee_id", "event_time_utc", "timezone")
Truth = Callable[[str, str, str, str], list[dict[str, Any]]]  # (login, start, end, flow)


def simulator_truths(size: str = "small") -> dict[str, tuple[Truth, tuple[str, ...]]]:
    """Per source kind: the ground truth of the simulator preset ``size``, and its flows."""
    launchpad, github = launchpad_preset(size), github_preset(size)
    return {
        "launchpad": (lambda *a: launchpad_truth(launchpad, *a), LAUNCHPAD_FLOWS),
        "github": (lambda *a: github_truth(github, *a), GITHUB_FLOWS),
    }


def utc_text(value: Any) -> str:
    """An event time as naive UTC ISO text (the table stores TIMESTAMP without zone)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat()


def key(row: dict[str, Any]) -> tuple:
    return tuple(utc_text(row[k]) if k == "event_time_utc" else row.get(k) for k in KEYS)


@dataclass
class SourceCheck:
    source: str
    expected: int
    loaded: int
    missing: list[str] = field(default_factory=list)  # event ids
    unexpected: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (self.missing or self.unexpected or self.different)

    def describe(self) -> str:
        head = (
            f"{self.source:<10} {self.loaded:>5} rows loaded, {self.expected:>5} in ground truth:"
        )
        if self.equal:
            return f"{head} equal"
        parts = []
        for name, ids in (
            ("missing", self.missing),
            ("not in ground truth", self.unexpected),
            ("different", self.different),
        ):
            if ids:
                parts.append(f"{len(ids)} {name} (e.g. {', '.join(ids[:3])})")
        return f"{head} DIFFERENT: " + "; ".join(parts)


def expected_rows(
    source: str,
    truth: Truth,
    flows: tuple[str, ...],
    people: list[Person],
    identities: IdentityMap,
    window: tuple[str, str],
) -> dict[str, tuple]:
    """Ground truth of ``people``'s identities on ``source``, with roster ids and zones."""
    rows = {}
    for person in people:
        login = person.identities.get(source)
        for flow in flows if login else ():
            for event in truth(login, *window, flow):
                entry = identities.person(source, event["employee_id"])
                if entry is not None:
                    event = {**event, "employee_id": entry.employee_id}
                    event["timezone"] = entry.timezone or event["timezone"]
                rows[event["event_id"]] = key(event)
    return rows


def check_source(
    source: str,
    table: list[dict[str, Any]],
    expected: dict[str, tuple],
    people: list[Person],
    window: tuple[str, str],
) -> SourceCheck:
    """``table``'s rows of ``source`` whose actor is one of ``people`` and whose time lies in
    ``window``, against ``expected``."""
    logins = {p.identities[source].lower() for p in people if p.identities.get(source)}
    start, end = (utc_text(datetime.fromisoformat(day).replace(tzinfo=UTC)) for day in window)
    loaded = {
        row["event_id"]: key(row)
        for row in table
        if row["source_kind_id"] == source
        and (row.get("source_actor") or "").lower() in logins
        and start <= utc_text(row["event_time_utc"]) < end
    }
    return SourceCheck(
        source=source,
        expected=len(expected),
        loaded=len(loaded),
        missing=sorted(set(expected) - set(loaded)),
        unexpected=sorted(set(loaded) - set(expected)),
        different=sorted(i for i in set(loaded) & set(expected) if loaded[i] != expected[i]),
    )


def check_table(
    table: list[dict[str, Any]],
    people: list[Person],
    identities: IdentityMap,
    window: tuple[str, str],
    sources: tuple[str, ...] = ("launchpad", "github"),
) -> list[SourceCheck]:
    """One check per source kind of the simulators (preset ``small``)."""
    truths = simulator_truths()
    return [
        check_source(
            source, table, expected_rows(source, *truths[source], people, identities, window),
            people, window,
        )
        for source in sources
    ]  # fmt: skip
