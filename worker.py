"""Run the ETL worker: polls etl-task-queue for ETLFlow runs until interrupted.

    python worker.py [--task-queue etl-task-queue] [--max-concurrent-activities 8]
    python worker.py --streaming   # StreamingETLFlow on streaming-etl-task-queue instead
    python worker.py --both        # both workers in one process, each on its own queue
    python worker.py --check       # can it reach Temporal and PostgreSQL? exit 0 or 1

SIGTERM or SIGINT stops it: polling stops at once, running activities get --grace-seconds
(default 30) to finish; those still running are then cancelled and retried by another
worker from their last heartbeat.

With METRICS_PORT set, Prometheus metrics are served on that port (workers/metrics_server.py).
Settings come from the environment and .env (see .env.example). Launchpad credentials
(LP_CREDENTIALS_FILE) and the database password are read here, never sent to Temporal.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from datetime import timedelta

from models.settings import Settings
from workers.etl_worker import (
    DEFAULT_SHUTDOWN_GRACE,
    ETLWorker,
    connect,
    exit_without_teardown,
)
from workers.metrics_server import MetricsServer
from workers.startup import prepare_database


async def serve(
    workers: list[tuple[type[ETLWorker], str | None, int]],
    shutdown_grace: timedelta = DEFAULT_SHUTDOWN_GRACE,
) -> None:
    """Run ``(worker class, task queue or None for its own, max concurrent activities)``
    workers on one client until SIGINT or SIGTERM; running activities get
    ``shutdown_grace`` to finish."""
    settings = Settings.from_env()
    await asyncio.to_thread(prepare_database, settings)
    metrics_server = MetricsServer(settings.metrics_port).start() if settings.metrics_port else None
    client = await connect(settings, metrics_server.runtime if metrics_server else None)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with contextlib.AsyncExitStack() as stack:
        if metrics_server is not None:
            stack.callback(metrics_server.stop)
        for worker_cls, task_queue, max_concurrent in workers:
            worker = worker_cls(
                client,
                settings,
                task_queue=task_queue,
                max_concurrent_activities=max_concurrent,
                shutdown_grace=shutdown_grace,
            )
            await stack.enter_async_context(worker)
            logging.info("worker polling %s on %s", worker.task_queue, settings.temporal_host)
        await stop.wait()
        logging.info(
            "shutting down: running activities get %ss to finish",
            shutdown_grace.total_seconds(),
        )
    logging.info("worker stopped")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task-queue", default=None, help="default: the worker's own queue")
    parser.add_argument("--max-concurrent-activities", type=int, default=None)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--streaming", action="store_true", help="run StreamingETLWorker instead")
    mode.add_argument("--both", action="store_true", help="run ETLWorker and StreamingETLWorker")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument(
        "--grace-seconds",
        type=float,
        default=DEFAULT_SHUTDOWN_GRACE.total_seconds(),
        help="on SIGTERM, how long running activities may take to finish (default 30)",
    )
    parser.add_argument(
        "--check", action="store_true", help="check Temporal and PostgreSQL, exit 0 or 1"
    )
    args = parser.parse_args()
    if args.check:
        from workers.health import check

        healthy, line = asyncio.run(check(Settings.from_env()))
        print(line)
        exit_without_teardown(0 if healthy else 1)
    if args.both and args.task_queue:
        parser.error("--task-queue applies to one worker; each of --both uses its own queue")
    configure_logging(args.log_level)
    from workers.streaming_etl_worker import StreamingETLWorker

    workers: list[tuple[type[ETLWorker], str | None, int]] = []
    if not args.streaming:
        workers.append((ETLWorker, args.task_queue, args.max_concurrent_activities or 8))
    if args.streaming or args.both:
        workers.append((StreamingETLWorker, args.task_queue, args.max_concurrent_activities or 16))
    asyncio.run(serve(workers, timedelta(seconds=args.grace_seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
