"""Extract methods: functions that pull events for a query out of a source.

Two forms are accepted, so small sources stay small and large ones can resume:

* **simple** — ``extract_data(query) -> list[dict]`` (plain or ``async def``), called once;
* **paged** — a generator ``extract_data(query, cursor) -> Iterator[Page]``. Each ``Page``
  carries a JSON-serialisable ``cursor``; calling the function again with that cursor
  yields the pages after it. The runner loads each page before asking for the next and
  records its cursor, so a retried or moved activity resumes instead of starting over.

Event dicts carry ``Event`` fields (see ``models.event``).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from models.etl.registry import Registry, RegistryView
from models.exceptions import RegistryError, UnknownExtractMethodError

_registry = Registry("extract_method", "*/flows/*.py", UnknownExtractMethodError)

DONE = "done"  # cursor of a simple extract method once its one page is loaded


@dataclass
class Page:
    events: list[dict[str, Any]]
    cursor: Any = None
    stats: dict[str, int] = field(default_factory=dict)  # e.g. {"items": 3}


@dataclass(frozen=True)
class ExtractMethod:
    name: str
    func: Callable[..., Any]

    @property
    def paged(self) -> bool:
        return inspect.isgeneratorfunction(self.func)

    def pages(self, query: Any, cursor: Any = None) -> Iterator[Page]:
        """Pages of events after ``cursor`` (``None``: from the beginning)."""
        if self.paged:
            yield from self.func(query, cursor)
            return
        if cursor == DONE:
            return
        result = self.func(query)
        if inspect.isawaitable(result):
            # Activities run on worker threads with no event loop of their own.
            result = asyncio.run(result)
        yield Page(events=list(result or []), cursor=DONE)

    def __call__(self, query: Any) -> list[dict[str, Any]]:
        """Every event for ``query`` in one list (convenient for small runs and tests)."""
        return [event for page in self.pages(query) for event in page.events]


def extract_method(name: str):
    """Register an extract function under ``name`` (by convention ``source-flow``).

    Example::

        @extract_method(name="github-issues")
        def extract_data(query: GithubQuery) -> list[dict]:
            return [{"event_id": "github-issue-1-opened", ...}]

    A generator ``extract_data(query, cursor)`` yielding ``Page`` objects is resumable
    (see the module docstring). A second function under the same name raises
    ``RegistryError`` naming both files.
    """

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(func):
            raise RegistryError(f"@extract_method({name!r}) must decorate a function")
        _registry.register(name, ExtractMethod(name, func), origin=func)
        return func

    return register


class ExtractStrategy:
    """Finds extract methods under ``sources/*/flows/*.py`` and returns them by name."""

    _registry = _registry
    _extract_method_registry = RegistryView(_registry)

    @classmethod
    def _discover_flow_directories(cls) -> list[str]:
        return sorted({name.rsplit(".", 1)[0] for name in _registry.module_names()})

    @classmethod
    def _discover_and_import_modules(cls) -> None:
        _registry.discover()

    @classmethod
    def available(cls) -> dict[str, str]:
        """Registered extract method names and where each is defined."""
        return {name: reg.location for name, reg in _registry.all().items()}

    @classmethod
    def create(cls, extract_cmd_type: str) -> ExtractMethod:
        return _registry.get(extract_cmd_type).obj
