"""Record the histories the replay tests replay: ``python -m tests.replay.record [WORKFLOW…]``.

Starts its own Temporal dev server, PostgreSQL and Launchpad simulator (free ports,
temporary directories, all stopped at the end), runs every scenario of the named
workflow types (default: all of ``tests.replay.scenarios.WORKFLOWS``) and writes each
run of each scenario's continue-as-new chain to
``tests/replay/histories/<workflow>-<scenario>-run<N>.json`` (``history.to_json()``),
replacing that workflow type's earlier recordings.

Re-record only when a change is meant to be incompatible with running workflows, and
read docs/replay.md first: runs started before the change must be handled (patching or
a new task queue / worker version).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import shutil
import sys
import tempfile
import uuid
from contextlib import AsyncExitStack, suppress
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError

from devstack.net import free_port
from devstack.postgres import EmbeddedPostgres
from devstack.temporal import EmbeddedTemporal
from models.database import Database
from models.etl.activities import ETLActivities
from models.settings import Settings
from simulator.launchpad import LaunchpadSimulator, preset
from tests.chaos.worker_process import WorkerProcess, worker_env
from tests.replay.scenarios import WORKFLOWS, Recorded

HISTORIES = Path(__file__).resolve().parent / "histories"
RUN_TIMEOUT = 300.0


class Recording:
    """What one scenario runs against; see tests/replay/scenarios.py."""

    def __init__(self, recorded: Recorded, client: Client, temporal, pg, sim, work: Path, name):
        self.recorded = recorded
        self.client = client
        self.temporal = temporal
        self.sim = sim
        self.work = work
        self.task_queue = f"replay-{name}-{uuid.uuid4().hex[:6]}"
        db = pg.settings(events_table="replay_" + uuid.uuid4().hex[:12], max_conn=4)
        self.settings = dataclasses.replace(Settings.from_env(env={}, dotenv=False), db=db)
        self.database = Database.for_settings(db)
        self.first_runs: dict[str, str] = {}
        self.processes: list[WorkerProcess] = []

    async def start(self, workflow: type, flow_input, scenario: str) -> str:
        workflow_id = f"replay-{scenario}-{uuid.uuid4().hex[:6]}"
        handle = await self.client.start_workflow(
            workflow.run, flow_input, id=workflow_id, task_queue=self.task_queue
        )
        self.first_runs[workflow_id] = handle.first_execution_run_id or handle.result_run_id
        return workflow_id

    async def wait(self, workflow_id: str) -> None:
        """Until the chain's last run closes (a failure is an outcome like any other)."""
        handle = self.client.get_workflow_handle(workflow_id)
        with suppress(WorkflowFailureError):
            await asyncio.wait_for(handle.result(), RUN_TIMEOUT)

    async def run_in_process(self, workflow: type, flow_input, scenario: str) -> str:
        activities = ETLActivities(self.settings, self.database)
        worker = self.recorded.worker(
            self.client, self.settings, task_queue=self.task_queue, activities=activities
        )
        async with worker:
            workflow_id = await self.start(workflow, flow_input, scenario)
            await self.wait(workflow_id)
        return workflow_id

    def worker_process(self, name: str) -> WorkerProcess:
        env = worker_env(self.temporal.address, self.settings.db)
        log = self.work / f"{self.task_queue}-{name}.log"
        process = WorkerProcess(env, self.task_queue, log, self.recorded.worker_args)
        self.processes.append(process.start())
        return process

    def close(self) -> None:
        for process in self.processes:
            process.stop()
        self.database.drop_table()
        self.database.close()


async def chain(client: Client, workflow_id: str, first_run: str) -> list:
    """Every run's history, from the first to the last of the continue-as-new chain."""
    found, run_id = [], first_run
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        found.append(history)
        last = history.events[-1]
        run_id = (
            last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
            if last.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
            else ""
        )
    return found


async def record(names: list[str], work: Path) -> list[Path]:
    written: list[Path] = []
    temporal = EmbeddedTemporal(work / "temporal", port=free_port(), ui_port=None)
    pg = EmbeddedPostgres(work / "postgres", durable=False)
    async with AsyncExitStack() as stack:
        temporal.start()
        stack.callback(temporal.stop)
        pg.start()
        stack.callback(pg.stop)
        sim = stack.enter_context(LaunchpadSimulator(preset("small"), latency_ms=20))
        client = await Client.connect(temporal.address)
        for name in names:
            recorded = WORKFLOWS[name]
            for old in HISTORIES.glob(f"{name}-*.json"):
                old.unlink()
            for scenario, run in recorded.scenarios.items():
                rec = Recording(recorded, client, temporal, pg, sim, work, f"{name}-{scenario}")
                try:
                    workflow_id = await run(rec)
                    histories = await chain(client, workflow_id, rec.first_runs[workflow_id])
                finally:
                    rec.close()
                for number, history in enumerate(histories, 1):
                    path = HISTORIES / f"{name}-{scenario}-run{number}.json"
                    path.write_text(history.to_json() + "\n")
                    written.append(path)
                print(f"{name} {scenario}: {len(histories)} run(s) recorded", flush=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workflows", nargs="*", metavar="WORKFLOW", choices=[*WORKFLOWS, []])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("temporalio").setLevel(logging.ERROR)  # the failed runs fail on purpose
    HISTORIES.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="temporaletl-replay-"))
    work.chmod(0o711)  # ours: PostgreSQL's user (when root) may pass
    try:
        written = asyncio.run(record(args.workflows or list(WORKFLOWS), work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(written)} histories in {HISTORIES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
