"""Keep a long activity's heartbeat going while a slow page is being extracted.

The cursor is heartbeated after every committed page; between pages (a big team's item
list, a slow Launchpad) this thread repeats the last details, so the server can use a
short heartbeat timeout to notice a dead worker quickly without failing slow pages.
"""

from __future__ import annotations

import contextvars
import threading
from typing import Any

from temporalio import activity


class Heartbeater:
    def __init__(self, details: Any, every_seconds: float = 2.0):
        self._details = details
        self._every = every_seconds
        self._stop = threading.Event()
        self._lock = threading.Lock()
        # The activity context lives in a context variable: the thread needs a copy.
        self._context = contextvars.copy_context()
        self._thread = threading.Thread(target=self._context.run, args=(self._run,), daemon=True)

    def __enter__(self) -> Heartbeater:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._stop.set()
        self._thread.join()

    def update(self, details: Any) -> None:
        """Record new details (a committed cursor) and send them now."""
        with self._lock:
            self._details = details
            activity.heartbeat(details)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            with self._lock:
                activity.heartbeat(self._details)
