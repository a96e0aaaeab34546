"""The roster tables (``roster_people``, ``roster_identities``; migration 0002) as Python.

store = RosterStore(database)
people = store.select(RosterSelection(team="kernel"))          # active, with identities
page = store.select(RosterSelection(all_active=True), after="E1999", limit=500)
changes = store.replace_all(people_from_file)                  # what ``import`` does
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.database import Database
from models.roster.people import Person, RosterSelection

_PEOPLE = """
SELECT p.employee_id, p.name, p.timezone, p.teams, p.active,
       COALESCE((SELECT jsonb_object_agg(i.source_kind, i.login) FROM roster_identities i
                 WHERE i.employee_id = p.employee_id AND i.retired_at IS NULL), '{}'::jsonb)
FROM roster_people p
"""


@dataclass(frozen=True)
class IdentityRecord:
    """One login of one person on one source; ``retired`` ones no longer map events,
    but tell ``remap`` which login an employee id once stood for."""

    source_kind: str
    login: str
    employee_id: str
    timezone: str | None
    retired: bool


@dataclass
class RosterChanges:
    """What an import did (or, for ``diff``, would do), person by person."""

    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # id → what changed
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.deactivated)

    def lines(self) -> list[str]:
        out = [f"added {eid}" for eid in self.added]
        out += [f"changed {eid}: {'; '.join(what)}" for eid, what in self.changed.items()]
        out += [f"deactivated {eid}" for eid in self.deactivated]
        out.append(
            f"{len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.deactivated)} deactivated, {self.unchanged} unchanged"
        )
        return out


def _person(row: tuple) -> Person:
    employee_id, name, timezone, teams, active, identities = row
    return Person(employee_id, name, timezone, list(teams or []), active, dict(identities))


def _differences(old: Person, new: Person) -> list[str]:
    what = []
    for attribute in ("name", "timezone", "teams", "active"):
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            what.append(f"{attribute} {before!r} -> {after!r}")
    for kind in sorted(set(old.identities) | set(new.identities)):
        before, after = old.identities.get(kind), new.identities.get(kind)
        if before != after:
            what.append(f"{kind} {before!r} -> {after!r}")
    return what


def compare(current: list[Person], wanted: list[Person]) -> RosterChanges:
    """The changes that make ``current`` into ``wanted``; people missing from ``wanted``
    are deactivated, never deleted."""
    now = {p.employee_id: p for p in current}
    changes = RosterChanges()
    for person in wanted:
        old = now.get(person.employee_id)
        if old is None:
            changes.added.append(person.employee_id)
        elif what := _differences(old, person):
            changes.changed[person.employee_id] = what
        else:
            changes.unchanged += 1
    listed = {p.employee_id for p in wanted}
    changes.deactivated = sorted(e for e, p in now.items() if e not in listed and p.active)
    return changes


class RosterStore:
    """Reads and writes the roster in ``database``'s schema."""

    def __init__(self, database: Database):
        self.database = database

    def _fetch(self, query: str, params: tuple | list = ()) -> list[tuple]:
        def fetch(conn) -> list[tuple]:
            with conn.cursor() as cur:
                cur.execute(query, params)
                rows = cur.fetchall()
            conn.commit()
            return rows

        return self.database._run("read the roster", fetch)

    def select(
        self, selection: RosterSelection, *, after: str | None = None, limit: int | None = None
    ) -> list[Person]:
        """The selected active people with their identities, ordered by employee id.

        Paged: ``after`` (the last employee id of the previous page) and ``limit``.
        Unknown employee ids are simply not returned (``missing`` names them).
        """
        selection.validate()
        clauses, params = ["p.active"], []
        if selection.team:
            clauses.append("%s = ANY(p.teams)")
            params.append(selection.team)
        if selection.employee_ids:
            clauses.append("p.employee_id = ANY(%s)")
            params.append(list(selection.employee_ids))
        if after is not None:
            clauses.append("p.employee_id > %s")
            params.append(after)
        query = _PEOPLE + " WHERE " + " AND ".join(clauses) + " ORDER BY p.employee_id"
        if limit is not None:
            query += " LIMIT %s"
            params.append(int(limit))
        return [_person(row) for row in self._fetch(query, params)]

    def missing(self, employee_ids: list[str]) -> list[str]:
        """Those of ``employee_ids`` that are not active people of the roster."""
        found = self._fetch(
            "SELECT employee_id FROM roster_people WHERE active AND employee_id = ANY(%s)",
            (list(employee_ids),),
        )
        return sorted(set(employee_ids) - {eid for (eid,) in found})

    def people(self, team: str | None = None) -> list[Person]:
        """Everyone, active or not (of ``team`` if given), ordered by employee id."""
        where, params = ("", ()) if team is None else (" WHERE %s = ANY(p.teams)", (team,))
        return [
            _person(row) for row in self._fetch(_PEOPLE + where + " ORDER BY p.employee_id", params)
        ]

    def get(self, employee_id: str) -> Person | None:
        rows = self._fetch(_PEOPLE + " WHERE p.employee_id = %s", (employee_id,))
        return _person(rows[0]) if rows else None

    def identities(self) -> list[IdentityRecord]:
        """Every identity, current and retired, with its person's time zone."""
        rows = self._fetch(
            "SELECT i.source_kind, i.login, i.employee_id, p.timezone, i.retired_at IS NOT NULL "
            "FROM roster_identities i JOIN roster_people p USING (employee_id) ORDER BY i.id"
        )
        return [IdentityRecord(*row) for row in rows]

    def diff(self, wanted: list[Person]) -> RosterChanges:
        return compare(self.people(), wanted)

    def replace_all(self, wanted: list[Person]) -> RosterChanges:
        """Make the roster equal ``wanted`` in one transaction (people missing from it
        become inactive) and return what changed. Idempotent."""

        def write(conn) -> RosterChanges:
            with conn.cursor() as cur:
                # one import at a time: the second one diffs against the first's result
                cur.execute("LOCK TABLE roster_people, roster_identities IN EXCLUSIVE MODE")
                cur.execute(_PEOPLE + " ORDER BY p.employee_id")
                current = [_person(row) for row in cur.fetchall()]
                changes = compare(current, wanted)
                _write(cur, current, wanted, changes)
            conn.commit()
            return changes

        return self.database._run("import the roster", write)


def _write(cur: Any, current: list[Person], wanted: list[Person], changes: RosterChanges) -> None:
    touched = set(changes.added) | set(changes.changed)
    wanted_logins = {
        (kind, login.lower()): p.employee_id for p in wanted for kind, login in p.identities.items()
    }
    # Retire first: identities that change or leave their person, and logins that a
    # new import gives to someone else (an inactive person's, say).
    for person in current:
        new = next((p for p in wanted if p.employee_id == person.employee_id), None)
        for kind, login in person.identities.items():
            owner = wanted_logins.get((kind, login.lower()))
            keeps = new is not None and new.identities.get(kind) == login
            if not keeps and (new is not None or (owner and owner != person.employee_id)):
                cur.execute(
                    "UPDATE roster_identities SET retired_at = now() WHERE employee_id = %s "
                    "AND source_kind = %s AND retired_at IS NULL",
                    (person.employee_id, kind),
                )
    have = {p.employee_id: p for p in current}
    for person in wanted:
        if person.employee_id not in touched:
            continue
        cur.execute(
            "INSERT INTO roster_people (employee_id, name, timezone, teams, active) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (employee_id) DO UPDATE SET "
            "name = EXCLUDED.name, timezone = EXCLUDED.timezone, teams = EXCLUDED.teams, "
            "active = EXCLUDED.active, updated_at = now()",
            (person.employee_id, person.name, person.timezone, person.teams, person.active),
        )
        old = have.get(person.employee_id)
        for kind, login in person.identities.items():
            if old is None or old.identities.get(kind) != login:
                cur.execute(
                    "INSERT INTO roster_identities (employee_id, source_kind, login) "
                    "VALUES (%s, %s, %s)",
                    (person.employee_id, kind, login),
                )
    if changes.deactivated:
        cur.execute(
            "UPDATE roster_people SET active = false, updated_at = now() "
            "WHERE employee_id = ANY(%s)",
            (changes.deactivated,),
        )
