"""What the simulators share: the old Launchpad imports, the /_sim endpoints and the
in-flight peak, the same for every service."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

import simulator
from simulator.github import GithubSimulator
from simulator.launchpad import LaunchpadSimulator


def test_launchpad_names_stay_importable_from_simulator():
    from simulator import LaunchpadSimulator as Old
    from simulator import ground_truth, preset

    assert Old is LaunchpadSimulator
    assert ground_truth(preset("small"), "sample-team", "2024-01-01", "2024-04-01", "bugs")
    with pytest.raises(AttributeError):
        simulator.GithubSimulator  # noqa: B018 - each service is imported from its package


@pytest.mark.parametrize(
    ("make", "path"),
    [(lambda: LaunchpadSimulator("small", latency_ms=150), "/devel/~sample-team"),
     (lambda: GithubSimulator("small", latency_ms=150), "/users/acme")],
)  # fmt: skip
def test_every_simulator_counts_the_in_flight_peak_and_answers_sim_endpoints(make, path):
    with make() as sim, httpx.Client(timeout=10) as http, ThreadPoolExecutor(4) as pool:
        root = sim.service_root.rstrip("/")
        codes = list(pool.map(lambda _: http.get(root + path).status_code, range(4)))
        assert codes == [200] * 4
        stats = http.get(f"{root}/_sim/stats").json()
        assert stats["total"] == 4 and stats["in_flight_peak"] >= 2
        assert http.post(f"{root}/_sim/reset-stats").json() == {"ok": True}
        assert sim.stats()["total"] == 0
        assert http.get(f"{root}/_sim/faults").json()["latency_ms"] == 150
        assert "counts" in http.get(f"{root}/_sim/info").json()
