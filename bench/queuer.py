"""Queuer benchmark: QueuerFlow over a whole company (default 2,000 people x 3 flows).

    python bench/queuer.py [--people 2000] [--latency-ms 50] [--budget 8] [--max-in-flight 50]

Starts its own services in a temporary directory (an embedded Temporal dev server and an
embedded PostgreSQL), an in-process Launchpad simulator serving a generated dataset with
``--people`` people and little activity, a roster of all of them (one employee id each),
and one worker subprocess (``python worker.py``) with ``LP_MAX_CONCURRENCY=--budget``.
Then one QueuerFlow covers every active person, all three flows.

Measured: children started per second (over the fan-out), Launchpad requests per second
against the budget's limit (``budget / latency``: the most a worker may send at that
latency; the share reached is ``budget_use``), the simulator's peak of requests in flight
(never above the budget), the queuer's history bytes per run (the largest run of its
continue-as-new chain), and the worker's peak resident memory. The last line printed is
one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from temporalio.client import Client  # noqa: E402

from bench.memory import RssPoller, peak_rss_mb  # noqa: E402
from devstack.net import free_port  # noqa: E402
from devstack.postgres import EmbeddedPostgres  # noqa: E402
from devstack.stack import worker_env  # noqa: E402
from devstack.temporal import EmbeddedTemporal, terminate  # noqa: E402
from models.database import Database  # noqa: E402
from models.etl.queuer_io import QueuerInput  # noqa: E402
from models.roster import Person, RosterSelection, RosterStore  # noqa: E402
from simulator import Dataset, LaunchpadSimulator  # noqa: E402

START, END = "2024-01-01", "2024-04-01"


async def history_per_run(client: Client, workflow_id: str) -> dict[str, int]:
    """The largest run's history (bytes, events) over the continue-as-new chain."""
    largest = events = runs = 0
    async for execution in client.list_workflows(f'WorkflowId = "{workflow_id}"'):
        history = await client.get_workflow_handle(
            workflow_id, run_id=execution.run_id
        ).fetch_history()
        size = sum(event.ByteSize() for event in history.events)
        if size > largest:
            largest, events = size, len(history.events)
        runs += 1
    return {"max_bytes_per_run": largest, "events_of_largest": events, "runs": runs}


async def fan_out(args, sim, temporal, env, task_queue, logs) -> dict[str, Any]:
    with open(logs / "worker.log", "wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "worker.py", "--task-queue", task_queue,
             "--max-concurrent-activities", str(args.max_concurrent_activities)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    poller = RssPoller(worker.pid)
    poller.start()
    try:
        client = await Client.connect(temporal.address)
        workflow_id = f"bench-queuer-{uuid.uuid4().hex[:8]}"
        sim.reset_stats()
        started = time.perf_counter()
        handle = await client.start_workflow(
            "QueuerFlow",
            QueuerInput(
                sources=["launchpad"],
                selection=RosterSelection(all_active=True),
                window_start=START,
                window_end=END,
                max_in_flight=args.max_in_flight,
                id_prefix=f"{workflow_id}-",
            ),
            id=workflow_id,
            task_queue=task_queue,
            execution_timeout=timedelta(hours=2),
        )
        result_task = asyncio.ensure_future(handle.result())
        while not result_task.done():
            await asyncio.wait({result_task}, timeout=5)
            # A query can fail once the run has finished or between tasks: skip that poll.
            with contextlib.suppress(Exception):
                print(f"   {json.dumps(await handle.query('progress'))}", flush=True)
        result = result_task.result()
        seconds = time.perf_counter() - started
        stats = sim.stats()
        hwm = peak_rss_mb(worker.pid)
    finally:
        poller.stop()
        terminate(worker, 30)
    history = await history_per_run(client, workflow_id)
    return {
        "result": result,
        "seconds": seconds,
        "stats": stats,
        "peak_rss_mb": round(max(hwm or 0.0, poller.peak_mb), 1),
        "history": history,
    }


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=50.0, help="simulated per request")
    parser.add_argument("--budget", type=int, default=8, help="LP_MAX_CONCURRENCY of the worker")
    parser.add_argument("--max-in-flight", type=int, default=50, help="children at once")
    parser.add_argument("--max-concurrent-activities", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-queuer-"))
    logs = workdir / "logs"
    logs.mkdir()
    temporal = EmbeddedTemporal(workdir / "temporal", port=free_port(), ui_port=None)
    pg = EmbeddedPostgres(workdir / "postgres", durable=False, stop_at_exit=True)
    try:
        print(f"== services in {workdir}", flush=True)
        temporal.start()
        pg.start()
        dataset = Dataset.generate(
            people=args.people, teams=6, bugs=args.people // 10, merge_proposals=args.people // 20,
            questions=args.people // 20, activity=2, seed=args.seed, start=START, end=END,
            description=f"bench/queuer {args.people} people",
        )  # fmt: skip
        db_settings = pg.settings(events_table="events")
        with Database.for_settings(db_settings) as db:
            people = [
                Person(f"E{n:05d}", identities={"launchpad": name})
                for n, name in enumerate(sorted(dataset.people), start=1)
            ]
            RosterStore(db).replace_all(people)
        task_queue = f"bench-queuer-{uuid.uuid4().hex[:6]}"
        with LaunchpadSimulator(dataset, latency_ms=args.latency_ms) as sim:
            env = worker_env(
                temporal.address, db_settings, LP_WEB_ROOT=sim.service_root,
                LP_MAX_CONCURRENCY=str(args.budget),
            )  # fmt: skip
            print(f"== {len(people)} people x 3 flows, latency {args.latency_ms} ms", flush=True)
            measured = await fan_out(args, sim, temporal, env, task_queue, logs)
        with Database.for_settings(db_settings) as db:
            loaded = db.count_events()
    finally:
        pg.stop()
        temporal.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    result, seconds, stats = measured["result"], measured["seconds"], measured["stats"]
    limit = args.budget / (args.latency_ms / 1000) if args.latency_ms else None
    requests_per_second = stats["total"] / seconds
    summary = {
        "people": len(people),
        "children": result["units"],
        "completed": result["completed"],
        "failed": result["failed"],
        "events": loaded,
        "seconds": round(seconds, 1),
        "children_per_second": round(result["started"] / seconds, 1),
        "requests": stats["total"],
        "requests_per_second": round(requests_per_second, 1),
        "budget": args.budget,
        "latency_ms": args.latency_ms,
        "budget_limit_rps": round(limit, 1) if limit else None,
        "budget_use": round(requests_per_second / limit, 3) if limit else None,
        "in_flight_peak": stats["in_flight_peak"],
        "queuer_runs": measured["history"]["runs"],
        "history_bytes_per_run": measured["history"]["max_bytes_per_run"],
        "history_events_per_run": measured["history"]["events_of_largest"],
        "peak_worker_rss_mb": measured["peak_rss_mb"],
    }
    print(json.dumps(summary))
    return 0 if result["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
