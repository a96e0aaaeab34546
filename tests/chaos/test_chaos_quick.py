"""The fault suite's quick variant under pytest (``make test``): every scenario must leave
the events table equal to ground truth. ``python -m tests.chaos`` runs the same thing with
a live report; ``--full`` the heavier variant (``make chaos``)."""

from __future__ import annotations

import asyncio
import io

import pytest

from tests.chaos.profiles import PROFILES
from tests.chaos.suite import format_details, format_table, run_suite

# ~100 s with the scenarios side by side; the worker-kill scenario waits out three
# 20-second heartbeat timeouts.
pytestmark = pytest.mark.timeout(420)


def test_quick_fault_suite_leaves_the_events_table_equal_to_ground_truth():
    progress = io.StringIO()
    results = asyncio.run(run_suite(PROFILES["quick"], out=progress))
    report = "\n\n".join([progress.getvalue(), format_table(results), format_details(results)])
    print(report)
    assert results and all(result.passed for result in results), report
