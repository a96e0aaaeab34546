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
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench.extract_harness import measure, report, run_flow, run_flows
from devstack.simulator_process import SimulatorProcess
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


def run_all(query: GithubQuery, concurrency: int, together: bool) -> dict[str, Any]:
    """The three flows, at once or one after another, each run with no listings cached."""
    client.configure(max_concurrency=concurrency)
    extraction.forget_listings()
    return run_flows(FLOWS, lambda flow: run_flow(f"github-{flow}", query), together)


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
        runs = measure(sim, lambda n, together: run_all(query, n, together), args.concurrency)
    truth = {flow: ground_truth(dataset, member, start, end, flow, owners) for flow in FLOWS}
    minimum = minimum_requests(dataset, member, owners, start, end)
    print(
        f"github preset {args.size}, team {member}, owners {owners}, latency {args.latency_ms:g} ms"
    )
    return report(args, FLOWS, runs, truth, minimum, sum(minimum.values()))
