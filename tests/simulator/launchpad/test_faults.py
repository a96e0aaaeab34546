"""Injected latency, 503, 429 and slow answers; counters in process and over HTTP."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from simulator.launchpad import Dataset, FaultSettings, LaunchpadSimulator


def _status(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def _post(url: str, document: dict | None = None) -> dict:
    data = json.dumps(document or {}).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_error_and_rate_limit_answers_are_counted(small: Dataset):
    with LaunchpadSimulator(small, error_rate=0.3, rate_limit_rate=0.2, retry_after_s=2) as sim:
        url = f"{sim.service_root}devel/~{small.sample_person}"
        answers = [_status(url) for _ in range(60)]
        codes = [code for code, _ in answers]
        assert {200, 429, 503} == set(codes)
        assert all(headers.get("Retry-After") == "2" for code, headers in answers if code == 429)
        stats = sim.stats()
        assert stats["total"] == 60
        assert stats["faults"]["503"] == codes.count(503)
        assert stats["faults"]["429"] == codes.count(429)
        assert stats["by_status"]["200"] == codes.count(200)
        assert stats["by_kind"] == {"person": 60}
        # The service root is spared, so clients can still log in.
        assert all(_status(sim.service_root + "devel/")[0] == 200 for _ in range(10))


def test_faults_are_deterministic_for_a_seed(small: Dataset):
    def run() -> list[int]:
        with LaunchpadSimulator(small, error_rate=0.5, fault_seed=42) as sim:
            return [_status(f"{sim.service_root}devel/bugs/1001")[0] for _ in range(20)]

    assert run() == run()


def test_faults_change_at_run_time_in_process_and_over_http(small: Dataset):
    with LaunchpadSimulator(small) as sim:
        url = f"{sim.service_root}devel/bugs/1001"
        assert _status(url)[0] == 200
        sim.set_faults(error_rate=1.0)
        assert _status(url)[0] == 503
        settings = _post(
            sim.service_root + "_sim/faults", {"error_rate": 0.0, "rate_limit_rate": 1.0}
        )
        assert settings["rate_limit_rate"] == 1.0
        assert _status(url)[0] == 429
        _post(sim.service_root + "_sim/faults", {"rate_limit_rate": 0.0})
        assert _status(url)[0] == 200
        with urllib.request.urlopen(sim.service_root + "_sim/stats", timeout=5) as response:
            stats = json.loads(response.read())
        assert stats["total"] == 4 and stats["faults"] == {"503": 1, "429": 1, "slow": 0}
        assert _post(sim.service_root + "_sim/reset-stats") == {"ok": True}
        assert sim.stats()["total"] == 0


def test_bad_fault_settings_are_refused(small: Dataset):
    with pytest.raises(ValueError):
        FaultSettings(error_rate=1.5)
    with LaunchpadSimulator(small) as sim:
        request = urllib.request.Request(
            sim.service_root + "_sim/faults", data=b'{"colour": "red"}', method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 400


def test_latency_and_slow_answers(small: Dataset):
    with LaunchpadSimulator(small, latency_ms=30) as sim:
        url = f"{sim.service_root}devel/bugs/1001"
        started = time.perf_counter()
        for _ in range(3):
            _status(url)
        assert time.perf_counter() - started >= 0.09
        sim.set_faults(latency_ms=0, slow_rate=1.0, slow_ms=200)
        with pytest.raises(TimeoutError):
            urllib.request.urlopen(url, timeout=0.05).read()
        time.sleep(0.25)  # let the slow answer finish before counting
        assert sim.stats()["faults"]["slow"] == 1


def test_concurrent_clients_are_all_answered_and_counted(small: Dataset):
    from concurrent.futures import ThreadPoolExecutor

    with LaunchpadSimulator(small, page_size=5) as sim:
        urls = [f"{sim.service_root}devel/bugs/{bug_id}/messages" for bug_id in small.bugs][:40]
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda url: _status(url)[0], urls * 3))
        assert codes == [200] * len(codes)
        assert sim.stats()["by_kind"] == {"bug_messages": len(codes)}
