"""The rows a correct GitHub flow emits, computed from the model itself (no HTTP, no
search), per /work/shared/spec/github-events.md (docs: simulator/README.md).

A row is emitted for each fact whose actor is one of the member's people (the login,
or the members of a team and of its descendant teams) and whose own instant t is in
the half-open window, start <= t < end, on an item or commit of a repository whose
owner is one of `owners`. Deleted (410) and private (404) items are unreadable, so
none of their facts is emitted; pending reviews and their comments neither; commits
without a linked login neither.

Every row is a dict with these keys:

    source_kind_id       "github"
    event_type           "issues" | "pull_requests" | "commits"
    parent_item_id       "issue:owner/repo#N" | "pr:owner/repo#N" | "commit:owner/repo@SHA"
    event_id             "github-" + kind + "-" + id + suffix, e.g.
                         "github-issue-acme/widget#3-comment-500000123",
                         "github-commit-acme/gadget@<sha>"
    relation_type        the contract's, e.g. "commented", "labels_changed", "reviewed"
    employee_id          the actor's login, lower-cased
    event_time_utc       datetime.isoformat() of the aware UTC instant
    timezone             "UTC" (GitHub has none; the roster's zone is the flows' business)
    event_properties     issues/PRs: {"title", "state", "labels", "html_url"} and for
                         PRs also {"draft", "merged", "base_ref", "head_ref"};
                         commits: {"message": first line, "html_url"}
    relation_properties  {"event": the timeline event's name, ...its details}: label,
                         assignee, requested_reviewer, rename {"from", "to"},
                         milestone, lock_reason; "body" for comments, "state" for
                         reviews, "path" for review comments; {} for created/authored

`KEY_COLUMNS` are the columns the contract fixes to the letter; the property dicts
are this simulator's reading of the contract's prose. Rows are sorted by
(event_time_utc, event_id).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from simulator.github.dataset import GithubDataset
from simulator.github.model import Commit, Item
from simulator.github.payloads import WEB
from simulator.timeutil import iso, parse_instant

EVENT_TYPES = ("issues", "pull_requests", "commits")
KEY_COLUMNS = ("event_id", "parent_item_id", "relation_type", "employee_id", "event_time_utc")

_SAME_NAME = {"commented", "closed", "reopened", "merged"}
_RELATIONS = {
    "assigned": "assignee_changed",
    "unassigned": "assignee_changed",
    "labeled": "labels_changed",
    "unlabeled": "labels_changed",
    "review_requested": "review_requested",
    "review_request_removed": "review_requested",
}
_CHANGED = {
    "renamed", "milestoned", "demilestoned", "locked", "unlocked", "pinned", "unpinned",
    "transferred", "marked_as_duplicate", "unmarked_as_duplicate",
}  # fmt: skip
_PR_CHANGED = {
    "ready_for_review", "convert_to_draft", "base_ref_changed", "head_ref_force_pushed",
    "head_ref_deleted", "head_ref_restored", "auto_merge_enabled", "auto_merge_disabled",
}  # fmt: skip
_DETAILS = ("label", "assignee", "requested_reviewer", "rename", "milestone", "lock_reason")


def _facts(item: Item) -> Iterator[tuple[str, str, datetime, str, dict[str, Any]]]:
    """(relation_type, actor, instant, event_id suffix, relation_properties) of each fact."""
    yield "created", item.user, item.created_at, "-created", {}
    pending = item.pending
    for entry in item.timeline:
        name = entry.event
        if name == "reviewed":
            if entry.details["state"] != "pending" and entry.at is not None:
                props = {
                    "event": name,
                    "state": entry.details["state"],
                    "body": entry.details.get("body", ""),
                }
                yield "reviewed", entry.actor or "", entry.at, f"-review-{entry.id}", props
            continue
        if name == "line-commented":
            for c in entry.comments:
                if c.review_id not in pending:
                    props = {"event": name, "body": c.body, "path": c.path}
                    yield "review_commented", c.user, c.created_at, f"-review_comment-{c.id}", props
            continue
        if name in _SAME_NAME:
            relation = name
        elif name in _RELATIONS:
            relation = _RELATIONS[name]
        elif name in _CHANGED or (item.kind == "pr" and name in _PR_CHANGED):
            relation = "changed"
        else:
            continue  # mentioned, subscribed, cross-referenced, committed, ...
        if entry.actor is None or entry.at is None:
            continue
        suffix = f"-comment-{entry.id}" if name == "commented" else f"-event-{entry.id}"
        props = {"event": name} | {k: entry.details[k] for k in _DETAILS if k in entry.details}
        if name == "commented":
            props["body"] = entry.details.get("body", "")
        yield relation, entry.actor, entry.at, suffix, props


def _item_properties(item: Item) -> dict[str, Any]:
    page = "pull" if item.kind == "pr" else "issues"
    props: dict[str, Any] = {
        "title": item.title,
        "state": item.state,
        "labels": list(item.labels),
        "html_url": f"{WEB}/{item.repo.full_name}/{page}/{item.number}",
    }
    if item.kind == "pr":
        props |= {"draft": item.draft, "merged": item.merged_at is not None,
                  "base_ref": item.base_ref, "head_ref": item.head_ref}  # fmt: skip
    return props


def _row(event_type: str, parent: str, event_id: str, relation: str, actor: str, at: datetime,
         event_props: dict[str, Any], relation_props: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    return {
        "source_kind_id": "github",
        "event_type": event_type,
        "parent_item_id": parent,
        "event_id": event_id,
        "relation_type": relation,
        "employee_id": actor.lower(),
        "event_time_utc": iso(at),
        "timezone": "UTC",
        "event_properties": event_props,
        "relation_properties": relation_props,
    }


def _item_rows(items: Iterable[Item], event_type: str, people, start, end) -> Iterator[dict]:
    for item in items:
        kind, _, ident = item.key.partition(":")
        props = None
        for relation, actor, at, suffix, relation_props in _facts(item):
            if actor.lower() in people and start <= at < end:
                props = props or _item_properties(item)
                event_id = f"github-{kind}-{ident}{suffix}"
                yield _row(
                    event_type, item.key, event_id, relation, actor, at, props, relation_props
                )


def _commit_rows(commits: Iterable[Commit], people, start, end) -> Iterator[dict]:
    for c in commits:
        at = c.author_date.astimezone(UTC)
        if c.author_login and c.author_login.lower() in people and start <= at < end:
            props = {"message": c.message.splitlines()[0],
                     "html_url": f"{WEB}/{c.repo.full_name}/commit/{c.sha}"}  # fmt: skip
            event_id = "github-" + c.key.replace(":", "-", 1)
            yield _row("commits", c.key, event_id, "authored", c.author_login, at, props, {})


def ground_truth(
    ds: GithubDataset,
    member: str,
    start: str | date | datetime,
    end: str | date | datetime,
    event_type: str,
    owners: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Every row the flow `github-<event_type>` emits for `member` in [start, end).

    `owners` default to the dataset's company owners (``acme``, ``acme-labs``). Raises
    `UnknownMember` (a KeyError) for a login or team the dataset does not have.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"event_type must be one of {EVENT_TYPES}, got {event_type!r}")
    people = ds.people(member)
    scope = {o.lower() for o in (owners if owners is not None else ds.company_owners)}
    lo, hi = parse_instant(start), parse_instant(end)
    if event_type == "commits":
        rows = list(
            _commit_rows((c for c in ds.commits if c.repo.owner.lower() in scope), people, lo, hi)
        )
    else:
        kind = "issue" if event_type == "issues" else "pr"
        items = (i for i in ds.items.values()
                 if i.kind == kind and not i.gone and i.repo.owner.lower() in scope)  # fmt: skip
        rows = list(_item_rows(items, event_type, people, lo, hi))
    rows.sort(key=lambda r: (r["event_time_utc"], r["event_id"]))
    return rows
