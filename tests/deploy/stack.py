"""Read the deployment files the way docker compose and the Temporal server read them.

Only the subset of compose interpolation and Temporal config templating that the files in
this repository use is implemented; anything else raises, so a new construct cannot slip
past the tests unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
TEMPORAL_CONFIG = REPO / "temporal-config"

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:+alt}, ${NAME+alt}, ${NAME:?err}
_INTERPOLATION = re.compile(
    r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-+?])(?P<arg>[^}]*))?\}"
)


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """Compose-style interpolation of ``value`` with ``env`` (``$$`` is a literal ``$``)."""
    escaped = value.replace("$$", "\0")

    def replace(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        current = env.get(name)
        is_set, non_empty = current is not None, bool(current)
        if op is None:
            return current or ""
        if op == ":-":
            return current if non_empty else arg
        if op == "-":
            return current if is_set else arg
        if op == ":+":
            return arg if non_empty else ""
        if op == "+":
            return arg if is_set else ""
        if (op == ":?" and not non_empty) or (op == "?" and not is_set):
            raise ValueError(f"required variable {name} is not set: {arg}")
        return current

    result = _INTERPOLATION.sub(replace, escaped)
    if "$" in result.replace("\0", ""):
        raise ValueError(f"unsupported interpolation in {value!r}")
    return result.replace("\0", "$")


def defaults(value: str) -> str:
    """``value`` as compose resolves it when no variable is set: the development defaults."""
    return interpolate(value, {})


def interpolated_names(value: str) -> set[str]:
    return {m["name"] for m in _INTERPOLATION.finditer(value.replace("$$", ""))}


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def services() -> dict[str, dict]:
    return compose()["services"]


def environment(service: dict) -> dict[str, str | None]:
    """A service's environment as a mapping; ``None`` means "passed through if set"."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) if "=" in item else (item, None) for item in env)
        return {k: v for k, v in pairs}
    return {k: (None if v is None else str(v)) for k, v in env.items()}


def published_ports(service: dict) -> list[tuple[str | None, int, int]]:
    """(host ip or None, host port, container port) for every published port."""
    result = []
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            ip = entry.get("host_ip")
            result.append((ip, int(defaults(str(entry["published"]))), int(entry["target"])))
            continue
        text = defaults(str(entry)).split("/", 1)[0]
        parts = text.rsplit(":", 2)
        if len(parts) == 3:
            result.append((parts[0], int(parts[1]), int(parts[2])))
        elif len(parts) == 2:
            result.append((None, int(parts[0]), int(parts[1])))
        else:
            raise AssertionError(f"port {entry!r} is not published on a fixed host port")
    return result


def bind_mounts(service: dict) -> list[tuple[str, str, bool]]:
    """(host source, container target, read-only) for every bind mount of a service."""
    result = []
    for entry in service.get("volumes") or []:
        if isinstance(entry, dict):
            if entry.get("type") == "bind":
                result.append((entry["source"], entry["target"], bool(entry.get("read_only"))))
            continue
        parts = str(entry).split(":")
        if parts[0].startswith((".", "/", "~")):
            mode = parts[2] if len(parts) > 2 else "rw"
            result.append((parts[0], parts[1], "ro" in mode.split(",")))
    return result


def named_volumes(service: dict) -> list[str]:
    names = []
    for entry in service.get("volumes") or []:
        if isinstance(entry, dict):
            if entry.get("type") == "volume":
                names.append(entry["source"])
            continue
        source = str(entry).split(":")[0]
        if not source.startswith((".", "/", "~")) and ":" in str(entry):
            names.append(source)
    return names


def one_shot_services() -> set[str]:
    """Services some other service waits on to *complete*: jobs, not daemons."""
    return {
        name
        for svc in services().values()
        for name, dep in (svc.get("depends_on") or {}).items()
        if isinstance(dep, dict) and dep.get("condition") == "service_completed_successfully"
    }


def long_running_services() -> set[str]:
    return set(services()) - one_shot_services()


# --- Temporal server config templates -------------------------------------------------

_TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_DEFAULT_ENV = re.compile(r'^\s*default\s+"(?P<default>[^"]*)"\s+\(env\s+"(?P<name>\w+)"\)\s*$')
_ENV = re.compile(r'^\s*env\s+"(?P<name>\w+)"\s*(?P<pipe>\|.*)?$')
# Doubles single quotes so that a value stays a valid single-quoted YAML string.
_QUOTE_ESCAPE = re.compile(
    r'^\|\s*replace\s+\(printf\s+"%c"\s+39\)\s+\(printf\s+"%c%c"\s+39\s+39\)\s*$'
)


def template_refs(text: str) -> list[tuple[str, str | None]]:
    """(variable, default or None) for every ``{{ ... }}`` expression in ``text``."""
    refs = []
    for match in _TEMPLATE.finditer(text):
        expr = match.group(1)
        if m := _DEFAULT_ENV.match(expr):
            refs.append((m["name"], m["default"]))
        elif m := _ENV.match(expr):
            refs.append((m["name"], None))
        else:
            raise ValueError(f"template expression not understood by the tests: {{{{{expr}}}}}")
    return refs


def render_template(text: str, env: Mapping[str, str]) -> str:
    """Render the template subset used in temporal-config/config.yaml like the server does."""

    def replace(match: re.Match) -> str:
        expr = match.group(1)
        if m := _DEFAULT_ENV.match(expr):
            return env.get(m["name"]) or m["default"]
        if m := _ENV.match(expr):
            value = env.get(m["name"], "")
            pipe = m["pipe"]
            if pipe is None:
                return value
            if _QUOTE_ESCAPE.match(pipe):
                return value.replace("'", "''")
            raise ValueError(f"template pipeline not understood by the tests: {pipe}")
        raise ValueError(f"template expression not understood by the tests: {{{{{expr}}}}}")

    return _TEMPLATE.sub(replace, text)


def server_environment(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The `temporal` service's environment with compose defaults applied."""
    env = {k: defaults(v) for k, v in environment(services()["temporal"]).items() if v is not None}
    env.update(overrides or {})
    return env
