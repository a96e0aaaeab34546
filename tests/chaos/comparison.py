"""Comparing the events table with the simulator's ground truth, row by row.

Also used by ``tests/workers/test_scale_out.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from models.roster.identity import IdentityMap
from models.settings import Settings
from tests.identities import as_stored, identity_map

COMPARED = (
    "event_id",
    "source_kind_id",
    "event_type",
    "parent_item_id",
    "relation_type",
    "employee_id",
    "event_time_utc",
    "timezone",
    "event_properties",
    "relation_properties",
    "metrics",
)


def _utc(value: Any) -> str:
    """An event time as naive UTC ISO text (the table stores TIMESTAMP without zone)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat()


def _normal(event: dict[str, Any]) -> tuple:
    values = []
    for name in COMPARED:
        value = event.get(name)
        if name == "event_time_utc":
            value = _utc(value)
        elif isinstance(value, dict | list):
            value = json.dumps(value, sort_keys=True)
        values.append(value)
    return tuple(values)


@dataclass
class Comparison:
    expected: int
    loaded: int  # rows in the table
    distinct: int  # distinct event_ids in the table
    unexpected: int  # rows whose event_id is not in the ground truth
    missing: int  # ground-truth events with no row
    different: int  # rows whose columns differ from the ground truth's event
    examples: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        """Rows beyond one per event_id, plus rows that should not be there at all."""
        return self.loaded - self.distinct + self.unexpected

    @property
    def equal(self) -> bool:
        return (
            self.loaded == self.expected
            and self.distinct == self.expected
            and not (self.unexpected or self.missing or self.different)
        )

    def describe(self) -> str:
        if self.equal:
            return f"table equals ground truth ({self.expected} events)"
        parts = [
            f"{self.missing} missing",
            f"{self.different} different",
            f"{self.unexpected} not in ground truth",
            f"{self.loaded - self.distinct} repeated event_ids",
        ]
        return (
            "table differs from ground truth: " + ", ".join(parts) + "; " + "; ".join(self.examples)
        )


def compare(
    rows: list[dict[str, Any]], truth: list[dict[str, Any]], identities: IdentityMap | None = None
) -> Comparison:
    """``rows`` against the ground truth as workers store it: through ``identities``,
    by default those of a worker started from this environment (no roster)."""
    stored = as_stored(truth, identities or identity_map(Settings.from_env()))
    expected = {event["event_id"]: _normal(event) for event in stored}
    seen: dict[str, tuple] = {}
    unexpected = different = 0
    examples: list[str] = []
    for row in rows:
        event_id = row["event_id"]
        if event_id not in expected:
            unexpected += 1
            if len(examples) < 3:
                examples.append(f"unexpected {event_id}")
        elif event_id not in seen and _normal(row) != expected[event_id]:
            different += 1
            if len(examples) < 3:
                got = dict(zip(COMPARED, _normal(row), strict=True))
                want = dict(zip(COMPARED, expected[event_id], strict=True))
                diff = {k: (got[k], want[k]) for k in COMPARED if got[k] != want[k]}
                examples.append(f"{event_id} differs: {diff}")
        seen.setdefault(event_id, _normal(row))
    missing_ids = sorted(set(expected) - set(seen))
    examples.extend(f"missing {event_id}" for event_id in missing_ids[: max(0, 3 - len(examples))])
    return Comparison(
        expected=len(expected),
        loaded=len(rows),
        distinct=len(seen),
        unexpected=unexpected,
        missing=len(missing_ids),
        different=different,
        examples=examples,
    )
