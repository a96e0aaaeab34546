"""Per-worker request budgets: requests in flight to one service, summed over every run.

A worker runs many extractions at once (a queuer fans out hundreds of runs). Politeness is
owed to the service, not to one run, so every client that talks to a service takes a slot
from the one budget this process keeps for it (``LP_MAX_CONCURRENCY`` for Launchpad,
``GITHUB_MAX_CONCURRENCY`` for GitHub) before it sends a request::

    with request_slot("launchpad", settings.lp_max_concurrency):
        response = http.request(url)

Several workers each have their own budget: bound the total by the number of workers (see
the README's section on running several workers).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_budgets: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_in_flight: dict[str, int] = {}


def budget(service: str, limit: int) -> threading.BoundedSemaphore:
    """The process-wide semaphore for ``service`` with ``limit`` slots."""
    key = (service, max(1, int(limit)))
    with _lock:
        semaphore = _budgets.get(key)
        if semaphore is None:
            semaphore = _budgets[key] = threading.BoundedSemaphore(key[1])
        return semaphore


@contextmanager
def request_slot(service: str, limit: int) -> Iterator[None]:
    """Hold one of ``service``'s ``limit`` slots while the body sends one request."""
    semaphore = budget(service, limit)
    with semaphore:
        with _lock:
            _in_flight[service] = _in_flight.get(service, 0) + 1
        try:
            yield
        finally:
            with _lock:
                _in_flight[service] -= 1


def in_flight(service: str) -> int:
    """Requests to ``service`` this process has in flight now."""
    with _lock:
        return _in_flight.get(service, 0)
