"""Run the fault scenarios and print what they found.

    python -m tests.chaos [--full] [--scenario NAME ...] [--jobs N] [--keep] [--list]

Exits 0 only if every scenario's table equals ground truth and its fault hit the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
import traceback
from collections.abc import Iterable
from typing import TextIO

from tests.chaos import launchpad_faults, postgres_restart, temporal_restart, worker_kill
from tests.chaos.profiles import PROFILES, Profile
from tests.chaos.scenario import Scenario, ScenarioResult
from tests.chaos.stack import ChaosStack, ScenarioRun

SCENARIOS: dict[str, Scenario] = {
    module.SCENARIO.name: module.SCENARIO
    for module in (worker_kill, postgres_restart, temporal_restart, launchpad_faults)
}


async def run_scenario(stack: ChaosStack, scenario: Scenario, out: TextIO) -> ScenarioResult:
    profile = stack.profile
    result = ScenarioResult(scenario.name, expected=len(stack.truth))
    started = time.monotonic()
    run = ScenarioRun(
        stack,
        scenario.name,
        scenario.simulator(profile),
        scenario.lp_max_concurrency(profile),
        private_postgres=scenario.private_postgres,
    )
    print(f"-- {scenario.name}: {scenario.summary}", file=out, flush=True)
    try:
        async with run:
            try:
                await asyncio.to_thread(run.start_worker)
                await run.start_extraction()
                await scenario.disrupt(run)
                remaining = profile.run_timeout_s - (time.monotonic() - started)
                ended = await run.finish(max(remaining, 30.0))
                for workflow_id, outcome in ended.items():
                    if not outcome.completed:
                        run.problems.append(f"{workflow_id} {outcome.error}")
                # Pages done again after a crash are upserted unchanged: the cost of the
                # fault, not an error (the heartbeated cursor says where to resume).
                again = sum(o.result.get("unchanged", 0) for o in ended.values() if o.completed)
                run.notes.append(f"{again} event(s) extracted again and upserted unchanged")
                comparison = await asyncio.to_thread(run.compare)
                result.loaded, result.duplicates = comparison.loaded, comparison.duplicates
                if not comparison.equal:
                    run.problems.append(comparison.describe())
                if scenario.evidence is not None:
                    await scenario.evidence(run)
            except Exception as exc:  # noqa: BLE001 - reported in the table, not raised
                run.problems.append(f"{type(exc).__name__}: {exc}")
                run.problems.append(traceback.format_exc(limit=4).strip())
                with contextlib.suppress(Exception):  # what the table holds at this point
                    comparison = await asyncio.to_thread(run.compare)
                    result.loaded, result.duplicates = comparison.loaded, comparison.duplicates
            finally:
                if run.problems:
                    result.logs = run.log_tails()
    except Exception as exc:  # noqa: BLE001 - setting up or tearing down the stack
        run.problems.append(f"stack: {type(exc).__name__}: {exc}")
    result.notes, result.problems = run.notes, run.problems
    result.seconds = time.monotonic() - started
    print(
        f"   {scenario.name}: {result.verdict} in {result.seconds:.0f} s: "
        f"{result.loaded}/{result.expected} "
        f"events, {result.duplicates} duplicates",
        file=out,
        flush=True,
    )
    return result


async def run_suite(
    profile: Profile,
    names: Iterable[str] | None = None,
    jobs: int = 0,
    keep: bool = False,
    out: TextIO = sys.stdout,
) -> list[ScenarioResult]:
    """Run the scenarios, ``jobs`` at a time (0: all at once); results in scenario order.

    Scenarios share only the PostgreSQL server (each has its own table; the one that
    stops PostgreSQL has a server of its own), so they can run side by side: most of
    their time is spent waiting (latency, heartbeat timeouts, outages).
    """
    chosen = [SCENARIOS[name] for name in (names or SCENARIOS)]
    width = jobs if jobs > 0 else len(chosen)
    slots = asyncio.Semaphore(width)
    stack = ChaosStack(profile, keep=keep)
    results: list[ScenarioResult] = []
    print(
        f"fault suite ({profile.name}): preset {profile.preset}, {len(stack.truth)} events "
        f"expected per scenario, {width} scenario(s) at a time, work dir {stack.root}",
        file=out,
        flush=True,
    )

    async def one(scenario: Scenario) -> ScenarioResult:
        async with slots:
            return await run_scenario(stack, scenario, out)

    try:
        await asyncio.to_thread(stack.start)
        results = list(await asyncio.gather(*(one(scenario) for scenario in chosen)))
    finally:
        failed = any(not result.passed for result in results)
        stack.close(remove=not failed)
        if failed or keep:
            print(f"logs kept in {stack.root}", file=out)
    return results


def format_table(results: list[ScenarioResult]) -> str:
    header = ("scenario", "expected", "loaded", "duplicates", "verdict", "seconds")
    rows = [
        (r.name, r.expected, r.loaded, r.duplicates, r.verdict, f"{r.seconds:.0f}") for r in results
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple) -> str:
        cells = [
            str(cell).ljust(width) if i in (0, 4) else str(cell).rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells)

    lines = [line(header), line(tuple("-" * w for w in widths)), *map(line, rows)]
    return "\n".join(lines)


def format_details(results: list[ScenarioResult]) -> str:
    lines = []
    for result in results:
        lines.append(f"{result.name}:")
        lines.extend(f"  - {note}" for note in result.notes)
        lines.extend(f"  ! {problem}" for problem in result.problems)
        if result.logs:
            lines.append("  log tails:")
            lines.extend(f"    {line}" for line in result.logs.splitlines())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.chaos", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--full", action="store_true", help="medium preset, heavier faults (make chaos)"
    )
    parser.add_argument(
        "--scenario",
        action="append",
        choices=sorted(SCENARIOS),
        help="run only this scenario (repeatable)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="scenarios run at the same time (default 0: all; 1: one after another)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work dir and its logs")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)
    if args.list:
        for scenario in SCENARIOS.values():
            print(f"{scenario.name:<18} {scenario.summary}")
        return 0
    profile = PROFILES["full" if args.full else "quick"]
    started = time.monotonic()
    results = asyncio.run(run_suite(profile, args.scenario, jobs=args.jobs, keep=args.keep))
    print()
    print(format_table(results))
    print()
    print(format_details(results))
    passed = sum(result.passed for result in results)
    print(
        f"\n{passed}/{len(results)} scenario(s) passed; wall time "
        f"{time.monotonic() - started:.0f} s ({profile.name})"
    )
    return 0 if results and passed == len(results) else 1
