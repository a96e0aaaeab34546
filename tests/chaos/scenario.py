"""Scenarios and their results: what a scenario does to a running extraction, and what
the suite found when it ran one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tests.chaos.profiles import Profile
from tests.chaos.stack import ScenarioRun


@dataclass(frozen=True)
class Scenario:
    """Something bad done to a running extraction.

    ``disrupt(run)`` is called once a worker runs and the three runs are started; it
    injects the fault and returns with a worker running. ``evidence(run)``, called after
    the runs ended, checks that the fault really hit them (a problem otherwise).
    ``simulator(profile)`` gives the simulator's options (default: the profile's latency
    and background faults), ``lp_max_concurrency(profile)`` the workers' LP_MAX_CONCURRENCY;
    ``private_postgres`` gives the scenario a PostgreSQL of its own.
    """

    name: str
    summary: str
    disrupt: Callable[[ScenarioRun], Awaitable[None]]
    evidence: Callable[[ScenarioRun], Awaitable[None]] | None = None
    simulator: Callable[[Profile], dict[str, Any]] = Profile.simulator_options
    lp_max_concurrency: Callable[[Profile], int] = lambda profile: profile.lp_max_concurrency
    private_postgres: bool = False


@dataclass
class ScenarioResult:
    name: str
    expected: int = 0
    loaded: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    logs: str = ""

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL"
