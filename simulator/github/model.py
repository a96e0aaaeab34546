"""The simulated GitHub: users, organisations' teams, repositories, issues and pull
requests with their timelines, and commits. Plain data; payloads.py renders it as the
REST API does, ground_truth.py reads it directly.

Times are aware datetimes: UTC for everything but a commit's author and committer
dates, which keep their author's own offset, as git records them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class User:
    login: str  # as GitHub spells it (mixed case happens); compared case-insensitively
    id: int
    name: str
    created_at: datetime
    type: str = "User"  # or "Bot", "Organization"


@dataclass(slots=True)
class Team:
    org: str
    slug: str
    id: int
    name: str
    members: list[str] = field(default_factory=list)  # direct members' logins
    parent: str | None = None  # slug of the parent team in the same org


@dataclass(slots=True)
class Repo:
    owner: str  # an organisation's or a user's login
    name: str
    id: int
    created_at: datetime
    private: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass(slots=True)
class ReviewComment:
    id: int
    user: str
    created_at: datetime
    review_id: int
    body: str
    path: str


@dataclass(slots=True)
class TimelineEntry:
    """One entry of an issue's or pull request's timeline.

    `event` is GitHub's name. `id` is the comment's, event's or review's id (None for
    ``line-commented``, ``committed`` and ``cross-referenced``, which have none). `actor`
    is who acted: the event's ``actor``, the comment's or review's ``user``. `at` is
    the entry's own time: ``created_at``, or a review's ``submitted_at`` (None while
    pending). `details` hold what the event carries (label, assignee, rename, ...).
    """

    event: str
    id: int | None
    actor: str | None
    at: datetime | None
    details: dict[str, Any] = field(default_factory=dict)
    comments: list[ReviewComment] = field(default_factory=list)  # line-commented only


@dataclass(slots=True)
class Item:
    """An issue or a pull request (GitHub numbers both in one sequence per repository)."""

    kind: str  # "issue" or "pr"
    repo: Repo
    number: int
    id: int
    title: str
    body: str
    user: str
    created_at: datetime
    timeline: list[TimelineEntry] = field(default_factory=list)
    state: str = "open"
    closed_at: datetime | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    milestone: str | None = None
    locked: bool = False
    # Pull requests only.
    draft: bool = False
    merged_at: datetime | None = None
    merged_by: str | None = None
    base_ref: str = "main"
    head_ref: str = ""
    pr_id: int = 0  # a pull request's own id, apart from its issue id
    # 410 for a deleted issue, 404 for one made private or whose repository was: the
    # search index still lists it, reading it fails.
    gone: int | None = None
    updated_at: datetime | None = None  # set by `finish`, once the timeline is complete

    def finish(self) -> None:
        """Set `updated_at`: the latest visible change (pending reviews are invisible)."""
        pending = self.pending
        times = [self.created_at]
        for entry in self.timeline:
            if entry.at is not None:
                times.append(entry.at)
            times.extend(c.created_at for c in entry.comments if c.review_id not in pending)
        self.updated_at = max(times)

    @property
    def pending(self) -> set[int]:
        """Ids of this pull request's pending (unsubmitted) reviews."""
        return {
            e.id
            for e in self.timeline
            if e.event == "reviewed" and e.details.get("state") == "pending" and e.id
        }

    @property
    def key(self) -> str:
        """``issue:owner/repo#N`` or ``pr:owner/repo#N``, lower-cased: the contract's parent id."""
        return f"{self.kind}:{self.repo.full_name.lower()}#{self.number}"


@dataclass(slots=True)
class Commit:
    repo: Repo
    sha: str
    author_login: str | None  # None: GitHub links no account to the author's e-mail
    author_name: str
    author_email: str
    author_date: datetime  # with the author's own offset
    committer_login: str | None
    committer_date: datetime
    message: str

    @property
    def key(self) -> str:
        return f"commit:{self.repo.full_name.lower()}@{self.sha}"
