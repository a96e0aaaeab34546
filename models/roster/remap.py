"""``remap``: re-apply the roster to stored rows, so a roster change needs no re-extraction.

For every row: ``employee_id`` from ``source_actor`` (the roster's id, or the login),
the roster's time zone when it sets one (``event_time`` recomputed), and, inside the
properties, every stand-in for a person made current:

* the pseudonym of a login the roster now knows becomes the person's employee id (the
  pseudonym of every roster login, current or retired, can be computed with the key);
* the employee id of a person whose identity on that source was retired (dropped, or
  given to someone else) becomes what now stands for that login: the new owner's id, or
  the pseudonym.

Idempotent: a second run changes nothing. Limits: a time zone the roster stops setting
stays as stored (the source's own is not kept); an employee id that stood for several
retired logins of one source, and has no current one, is left as it is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import pytz
from psycopg2 import sql
from psycopg2.extras import Json, execute_batch

from models.database import Database
from models.roster.identity import IdentityMap, replace_words

_BATCH = 2000


@dataclass
class RemapCounts:
    scanned: int = 0
    updated: int = 0  # rows with any change
    employee_ids: int = 0  # rows whose employee_id changed
    time_zones: int = 0  # rows whose timezone changed
    properties: int = 0  # rows whose properties changed

    def line(self) -> str:
        return (
            f"{self.scanned} rows scanned, {self.updated} updated: {self.employee_ids} "
            f"employee ids, {self.time_zones} time zones, {self.properties} properties"
        )


class Replacements:
    """Per source kind: stored stand-in → what should stand there now."""

    def __init__(self, identities: IdentityMap):
        self.identities = identities
        by_kind: dict[str, dict[str, str]] = defaultdict(dict)
        current_owner: set[tuple[str, str]] = set()
        retired_logins: dict[tuple[str, str], set[str]] = defaultdict(set)
        for record in identities.records:
            kind, login = record.source_kind, record.login
            target = identities.name_for(kind, login)
            alias = identities.pseudonym(kind, login)
            if alias != target:
                by_kind[kind][alias] = target
            if record.retired:
                retired_logins[(kind, record.employee_id)].add(login.lower())
            else:
                current_owner.add((kind, record.employee_id))
        for (kind, employee_id), logins in retired_logins.items():
            if (kind, employee_id) in current_owner or len(logins) != 1:
                continue  # still stands for a current login, or ambiguous
            target = identities.name_for(kind, next(iter(logins)))
            if target != employee_id:
                by_kind[kind][employee_id] = target
        self.tokens = dict(by_kind)

    def rewrite(self, kind: str, value: Any) -> Any:
        tokens = self.tokens.get(kind)
        if not tokens:
            return value
        if isinstance(value, dict):
            return {k: self.rewrite(kind, v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.rewrite(kind, v) for v in value]
        if isinstance(value, str):
            return replace_words(value, tokens.get)
        return value


def remap_events(database: Database, identities: IdentityMap) -> RemapCounts:
    """Re-apply ``identities`` to every row of ``database``'s events table."""
    replacements = Replacements(identities)
    table = sql.Identifier(database.table)
    select = sql.SQL(
        "SELECT id, source_kind_id, source_actor, employee_id, timezone, event_time_utc, "
        "event_properties, relation_properties FROM {} WHERE id > %s ORDER BY id LIMIT %s"
    ).format(table)
    update = sql.SQL(
        "UPDATE {} SET source_actor = %s, employee_id = %s, timezone = %s, event_time = %s, "
        "event_properties = %s, relation_properties = %s WHERE id = %s"
    ).format(table)
    total = RemapCounts()
    last = 0
    while True:

        def batch(conn, after=last) -> tuple[RemapCounts, int]:
            counts = RemapCounts()  # per attempt: a retried batch counts once
            with conn.cursor() as cur:
                cur.execute(select, (after, _BATCH))
                rows = cur.fetchall()
                changes = [c for c in (_remap_row(row, replacements, counts) for row in rows) if c]
                execute_batch(cur, update, changes, page_size=500)
            conn.commit()
            return counts, (rows[-1][0] if rows else after)

        counts, last = database._run("remap events", batch)
        if not counts.scanned:
            return total
        for name in ("scanned", "updated", "employee_ids", "time_zones", "properties"):
            setattr(total, name, getattr(total, name) + getattr(counts, name))


def _remap_row(row: tuple, replacements: Replacements, counts: RemapCounts) -> tuple | None:
    row_id, kind, stored_actor, employee_id, zone, time_utc, event_props, relation_props = row
    counts.scanned += 1
    # no source_actor: written by a worker of the release before rosters, with the login
    # as employee id
    actor = stored_actor or employee_id
    entry = replacements.identities.person(kind, actor)
    new_employee = entry.employee_id if entry else actor
    new_zone = entry.timezone if entry and entry.timezone else zone
    new_event = replacements.rewrite(kind, event_props)
    new_relation = replacements.rewrite(kind, relation_props)
    changed = (new_employee != employee_id, new_zone != zone)
    props_changed = new_event != event_props or new_relation != relation_props
    if not (any(changed) or props_changed or stored_actor is None):
        return None
    counts.updated += 1
    counts.employee_ids += changed[0]
    counts.time_zones += changed[1]
    counts.properties += props_changed
    local = time_utc.replace(tzinfo=UTC).astimezone(pytz.timezone(new_zone or "UTC"))
    return (
        actor,
        new_employee,
        new_zone,
        local.replace(tzinfo=None),
        Json(new_event) if new_event is not None else None,
        Json(new_relation) if new_relation is not None else None,
        row_id,
    )
