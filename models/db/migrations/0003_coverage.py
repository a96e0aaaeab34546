"""Coverage of the queuer: every completed window per identity × flow, and its watermark.

``QueuerFlow`` records a row when a child run completes. The watermark of an identity ×
flow (the end of its last completed window) is what a scheduled run widens back to, so
that a paused schedule, a failed week or a person added later leaves no gap;
``scripts/schedule.py status`` merges the rows to show coverage and every gap.
Schema-wide (not per events table): created idempotently.
"""

from __future__ import annotations

COVERAGE_DDL = (
    """CREATE TABLE IF NOT EXISTS queuer_coverage (
    source_kind VARCHAR NOT NULL,
    identity VARCHAR NOT NULL,
    flow VARCHAR NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    window_end TIMESTAMPTZ NOT NULL,
    employee_id VARCHAR NOT NULL,
    workflow_id VARCHAR NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source_kind, identity, flow, window_start, window_end)
)""",
    """CREATE OR REPLACE VIEW queuer_watermarks AS
SELECT source_kind, identity, flow, max(window_end) AS watermark,
       min(window_start) AS covered_from, count(*) AS windows
FROM queuer_coverage GROUP BY source_kind, identity, flow""",
)


def upgrade(cur, ctx) -> None:
    for statement in COVERAGE_DDL:
        cur.execute(statement)
