"""The paged extraction the three GitHub flows share.

A run resolves its people (the login, or the team's members), runs the flow's searches
for every person and owner at once on the session's threads, de-duplicates the items by
``parent_item_id`` and sorts them. Then it works through them in pages of
``PAGE_ITEMS``: each item's reads (its pull request, every page of its timeline) run
concurrently, the next page is fetched while the caller loads the current one, and each
page carries the cursor ``{"after": <last item id>}`` (plus ``"until"`` when the run was
given one), so a retried activity resumes after the last page it loaded and
``StreamingETLFlow`` can split the ids into ranges.

Searches cost the most (their own, smaller rate limit): their results are remembered
for ``LISTING_TTL`` seconds per workflow run, so a retried or split activity of the same
run does not search again; outside an activity, a run given a cursor reuses them.

A rate-limit window that stays closed longer than a worker thread should wait ends the
activity with a retryable ``ApplicationError`` whose ``next_retry_delay`` is the time
left: Temporal retries it when the window reopens, and it resumes from its cursor.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from models import metrics
from models.etl.extract_cmd import Page, parse_range_cursor
from models.event import Window
from models.exceptions import NotFoundError
from sources.github.client import PER_PAGE, GithubSession, ItemGoneError, open_session
from sources.github.events import EventContext, Json, login_of
from sources.github.query import GithubQuery
from sources.github.ratelimit import RateLimitWait
from sources.github.search import Search, Searcher

log = logging.getLogger(__name__)

PAGE_ITEMS = 50  # items per page: a quick page to load and little to redo on retry
PREFETCH_PAGES = 1
LISTING_TTL = 600.0
SEARCHES_KEPT = 1024  # results remembered: slimmed, a few hundred bytes each


@dataclass(frozen=True)
class ItemFlow:
    """What makes one flow: its searches per person and owner, the search endpoint,
    how a search result becomes an item id, and how an item becomes rows.

    ``read_item(session, item)`` returns what else must be read for the item (``None``
    for nothing); ``map_item(context, item, fetched)`` makes the rows; ``slim`` keeps
    of a search result only what the others use, so remembered listings stay small."""

    event_type: str
    endpoint: str  # "issues" or "commits"
    searches: Callable[[str, str], list[Search]]
    item_key: Callable[[Json], str | None]
    keep: Callable[[Json, Window], bool]
    read_item: Callable[[GithubSession, Json], Any] | None
    map_item: Callable[[EventContext, Json, Any], list[Json]]
    slim: Callable[[Json], Json]  # a search result reduced to what the flow uses


# -- what was listed, remembered per run -----------------------------------------------
_remembered: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()
_remembered_lock = threading.Lock()


def _run_key() -> str | None:
    if activity.in_activity():
        info = activity.info()
        return f"{info.workflow_id}/{info.workflow_run_id}"
    return None


def remembered(key: tuple, compute: Callable[[], Any], reuse: bool) -> Any:
    """``compute()``, or its result from earlier in this run when ``reuse`` allows."""
    if reuse:
        with _remembered_lock:
            found = _remembered.get(key)
        if found is not None and time.monotonic() - found[0] <= LISTING_TTL:
            return found[1]
    value = compute()
    with _remembered_lock:
        _remembered.pop(key, None)
        _remembered[key] = (time.monotonic(), value)
        while len(_remembered) > SEARCHES_KEPT:
            _remembered.popitem(last=False)
    return value


def forget_listings() -> None:
    with _remembered_lock:
        _remembered.clear()


def team_members(session: GithubSession, org: str, slug: str) -> list[str]:
    """Logins of the team's members (GitHub includes child teams' members)."""
    send = session.github.rest.teams.list_members_in_org
    what = f"orgs/{org}/teams/{slug}/members"
    try:
        pages = list(session.pages("core", what, lambda: send(org, slug, per_page=PER_PAGE)))
    except ItemGoneError:
        raise NotFoundError(f"GitHub has no team {org}/{slug} visible to this token") from None
    return [login for page in pages for user in page.json() if (login := login_of(user))]


def people(session: GithubSession, run: str | None, reuse: bool) -> list[str]:
    """The run's people, logins lower-cased."""
    query = session.query
    if query.team is None:
        return [query.member.lower()]
    key = ("team", run, query.service_root, session.token_key, query.member)
    return remembered(key, lambda: sorted(set(team_members(session, *query.team))), reuse)


def list_items(flow: ItemFlow, session: GithubSession, reuse: bool) -> tuple[list[str], dict]:
    """(people, {item id: search result}) for the run, de-duplicated."""
    query = session.query
    window = Window(query.start, query.end)
    run_key = _run_key()  # here: the searches run on threads outside the activity's context
    logins = people(session, run_key, reuse)
    searcher = Searcher(session, flow.endpoint)
    jobs = [
        search
        for login in logins
        for owner in query.owners
        for search in flow.searches(login, owner)
    ]

    def run(search: Search) -> list[Json]:
        key = (
            "search",
            run_key,
            query.service_root,
            session.token_key,
            search,
            query.start,
            query.end,
        )
        return remembered(key, lambda: [flow.slim(r) for r in searcher.run(search, window)], reuse)

    owners = {owner.lower() for owner in query.owners}
    items: dict[str, Json] = {}
    for results in session.map(run, jobs):
        for result in results:
            key = flow.item_key(result)
            if key is None or key.split(":", 1)[1].split("/", 1)[0] not in owners:
                continue  # another owner's repository (a transferred issue, a fork)
            if flow.keep(result, window):
                items.setdefault(key, result)
    return logins, items


def parse_cursor(cursor: Any) -> tuple[str, str | None]:
    """``None`` | ``{"after": X}`` | ``{"after": X, "until": Y}`` → (after, until)."""
    return parse_range_cursor(cursor, str, "GitHub")


def rate_limit_retry(exc: RateLimitWait) -> ApplicationError:
    """The activity retry that waits out a closed window without holding a worker."""
    return ApplicationError(
        str(exc),
        type="RateLimitedError",
        next_retry_delay=timedelta(seconds=max(1.0, exc.retry_after or 0.0)),
    )


def list_item_ids(flow: ItemFlow, query: GithubQuery) -> list[str]:
    """Sorted ids of every item the run for ``query`` would work through."""
    try:
        with open_session(query) as session:
            return sorted(list_items(flow, session, reuse=_run_key() is not None)[1])
    except RateLimitWait as exc:
        raise rate_limit_retry(exc) from exc


def _read(session: GithubSession, flow: ItemFlow, key: str, item: Json) -> Any:
    if flow.read_item is None:
        return None
    try:
        return flow.read_item(session, item)
    except ItemGoneError as exc:
        # Deleted or made private since the search: nothing to report, not fatal.
        log.warning("%s vanished during the run, skipped: %s", key, exc)
        metrics.inc("items_gone", source="github", flow=flow.event_type)
        return ItemGoneError


def extract_pages(flow: ItemFlow, query: GithubQuery, cursor: Any = None) -> Iterator[Page]:
    """Pages of rows for the items after ``cursor`` (see the module docstring)."""
    after, until = parse_cursor(cursor)
    try:
        with open_session(query) as session:
            reuse = cursor is not None or _run_key() is not None
            logins, items = list_items(flow, session, reuse)
            context = EventContext(
                flow.event_type, Window(query.start, query.end), frozenset(logins)
            )
            ids = [i for i in sorted(items) if i > after and (until is None or i <= until)]
            if not ids:  # still one page: it reports what the listing cost
                end = {"after": after} if until is None else {"after": after, "until": until}
                yield Page([], end, {"items": 0, "requests": session.requests, "gone": 0})
                return
            yield from _item_pages(session, flow, items, ids, context, until)
    except RateLimitWait as exc:
        raise rate_limit_retry(exc) from exc


def _item_pages(
    session: GithubSession,
    flow: ItemFlow,
    items: dict[str, Json],
    ids: list[str],
    context: EventContext,
    until: str | None,
) -> Iterator[Page]:
    chunks = [ids[i : i + PAGE_ITEMS] for i in range(0, len(ids), PAGE_ITEMS)]
    started: deque[list[tuple[str, Future]]] = deque()
    reported = 0
    try:
        for index, chunk in enumerate(chunks):
            while len(started) <= PREFETCH_PAGES and index + len(started) < len(chunks):
                ahead = chunks[index + len(started)]
                started.append(
                    [(key, session.submit(_read, session, flow, key, items[key])) for key in ahead]
                )
            rows: list[Json] = []
            gone = 0
            for key, future in started.popleft():
                fetched = future.result()
                if fetched is ItemGoneError:
                    gone += 1
                else:
                    rows.extend(flow.map_item(context, items[key], fetched))
            now = session.requests  # includes what the next page has already asked
            requests, reported = now - reported, now
            cursor = {"after": chunk[-1]} if until is None else {"after": chunk[-1], "until": until}
            yield Page(rows, cursor, {"items": len(chunk), "requests": requests, "gone": gone})
    finally:
        for pending in started:
            for _, future in pending:
                future.cancel()
