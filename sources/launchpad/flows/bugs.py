"""``launchpad-bugs``: bug activity of a person or of a team's participants.

Items are the bugs of the bug tasks ``searchTasks`` finds on each actor. Called on a
person with no person filter, Launchpad's searchTasks already returns every task the
person is related to (assignee, reporter/owner, subscriber, commenter, structural
subscriber), so one search per actor covers every role. ``status`` lists every status
(the default leaves out closed tasks), ``omit_duplicates=False`` keeps duplicates (the
default hides them) and ``modified_since`` is just before the window start: a bug last
updated before the window cannot hold activity inside it. Launchpad compares
``date_last_updated > modified_since`` strictly, so passing the start itself would lose
a bug whose last event is exactly at the start (the window includes its start).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from models.etl.extract_cmd import Page, extract_method
from models.event import Window
from sources.launchpad import extraction
from sources.launchpad.bug_events import EVENT_TYPE, bug_events
from sources.launchpad.client import Actor, LaunchpadSession
from sources.launchpad.events import EventContext, number_after
from sources.launchpad.extraction import Fetch, ItemFlow
from sources.launchpad.query import LaunchpadQuery

# BugTaskStatus titles, every one: searchTasks' default is open work only.
BUG_TASK_STATUSES = [
    "New",
    "Incomplete",
    "Opinion",
    "Invalid",
    "Won't Fix",
    "Expired",
    "Confirmed",
    "Triaged",
    "In Progress",
    "Deferred",
    "Fix Committed",
    "Fix Released",
    "Does Not Exist",
    "Unknown",
]


def list_bugs(
    session: LaunchpadSession, actors: list[Actor], window: Window
) -> dict[int, dict[str, Any]]:
    """{bug id: {"bug_link"}} over every actor's search (tasks de-duplicated by bug)."""
    search = {
        "status": BUG_TASK_STATUSES,
        "omit_duplicates": False,
        # Launchpad stores microseconds: "> start - 1µs" is ">= start".
        "modified_since": window.start - timedelta(microseconds=1),
    }
    bugs: dict[int, dict[str, Any]] = {}
    # A task entry has dozens of fields; only its bug link is needed from here on.
    links = extraction.search_actors(
        session, actors, [("searchTasks", search)], keep=lambda task: task["bug_link"]
    )
    for link in links:
        bugs.setdefault(number_after(link, "/bugs/"), {"bug_link": link})
    return bugs


def bug_fetches(item: dict[str, Any], window: Window) -> dict[str, Fetch]:
    # The sub-collection links are derived from the bug link so that all three requests
    # can start at once instead of waiting for the bug entry.
    link = item["bug_link"].rstrip("/")
    return {
        "bug": Fetch("entry", link),
        "messages": Fetch("collection", f"{link}/messages"),
        "activity": Fetch("collection", f"{link}/activity"),
    }


def map_bug(item: dict[str, Any], fetched: dict[str, Any], context: EventContext) -> list[dict]:
    return bug_events(
        fetched["bug"],
        fetched.get("first_task") or {},
        fetched["messages"],
        fetched["activity"],
        context,
    )


def first_task_if_needed(
    item: dict[str, Any], fetched: dict[str, Any], context: EventContext
) -> dict[str, Fetch] | None:
    """The bug's status and importance are those of the first entry of its
    ``bug_tasks``, which the searches may not have returned (they return the tasks
    that matched). Read it only for bugs that have events to describe."""
    if not map_bug(item, fetched, context):
        return None
    return {"first_task": Fetch("first", fetched["bug"]["bug_tasks_collection_link"])}


FLOW = ItemFlow(EVENT_TYPE, list_bugs, bug_fetches, map_bug, first_task_if_needed)


@extract_method(name="launchpad-bugs")
def extract_data(query: LaunchpadQuery, cursor: Any = None) -> Iterator[Page]:
    yield from extraction.extract_pages(FLOW, query, cursor)


def list_item_ids(query: LaunchpadQuery) -> list[int]:
    return extraction.list_item_ids(FLOW, query)
