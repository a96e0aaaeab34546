"""What ``bench/extract.py`` does the same for every source: run a source's flows at
once and one after another, time them, count their requests, compare the two runs with
each other and with the ground truth, print the table and build the last-line JSON.

A source's half (``bench/extract.py`` for Launchpad, ``bench/extract_github.py``) brings
its simulator, its query, its client set-up between runs and its minimum request count.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from typing import Any

from models.etl.extract_cmd import ExtractStrategy


def run_flow(strategy: str, query: Any) -> dict[str, Any]:
    """One flow's events, requests and wall time, read page by page."""
    method = ExtractStrategy.create(strategy)
    started = time.perf_counter()
    events, requests = [], 0
    for page in method.pages(query):
        events.extend(page.events)
        requests += page.stats.get("requests", 0)
    return {"events": events, "requests": requests, "seconds": time.perf_counter() - started}


def run_flows(
    flows: tuple[str, ...], run_one: Callable[[str], dict[str, Any]], together: bool
) -> dict[str, Any]:
    """``flows`` at once (a thread each) or one after another; wall time over all of them."""
    results: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    if together:
        errors: list[BaseException] = []

        def work(flow: str) -> None:
            try:
                results[flow] = run_one(flow)
            except BaseException as exc:  # reported below, in the main thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(flow,)) for flow in flows]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
    else:
        for flow in flows:
            results[flow] = run_one(flow)
    return {
        "flows": results,
        "seconds": time.perf_counter() - started,
        "requests": sum(r["requests"] for r in results.values()),
        "events": {f: by_event_id(r["events"]) for f, r in results.items()},
    }


def by_event_id(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(events, key=lambda e: e["event_id"])


def measure(
    sim: Any, run_all: Callable[[int, bool], dict[str, Any]], concurrency: int
) -> tuple[dict[str, Any], dict[str, Any], tuple[int, int]]:
    """(concurrent run, sequential run, requests the simulator served for each), after a
    warm-up that is not measured (imports, the simulator's first answers, code paths)."""
    run_all(concurrency, True)
    sim.reset_stats()
    concurrent = run_all(concurrency, True)
    served_concurrent = sim.stats()["total"]
    sim.reset_stats()
    sequential = run_all(1, False)
    return concurrent, sequential, (served_concurrent, sim.stats()["total"])


def report(
    args: argparse.Namespace,
    flows: tuple[str, ...],
    runs: tuple[dict[str, Any], dict[str, Any], tuple[int, int]],
    truth: dict[str, list[dict[str, Any]]],
    minimum: dict[str, int],
    min_total: int,
    min_note: str = "",
) -> dict[str, Any]:
    """Print the comparison table and return the last line's JSON object.

    ``min_note`` follows each flow's minimum (Launchpad's login requests are counted in
    the total only)."""
    concurrent, sequential, served = runs
    identical = concurrent["events"] == sequential["events"]
    matches_truth = concurrent["events"] == {f: by_event_id(e) for f, e in truth.items()}
    width = max(len(flow) for flow in flows) + 1
    for name, run in (("concurrent", concurrent), ("sequential", sequential)):
        for flow in flows:
            result = run["flows"][flow]
            print(
                f"  {name:<10} {flow:<{width}} events {len(result['events']):>6}  "
                f"requests {result['requests']:>6} (min {minimum[flow]:>6}{min_note})  "
                f"{result['seconds']:7.2f} s"
            )
        print(
            f"  {name:<10} total: {run['requests']} requests (min {min_total}) "
            f"in {run['seconds']:.2f} s"
        )
    print(f"  served by the simulator: {served[0]} / {served[1]}")
    print(f"  identical: {identical}; equal to ground truth: {matches_truth}")
    speedup = sequential["seconds"] / concurrent["seconds"]
    print(f"  speedup: {speedup:.1f}x")
    return {
        "latency_ms": args.latency_ms,
        "size": args.size,
        "events": sum(len(v) for v in concurrent["events"].values()),
        "concurrency": args.concurrency,
        "concurrent": {
            "requests": concurrent["requests"],
            "seconds": round(concurrent["seconds"], 3),
        },
        "sequential": {
            "requests": sequential["requests"],
            "seconds": round(sequential["seconds"], 3),
        },
        "speedup": round(speedup, 2),
        "identical": identical,
        "ground_truth": matches_truth,
        "min_requests": min_total,
        "request_overhead": round(concurrent["requests"] / min_total - 1, 4),
    }
