"""The ``file`` roster source: people from a YAML or CSV file, checked line by line.

YAML::

    people:
      - employee_id: E1001          # required, unique
        name: Alice Example
        timezone: Europe/London     # optional; overrides the source's time zone
        teams: [server, kernel]
        active: true                # default true
        identities: {launchpad: alice, github: alice-gh}

CSV: the same fields as columns (``teams`` separated by ``;``), one column per source kind
holding the login. A file with any error is refused as a whole, every error named by line.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from models.exceptions import RosterError
from models.roster.people import Person, check_timezone, known_source_kinds
from models.roster.sources import roster_source

FIELDS = ("employee_id", "name", "timezone", "teams", "active")
_TRUE, _FALSE = {"true", "yes", "1", ""}, {"false", "no", "0"}


def _yaml_records(text: str, path: str) -> list[tuple[int, dict[str, Any]]]:
    """(line, mapping) per person; the line is where the person's entry starts."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise RosterError(f"{path}: not valid YAML: {exc}") from None
    data = yaml.safe_load(text) if root is not None else None
    if not isinstance(data, dict) or not isinstance(data.get("people"), list):
        raise RosterError(f"{path}: expected a mapping with a 'people' list")
    nodes = next(value for key, value in root.value if key.value == "people").value
    return [
        (node.start_mark.line + 1, entry) for node, entry in zip(nodes, data["people"], strict=True)
    ]


def _csv_records(text: str, path: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(text.splitlines(keepends=True))
    kinds = [c for c in reader.fieldnames or [] if c not in FIELDS]
    records = []
    for row in reader:
        entry: dict[str, Any] = {k: (row.get(k) or "").strip() for k in FIELDS if k in row}
        entry["teams"] = [t.strip() for t in entry.get("teams", "").split(";") if t.strip()]
        entry["identities"] = {k: row[k].strip() for k in kinds if (row.get(k) or "").strip()}
        entry["_columns"] = kinds
        records.append((reader.line_num, entry))
    return records


def _active(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RosterError(f"active must be true or false, got {value!r}")


def _person(entry: Any, kinds: frozenset[str]) -> Person:
    if not isinstance(entry, dict):
        raise RosterError(f"expected a mapping of fields, got {entry!r}")
    unknown = sorted(k for k in entry.get("_columns", []) if k not in kinds)
    unknown += sorted(k for k in (entry.get("identities") or {}) if k not in kinds)
    if unknown:
        raise RosterError(f"unknown source kind {unknown[0]!r} (known: {', '.join(sorted(kinds))})")
    employee_id = str(entry.get("employee_id") or "").strip()
    if not employee_id:
        raise RosterError("missing employee_id")
    teams = entry.get("teams") or []
    if not isinstance(teams, list):
        raise RosterError(f"teams must be a list, got {teams!r}")
    return Person(
        employee_id=employee_id,
        name=(str(entry["name"]).strip() or None) if entry.get("name") else None,
        timezone=check_timezone(entry.get("timezone")),
        teams=sorted({str(t) for t in teams}),
        active=_active(entry.get("active", True)),
        identities={k: str(v).strip() for k, v in (entry.get("identities") or {}).items() if v},
    )


def read_roster_file(path: str | Path) -> list[Person]:
    """The people of a YAML (``.yaml``/``.yml``) or CSV (``.csv``) roster file.

    Raises ``RosterError`` naming the file and line of every bad entry: a bad time zone,
    a missing or duplicate employee id, a login claimed by two people, an unknown source
    kind.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RosterError(f"cannot read roster file {path}: {exc.strerror}") from None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        records = _yaml_records(text, str(path))
    elif suffix == ".csv":
        records = _csv_records(text, str(path))
    else:
        raise RosterError(f"{path}: a roster file ends in .yaml, .yml or .csv")
    kinds = known_source_kinds()
    people: list[Person] = []
    errors: list[str] = []
    ids: dict[str, int] = {}
    logins: dict[tuple[str, str], tuple[int, str]] = {}
    for line, entry in records:
        try:
            person = _person(entry, kinds)
        except RosterError as exc:
            errors.append(f"{path}:{line}: {exc}")
            continue
        if person.employee_id in ids:
            errors.append(
                f"{path}:{line}: duplicate employee_id {person.employee_id!r} "
                f"(first at line {ids[person.employee_id]})"
            )
            continue
        ids[person.employee_id] = line
        for kind, login in person.identities.items():
            claimed = logins.setdefault((kind, login.lower()), (line, person.employee_id))
            if claimed[1] != person.employee_id:
                errors.append(
                    f"{path}:{line}: {kind} login {login!r} of {person.employee_id} is "
                    f"already claimed by {claimed[1]} (line {claimed[0]})"
                )
        people.append(person)
    if errors:
        raise RosterError("roster refused, nothing imported:\n" + "\n".join(errors))
    return people


@roster_source("file")
def file_people(settings: Any = None, path: str = "") -> list[Person]:
    """People from the YAML or CSV file at ``path``."""
    if not path:
        raise RosterError("the file roster source needs path=FILE")
    return read_roster_file(path)
