"""Fixtures of the GitHub simulator tests: the small dataset, one generous server per module."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulator.github import GithubDataset, GithubSimulator, preset

# Limits high enough that tests about something else never meet them.
GENEROUS = {"core_limit": 1_000_000, "search_limit": 1_000_000}
TOKEN = "ghp_simulatortesttoken1234"


@pytest.fixture(scope="session")
def small() -> GithubDataset:
    return preset("small")


@pytest.fixture(scope="module")
def sim(small: GithubDataset) -> Iterator[GithubSimulator]:
    with GithubSimulator(small, **GENEROUS) as server:
        yield server


@pytest.fixture
def http(sim: GithubSimulator) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=sim.service_root, headers=headers, timeout=10) as client:
        yield client
