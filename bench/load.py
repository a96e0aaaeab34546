"""Load benchmark: Database.insert_events_batch against a raw COPY of the same rows.

    python bench/load.py --events 200000 [--batch-size 5000] [--repeat 3] [--fast]

Starts its own embedded PostgreSQL in a temporary directory (durable by default; ``--fast``
turns fsync, synchronous_commit and full_page_writes off), generates N synthetic events,
and for each repetition measures, batch by batch on one connection:

* upsert: ``insert_events_batch`` into an empty events table (schema and indexes as in
  production), i.e. COPY into a temp table, then INSERT ... SELECT ... ON CONFLICT;
* rerun:  ``insert_events_batch`` of the same events again (nothing changes);
* copy:   a plain ``COPY`` of the same rows into a scratch table with the same columns
  and no constraints or indexes: the speed PostgreSQL can take, the reference.

All three serialise the same Event objects with the same code. The last line printed is
one JSON object with the medians.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from psycopg2 import sql  # noqa: E402

from devstack.postgres import EmbeddedPostgres  # noqa: E402
from models.database import Database  # noqa: E402
from models.db import schema  # noqa: E402
from models.db.copy import copy_buffer, copy_text  # noqa: E402
from models.event import Event  # noqa: E402

EVENTS_TABLE = "bench_events"
SCRATCH_TABLE = "bench_copy"
STATUSES = ("New", "Confirmed", "Triaged", "In Progress", "Fix Committed", "Fix Released")
IMPORTANCE = ("Undecided", "Low", "Medium", "High", "Critical")
RELATIONS = ("created", "commented", "status_changed", "assigned", "closed")
ZONES = ("UTC", "Europe/London", "America/Sao_Paulo", "Asia/Kolkata", "Europe/Berlin")
WORDS = [
    "crash",
    "login",
    "timeout",
    "kernel",
    "snap",
    "package",
    "upgrade",
    "regression",
    "memory",
    "leak",
    "build",
]


def make_events(n: int, seed: int = 7) -> list[Event]:
    """``n`` Launchpad-like events with a few JSONB properties each."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    events = []
    for i in range(n):
        bug = 1_000_000 + i // 4
        relation = RELATIONS[i % len(RELATIONS)]
        moment = start + timedelta(seconds=rng.randrange(0, 365 * 86400))
        events.append(
            Event(
                source_kind_id="launchpad",
                parent_item_id=str(bug),
                event_id=f"launchpad-bugs-{bug}-{relation}-{i}",
                event_type="bugs",
                relation_type=relation,
                employee_id=f"user{rng.randrange(2000)}",
                event_time_utc=moment,
                timezone=ZONES[i % len(ZONES)],
                event_properties={
                    "title": " ".join(rng.choices(WORDS, k=6)),
                    "status": rng.choice(STATUSES),
                    "importance": rng.choice(IMPORTANCE),
                    "project": f"project{rng.randrange(50)}",
                    "tags": rng.sample(WORDS, 2),
                },
                relation_properties={"web_link": f"https://bugs.launchpad.net/bugs/{bug}"},
                metrics={"comments": rng.randrange(40), "heat": rng.randrange(1000)},
            )
        )
    return events


def batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def time_upsert(db: Database, events: list[Event], batch_size: int) -> tuple[float, int]:
    written = 0
    t0 = time.perf_counter()
    for batch in batches(events, batch_size):
        written += db.insert_events_batch(batch)
    return time.perf_counter() - t0, written


def time_copy(db: Database, events: list[Event], batch_size: int) -> float:
    statement = schema.copy_into(SCRATCH_TABLE)
    with db.get_connection() as conn:
        t0 = time.perf_counter()
        for batch in batches(events, batch_size):
            with conn.cursor() as cur:
                cur.copy_expert(statement, copy_buffer(batch), size=1 << 20)
            conn.commit()
        return time.perf_counter() - t0


def reset_tables(db: Database) -> None:
    db.drop_table()
    db._ensure_schema()
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(ddl.split()[0]))
        for name, ddl in schema.COLUMN_TYPES.items()
    )
    with db.get_connection() as conn, conn.cursor() as cur:
        cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(SCRATCH_TABLE)))
        cur.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(SCRATCH_TABLE), columns))


def checkpoint(pg: EmbeddedPostgres) -> None:
    """Flush dirty pages so one measurement does not pay for the previous one's writes."""
    conn = pg.superuser_connect()
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("CHECKPOINT")
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fast", action="store_true", help="durable=False (no fsync)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.events < 1 or args.batch_size < 1 or args.repeat < 1:
        parser.error("--events, --batch-size and --repeat must be positive")

    t0 = time.perf_counter()
    events = make_events(args.events, args.seed)
    print(f"generated {len(events):,} events in {time.perf_counter() - t0:.1f}s", flush=True)
    serialize = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for batch in batches(events, args.batch_size):
            copy_text(batch)
        serialize.append(args.events / (time.perf_counter() - t0))

    with tempfile.TemporaryDirectory(prefix="etl-bench-") as tmp:
        pg = EmbeddedPostgres(
            Path(tmp),
            durable=not args.fast,
            stop_at_exit=True,
            extra_settings={"shared_buffers": "512MB", "max_wal_size": "4GB"},
        )
        t0 = time.perf_counter()
        pg.start()
        print(f"PostgreSQL on {pg.host}:{pg.port} in {time.perf_counter() - t0:.1f}s", flush=True)
        try:
            db = Database.for_settings(pg.settings(events_table=EVENTS_TABLE, max_conn=2))
            upsert, rerun, copy = [], [], []
            try:
                for round_ in range(1, args.repeat + 1):
                    reset_tables(db)
                    checkpoint(pg)
                    seconds = time_copy(db, events, args.batch_size)
                    copy.append(args.events / seconds)
                    checkpoint(pg)
                    seconds, written = time_upsert(db, events, args.batch_size)
                    assert written == args.events, (written, args.events)
                    upsert.append(args.events / seconds)
                    checkpoint(pg)
                    seconds, written = time_upsert(db, events, args.batch_size)
                    assert written == 0, written
                    rerun.append(args.events / seconds)
                    print(
                        f"round {round_}: upsert {upsert[-1]:>10,.0f} rows/s   "
                        f"rerun {rerun[-1]:>10,.0f} rows/s   copy {copy[-1]:>10,.0f} rows/s",
                        flush=True,
                    )
                assert db.count_events() == args.events
                db.drop_table()
            finally:
                db.close()
        finally:
            pg.stop()

    result = {
        "events": args.events,
        "batch_size": args.batch_size,
        "upsert_rows_per_s": round(statistics.median(upsert)),
        "copy_rows_per_s": round(statistics.median(copy)),
        "ratio": round(statistics.median(upsert) / statistics.median(copy), 3),
        "rerun_upsert_rows_per_s": round(statistics.median(rerun)),
        "serialize_rows_per_s": round(statistics.median(serialize)),
        "durable": not args.fast,
    }
    print()
    print(f"{'measure':<28}{'median rows/s':>15}")
    print(f"{'upsert (new rows)':<28}{result['upsert_rows_per_s']:>15,}")
    print(f"{'upsert rerun (unchanged)':<28}{result['rerun_upsert_rows_per_s']:>15,}")
    print(f"{'raw COPY (reference)':<28}{result['copy_rows_per_s']:>15,}")
    print(f"{'Python COPY text only':<28}{result['serialize_rows_per_s']:>15,}")
    print(f"{'upsert / COPY':<28}{result['ratio']:>15.3f}")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
