"""Extraction benchmark: the three Launchpad flows, concurrent against one request at a time.

    python bench/extract.py [--latency-ms 50] [--size small] [--concurrency 16]

Starts the Launchpad simulator in-process with a preset dataset and the given latency
per request, then extracts the preset's team over its window twice, each time with a
fresh launchpadlib cache:

* concurrent: the three flows at once, each with ``--concurrency`` threads;
* sequential: the three flows one after another, each with one thread: strictly one
  request at a time.

It checks that both give the same events (and that they equal the simulator's ground
truth), counts the requests, and compares them with the minimum the API allows for the
same data, computed from the dataset: two login requests (WADL and service root; a
process logs in once per service root and shares it between runs), then per flow one
person look-up, the participants' pages, every actor's searches, and per item the
pages of the collections that must be read (a bug's entry, messages and activity, and
its first task when it has events; a proposal's comments unless it was proposed after
the window; a question's messages unless its dates show none can fall in the window),
each collection read in pages of 300. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models.etl.extract_cmd import ExtractStrategy  # noqa: E402
from simulator.launchpad import LaunchpadSimulator, ground_truth, preset  # noqa: E402
from simulator.launchpad.search import DatasetIndex  # noqa: E402
from sources.launchpad import client  # noqa: E402
from sources.launchpad.query import LaunchpadQuery  # noqa: E402

FLOWS = ("bugs", "merge_proposals", "questions")
PAGE = client.MAX_PAGE_SIZE
LOGIN_REQUESTS = 2  # the WADL and the service root, once per run_all (fresh cache dir)


def pages(count: int) -> int:
    """Requests to read a collection of ``count`` entries (an empty one still costs one)."""
    return max(1, math.ceil(count / PAGE))


def run_flow(flow: str, query: LaunchpadQuery) -> dict[str, Any]:
    method = ExtractStrategy.create(f"launchpad-{flow}")
    started = time.perf_counter()
    events, requests = [], 0
    for page in method.pages(query):
        events.extend(page.events)
        requests += page.stats.get("requests", 0)
    return {"events": events, "requests": requests, "seconds": time.perf_counter() - started}


def run_all(query: LaunchpadQuery, concurrency: int, together: bool) -> dict[str, Any]:
    """The three flows, at once or one after another; wall time over all of them."""
    client.configure(max_concurrency=concurrency, launchpadlib_dir=tempfile.mkdtemp())
    results: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    if together:
        errors: list[BaseException] = []

        def work(flow: str) -> None:
            try:
                results[flow] = run_flow(flow, query)
            except BaseException as exc:  # reported below, in the main thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(flow,)) for flow in FLOWS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
    else:
        for flow in FLOWS:
            results[flow] = run_flow(flow, query)
    return {
        "flows": results,
        "seconds": time.perf_counter() - started,
        "requests": sum(r["requests"] for r in results.values()),
        "events": {
            flow: sorted(r["events"], key=lambda e: e["event_id"]) for flow, r in results.items()
        },
    }


def minimum_requests(dataset: Any, member: str, start: Any, end: Any) -> dict[str, int]:
    """The fewest requests each flow can make for this data (see the module docstring)."""
    index = DatasetIndex(dataset)
    actors = dataset.actors(member)
    base = 1 + (pages(len(dataset.participants(member))) if dataset.is_team(member) else 0)
    since = start - timedelta(microseconds=1)

    bug_ids: set[int] = set()
    bug_searches = 0
    for actor in actors:
        found = [
            bug
            for bug in (dataset.bugs[i] for i in index.bugs_by_person.get(actor, {}))
            if bug.date_last_updated > since
        ]
        # Every task of a found bug is a result row when the actor relates to the bug
        # itself; counting all tasks over-estimates pages only past 300 rows.
        bug_searches += pages(sum(len(bug.tasks) for bug in found))
        bug_ids.update(bug.id for bug in found)
    with_events = {e["parent_item_id"] for e in ground_truth(dataset, member, start, end, "bugs")}
    bug_items = sum(
        1
        + pages(len(dataset.bugs[i].messages))
        + pages(len(dataset.bugs[i].activity))
        + (f"bug:{i}" in with_events)
        for i in bug_ids
    )

    mp_searches, mp_ids = 0, set()
    for actor in actors:
        owned = [mp for mp in dataset.merge_proposals.values() if mp.source.owner == actor]
        reviews = [
            mp
            for mp in dataset.merge_proposals.values()
            if any(r.reviewer == actor for r in mp.reviews)
        ]
        mp_searches += pages(len(owned)) + pages(len(reviews))
        mp_ids.update(mp.id for mp in owned + reviews)
    mp_items = sum(
        pages(len(dataset.merge_proposals[i].comments))
        for i in mp_ids
        if dataset.merge_proposals[i].date_created < end
    )

    question_searches, question_ids = 0, set()
    for actor in actors:
        found = [
            q
            for q in dataset.questions.values()
            if actor in (q.owner, q.assignee, q.answerer)
            or actor in q.subscribers
            or any(m.owner == actor for m in q.messages)
        ]
        question_searches += pages(len(found))
        question_ids.update(q.id for q in found)
    question_items = 0
    for i in question_ids:
        q = dataset.questions[i]
        latest = max(filter(None, (q.date_created, q.date_last_query, q.date_last_response)))
        if q.date_created < end and latest >= start:
            question_items += pages(len(q.messages))

    return {
        "bugs": base + bug_searches + bug_items,
        "merge_proposals": base + mp_searches + mp_items,
        "questions": base + question_searches + question_items,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--size", default="small", help="simulator preset (small, medium, large)")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    dataset = preset(args.size)
    member = dataset.sample_team
    start, end = dataset.window_start, dataset.window_end
    with LaunchpadSimulator(dataset, latency_ms=args.latency_ms) as sim:
        query = LaunchpadQuery(
            member=member,
            data_date_start=start.isoformat(),
            data_date_end=end.isoformat(),
            service_root=sim.service_root,
            version="devel",
        )
        # Warm-up (not measured): imports, the simulator's WADL, the code paths.
        run_all(query, args.concurrency, together=True)
        sim.reset_stats()
        concurrent = run_all(query, args.concurrency, together=True)
        served_concurrent = sim.stats()["total"]
        sim.reset_stats()
        sequential = run_all(query, 1, together=False)
        served_sequential = sim.stats()["total"]

    truth = {flow: ground_truth(dataset, member, start, end, flow) for flow in FLOWS}
    truth = {flow: sorted(events, key=lambda e: e["event_id"]) for flow, events in truth.items()}
    identical = concurrent["events"] == sequential["events"]
    matches_truth = concurrent["events"] == truth
    minimum = minimum_requests(dataset, member, start, end)
    min_total = LOGIN_REQUESTS + sum(minimum.values())
    events = sum(len(v) for v in concurrent["events"].values())

    print(f"preset {args.size}, team {member}, latency {args.latency_ms:g} ms")
    for name, run in (("concurrent", concurrent), ("sequential", sequential)):
        for flow in FLOWS:
            result = run["flows"][flow]
            print(
                f"  {name:<10} {flow:<16} events {len(result['events']):>6}  "
                f"requests {result['requests']:>6} (min {minimum[flow]:>6} + login)  "
                f"{result['seconds']:7.2f} s"
            )
        print(
            f"  {name:<10} total: {run['requests']} requests (min {min_total}) "
            f"in {run['seconds']:.2f} s"
        )
    print(f"  served by the simulator: {served_concurrent} / {served_sequential}")
    print(f"  identical: {identical}; equal to ground truth: {matches_truth}")
    speedup = sequential["seconds"] / concurrent["seconds"]
    print(f"  speedup: {speedup:.1f}x")
    print(
        json.dumps(
            {
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
        )
    )


if __name__ == "__main__":
    main()
