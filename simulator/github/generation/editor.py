"""Acting on an issue or pull request as GitHub records it: each change appends the
timeline entry GitHub would show and updates the item's current state."""

from __future__ import annotations

from datetime import datetime, timedelta

from simulator.github.generation.context import LABELS, GenContext
from simulator.github.model import Item, ReviewComment, TimelineEntry

_COLORS = {name: f"{(hash_ * 2654435761) % 0xFFFFFF:06x}" for hash_, name in enumerate(LABELS)}


class ItemEditor:
    def __init__(self, ctx: GenContext, item: Item):
        self.ctx = ctx
        self.item = item

    def _event(self, name: str, actor: str | None, at: datetime, **details) -> TimelineEntry:
        return self.ctx.event(self.item, name, actor, at, **details)

    # -- issues and pull requests ------------------------------------------------------

    def comment(self, actor: str, at: datetime) -> TimelineEntry:
        return self._event("commented", actor, at, body=f"{self.ctx.title()}.")

    def label(self, actor: str, at: datetime, name: str, add: bool = True) -> TimelineEntry:
        if add and name not in self.item.labels:
            self.item.labels.append(name)
        elif not add and name in self.item.labels:
            self.item.labels.remove(name)
        label = {"name": name, "color": _COLORS.get(name, "ededed")}
        return self._event("labeled" if add else "unlabeled", actor, at, label=label)

    def assign(self, actor: str, at: datetime, assignee: str, add: bool = True) -> TimelineEntry:
        if add and assignee not in self.item.assignees:
            self.item.assignees.append(assignee)
        elif not add and assignee in self.item.assignees:
            self.item.assignees.remove(assignee)
        return self._event("assigned" if add else "unassigned", actor, at, assignee=assignee)

    def close(self, actor: str, at: datetime, commit_id: str | None = None) -> TimelineEntry:
        self.item.state, self.item.closed_at = "closed", at
        reason = "completed" if self.item.kind == "issue" else None
        return self._event("closed", actor, at, commit_id=commit_id, state_reason=reason)

    def reopen(self, actor: str, at: datetime) -> TimelineEntry:
        self.item.state, self.item.closed_at = "open", None
        return self._event("reopened", actor, at, state_reason="reopened")

    def rename(self, actor: str, at: datetime) -> TimelineEntry:
        old, self.item.title = self.item.title, self.ctx.title()
        return self._event("renamed", actor, at, rename={"from": old, "to": self.item.title})

    def milestone(self, actor: str, at: datetime, title: str | None) -> TimelineEntry:
        if title is None:
            old, self.item.milestone = self.item.milestone or "backlog", None
            return self._event("demilestoned", actor, at, milestone={"title": old})
        self.item.milestone = title
        return self._event("milestoned", actor, at, milestone={"title": title})

    def lock(self, actor: str, at: datetime, locked: bool = True) -> TimelineEntry:
        self.item.locked = locked
        if locked:
            return self._event("locked", actor, at, lock_reason="resolved")
        return self._event("unlocked", actor, at)

    def plain(self, name: str, actor: str | None, at: datetime, **details) -> TimelineEntry:
        """An event with no state of its own: pinned, mentioned, subscribed, ..."""
        return self._event(name, actor, at, **details)

    def cross_reference(self, actor: str, at: datetime, source: Item) -> TimelineEntry:
        entry = TimelineEntry("cross-referenced", None, actor, at, {"source": source})
        self.item.timeline.append(entry)
        return entry

    # -- pull requests -------------------------------------------------------------------

    def review(
        self,
        actor: str,
        at: datetime | None,
        state: str,
        comments: int = 0,
        comments_at: datetime | None = None,
    ) -> TimelineEntry:
        """A review (`at` None and state "pending": not submitted), with its line comments
        written just before `at` (or before `comments_at` for a pending review)."""
        commit = self.ctx.sha(self.item.key, "head", len(self.item.timeline))
        entry = self._event("reviewed", actor, at, state=state, body="", commit_id=commit)
        if comments:
            first = at or comments_at or self.item.created_at
            written = [
                ReviewComment(
                    id=self.ctx.new_id("review_comment"),
                    user=actor,
                    created_at=first - timedelta(minutes=comments - n),
                    review_id=entry.id or 0,
                    body=f"{self.ctx.title()}?",
                    path=f"src/{self.ctx.rng.choice(('main', 'util', 'api'))}.py",
                )
                for n in range(comments)
            ]
            line = TimelineEntry("line-commented", None, None, written[0].created_at)
            line.comments = written
            self.item.timeline.append(line)
        return entry

    def dismiss(self, review: TimelineEntry, actor: str, at: datetime) -> TimelineEntry:
        previous = review.details["state"]
        review.details["state"] = "dismissed"
        return self._event(
            "review_dismissed",
            actor,
            at,
            dismissed_review={
                "state": previous,
                "review_id": review.id,
                "dismissal_message": "Outdated",
            },
        )

    def request_review(
        self, actor: str, at: datetime, reviewer: str, add: bool = True
    ) -> TimelineEntry:
        name = "review_requested" if add else "review_request_removed"
        return self._event(name, actor, at, requested_reviewer=reviewer)

    def draft(self, actor: str, at: datetime, draft: bool) -> TimelineEntry:
        self.item.draft = draft
        return self._event("convert_to_draft" if draft else "ready_for_review", actor, at)

    def committed(self, author: str, at: datetime) -> TimelineEntry:
        sha = self.ctx.sha(self.item.key, "commit", len(self.item.timeline))
        entry = TimelineEntry("committed", None, None, at, {"sha": sha, "author_name": author})
        self.item.timeline.append(entry)
        return entry

    def merge(self, actor: str, at: datetime) -> list[TimelineEntry]:
        """As GitHub records a merge: a `merged` and a `closed` event at the same instant."""
        sha = self.ctx.sha(self.item.key, "merge")
        self.item.merged_at, self.item.merged_by = at, actor
        return [self._event("merged", actor, at, commit_id=sha), self.close(actor, at, sha)]
