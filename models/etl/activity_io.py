"""Inputs and results of the ETL activities: control data only, never bulk events.

Everything here is recorded in workflow histories and shown in the Web UI, so it holds
counts, names and cursors — no events and no secrets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.etl.etl_flow_input import ETLFlowInput
from models.etl.progress import LoadCounts


@dataclass
class PrepareResult:
    """What validation learned about a run's input."""

    query_type: str
    extract_strategy: str
    summary_base: dict[str, Any]
    employees: list[str] = field(default_factory=list)  # roster ids the member stands for


@dataclass
class ExtractLoadInput:
    flow_input: ETLFlowInput
    cursor: Any = None
    time_budget_seconds: float = 20.0  # see RunOptions
    load_batch_size: int = 1000


@dataclass
class ExtractLoadResult:
    cursor: Any
    done: bool
    counts: LoadCounts = field(default_factory=LoadCounts)
