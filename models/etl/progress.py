"""Running totals of a run, and what it carries across continue-as-new."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class LoadCounts:
    pages: int = 0
    items: int = 0
    extracted: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: LoadCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class RunOptions:
    """Tuning for one run; the defaults suit Launchpad-sized work."""

    # An activity returns after this many seconds (at a page boundary) so progress shows
    # and the history stays small; 0 runs to the end in one activity.
    time_budget_seconds: float = 20.0
    load_batch_size: int = 1000  # events per database transaction
    activities_per_run: int = 500  # continue-as-new after this many, at the latest


@dataclass
class ETLFlowState:
    """Where a run is: its cursor, its totals, and how far it has come."""

    cursor: Any = None
    counts: LoadCounts = field(default_factory=LoadCounts)
    activities: int = 0
    continued_as_new: int = 0
    summary_base: dict[str, Any] = field(default_factory=dict)
