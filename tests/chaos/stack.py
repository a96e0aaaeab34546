"""The stack a suite shares, and one scenario's part of it: the embedded PostgreSQL,
dataset and ground truth of a suite run; each scenario's Temporal dev server, simulator,
events table, task queue and workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus

from devstack.net import free_port
from devstack.postgres import EmbeddedPostgres
from devstack.temporal import EmbeddedTemporal
from devstack.temporal import tail as file_tail
from models.database import Database, RetryPolicy
from models.etl.progress import RunOptions
from simulator.launchpad import LaunchpadSimulator, preset
from tests.chaos.comparison import Comparison, compare
from tests.chaos.extraction import start_team_extraction, team_truth
from tests.chaos.profiles import Profile
from tests.chaos.temporal_runs import (
    ActivityStart,
    Outcome,
    activity_starts,
    histories,
    outcomes,
    statuses,
    wait_closed,
)
from tests.chaos.worker_process import WorkerProcess, worker_env

# The runner's own reads must outlast a PostgreSQL restart.
POLL_RETRY = RetryPolicy(max_elapsed=90.0, initial_delay=0.1, max_delay=1.0)


class ChaosStack:
    """What every scenario of one suite run shares: a work directory, one PostgreSQL on
    a fixed TCP port (so a restart comes back where the workers look), the dataset and
    its ground truth."""

    def __init__(self, profile: Profile, keep: bool = False):
        self.profile = profile
        self.keep = keep
        # Outside pytest's private basetemp: PostgreSQL runs as another user when root.
        self.root = Path(tempfile.mkdtemp(prefix="temporaletl-chaos-"))
        self.root.chmod(0o711)  # ours: the server's user may pass, not list
        self.postgres = EmbeddedPostgres(
            self.root / "postgres", port=free_port(), durable=False, stop_at_exit=True
        )
        self.dataset = preset(profile.preset)
        self.truth = team_truth(self.dataset)

    def start(self) -> ChaosStack:
        self.postgres.start()
        return self

    def close(self, remove: bool = True) -> None:
        self.postgres.stop()
        if remove and not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


class ScenarioRun:
    """One scenario's own Temporal dev server, simulator, events table, task queue and
    workers; the extraction it runs and what it noticed (notes) or found wrong (problems)."""

    def __init__(
        self,
        stack: ChaosStack,
        name: str,
        simulator_options: dict[str, Any],
        lp_max_concurrency: int,
        private_postgres: bool = False,
    ):
        self.stack = stack
        self.profile = stack.profile
        self.name = name
        self.dir = stack.root / name
        suffix = uuid.uuid4().hex[:6]
        self.table = "chaos_" + re.sub(r"\W", "_", name) + "_" + suffix
        self.postgres = stack.postgres
        if private_postgres:  # a scenario that stops its server must not stop the others'
            self.postgres = EmbeddedPostgres(
                self.dir / "postgres", port=free_port(), durable=False, stop_at_exit=True
            )
        self.db_settings = self.postgres.settings(events_table=self.table, max_conn=4)
        self.lp_max_concurrency = lp_max_concurrency
        self.temporal = EmbeddedTemporal(self.dir / "temporal", port=free_port(), ui_port=None)
        self.sim = LaunchpadSimulator(
            stack.dataset, fault_seed=sum(map(ord, name)), **simulator_options
        )
        self.task_queue = f"chaos-{name}-{suffix}"
        self.workers: list[WorkerProcess] = []
        self.client: Client | None = None
        self.db: Database | None = None
        self.runs: dict[str, str] = {}  # workflow id -> first run id
        self.notes: list[str] = []
        self.problems: list[str] = []
        self.allow_worker_exit = False  # a scenario may expect the worker to die
        self.state: dict[str, Any] = {}  # what a scenario's disrupt tells its evidence

    @property
    def expected(self) -> int:
        return len(self.stack.truth)

    # -- life cycle --------------------------------------------------------------------
    async def __aenter__(self) -> ScenarioRun:
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            if self.postgres is not self.stack.postgres:
                await asyncio.to_thread(self.postgres.start)
            self.sim.start()
            await asyncio.to_thread(self.temporal.start)
            self.client = await Client.connect(self.temporal.address)
            self.db = Database.for_settings(self.db_settings, retry=POLL_RETRY)
        except BaseException:  # __aexit__ is not called when __aenter__ fails
            await self.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop everything this scenario started, each even if stopping another fails."""
        async with contextlib.AsyncExitStack() as stops:  # run last-pushed first
            if self.postgres is not self.stack.postgres:
                stops.push_async_callback(asyncio.to_thread, self.postgres.stop)
            if self.db is not None:
                stops.callback(self._drop_table)
            stops.callback(self.sim.stop)
            stops.push_async_callback(asyncio.to_thread, self.temporal.stop)
            for worker in self.workers:
                stops.push_async_callback(asyncio.to_thread, worker.stop)

    def _drop_table(self) -> None:
        try:
            if self.postgres.is_running() and not self.stack.keep:
                self.db.drop_table()
        finally:
            self.db.close()

    # -- workers -----------------------------------------------------------------------
    def start_worker(self) -> WorkerProcess:
        env = worker_env(
            self.temporal.address,
            self.db_settings,
            self.lp_max_concurrency,
            self.profile.lp_timeout,
        )
        log = self.dir / f"worker-{len(self.workers) + 1}.log"
        worker = WorkerProcess(env, self.task_queue, log).start()
        self.workers.append(worker)
        worker.wait_ready()
        return worker

    @property
    def worker(self) -> WorkerProcess:
        return self.workers[-1]

    async def watch_workers(self) -> None:
        """Restart a worker that died without being killed by the scenario, as an
        operator (or systemd, or Kubernetes) would; a problem unless the scenario allows it."""
        worker = self.worker
        if worker.alive() or worker.killed:
            return
        message = (
            f"worker {worker.pid} exited on its own (code {worker.process.returncode}); "
            "restarted it"
        )
        if self.allow_worker_exit:
            self.notes.append(message)
        else:
            self.problems.append(f"{message}; log tail:\n{worker.tail()}")
        await asyncio.to_thread(self.start_worker)

    # -- the extraction ---------------------------------------------------------------
    async def start_extraction(self, options: RunOptions | None = None) -> None:
        self.runs = await start_team_extraction(
            self.client, self.sim.service_root, self.task_queue, f"{self.name}-", options
        )

    def count(self) -> int:
        return self.db.count_events()

    async def wait_for_events(self, share: float) -> int:
        """Wait until the table holds ``share`` of the expected events; the count then.

        Fails if the runs end first: a fault injected after the end proves nothing.
        """
        threshold = max(1, math.ceil(share * self.expected))
        deadline = time.monotonic() + self.profile.run_timeout_s
        next_check = 0.0
        while True:
            found = await asyncio.to_thread(self.count)
            if found >= threshold:
                if found >= self.expected:
                    raise RuntimeError(
                        f"every event was loaded before the fault at {share:.0%} could be "
                        "injected: make the runs slower (latency_ms, lp_max_concurrency)"
                    )
                return found
            await self.watch_workers()
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + 1.0
                found_statuses = await statuses(self.client, self.runs)
                if found_statuses and all(
                    status != WorkflowExecutionStatus.RUNNING for status in found_statuses.values()
                ):
                    raise RuntimeError(
                        f"the runs ended with {found} events, before {threshold} were loaded"
                    )
            if time.monotonic() > deadline:
                raise TimeoutError(f"{found} events after {self.profile.run_timeout_s:.0f}s")
            await asyncio.sleep(0.1)

    async def running(self) -> int:
        found = await statuses(self.client, self.runs) or {}
        return sum(status == WorkflowExecutionStatus.RUNNING for status in found.values())

    async def finish(self, timeout: float) -> dict[str, Outcome]:
        await wait_closed(self.client, self.runs, timeout, tick=self.watch_workers)
        return await outcomes(self.client, self.runs)

    async def activity_starts(self) -> list[ActivityStart]:
        return activity_starts(await histories(self.client, self.runs))

    def compare(self) -> Comparison:
        return compare(self.db.fetch_events(), self.stack.truth)

    def worker_logs(self) -> str:
        return "\n".join(worker.log_text() for worker in self.workers)

    def resumed_attempts(self) -> str:
        """What the retried attempts' heartbeat details held, from the workers' logs
        (``models.etl.activities`` logs "attempt N resumes at cursor C")."""
        cursors = re.findall(r"resumes at cursor (.*)", self.worker_logs())
        fresh = sum(cursor.strip() == "None" for cursor in cursors)
        return (
            f"{len(cursors) - fresh} retried attempt(s) resumed at a heartbeated page cursor, "
            f"{fresh} from the activity's start cursor"
        )

    def log_tails(self) -> str:
        parts = [
            f"--- {worker.log_file} (pid {worker.pid}) ---\n{worker.tail()}"
            for worker in self.workers
        ]
        parts.append(f"--- {self.temporal.log_file} ---\n{file_tail(self.temporal.log_file, 10)}")
        return "\n".join(parts)
