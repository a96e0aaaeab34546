"""The one input every ETL workflow takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.etl.progress import ETLFlowState, RunOptions
from models.exceptions import InvalidQueryError


@dataclass
class ETLFlowInput:
    """Which query type builds the query from ``args``, and which extract method runs it.

    ``args`` is recorded in the workflow history and shown in the Web UI: never put a
    token or password in it.
    """

    query_type: str
    extract_strategy: str
    args: dict[str, Any] = field(default_factory=dict)
    options: RunOptions | None = None  # None: the flow's defaults
    # Set by the workflow itself when it continues-as-new; leave unset when starting.
    resume: ETLFlowState | None = None

    def validate_shape(self) -> None:
        """Reject inputs of the wrong shape before anything is looked up."""
        for name in ("query_type", "extract_strategy"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InvalidQueryError(f"{name} must be a non-empty string, got {value!r}")
        if not isinstance(self.args, dict):
            raise InvalidQueryError(f"args must be a mapping, got {type(self.args).__name__}")
