"""Bugs: tasks, messages and activity, built the way Launchpad records them.

Each change goes through a `BugEditor` method that updates the bug's state and
writes the matching activity row, so the history always explains the current
state. Whoever comments or changes a bug is subscribed to it, and every activity
row also makes its author a "bug commenter" for searchTasks, as on Launchpad.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from simulator.launchpad.generation.context import FIRST_BUG_ID, GenContext
from simulator.launchpad.model import Bug, BugActivity, BugMessage, BugTask
from simulator.launchpad.vocab import BUG_IMPORTANCES, PUBLIC_INFORMATION_TYPES

_STATUS_FLOW = {
    "New": ("Confirmed", "Incomplete", "Invalid", "Triaged"),
    "Incomplete": ("Confirmed", "New", "Expired", "Invalid"),
    "Confirmed": ("Triaged", "In Progress", "Won't Fix", "Opinion"),
    "Triaged": ("In Progress", "Won't Fix", "Fix Committed"),
    "In Progress": ("Fix Committed", "Fix Released", "Triaged"),
    "Fix Committed": ("Fix Released", "In Progress"),
    "Fix Released": ("Confirmed", "New"),
    "Invalid": ("New", "Confirmed"),
    "Won't Fix": ("Triaged", "Confirmed"),
    "Expired": ("New", "Confirmed"),
    "Opinion": ("Confirmed", "Won't Fix"),
}


def label(ctx: GenContext, name: str | None) -> str | None:
    """How activity rows name a person: "Display Name (name)"."""
    return None if name is None else f"{ctx.people[name].display_name} ({name})"


def new_bug(
    ctx: GenContext,
    owner: str,
    created: datetime,
    project: str | None = None,
    title: str | None = None,
) -> Bug:
    """A bug as filed: one task, the description, the "added bug" activity row."""
    title = title or ctx.title()
    project = project or ctx.project()
    bug = Bug(
        id=ctx.new_bug_id(),
        title=title,
        owner=owner,
        date_created=created,
        tags=ctx.tags(),
        heat=ctx.rng.randint(0, 500),
        users_affected_count=ctx.rng.randint(1, 40),
        information_type=ctx.rng.choices(PUBLIC_INFORMATION_TYPES, weights=(9, 1))[0],
        tasks=[BugTask(project, "New", "Undecided", owner, created)],
        messages=[BugMessage(owner, created, title, ctx.paragraph())],
        activity=[BugActivity(created, owner, "bug", None, None, "added bug")],
        subscribers=[owner],
    )
    ctx.bugs[bug.id] = bug
    return bug


@dataclass
class BugEditor:
    """Changes to one bug, each recorded as Launchpad records it."""

    ctx: GenContext
    bug: Bug

    def _record(self, when, who, what, old=None, new=None, message=None) -> None:
        self.bug.activity.append(BugActivity(when, who, what, old, new, message))
        self.bug.subscribers.append(who)

    def comment(self, when: datetime, who: str, content: str | None = None) -> None:
        subject = f"Re: {self.bug.title}"
        self.bug.messages.append(BugMessage(who, when, subject, content or self.ctx.paragraph()))
        self.bug.subscribers.append(who)

    def set_status(self, when, who, status: str, task: int = 0, plain: bool = False) -> None:
        # Old rows say just "status"; newer ones name the task's target.
        bug_task = self.bug.tasks[task]
        what = "status" if plain else f"{bug_task.target}: status"
        self._record(when, who, what, bug_task.status, status)
        bug_task.status = status

    def set_importance(self, when, who, importance: str, task: int = 0) -> None:
        bug_task = self.bug.tasks[task]
        self._record(when, who, f"{bug_task.target}: importance", bug_task.importance, importance)
        bug_task.importance = importance

    def set_assignee(self, when, who, assignee: str | None, task: int = 0) -> None:
        bug_task = self.bug.tasks[task]
        old, new = label(self.ctx, bug_task.assignee), label(self.ctx, assignee)
        self._record(when, who, f"{bug_task.target}: assignee", old, new)
        bug_task.assignee = assignee

    def set_tags(self, when, who, tags: list[str]) -> None:
        self._record(when, who, "tags", " ".join(self.bug.tags), " ".join(tags))
        self.bug.tags = sorted(tags)

    def retitle(self, when, who, title: str) -> None:
        self._record(when, who, "summary", self.bug.title, title)
        self.bug.title = title

    def add_task(self, when, who, project: str) -> None:
        self.bug.tasks.append(BugTask(project, "New", "Undecided", who, when))
        self._record(when, who, "bug task added", None, project)

    def mark_duplicate(self, when, who, of: int) -> None:
        self._record(when, who, "marked as duplicate", None, str(of))
        self.bug.duplicate_of = of

    def subscribe(self, when, who, subscriber: str) -> None:
        # Recorded with whatchanged "bug" like the creation row, but it is a change.
        name = self.ctx.people[subscriber].display_name
        self._record(when, who, "bug", None, None, f"added subscriber {name}")
        self.bug.subscribers.append(subscriber)

    def other_change(self, when, who) -> None:
        rng = self.ctx.rng
        choice = rng.randrange(4)
        if choice == 0:
            self._record(when, who, "description", self.bug.description, self.ctx.paragraph())
        elif choice == 1:
            new_type = "Public Security" if self.bug.information_type == "Public" else "Public"
            self._record(when, who, "information type", self.bug.information_type, new_type)
            self.bug.information_type = new_type
        elif choice == 2:
            self._record(when, who, "attachment added", None, f"log-{rng.randint(1, 99)}.txt")
        else:
            target = self.bug.tasks[0].target
            self._record(when, who, f"{target}: milestone", None, f"{rng.randint(1, 9)}.0")

    def next_status(self, task: int = 0) -> str:
        return self.ctx.rng.choice(_STATUS_FLOW.get(self.bug.tasks[task].status, ("Confirmed",)))


def random_bug(ctx: GenContext) -> Bug:
    """A bug with a random history around the configured activity level."""
    rng = ctx.rng
    owner = ctx.person()
    created = ctx.moment(ctx.data_start, ctx.data_end)
    bug = new_bug(ctx, owner, created)
    editor = BugEditor(ctx, bug)
    crowd = [owner, *ctx.others(owner, rng.randint(1, 4))]
    for when in ctx.later_moments(created, ctx.event_count()):
        who = rng.choice(crowd)
        roll = rng.random()
        if roll < 0.40:
            editor.comment(when, who)
        elif roll < 0.60:
            editor.set_status(when, who, editor.next_status(), plain=rng.random() < 0.1)
        elif roll < 0.68:
            editor.set_importance(when, who, rng.choice(BUG_IMPORTANCES[:5]))
        elif roll < 0.76:
            editor.set_assignee(when, who, rng.choice([*crowd, None]))
        elif roll < 0.82:
            editor.set_tags(when, who, ctx.tags())
        elif roll < 0.85 and len(bug.tasks) == 1 and len(ctx.projects) > 1:
            others = [p for p in ctx.projects if p != bug.tasks[0].target]
            editor.add_task(when, who, rng.choice(others))
        elif roll < 0.87 and bug.duplicate_of is None and bug.id > FIRST_BUG_ID:
            editor.mark_duplicate(when, who, rng.randrange(FIRST_BUG_ID, bug.id))
        elif roll < 0.90:
            editor.subscribe(when, who, rng.choice(crowd))
        elif roll < 0.92:
            editor.retitle(when, who, ctx.title())
        else:
            editor.other_change(when, who)
    return bug
