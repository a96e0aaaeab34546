"""Roster sources: where the people come from, registered by name like query types.

Built in: ``file`` (YAML or CSV, ``models/roster/file_source.py``) and ``launchpad-team``
(``sources/launchpad/roster.py``). Another one (an HR system's API) is one new module
``sources/<name>/roster.py``: it is found by scanning, like ``sources/*/query.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from models.etl.registry import Registry
from models.exceptions import RegistryError, UnknownRosterSourceError
from models.roster.people import Person

# A roster source: (settings, **options from the command line) → every person it knows.
RosterSource = Callable[..., list[Person]]

_registry = Registry("roster source", "*/roster.py", UnknownRosterSourceError)


def roster_source(name: str):
    """Register a function that reads people as the roster source ``name``.

    Example (``sources/hr/roster.py``)::

        @roster_source("hr")
        def hr_people(settings: Settings, url: str) -> list[Person]:
            return [
                Person(employee_id=row["id"], name=row["name"], teams=row["teams"],
                       identities={"launchpad": row["lp"], "github": row["gh"]})
                for row in fetch_employees(url)
            ]

    It is called with the worker's ``Settings`` and the options given to
    ``scripts/roster.py import --source NAME key=value ...``. Registering a second function under the same
    name raises ``RegistryError`` naming both.
    """

    def register(function: Any) -> Any:
        if not callable(function):
            raise RegistryError(f"@roster_source({name!r}) must decorate a function")
        _registry.register(name, function)
        return function

    return register


def get_roster_source(name: str) -> RosterSource:
    return _registry.get(name).obj


def available_roster_sources() -> dict[str, str]:
    """Registered names and the file and object that define each."""
    return {name: reg.location for name, reg in _registry.all().items()}
