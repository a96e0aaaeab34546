"""Which values of a Launchpad event name people, marked for the identity step.

Launchpad names people by login (its ``name``) in links and unique names
(``~alice/widget/+git/widget``), in subjects that quote them, and as
``"Display Name (login)"`` in the old and new values of an assignee change. Comment
bodies are marked as such (kept only with ``STORE_COMMENT_BODIES``). Every mapping
(``bug_events``, ``merge_proposal_events``, ``question_events``) passes its events
through ``mark_people``; the values stay equal to Launchpad's text until the identity
step (``models/roster/identity.py``) replaces them.
"""

from __future__ import annotations

import re
from typing import Any

from models.identity import CommentBody, Login, LoginText, PersonLabel

_TILDE_NAME = re.compile(r"~([a-z0-9][a-z0-9+.-]*)")
_LABEL = re.compile(r"^(.*)\(([a-z0-9][a-z0-9+.-]*)\)\s*$", re.DOTALL)
_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]*$")

# Free texts of people's own writing, by key (relation_properties).
_BODIES = ("content",)
# Texts that may quote people as ~name, by key (either properties).
_TEXTS = ("source", "target", "web_link", "subject", "message", "description", "title")


def tilde_logins(text: str) -> list[str]:
    """The logins written ``~name`` in ``text`` (links, unique names, subjects)."""
    return [name.rstrip(".") for name in _TILDE_NAME.findall(text)]


def person_value(value: Any) -> Any:
    """An assignee as a bug activity shows it: ``Display Name (login)`` or a bare login."""
    if not isinstance(value, str):
        return value
    match = _LABEL.match(value)
    if match:
        return PersonLabel(value, match.group(2))
    return Login(value) if _NAME.match(value) else LoginText(value, tilde_logins(value))


def _mark_texts(properties: dict[str, Any]) -> dict[str, Any]:
    marked = dict(properties)
    for key in _TEXTS:
        value = marked.get(key)
        if isinstance(value, str) and (logins := tilde_logins(value)):
            marked[key] = LoginText(value, logins)
    for key in _BODIES:
        if isinstance(marked.get(key), str):
            marked[key] = CommentBody(marked[key])
    return marked


def mark_people(event: dict[str, Any] | None) -> dict[str, Any] | None:
    """The event with every person-naming value of its properties marked (a copy)."""
    if event is None:
        return None
    marked = dict(event)
    if event.get("event_properties") is not None:
        marked["event_properties"] = _mark_texts(event["event_properties"])
    if event.get("relation_properties") is not None:
        relation = _mark_texts(event["relation_properties"])
        if event.get("relation_type") == "assignee_changed":
            for key in ("oldvalue", "newvalue"):
                relation[key] = person_value(relation.get(key))
        marked["relation_properties"] = relation
    return marked
