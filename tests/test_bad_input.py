"""Malformed input, through the system's entry points, is refused with a specific
message, is not retried when retrying cannot help, and writes nothing."""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError

from models.database import Database
from models.etl.etl_flow_input import ETLFlowInput
from models.etl.runs import failure_reason
from models.exceptions import ConfigurationError
from models.settings import Settings
from simulator.launchpad import LaunchpadSimulator, preset
from tests.fixtures.temporal import start_worker_thread

ROOT = Path(__file__).resolve().parent.parent
GOOD = {"member": "sample-team", "data_date_start": "2024-01-01", "data_date_end": "2024-04-01"}


def lp(flow="launchpad-bugs", drop=(), **changes):
    args = {k: v for k, v in {**GOOD, **changes}.items() if k not in drop}
    return ETLFlowInput("launchpad", flow, args)


WORKFLOW_CASES = {
    "empty query_type": (
        ETLFlowInput("", "launchpad-bugs", GOOD),
        "query_type must be a non-empty string",
    ),
    "query_type not a string": (
        ETLFlowInput(7, "launchpad-bugs", GOOD),
        "Failed converting field query_type",
    ),
    "extract_strategy missing": (
        ETLFlowInput("launchpad", None, GOOD),
        "Failed converting field extract_strategy",
    ),
    "args not a mapping": (
        ETLFlowInput("launchpad", "launchpad-bugs", ["sample-team"]),
        "Failed converting field args",
    ),
    "unknown query_type": (
        ETLFlowInput("gitlab", "launchpad-bugs", GOOD),
        "unknown query_type 'gitlab'; known: launchpad",
    ),
    "unknown extract_strategy": (
        lp("launchpad-commits"),
        "unknown extract_method 'launchpad-commits'; known: launchpad-bugs",
    ),
    "missing member": (lp(drop=("member",)), "missing required Launchpad argument 'member'"),
    "missing end": (
        lp(drop=("data_date_end",)),
        "missing required Launchpad argument 'data_date_end'",
    ),
    "a secret in args": (lp(api_token="abc"), "unknown Launchpad argument(s): api_token"),
    "malformed date": (
        lp(data_date_start="01/02/2024"),
        "data_date_start must be YYYY-MM-DD or an ISO-8601",
    ),
    "impossible date": (
        lp(data_date_end="2024-02-30"),
        "data_date_end must be YYYY-MM-DD or an ISO-8601",
    ),
    "date of the wrong type": (lp(data_date_start=20240101), "data_date_start is required"),
    "end before start": (lp(data_date_start="2024-05-01"), "must be after data_date_start"),
    "empty window": (lp(data_date_end="2024-01-01T00:00:00Z"), "must be after data_date_start"),
    "window of centuries": (
        lp(data_date_start="1970-01-01", data_date_end="2999-01-01"),
        "split it into smaller runs",
    ),
    "member with a path": (
        lp(member="../~admin"),
        "member must be a Launchpad person or team name",
    ),
    "member with a query": (
        lp(member="bob?ws.op=delete"),
        "member must be a Launchpad person or team name",
    ),
    "member with spaces and capitals": (
        lp(member="Bob Smith"),
        "member must be a Launchpad person or team name",
    ),
    "unknown member": (
        lp(member="no-such-person"),
        "Launchpad has no person or team named 'no-such-person'",
    ),
    "service root not http": (
        lp(service_root="ftp://launchpad.net/"),
        "service_root must be one of",
    ),
    "unknown API version": (lp(version="2.0"), "version must be devel, 1.0 or beta"),
    "questions on 1.0": (lp("launchpad-questions", version="1.0"), "devel"),
    "empty application name": (
        lp(application_name=" "),
        "application_name must be a non-empty string",
    ),
}


@pytest.fixture(scope="module")
def bad_input_run(temporal_server, postgres):
    """One worker, simulator and events table for every workflow case of this module."""
    settings = dataclasses.replace(
        Settings.from_env(env={}), db=postgres.settings(events_table="events_bad_input")
    )
    queue = f"bad-input-{uuid.uuid4().hex[:8]}"
    database = Database.for_settings(settings.db)
    stop = start_worker_thread(temporal_server.address, queue, settings, database)
    with LaunchpadSimulator(preset("small")) as sim:

        def run(flow_input: ETLFlowInput):
            if isinstance(flow_input.args, dict) and "member" in flow_input.args:
                flow_input.args.setdefault("service_root", sim.service_root)

            async def go():
                client = await Client.connect(temporal_server.address)
                handle = await client.start_workflow(
                    "ETLFlow",
                    flow_input,
                    id=f"bad-{uuid.uuid4().hex}",
                    task_queue=queue,
                    execution_timeout=timedelta(minutes=2),
                )
                with pytest.raises(WorkflowFailureError) as failed:
                    await handle.result()
                return failed.value, await handle.fetch_history()

            return asyncio.run(go())

        yield run, database
    stop()
    database.drop_table()
    database.close()


@pytest.mark.parametrize("case", list(WORKFLOW_CASES))
def test_workflow_input_is_refused(bad_input_run, case):
    run, database = bad_input_run
    flow_input, message = WORKFLOW_CASES[case]
    failure, history = run(flow_input)
    reason = failure_reason(failure)
    assert message in reason, reason
    started = [
        e for e in history.events if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
    ]
    # Nothing was retried: retrying cannot help.
    assert all(e.activity_task_started_event_attributes.attempt == 1 for e in started)
    assert database.count_events() == 0


@pytest.mark.parametrize(
    "env, message",
    [
        ({"EVENTS_TABLE": "events; drop table users"}, "EVENTS_TABLE must be a plain identifier"),
        ({"EVENTS_TABLE": "1events"}, "EVENTS_TABLE must be a plain identifier"),
        ({"DB_PORT": "seven thousand"}, "DB_PORT must be a whole number"),
        (
            {"DB_MIN_CONN": "5", "DB_MAX_CONN": "2"},
            "DB_MAX_CONN (2) must not be below DB_MIN_CONN (5)",
        ),
        ({"LP_MAX_CONCURRENCY": "0"}, "LP_MAX_CONCURRENCY must be at least 1"),
    ],
)
def test_settings_are_refused_at_start(env, message):
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env(env=env)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["run_bugs_wf.py", "--from", "2024-01-01", "--to", "2024-02-01"], "--member"),
        (["run_bugs_wf.py", "--member", "bob", "--to", "2024-02-01"], "--from is required"),
        (
            [
                "run_launchpad_queuer.py",
                "--team",
                "t",
                "--members",
                "a",
                "--from",
                "x",
                "--to",
                "y",
            ],
            "not allowed with",
        ),
        (
            [
                "run_launchpad_queuer.py",
                "--members",
                "a",
                "--flows",
                "commits",
                "--from",
                "x",
                "--to",
                "y",
            ],
            "invalid choice: 'commits'",
        ),
    ],
)
def test_command_line_mistakes_are_named(argv, message):
    env = {"PATH": "/usr/bin:/bin", "FROM_DATE": "", "TO_DATE": "", "TEMPORAL_HOST": "127.0.0.1:1"}
    done = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert message in done.stderr


def test_a_refused_database_login_fails_once_and_hides_the_password(
    run_workflow, db_settings, database
):
    wrong = dataclasses.replace(db_settings, password="not-the-Password-42")
    settings = dataclasses.replace(Settings.from_env(env={}), db=wrong)
    with LaunchpadSimulator(preset("small")) as sim:
        outcome, history = run_workflow(lp(service_root=sim.service_root), settings)
    assert isinstance(outcome, WorkflowFailureError)
    reason = failure_reason(outcome)
    assert "password authentication failed" in reason or "refused" in reason, reason
    assert "not-the-Password-42" not in reason
    assert "not-the-Password-42" not in str(history.to_json_dict())
    started = [
        e for e in history.events if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
    ]
    assert len(started) == 2  # prepare, then one extract attempt
    assert database.count_events() == 0
