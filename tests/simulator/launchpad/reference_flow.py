"""A minimal extraction through launchpadlib, written from simulator/launchpad/README.md.

It exists to prove the simulator's promise: the documented calls find every event
the ground truth counts, and the served fields give the documented properties.
It is deliberately plain (no retries, no concurrency); the product's flows live in
sources/launchpad/.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from simulator.launchpad.vocab import (
    BUG_TASK_STATUSES,
    MERGE_PROPOSAL_STATUSES,
    QUESTION_STATUSES,
    REDACTED,
)

ACTIVITY_RELATIONS = (
    ("status", "status_changed"),
    ("assignee", "assignee_changed"),
    ("importance", "importance_changed"),
)
QUESTION_RELATIONS = {
    "Answer": "answered",
    "Comment": "commented",
    "Confirm": "confirmed",
    "Request for more information": "info_requested",
    "Give more information": "info_given",
    "Reject": "rejected",
    "Reopen": "reopened",
    "Change status": "status_changed",
}


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def unique_name(link: str) -> str:
    return "~" + link.split("/~", 1)[1]


class ReferenceFlow:
    def __init__(self, lp, member: str, start: datetime, end: datetime, modified_since_margin=1):
        self.lp, self.start, self.end = lp, start, end
        self.margin = timedelta(seconds=modified_since_margin)
        self.actors: dict[str, Any] = {}
        self.zones: dict[str, str] = {}
        entity = lp.people[member]
        people = [p for p in entity.participants if not p.is_team] if entity.is_team else [entity]
        for person in people:
            self.actors[person.name] = person
            zone = person.time_zone
            self.zones[person.name] = "UTC" if zone in (None, REDACTED) else zone

    def _event(self, kind, item_id, suffix, relation, actor_link, when, props, rel, metrics):
        if actor_link is None or when is None:
            return None
        actor = actor_link.rsplit("/~", 1)[1]
        if actor not in self.actors or not self.start <= utc(when) < self.end:
            return None
        return {
            "source_kind_id": "launchpad",
            "event_type": {"bug": "bugs", "mp": "merge_proposals"}.get(kind, "questions"),
            "parent_item_id": f"{kind}:{item_id}",
            "event_id": f"launchpad-{kind}-{item_id}-{suffix}",
            "relation_type": relation,
            "employee_id": actor,
            "event_time_utc": utc(when).isoformat(),
            "timezone": self.zones[actor],
            "event_properties": props,
            "relation_properties": rel,
            "metrics": metrics,
        }

    @staticmethod
    def _sorted(events) -> list[dict]:
        found = [e for e in events if e is not None]
        return sorted(found, key=lambda e: (e["event_time_utc"], e["event_id"]))

    def bugs(self) -> list[dict]:
        bugs: dict[str, Any] = {}
        for person in self.actors.values():
            tasks = person.searchTasks(
                status=list(BUG_TASK_STATUSES),
                omit_duplicates=False,
                modified_since=self.start - self.margin,
            )
            for task in tasks:
                bugs.setdefault(task.bug_link, None)
        events = []
        for link in bugs:
            bug = self.lp.load(link)
            first = bug.bug_tasks[0]
            props = {
                "title": bug.title,
                "tags": list(bug.tags),
                "importance": first.importance,
                "status": first.status,
                "information_type": bug.information_type,
                "web_link": bug.web_link,
            }
            metrics = {
                "heat": bug.heat,
                "message_count": bug.message_count,
                "users_affected_count": bug.users_affected_count,
            }
            args = ("bug", bug.id)
            events.append(
                self._event(
                    *args,
                    "created",
                    "created",
                    bug.owner_link,
                    bug.date_created,
                    props,
                    {},
                    metrics,
                )
            )
            for i, message in enumerate(bug.messages):
                if i == 0:
                    continue
                rel = {"subject": message.subject, "content": message.content}
                events.append(
                    self._event(
                        *args,
                        f"message-{i}",
                        "commented",
                        message.owner_link,
                        message.date_created,
                        props,
                        rel,
                        metrics,
                    )
                )
            for i, row in enumerate(bug.activity):
                if row.whatchanged == "bug" and row.message == "added bug":
                    continue
                relation = "tags_changed" if row.whatchanged == "tags" else "changed"
                for suffix, name in ACTIVITY_RELATIONS:
                    if row.whatchanged.endswith(suffix):
                        relation = name
                rel = {
                    k: getattr(row, k) for k in ("whatchanged", "oldvalue", "newvalue", "message")
                }
                events.append(
                    self._event(
                        *args,
                        f"activity-{i}",
                        relation,
                        row.person_link,
                        row.datechanged,
                        props,
                        rel,
                        metrics,
                    )
                )
        return self._sorted(events)

    def merge_proposals(self, statuses=MERGE_PROPOSAL_STATUSES) -> list[dict]:
        proposals: dict[str, Any] = {}
        for person in self.actors.values():
            for op in (person.getMergeProposals, person.getRequestedReviews):
                for mp in op(status=list(statuses)):
                    proposals.setdefault(mp.self_link, mp)
        events = []
        for link, mp in proposals.items():
            mp_id = int(link.rsplit("/+merge/", 1)[1])

            props = {
                "queue_status": mp.queue_status,
                "source": self._side(mp, "source"),
                "target": self._side(mp, "target"),
                "web_link": mp.web_link,
                "description": mp.description,
            }
            args = ("mp", mp_id)
            events += [
                self._event(
                    *args,
                    "proposed",
                    "proposed",
                    mp.registrant_link,
                    mp.date_created,
                    props,
                    {},
                    {},
                ),
                self._event(
                    *args,
                    "review_requested",
                    "review_requested",
                    mp.registrant_link,
                    mp.date_review_requested,
                    props,
                    {},
                    {},
                ),
                self._event(
                    *args,
                    "reviewed",
                    "reviewed",
                    mp.reviewer_link,
                    mp.date_reviewed,
                    props,
                    {"queue_status": mp.queue_status},
                    {},
                ),
                self._event(
                    *args, "merged", "merged", mp.merge_reporter_link, mp.date_merged, props, {}, {}
                ),
            ]
            for i, comment in enumerate(mp.all_comments):
                rel = {"subject": comment.title, "content": comment.content}
                relation = "commented"
                if comment.vote is not None:
                    relation = "voted"
                    rel = {"vote": comment.vote, "review_type": comment.vote_tag, **rel}
                events.append(
                    self._event(
                        *args,
                        f"comment-{i}",
                        relation,
                        comment.author_link,
                        comment.date_created,
                        props,
                        rel,
                        {},
                    )
                )
        return self._sorted(events)

    @staticmethod
    def _side(mp, prefix: str) -> str:
        repository = getattr(mp, f"{prefix}_git_repository_link")
        if repository is not None:
            path = getattr(mp, f"{prefix}_git_path").removeprefix("refs/heads/")
            return f"{unique_name(repository)}:{path}"
        return unique_name(getattr(mp, f"{prefix}_branch_link"))

    def questions(self) -> list[dict]:
        questions: dict[str, Any] = {}
        for person in self.actors.values():
            for question in person.searchQuestions(status=list(QUESTION_STATUSES)):
                questions.setdefault(question.self_link, question)
        events = []
        for question in questions.values():
            props = {
                "title": question.title,
                "status": question.status,
                "web_link": question.web_link,
                "target": question.target_link.rstrip("/").rsplit("/", 1)[1],
            }
            args = ("question", question.id)
            events.append(
                self._event(
                    *args,
                    "asked",
                    "asked",
                    question.owner_link,
                    question.date_created,
                    props,
                    {},
                    {},
                )
            )
            for i, message in enumerate(question.messages):
                relation = QUESTION_RELATIONS.get(message.action)
                if relation is None:
                    continue
                rel = {
                    k: getattr(message, k) for k in ("action", "new_status", "subject", "content")
                }
                events.append(
                    self._event(
                        *args,
                        f"message-{i}",
                        relation,
                        message.owner_link,
                        message.date_created,
                        props,
                        rel,
                        {},
                    )
                )
        return self._sorted(events)
