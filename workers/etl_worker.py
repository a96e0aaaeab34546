"""ETLWorker: a Temporal worker that runs ETLFlow and its activities."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import NoReturn

from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from models.etl.activities import ETLActivities
from models.etl.etl_flow import ETLFlow
from models.etl.extract_cmd import ExtractStrategy
from models.etl.query import QueryFactory
from models.etl.queuer_activities import QueuerActivities
from models.etl.queuer_flow import QueuerFlow
from models.settings import Settings

logger = logging.getLogger(__name__)

# How long a stopping worker lets running activities finish (then they are cancelled and
# retried elsewhere from their last heartbeat). docker-compose.yml's stop_grace_period
# must exceed it.
DEFAULT_SHUTDOWN_GRACE = timedelta(seconds=30)


async def connect(settings: Settings, runtime: Runtime | None = None) -> Client:
    """A client for the configured Temporal server and namespace: the one place workers,
    starters and scripts get theirs, with the API key, TLS and gRPC headers of Temporal's
    environment configuration (``Settings.temporal_connect_config``). ``runtime``: one
    with metrics, see ``workers.metrics_server``."""
    return await Client.connect(**settings.temporal_connect_config(), runtime=runtime)


def exit_without_teardown(code: int) -> NoReturn:
    """End a short-lived client process (a health check, a starter) at once.

    After a client connect, the SDK's Rust runtime threads may call into Python while the
    interpreter finalizes, which aborts it ("Fatal Python error: PyGILState_Release ...
    finalizing", SIGABRT; temporalio/sdk-python#300): a 1-in-10 failure of
    ``worker.py --check`` after a refused connect. Flush and skip the teardown instead.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


class ETLWorker:
    """Polls ``task_queue`` for ETLFlow and QueuerFlow runs; activities run on a thread
    pool. A queuer's children run on the same queue unless its input names another.

    Plugins are discovered here, at start, so a broken source fails the worker loudly
    instead of the first workflow that needs it.
    """

    workflows: tuple = (ETLFlow, QueuerFlow)
    default_task_queue = ETLFlow.queue_name

    def __init__(
        self,
        client: Client,
        settings: Settings | None = None,
        task_queue: str | None = None,
        activities: ETLActivities | None = None,
        max_concurrent_activities: int = 8,
        shutdown_grace: timedelta = DEFAULT_SHUTDOWN_GRACE,
    ):
        self.client = client
        self.shutdown_grace = shutdown_grace
        self.settings = settings or Settings.from_env()
        self.task_queue = task_queue or self.default_task_queue
        self.activities = activities or ETLActivities(self.settings)
        self.max_concurrent_activities = max_concurrent_activities
        self._executor = ThreadPoolExecutor(max_concurrent_activities, thread_name_prefix="etl")
        self.worker = self._get_worker()

    def _get_worker(self) -> Worker:
        QueryFactory._discover_and_import_modules()
        ExtractStrategy._discover_and_import_modules()
        logger.info(
            "worker on %s: query types %s, extract methods %s",
            self.task_queue,
            sorted(QueryFactory.available()),
            sorted(ExtractStrategy.available()),
        )
        return Worker(
            self.client,
            task_queue=self.task_queue,
            workflows=list(self.workflows),
            activities=self._activity_functions(),
            activity_executor=self._executor,
            # The sandbox still checks determinism, but imports nothing anew for each run:
            # re-importing every module per workflow run costs more CPU than a short
            # child run's own work, and a queuer starts thousands of them.
            workflow_runner=SandboxedWorkflowRunner(
                restrictions=SandboxRestrictions.default.with_passthrough_all_modules()
            ),
            max_concurrent_activities=self.max_concurrent_activities,
            # An input that cannot be decoded (a number where a name belongs) or a bug in
            # workflow code fails the run visibly instead of retrying its task forever;
            # reruns are idempotent, so failing costs nothing but the rerun.
            workflow_failure_exception_types=[Exception],
            # The SDK would send heartbeats at most every 0.8 x the heartbeat timeout; a
            # retry after a crash resumes from the last cursor the server has, so let each
            # committed page's cursor reach it within a couple of seconds.
            max_heartbeat_throttle_interval=timedelta(seconds=2),
            # On shutdown (SIGTERM) running activities get this long to finish; the rest
            # are cancelled, fail as "worker shutdown" and are retried by another worker,
            # which resumes from the cursor they heartbeated.
            graceful_shutdown_timeout=self.shutdown_grace,
        )

    def _activity_functions(self) -> list:
        functions = self.activities.all()
        if QueuerFlow in self.workflows:
            functions += QueuerActivities(self.activities).all()
        return functions

    async def run(self) -> None:
        try:
            await self.worker.run()
        finally:
            self._executor.shutdown(wait=False, cancel_futures=True)

    async def __aenter__(self) -> ETLWorker:
        self._task = asyncio.create_task(self.run())
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.worker.shutdown()
        await self._task
