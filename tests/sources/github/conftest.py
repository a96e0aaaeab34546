"""A simulated GitHub (the small preset) and the client settings the tests use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.github import GithubSimulator
from sources.github import client, extraction, ratelimit
from sources.github.query import GithubQuery

START, END = "2024-01-01", "2024-04-01"
TOKEN = "ghp_testTokenVisibleNowhere4242"
# Rate limits out of the way, except in the tests about them.
NO_LIMITS = {"core_limit": 10**6, "search_limit": 10**6}


@pytest.fixture(scope="module")
def sim() -> Iterator[GithubSimulator]:
    with GithubSimulator("small", token=TOKEN, **NO_LIMITS) as server:
        yield server


@pytest.fixture(autouse=True)
def github_client(monkeypatch) -> client.SessionOptions:
    """Quick retries, the test token, nothing remembered from another test."""
    options = client.SessionOptions(
        base_delay=0.005, max_delay=0.05, max_concurrency=8, reset_margin=0.2
    )
    monkeypatch.setattr(client, "DEFAULT_OPTIONS", options)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    ratelimit.forget_gates()
    extraction.forget_listings()
    yield options
    ratelimit.forget_gates()
    extraction.forget_listings()


@pytest.fixture
def make_query(sim):
    def make(member: str, owners: list[str] | None = None, **window: str) -> GithubQuery:
        return GithubQuery(
            member=member,
            owners=owners or list(sim.dataset.company_owners),
            data_date_start=window.get("start", START),
            data_date_end=window.get("end", END),
            service_root=sim.service_root,
        )

    return make


def by_id(events: list[dict]) -> list[dict]:
    return sorted(events, key=lambda event: event["event_id"])


def extract(flow, query, cursor=None) -> tuple[list[dict], list]:
    pages = list(flow.extract_data(query, cursor))
    return [event for page in pages for event in page.events], pages
