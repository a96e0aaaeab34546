"""Reading named-operation parameters the way lazr.restful does.

lazr.restfulclient JSON-encodes every argument except those whose WADL lists
options, so a person arrives as '"http://.../~ada"', a list as '["New", "Triaged"]'
and a datetime as '"2024-01-01T00:00:00+00:00"'. Plain values and repeated
parameters (status=New&status=Triaged) are accepted too, as Launchpad does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from simulator.launchpad.dataset import Dataset
from simulator.timeutil import parse_instant


class BadRequest(Exception):
    """Answered with 400 and the message as text, like Launchpad's validation errors."""


def _decode(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


class OperationParams:
    """The query parameters of one named-operation call."""

    def __init__(self, query: dict[str, list[str]], dataset: Dataset):
        self.query = query
        self.ds = dataset

    def has(self, name: str) -> bool:
        return name in self.query

    def value(self, name: str) -> Any:
        values = self.query.get(name)
        return None if not values else _decode(values[-1])

    def text(self, name: str) -> str | None:
        value = self.value(name)
        return None if value is None else str(value)

    def flag(self, name: str, default: bool) -> bool:
        value = self.value(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "false"):
            return str(value).lower() == "true"
        raise BadRequest(f"{name}: Invalid value {value!r}: expected true or false.")

    def strings(self, name: str) -> list[str] | None:
        """A list parameter (JSON list, repeated or single value); None when absent."""
        values = self.query.get(name)
        if not values:
            return None
        items: list[Any] = []
        for raw in values:
            decoded = _decode(raw)
            items.extend(decoded if isinstance(decoded, list) else [decoded])
        return [str(item) for item in items]

    def choices(self, name: str, allowed: Iterable[str]) -> list[str] | None:
        """A list parameter whose items must be among `allowed`; None when absent."""
        items = self.strings(name)
        if items is None:
            return None
        allowed = tuple(allowed)
        for item in items:
            if item not in allowed:
                raise BadRequest(
                    f'{name}: Invalid value "{item}". Acceptable values are: {", ".join(allowed)}'
                )
        return items

    def choice(self, name: str, allowed: Iterable[str]) -> str | None:
        chosen = self.choices(name, allowed)
        if chosen and len(chosen) > 1:
            raise BadRequest(f"{name}: Expected a single value, got {len(chosen)}.")
        return chosen[0] if chosen else None

    def instant(self, name: str) -> datetime | None:
        value = self.value(name)
        if value is None:
            return None
        try:
            return parse_instant(str(value))
        except ValueError:
            raise BadRequest(f"{name}: Value doesn't look like a date.") from None

    def person(self, name: str) -> str | None:
        """A person or team given by its link; returns its name."""
        value = self.value(name)
        if value is None:
            return None
        link = str(value).rstrip("/")
        person = link.rpartition("/~")[2] if "/~" in link else None
        if not person or not self.ds.exists(person):
            raise BadRequest(f"{name}: No such person or team: {value!r}")
        return person
