"""From a path below a version root to the entry or collection it names.

Paths follow Launchpad's: ``~name``, ``~team/participants``, ``bugs/1``,
``bugs/1/messages``, ``widget/+bug/1`` (a task), ``~owner/widget/+git/repo/+merge/7``
or ``~owner/widget/branch/+merge/7`` (a proposal; the number is its id),
``widget/+question/3`` and ``widget/+question/3/messages``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from simulator.launchpad.dataset import Dataset
from simulator.launchpad.model import CodeRef
from simulator.launchpad.representations import Representer
from simulator.launchpad.search import DatasetIndex


class NotFound(Exception):
    """Answered with 404, as Launchpad does for unknown objects."""


@dataclass
class Entry:
    kind: str  # also the request kind in the statistics
    render: Callable[[], dict]
    person: str | None = None  # set for people and teams: the named-operation context


@dataclass
class Collection:
    kind: str
    items: Sequence[Any]
    render: Callable[[Any], dict]
    page_type: str  # resource type of the page, e.g. "message-page-resource"


_EMPTY: tuple = ()


class Resolver:
    def __init__(self, dataset: Dataset, index: DatasetIndex, rep: Representer):
        self.ds, self.index, self.rep = dataset, index, rep

    def resolve(self, segments: list[str]) -> Entry | Collection:
        if not segments:
            raise NotFound("")
        head = segments[0]
        if head == "people" and len(segments) == 1:
            names = sorted([*self.ds.people, *self.ds.teams])
            return Collection("people", names, self.rep.person, "people")
        if head == "bugs":
            return self._bug(segments[1:])
        if head.startswith("~"):
            return self._person(head[1:], segments[1:])
        if head == "+languages" and segments[1:] == ["en"]:
            values = {"code": "en", "english_name": "English", "visible": True}
            return Entry(
                "language", lambda: self.rep.entry("language", "+languages/en", None, values)
            )
        if head in self.ds.projects:
            return self._project(head, segments[1:])
        raise NotFound(head)

    def _sub_collection(self, entry_type: str, name: str, kind: str, items, render) -> Collection:
        """A collection link of `entry_type`; unmodelled ones are empty, unknown ones 404."""
        page_type = self.rep.fields[entry_type].get(f"{name}_collection_link")
        if not page_type:
            raise NotFound(name)
        return Collection(kind, items if items is not None else _EMPTY, render, page_type)

    # -- people and teams -----------------------------------------------------------

    def _person(self, name: str, rest: list[str]) -> Entry | Collection:
        if not self.ds.exists(name):
            raise NotFound(f"~{name}")
        is_team = self.ds.is_team(name)
        entry_type = "team" if is_team else "person"
        if not rest:
            return Entry(entry_type, lambda: self.rep.person(name), person=name)
        if len(rest) == 2 and rest[0] == "+member" and is_team:
            if rest[1] not in self.ds.teams[name].members:
                raise NotFound(rest[1])
            return Entry("membership", lambda: self.rep.membership(name, rest[1]))
        if len(rest) == 1:
            return self._people_collection(name, entry_type, rest[0])
        return self._code(name, rest)

    def _people_collection(self, name: str, entry_type: str, collection: str) -> Collection:
        team = self.ds.teams.get(name)
        members = list(team.members) if team else []
        items, render = None, self.rep.person
        if collection == "participants":
            items = self.ds.participants(name) if team else []
        elif collection == "members":
            items = sorted(members, key=self.ds.display_name)
        elif collection == "sub_teams":
            items = sorted(m for m in members if m in self.ds.teams)
        elif collection == "super_teams":
            items = self.ds.super_teams(name)
        elif collection == "members_details":
            items = sorted(members)
            render = partial(self.rep.membership, name)
        elif collection == "memberships_details":
            items = [t for t, team_ in self.ds.teams.items() if name in team_.members]
            render = partial(self.rep.membership, member=name)
        kind = f"team_{collection}" if team else f"person_{collection}"
        return self._sub_collection(entry_type, collection, kind, items, render)

    # -- code ----------------------------------------------------------------------

    def _code(self, owner: str, rest: list[str]) -> Entry | Collection:
        if len(rest) >= 3 and rest[1] == "+git":
            unique_name, tail = f"~{owner}/{rest[0]}/+git/{rest[2]}", rest[3:]
        else:
            unique_name, tail = f"~{owner}/{rest[0]}/{rest[1]}", rest[2:]
        ref = self.index.code_refs.get(unique_name)
        if ref is None:
            raise NotFound(unique_name)
        entry_type = "git_repository" if ref.is_git else "branch"
        if not tail:
            return Entry(entry_type, lambda: self.rep.code_location(ref))
        if tail[0] == "+merge" and len(tail) >= 2:
            return self._proposal(ref, tail[1:])
        if len(tail) == 1:
            return self._sub_collection(entry_type, tail[0], f"{entry_type}_{tail[0]}", None, None)
        raise NotFound("/".join(tail))

    def _proposal(self, ref: CodeRef, tail: list[str]) -> Entry | Collection:
        mp = self.ds.merge_proposals.get(int(tail[0])) if tail[0].isdigit() else None
        if mp is None or mp.source.unique_name != ref.unique_name:
            raise NotFound(tail[0])
        rest = tail[1:]
        if not rest:
            return Entry("merge_proposal", lambda: self.rep.merge_proposal(mp))
        if rest == ["all_comments"]:
            items = range(len(mp.comments))
            render = partial(self.rep.review_comment, mp)
            return self._sub_collection(
                "branch_merge_proposal", "all_comments", "mp_comments", items, render
            )
        if rest == ["votes"]:
            render = partial(self.rep.review_vote, mp)
            return self._sub_collection(
                "branch_merge_proposal", "votes", "mp_votes", range(len(mp.reviews)), render
            )
        if len(rest) == 2 and rest[0] in ("comments", "+review") and rest[1].isdigit():
            index = int(rest[1])
            if rest[0] == "comments" and index < len(mp.comments):
                return Entry("mp_comment", lambda: self.rep.review_comment(mp, index))
            if rest[0] == "+review" and index < len(mp.reviews):
                return Entry("mp_vote", lambda: self.rep.review_vote(mp, index))
            raise NotFound(rest[1])
        if len(rest) == 1:
            return self._sub_collection("branch_merge_proposal", rest[0], "mp_other", None, None)
        raise NotFound("/".join(rest))

    # -- bugs ----------------------------------------------------------------------

    def _bug(self, rest: list[str]) -> Entry | Collection:
        if not rest:
            return Collection("bugs", sorted(self.ds.bugs), self._render_bug, "bugs")
        bug = self.ds.bugs.get(int(rest[0])) if rest[0].isdigit() else None
        if bug is None:
            raise NotFound(rest[0])
        if len(rest) == 1:
            return Entry("bug", lambda: self.rep.bug(bug))
        name = rest[1]
        if len(rest) == 3 and name in ("comments", "activity") and rest[2].isdigit():
            index = int(rest[2])
            rows = bug.messages if name == "comments" else bug.activity
            if index >= len(rows):
                raise NotFound(rest[2])
            if name == "comments":
                return Entry("bug_message", lambda: self.rep.bug_message(bug, index))
            return Entry("bug_activity_row", lambda: self.rep.bug_activity(bug, index))
        if len(rest) != 2:
            raise NotFound("/".join(rest))
        items, render = None, None
        if name == "messages":
            items, render = range(len(bug.messages)), lambda i: self.rep.bug_message(bug, i)
        elif name == "activity":
            items, render = range(len(bug.activity)), lambda i: self.rep.bug_activity(bug, i)
        elif name == "bug_tasks":
            items, render = range(len(bug.tasks)), lambda i: self.rep.bug_task(bug, i)
        elif name == "duplicates":
            items, render = self.index.duplicates.get(bug.id, []), self._render_bug
        return self._sub_collection("bug", name, f"bug_{name}", items, render)

    def _render_bug(self, bug_id: int) -> dict:
        return self.rep.bug(self.ds.bugs[bug_id])

    # -- projects, tasks, questions ------------------------------------------------

    def _project(self, project: str, rest: list[str]) -> Entry | Collection:
        if not rest:
            return Entry("project", lambda: self.rep.project(project))
        if len(rest) == 1:
            return self._sub_collection("project", rest[0], "project_other", None, None)
        number = int(rest[1]) if rest[1].isdigit() else None
        if rest[0] == "+bug" and len(rest) == 2 and number in self.ds.bugs:
            bug = self.ds.bugs[number]
            for index, task in enumerate(bug.tasks):
                if task.target == project:
                    return Entry("bug_task", lambda i=index: self.rep.bug_task(bug, i))
        if rest[0] == "+question" and number in self.ds.questions:
            question = self.ds.questions[number]
            if question.target == project:
                return self._question(question, rest[2:])
        raise NotFound("/".join(rest))

    def _question(self, question, rest: list[str]) -> Entry | Collection:
        if not rest:
            return Entry("question", lambda: self.rep.question(question))
        if rest == ["messages"]:
            items = range(len(question.messages))
            render = partial(self.rep.question_message, question)
            return self._sub_collection("question", "messages", "question_messages", items, render)
        has_messages = "messages_collection_link" in self.rep.fields["question"]
        if len(rest) == 2 and rest[0] == "messages" and rest[1].isdigit() and has_messages:
            index = int(rest[1]) - 1  # links number messages from 1
            if 0 <= index < len(question.messages):
                return Entry("question_message", lambda: self.rep.question_message(question, index))
        raise NotFound("/".join(rest))
