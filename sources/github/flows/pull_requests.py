"""``github-pull_requests``: pull request activity of a person or of a team's members.

Items are the pull requests two searches find for every person and owner:
``involves:LOGIN`` (author, assignee, mentions, commenters) and ``reviewed-by:LOGIN``
(reviewers), both ``is:pr user:OWNER updated:>=START``; a pull request found by both,
or by two people, is read once. Its creation, timeline and reviews become rows per the
contract (``spec/github-events.md``, "Pull requests").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from models.etl.extract_cmd import Page, extract_method
from sources.github import extraction, items
from sources.github.extraction import ItemFlow
from sources.github.query import GithubQuery
from sources.github.search import Search


def searches(login: str, owner: str) -> list[Search]:
    return [
        Search(f"involves:{login} is:pr user:{owner}", "updated", open_ended=True),
        Search(f"reviewed-by:{login} is:pr user:{owner}", "updated", open_ended=True),
    ]


FLOW = ItemFlow(
    event_type="pull_requests",
    endpoint="issues",
    searches=searches,
    item_key=lambda result: items.issue_key(result) if result.get("pull_request") else None,
    keep=items.created_before_end,
    read_item=items.read_pull_request,
    slim=items.slim_issue,
    map_item=items.map_pull_request,
)


@extract_method(name="github-pull_requests")
def extract_data(query: GithubQuery, cursor: Any = None) -> Iterator[Page]:
    yield from extraction.extract_pages(FLOW, query, cursor)


def list_item_ids(query: GithubQuery) -> list[str]:
    return extraction.list_item_ids(FLOW, query)
