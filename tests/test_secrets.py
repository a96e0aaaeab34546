"""Secrets stay on the worker: a Launchpad token, a database password and the pseudonym
key configured for the worker appear nowhere in a run's workflow history, in the worker's
log, or in what the starter prints — while the run really uses them (the key's use is
shown in tests/models/roster/test_identity_in_events.py)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from launchpadlib.credentials import AccessToken, Credentials
from temporalio.client import Client

from devstack.net import free_port
from devstack.postgres import EmbeddedPostgres
from devstack.stack import worker_env
from models.database import Database
from simulator import LaunchpadSimulator, preset
from tests.fixtures.temporal import history_text

ROOT = Path(__file__).resolve().parent.parent
TOKEN, TOKEN_SECRET = "tok3n-Visible-Nowhere-7731", "t0ken-Secret-Visible-Nowhere-5520"
DB_PASSWORD = "db-Pa55word-Visible-Nowhere-9914"
PSEUDONYM_KEY = "pseud0nym-Key-Visible-Nowhere-3308"


def write_credentials(path: Path) -> None:
    credentials = Credentials(consumer_name="temporal-etl")
    credentials.access_token = AccessToken(TOKEN, TOKEN_SECRET)
    credentials.save_to_path(str(path))


def test_tokens_and_passwords_stay_out_of_histories_and_logs(
    tmp_path, temporal_server, postgres_dir, task_queue
):
    credentials_file = tmp_path / "launchpad.credentials"
    write_credentials(credentials_file)
    server = EmbeddedPostgres(postgres_dir, port=free_port(), password=DB_PASSWORD, durable=False)
    server.start()
    env = worker_env(
        temporal_server.address,
        server.settings(events_table="events_secrets"),
        LP_CREDENTIALS_FILE=str(credentials_file),
        PSEUDONYM_KEY=PSEUDONYM_KEY,
    )
    worker_log = tmp_path / "worker.log"
    with open(worker_log, "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "worker.py", "--task-queue", task_queue, "--log-level", "DEBUG"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        with LaunchpadSimulator(preset("small")) as sim:
            run = subprocess.run(
                [
                    sys.executable,
                    "run_bugs_wf.py",
                    "--member",
                    "vint-parker",
                    "--from",
                    "2024-01-01",
                    "--to",
                    "2024-04-01",
                    "--wait",
                    "--service-root",
                    sim.service_root,
                    "--task-queue",
                    task_queue,
                    "--workflow-id",
                    f"secrets-{task_queue}",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
            )
            signed = sim.stats()["signed"]
    finally:
        worker.terminate()
        worker.wait(30)

    assert run.returncode == 0, run.stderr + worker_log.read_text()
    assert signed > 0  # the worker really used the credentials
    with Database.for_settings(server.settings(events_table="events_secrets")) as db:
        assert db.count_events() > 0  # and the password

    async def history_json() -> str:
        client = await Client.connect(temporal_server.address)
        history = await client.get_workflow_handle(f"secrets-{task_queue}").fetch_history()
        return history_text(history)

    history = asyncio.run(history_json())
    assert "vint-parker" in history  # the search below looks at the right history
    places = {
        "history": history,
        "worker log": worker_log.read_text(),
        "starter output": run.stdout + run.stderr,
    }
    for secret in (TOKEN, TOKEN_SECRET, DB_PASSWORD, PSEUDONYM_KEY):
        for place, text in places.items():
            assert secret not in text, f"{secret} found in the {place}"
    server.stop()
