"""Which names new.py accepts for sources and flows, and what it derives from them."""

from __future__ import annotations

import importlib.metadata
import keyword
import pkgutil
import re
import site
import sys
from functools import cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SOURCES_DIR = PROJECT_ROOT / "sources"

DEFAULT_SOURCE = "sample_source"
DEFAULT_SOURCE_FLOW = "sample_flow"
DEFAULT_FLOW = "events"  # the flow created for a new source when none is named
MAX_LENGTH = 30  # keeps every generated line within ruff's 100 characters

# Top-level packages of this project, also when a checkout lacks some of them.
PROJECT_PACKAGES = frozenset(
    {"models", "sources", "workers", "scripts", "tests", "simulator", "devstack", "bench"}
)

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class BadName(ValueError):
    """A source or flow name new.py refuses; the message says why and what to do."""


def project_modules(root: Path = PROJECT_ROOT) -> frozenset[str]:
    """Top-level importable names of the project: its packages and its scripts."""
    found = set(PROJECT_PACKAGES)
    for entry in root.iterdir():
        if entry.name.startswith((".", "_")) or entry.name in ("venv", "node_modules"):
            continue
        if entry.is_file() and entry.suffix == ".py":
            found.add(entry.stem)
        elif entry.is_dir() and any(entry.glob("*.py")):
            found.add(entry.name)
    return frozenset(found)


@cache
def installed_modules() -> frozenset[str]:
    """Top-level modules importable from site-packages (the venv's installed packages)."""
    found = set(importlib.metadata.packages_distributions())
    dirs = [*site.getsitepackages(), site.getusersitepackages()]
    dirs = [path for path in dirs if Path(path).is_dir()]
    found.update(module.name for module in pkgutil.iter_modules(dirs))
    return frozenset(name for name in found if name.isidentifier())


def collision(name: str) -> str | None:
    """What ``name`` would shadow as a module name, or None."""
    if name in project_modules():
        return f"the project's own top-level package or script {name!r}"
    if name in sys.stdlib_module_names:
        return f"the standard-library module {name!r}"
    if name in installed_modules():
        return f"the installed package {name!r}"
    return None


def check_name(name: str, kind: str) -> str:
    """Return ``name`` if it can name a source or flow; else raise BadName.

    ``kind`` is ``"source"`` or ``"flow"`` and only shapes the messages.
    """
    shown = f"{kind} name {name!r}"
    if not name or not name.strip():
        example = "github" if kind == "source" else "issues"
        raise BadName(f"{kind} name is empty; give a name such as {example!r}")
    if "/" in name or "\\" in name or name in (".", "..") or name.endswith(".py"):
        raise BadName(
            f"{shown} looks like a path or a file name; give a bare name "
            f"(new.py decides where files go: sources/SOURCE/flows/FLOW.py)"
        )
    if keyword.iskeyword(name):
        raise BadName(f"{shown} is a Python keyword; it cannot be imported as a module")
    if not name.isidentifier() or not _NAME.match(name):
        raise BadName(
            f"{shown} is not usable as a module name: use lower-case ASCII letters, digits "
            f"and underscores, starting with a letter (e.g. {suggest(name)!r})"
        )
    if len(name) > MAX_LENGTH:
        raise BadName(f"{shown} is longer than {MAX_LENGTH} characters")
    clash = collision(name)
    if clash:
        raise BadName(
            f"{shown} collides with {clash}: a module of that name can shadow it "
            f"(for instance when the file is run directly); choose another, "
            f"e.g. {name + '_' + ('src' if kind == 'source' else 'events')!r}"
        )
    return name


def suggest(name: str) -> str:
    """A name in the accepted shape close to ``name``, for messages."""
    text = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    if not text or not text[0].isalpha():
        text = "src_" + text if text else "my_source"
    return text


def check_names(source: str, flows: list[str]) -> None:
    """Validate a whole command line before anything is written."""
    check_name(source, "source")
    seen = set()
    for flow in flows:
        check_name(flow, "flow")
        if flow in seen:
            raise BadName(f"flow {flow!r} is given twice")
        seen.add(flow)


def query_class_name(source: str) -> str:
    """``sample_source`` → ``SampleSourceQuery``, ``github`` → ``GithubQuery``."""
    return "".join(part[:1].upper() + part[1:] for part in source.split("_") if part) + "Query"


def method_name(source: str, flow: str) -> str:
    """The extract method name a flow registers under: ``SOURCE-FLOW``."""
    return f"{source}-{flow}"
