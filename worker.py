"""Run the ETL worker: polls etl-task-queue for ETLFlow runs until interrupted.

    python worker.py [--task-queue etl-task-queue] [--max-concurrent-activities 8]
    python worker.py --streaming   # StreamingETLFlow on streaming-etl-task-queue instead
    python worker.py --both        # both workers in one process, each on its own queue

Settings come from the environment and .env (see .env.example). Launchpad credentials
(LP_CREDENTIALS_FILE) and the database password are read here, never sent to Temporal.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from models.settings import Settings
from workers.etl_worker import ETLWorker, connect
from workers.startup import prepare_database


async def serve(workers: list[tuple[type[ETLWorker], str | None, int]]) -> None:
    """Run ``(worker class, task queue or None for its own, max concurrent activities)``
    workers on one client until SIGINT or SIGTERM; running activities finish first."""
    settings = Settings.from_env()
    await asyncio.to_thread(prepare_database, settings)
    client = await connect(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with contextlib.AsyncExitStack() as stack:
        for worker_cls, task_queue, max_concurrent in workers:
            worker = worker_cls(
                client,
                settings,
                task_queue=task_queue,
                max_concurrent_activities=max_concurrent,
            )
            await stack.enter_async_context(worker)
            logging.info("worker polling %s on %s", worker.task_queue, settings.temporal_host)
        await stop.wait()
        logging.info("shutting down: finishing running activities")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task-queue", default=None, help="default: the worker's own queue")
    parser.add_argument("--max-concurrent-activities", type=int, default=None)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--streaming", action="store_true", help="run StreamingETLWorker instead")
    mode.add_argument("--both", action="store_true", help="run ETLWorker and StreamingETLWorker")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args()
    if args.both and args.task_queue:
        parser.error("--task-queue applies to one worker; each of --both uses its own queue")
    configure_logging(args.log_level)
    from workers.streaming_etl_worker import StreamingETLWorker

    workers: list[tuple[type[ETLWorker], str | None, int]] = []
    if not args.streaming:
        workers.append((ETLWorker, args.task_queue, args.max_concurrent_activities or 8))
    if args.streaming or args.both:
        workers.append((StreamingETLWorker, args.task_queue, args.max_concurrent_activities or 16))
    await serve(workers)


if __name__ == "__main__":
    asyncio.run(main())
