"""How the GitHub flows find their items: the contract's searches, split under the cap.

The search API returns at most 1,000 results for one query. A query whose
``total_count`` is above that is asked again as two halves of its date range, and so on,
until every part is complete; no page past the 1,000th result is ever requested. Search
qualifiers compare whole days, so the window is padded by a day on each side and every
fact is later kept or dropped by its exact instant. A search GitHub answers with
``incomplete_results`` (it timed out and may have left results out) is asked again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from models.event import Window
from models.exceptions import NotFoundError
from sources.github.client import PER_PAGE, GithubSession, UnprocessableError

log = logging.getLogger(__name__)

SEARCH_CAP = 1000  # results the search API returns for one query
MAX_PAGES = SEARCH_CAP // PER_PAGE
INCOMPLETE_RETRIES = 3  # a search GitHub answers with incomplete_results is asked again

Json = dict[str, Any]


@dataclass(frozen=True)
class Search:
    """One search of the contract: its qualifiers and the date qualifier that bounds it.

    ``open_ended`` searches ask ``FIELD:>=START`` (read as ``START..today`` when split);
    the others ``FIELD:START..LAST``."""

    qualifiers: str
    date_field: str
    open_ended: bool


def padded_days(window: Window) -> tuple[date, date]:
    """``START`` and ``LAST``: the window's first and last UTC days, one day wider on
    each side."""
    last_instant = window.end - timedelta(microseconds=1)
    return window.start.date() - timedelta(days=1), last_instant.date() + timedelta(days=1)


def date_range(field: str, first: date, last: date | None) -> str:
    if last is None:
        return f"{field}:>={first.isoformat()}"
    return f"{field}:{first.isoformat()}..{last.isoformat()}"


class Searcher:
    """Runs searches for one session; ``fetch`` reads one query's result pages."""

    def __init__(self, session: GithubSession, endpoint: str):
        self.session = session
        self.endpoint = endpoint  # "issues" or "commits"

    def _send(self, q: str) -> Callable[[], Any]:
        rest = self.session.github.rest.search
        if self.endpoint == "commits":
            return lambda: rest.commits(q=q, per_page=PER_PAGE)
        return lambda: rest.issues_and_pull_requests(q=q, per_page=PER_PAGE)

    def run(self, search: Search, window: Window) -> list[Json]:
        """Every result of ``search`` over the padded window."""
        first, last = padded_days(window)
        if search.open_ended:
            today = max(datetime.now(UTC).date(), last)
            return self._results(search, first, None, today)
        return self._results(search, first, last, last)

    def _results(self, search: Search, first: date, last: date | None, upper: date) -> list[Json]:
        q = f"{search.qualifiers} {date_range(search.date_field, first, last)}"
        what = f"search/{self.endpoint}?q={q}"
        for attempt in range(INCOMPLETE_RETRIES + 1):
            try:
                pages = self.session.pages("search", what, self._send(q), limit=MAX_PAGES)
                head = next(pages)
            except UnprocessableError as exc:
                raise NotFoundError(f"GitHub cannot search {q!r}: {exc}") from None
            body = head.json()
            total = int(body.get("total_count", 0))
            end = last if last is not None else upper
            if total > SEARCH_CAP and first < end:
                pages.close()
                middle = first + (end - first) // 2
                log.info("%s: %d results, split at %s", what, total, middle)
                return self._results(search, first, middle, middle) + self._results(
                    search, middle + timedelta(days=1), end, end
                )
            if total > SEARCH_CAP:
                log.warning(
                    "%s: %d results in one day; the first %d are read", what, total, SEARCH_CAP
                )
            items = list(body.get("items") or [])
            complete = not body.get("incomplete_results")
            for page in pages:
                data = page.json()
                items.extend(data.get("items") or [])
                complete = complete and not data.get("incomplete_results")
            if complete:
                return items
            # The search timed out on GitHub's side and may have left results out.
            log.info("%s: incomplete results (attempt %d), asking again", what, attempt + 1)
        log.warning("%s: still incomplete after %d attempts", what, INCOMPLETE_RETRIES + 1)
        return items
