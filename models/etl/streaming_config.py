"""StreamingETLFlow's knobs, its input, and what it carries across continue-as-new.

Everything here travels in workflow inputs (tunables included: the workflow sandbox
re-imports modules, so class attributes would not reach it) and is shown in the Web UI:
control data only — names, numbers and cursors, never events or secrets.

No ``from __future__ import annotations`` here: Temporal's converter reads these type
hints at run time to rebuild the dataclasses.
"""

from dataclasses import dataclass, field
from typing import Any

from models.etl.etl_flow_input import ETLFlowInput
from models.etl.progress import LoadCounts
from models.exceptions import InvalidQueryError


@dataclass
class StreamingConfig:
    """How a streaming run splits, loads and paces its work."""

    # Items per chunk: the plan splits a partitioned source's item ids into ranges of
    # this many; each range is one chunk, extracted and loaded page by page.
    chunk_size: int = 200
    load_batch_size: int = 1000  # events per database transaction
    max_chunks_in_flight: int = 4  # chunk activities running at once
    # Worker resident memory (MB) above which no new chunk starts; 0 turns it off.
    memory_threshold_mb: float = 1024.0
    backpressure_poll_seconds: float = 2.0  # how often memory is checked while over
    # A chunk activity returns at a page boundary after this long (the workflow starts
    # it again from its cursor), so progress shows and draining for continue-as-new is
    # quick; 0: a chunk runs to its end in one activity.
    chunk_time_budget_seconds: float = 30.0
    # Continue-as-new after this many chunk activities in one run, at the latest (also
    # when the server suggests it).
    activities_per_run: int = 200
    # A killed worker's chunk is retried (resuming at its last loaded page) after this.
    heartbeat_timeout_seconds: float = 15.0

    def validate(self) -> None:
        """Raise InvalidQueryError naming the first knob out of range."""
        for name in ("chunk_size", "load_batch_size", "max_chunks_in_flight", "activities_per_run"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidQueryError(f"{name} must be a whole number >= 1, got {value!r}")
        for name, low in (
            ("memory_threshold_mb", 0.0),
            ("backpressure_poll_seconds", 0.01),
            ("chunk_time_budget_seconds", 0.0),
            ("heartbeat_timeout_seconds", 1.0),
        ):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < low:
                raise InvalidQueryError(f"{name} must be a number >= {low}, got {value!r}")


@dataclass
class Chunk:
    """One part of a run: its place in the plan and how far it has come."""

    index: int
    cursor: Any = None  # the cursor to resume at; a range cursor keeps its "until"
    activities: int = 0  # activities this chunk has taken so far


@dataclass
class StreamingState:
    """Where a streaming run is; carried across continue-as-new.

    ``pending`` holds only the chunks not yet finished (a few dozen bytes each).
    """

    pending: list[Chunk] = field(default_factory=list)
    chunks_total: int = 0
    chunks_started: int = 0  # chunks that have had their first activity
    chunks_done: int = 0
    activities: int = 0  # chunk activities finished, over every run
    peak_in_flight: int = 0
    backpressure_waits: int = 0  # memory checks that found the worker over the threshold
    continued_as_new: int = 0
    partitioned: bool = False
    counts: LoadCounts = field(default_factory=LoadCounts)
    summary_base: dict[str, Any] = field(default_factory=dict)
    memory_threshold_mb: float | None = None  # set by the set_memory_threshold signal


@dataclass
class StreamingETLFlowInput:
    """What StreamingETLFlow takes: the fields of ``ETLFlowInput`` plus its config.

    An ``ETLFlowInput``'s JSON is accepted too (its ``options`` are ignored).
    """

    query_type: str
    extract_strategy: str
    args: dict[str, Any] = field(default_factory=dict)
    config: StreamingConfig | None = None  # None: the defaults
    # Set by the workflow itself when it continues-as-new; leave unset when starting.
    resume: StreamingState | None = None

    def etl_input(self) -> ETLFlowInput:
        """The plain input the shared activities take (no config, no state)."""
        return ETLFlowInput(self.query_type, self.extract_strategy, self.args)
