"""Offline simulators of the services the sources read, one package per service.

Like moto for AWS: demos, tests and benchmarks run against them with generated data
whose ground truth is known, and with latency and failures injected on demand. What
they share (HTTP server, fault injection, counters) lives here; each service is a
package: `simulator.launchpad` (launchpadlib) and `simulator.github` (the REST API).

The Launchpad names stay importable from here (``from simulator import
LaunchpadSimulator``), as they were before the GitHub simulator came: they are looked
up on first use so that importing one service does not load the other.
"""

from __future__ import annotations

from typing import Any

_LAUNCHPAD_NAMES = (
    "EVENT_TYPES",
    "PRESETS",
    "PRESET_WINDOW",
    "Dataset",
    "FaultSettings",
    "LaunchpadSimulator",
    "ground_truth",
    "preset",
)


def __getattr__(name: str) -> Any:
    if name in _LAUNCHPAD_NAMES:
        from simulator import launchpad

        return getattr(launchpad, name)
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")


__all__ = list(_LAUNCHPAD_NAMES)
