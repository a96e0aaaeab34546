"""GitHub's rate-limit rules in the gate and the answer classification, without HTTP."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from sources.github.ratelimit import RateGate, RateLimitWait
from sources.github.transport import classify


class Clock:
    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def headers(remaining: int, reset: float, **extra: str) -> dict[str, str]:
    return {"x-ratelimit-remaining": str(remaining), "x-ratelimit-reset": str(int(reset)), **extra}


def gate(clock: Clock, inline: float = 0.0) -> RateGate:
    return RateGate(clock=clock, max_inline_wait=inline, reset_margin=1.0)


def test_requests_left_are_never_exceeded_counting_those_in_flight():
    clock = Clock()
    g = gate(clock)
    g.reserve("search")
    g.settle("search", 200, headers(2, clock.now + 60), False)
    g.reserve("search")
    g.reserve("search")  # two in flight, two left: the window is now closed
    with pytest.raises(RateLimitWait) as closed:
        g.reserve("search")
    assert 60 <= closed.value.retry_after <= 61
    # Another resource has its own window.
    g.reserve("core")


def test_a_200_with_nothing_left_closes_the_window_until_the_reset():
    clock = Clock()
    g = gate(clock)
    g.reserve("core")
    g.settle("core", 200, headers(0, clock.now + 30), False)
    with pytest.raises(RateLimitWait):
        g.reserve("core")
    clock.now += 31.5  # past the reset and its margin: a new window, one probe first
    g.reserve("core")


def test_primary_limit_waits_for_the_reset():
    clock = Clock()
    g = gate(clock)
    g.reserve("core")
    g.settle("core", 403, headers(0, clock.now + 120), False)
    with pytest.raises(RateLimitWait) as closed:
        g.reserve("core")
    assert closed.value.retry_after == pytest.approx(121)


def test_secondary_limit_honours_retry_after_else_a_growing_minute():
    clock = Clock()
    g = gate(clock)
    g.reserve("core")
    g.settle("core", 403, {"retry-after": "30"}, True)
    with pytest.raises(RateLimitWait) as closed:
        g.reserve("search")  # a secondary limit closes every resource
    assert closed.value.retry_after == pytest.approx(30)
    clock.now += 31
    waits = []
    for _ in range(2):
        g.reserve("core")
        g.settle("core", 403, {}, True)
        with pytest.raises(RateLimitWait) as closed:
            g.reserve("core")
        waits.append(closed.value.retry_after)
        clock.now += closed.value.retry_after + 0.1
    assert waits[0] >= 60 and waits[1] >= 2 * waits[0] - 1


def test_short_waits_are_waited_inline_and_one_probe_goes_alone():
    g = RateGate(max_inline_wait=5.0, reset_margin=0.0)
    g.reserve("core")  # unknown allowance: this one goes alone
    sent = []
    other = threading.Thread(target=lambda: (g.reserve("core"), sent.append(time.time())))
    other.start()
    time.sleep(0.2)
    assert not sent  # still waiting for the probe's answer
    reset = int(time.time()) + 1
    g.settle("core", 200, headers(0, reset), False)  # the last request of the window
    other.join(5)
    assert sent and sent[0] >= reset  # waited for the reset, not longer than needed
    assert sent[0] < reset + 1


@pytest.mark.parametrize(
    "status, hdrs, message, kind",
    [
        (200, {}, "", "ok"),
        (403, {"x-ratelimit-remaining": "0"}, "API rate limit exceeded", "primary"),
        (429, {"x-ratelimit-remaining": "0"}, "API rate limit exceeded", "primary"),
        (
            403,
            {"x-ratelimit-remaining": "12"},
            "You have exceeded a secondary rate limit",
            "secondary",
        ),
        (403, {"retry-after": "5", "x-ratelimit-remaining": "0"}, "", "secondary"),
        (429, {}, "", "secondary"),
        (403, {"x-ratelimit-remaining": "12"}, "Resource not accessible", "forbidden"),
        (404, {}, "Not Found", "gone"),
        (410, {}, "Gone", "gone"),
        (422, {}, "Validation Failed", "unprocessable"),
        (502, {}, "", "retry"),
        (401, {}, "Bad credentials", "unauthorized"),
    ],
)
def test_answers_are_classified_as_github_documents_them(status, hdrs, message, kind):
    assert classify(status, httpx.Headers(hdrs), message) == kind


def test_refusals_of_requests_already_on_their_way_do_not_grow_the_wait():
    clock = Clock()
    g = gate(clock)
    sent = [g.reserve("core")]
    g.settle("core", 200, headers(100, clock.now + 3600), False, sent[0])
    sent += [g.reserve("core") for _ in range(3)]  # three in flight at once
    clock.now += 0.01
    g.settle("core", 403, {}, True, sent[1])  # the first refusal: a minute
    clock.now += 0.01
    for at in sent[2:]:  # sent before it arrived: the same episode
        g.settle("core", 403, {}, True, at)
    with pytest.raises(RateLimitWait) as closed:
        g.reserve("core")
    assert 59 <= closed.value.retry_after <= 60
