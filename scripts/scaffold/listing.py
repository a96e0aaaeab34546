"""What is registered: query types and extract methods, and the files defining them.

Each plugin module under ``sources/`` is imported on its own, so one broken source is
reported with its error instead of hiding the others.
"""

from __future__ import annotations

import importlib
import json
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from models.etl.extract_cmd import ExtractStrategy
from models.etl.query import QueryFactory


@dataclass
class Listing:
    query_types: dict[str, str] = field(default_factory=dict)  # name → file:qualname
    extract_methods: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # module → error
    silent: list[str] = field(default_factory=list)  # plugin files registering nothing

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)

    def render(self) -> str:
        out = []
        for title, entries in (
            ("Query types", self.query_types),
            ("Extract methods", self.extract_methods),
        ):
            out.append(f"{title} ({len(entries)}):")
            width = max((len(name) for name in entries), default=0)
            out += [f"  {name:<{width}}  {where}" for name, where in entries.items()]
            if not entries:
                out.append("  (none)")
        for path in self.silent:
            out.append(f"warning: {path} registers nothing (no @query_type/@extract_method)")
        for module, error in self.errors.items():
            out.append(f"error: {module} cannot be imported: {error}")
        return "\n".join(out)


def collect() -> Listing:
    """Import every plugin module, then read both registries."""
    listing = Listing()
    modules = []
    for registry in (QueryFactory._registry, ExtractStrategy._registry):
        for name in registry.module_names():
            modules.append(name)
            try:
                importlib.import_module(name)
            except Exception as exc:  # any failure of user code is reported, not raised
                last = traceback.extract_tb(exc.__traceback__)[-1:]
                where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
                listing.errors[name] = f"{type(exc).__name__}: {exc}{where}"
    for target, registry in (
        (listing.query_types, QueryFactory._registry),
        (listing.extract_methods, ExtractStrategy._registry),
    ):
        with registry._lock:
            entries = dict(registry._entries)
        for name in sorted(entries):
            target[name] = entries[name].location
    wheres = (*listing.query_types.values(), *listing.extract_methods.values())
    locations = {where.rsplit(":", 1)[0] for where in wheres}
    for name in modules:
        path = str(Path(*name.split(".")).with_suffix(".py"))
        if name not in listing.errors and path not in locations:
            listing.silent.append(path)
    return listing
