"""The paged extraction every Launchpad flow shares.

A run resolves the actors, lists the items they touched (one set of searches per actor,
run concurrently), de-duplicates and sorts them by id, then works through them in pages
of ``PAGE_ITEMS``: each item's requests (its entry, its sub-collections) are all in
flight at once on the session's threads, and the next page is already being fetched
while the caller loads the current one. Each page carries the cursor
``{"after": <last item id>}`` (plus ``"until"`` when the run was given one), so a run
resumes after the last page it loaded, and a scheduler can split the ids into ranges.
A page's ``stats`` are ``{"items": <items in the page>, "requests": <HTTP requests since
the previous page>}``: the first page's include the login (if this run logged in) and
the listing, and every page's include what was already fetched for the next one.

Listing costs a person look-up, the team's participants and every actor's searches.
``list_item_ids`` and every run remember their listing for ``LISTING_TTL`` seconds in
this process, and a run given a cursor (a resumed run, or one range of a split run)
reuses it instead of searching again; a run from the beginning always lists afresh.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from models.etl.extract_cmd import Page, parse_range_cursor
from models.event import Window
from sources.launchpad.client import Actor, LaunchpadSession, open_session
from sources.launchpad.events import EventContext
from sources.launchpad.query import LaunchpadQuery
from sources.launchpad.transport import ItemGoneError

log = logging.getLogger(__name__)

# Items per page: a page loads quickly and a retried activity redoes little, while
# 25 items (up to 100 requests) keep the threads busy.
PAGE_ITEMS = 25
PREFETCH_PAGES = 1  # pages fetched ahead while the caller loads the current one
LISTING_TTL = 600.0  # seconds a listing is reused by runs that resume or take a range
LISTINGS_KEPT = 8

Entry = dict[str, Any]


@dataclass(frozen=True)
class Fetch:
    """One thing to read for an item: an ``entry``, a whole ``collection``, or the
    ``first`` entry of a collection."""

    kind: str
    url: str


@dataclass(frozen=True)
class ItemFlow:
    """What makes one flow: how to find its items, what to read for each, how to map.

    ``list_items(session, actors, window)`` returns {item id: the entry the searches
    returned}; ``fetches(entry, window)`` names what else to read for that item
    (``None`` when the item cannot have an event in the window); ``follow_up(entry,
    fetched, context)``, when given, names what to read once that is known (only for
    the items that need it); ``map_item(entry, fetched, context)`` makes the events.
    """

    event_type: str
    list_items: Callable[[LaunchpadSession, list[Actor], Window], dict[int, Entry]]
    fetches: Callable[[Entry, Window], dict[str, Fetch] | None]
    map_item: Callable[[Entry, dict[str, Any], EventContext], list[Entry]]
    follow_up: Callable[[Entry, dict[str, Any], EventContext], dict[str, Fetch] | None] | None = (
        None
    )


def search_actors(
    session: LaunchpadSession,
    actors: list[Actor],
    searches: list[tuple[str, dict[str, Any]]],
    keep: Callable[[Entry], Any] | None = None,
) -> list[Any]:
    """Every entry each named operation in ``searches`` (name, parameters) returns for
    each actor, all run concurrently, in a stable order, reduced by ``keep`` as pages
    arrive. An actor who vanished since the participants were read (404) has no entries."""

    def search(job: tuple[Actor, str, dict[str, Any]]) -> list[Any]:
        actor, operation, params = job
        try:
            return session.operation(actor.self_link, operation, keep, **params)
        except ItemGoneError:
            log.warning("%s vanished during the run; nothing of theirs is listed", actor.name)
            return []

    jobs = [(actor, operation, params) for actor in actors for operation, params in searches]
    return [entry for entries in session.map(search, jobs) for entry in entries]


def parse_cursor(cursor: Any) -> tuple[int, int | None]:
    """``None`` | ``{"after": X}`` | ``{"after": X, "until": Y}`` → (after, until)."""
    return parse_range_cursor(cursor, int, "Launchpad")


def window_of(query: LaunchpadQuery) -> Window:
    return Window(query.start, query.end)


@dataclass(frozen=True)
class Listing:
    actors: dict[str, Actor]
    items: dict[int, Entry]


_listings: OrderedDict[tuple, tuple[float, Listing]] = OrderedDict()
_listings_lock = threading.Lock()


def _listing_key(flow: ItemFlow, session: LaunchpadSession) -> tuple:
    query = session.query
    # Who asks matters too: authenticated clients may see private items.
    who = session.settings.lp_credentials_file
    return (
        flow.event_type,
        query.service_root,
        query.version,
        who,
        query.member,
        query.start,
        query.end,
    )


def remembered_listing(flow: ItemFlow, session: LaunchpadSession) -> Listing | None:
    with _listings_lock:
        found = _listings.get(_listing_key(flow, session))
    if found is None or time.monotonic() - found[0] > LISTING_TTL:
        return None
    return found[1]


def forget_listings() -> None:
    with _listings_lock:
        _listings.clear()


def make_listing(flow: ItemFlow, session: LaunchpadSession) -> Listing:
    """Search for the items of every actor, and remember the result."""
    actors = session.actors()
    window = window_of(session.query)
    listing = Listing(actors, flow.list_items(session, list(actors.values()), window))
    with _listings_lock:
        key = _listing_key(flow, session)
        _listings.pop(key, None)
        _listings[key] = (time.monotonic(), listing)
        while len(_listings) > LISTINGS_KEPT:
            _listings.popitem(last=False)
    return listing


def list_item_ids(flow: ItemFlow, query: LaunchpadQuery) -> list[int]:
    """Sorted ids of every item the run for ``query`` would work through."""
    with open_session(query) as session:
        return sorted(make_listing(flow, session).items)


def _read(session: LaunchpadSession, fetch: Fetch) -> Any:
    if fetch.kind == "entry":
        return session.get(fetch.url)
    if fetch.kind == "first":
        return session.first_entry(fetch.url)
    return session.collection(fetch.url)


Started = list[tuple[int, dict[str, Future]]]


def _start(session: LaunchpadSession, fetches: dict[str, Fetch] | None) -> dict[str, Future]:
    return {key: session.submit(_read, session, fetch) for key, fetch in (fetches or {}).items()}


def _results(flow: ItemFlow, item_id: int, futures: dict[str, Future]) -> dict[str, Any] | None:
    try:
        return {key: future.result() for key, future in futures.items()}
    except ItemGoneError as exc:
        # Deleted or made private between the search and now: nothing to report.
        log.warning("%s %d vanished during the run, skipped: %s", flow.event_type, item_id, exc)
        return None


def _start_page(
    session: LaunchpadSession, flow: ItemFlow, items: dict[int, Entry], ids: list[int], window
) -> Started:
    return [(item_id, _start(session, flow.fetches(items[item_id], window))) for item_id in ids]


def _finish_page(
    session: LaunchpadSession,
    flow: ItemFlow,
    items: dict[int, Entry],
    started: Started,
    context: EventContext,
) -> list[Entry]:
    # First every item's own reads, then (all at once) the follow-ups some items need.
    fetched: dict[int, dict[str, Any]] = {}
    follow_ups: Started = []
    for item_id, futures in started:
        results = _results(flow, item_id, futures)
        if results is None:
            continue
        fetched[item_id] = results
        if flow.follow_up is not None:
            more = flow.follow_up(items[item_id], results, context)
            if more:
                follow_ups.append((item_id, _start(session, more)))
    for item_id, futures in follow_ups:
        results = _results(flow, item_id, futures)
        if results is None:
            del fetched[item_id]
        else:
            fetched[item_id].update(results)
    events: list[Entry] = []
    for item_id, results in fetched.items():
        events.extend(flow.map_item(items[item_id], results, context))
    return events


def extract_pages(flow: ItemFlow, query: LaunchpadQuery, cursor: Any = None) -> Iterator[Page]:
    """Pages of events for the items after ``cursor`` (see the module docstring)."""
    after, until = parse_cursor(cursor)
    window = window_of(query)
    with open_session(query) as session:
        listing = remembered_listing(flow, session) if cursor is not None else None
        if listing is None:
            listing = make_listing(flow, session)
        actors, items = listing.actors, listing.items
        ids = [i for i in sorted(items) if i > after and (until is None or i <= until)]
        context = EventContext(
            flow.event_type, window, {name: actor.time_zone for name, actor in actors.items()}
        )
        chunks = [ids[i : i + PAGE_ITEMS] for i in range(0, len(ids), PAGE_ITEMS)]
        in_flight: deque[Started] = deque()
        reported = 0
        try:
            for index, chunk in enumerate(chunks):
                while len(in_flight) <= PREFETCH_PAGES and index + len(in_flight) < len(chunks):
                    next_chunk = chunks[index + len(in_flight)]
                    in_flight.append(_start_page(session, flow, items, next_chunk, window))
                events = _finish_page(session, flow, items, in_flight.popleft(), context)
                now = session.requests  # includes what the next page has already asked
                requests, reported = now - reported, now
                page_cursor: dict[str, int] = {"after": chunk[-1]}
                if until is not None:
                    page_cursor["until"] = until
                yield Page(events, page_cursor, {"items": len(chunk), "requests": requests})
        finally:
            for started in in_flight:
                for _, futures in started:
                    for future in futures.values():
                        future.cancel()
