"""Inputs and results of the ETL activities: control data only, never bulk events.

Everything here is recorded in workflow histories and shown in the Web UI, so it holds
counts, names and cursors — no events and no secrets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.etl.etl_flow_input import ETLFlowInput


@dataclass
class PrepareResult:
    """What validation learned about a run's input."""

    query_type: str
    extract_strategy: str
    summary_base: dict[str, Any]


@dataclass
class ExtractLoadInput:
    flow_input: ETLFlowInput
    cursor: Any = None
    # The activity returns after this many seconds (at a page boundary) so the workflow
    # can report progress and continue-as-new; 0 means run to the end.
    time_budget_seconds: float = 20.0
    load_batch_size: int = 1000


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
class ExtractLoadResult:
    cursor: Any
    done: bool
    counts: LoadCounts = field(default_factory=LoadCounts)
