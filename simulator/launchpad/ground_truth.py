"""The events a correct flow must emit, computed from the dataset itself (no HTTP).

Per docs/launchpad-events.md: an event is emitted when its actor is the
member (or one of the team's people, direct or indirect) and its own time t is in
the half-open window, start <= t < end, whatever the age of its item. Every event
of those actors on any item of the dataset counts; the simulator's search
operations are built so that the calls in simulator/launchpad/README.md find every such item.

Every event is a dict with exactly these keys:

    source_kind_id       "launchpad"
    event_type           "bugs" | "merge_proposals" | "questions"
    parent_item_id       "bug:<id>" | "mp:<id>" | "question:<id>"
    event_id             see below
    relation_type        see below
    employee_id          the actor's Launchpad name
    event_time_utc       the event time as datetime.isoformat() of an aware UTC
                         datetime: "2024-01-01T00:00:00+00:00", or with
                         ".123456" when it has microseconds
    timezone             the actor's time_zone; "UTC" when it is null or is
                         "tag:launchpad.net:2008:redacted"
    event_properties     dict, below
    relation_properties  dict, below
    metrics              dict, below

The contract's event_time and week are not included: they follow from
event_time_utc and timezone (models.event.Event derives them).

Bugs (event_type "bugs")
    event_properties = {"title": bug.title, "tags": bug.tags (list, as served),
        "importance": T.importance, "status": T.status,
        "information_type": bug.information_type, "web_link": bug.web_link}
        where T is the first entry of bug.bug_tasks
    metrics = {"heat": bug.heat, "message_count": bug.message_count,
        "users_affected_count": bug.users_affected_count}
    created         launchpad-bug-{id}-created; actor bug.owner, time
                    bug.date_created; relation_properties {}
    commented       launchpad-bug-{id}-message-{i}, i = index in bug.messages,
                    i >= 1 (0 is the description); actor message.owner, time
                    message.date_created; relation_properties
                    {"subject": message.subject, "content": message.content}
    *_changed       launchpad-bug-{id}-activity-{i}, i = index in bug.activity;
                    actor activity.person, time activity.datechanged;
                    relation_properties {"whatchanged", "oldvalue", "newvalue",
                    "message"} as served (None when null). relation_type:
                    whatchanged ends with "status" -> status_changed, "assignee"
                    -> assignee_changed, "importance" -> importance_changed,
                    == "tags" -> tags_changed, else changed; the row with
                    whatchanged "bug" and message "added bug" is skipped.

Merge proposals (event_type "merge_proposals")
    event_properties = {"queue_status": mp.queue_status, "source": S, "target": T,
        "web_link": mp.web_link, "description": mp.description (None when null)}
        S and T name each side: git -> "<repository unique name>:<branch>", e.g.
        "~ada-archer/widget/+git/widget:fix-12" (the branch is the git path without
        "refs/heads/"); Bazaar -> the branch unique name, "~ada-archer/widget/fix-12".
        A unique name is "~" + the part of the repository/branch link after "/~".
    metrics = {}
    proposed          launchpad-mp-{id}-proposed; registrant, date_created; {}
    review_requested  launchpad-mp-{id}-review_requested; registrant,
                      date_review_requested when not null; {}
    reviewed          launchpad-mp-{id}-reviewed; reviewer, date_reviewed when
                      both set; {"queue_status": mp.queue_status}
    merged            launchpad-mp-{id}-merged; merge_reporter, date_merged when
                      both set; {}
    voted             launchpad-mp-{id}-comment-{i}, i = index in mp.all_comments;
                      comment author, comment date_created, when comment.vote is
                      not null; {"vote": c.vote, "review_type": c.vote_tag,
                      "subject": c.title, "content": c.content}
    commented         same id scheme, comments without a vote;
                      {"subject": c.title, "content": c.content}

Questions (event_type "questions")
    event_properties = {"title": q.title, "status": q.status,
        "web_link": q.web_link, "target": the last path segment of q.target_link
        (the project name)}
    metrics = {}
    asked     launchpad-question-{id}-asked; owner, date_created; {}
    <action>  launchpad-question-{id}-message-{i}, i = index in q.messages (the
              first reply is 0; the description is not a message); actor
              message.owner, time message.date_created; relation_properties
              {"action", "new_status", "subject", "content"}. relation_type by
              action: Answer answered, Comment commented, Confirm confirmed,
              Request for more information info_requested, Give more information
              info_given, Reject rejected, Reopen reopened, Change status
              status_changed; Expire messages are skipped.

Results are sorted by (event_time_utc, event_id).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from simulator.launchpad import links
from simulator.launchpad.dataset import Dataset
from simulator.launchpad.model import Bug, MergeProposal, Question
from simulator.launchpad.vocab import (
    ACTION_ANSWER,
    ACTION_COMMENT,
    ACTION_CONFIRM,
    ACTION_GIVE_INFO,
    ACTION_REJECT,
    ACTION_REOPEN,
    ACTION_REQUEST_INFO,
    ACTION_SET_STATUS,
)
from simulator.timeutil import iso, parse_instant

EVENT_TYPES = ("bugs", "merge_proposals", "questions")
QUESTION_RELATIONS = {
    ACTION_ANSWER: "answered",
    ACTION_COMMENT: "commented",
    ACTION_CONFIRM: "confirmed",
    ACTION_REQUEST_INFO: "info_requested",
    ACTION_GIVE_INFO: "info_given",
    ACTION_REJECT: "rejected",
    ACTION_REOPEN: "reopened",
    ACTION_SET_STATUS: "status_changed",
}

# (relation_type, event_id suffix, actor, time, relation_properties)
Fact = tuple[str, str, str | None, datetime | None, dict[str, Any]]


def ground_truth(
    dataset: Dataset,
    member: str,
    start: str | date | datetime,
    end: str | date | datetime,
    event_type: str,
) -> list[dict[str, Any]]:
    """The events of `member` (a person or team name) in [start, end) of one type."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"event_type must be one of {', '.join(EVENT_TYPES)}")
    actors = set(dataset.actors(member))
    low, high = parse_instant(start), parse_instant(end)
    events = []
    for kind, item_id, facts, properties, metrics in _items(dataset, event_type):
        for relation, suffix, actor, when, relation_properties in facts:
            if actor not in actors or when is None or not low <= when < high:
                continue
            events.append(
                {
                    "source_kind_id": "launchpad",
                    "event_type": event_type,
                    "parent_item_id": f"{kind}:{item_id}",
                    "event_id": f"launchpad-{kind}-{item_id}-{suffix}",
                    "relation_type": relation,
                    "employee_id": actor,
                    "event_time_utc": iso(when),
                    "timezone": dataset.people[actor].event_time_zone,
                    "event_properties": properties(),
                    "relation_properties": relation_properties,
                    "metrics": metrics(),
                }
            )
    events.sort(key=lambda e: (e["event_time_utc"], e["event_id"]))
    return events


def _items(dataset: Dataset, event_type: str) -> Iterator[tuple]:
    # Properties are built lazily: most items have no event of the queried actors.
    if event_type == "bugs":
        for bug in dataset.bugs.values():
            yield (
                "bug",
                bug.id,
                _bug_facts(bug),
                lambda b=bug: bug_properties(b),
                lambda b=bug: {
                    "heat": b.heat,
                    "message_count": b.message_count,
                    "users_affected_count": b.users_affected_count,
                },
            )
    elif event_type == "merge_proposals":
        for mp in dataset.merge_proposals.values():
            yield "mp", mp.id, _mp_facts(mp), lambda m=mp: mp_properties(m), dict
    else:
        for question in dataset.questions.values():
            facts = _question_facts(question)
            yield "question", question.id, facts, lambda q=question: question_properties(q), dict


def bug_properties(bug: Bug) -> dict[str, Any]:
    first = bug.tasks[0]
    return {
        "title": bug.title,
        "tags": list(bug.tags),
        "importance": first.importance,
        "status": first.status,
        "information_type": bug.information_type,
        "web_link": links.bug_web_link(bug),
    }


def bug_activity_relation(whatchanged: str) -> str:
    if whatchanged.endswith("status"):
        return "status_changed"
    if whatchanged.endswith("assignee"):
        return "assignee_changed"
    if whatchanged.endswith("importance"):
        return "importance_changed"
    if whatchanged == "tags":
        return "tags_changed"
    return "changed"


def _bug_facts(bug: Bug) -> list[Fact]:
    facts: list[Fact] = [("created", "created", bug.owner, bug.date_created, {})]
    for index, message in enumerate(bug.messages[1:], start=1):
        content = {"subject": message.subject, "content": message.content}
        facts.append(
            ("commented", f"message-{index}", message.owner, message.date_created, content)
        )
    for index, row in enumerate(bug.activity):
        if row.whatchanged == "bug" and row.message == "added bug":
            continue
        relation_properties = {
            "whatchanged": row.whatchanged,
            "oldvalue": row.oldvalue,
            "newvalue": row.newvalue,
            "message": row.message,
        }
        relation = bug_activity_relation(row.whatchanged)
        facts.append(
            (relation, f"activity-{index}", row.person, row.datechanged, relation_properties)
        )
    return facts


def mp_properties(mp: MergeProposal) -> dict[str, Any]:
    return {
        "queue_status": mp.queue_status,
        "source": mp.source.display,
        "target": mp.target.display,
        "web_link": links.mp_web_link(mp),
        "description": mp.description,
    }


def _mp_facts(mp: MergeProposal) -> list[Fact]:
    facts: list[Fact] = [
        ("proposed", "proposed", mp.registrant, mp.date_created, {}),
        ("review_requested", "review_requested", mp.registrant, mp.date_review_requested, {}),
        ("reviewed", "reviewed", mp.reviewer, mp.date_reviewed, {"queue_status": mp.queue_status}),
        ("merged", "merged", mp.merge_reporter, mp.date_merged, {}),
    ]
    for index, comment in enumerate(mp.comments):
        text = {"subject": comment.title, "content": comment.content}
        if comment.vote is not None:
            voted = {"vote": comment.vote, "review_type": comment.vote_tag, **text}
            facts.append(("voted", f"comment-{index}", comment.author, comment.date_created, voted))
        else:
            facts.append(
                ("commented", f"comment-{index}", comment.author, comment.date_created, text)
            )
    return facts


def question_properties(question: Question) -> dict[str, Any]:
    return {
        "title": question.title,
        "status": question.status,
        "web_link": links.question_web_link(question),
        "target": question.target,
    }


def _question_facts(question: Question) -> list[Fact]:
    facts: list[Fact] = [("asked", "asked", question.owner, question.date_created, {})]
    for index, message in enumerate(question.messages):
        relation = QUESTION_RELATIONS.get(message.action)
        if relation is None:  # Expire: Launchpad's own doing, not the actor's
            continue
        relation_properties = {
            "action": message.action,
            "new_status": message.new_status,
            "subject": message.subject,
            "content": message.content,
        }
        facts.append(
            (relation, f"message-{index}", message.owner, message.date_created, relation_properties)
        )
    return facts
