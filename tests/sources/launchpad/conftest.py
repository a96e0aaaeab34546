"""A simulated Launchpad (the small preset) and the client settings the tests use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.launchpad import LaunchpadSimulator, preset
from sources.launchpad import client, extraction, login
from sources.launchpad.query import LaunchpadQuery
from sources.launchpad.transport import RetryPolicy

START, END = "2024-01-01", "2024-04-01"
# Quick retries: the injected faults should cost milliseconds, not seconds.
FAST_RETRY = RetryPolicy(attempts=10, base_delay=0.005, max_delay=0.05, max_retry_after=5)


@pytest.fixture(scope="module")
def sim() -> Iterator[LaunchpadSimulator]:
    with LaunchpadSimulator(preset("small")) as server:
        yield server


@pytest.fixture(autouse=True)
def client_options(tmp_path, monkeypatch) -> client.SessionOptions:
    """A temporary launchpadlib cache, fast retries, anonymous access, nothing
    remembered from another test."""
    options = client.SessionOptions(
        launchpadlib_dir=str(tmp_path / "launchpadlib"), retry=FAST_RETRY, max_concurrency=8
    )
    monkeypatch.setattr(client, "DEFAULT_OPTIONS", options)
    monkeypatch.setenv("LP_CREDENTIALS_FILE", "")
    login.forget_logins()
    extraction.forget_listings()
    return options


@pytest.fixture
def make_query(sim):
    def make(
        member: str, service_root: str | None = None, version: str = "devel"
    ) -> LaunchpadQuery:
        return LaunchpadQuery(
            member=member,
            data_date_start=START,
            data_date_end=END,
            service_root=service_root or sim.service_root,
            version=version,
        )

    return make


def by_id(events: list[dict]) -> list[dict]:
    return sorted(events, key=lambda event: event["event_id"])
