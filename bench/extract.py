"""Extraction benchmark: the three Launchpad flows, concurrent against one request at a time.

    python bench/extract.py [--latency-ms 50] [--size small] [--concurrency 16]
    python bench/extract.py --source github [...]   # the GitHub flows: bench/extract_github.py

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
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.extract_harness import measure, report, run_flow, run_flows  # noqa: E402
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


def run_all(query: LaunchpadQuery, concurrency: int, together: bool) -> dict[str, Any]:
    """The three flows, at once or one after another, each with a fresh launchpadlib cache."""
    client.configure(max_concurrency=concurrency, launchpadlib_dir=tempfile.mkdtemp())
    return run_flows(FLOWS, lambda flow: run_flow(f"launchpad-{flow}", query), together)


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


def bench_launchpad(args: argparse.Namespace) -> dict[str, Any]:
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
        runs = measure(sim, lambda n, together: run_all(query, n, together), args.concurrency)
    truth = {flow: ground_truth(dataset, member, start, end, flow) for flow in FLOWS}
    minimum = minimum_requests(dataset, member, start, end)
    print(f"preset {args.size}, team {member}, latency {args.latency_ms:g} ms")
    return report(
        args, FLOWS, runs, truth, minimum, LOGIN_REQUESTS + sum(minimum.values()), " + login"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", choices=("launchpad", "github"), default="launchpad")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--size", default="small", help="simulator preset (small, medium, large)")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if args.source == "github":
        from bench.extract_github import bench_github

        result = bench_github(args)
    else:
        result = bench_launchpad(args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
