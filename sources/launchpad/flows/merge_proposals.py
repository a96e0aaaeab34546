"""``launchpad-merge_proposals``: code review activity of a person or a team's participants.

Items are the proposals ``getMergeProposals`` (proposals of the actor's branches and
repositories) and ``getRequestedReviews`` (proposals the actor was asked to review) return
for each actor, both with every queue status: the defaults leave out finished proposals.
The search entries are full proposal representations, so only ``all_comments`` is read
per proposal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from models.etl.extract_cmd import Page, extract_method
from models.event import Window, parse_time
from sources.launchpad import extraction
from sources.launchpad.client import Actor, LaunchpadSession
from sources.launchpad.events import EventContext
from sources.launchpad.extraction import Fetch, ItemFlow
from sources.launchpad.merge_proposal_events import (
    EVENT_TYPE,
    merge_proposal_events,
    proposal_id,
)
from sources.launchpad.query import LaunchpadQuery

# BranchMergeProposalStatus titles, every one.
MERGE_PROPOSAL_STATUSES = [
    "Work in progress",
    "Needs review",
    "Approved",
    "Rejected",
    "Merged",
    "Code failed to merge",
    "Queued",
    "Superseded",
]
SEARCHES = ("getMergeProposals", "getRequestedReviews")


def list_proposals(
    session: LaunchpadSession, actors: list[Actor], window: Window
) -> dict[int, dict[str, Any]]:
    """{proposal id: proposal entry} over both searches of every actor."""
    every_status = {"status": MERGE_PROPOSAL_STATUSES}
    searches = [(operation, every_status) for operation in SEARCHES]
    proposals: dict[int, dict[str, Any]] = {}
    for entry in extraction.search_actors(session, actors, searches):
        proposals.setdefault(proposal_id(entry), entry)
    return proposals


def proposal_fetches(proposal: dict[str, Any], window: Window) -> dict[str, Fetch] | None:
    created = parse_time(proposal.get("date_created"))
    if created is not None and created >= window.end:
        return None  # proposed after the window: every event of it is too
    return {"comments": Fetch("collection", proposal["all_comments_collection_link"])}


def map_proposal(
    proposal: dict[str, Any], fetched: dict[str, Any], context: EventContext
) -> list[dict]:
    return merge_proposal_events(proposal, fetched.get("comments", []), context)


FLOW = ItemFlow(EVENT_TYPE, list_proposals, proposal_fetches, map_proposal)


@extract_method(name="launchpad-merge_proposals")
def extract_data(query: LaunchpadQuery, cursor: Any = None) -> Iterator[Page]:
    yield from extraction.extract_pages(FLOW, query, cursor)


def list_item_ids(query: LaunchpadQuery) -> list[int]:
    return extraction.list_item_ids(FLOW, query)
