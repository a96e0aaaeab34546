"""Roster benchmark: the identity step per event, and ``remap`` over a stored table.

    python bench/roster.py [--events 100000] [--people 2000]

Starts its own embedded PostgreSQL (not durable) in a temporary directory, imports a
roster of ``--people`` people, maps ``--events`` synthetic events through the identity
step (actor, a ``Login``, a ``LoginText`` and a ``CommentBody`` each; half the logins are
outside the roster), stores them, then changes the roster (10% more people join, 5% lose
their identity) and times ``remap``, and ``remap`` again (nothing left to change). The
last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devstack.net import free_port  # noqa: E402
from devstack.postgres import EmbeddedPostgres  # noqa: E402
from models.database import Database  # noqa: E402
from models.event import Event  # noqa: E402
from models.identity import CommentBody, Login, LoginText  # noqa: E402
from models.roster import Person, RosterStore  # noqa: E402
from models.roster.identity import IdentityMap  # noqa: E402
from models.roster.remap import remap_events  # noqa: E402

KEY = "bench-key"


def person(i: int, with_login: bool = True) -> Person:
    return Person(f"E{i}", identities={"launchpad": f"user{i}"} if with_login else {})


def events(count: int, logins: int) -> list[Event]:
    return [
        Event(
            "launchpad",
            f"ev-{i}",
            "bugs",
            "assignee_changed",
            f"user{i % logins}",
            "2024-03-01T12:00:00Z",
            relation_properties={
                "newvalue": Login(f"user{i * 7 % logins}"),
                "subject": LoginText(f"Re: ~user{i % logins}/widget", [f"user{i % logins}"]),
                "content": CommentBody("thanks"),
            },
        )
        for i in range(count)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()
    n, people = args.events, args.people
    with tempfile.TemporaryDirectory(prefix="bench-roster-") as data:
        server = EmbeddedPostgres(data, port=free_port(), durable=False)
        server.start()
        try:
            settings = dataclasses.replace(server.settings(), schema="bench_roster")
            with Database.for_settings(settings) as db:
                store = RosterStore(db)
                store.replace_all([person(i) for i in range(people)])
                before = IdentityMap(store.identities(), KEY, False)
                batch = events(n, 2 * people)
                started = time.perf_counter()
                for event in batch:
                    before.apply(event)
                step = time.perf_counter() - started
                for start in range(0, n, 5000):
                    db.upsert_events(batch[start : start + 5000])
                leaving, joining = people // 20, people // 10
                store.replace_all(
                    [person(i, with_login=i >= leaving) for i in range(people + joining)]
                )
                after = IdentityMap(store.identities(), KEY, False)
                started = time.perf_counter()
                first = remap_events(db, after)
                remap = time.perf_counter() - started
                started = time.perf_counter()
                second = remap_events(db, after)
                again = time.perf_counter() - started
        finally:
            server.stop()
    print(f"identity step: {n} events in {step:.2f} s ({n / step:,.0f} events/s)")
    print(f"remap:         {first.line()} in {remap:.1f} s ({n / remap:,.0f} rows/s)")
    print(f"remap again:   {second.line()} in {again:.1f} s")
    result = {
        "events": n,
        "people": people,
        "identity_step_events_per_s": round(n / step),
        "remap_rows_per_s": round(n / remap),
        "remap_updated": first.updated,
        "remap_again_updated": second.updated,
        "remap_again_rows_per_s": round(n / again),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
