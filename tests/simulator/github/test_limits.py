"""Rate limits, ETags and faults as GitHub gives them, and the request record that shows
whether a client respected them."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from simulator.github import GithubSimulator
from tests.simulator.github.conftest import TOKEN
from tests.simulator.github.reference_flow import ReferenceClient, extract
from tests.simulator.github.test_reachability import END, START, TODAY, keys

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def client(sim: GithubSimulator, token: bool = True) -> httpx.Client:
    return httpx.Client(base_url=sim.service_root, headers=AUTH if token else {}, timeout=10)


@pytest.mark.parametrize("status", [403, 429])
def test_primary_limit_closes_the_window_until_reset(small, status):
    with GithubSimulator(small, search_limit=3, search_window_s=1.5, limit_status=status) as sim:
        with client(sim) as http:
            q = {"q": f"involves:{small.sample_person}"}
            answers = [http.get("/search/issues", params=q) for _ in range(4)]
            assert [a.status_code for a in answers] == [200, 200, 200, status]
            assert [a.headers["x-ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
            assert answers[0].headers["x-ratelimit-resource"] == "search"
            assert answers[0].headers["x-ratelimit-limit"] == "3"
            assert "rate limit exceeded" in answers[3].json()["message"]
            # Core has its own window.
            assert http.get(f"/users/{small.sample_person}").status_code == 200
            reset = int(answers[2].headers["x-ratelimit-reset"])
            time.sleep(max(reset - time.time(), 0) + 0.01)
            assert http.get("/search/issues", params=q).status_code == 200
        closed = sim.closed_window_requests()
        assert [(r.status, r.resource) for r in closed] == [(status, "search")]
        assert sim.stats()["faults"]["primary"] == 1


def test_limits_are_per_credential_and_smaller_anonymously(small):
    with GithubSimulator(small) as sim:
        with client(sim) as token, client(sim, token=False) as anonymous:
            q = {"q": f"involves:{small.sample_person}"}
            assert token.get("/search/issues", params=q).headers["x-ratelimit-limit"] == "30"
            assert anonymous.get("/search/issues", params=q).headers["x-ratelimit-limit"] == "10"
            assert anonymous.get("/users/acme").headers["x-ratelimit-limit"] == "60"
            assert token.get("/users/acme").headers["x-ratelimit-limit"] == "5000"
            assert token.get("/rate_limit").json()["resources"]["search"]["used"] == 1
        stats = sim.stats()
        assert (stats["authenticated"], stats["anonymous"]) == (3, 2)
        assert all(r.credential == f"token:{TOKEN[-4:]}" for r in sim.requests() if r.authenticated)


def test_a_conditional_request_answered_304_costs_nothing(sim, http, small):
    url = f"/users/{small.sample_person}"
    first = http.get(url)
    again = http.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["x-ratelimit-remaining"] == first.headers["x-ratelimit-remaining"]
    assert http.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


@pytest.mark.parametrize("retry_after", [True, False])
def test_secondary_limit_with_and_without_retry_after(small, retry_after):
    with GithubSimulator(
        small, rate_limit_rate=1.0, retry_after_s=1, secondary_retry_after=retry_after,
        secondary_window_s=0.5, limit_status=429,
    ) as sim, client(sim) as http:  # fmt: skip
        first = http.get("/users/acme")
        assert first.status_code == 429
        assert "secondary rate limit" in first.json()["message"]
        assert ("retry-after" in first.headers) is retry_after
        assert first.headers["x-ratelimit-remaining"] != "0"
        sim.set_faults(rate_limit_rate=0.0)
        inside = http.get("/users/acme")  # still inside the closed window
        assert inside.status_code == 429
        assert ("retry-after" in inside.headers) is retry_after
        time.sleep(1.05 if retry_after else 0.55)
        assert http.get("/users/acme").status_code == 200
        assert [r.in_closed_window for r in sim.requests()] == [False, True, False]


def test_too_many_concurrent_requests_meet_a_secondary_limit(small):
    with GithubSimulator(small, secondary_max_in_flight=2, latency_ms=100) as sim:
        with client(sim) as http, ThreadPoolExecutor(6) as pool:
            codes = list(pool.map(lambda _: http.get("/users/acme").status_code, range(6)))
        assert 403 in codes and 200 in codes
        assert sim.stats()["in_flight_peak"] >= 3


def test_errors_latency_and_counters(small):
    with GithubSimulator(small, error_rate=1.0, latency_ms=40) as sim, client(sim) as http:
        started = time.monotonic()
        answer = http.get("/users/acme")
        assert answer.status_code == 503 and time.monotonic() - started >= 0.04
        sim.set_faults(error_rate=0.0)
        assert http.get("/users/acme").status_code == 200
        stats = sim.stats()
        assert stats["faults"]["5xx"] == 1 and stats["total"] == 2
        assert stats["by_status"] == {"200": 1, "503": 1}
        sim.reset_stats()
        assert sim.stats()["total"] == 0 and sim.requests() == []


def test_a_wrong_token_is_refused_when_one_is_configured(small):
    with (
        GithubSimulator(small, token=TOKEN) as sim,
        client(sim) as good,
        httpx.Client(base_url=sim.service_root) as anonymous,
    ):
        assert good.get("/users/acme").status_code == 200
        assert anonymous.get("/users/acme").status_code == 200
        bad = anonymous.get("/users/acme", headers={"Authorization": "token nope"})
        assert bad.status_code == 401 and bad.json()["message"] == "Bad credentials"


def test_control_endpoints_change_limits_while_serving(sim, http):
    with httpx.Client(base_url=sim.service_root) as control:
        settings = control.post("/_sim/faults", content=json.dumps({"incomplete_rate": 1.0})).json()
        assert settings["incomplete_rate"] == 1.0 and "search_limit" in settings
        found = http.get("/search/commits", params={"q": "user:acme"}).json()
        assert found["incomplete_results"] is True
        control.post("/_sim/faults", content=json.dumps({"incomplete_rate": 0.0}))
        assert control.post("/_sim/faults", content=b'{"nope": 1}').status_code == 400
        assert control.get("/_sim/info").json()["sample_team"] == "acme/sample-team"


def test_a_well_behaved_client_under_every_fault_is_exact_and_never_early(small):
    """Primary and secondary limits, 5xx and latency together: the reference client
    (which waits as the contract says) gets ground truth and sends nothing early."""
    with GithubSimulator(
        small, search_limit=6, search_window_s=1.0, core_limit=40, core_window_s=1.0,
        rate_limit_rate=0.03, retry_after_s=1, error_rate=0.05, latency_ms=2, fault_seed=7,
    ) as sim:  # fmt: skip
        reference = ReferenceClient(sim.service_root, TOKEN)
        try:
            got = extract(
                reference, "acme/sample-subteam", ["acme"], START, END, "pull_requests", TODAY
            )
        finally:
            reference.close()
        expected = keys(
            sim.ground_truth("acme/sample-subteam", START, END, "pull_requests", ["acme"])
        )
        stats = sim.stats()
    assert got == expected and expected
    assert sim.closed_window_requests() == []
    assert stats["faults"]["5xx"] and stats["faults"]["secondary"]
    assert stats["authenticated"] == stats["total"]


def test_requests_already_on_their_way_are_refused_but_not_flagged(small):
    """The client cannot know of a secondary limit before its answer arrives."""
    with GithubSimulator(small, rate_limit_rate=1.0, retry_after_s=2, latency_ms=300) as sim:
        with client(sim) as http, ThreadPoolExecutor(2) as pool:
            first = pool.submit(http.get, "/users/acme")
            time.sleep(0.1)
            on_its_way = pool.submit(http.get, "/users/acme")
            assert first.result().status_code == on_its_way.result().status_code == 403
            assert http.get("/users/acme").status_code == 403  # sent after the answer
        flags = sorted((r.at, r.in_closed_window) for r in sim.requests())
        assert [flag for _, flag in flags] == [False, False, True]
