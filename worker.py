"""Run the ETL worker: polls etl-task-queue for ETLFlow runs until interrupted.

    python worker.py [--task-queue etl-task-queue] [--max-concurrent-activities 8]

Settings come from the environment and .env (see .env.example). Launchpad credentials
(LP_CREDENTIALS_FILE) and the database password are read here, never sent to Temporal.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from models.settings import Settings
from workers.etl_worker import ETLWorker, connect


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task-queue", default=ETLWorker.default_task_queue)
    parser.add_argument("--max-concurrent-activities", type=int, default=8)
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args()
    logging.basicConfig(
        level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings.from_env()
    client = await connect(settings)
    etl_worker = ETLWorker(
        client,
        settings,
        task_queue=args.task_queue,
        max_concurrent_activities=args.max_concurrent_activities,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with etl_worker:
        logging.info("worker polling %s on %s", args.task_queue, settings.temporal_host)
        await stop.wait()
        logging.info("shutting down: finishing running activities")


if __name__ == "__main__":
    asyncio.run(main())
