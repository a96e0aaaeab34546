"""The search API's query language, the part the contract uses, over the model.

Issues and pull requests (``GET /search/issues``): ``involves:``, ``author:``,
``assignee:``, ``commenter:``, ``reviewed-by:``, ``is:issue``/``is:pr`` (and
``type:``), ``is:open``/``is:closed``, ``user:``/``org:``, ``repo:``, ``updated:`` and
``created:`` with ``>=D``, ``>D``, ``<=D``, ``<D``, ``D`` and ``D..D`` (whole UTC days).
Commits (``GET /search/commits``): ``author:``, ``committer:``, ``user:``/``org:``,
``repo:``, ``author-date:`` and ``committer-date:`` (days of the commit's own offset).

``involves:X`` matches every item on which X did anything visible except only
reviewing: authoring, being assigned, commenting, review comments, any timeline event.
GitHub's own ``involves:`` covers fewer (author, assignee, mentions, commenter); the
simulator widens it so that its ground truth is reachable with the contract's
searches (``reviewed-by:`` covers reviewers). Unknown qualifiers are refused (422) so
that a client's typo shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from simulator.github.dataset import GithubDataset
from simulator.github.model import Commit, Item

_USER_QUALIFIERS = ("involves", "author", "assignee", "commenter", "reviewed-by", "committer")


class SearchError(ValueError):
    """A query the search API refuses (422): its message is GitHub's."""


@dataclass(frozen=True)
class _Index:
    involved: dict[int, frozenset[str]]  # item id -> lower logins
    reviewers: dict[int, frozenset[str]]
    commenters: dict[int, frozenset[str]]


_index_lock = threading.Lock()


def _index(ds: GithubDataset) -> _Index:
    """Who is involved in each item: built once per dataset (datasets never change)."""
    with _index_lock:
        if "search" not in ds.caches:
            ds.caches["search"] = _build_index(ds)
        return ds.caches["search"]


def _build_index(ds: GithubDataset) -> _Index:
    involved, reviewers, commenters = {}, {}, {}
    for item in ds.items.values():
        pending = item.pending
        people = {item.user.lower(), *(a.lower() for a in item.assignees)}
        reviewed, commented = set(), set()
        for entry in item.timeline:
            if entry.event == "reviewed":
                if entry.details["state"] != "pending":
                    reviewed.add((entry.actor or "").lower())
                continue
            if entry.actor:
                people.add(entry.actor.lower())
            if entry.event == "commented" and entry.actor:
                commented.add(entry.actor.lower())
            if "assignee" in entry.details:
                people.add(entry.details["assignee"].lower())
            for comment in entry.comments:
                if comment.review_id not in pending:
                    people.add(comment.user.lower())
                    commented.add(comment.user.lower())
        involved[item.id] = frozenset(people)
        reviewers[item.id] = frozenset(reviewed)
        commenters[item.id] = frozenset(commented)
    return _Index(involved, reviewers, commenters)


def parse_query(q: str) -> list[tuple[str, str]]:
    terms = []
    for word in q.split():
        name, sep, value = word.partition(":")
        if not sep or not value:
            raise SearchError(
                f"The search contains free text ({word!r}), which the simulator does not index."
            )
        terms.append((name.lower(), value))
    return terms


def unknown_logins(ds: GithubDataset, terms: list[tuple[str, str]]) -> list[str]:
    named = [v for n, v in terms if n in _USER_QUALIFIERS] + [
        v for n, v in terms if n in ("user", "org")
    ]
    return [login for login in named if ds.account(login) is None]


def _day_test(value: str) -> Callable[[date], bool]:
    def day(text: str) -> date:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise SearchError(f"Invalid date {text!r} in the query.") from None

    if ".." in value:
        low, _, high = value.partition("..")
        lo = date.min if low == "*" else day(low)
        hi = date.max if high == "*" else day(high)
        return lambda d: lo <= d <= hi
    for prefix, test in (
        (">=", date.__ge__),
        ("<=", date.__le__),
        (">", date.__gt__),
        ("<", date.__lt__),
    ):
        if value.startswith(prefix):
            bound = day(value[len(prefix) :])
            return lambda d, t=test, b=bound: t(d, b)
    bound = day(value)
    return lambda d: d == bound


def _as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def search_items(ds: GithubDataset, q: str) -> list[Item]:
    """The items matching `q`, most recently updated first (the API's sort=updated)."""
    terms = parse_query(q)
    index = _index(ds)
    tests: list[Callable[[Item], bool]] = []
    for name, value in terms:
        low = value.lower()
        if name == "involves":
            tests.append(lambda i, v=low: v in index.involved[i.id])
        elif name == "author":
            tests.append(lambda i, v=low: i.user.lower() == v)
        elif name == "assignee":
            tests.append(lambda i, v=low: v in (a.lower() for a in i.assignees))
        elif name == "commenter":
            tests.append(lambda i, v=low: v in index.commenters[i.id])
        elif name == "reviewed-by":
            tests.append(lambda i, v=low: i.kind == "pr" and v in index.reviewers[i.id])
        elif name in ("is", "type") and low in ("issue", "pr", "pull-request"):
            tests.append(lambda i, v="issue" if low == "issue" else "pr": i.kind == v)
        elif name in ("is", "state") and low in ("open", "closed"):
            tests.append(lambda i, v=low: i.state == v)
        elif name in ("user", "org"):
            tests.append(lambda i, v=low: i.repo.owner.lower() == v)
        elif name == "repo":
            tests.append(lambda i, v=low: i.repo.full_name.lower() == v)
        elif name in ("updated", "created"):
            test = _day_test(value)
            attr = f"{name}_at"
            tests.append(lambda i, t=test, a=attr: t(_as_utc(getattr(i, a)).date()))
        else:
            raise SearchError(f"The qualifier {name}: is not supported by the simulator.")
    found = [i for i in ds.items.values() if all(test(i) for test in tests)]
    found.sort(key=lambda i: (i.updated_at, i.id), reverse=True)
    return found


def search_commits(ds: GithubDataset, q: str) -> list[Commit]:
    """The commits matching `q`, the most recently authored first (sort=author-date)."""
    tests: list[Callable[[Commit], bool]] = []
    for name, value in parse_query(q):
        low = value.lower()
        if name == "author":
            tests.append(lambda c, v=low: (c.author_login or "").lower() == v)
        elif name == "committer":
            tests.append(lambda c, v=low: (c.committer_login or "").lower() == v)
        elif name in ("user", "org"):
            tests.append(lambda c, v=low: c.repo.owner.lower() == v)
        elif name == "repo":
            tests.append(lambda c, v=low: c.repo.full_name.lower() == v)
        elif name in ("author-date", "committer-date"):
            test = _day_test(value)
            attr = "author_date" if name == "author-date" else "committer_date"
            # The commit's own calendar day, in its author's offset.
            tests.append(lambda c, t=test, a=attr: t(getattr(c, a).date()))
        else:
            raise SearchError(f"The qualifier {name}: is not supported by the simulator.")
    found = [c for c in ds.commits if all(test(c) for test in tests)]
    found.sort(key=lambda c: (_as_utc(c.author_date), c.sha), reverse=True)
    return found
