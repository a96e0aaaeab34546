"""Events to PostgreSQL's COPY text format (tab-separated, ``\\N`` for NULL).

Written for speed: at tens of thousands of rows per second the Python side is a large
part of a load, so each column of ``Event.to_row()`` has its own converter.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from models.event import Event

NULL = "\\N"
_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


_encode_json = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), default=_json_default
).encode


def text(value: Any) -> str:
    """A text value, escaped for COPY (``None`` as NULL)."""
    if value is None:
        return NULL
    value = str(value)
    if _SPECIAL.search(value):
        return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], value)
    return value


def jsonb(value: Any) -> str:
    """A JSON value for a JSONB column (``None`` as SQL NULL). JSON text holds no raw
    tabs or newlines, so only backslashes need escaping."""
    if value is None:
        return NULL
    encoded = _encode_json(value)
    return encoded.replace("\\", "\\\\") if "\\" in encoded else encoded


def timestamp(value: datetime | None) -> str:
    return NULL if value is None else str(value)  # 'YYYY-MM-DD HH:MM:SS[.ffffff]'


def day(value: date | None) -> str:
    return NULL if value is None else value.isoformat()


# One converter per column of Event.COLUMNS / Event.to_row().
CONVERTERS = {
    "source_kind_id": text,
    "parent_item_id": text,
    "event_id": text,
    "event_type": text,
    "relation_type": text,
    "employee_id": text,
    "event_time_utc": timestamp,
    "week": day,
    "timezone": text,
    "event_time": timestamp,
    "event_properties": jsonb,
    "relation_properties": jsonb,
    "metrics": jsonb,
    "source_actor": text,
}
assert tuple(CONVERTERS) == Event.COLUMNS, "copy converters out of step with Event.COLUMNS"
_ROW = tuple(CONVERTERS.values())


def copy_line(row: tuple) -> str:
    return "\t".join([convert(value) for convert, value in zip(_ROW, row, strict=True)]) + "\n"


def copy_text(events: Iterable[Event]) -> str:
    """The COPY text of ``events``, columns in ``Event.COLUMNS`` order."""
    return "".join([copy_line(e.to_row()) for e in events])


def copy_buffer(events: Iterable[Event]) -> io.StringIO:
    return io.StringIO(copy_text(events))
