"""``github-commits``: commits authored by a person or by a team's members.

Items are the commits ``author:LOGIN user:OWNER author-date:START..LAST`` finds for every
person and owner (default branches, as GitHub's commit search covers); the search result
carries everything a row needs, so nothing else is read. Commits GitHub links to no
login are not found, as the contract says.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from models.etl.extract_cmd import Page, extract_method
from sources.github import extraction
from sources.github.events import EventContext, Json, commit_event, commit_id
from sources.github.extraction import ItemFlow
from sources.github.query import GithubQuery
from sources.github.search import Search


def searches(login: str, owner: str) -> list[Search]:
    return [Search(f"author:{login} user:{owner}", "author-date", open_ended=False)]


def commit_key(result: Json) -> str | None:
    repository = result.get("repository") or {}
    owner = (repository.get("owner") or {}).get("login")
    if not owner or not result.get("author"):
        return None  # GitHub links the commit to no login: not the contract's to find
    return commit_id(owner, repository.get("name", ""), result["sha"])


def slim_commit(result: Json) -> Json:
    """The fields of a commit search result the row uses."""
    repository = result.get("repository") or {}
    commit = result.get("commit") or {}
    author = result.get("author")
    return {
        "sha": result.get("sha"),
        "html_url": result.get("html_url"),
        "author": {"login": author.get("login")} if author else None,
        "commit": {
            "message": commit.get("message"),
            "author": {"date": (commit.get("author") or {}).get("date")},
        },
        "repository": {
            "name": repository.get("name"),
            "owner": {"login": (repository.get("owner") or {}).get("login")},
        },
    }


def map_commit(context: EventContext, result: Json, fetched: Any) -> list[Json]:
    row = commit_event(context, result)
    return [row] if row is not None else []


FLOW = ItemFlow(
    event_type="commits",
    endpoint="commits",
    searches=searches,
    item_key=commit_key,
    keep=lambda result, window: True,
    read_item=None,
    map_item=map_commit,
    slim=slim_commit,
)


@extract_method(name="github-commits")
def extract_data(query: GithubQuery, cursor: Any = None) -> Iterator[Page]:
    yield from extraction.extract_pages(FLOW, query, cursor)


def list_item_ids(query: GithubQuery) -> list[str]:
    return extraction.list_item_ids(FLOW, query)
