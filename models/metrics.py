"""The project's own counters: events and requests, per source and flow.

Sources and activities count what they do here; a worker started with ``METRICS_PORT``
exports these counters (beside the Temporal SDK's own metrics) for Prometheus. Counting
costs a dictionary update, so it is always on::

    from models import metrics

    metrics.inc("requests", source="github")
    metrics.inc("events_inserted", 120, source="launchpad", flow="bugs")

``snapshot()`` returns every counter with its labels, for exporters and tests.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_counters: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}


def inc(name: str, value: float = 1, **labels: str) -> None:
    """Add ``value`` to the counter ``name`` with these labels."""
    key = (name, tuple(sorted((k, str(v)) for k, v in labels.items())))
    with _lock:
        _counters[key] = _counters.get(key, 0) + value


def snapshot() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """A copy of every counter: ``{(name, ((label, value), ...)): total}``."""
    with _lock:
        return dict(_counters)
