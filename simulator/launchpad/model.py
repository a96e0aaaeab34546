"""The simulator's data: people, teams, bugs, merge proposals and questions.

Everything the HTTP server serves and everything the ground truth counts comes from
these objects, so the two can never disagree. People are keyed by Launchpad name;
datetimes are aware and in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from simulator.launchpad.vocab import REDACTED


@dataclass(slots=True)
class Person:
    name: str
    display_name: str
    time_zone: str | None  # None: never set
    date_created: datetime
    # Launchpad hides the location of some people from anonymous clients and then
    # serves REDACTED as time_zone; a flow must fall back to UTC.
    time_zone_hidden: bool = False
    karma: int = 0

    @property
    def served_time_zone(self) -> str | None:
        return REDACTED if self.time_zone_hidden else self.time_zone

    @property
    def event_time_zone(self) -> str:
        """The zone the contract puts on this person's events."""
        if self.time_zone_hidden or not self.time_zone:
            return "UTC"
        return self.time_zone


@dataclass(slots=True)
class Team:
    name: str
    display_name: str
    owner: str
    date_created: datetime
    members: list[str] = field(default_factory=list)  # direct: people and teams


@dataclass(slots=True)
class Project:
    name: str
    display_name: str
    owner: str
    date_created: datetime
    structural_subscribers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class BugTask:
    target: str  # project name
    status: str
    importance: str
    owner: str
    date_created: datetime
    assignee: str | None = None


@dataclass(slots=True)
class BugMessage:
    owner: str
    date_created: datetime
    subject: str
    content: str


@dataclass(slots=True)
class BugActivity:
    datechanged: datetime
    person: str
    whatchanged: str
    oldvalue: str | None
    newvalue: str | None
    message: str | None


@dataclass(slots=True)
class Bug:
    id: int
    title: str
    owner: str
    date_created: datetime
    tags: list[str]
    heat: int
    users_affected_count: int
    information_type: str
    tasks: list[BugTask]
    messages: list[BugMessage]  # messages[0] is the description
    activity: list[BugActivity]
    subscribers: list[str]
    duplicate_of: int | None = None
    date_last_updated: datetime | None = None  # set by finalize()

    @property
    def description(self) -> str:
        return self.messages[0].content

    @property
    def message_count(self) -> int:
        return len(self.messages)

    def finalize(self) -> None:
        """Order collections by time and derive date_last_updated, as Launchpad does."""
        description, replies = self.messages[0], self.messages[1:]
        replies.sort(key=lambda m: m.date_created)
        self.messages = [description, *replies]
        self.activity.sort(key=lambda a: a.datechanged)
        self.subscribers = list(dict.fromkeys(self.subscribers))
        times = [self.date_created, *(m.date_created for m in self.messages)]
        times += [a.datechanged for a in self.activity]
        self.date_last_updated = max(times)


@dataclass(slots=True)
class CodeRef:
    """Where one side of a merge proposal lives: a git ref or a Bazaar branch."""

    owner: str
    project: str
    repository: str | None  # git repository name; None for a Bazaar branch
    path: str  # git: "refs/heads/<branch>"; Bazaar: the branch name

    @property
    def is_git(self) -> bool:
        return self.repository is not None

    @property
    def unique_name(self) -> str:
        """Repository (git) or branch (Bazaar) unique name, as in its API link."""
        if self.is_git:
            return f"~{self.owner}/{self.project}/+git/{self.repository}"
        return f"~{self.owner}/{self.project}/{self.path}"

    @property
    def display(self) -> str:
        """The event_properties form: "<repo unique name>:<branch>" or the branch."""
        if self.is_git:
            return f"{self.unique_name}:{self.path.removeprefix('refs/heads/')}"
        return self.unique_name


@dataclass(slots=True)
class ReviewRequest:
    """A CodeReviewVoteReference: someone asked (or who chose) to review."""

    reviewer: str
    registrant: str
    date_created: datetime
    review_type: str | None
    comment_index: int | None = None  # the all_comments index of the vote; None: pending


@dataclass(slots=True)
class ReviewComment:
    author: str
    date_created: datetime
    title: str
    content: str
    vote: str | None = None
    vote_tag: str | None = None


@dataclass(slots=True)
class MergeProposal:
    id: int
    registrant: str
    source: CodeRef
    target: CodeRef
    queue_status: str
    date_created: datetime
    description: str | None
    commit_message: str | None = None
    date_review_requested: datetime | None = None
    date_reviewed: datetime | None = None
    reviewer: str | None = None
    date_merged: datetime | None = None
    merge_reporter: str | None = None
    superseded_by: int | None = None
    supersedes: int | None = None
    reviews: list[ReviewRequest] = field(default_factory=list)
    comments: list[ReviewComment] = field(default_factory=list)

    @property
    def path(self) -> str:
        """API path below the version root; the number after +merge/ is the id."""
        return f"{self.source.unique_name}/+merge/{self.id}"

    def finalize(self) -> None:
        order = sorted(range(len(self.comments)), key=lambda i: self.comments[i].date_created)
        new_index = {old: new for new, old in enumerate(order)}
        self.comments = [self.comments[i] for i in order]
        for review in self.reviews:
            if review.comment_index is not None:
                review.comment_index = new_index[review.comment_index]


@dataclass(slots=True)
class QuestionMessage:
    owner: str
    date_created: datetime
    action: str
    new_status: str
    subject: str
    content: str


@dataclass(slots=True)
class Question:
    id: int
    owner: str
    title: str
    description: str
    target: str  # project name
    date_created: datetime
    status: str
    messages: list[QuestionMessage] = field(default_factory=list)
    subscribers: list[str] = field(default_factory=list)
    assignee: str | None = None
    answerer: str | None = None
    answer_index: int | None = None
    date_solved: datetime | None = None
    language: str = "en"

    @property
    def date_last_query(self) -> datetime:
        times = [m.date_created for m in self.messages if m.owner == self.owner]
        return max([self.date_created, *times])

    @property
    def date_last_response(self) -> datetime | None:
        times = [m.date_created for m in self.messages if m.owner != self.owner]
        return max(times) if times else None
