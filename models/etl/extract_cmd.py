"""Extract methods: functions that pull events for a query out of a source.

Two forms are accepted, so small sources stay small and large ones can resume:

* **simple** — ``extract_data(query) -> list[dict]`` (plain or ``async def``), called once;
* **paged** — a generator ``extract_data(query, cursor) -> Iterator[Page]``. Each ``Page``
  carries a JSON-serialisable ``cursor``; calling the function again with that cursor
  yields the pages after it. The runner loads each page before asking for the next and
  records its cursor, so a retried or moved activity resumes instead of starting over.

A paged method may also be **partitioned**, so ``StreamingETLFlow`` can run several parts
of one extraction at once: a partition hook ``list_item_ids(query) -> list[id]`` returns
the sorted ids (ints or strings) of the items a run would work through, and the function
accepts range cursors ``{"after": a, "until": b}`` (items with ``a < id <= b``; without
``"until"``, every item after ``a``) whose pages carry cursors of the same form. Give the
hook as ``@extract_method(name=..., partitions=list_item_ids)``, or define a function
named ``list_item_ids`` in the same module (the Launchpad flows do).

Event dicts carry ``Event`` fields (see ``models.event``).
"""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from models.etl.registry import PluginFactory, Registry, RegistryView
from models.exceptions import InvalidQueryError, RegistryError, UnknownExtractMethodError

_registry = Registry("extract_method", "*/flows/*.py", UnknownExtractMethodError)

DONE = "done"  # cursor of a simple extract method once its one page is loaded
PARTITION_HOOK = "list_item_ids"  # module-level partition hook found by convention


@dataclass
class Page:
    events: list[dict[str, Any]]
    cursor: Any = None
    stats: dict[str, int] = field(default_factory=dict)  # e.g. {"items": 3}


@dataclass(frozen=True)
class ExtractMethod:
    name: str
    func: Callable[..., Any]
    partition_hook: Callable[[Any], list[Any]] | None = None  # explicit ``partitions=``

    @property
    def paged(self) -> bool:
        return inspect.isgeneratorfunction(self.func)

    @property
    def partitions(self) -> Callable[[Any], list[Any]] | None:
        """The partition hook (see the module docstring), or None: the method runs as one
        part. Only paged methods can be partitioned: the simple form takes no cursor."""
        if not self.paged:
            return None
        if self.partition_hook is not None:
            return self.partition_hook
        hook = getattr(sys.modules.get(self.func.__module__), PARTITION_HOOK, None)
        return hook if callable(hook) else None

    def partition(self, query: Any, chunk_size: int) -> list[Any]:
        """Start cursors of independent parts of ``chunk_size`` items each.

        ``[None]`` (one part from the beginning) when the method has no partition hook;
        ``[]`` when the hook finds no items.
        """
        hook = self.partitions
        if hook is None:
            return [None]
        return item_ranges(list(hook(query)), chunk_size)

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


def item_ranges(ids: list[Any], chunk_size: int) -> list[dict[str, Any]]:
    """Range cursors covering sorted ``ids`` in parts of ``chunk_size`` items.

    The ranges meet end to end, the first starts below every id (0 or less for ints, the
    empty string for strings) and the last has no ``"until"``: an item that appears
    after planning still falls in one of them.
    """
    if not ids:
        return []
    size = max(1, int(chunk_size))
    ids = sorted(ids)
    first = ids[0]
    after: Any = "" if isinstance(first, str) else min(0, first - 1)
    ranges: list[dict[str, Any]] = []
    for start in range(0, len(ids), size):
        part = ids[start : start + size]
        last_part = start + size >= len(ids)
        ranges.append({"after": after} if last_part else {"after": after, "until": part[-1]})
        after = part[-1]
    return ranges


def parse_range_cursor(cursor: Any, id_type: type, source: str) -> tuple[Any, Any]:
    """A range cursor read back: ``None`` (from the start: ``id_type()``, 0 or "") |
    ``{"after": X}`` | ``{"after": X, "until": Y}`` → (after, until), X and Y of
    ``id_type``; anything else is an ``InvalidQueryError`` naming ``source``."""
    if cursor is None:
        return id_type(), None
    if isinstance(cursor, dict) and set(cursor) <= {"after", "until"} and "after" in cursor:
        after, until = cursor["after"], cursor.get("until")
        if isinstance(after, id_type) and (until is None or isinstance(until, id_type)):
            return after, until
    raise InvalidQueryError(
        f'{source} cursor must be {{"after": <item id>}} with an optional "until", got {cursor!r}'
    )


def extract_method(name: str, partitions: Callable[[Any], list[Any]] | None = None):
    """Register an extract function under ``name`` (by convention ``source-flow``).

    Example::

        @extract_method(name="github-issues")
        def extract_data(query: GithubQuery) -> list[dict]:
            return [{"event_id": "github-issue-1-opened", ...}]

    A generator ``extract_data(query, cursor)`` yielding ``Page`` objects is resumable,
    and with ``partitions`` (a partition hook) it can be split into item ranges (see the
    module docstring). A second function under the same name raises ``RegistryError``
    naming both files.
    """
    if partitions is not None and not callable(partitions):
        raise RegistryError(f"@extract_method({name!r}): partitions must be a function")

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(func):
            raise RegistryError(f"@extract_method({name!r}) must decorate a function")
        _registry.register(name, ExtractMethod(name, func, partitions), origin=func)
        return func

    return register


class ExtractStrategy(PluginFactory):
    """Finds extract methods under ``sources/*/flows/*.py`` and returns them by name."""

    _registry = _registry
    _extract_method_registry = RegistryView(_registry)

    @classmethod
    def _discover_flow_directories(cls) -> list[str]:
        return cls._plugin_directories()

    @classmethod
    def create(cls, extract_cmd_type: str) -> ExtractMethod:
        return _registry.get(extract_cmd_type).obj
