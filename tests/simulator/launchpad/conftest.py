"""Fixtures of the simulator tests: one small dataset, one server per module."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from launchpadlib.launchpad import Launchpad

from simulator.launchpad import Dataset, LaunchpadSimulator, preset

# Small pages so that tests page through collections without large data.
PAGE_SIZE = 5


@pytest.fixture(scope="session")
def small() -> Dataset:
    return preset("small")


@pytest.fixture(scope="module")
def sim(small: Dataset) -> Iterator[LaunchpadSimulator]:
    with LaunchpadSimulator(small, page_size=PAGE_SIZE) as server:
        yield server


@pytest.fixture(scope="module")
def login(tmp_path_factory) -> Callable[..., Launchpad]:
    """Log in anonymously to a simulator, with launchpadlib's cache in a temp dir."""

    def _login(server: LaunchpadSimulator, version: str = "devel") -> Launchpad:
        return Launchpad.login_anonymously(
            "sim-test",
            service_root=server.service_root,
            version=version,
            launchpadlib_dir=str(tmp_path_factory.mktemp("launchpadlib")),
        )

    return _login


@pytest.fixture(scope="module")
def lp(sim: LaunchpadSimulator, login) -> Launchpad:
    return login(sim, "devel")


@pytest.fixture(scope="module")
def lp10(sim: LaunchpadSimulator, login) -> Launchpad:
    return login(sim, "1.0")
