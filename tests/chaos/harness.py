"""The fault suite's machinery: profiles, worker subprocesses, one scenario's stack, and
the comparison of an events table with the simulator's ground truth.

Also used by ``tests/workers/test_scale_out.py`` (worker subprocesses, the team's
extraction, histories, the comparison).
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import TimeoutType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowFailureError
from temporalio.service import RPCError

from devstack.net import free_port
from devstack.postgres import EmbeddedPostgres
from devstack.temporal import EmbeddedTemporal, terminate
from devstack.temporal import tail as file_tail
from models.database import Database, RetryPolicy
from models.etl.etl_flow import ETLFlow
from models.etl.etl_flow_input import ETLFlowInput
from models.etl.progress import RunOptions
from models.etl.runs import failure_reason, workflow_id_for
from models.settings import DatabaseSettings
from simulator import Dataset, LaunchpadSimulator, ground_truth, preset

ROOT = Path(__file__).resolve().parents[2]
TEAM, START, END = "sample-team", "2024-01-01", "2024-04-01"
FLOWS = ("bugs", "merge_proposals", "questions")
READY_MARK = "worker polling"  # worker.py logs it once its Temporal worker runs
# The runner's own reads must outlast a PostgreSQL restart.
POLL_RETRY = RetryPolicy(max_elapsed=90.0, initial_delay=0.1, max_delay=1.0)


# -- profiles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """How big the extraction is, how slow Launchpad is, and how hard each fault hits."""

    name: str
    preset: str
    latency_ms: float  # added to every simulator answer: makes the runs long enough to hit
    lp_max_concurrency: int  # LP_MAX_CONCURRENCY of the workers (requests in flight per run)
    lp_timeout: int  # LP_TIMEOUT of the workers, seconds; "slow" answers take longer
    fault_rates: dict[str, Any]  # the launchpad-faults scenario's simulator faults
    background_faults: dict[str, Any] = field(default_factory=dict)  # every other scenario
    # The launchpad-faults scenario needs no slowness of its own (the faults are slow
    # enough), so it runs with the worker's default concurrency.
    faults_latency_ms: float = 0.0
    faults_lp_max_concurrency: int = 8
    kill_points: tuple[float, ...] = (0.15, 0.50, 0.85)  # share of the expected events
    worker_restart_s: float = 1.5
    postgres_at: float = 0.40
    postgres_down_s: float = 3.0
    temporal_at: float = 0.40
    temporal_down_s: float = 2.0
    run_timeout_s: float = 240.0  # per scenario, from the start of the runs

    def simulator_options(self) -> dict[str, Any]:
        """Latency and background faults of every scenario's simulator."""
        return {"latency_ms": self.latency_ms, **self.background_faults}


# The issue's rates: 10% 503, 5% 429 and 2% of answers slower than the client's timeout.
ISSUE_FAULTS = {
    "error_rate": 0.10,
    "rate_limit_rate": 0.05,
    "retry_after_s": 1,
    "slow_rate": 0.02,
    "slow_ms": 3000,
}

PROFILES = {
    # ~620 events, ~390 requests: 120 ms a request and two in flight per run make the
    # bugs run last ~15 s, long enough to interrupt three times.
    "quick": Profile(
        name="quick",
        preset="small",
        latency_ms=120,
        lp_max_concurrency=2,
        lp_timeout=2,
        fault_rates=ISSUE_FAULTS,
        # Pages hold ~70-90 events here: the last point leaves room for at least one.
        kill_points=(0.15, 0.50, 0.80),
        run_timeout_s=240.0,
    ),
    # ~6,900 events, ~6,000 requests; every scenario also runs under 3% 503 and 1% 429,
    # and the outages last longer: PostgreSQL longer than the Database layer's own retry
    # budget (30 s), so activities fail and Temporal retries them; Temporal longer than
    # the SDK's retries of an activity's completion and its heartbeats.
    "full": Profile(
        name="full",
        preset="medium",
        latency_ms=40,
        lp_max_concurrency=4,
        lp_timeout=2,
        fault_rates=ISSUE_FAULTS,
        background_faults={"error_rate": 0.03, "rate_limit_rate": 0.01, "retry_after_s": 1},
        postgres_down_s=40.0,
        temporal_down_s=15.0,
        run_timeout_s=900.0,
    ),
}


# -- worker subprocesses --------------------------------------------------------------------


def worker_env(
    temporal_address: str,
    db: DatabaseSettings,
    lp_max_concurrency: int = 8,
    lp_timeout: int = 60,
) -> dict[str, str]:
    """The environment of a ``python worker.py`` for this server, database and table."""
    env = dict(os.environ)
    env.update(
        TEMPORAL_HOST=temporal_address,
        TEMPORAL_NAMESPACE="default",
        DB_HOST=db.host,
        DB_PORT=str(db.port),
        DB_NAME=db.name,
        DB_USER=db.user,
        DB_PASSWORD=db.password,
        EVENTS_TABLE=db.events_table,
        LP_MAX_CONCURRENCY=str(lp_max_concurrency),
        LP_TIMEOUT=str(lp_timeout),
        LP_CREDENTIALS_FILE="",  # anonymous, whatever .env says
        PYTHONUNBUFFERED="1",
    )
    return env


class WorkerProcess:
    """``python worker.py --task-queue Q`` run as an operator would, output to a log file."""

    def __init__(self, env: dict[str, str], task_queue: str, log_file: Path):
        self.env = env
        self.task_queue = task_queue
        self.log_file = log_file
        self.process: subprocess.Popen | None = None
        self.killed = False  # by us, on purpose

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def identity(self) -> str:
        """The Temporal client's default identity in that process: ``pid@hostname``."""
        return f"{self.pid}@{socket.gethostname()}"

    def start(self) -> WorkerProcess:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "worker.py", "--task-queue", self.task_queue],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        return self

    def wait_ready(self, timeout: float = 60.0) -> WorkerProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(
                    f"worker {self.pid} exited with {self.process.returncode} before it "
                    f"polled; log tail:\n{self.tail()}"
                )
            if READY_MARK in self.log_text():
                return self
            time.sleep(0.1)
        raise TimeoutError(f"worker {self.pid} did not start polling in {timeout:.0f}s")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no cleanup, no goodbye to Temporal, as a crash or an OOM kill."""
        if self.alive():
            self.killed = True
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is not None:
            terminate(self.process, timeout)

    def log_text(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 25) -> str:
        return file_tail(self.log_file, lines)


# -- the extraction and its ground truth ------------------------------------------------


def team_truth(dataset: Dataset) -> list[dict[str, Any]]:
    """Every event the team's three runs must load (the simulator's ground truth)."""
    return [event for flow in FLOWS for event in ground_truth(dataset, TEAM, START, END, flow)]


def flow_input(service_root: str, flow: str, options: RunOptions | None = None) -> ETLFlowInput:
    return ETLFlowInput(
        query_type="launchpad",
        extract_strategy=f"launchpad-{flow}",
        args={
            "application_name": "temporal-etl-chaos",
            "service_root": service_root,
            "version": "devel",
            "member": TEAM,
            "data_date_start": START,
            "data_date_end": END,
        },
        options=options,
    )


async def start_team_extraction(
    client: Client,
    service_root: str,
    task_queue: str,
    id_prefix: str,
    options: RunOptions | None = None,
) -> dict[str, str]:
    """Start the three Launchpad runs of the team; {workflow id: first run id}."""
    runs = {}
    for flow in FLOWS:
        workflow_id = id_prefix + workflow_id_for(f"launchpad-{flow}", TEAM, START, END)
        handle = await client.start_workflow(
            ETLFlow.__name__,
            flow_input(service_root, flow, options),
            id=workflow_id,
            task_queue=task_queue,
        )
        runs[workflow_id] = handle.first_execution_run_id or handle.result_run_id
    return runs


async def patiently(make_call: Callable[[], Awaitable[Any]], timeout: float = 60.0) -> Any:
    """Await ``make_call()``, retrying while a restarted server is still coming up
    ("Frontend is not healthy yet")."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await make_call()
        except RPCError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def statuses(client: Client, workflow_ids: Iterable[str]) -> dict[str, Any] | None:
    """Status of the latest run of each workflow; None while the server does not answer."""
    found = {}
    try:
        for workflow_id in workflow_ids:
            found[workflow_id] = (await client.get_workflow_handle(workflow_id).describe()).status
    except RPCError:
        return None
    return found


async def wait_closed(
    client: Client,
    workflow_ids: Iterable[str],
    timeout: float,
    tick: Callable[[], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """Wait until no run is RUNNING (server outages are waited out); returns statuses."""
    ids = list(workflow_ids)
    deadline = time.monotonic() + timeout
    last = None
    while True:
        if tick is not None:
            await tick()
        found = await statuses(client, ids)
        if found is not None:
            last = found
            if all(status != WorkflowExecutionStatus.RUNNING for status in found.values()):
                return found
        if time.monotonic() > deadline:
            shown = {k: getattr(v, "name", v) for k, v in (last or {}).items()}
            raise TimeoutError(f"runs not finished after {timeout:.0f}s: {shown}")
        await asyncio.sleep(0.5)


@dataclass(frozen=True)
class Outcome:
    result: dict[str, Any] | None  # the run's summary when it completed
    error: str | None = None  # why it failed otherwise

    @property
    def completed(self) -> bool:
        return self.result is not None


async def outcomes(client: Client, workflow_ids: Iterable[str]) -> dict[str, Outcome]:
    """{workflow id: how its last run ended}."""
    found = {}
    for workflow_id in workflow_ids:
        try:
            handle = client.get_workflow_handle(workflow_id)
            found[workflow_id] = Outcome(await patiently(handle.result))
        except WorkflowFailureError as failure:
            found[workflow_id] = Outcome(None, f"failed: {failure_reason(failure)}")
    return found


@dataclass(frozen=True)
class ActivityStart:
    """One ActivityTaskStarted event: which worker ran the activity's last attempt."""

    workflow_id: str
    activity: str
    attempt: int
    identity: str
    retried_after: str  # the last failure before this attempt ("" for a first attempt)


async def histories(client: Client, runs: dict[str, str]) -> dict[str, list[HistoryEvent]]:
    """{workflow id: events of every run}, following continue-as-new from the first run."""
    found: dict[str, list[HistoryEvent]] = {}
    for workflow_id, run_id in runs.items():
        events: list[HistoryEvent] = []
        while run_id:
            handle = client.get_workflow_handle(workflow_id, run_id=run_id)
            history = await patiently(handle.fetch_history)
            events.extend(history.events)
            last = history.events[-1] if history.events else None
            run_id = None
            if last is not None and last.HasField(
                "workflow_execution_continued_as_new_event_attributes"
            ):
                run_id = (
                    last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
                )
        found[workflow_id] = events
    return found


def activity_completions(
    found: dict[str, list[HistoryEvent]], after: datetime | None = None
) -> list[str]:
    """Identities of the workers that completed activities (after ``after``, if given)."""
    identities = []
    for events in found.values():
        for event in events:
            if not event.HasField("activity_task_completed_event_attributes"):
                continue
            if after is not None and event.event_time.ToDatetime(UTC) <= after:
                continue
            identities.append(event.activity_task_completed_event_attributes.identity)
    return identities


def activity_starts(found: dict[str, list[HistoryEvent]]) -> list[ActivityStart]:
    starts = []
    for workflow_id, events in found.items():
        scheduled = {
            event.event_id: event.activity_task_scheduled_event_attributes.activity_type.name
            for event in events
            if event.HasField("activity_task_scheduled_event_attributes")
        }
        for event in events:
            if not event.HasField("activity_task_started_event_attributes"):
                continue
            attrs = event.activity_task_started_event_attributes
            last_failure = ""
            if attrs.HasField("last_failure"):
                last_failure = attrs.last_failure.message or "failure"
                if attrs.last_failure.HasField("timeout_failure_info"):
                    kind = attrs.last_failure.timeout_failure_info.timeout_type
                    last_failure = TimeoutType.Name(kind).removeprefix("TIMEOUT_TYPE_").lower()
                    last_failure += " timeout"
            starts.append(
                ActivityStart(
                    workflow_id,
                    scheduled.get(attrs.scheduled_event_id, "?"),
                    attrs.attempt,
                    attrs.identity,
                    last_failure,
                )
            )
    return starts


# -- comparing the table with ground truth -----------------------------------------------

COMPARED = (
    "event_id",
    "source_kind_id",
    "event_type",
    "parent_item_id",
    "relation_type",
    "employee_id",
    "event_time_utc",
    "timezone",
    "event_properties",
    "relation_properties",
    "metrics",
)


def _utc(value: Any) -> str:
    """An event time as naive UTC ISO text (the table stores TIMESTAMP without zone)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat()


def _normal(event: dict[str, Any]) -> tuple:
    values = []
    for name in COMPARED:
        value = event.get(name)
        if name == "event_time_utc":
            value = _utc(value)
        elif isinstance(value, dict | list):
            value = json.dumps(value, sort_keys=True)
        values.append(value)
    return tuple(values)


@dataclass
class Comparison:
    expected: int
    loaded: int  # rows in the table
    distinct: int  # distinct event_ids in the table
    unexpected: int  # rows whose event_id is not in the ground truth
    missing: int  # ground-truth events with no row
    different: int  # rows whose columns differ from the ground truth's event
    examples: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        """Rows beyond one per event_id, plus rows that should not be there at all."""
        return self.loaded - self.distinct + self.unexpected

    @property
    def equal(self) -> bool:
        return (
            self.loaded == self.expected
            and self.distinct == self.expected
            and not (self.unexpected or self.missing or self.different)
        )

    def describe(self) -> str:
        if self.equal:
            return f"table equals ground truth ({self.expected} events)"
        parts = [
            f"{self.missing} missing",
            f"{self.different} different",
            f"{self.unexpected} not in ground truth",
            f"{self.loaded - self.distinct} repeated event_ids",
        ]
        return (
            "table differs from ground truth: " + ", ".join(parts) + "; " + "; ".join(self.examples)
        )


def compare(rows: list[dict[str, Any]], truth: list[dict[str, Any]]) -> Comparison:
    expected = {event["event_id"]: _normal(event) for event in truth}
    seen: dict[str, tuple] = {}
    unexpected = different = 0
    examples: list[str] = []
    for row in rows:
        event_id = row["event_id"]
        if event_id not in expected:
            unexpected += 1
            if len(examples) < 3:
                examples.append(f"unexpected {event_id}")
        elif event_id not in seen and _normal(row) != expected[event_id]:
            different += 1
            if len(examples) < 3:
                got = dict(zip(COMPARED, _normal(row), strict=True))
                want = dict(zip(COMPARED, expected[event_id], strict=True))
                diff = {k: (got[k], want[k]) for k in COMPARED if got[k] != want[k]}
                examples.append(f"{event_id} differs: {diff}")
        seen.setdefault(event_id, _normal(row))
    missing_ids = sorted(set(expected) - set(seen))
    examples.extend(f"missing {event_id}" for event_id in missing_ids[: max(0, 3 - len(examples))])
    return Comparison(
        expected=len(expected),
        loaded=len(rows),
        distinct=len(seen),
        unexpected=unexpected,
        missing=len(missing_ids),
        different=different,
        examples=examples,
    )


# -- the stack a suite shares, and one scenario's part of it --------------------------------


class ChaosStack:
    """What every scenario of one suite run shares: a work directory, one PostgreSQL on
    a fixed TCP port (so a restart comes back where the workers look), the dataset and
    its ground truth."""

    def __init__(self, profile: Profile, keep: bool = False):
        self.profile = profile
        self.keep = keep
        # Outside pytest's private basetemp: PostgreSQL runs as another user when root.
        self.root = Path(tempfile.mkdtemp(prefix="temporaletl-chaos-"))
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
        if self.postgres is not self.stack.postgres:
            await asyncio.to_thread(self.postgres.start)
        self.sim.start()
        await asyncio.to_thread(self.temporal.start)
        self.client = await Client.connect(self.temporal.address)
        self.db = Database.for_settings(self.db_settings, retry=POLL_RETRY)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for worker in self.workers:
            await asyncio.to_thread(worker.stop)
        await asyncio.to_thread(self.temporal.stop)
        self.sim.stop()
        if self.db is not None:
            try:
                if self.postgres.is_running() and not self.stack.keep:
                    self.db.drop_table()
            finally:
                self.db.close()
        if self.postgres is not self.stack.postgres:
            await asyncio.to_thread(self.postgres.stop)

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


# -- scenarios and their results ---------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """Something bad done to a running extraction.

    ``disrupt(run)`` is called once a worker runs and the three runs are started; it
    injects the fault and returns with a worker running. ``evidence(run)``, called after
    the runs ended, checks that the fault really hit them (a problem otherwise).
    ``simulator(profile)`` gives the simulator's options (default: the profile's latency
    and background faults), ``lp_max_concurrency(profile)`` the workers' LP_MAX_CONCURRENCY;
    ``private_postgres`` gives the scenario a PostgreSQL of its own.
    """

    name: str
    summary: str
    disrupt: Callable[[ScenarioRun], Awaitable[None]]
    evidence: Callable[[ScenarioRun], Awaitable[None]] | None = None
    simulator: Callable[[Profile], dict[str, Any]] = Profile.simulator_options
    lp_max_concurrency: Callable[[Profile], int] = lambda profile: profile.lp_max_concurrency
    private_postgres: bool = False


@dataclass
class ScenarioResult:
    name: str
    expected: int = 0
    loaded: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    logs: str = ""

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL"
