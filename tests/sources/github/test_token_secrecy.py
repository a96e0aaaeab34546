"""The GitHub token stays on the worker: a queuer run over a roster team's GitHub
identities, started with run_queuer.py against a worker process that has GITHUB_TOKEN,
is exact, the simulator saw only authenticated requests, and the token appears in no
workflow history, in the worker's DEBUG log, or in what the starter printed."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from temporalio.client import Client

from devstack.stack import worker_env
from models.roster import RosterStore
from models.roster.file_source import read_roster_file
from models.settings import PROJECT_ROOT
from simulator.github import GithubSimulator
from tests.fixtures.temporal import history_text
from tests.sources.github.conftest import END, NO_LIMITS, START, TOKEN

ROSTER = PROJECT_ROOT / "examples" / "roster.yaml"
FLOWS = ("issues", "pull_requests")


async def histories(address: str, task_queue: str) -> list[str]:
    client = await Client.connect(address)
    texts = []
    async for execution in client.list_workflows(f"TaskQueue='{task_queue}'"):
        handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
        texts.append(history_text(await handle.fetch_history()))
    return texts


def test_the_token_is_used_and_shown_nowhere(
    tmp_path, temporal_server, settings, database, task_queue
):
    people = [
        p
        for p in read_roster_file(ROSTER)
        if p.active and "kernel" in p.teams and p.identities.get("github")
    ]
    RosterStore(database).replace_all(read_roster_file(ROSTER))
    with GithubSimulator("small", token=TOKEN, **NO_LIMITS) as sim:
        env = worker_env(
            temporal_server.address,
            settings.db,
            GITHUB_TOKEN=TOKEN,
            GITHUB_API_URL=sim.service_root,
            GITHUB_OWNERS=",".join(sim.dataset.company_owners),
        )
        log_path = tmp_path / "worker.log"
        with open(log_path, "wb") as log:
            worker = subprocess.Popen(
                [sys.executable, "worker.py", "--task-queue", task_queue, "--log-level", "DEBUG"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            starter_env = {k: v for k, v in env.items() if k != "GITHUB_TOKEN"}
            run = subprocess.run(
                [
                    sys.executable,
                    "run_queuer.py",
                    "--team",
                    "kernel",
                    "--sources",
                    "github",
                    "--flows",
                    *FLOWS,
                    "--from",
                    START,
                    "--to",
                    END,
                    "--task-queue",
                    task_queue,
                    "--wait",
                ],
                cwd=PROJECT_ROOT,
                env=starter_env,
                capture_output=True,
                text=True,
                timeout=300,
            )
        finally:
            worker.terminate()
            worker.wait(30)
        stats = sim.stats()
        truth = {
            event["event_id"]
            for person in people
            for flow in FLOWS
            for event in sim.ground_truth(person.identities["github"], START, END, flow)
        }
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(people) >= 2 and truth
    assert stats["total"] > 0 and stats["authenticated"] == stats["total"]
    assert {row["event_id"] for row in database.fetch_events()} == truth
    assert TOKEN not in run.stdout + run.stderr
    assert TOKEN not in log_path.read_text(errors="replace")
    texts = asyncio.run(histories(temporal_server.address, task_queue))
    assert len(texts) > len(people)  # the queuer and its children
    assert not [text for text in texts if TOKEN in text]
