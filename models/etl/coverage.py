"""Reading and writing the queuer's coverage (table ``queuer_coverage``, migration 0003).

A row is one completed window of one identity × flow; rows are never changed, and
recording the same window twice changes nothing. The watermark of an identity × flow is
the end of its last completed window; coverage merges the windows, and a gap is any time
between two merged stretches, or between the last one and the time it should reach.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from psycopg2.extras import execute_values

from models.etl.queuer_io import CoveredWindow
from models.etl.queuer_window import parse_moment

Key = tuple[str, str, str]  # (source kind, identity, flow)


def record(conn, windows: Iterable[CoveredWindow]) -> int:
    """Store completed windows (idempotent); returns how many were new."""
    rows = [
        (
            w.source,
            w.member,
            w.flow,
            parse_moment(w.window_start),
            parse_moment(w.window_end),
            w.employee_id,
            w.workflow_id,
        )
        for w in windows
    ]
    if not rows:
        return 0
    with conn.cursor() as cur:
        new = execute_values(
            cur,
            "INSERT INTO queuer_coverage (source_kind, identity, flow, window_start, "
            "window_end, employee_id, workflow_id) VALUES %s ON CONFLICT DO NOTHING "
            "RETURNING 1",
            rows,
            fetch=True,
        )
    conn.commit()
    return len(new)


def watermarks(conn, keys: Iterable[Key]) -> dict[Key, datetime]:
    """The watermark of each of ``keys`` that has one."""
    keys = list(set(keys))
    if not keys:
        return {}
    with conn.cursor() as cur:
        cur.execute(
            "SELECT c.source_kind, c.identity, c.flow, max(c.window_end) "
            "FROM queuer_coverage c JOIN unnest(%s::varchar[], %s::varchar[], %s::varchar[]) "
            "AS k(source_kind, identity, flow) USING (source_kind, identity, flow) "
            "GROUP BY c.source_kind, c.identity, c.flow",
            ([k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]),
        )
        found = {(s, i, f): end for s, i, f, end in cur.fetchall()}
    conn.commit()
    return found


@dataclass
class Coverage:
    """One identity × flow: the stretches its completed windows cover, merged."""

    source: str
    identity: str
    flow: str
    employee_id: str
    stretches: list[tuple[datetime, datetime]] = field(default_factory=list)

    @property
    def watermark(self) -> datetime | None:
        return self.stretches[-1][1] if self.stretches else None

    def gaps(self, until: datetime | None = None) -> list[tuple[datetime, datetime]]:
        """Uncovered time between stretches, and after the last one up to ``until``."""
        holes = [(a[1], b[0]) for a, b in zip(self.stretches, self.stretches[1:], strict=False)]
        if until is not None and self.watermark is not None and self.watermark < until:
            holes.append((self.watermark, until))
        return holes


def merge(windows: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Windows (in any order) merged into disjoint stretches, in order; touching or
    overlapping windows join."""
    stretches: list[tuple[datetime, datetime]] = []
    for start, end in sorted(windows):
        if stretches and start <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], max(stretches[-1][1], end))
        else:
            stretches.append((start, end))
    return stretches


def coverage(conn, sources: list[str] | None = None) -> list[Coverage]:
    """Every identity × flow with recorded windows (of ``sources``, if given)."""
    query = (
        "SELECT source_kind, identity, flow, employee_id, window_start, window_end "
        "FROM queuer_coverage"
    )
    params: tuple = ()
    if sources:
        query += " WHERE source_kind = ANY(%s)"
        params = (list(sources),)
    with conn.cursor() as cur:
        cur.execute(query, params)
        rows = cur.fetchall()
    conn.commit()
    grouped: dict[Key, Coverage] = {}
    windows: dict[Key, list[tuple[datetime, datetime]]] = {}
    for source, identity, flow, employee_id, start, end in rows:
        key = (source, identity, flow)
        grouped.setdefault(key, Coverage(source, identity, flow, employee_id))
        grouped[key].employee_id = employee_id  # a remapped person shows their latest id
        windows.setdefault(key, []).append((start, end))
    for key, item in grouped.items():
        item.stretches = merge(windows[key])
    return [grouped[key] for key in sorted(grouped)]
