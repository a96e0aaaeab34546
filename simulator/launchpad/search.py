"""What the person/team named operations return, with Launchpad's semantics.

searchTasks on a person (Launchpad's get_person_bugtasks_search_params): one
search per relation in (assignee, bug_subscriber, owner, bug_commenter,
structural_subscriber) whose parameter is unset or is the person itself; each sets
that relation to the person (owner also sets bug_reporter) on top of the other
filters; the result is their union, one entry per matching bug task. So a call
without person filters finds every task the person is related to. Launchpad's
bug_commenter matches bug messages other than the description and any activity row
other than the "bug"/"added bug" one. modified_since compares the bug's
date_last_updated strictly (>), created_since/created_before the task's creation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from simulator.launchpad.dataset import Dataset
from simulator.launchpad.model import Bug, CodeRef, MergeProposal, Question
from simulator.launchpad.params import BadRequest, OperationParams
from simulator.launchpad.vocab import (
    BUG_IMPORTANCES,
    BUG_TASK_STATUSES,
    DEFAULT_MERGE_PROPOSAL_STATUSES,
    DEFAULT_QUESTION_SEARCH_STATUSES,
    DEFAULT_REQUESTED_REVIEW_STATUSES,
    DEFAULT_SEARCH_BUG_TASK_STATUSES,
    INCOMPLETE_SEARCH_ALIASES,
    INFORMATION_TYPES,
    MERGE_PROPOSAL_STATUSES,
    QUESTION_PARTICIPATIONS,
    QUESTION_SORTS,
    QUESTION_STATUSES,
)

PERSON_RELATIONS = ("assignee", "bug_subscriber", "owner", "bug_commenter", "structural_subscriber")
_ORDERINGS = {
    "-importance": lambda hit: (BUG_IMPORTANCES.index(hit[0].tasks[hit[1]].importance), hit[0].id),
    "importance": lambda hit: (-BUG_IMPORTANCES.index(hit[0].tasks[hit[1]].importance), hit[0].id),
    "id": lambda hit: (hit[0].id, hit[1]),
    "-id": lambda hit: (-hit[0].id, hit[1]),
    "datecreated": lambda hit: (hit[0].tasks[hit[1]].date_created, hit[0].id),
    "-datecreated": lambda hit: (-hit[0].tasks[hit[1]].date_created.timestamp(), hit[0].id),
    "date_last_updated": lambda hit: (hit[0].date_last_updated, hit[0].id),
    "-date_last_updated": lambda hit: (-hit[0].date_last_updated.timestamp(), hit[0].id),
}

BugTaskHit = tuple[Bug, int]  # a bug and the index of one of its tasks


class DatasetIndex:
    """Who relates to what, computed once per dataset so searches stay fast."""

    def __init__(self, dataset: Dataset):
        self.ds = dataset
        self.bugs_by_person: dict[str, dict[int, None]] = defaultdict(dict)
        self.commented: dict[str, set[int]] = defaultdict(set)
        self.duplicates: dict[int, list[int]] = defaultdict(list)
        self.code_refs: dict[str, CodeRef] = {}
        for mp in dataset.merge_proposals.values():
            self.code_refs.setdefault(mp.source.unique_name, mp.source)
            self.code_refs.setdefault(mp.target.unique_name, mp.target)
        for bug in dataset.bugs.values():
            commenters = [m.owner for m in bug.messages[1:]]
            commenters += [
                row.person
                for row in bug.activity
                if not (row.whatchanged == "bug" and row.message == "added bug")
            ]
            for person in commenters:
                self.commented[person].add(bug.id)
            people = [bug.owner, *bug.subscribers, *commenters, *(t.owner for t in bug.tasks)]
            people += [t.assignee for t in bug.tasks if t.assignee]
            for task in bug.tasks:
                people += self.ds.projects[task.target].structural_subscribers
            for person in people:
                self.bugs_by_person[person][bug.id] = None
            if bug.duplicate_of is not None:
                self.duplicates[bug.duplicate_of].append(bug.id)


@dataclass
class TaskFilter:
    """One of the searches searchTasks unions: every set field must match."""

    statuses: frozenset[str]
    importances: frozenset[str] | None
    information_types: frozenset[str] | None
    tags: list[str] | None
    all_tags: bool
    search_text: str | None
    omit_duplicates: bool
    modified_since: Any
    created_since: Any
    created_before: Any
    people: dict[str, str]  # relation -> person name

    def matches(self, bug: Bug, task_index: int, index: DatasetIndex) -> bool:
        task = bug.tasks[task_index]
        if task.status not in self.statuses:
            return False
        if self.importances is not None and task.importance not in self.importances:
            return False
        if (
            self.information_types is not None
            and bug.information_type not in self.information_types
        ):
            return False
        if self.omit_duplicates and bug.duplicate_of is not None:
            return False
        if self.modified_since is not None and not bug.date_last_updated > self.modified_since:
            return False
        if self.created_since is not None and not task.date_created > self.created_since:
            return False
        if self.created_before is not None and not task.date_created < self.created_before:
            return False
        if self.tags:
            found = [tag in bug.tags for tag in self.tags]
            if not (all(found) if self.all_tags else any(found)):
                return False
        if self.search_text:
            haystack = f"{bug.title}\n{bug.description}".lower()
            if self.search_text.lower() not in haystack:
                return False
        return all(_related(bug, task_index, rel, who, index) for rel, who in self.people.items())


def _related(bug: Bug, task_index: int, relation: str, person: str, index: DatasetIndex) -> bool:
    task = bug.tasks[task_index]
    if relation == "assignee":
        return task.assignee == person
    if relation == "owner":
        return task.owner == person
    if relation == "bug_reporter":
        return bug.owner == person
    if relation == "bug_subscriber":
        return person in bug.subscribers
    if relation == "bug_commenter":
        return bug.id in index.commented.get(person, ())
    if relation == "structural_subscriber":
        return person in index.ds.projects[task.target].structural_subscribers
    raise AssertionError(relation)


def search_tasks(index: DatasetIndex, context: str, params: OperationParams) -> list[BugTaskHit]:
    statuses = params.choices("status", BUG_TASK_STATUSES + INCOMPLETE_SEARCH_ALIASES)
    statuses = [("Incomplete" if s in INCOMPLETE_SEARCH_ALIASES else s) for s in statuses or ()]
    importances = params.choices("importance", BUG_IMPORTANCES)
    information_types = params.choices("information_type", INFORMATION_TYPES)
    tags = params.strings("tags")
    order = params.text("order_by") or "-importance"
    if order not in _ORDERINGS:
        raise BadRequest(f"Unrecognized order_by: {order!r}")
    given = {rel: params.person(rel) for rel in (*PERSON_RELATIONS, "bug_reporter")}
    base = dict(
        statuses=frozenset(statuses or DEFAULT_SEARCH_BUG_TASK_STATUSES),
        importances=frozenset(importances) if importances else None,
        information_types=frozenset(information_types) if information_types else None,
        tags=tags,
        all_tags=params.choice("tags_combinator", ("Any", "All")) == "All",
        search_text=params.text("search_text"),
        omit_duplicates=params.flag("omit_duplicates", True),
        modified_since=params.instant("modified_since"),
        created_since=params.instant("created_since"),
        created_before=params.instant("created_before"),
    )
    filters = []
    for relation in PERSON_RELATIONS:
        if given[relation] not in (None, context):
            continue
        people = {rel: who for rel, who in given.items() if who is not None}
        people[relation] = context
        if relation == "owner":
            people["bug_reporter"] = context
        filters.append(TaskFilter(**base, people=people))
    if not filters:
        raise BadRequest(
            f"Cannot search for related tasks to '{context}', at least one of these "
            f"parameter has to be empty: {', '.join(PERSON_RELATIONS)}"
        )
    candidates = index.bugs_by_person.get(context, {})
    hits = [
        (bug, task_index)
        for bug in (index.ds.bugs[bug_id] for bug_id in candidates)
        for task_index in range(len(bug.tasks))
        if any(f.matches(bug, task_index, index) for f in filters)
    ]
    return sorted(hits, key=_ORDERINGS[order])


def merge_proposals_of(ds: Dataset, context: str, params: OperationParams) -> list[MergeProposal]:
    """getMergeProposals: proposals whose source repository or branch `context` owns."""
    statuses = params.choices("status", MERGE_PROPOSAL_STATUSES) or DEFAULT_MERGE_PROPOSAL_STATUSES
    found = [
        mp
        for mp in ds.merge_proposals.values()
        if mp.source.owner == context and mp.queue_status in statuses
    ]
    return sorted(found, key=lambda mp: (-mp.date_created.timestamp(), -mp.id))


def requested_reviews_of(
    ds: Dataset, context: str, params: OperationParams, bzr_only: bool = False
) -> list[MergeProposal]:
    """getRequestedReviews: proposals with a review request (vote reference) for `context`.

    Launchpad itself only looks at Bazaar proposals here; `bzr_only` reproduces that.
    """
    statuses = params.choices("status", MERGE_PROPOSAL_STATUSES)
    statuses = statuses or DEFAULT_REQUESTED_REVIEW_STATUSES
    found = [
        mp
        for mp in ds.merge_proposals.values()
        if mp.queue_status in statuses
        and any(r.reviewer == context for r in mp.reviews)
        and not (bzr_only and mp.source.is_git)
    ]
    return sorted(found, key=lambda mp: (-mp.date_created.timestamp(), -mp.id))


def _participates(question: Question, person: str, participation: str) -> bool:
    if participation == "Owner":
        return question.owner == person
    if participation == "Subscriber":
        return person in question.subscribers
    if participation == "Assignee":
        return question.assignee == person
    if participation == "Answerer":
        return question.answerer == person
    return any(m.owner == person for m in question.messages)  # Commenter


def search_questions(ds: Dataset, context: str, params: OperationParams) -> list[Question]:
    """searchQuestions on a person (devel). language and needs_attention are ignored."""
    statuses = params.choices("status", QUESTION_STATUSES) or DEFAULT_QUESTION_SEARCH_STATUSES
    participation = params.choice("participation", QUESTION_PARTICIPATIONS)
    kinds = [participation] if participation else list(QUESTION_PARTICIPATIONS)
    text = (params.text("search_text") or "").lower()
    sort = params.choice("sort", QUESTION_SORTS) or "newest first"
    found = [
        q
        for q in ds.questions.values()
        if q.status in statuses
        and any(_participates(q, context, kind) for kind in kinds)
        and (not text or text in f"{q.title}\n{q.description}".lower())
    ]
    if sort == "oldest first":
        return sorted(found, key=lambda q: (q.date_created, q.id))
    if sort == "by status":
        return sorted(found, key=lambda q: (QUESTION_STATUSES.index(q.status), -q.id))
    if sort == "recently updated first":
        return sorted(found, key=lambda q: (-q.date_last_query.timestamp(), -q.id))
    return sorted(found, key=lambda q: (-q.date_created.timestamp(), -q.id))
