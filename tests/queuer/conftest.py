"""Queuer tests: the small simulated Launchpad, worker settings pointing at it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from models.roster import RosterStore
from models.roster.file_source import read_roster_file
from models.settings import PROJECT_ROOT
from simulator.launchpad import LaunchpadSimulator, preset
from sources.launchpad import client, extraction, login
from sources.launchpad.transport import RetryPolicy

START, END = "2024-01-01", "2024-04-01"
TEAM = "sample-team"
FLOWS = ("bugs", "merge_proposals", "questions")
KEY_FIELDS = ("event_id", "employee_id", "relation_type", "parent_item_id", "timezone")
EXAMPLE_ROSTER = PROJECT_ROOT / "examples" / "roster.yaml"
FAST_RETRY = RetryPolicy(attempts=10, base_delay=0.005, max_delay=0.05, max_retry_after=5)


@pytest.fixture(scope="module")
def sim() -> Iterator[LaunchpadSimulator]:
    with LaunchpadSimulator(preset("small")) as server:
        yield server


@pytest.fixture(autouse=True)
def client_options(tmp_path, monkeypatch) -> client.SessionOptions:
    """A temporary launchpadlib cache, fast retries, nothing remembered from another test."""
    options = client.SessionOptions(
        launchpadlib_dir=str(tmp_path / "launchpadlib"), retry=FAST_RETRY
    )
    monkeypatch.setattr(client, "DEFAULT_OPTIONS", options)
    login.forget_logins()
    extraction.forget_listings()
    return options


@pytest.fixture
def worker_settings(settings, sim):
    """The test's settings, with the worker's Launchpad being the simulator."""
    return dataclasses.replace(settings, lp_web_root=sim.service_root)


def roster_truth(sim, people, start=START, end=END, flows=FLOWS) -> list[dict]:
    """Ground-truth events of the roster's people (their Launchpad identities)."""
    events = {
        event["event_id"]: event
        for person in people
        if person.identities.get("launchpad")
        for flow in flows
        for event in sim.ground_truth(person.identities["launchpad"], start, end, flow)
    }
    return list(events.values())


def truth_rows(sim, members, start=START, end=END, flows=FLOWS) -> list[tuple]:
    rows = {
        tuple(event[f] for f in KEY_FIELDS)
        for member in members
        for flow in flows
        for event in sim.ground_truth(member, start, end, flow)
    }
    return sorted(rows)


def table_rows(database) -> list[tuple]:
    return sorted(tuple(row[f] for f in KEY_FIELDS) for row in database.fetch_events())


@pytest.fixture
def roster(database):
    """The example roster (some of the simulator's people), imported; its active people."""
    RosterStore(database).replace_all(read_roster_file(EXAMPLE_ROSTER))
    return [person for person in read_roster_file(EXAMPLE_ROSTER) if person.active]
