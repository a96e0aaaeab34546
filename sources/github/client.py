"""The part of the GitHub source that talks HTTP: one ``GithubSession`` per run.

githubkit sends the requests (authentication, base URL, API version and Accept headers,
the typed endpoints' paths and parameters); this module decides what to do with each
answer, because the flows must keep control of waiting (see ``ratelimit``). So githubkit
runs with its automatic retries off (it would sleep inside a request, holding a worker
slot) and without its HTTP cache (every URL is read once per run). Every request:

1. waits for its rate-limit window (``RateGate.reserve``), holding no request slot;
2. takes a slot of the worker's GitHub budget (``request_slot``, ``GITHUB_MAX_CONCURRENCY``),
   then checks the window again (it may have closed while waiting for the slot);
3. is counted as it goes out (``requests`` here and in ``models.metrics``);
4. is answered: JSON is returned; 404/410 raise ``ItemGoneError``; a rate limit records
   the closed window and goes round again; 5xx, timeouts and dropped connections are
   retried with bounded, jittered backoff, then raise ``TransientError``.

The token comes from the worker's settings only and is never logged; a fingerprint of it
keys the per-token state. ``transport`` holds the pieces below these decisions.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, TypeVar

import httpx
from githubkit import GitHub
from githubkit.exception import RequestError, RequestFailed
from githubkit.response import Response

from models import metrics
from models.exceptions import ConfigurationError, InvalidQueryError, NotFoundError, TransientError
from models.settings import Settings
from sources.github.query import GithubQuery
from sources.github.ratelimit import WindowClosed, gate_for
from sources.github.transport import (
    BudgetThrottler,
    classify,
    later_pages,
    message_of,
    next_link,
    shared_transport,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

PER_PAGE = 100  # the largest page GitHub serves
USER_AGENT = "temporal-etl"


class ItemGoneError(NotFoundError):
    """GitHub answered 404 or 410: deleted, or not visible to this token."""

    def __init__(self, what: str, status: int):
        super().__init__(f"GitHub answered {status} for {what}")
        self.status = status


class UnprocessableError(InvalidQueryError):
    """GitHub answered 422: for a search, a login or organisation it does not know."""


@dataclass(frozen=True)
class SessionOptions:
    """Knobs that are not user settings; tests and the benchmark replace them."""

    attempts: int = 6  # per request, for 5xx, timeouts and dropped connections
    base_delay: float = 0.5
    max_delay: float = 8.0
    timeout: float = 30.0  # seconds per HTTP exchange
    max_concurrency: int | None = None  # None: Settings.github_max_concurrency
    max_inline_wait: float = 10.0  # below every heartbeat timeout: longer waits retry
    reset_margin: float = 1.0

    def backoff(self, attempt: int) -> float:
        ceiling = min(self.max_delay, self.base_delay * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)


DEFAULT_OPTIONS = SessionOptions()


def configure(**changes: Any) -> SessionOptions:
    """Change the defaults every new session uses (returns the previous ones)."""
    global DEFAULT_OPTIONS
    previous = DEFAULT_OPTIONS
    DEFAULT_OPTIONS = replace(DEFAULT_OPTIONS, **changes)
    return previous


class GithubSession:
    """Access to GitHub for one run. Use as a context manager."""

    def __init__(
        self,
        query: GithubQuery,
        settings: Settings | None = None,
        options: SessionOptions | None = None,
    ):
        self.query = query
        self.settings = settings or Settings.from_env()
        self.options = options or DEFAULT_OPTIONS
        self.max_concurrency = self.options.max_concurrency or self.settings.github_max_concurrency
        token = self.settings.github_token
        self.token_key = hashlib.sha256(token.encode()).hexdigest()[:16] if token else "anonymous"
        self.gate = gate_for(query.service_root, self.token_key)
        self.gate.max_inline_wait = self.options.max_inline_wait
        self.gate.reset_margin = self.options.reset_margin
        self.github = GitHub(
            token or None,
            base_url=query.service_root + "/",
            user_agent=USER_AGENT,
            timeout=self.options.timeout,
            transport=shared_transport(),
            throttler=BudgetThrottler(self.max_concurrency, self.gate, self._sending),
            auto_retry=False,
            http_cache=False,
        )
        self._lock = threading.Lock()
        self._requests = 0
        self._sent_at = threading.local()  # when this thread's last request went out
        self._pool = ThreadPoolExecutor(self.max_concurrency, thread_name_prefix="github")
        # Later pages of a listing, read while the thread that asked for them waits: a
        # pool of their own, so that no task ever waits for one queued behind it.
        self._page_pool = ThreadPoolExecutor(self.max_concurrency, thread_name_prefix="github-page")

    def __enter__(self) -> GithubSession:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._page_pool.shutdown(wait=True, cancel_futures=True)

    @property
    def requests(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self._requests

    def map(self, func: Callable[[Any], T], items: list[Any]) -> list[T]:
        """``func`` over ``items`` on the session's threads; results in input order."""
        futures = [self._pool.submit(func, item) for item in items]
        return [future.result() for future in futures]

    def submit(self, func: Callable[..., T], *args: Any):
        return self._pool.submit(func, *args)

    # -- one request ------------------------------------------------------------------
    def _sending(self) -> None:
        """A request goes out now (called by the throttler): count it."""
        self._sent_at.value = self.gate.clock()
        with self._lock:
            self._requests += 1
        metrics.inc("requests", source="github")

    def call(self, resource: str, what: str, send: Callable[[], Response]) -> Response:
        """``send()`` (one githubkit request) under the rules of the module docstring."""
        failures = 0
        while True:
            self.gate.reserve(resource)
            self._sent_at.value = float("inf")
            try:
                response = send()
            except WindowClosed:
                self.gate.release(resource)  # closed meanwhile: not sent, wait again
                continue
            except RequestFailed as exc:
                raw = exc.response.raw_response
                status, headers = raw.status_code, raw.headers
            except RequestError as exc:
                self.gate.release(resource)
                failure = TransientError(f"GET {what} failed: {exc!r}")
                status, headers = 0, httpx.Headers()
            else:
                sent_at = self._sent_at.value
                self.gate.settle(resource, response.status_code, response.headers, False, sent_at)
                return response
            if status:
                kind = classify(status, headers, message_of(raw))
                sent_at = self._sent_at.value
                self.gate.settle(resource, status, headers, kind == "secondary", sent_at)
                if kind in ("primary", "secondary"):
                    log.info("GitHub %s rate limit on %s: waiting for the window", kind, what)
                    metrics.inc("retries", source="github")
                    continue
                if kind != "retry":
                    raise self._permanent(kind, status, what, message_of(raw))
                failure = TransientError(f"GET {what} answered {status}")
            failures += 1
            if failures >= self.options.attempts:
                log.warning("giving up after %d attempts: %s", failures, failure)
                raise failure
            delay = self.options.backoff(failures - 1)
            log.info("retrying in %.2fs (attempt %d): %s", delay, failures + 1, failure)
            metrics.inc("retries", source="github")
            time.sleep(delay)

    def _permanent(self, kind: str, status: int, what: str, message: str) -> Exception:
        if kind == "gone":
            return ItemGoneError(what, status)
        if kind == "unprocessable":
            return UnprocessableError(f"GitHub rejected {what} (422): {message}")
        if kind in ("unauthorized", "forbidden"):
            return ConfigurationError(
                f"GitHub refused {what} ({status}): {message}; check GITHUB_TOKEN and its scopes"
            )
        return InvalidQueryError(f"GitHub rejected {what} with {status}: {message}")

    def pages(
        self, resource: str, what: str, first: Callable[[], Response], limit: int | None = None
    ) -> Iterator[Response]:
        """The first page and every page after it (at most ``limit`` pages), in order.

        When the first answer's ``Link`` header names the ``last`` page (GitHub's does),
        the pages after the first are all read at once, on the session's page threads;
        else ``rel="next"`` is followed page by page."""
        response = self.call(resource, what, first)
        yield response
        urls = later_pages(response, limit)
        if urls is None:
            count = 1
            while (limit is None or count < limit) and (url := next_link(response)):
                response = self.call(resource, what, partial(self.github.request, "GET", url))
                count += 1
                yield response
            return
        futures = [
            self._page_pool.submit(
                self.call, resource, what, partial(self.github.request, "GET", url)
            )
            for url in urls
        ]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def open_session(query: GithubQuery) -> GithubSession:
    """A session with the worker's settings and the module defaults."""
    return GithubSession(query)
