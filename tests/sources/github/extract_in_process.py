"""Run GitHub flows in a process of their own and write their events as JSON.

    python -m tests.sources.github.extract_in_process ROOT MEMBER OWNERS OUT.json FLOW...

Tests that judge *when* requests reach the simulator run the client here, apart from
the simulator's process: sharing one interpreter lock with many client threads, the
simulator's handlers would be scheduled late and record arrival times after answers the
requests had not seen. GITHUB_TOKEN comes from the environment, as on a worker.
"""

from __future__ import annotations

import json
import sys

from models.etl.extract_cmd import ExtractStrategy
from sources.github import client
from sources.github.query import GithubQuery


def main(root: str, member: str, owners: str, out: str, *flows: str) -> None:
    client.configure(base_delay=0.005, max_delay=0.05, max_concurrency=8, reset_margin=0.2)
    events = {}
    for flow in flows:
        query = GithubQuery(member, owners.split(","), "2024-01-01", "2024-04-01", root)
        events[flow] = ExtractStrategy.create(f"github-{flow}")(query)
    with open(out, "w") as file:
        json.dump(events, file)


if __name__ == "__main__":
    main(*sys.argv[1:])
