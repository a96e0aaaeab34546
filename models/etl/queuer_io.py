"""The input, state and activity messages of ``QueuerFlow``: control data only.

Everything here is recorded in the queuer's history and shown in the Web UI: names,
windows and counts, never a token or a service's password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.etl.progress import RunOptions
from models.roster import RosterSelection


@dataclass
class QueuerInput:
    """Who (a roster selection), which sources and flows, which window, how fast.

    Exactly one of ``selection`` (the roster's: all active people, a team, or employee
    ids) and ``logins`` (source identities queued without a roster: each login is its own
    employee id, today's behaviour of ``run_launchpad_queuer.py``).
    Without ``window_start``/``window_end`` the window comes from the schedule that
    started the run (its ``TemporalScheduledStartTime``): the ``period`` before the
    scheduled time, plus ``overlap``.
    """

    sources: list[str]
    selection: RosterSelection | None = None
    logins: list[str] = field(default_factory=list)
    flows: list[str] = field(default_factory=list)  # short names ("bugs"); empty: all
    window_start: str = ""
    window_end: str = ""
    period: str = "1w"  # a scheduled run's window length (see queuer_window.parse_duration)
    overlap: str = "0"
    # Widen each identity × flow's window back to its watermark (schedules do).
    close_gaps: bool = False
    # A scheduled run starting later than this after its scheduled time is a backfill
    # (or a late catch-up): it covers exactly its own window, never widened.
    catch_up_window: str = "1d"
    max_in_flight: int = 50
    children_per_run: int = 300  # continue-as-new after this many children (~1 MB of history)
    id_prefix: str = ""
    rerun: bool = False  # run children that already completed again (they upsert the same rows)
    task_queue: str = ""  # where the children run; empty: the queuer's own queue
    # Per source, args that replace the worker's defaults (a starter's --service-root);
    # schedules leave it empty so the worker's settings decide.
    args_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    options: RunOptions | None = None  # the children's run options
    resume: QueuerState | None = None  # set by the workflow when it continues-as-new


@dataclass
class WorkUnit:
    """One child run: one identity's flow over its window."""

    source: str
    flow: str
    member: str  # the identity on the source
    employee_id: str
    window_start: str
    window_end: str
    workflow_id: str
    args: dict[str, Any]


@dataclass
class FlowTotals:
    units: int = 0
    started: int = 0
    skipped: int = 0  # a run with the same id already ran or runs: not started again
    completed: int = 0
    failed: int = 0
    extracted: int = 0
    inserted: int = 0
    updated: int = 0


@dataclass
class CoveredWindow:
    source: str
    member: str
    flow: str
    window_start: str
    window_end: str
    employee_id: str
    workflow_id: str


@dataclass
class QueuerState:
    window_start: str = ""
    window_end: str = ""
    widen: bool = False
    after: str | None = None  # resolution cursor: the last employee id resolved
    exhausted: bool = False
    pending: list[WorkUnit] = field(default_factory=list)
    totals: dict[str, dict[str, FlowTotals]] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    failures_omitted: int = 0
    people: int = 0
    continued_as_new: int = 0


@dataclass
class ResolveInput:
    request: QueuerInput
    window_start: str
    window_end: str
    widen: bool
    after: str | None
    limit: int  # people per page


@dataclass
class ResolvedPage:
    units: list[WorkUnit]
    people: int
    next_after: str | None  # None: every member resolved


@dataclass
class RecordCoverageInput:
    windows: list[CoveredWindow]


@dataclass
class RecordCoverageResult:
    recorded: int
