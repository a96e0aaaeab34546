"""``github-issues``: issue activity of a person or of a team's members.

Items are the issues ``involves:LOGIN is:issue user:OWNER updated:>=START`` finds for
every person and owner (pull requests have their own flow); each issue's creation and
timeline become rows per the contract (``spec/github-events.md``, "Issues").
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
    return [Search(f"involves:{login} is:issue user:{owner}", "updated", open_ended=True)]


FLOW = ItemFlow(
    event_type="issues",
    endpoint="issues",
    searches=searches,
    item_key=lambda result: None if result.get("pull_request") else items.issue_key(result),
    keep=items.created_before_end,
    read_item=items.read_issue,
    slim=items.slim_issue,
    map_item=items.map_issue,
)


@extract_method(name="github-issues")
def extract_data(query: GithubQuery, cursor: Any = None) -> Iterator[Page]:
    yield from extraction.extract_pages(FLOW, query, cursor)


def list_item_ids(query: GithubQuery) -> list[str]:
    return extraction.list_item_ids(FLOW, query)
