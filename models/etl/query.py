"""Query types: what to extract, as a typed object built from a workflow's ``args``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from models.etl.registry import PluginFactory, Registry, RegistryView
from models.exceptions import InvalidQueryError, RegistryError, UnknownQueryTypeError

if TYPE_CHECKING:
    from models.settings import Settings

_registry = Registry("query_type", "*/query.py", UnknownQueryTypeError)

# Longer windows are surely a typo in a date; one run that long would also never finish.
MAX_WINDOW = timedelta(days=366 * 20)


def validate_window(start: datetime, end: datetime, start_text: str, end_text: str) -> None:
    """Raise ``InvalidQueryError`` unless [``start``, ``end``) is a window a run can
    extract: ``end`` after ``start``, at most ``MAX_WINDOW`` long. The texts are the
    bounds as the user gave them (``data_date_start``, ``data_date_end``), for the message."""
    if end <= start:
        raise InvalidQueryError(
            f"data_date_end ({end_text}) must be after data_date_start ({start_text})"
        )
    if end - start > MAX_WINDOW:
        raise InvalidQueryError(
            f"window {start_text} .. {end_text} is longer than "
            f"{MAX_WINDOW.days} days; split it into smaller runs"
        )


class Query(ABC):
    """Base of every query type.

    Subclasses add their own fields, build themselves from plain ``args`` in
    ``from_dict`` (raising ``InvalidQueryError`` with a specific message on bad input) and
    say in ``to_summary_base`` what a run's summary should repeat about the query.
    Queries travel in workflow inputs, which everyone with Web UI access can read: they
    must never hold secrets. Credentials belong in the worker's settings.
    """

    def __init__(self, source_kind_id: str, event_type: str):
        self.source_kind_id = source_kind_id
        self.event_type = event_type

    @staticmethod
    @abstractmethod
    def from_dict(data: dict[str, Any]) -> Query: ...

    @abstractmethod
    def to_summary_base(self) -> dict[str, Any]: ...

    @classmethod
    def args_for_member(
        cls, member: str, data_date_start: str, data_date_end: str, settings: Settings
    ) -> dict[str, Any]:
        """The ``args`` of one queued run: ``member``'s activity over the window, from the
        service the worker's ``settings`` name (so queuer inputs and schedules never
        carry service roots). ``QueuerFlow`` calls it; a query type that can be queued
        per person overrides it."""
        raise InvalidQueryError(
            f"{cls.__name__} cannot be queued per member: it does not define args_for_member"
        )


def query_type(name: str):
    """Register a ``Query`` subclass under ``name`` so workflows can ask for it.

    Example::

        @query_type("github")
        class GithubQuery(Query):
            @staticmethod
            def from_dict(data):
                return GithubQuery(repository=data["repository"])
            ...

    Registering a second class under the same name raises ``RegistryError`` naming both.
    """

    def register(cls: type) -> type:
        if not (isinstance(cls, type) and issubclass(cls, Query)):
            raise RegistryError(
                f"@query_type({name!r}) must decorate a Query subclass, not {cls!r}"
            )
        _registry.register(name, cls)
        return cls

    return register


class QueryFactory(PluginFactory):
    """Finds query types under ``sources/*/query.py`` and builds queries by name."""

    _registry = _registry
    # The README's "Exploring Registered Components" reads this mapping directly.
    _query_type_registry = RegistryView(_registry)

    @classmethod
    def _discover_query_directories(cls) -> list[str]:
        return cls._plugin_directories()

    @classmethod
    def get(cls, query_type_name: str) -> type[Query]:
        return _registry.get(query_type_name).obj

    @classmethod
    def create(cls, query_type_name: str, args: dict[str, Any]) -> Query:
        """Build the query registered as ``query_type_name`` from ``args``."""
        query_cls = cls.get(query_type_name)
        if not isinstance(args, dict):
            raise InvalidQueryError(f"args must be a mapping, got {type(args).__name__}")
        try:
            return query_cls.from_dict(args)
        except InvalidQueryError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidQueryError(f"bad args for query_type {query_type_name!r}: {exc}") from exc
