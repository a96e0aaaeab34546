"""The identity step: roster ids for actors and people in properties, pseudonyms otherwise.

Run on every event before it is stored (``ETLActivities.extract_load``)::

    identities = IdentityCache(lambda: RosterStore(database).identities(), settings)
    identities.current().apply(event)

* The actor: ``source_actor`` keeps the source's login; ``employee_id`` becomes the
  roster's id when the roster knows (source kind, login), and the person's roster time
  zone, when set, replaces the event's (``event_time`` recomputed). Otherwise the login
  stays the employee id.
* Inside ``event_properties`` and ``relation_properties``: every ``Login`` and
  ``PersonLabel`` (and every listed login of a ``LoginText``) becomes the roster's id, or ``anon-<16 hex>``, an
  HMAC-SHA256 of (source kind, login) under ``PSEUDONYM_KEY``. A plain hash would not do:
  logins are public, so hashing a list of them would undo it. The key stays in the
  worker: it is never in an input, result, history or log.
* ``CommentBody`` values become ``None`` unless ``STORE_COMMENT_BODIES`` is on.

Retired identities (see ``roster_identities.retired_at``) map nothing: they only tell
``remap`` what an employee id once stood for.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytz

from models.event import Event
from models.identity import CommentBody, Login, LoginText, PersonLabel
from models.roster.store import IdentityRecord

PSEUDONYM_PREFIX = "anon-"


def pseudonym(key: str, source_kind: str, login: str) -> str:
    """The stable, keyed pseudonym of a login (logins compare case-insensitively)."""
    message = f"{source_kind}\0{login.lower()}".encode()
    digest = hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:16]


# A word of a text, as logins are delimited in it: a run of letters, digits and ._+-
# (Launchpad names have dots, GitHub logins dashes). A trailing dot ends a sentence.
_WORD = re.compile(r"[\w.+-]+")


def replace_words(text: str, replacement: Callable[[str], str | None]) -> str:
    """``text`` with every whole word for which ``replacement`` gives a value replaced
    by it (a login inside a longer name is not a word of its own, so it stays)."""

    def one(match: re.Match) -> str:
        word = match.group(0)
        core = word.rstrip(".")
        new = replacement(core) if core else None
        return word if new is None else new + word[len(core) :]

    return _WORD.sub(one, text)


@dataclass(frozen=True)
class RosterEntry:
    employee_id: str
    timezone: str | None


class IdentityMap:
    """One snapshot of the roster's identities, with the key that makes pseudonyms."""

    def __init__(self, records: list[IdentityRecord], key: str, store_comment_bodies: bool):
        self.records = records
        self._key = key
        self.store_comment_bodies = store_comment_bodies
        self._current = {
            (r.source_kind, r.login.lower()): RosterEntry(r.employee_id, r.timezone)
            for r in records
            if not r.retired
        }

    def __repr__(self) -> str:  # never the key
        return f"IdentityMap({len(self._current)} current identities)"

    def person(self, source_kind: str, login: str | None) -> RosterEntry | None:
        if not login:
            return None
        return self._current.get((source_kind, login.lower()))

    def pseudonym(self, source_kind: str, login: str) -> str:
        return pseudonym(self._key, source_kind, login)

    def name_for(self, source_kind: str, login: str) -> str:
        """What stands for ``login`` in stored properties: the employee id, or a pseudonym."""
        entry = self.person(source_kind, login)
        return entry.employee_id if entry else self.pseudonym(source_kind, login)

    def apply(self, event: Event) -> Event:
        """Rewrite ``event`` in place (see the module doc) and return it."""
        kind = event.source_kind_id
        entry = self.person(kind, event.source_actor)
        if entry is not None:
            event.employee_id = entry.employee_id
            if entry.timezone:
                event.timezone = entry.timezone
                event.event_time = event.event_time_utc.astimezone(pytz.timezone(entry.timezone))
        event.event_properties = self.clean(kind, event.event_properties)
        event.relation_properties = self.clean(kind, event.relation_properties)
        return event

    def clean(self, source_kind: str, value: Any) -> Any:
        """``value`` with every marked login replaced and bodies dropped, as plain types."""
        if isinstance(value, dict):
            return {k: self.clean(source_kind, v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.clean(source_kind, v) for v in value]
        if isinstance(value, Login):
            return self.name_for(source_kind, value)
        if isinstance(value, PersonLabel):
            return self.name_for(source_kind, value.login)
        if isinstance(value, LoginText):
            logins = {login.lower() for login in value.logins}
            return replace_words(
                str(value),
                lambda word: self.name_for(source_kind, word) if word.lower() in logins else None,
            )
        if isinstance(value, CommentBody):
            return str(value) if self.store_comment_bodies else None
        return value


class IdentityCache:
    """The worker's identity map, read again after ``settings.roster_refresh_seconds``:
    a roster import reaches running workers within that time (and ``remap`` fixes rows
    stored meanwhile)."""

    def __init__(self, read: Callable[[], list[IdentityRecord]], settings: Any):
        self._read = read
        self._key = settings.pseudonym_key
        self._bodies = settings.store_comment_bodies
        self._ttl = settings.roster_refresh_seconds
        self._lock = threading.Lock()
        self._map: IdentityMap | None = None
        self._read_at = 0.0

    def current(self) -> IdentityMap:
        with self._lock:
            if self._map is None or time.monotonic() - self._read_at >= self._ttl:
                self._map = IdentityMap(self._read(), self._key, self._bodies)
                self._read_at = time.monotonic()
            return self._map
