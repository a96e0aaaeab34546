"""The GitHub half of ``bench/extract.py --source github``: the three GitHub flows,
concurrent against one request at a time, on the GitHub simulator.

The simulator runs in its own process (``python -m simulator.github serve``), as GitHub
is remote: in this one it would share the interpreter lock with the client. The preset's
team is extracted over its window in its company owners twice: the three flows at once
with ``--concurrency`` requests in flight (the worker's GitHub budget), then the three one
after another with one. Both must give the same events, equal to the ground truth
(computed here from the same preset). The simulator's rate limits are raised out of the
way: this measures concurrency, not waiting (real GitHub allows 30 searches a minute;
see the README).

The minimum the contract allows, computed from the dataset with the simulator's own
search: per flow, the team's member pages; per person, owner and search of the flow, the
result pages of the query (a query above 1,000 results costs its first page, then its
halves); per item found (de-duplicated, created before the window's end) every page of
its timeline, and for a pull request its ``pulls/N`` entry (an item deleted since costs
the one answer that says so). Commits need their searches only.
"""

from __future__ import annotations

import argparse
import math
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from devstack.simulator_process import SimulatorProcess
from models.etl.extract_cmd import ExtractStrategy
from models.event import Window
from simulator.github.ground_truth import ground_truth
from simulator.github.presets import preset
from simulator.github.search import search_commits, search_items
from sources.github import client, extraction
from sources.github.client import PER_PAGE
from sources.github.query import GithubQuery
from sources.github.search import SEARCH_CAP, date_range, padded_days

FLOWS = ("issues", "pull_requests", "commits")
SEARCHES = {
    "issues": [("involves:{login} is:issue user:{owner}", "updated", True)],
    "pull_requests": [
        ("involves:{login} is:pr user:{owner}", "updated", True),
        ("reviewed-by:{login} is:pr user:{owner}", "updated", True),
    ],
    "commits": [("author:{login} user:{owner}", "author-date", False)],
}
NO_LIMITS = [
    f"--{name}={10**9}"
    for name in ("core-limit", "search-limit", "core-limit-anonymous", "search-limit-anonymous")
]


def pages(count: int) -> int:
    return max(1, math.ceil(count / PER_PAGE))


def run_flow(flow: str, query: GithubQuery) -> dict[str, Any]:
    method = ExtractStrategy.create(f"github-{flow}")
    started = time.perf_counter()
    events, requests = [], 0
    for page in method.pages(query):
        events.extend(page.events)
        requests += page.stats.get("requests", 0)
    return {"events": events, "requests": requests, "seconds": time.perf_counter() - started}


def run_all(query: GithubQuery, concurrency: int, together: bool) -> dict[str, Any]:
    client.configure(max_concurrency=concurrency)
    extraction.forget_listings()
    results: dict[str, dict[str, Any]] = {}
    errors: list[BaseException] = []

    def work(flow: str) -> None:
        try:
            results[flow] = run_flow(flow, query)
        except BaseException as exc:  # reported below, in the main thread
            errors.append(exc)

    started = time.perf_counter()
    if together:
        threads = [threading.Thread(target=work, args=(flow,)) for flow in FLOWS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for flow in FLOWS:
            work(flow)
    if errors:
        raise errors[0]
    return {
        "flows": results,
        "seconds": time.perf_counter() - started,
        "requests": sum(r["requests"] for r in results.values()),
        "events": {f: sorted(r["events"], key=lambda e: e["event_id"]) for f, r in results.items()},
    }


def search_requests(
    dataset: Any, q: str, field: str, first: date, last: date | None, upper: date, commits: bool
) -> tuple[int, list[Any]]:
    """(requests, results) of one search as the contract runs it, splits included."""
    text = f"{q} {date_range(field, first, last)}"
    found = search_commits(dataset, text) if commits else search_items(dataset, text)
    end = last if last is not None else upper
    if len(found) > SEARCH_CAP and first < end:
        middle = first + (end - first) // 2
        low = search_requests(dataset, q, field, first, middle, middle, commits)
        high = search_requests(dataset, q, field, middle + timedelta(days=1), end, end, commits)
        return 1 + low[0] + high[0], low[1] + high[1]
    return pages(min(len(found), SEARCH_CAP)), found[:SEARCH_CAP]


def minimum_requests(dataset: Any, member: str, owners: list[str], start, end) -> dict[str, int]:
    people = sorted(dataset.people(member))
    team = pages(len(people)) if "/" in member else 0
    window = Window(start, end)
    first, last = padded_days(window)
    today = max(datetime.now(UTC).date(), last)
    minimum = {}
    for flow in FLOWS:
        requests, found = team, {}
        for login in people:
            for owner in owners:
                for q, field, open_ended in SEARCHES[flow]:
                    cost, results = search_requests(
                        dataset,
                        q.format(login=login, owner=owner),
                        field,
                        first,
                        None if open_ended else last,
                        today if open_ended else last,
                        flow == "commits",
                    )
                    requests += cost
                    for result in results:
                        found[getattr(result, "key", None) or id(result)] = result
        if flow != "commits":
            for item in found.values():
                wanted = (item.kind == "pr") == (flow == "pull_requests")
                if wanted and item.created_at < end:
                    # A vanished item costs the one answer that says so.
                    reads = pages(len(item.timeline)) + (flow == "pull_requests")
                    requests += 1 if item.gone else reads
        minimum[flow] = requests
    return minimum


def bench_github(args: argparse.Namespace) -> dict[str, Any]:
    dataset = preset(args.size)
    member, owners = dataset.sample_team, list(dataset.company_owners)
    start, end = dataset.window_start, dataset.window_end
    serve = ["--size", args.size, "--latency-ms", str(args.latency_ms), *NO_LIMITS]
    with SimulatorProcess("simulator.github", serve) as sim:
        query = GithubQuery(member, owners, start.isoformat(), end.isoformat(), sim.service_root)
        run_all(query, args.concurrency, together=True)  # warm-up, not measured
        sim.reset_stats()
        concurrent = run_all(query, args.concurrency, together=True)
        served_concurrent = sim.stats()["total"]
        sim.reset_stats()
        sequential = run_all(query, 1, together=False)
        served_sequential = sim.stats()["total"]
    truth = {
        flow: sorted(
            ground_truth(dataset, member, start, end, flow, owners), key=lambda e: e["event_id"]
        )
        for flow in FLOWS
    }
    identical = concurrent["events"] == sequential["events"]
    matches_truth = concurrent["events"] == truth
    minimum = minimum_requests(dataset, member, owners, start, end)
    min_total = sum(minimum.values())
    events = sum(len(v) for v in concurrent["events"].values())
    print(
        f"github preset {args.size}, team {member}, owners {owners}, latency {args.latency_ms:g} ms"
    )
    for name, run in (("concurrent", concurrent), ("sequential", sequential)):
        for flow in FLOWS:
            result = run["flows"][flow]
            print(
                f"  {name:<10} {flow:<14} events {len(result['events']):>6}  requests "
                f"{result['requests']:>6} (min {minimum[flow]:>6})  {result['seconds']:7.2f} s"
            )
        print(
            f"  {name:<10} total: {run['requests']} requests (min {min_total}) "
            f"in {run['seconds']:.2f} s"
        )
    print(f"  served by the simulator: {served_concurrent} / {served_sequential}")
    print(f"  identical: {identical}; equal to ground truth: {matches_truth}")
    speedup = sequential["seconds"] / concurrent["seconds"]
    print(f"  speedup: {speedup:.1f}x")
    return {
        "latency_ms": args.latency_ms,
        "size": args.size,
        "events": events,
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
