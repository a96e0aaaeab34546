"""GitHub payloads → event dicts, as pure functions (no HTTP): the contract's tables.

Everything here takes JSON exactly as the REST API sends it (a search result item, a
pull request, the entries of an issue's timeline) and returns the rows
``spec/github-events.md`` defines: one per fact whose actor is one of the run's people
and whose own time lies in the window. Logins of other people named in a fact (an
assignee, a requested reviewer) are wrapped in ``Login`` so the identity step can map or
pseudonymise them, and what people wrote (comment and review bodies) in ``CommentBody``,
kept only with ``STORE_COMMENT_BODIES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from models.event import Window, parse_time
from models.identity import CommentBody, Login
from sources.github.relations import ISSUE_EVENTS, PULL_REQUEST_EVENTS, REVIEW_STATES

SOURCE_KIND_ID = "github"
Json = dict[str, Any]


@dataclass(frozen=True)
class EventContext:
    """What mapping one item needs to know about the run."""

    event_type: str  # "issues", "pull_requests", "commits"
    window: Window
    actors: frozenset[str]  # the run's people, logins lower-cased


def login_of(user: Json | None) -> str | None:
    """The login of a user object, lower-cased (``None`` for a deleted account)."""
    login = (user or {}).get("login")
    return login.lower() if isinstance(login, str) and login else None


def repository_of(repository_url: str) -> tuple[str, str]:
    """``https://api.github.com/repos/OWNER/REPO`` → ``(OWNER, REPO)`` as spelled."""
    owner, repo = repository_url.rstrip("/").split("/")[-2:]
    return owner, repo


def item_id(kind: str, owner: str, repo: str, number: int) -> str:
    """``issue:owner/repo#N`` or ``pr:owner/repo#N``, lower-cased (``parent_item_id``)."""
    return f"{kind}:{owner.lower()}/{repo.lower()}#{number}"


def commit_id(owner: str, repo: str, sha: str) -> str:
    return f"commit:{owner.lower()}/{repo.lower()}@{sha.lower()}"


def event_id(parent_item_id: str, suffix: str = "") -> str:
    """``github-`` + the parent's kind and id + the fact's own suffix."""
    kind, _, rest = parent_item_id.partition(":")
    return f"github-{kind}-{rest}{suffix}"


def make_event(
    context: EventContext,
    *,
    parent_item_id: str,
    suffix: str,
    relation_type: str,
    actor: Json | None,
    when: str | None,
    event_properties: Json,
    relation_properties: Json,
) -> Json | None:
    """The row, or ``None`` when its actor is not one of ours or its time is outside the
    window (the contract's rule for every row)."""
    login, moment = login_of(actor), parse_time(when)
    if login not in context.actors or moment not in context.window:
        return None
    return {
        "source_kind_id": SOURCE_KIND_ID,
        "event_type": context.event_type,
        "parent_item_id": parent_item_id,
        "event_id": event_id(parent_item_id, suffix),
        "relation_type": relation_type,
        "employee_id": login,
        "event_time_utc": moment.isoformat(),
        # GitHub keeps no time zone; the roster sets the person's own where it knows it.
        "timezone": "UTC",
        "event_properties": event_properties,
        "relation_properties": relation_properties,
    }


def _body(entry: Json) -> CommentBody | None:
    """What a person wrote: kept only when the worker stores comment bodies."""
    body = entry.get("body")
    return CommentBody(body) if isinstance(body, str) else body


def _login_value(user: Json | None) -> Login | None:
    login = (user or {}).get("login")
    return Login(login) if login else None


def event_details(entry: Json) -> Json:
    """A timeline event's name and the details that say what changed, as GitHub gives
    them (the label, the old and new title, the milestone, ...); people as ``Login``."""
    details: Json = {"event": entry.get("event")}
    for name in ("label", "assignee", "requested_reviewer", "rename", "milestone", "lock_reason"):
        if entry.get(name) is None:
            continue
        if name in ("assignee", "requested_reviewer"):
            details[name] = _login_value(entry[name])
        else:
            details[name] = entry[name]
    return details


def issue_properties(item: Json) -> Json:
    return {
        "title": item.get("title"),
        "state": item.get("state"),
        "labels": [label.get("name") for label in item.get("labels") or []],
        "html_url": item.get("html_url"),
    }


def pull_request_properties(item: Json, pull: Json) -> Json:
    return {
        **issue_properties(item),
        "draft": bool(pull.get("draft")),
        "merged": bool(pull.get("merged") or pull.get("merged_at")),
        "base_ref": (pull.get("base") or {}).get("ref"),
        "head_ref": (pull.get("head") or {}).get("ref"),
    }


def _timeline_rows(
    parent: str,
    entries: Iterable[Json],
    kinds: Mapping[str, str],
    props: Json,
    emit: Callable[..., None],
) -> None:
    entries = list(entries)
    # A review still pending is its author's draft: neither it nor its comments count.
    pending = {
        entry.get("id")
        for entry in entries
        if entry.get("event") == "reviewed" and str(entry.get("state")).lower() == "pending"
    }
    for entry in entries:
        name = entry.get("event")
        if name == "commented":
            emit(
                parent,
                f"-comment-{entry['id']}",
                "commented",
                entry.get("actor") or entry.get("user"),
                entry.get("created_at"),
                props,
                {"event": name, "body": _body(entry)},
            )
        elif name == "reviewed" and kinds is PULL_REQUEST_EVENTS:
            state = str(entry.get("state")).lower()
            if state in REVIEW_STATES:
                emit(
                    parent,
                    f"-review-{entry['id']}",
                    "reviewed",
                    entry.get("user"),
                    entry.get("submitted_at"),
                    props,
                    {"event": name, "state": state, "body": _body(entry)},
                )
        elif name == "line-commented" and kinds is PULL_REQUEST_EVENTS:
            for comment in entry.get("comments") or []:
                if comment.get("pull_request_review_id") in pending:
                    continue
                emit(
                    parent,
                    f"-review_comment-{comment['id']}",
                    "review_commented",
                    comment.get("user"),
                    comment.get("created_at"),
                    props,
                    {"event": name, "body": _body(comment), "path": comment.get("path")},
                )
        elif name in kinds:
            emit(
                parent,
                f"-event-{entry['id']}",
                kinds[name],
                entry.get("actor"),
                entry.get("created_at"),
                props,
                event_details(entry),
            )


def item_events(
    context: EventContext,
    item: Json,
    timeline: Iterable[Json],
    pull: Json | None = None,
) -> list[Json]:
    """Every row of one issue (``pull`` is None) or pull request: its creation and its
    timeline. ``item`` is the issue as the search returns it, ``pull`` the pull request
    as ``GET /repos/{owner}/{repo}/pulls/{number}`` returns it."""
    owner, repo = repository_of(item["repository_url"])
    is_pull = pull is not None
    parent = item_id("pr" if is_pull else "issue", owner, repo, item["number"])
    props = pull_request_properties(item, pull) if is_pull else issue_properties(item)
    rows: list[Json] = []

    def emit(parent_id, suffix, relation, actor, when, event_props, relation_props) -> None:
        row = make_event(
            context,
            parent_item_id=parent_id,
            suffix=suffix,
            relation_type=relation,
            actor=actor,
            when=when,
            event_properties=event_props,
            relation_properties=relation_props,
        )
        if row is not None:
            rows.append(row)

    emit(parent, "-created", "created", item.get("user"), item.get("created_at"), props, {})
    kinds = PULL_REQUEST_EVENTS if is_pull else ISSUE_EVENTS
    _timeline_rows(parent, timeline, kinds, props, emit)
    return rows


def commit_event(context: EventContext, result: Json) -> Json | None:
    """The ``authored`` row of one commit search result (``None`` without a linked
    login, for someone else, or outside the window)."""
    repository = result.get("repository") or {}
    owner = (repository.get("owner") or {}).get("login") or ""
    parent = commit_id(owner, repository.get("name") or "", result["sha"])
    commit = result.get("commit") or {}
    message = next(iter((commit.get("message") or "").splitlines()), "")
    return make_event(
        context,
        parent_item_id=parent,
        suffix="",
        relation_type="authored",
        actor=result.get("author"),
        when=(commit.get("author") or {}).get("date"),
        event_properties={"message": message, "html_url": result.get("html_url")},
        relation_properties={},
    )
