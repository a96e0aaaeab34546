"""What one exchange with GitHub is made of, below the session's decisions: the
worker's shared connection pool, the throttler hook that takes a request slot, how an
answer is classified by GitHub's documented rules, and how later pages are found in the
``Link`` header."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
from githubkit.response import Response
from githubkit.throttling import BaseThrottler

from models.etl.request_budget import request_slot
from sources.github.ratelimit import RateGate


class BudgetThrottler(BaseThrottler):
    """githubkit's concurrency hook, bound to the worker's per-service request budget.

    Waiting for a slot can take a while: once one is taken, the rate-limit window is
    checked again, the instant before the request goes out (``WindowClosed``)."""

    def __init__(self, limit: int, gate: RateGate, on_send: Callable[[], None]):
        self.limit = limit
        self.gate = gate
        self.on_send = on_send

    @contextmanager
    def acquire(self, request: httpx.Request) -> Iterator[None]:
        with request_slot("github", self.limit):
            self.gate.check_open("search" if "/search/" in request.url.path else "core")
            self.on_send()
            yield

    async def async_acquire(self, request: httpx.Request):  # pragma: no cover - sync only
        raise NotImplementedError("the GitHub source uses githubkit's sync API")


class SharedTransport(httpx.HTTPTransport):
    """The worker's one connection pool to GitHub, shared by every session and thread:
    connections are kept alive across runs, and its TLS context (about 0.1 s of CPU to
    build) is built once. githubkit opens and closes an httpx client per request
    outside a ``with`` block; closing one must not close the pool."""

    def close(self) -> None:
        pass


_transport: SharedTransport | None = None
_transport_lock = threading.Lock()


def shared_transport() -> SharedTransport:
    global _transport
    with _transport_lock:
        if _transport is None:
            _transport = SharedTransport(retries=0)
        return _transport


def classify(status: int, headers: httpx.Headers, message: str) -> str:
    """What an answer means: ok, gone, primary, secondary, retry, unprocessable,
    unauthorized, forbidden or invalid (GitHub's documented rules)."""
    if status < 400:
        return "ok"
    if status in (403, 429):
        text = message.lower()
        if "retry-after" in headers or "secondary rate limit" in text:
            return "secondary"
        if headers.get("x-ratelimit-remaining") == "0":
            return "primary"
        if status == 429 or "rate limit" in text:
            return "secondary"
        return "forbidden"
    if status in (404, 410):
        return "gone"
    if status == 422:
        return "unprocessable"
    if status == 401:
        return "unauthorized"
    if status == 408 or status >= 500:
        return "retry"
    return "invalid"


def message_of(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    return str(body.get("message", "")) if isinstance(body, dict) else ""


def next_link(response: Response) -> str | None:
    """The URL of ``rel="next"`` in the answer's ``Link`` header, if any."""
    link = response.raw_response.links.get("next")
    return link.get("url") if link else None


def later_pages(response: Response, limit: int | None) -> list[str] | None:
    """URLs of the pages after this one, up to ``rel="last"`` (and ``limit``), or
    ``None`` when the ``Link`` header does not say which page is the last."""
    links = response.raw_response.links
    if "next" not in links:
        return []
    if "last" not in links:
        return None
    following, last = httpx.URL(links["next"]["url"]), httpx.URL(links["last"]["url"])
    try:
        first, final = int(following.params["page"]), int(last.params["page"])
    except (KeyError, ValueError):
        return None
    if limit is not None:
        final = min(final, limit)
    return [str(following.copy_set_param("page", page)) for page in range(first, final + 1)]
