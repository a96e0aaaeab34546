"""A name → plugin registry that fills itself by importing modules under ``sources/``.

Both plugin kinds (query types and extract methods) use it: the decorators register, the
factories look up. Discovery imports files; it runs at worker start and in activities,
never in workflow code.
"""

from __future__ import annotations

import importlib
import inspect
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.exceptions import InputError, RegistryError

SOURCES_DIR = Path(__file__).resolve().parents[2] / "sources"


@dataclass(frozen=True)
class Registration:
    name: str
    obj: Any
    location: str  # "path/to/file.py:qualname", shown in errors and listings


def location_of(obj: Any) -> str:
    try:
        path = Path(inspect.getsourcefile(obj) or "?").resolve()
    except TypeError:
        path = Path("?")
    try:
        shown = str(path.relative_to(SOURCES_DIR.parent))
    except ValueError:
        shown = str(path)
    return f"{shown}:{getattr(obj, '__qualname__', repr(obj))}"


class Registry:
    """Plugins of one kind, keyed by name.

    ``glob`` selects the files to import below ``sources/`` (``*/query.py`` or
    ``*/flows/*.py``); ``unknown_error`` is raised, listing the known names, when a look-up
    fails.
    """

    def __init__(self, kind: str, glob: str, unknown_error: type[InputError]):
        self.kind = kind
        self.glob = glob
        self.unknown_error = unknown_error
        self._entries: dict[str, Registration] = {}
        self._lock = threading.RLock()

    def register(self, name: str, obj: Any, origin: Any = None) -> None:
        """Add ``obj`` under ``name``; ``origin`` (default ``obj``) is what is reported
        as its location."""
        if not isinstance(name, str) or not name.strip():
            raise RegistryError(f"{self.kind} name must be a non-empty string, got {name!r}")
        where = location_of(obj if origin is None else origin)
        with self._lock:
            existing = self._entries.get(name)
            # The same definition imported again (e.g. a module reloaded) is not a clash.
            if existing is not None and existing.location != where:
                raise RegistryError(
                    f"{self.kind} {name!r} is registered twice: "
                    f"at {existing.location} and at {where}"
                )
            self._entries[name] = Registration(name, obj, where)

    def get(self, name: str) -> Registration:
        # Every activity looks its plugins up: scan sources/ only for a name not seen yet.
        if name not in self._entries:
            self.discover()
        with self._lock:
            found = self._entries.get(name)
            if found is None:
                known = ", ".join(sorted(self._entries)) or "(none)"
                raise self.unknown_error(f"unknown {self.kind} {name!r}; known: {known}")
            return found

    def all(self) -> dict[str, Registration]:
        self.discover()
        with self._lock:
            return dict(sorted(self._entries.items()))

    def module_names(self) -> list[str]:
        """Importable module names of the plugin files below ``sources/``, sorted."""
        names = []
        for path in sorted(SOURCES_DIR.glob(self.glob)):
            if path.name.startswith("_"):
                continue
            relative = path.relative_to(SOURCES_DIR.parent).with_suffix("")
            names.append(".".join(relative.parts))
        return names

    def discover(self) -> None:
        """Import every plugin file not imported yet (new files are picked up too)."""
        with self._lock:
            # A file created since the last scan may hide behind the import system's
            # directory cache in a long-running process.
            importlib.invalidate_caches()
            for module_name in self.module_names():
                try:
                    importlib.import_module(module_name)
                except ModuleNotFoundError as missing:
                    # Listed a moment ago, removed since (a source being deleted while
                    # a worker scans): not a plugin any more. Any other import error is
                    # the plugin's own and stays loud.
                    if not module_name.startswith(missing.name or "\0") or module_file_exists(
                        module_name
                    ):
                        raise


def module_file_exists(module_name: str) -> bool:
    return (SOURCES_DIR.parent / Path(*module_name.split("."))).with_suffix(".py").exists()


class RegistryView(Mapping):
    """Read-only ``name → plugin`` view of a registry (what it holds now, no discovery)."""

    def __init__(self, registry: Registry):
        self._registry = registry

    def __getitem__(self, name: str) -> Any:
        return self._registry._entries[name].obj

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._registry._entries))

    def __len__(self) -> int:
        return len(self._registry._entries)


class PluginFactory:
    """What both factories share: discovery and listing over their ``_registry``."""

    _registry: Registry

    @classmethod
    def _plugin_directories(cls) -> list[str]:
        """Packages that hold plugin files, e.g. ``sources.launchpad.flows``."""
        return sorted({name.rsplit(".", 1)[0] for name in cls._registry.module_names()})

    @classmethod
    def _discover_and_import_modules(cls) -> None:
        cls._registry.discover()

    @classmethod
    def available(cls) -> dict[str, str]:
        """Registered names and the file and object that define each."""
        return {name: reg.location for name, reg in cls._registry.all().items()}
