"""Issues and pull requests: what the flows read for each one, and how each becomes rows.

The search result is the issue itself (GitHub's search returns the issue
representation); a pull request's draft flag, merge state and refs need
``GET /repos/{owner}/{repo}/pulls/{number}``. Every page of the item's timeline is read.
An item created at or after the window's end cannot hold a fact inside the window and
is not read at all.
"""

from __future__ import annotations

from typing import Any

from models.event import Window, parse_time
from sources.github.client import PER_PAGE, GithubSession
from sources.github.events import EventContext, Json, item_events, item_id, repository_of


def issue_key(result: Json) -> str:
    owner, repo = repository_of(result["repository_url"])
    kind = "pr" if result.get("pull_request") else "issue"
    return item_id(kind, owner, repo, result["number"])


def slim_issue(result: Json) -> Json:
    """The fields of a search result the issue and pull request flows use."""
    kept = {
        key: result.get(key)
        for key in (
            "repository_url",
            "number",
            "title",
            "state",
            "html_url",
            "created_at",
            "pull_request",
        )
    }
    kept["user"] = {"login": (result.get("user") or {}).get("login")}
    kept["labels"] = [{"name": label.get("name")} for label in result.get("labels") or []]
    return kept


def created_before_end(result: Json, window: Window) -> bool:
    created = parse_time(result.get("created_at"))
    return created is None or created < window.end


def read_timeline(session: GithubSession, item: Json) -> list[Json]:
    owner, repo = repository_of(item["repository_url"])
    number = item["number"]
    send = session.github.rest.issues.list_events_for_timeline
    pages = session.pages(
        "core",
        f"repos/{owner}/{repo}/issues/{number}/timeline",
        lambda: send(owner, repo, number, per_page=PER_PAGE),
    )
    return [entry for page in pages for entry in page.json()]


def read_issue(session: GithubSession, item: Json) -> dict[str, Any]:
    return {"timeline": read_timeline(session, item)}


def read_pull_request(session: GithubSession, item: Json) -> dict[str, Any]:
    owner, repo = repository_of(item["repository_url"])
    number = item["number"]
    get = session.github.rest.pulls.get
    pull = session.call(
        "core", f"repos/{owner}/{repo}/pulls/{number}", lambda: get(owner, repo, number)
    )
    return {"pull": pull.json(), "timeline": read_timeline(session, item)}


def map_issue(context: EventContext, item: Json, fetched: dict[str, Any]) -> list[Json]:
    return item_events(context, item, fetched["timeline"])


def map_pull_request(context: EventContext, item: Json, fetched: dict[str, Any]) -> list[Json]:
    return item_events(context, item, fetched["timeline"], fetched["pull"])
