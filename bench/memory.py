"""Memory benchmark: a small and a ten-times-larger team streamed through StreamingETLFlow.

    python bench/memory.py [--small-bugs 4300] [--scale 10] [--flow bugs] [--latency-ms 0]

Starts its own services in a temporary directory (an embedded Temporal dev server and an
embedded PostgreSQL) and, for each size, an in-process Launchpad simulator serving a
generated dataset (``Dataset.generate``: the same people and teams; the large one with
enough random items that its team has at least ``--scale`` times the small one's events;
the defaults give about 10,000 and 100,000 bug events), then a fresh worker subprocess
(``python streaming_etl.py worker``), so that the peak resident memory measured is the
worker's own: the kernel's high-water mark (``VmHWM`` in ``/proc/<pid>/status``), read just
before the worker is stopped, cross-checked by polling its RSS with psutil. Each run
streams the dataset's team over the window into an events table of its own and is checked
against the simulator's ground truth.

Each run is measured in two phases, found by following its ``progress`` query: planning
(the source lists its items; for Launchpad, every actor's searches) and streaming (chunks
extracted and loaded), with the peak of each (``*_plan_peak_rss_mb``,
``*_streaming_peak_rss_mb``), since they grow for different reasons.

It also sums the size of each run's workflow history over every run of its chain
(continue-as-new included), as the server returns it (protobuf bytes).

The last line printed is one JSON object:
``{"small_events", "large_events", "small_peak_rss_mb", "large_peak_rss_mb", "ratio",
"history_bytes_large", ...}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from temporalio.client import Client  # noqa: E402

from devstack.net import free_port  # noqa: E402
from devstack.postgres import EmbeddedPostgres  # noqa: E402
from devstack.stack import worker_env as devstack_worker_env  # noqa: E402
from devstack.temporal import EmbeddedTemporal, terminate  # noqa: E402
from models.database import Database  # noqa: E402
from models.etl.streaming_config import StreamingConfig, StreamingETLFlowInput  # noqa: E402
from simulator.launchpad import Dataset, LaunchpadSimulator, ground_truth  # noqa: E402

TEAM, START, END = "sample-team", "2024-01-01", "2024-04-01"
MB = 1024 * 1024


def peak_rss_mb(pid: int) -> float | None:
    """The kernel's high-water mark of the process's resident memory (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class RssPoller(threading.Thread):
    """Polls a process's RSS with psutil; keeps the highest value seen."""

    def __init__(self, pid: int, every: float = 0.05):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.every = every
        self.peak_mb = 0.0
        self.last_mb = 0.0
        self.mark_peak_mb = 0.0  # the peak since mark() was called
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.every):
            try:
                self.last_mb = self.process.memory_info().rss / MB
            except psutil.Error:
                return
            self.peak_mb = max(self.peak_mb, self.last_mb)
            self.mark_peak_mb = max(self.mark_peak_mb, self.last_mb)

    def mark(self) -> float:
        """Start a new phase: returns the current RSS."""
        self.mark_peak_mb = self.last_mb
        return self.last_mb

    def stop(self) -> None:
        self._done.set()
        self.join()


def worker_env(temporal: EmbeddedTemporal, pg: EmbeddedPostgres, table: str) -> dict[str, str]:
    return devstack_worker_env(temporal.address, pg.settings(events_table=table))


async def end_of_planning(handle, poller: RssPoller) -> tuple[float, float]:
    """Follow the run until it has planned (listed the items); return the worker's peak
    RSS so far and its RSS then. What follows is the streaming itself."""
    while True:
        try:
            phase = (await handle.query("progress"))["phase"]
        except Exception:  # noqa: BLE001 - no answer before the first workflow task
            phase = "starting"
        if phase not in ("starting", "planning"):
            return poller.peak_mb, poller.mark()
        await asyncio.sleep(0.05)


async def history_size(client: Client, workflow_id: str) -> dict[str, int]:
    """Bytes and events of every run of ``workflow_id`` (the continue-as-new chain)."""
    total_bytes = total_events = runs = 0
    async for execution in client.list_workflows(f'WorkflowId = "{workflow_id}"'):
        handle = client.get_workflow_handle(workflow_id, run_id=execution.run_id)
        history = await handle.fetch_history()
        total_bytes += sum(event.ByteSize() for event in history.events)
        total_events += len(history.events)
        runs += 1
    return {"bytes": total_bytes, "events": total_events, "runs": runs}


async def run_once(
    label: str,
    dataset: Dataset,
    args: argparse.Namespace,
    temporal: EmbeddedTemporal,
    pg: EmbeddedPostgres,
    logs: Path,
) -> dict[str, Any]:
    table = f"bench_{label}_{uuid.uuid4().hex[:6]}"
    task_queue = f"bench-memory-{label}-{uuid.uuid4().hex[:6]}"
    config = StreamingConfig(
        chunk_size=args.chunk_size,
        max_chunks_in_flight=args.max_chunks_in_flight,
        load_batch_size=args.load_batch_size,
        memory_threshold_mb=args.memory_threshold_mb,
    )
    with LaunchpadSimulator(dataset, latency_ms=args.latency_ms) as sim:
        truth = sim.ground_truth(TEAM, START, END, args.flow)
        log = logs / f"worker-{label}.log"
        with open(log, "wb") as out:
            worker = subprocess.Popen(
                [sys.executable, "streaming_etl.py", "worker", "--task-queue", task_queue],
                cwd=ROOT,
                env=worker_env(temporal, pg, table),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        poller = RssPoller(worker.pid)
        poller.start()
        try:
            client = await Client.connect(temporal.address)
            workflow_id = f"bench-memory-{label}-{uuid.uuid4().hex[:8]}"
            started = time.perf_counter()
            handle = await client.start_workflow(
                "StreamingETLFlow",
                StreamingETLFlowInput(
                    "launchpad",
                    f"launchpad-{args.flow}",
                    {
                        "member": TEAM,
                        "data_date_start": START,
                        "data_date_end": END,
                        "service_root": sim.service_root,
                        "version": "devel",
                    },
                    config,
                ),
                id=workflow_id,
                task_queue=task_queue,
                execution_timeout=timedelta(hours=1),
            )
            plan_peak, rss_after_plan = await end_of_planning(handle, poller)
            result = await handle.result()
            seconds = time.perf_counter() - started
            hwm = peak_rss_mb(worker.pid)
        finally:
            poller.stop()
            terminate(worker, 30)
        history = await history_size(client, workflow_id)
    with Database.for_settings(pg.settings(events_table=table)) as db:
        loaded = db.count_events()
        db.drop_table()
    if loaded != len(truth) or result["extracted"] < len(truth):
        raise SystemExit(
            f"{label}: loaded {loaded} events, the ground truth has {len(truth)}; see {log}"
        )
    return {
        "events": len(truth),
        "items": result["items"],
        "chunks": result["chunks"],
        "peak_in_flight": result["peak_in_flight"],
        "continued_as_new": result["continued_as_new"],
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(max(hwm or 0.0, poller.peak_mb), 1),
        "polled_peak_rss_mb": round(poller.peak_mb, 1),
        "plan_peak_rss_mb": round(plan_peak, 1),
        "rss_after_plan_mb": round(rss_after_plan, 1),
        "streaming_peak_rss_mb": round(poller.mark_peak_mb, 1),
        "history": history,
    }


def generate(bugs: int, args: argparse.Namespace) -> Dataset:
    return Dataset.generate(
        people=args.people,
        teams=6,
        bugs=bugs,
        merge_proposals=bugs // 2,
        questions=bugs // 2,
        activity=8,
        seed=args.seed,
        start=START,
        end=END,
        description=f"bench/memory {bugs} bugs",
    )


def team_events(dataset: Dataset, flow: str) -> int:
    return len(ground_truth(dataset, TEAM, START, END, flow))


def sized_dataset(bugs: int, small_events: int, args: argparse.Namespace) -> tuple[int, Dataset]:
    """A dataset whose team has at least ``--scale`` times the small run's events (the
    fixed hard cases weigh more in the small one, so ``scale`` times the bugs falls a
    little short): grow the bug count until it does."""
    while True:
        dataset = generate(bugs, args)
        events = team_events(dataset, args.flow)
        if events >= args.scale * small_events:
            return bugs, dataset
        bugs = int(bugs * args.scale * small_events / events * 1.01) + 1


async def main() -> int:
    defaults = StreamingConfig()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--small-bugs", type=int, default=4300, help="random bugs of the small run (~10k events)"
    )
    parser.add_argument("--scale", type=int, default=10, help="large run: this many times more")
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flow", choices=("bugs", "merge_proposals", "questions"), default="bugs")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="simulated per request")
    parser.add_argument("--chunk-size", type=int, default=defaults.chunk_size)
    parser.add_argument("--max-chunks-in-flight", type=int, default=defaults.max_chunks_in_flight)
    parser.add_argument("--load-batch-size", type=int, default=defaults.load_batch_size)
    parser.add_argument("--memory-threshold-mb", type=float, default=defaults.memory_threshold_mb)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    logs = workdir / "logs"
    logs.mkdir()
    temporal = EmbeddedTemporal(workdir / "temporal", port=free_port(), ui_port=None)
    pg = EmbeddedPostgres(workdir / "postgres", durable=False, stop_at_exit=True)
    results: dict[str, dict[str, Any]] = {}
    try:
        print(f"== services in {workdir}", flush=True)
        temporal.start()
        pg.start()
        small_events = 0
        for label in ("small", "large"):
            started = time.perf_counter()
            if label == "small":
                bugs, dataset = args.small_bugs, generate(args.small_bugs, args)
                small_events = team_events(dataset, args.flow)
            else:
                bugs, dataset = sized_dataset(args.small_bugs * args.scale, small_events, args)
            print(
                f"== {label}: {bugs} random bugs generated in "
                f"{time.perf_counter() - started:.1f}s; streaming {args.flow} of {TEAM}",
                flush=True,
            )
            results[label] = await run_once(label, dataset, args, temporal, pg, logs)
            del dataset
            print(f"   {label}: {json.dumps(results[label])}", flush=True)
    finally:
        pg.stop()
        temporal.stop()
        if args.keep:
            print(f"== kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    small, large = results["small"], results["large"]
    summary = {
        "flow": args.flow,
        "config": asdict(
            StreamingConfig(
                chunk_size=args.chunk_size,
                max_chunks_in_flight=args.max_chunks_in_flight,
                load_batch_size=args.load_batch_size,
                memory_threshold_mb=args.memory_threshold_mb,
            )
        ),
        "small_events": small["events"],
        "large_events": large["events"],
        "events_ratio": round(large["events"] / max(1, small["events"]), 2),
        "small_peak_rss_mb": small["peak_rss_mb"],
        "large_peak_rss_mb": large["peak_rss_mb"],
        "ratio": round(large["peak_rss_mb"] / small["peak_rss_mb"], 3),
        # The run in two phases: planning (the source lists its items) and streaming
        # (chunks extracted and loaded); the streaming peak is after planning.
        "small_plan_peak_rss_mb": small["plan_peak_rss_mb"],
        "large_plan_peak_rss_mb": large["plan_peak_rss_mb"],
        "small_streaming_peak_rss_mb": small["streaming_peak_rss_mb"],
        "large_streaming_peak_rss_mb": large["streaming_peak_rss_mb"],
        "small_seconds": small["seconds"],
        "large_seconds": large["seconds"],
        "history_bytes_small": small["history"]["bytes"],
        "history_bytes_large": large["history"]["bytes"],
        "history_events_large": large["history"]["events"],
        "runs_large": large["history"]["runs"],
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
