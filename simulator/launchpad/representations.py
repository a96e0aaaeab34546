"""JSON representations of entries, shaped by the WADL of the version served.

Every field the WADL declares for an entry type is present, as on Launchpad:
fields the simulator does not model are null, and collection links point below
the entry (answered with an empty collection). Fields the version's WADL does not
declare are dropped, so a 1.0 question has no title, exactly like Launchpad's.
"""

from __future__ import annotations

from typing import Any

from simulator.launchpad import links
from simulator.launchpad.dataset import Dataset
from simulator.launchpad.model import Bug, CodeRef, MergeProposal, Question
from simulator.launchpad.vocab import CLOSED_BUG_TASK_STATUSES
from simulator.launchpad.wadl import entry_fields
from simulator.timeutil import iso


class Representer:
    """Builds entry dicts with absolute links under one version root."""

    def __init__(self, dataset: Dataset, root: str, version: str, duplicates: dict[int, list[int]]):
        self.ds = dataset
        self.root = root  # "http://127.0.0.1:PORT/<version>/"
        self.version = version
        self.fields = entry_fields(version)
        self.duplicates = duplicates

    def link(self, path: str | None) -> str | None:
        return None if path is None else self.root + path

    def person_link(self, name: str | None) -> str | None:
        return None if name is None else self.root + links.person_path(name)

    def entry(self, type_name: str, path: str, web_link: str | None, values: dict) -> dict:
        self_link = self.root + path
        out: dict[str, Any] = {}
        for name, link_type in self.fields[type_name].items():
            if name in values:
                out[name] = values[name]
            elif name == "self_link":
                out[name] = self_link
            elif name == "web_link":
                out[name] = web_link
            elif name == "resource_type_link":
                out[name] = f"{self.root}#{type_name}"
            elif name == "http_etag":
                out[name] = f'"{type_name}:{path}:{self.version}"'
            elif name.endswith("_collection_link") and link_type:
                out[name] = f"{self_link}/{name.removesuffix('_collection_link')}"
            else:
                out[name] = None
        return out

    # -- people ----------------------------------------------------------------------

    def person(self, name: str) -> dict:
        if name in self.ds.teams:
            return self.team(name)
        person = self.ds.people[name]
        values = {
            "name": name,
            "display_name": person.display_name,
            "time_zone": person.served_time_zone,
            "date_created": iso(person.date_created),
            "is_team": False,
            "is_valid": True,
            "is_probationary": False,
            "is_ubuntu_coc_signer": False,
            "karma": person.karma,
            "private": False,
            "visibility": "Public",
            "hide_email_addresses": True,
            "description": "",
        }
        return self.entry("person", links.person_path(name), links.person_web_link(name), values)

    def team(self, name: str) -> dict:
        team = self.ds.teams[name]
        values = {
            "name": name,
            "display_name": team.display_name,
            "date_created": iso(team.date_created),
            "is_team": True,
            "is_valid": True,
            "private": False,
            "visibility": "Public",
            "team_owner_link": self.person_link(team.owner),
            "membership_policy": "Moderated Team",
            "subscription_policy": "Moderated Team",
            "renewal_policy": "invite them to apply for renewal",
            "default_membership_period": 0,
            "default_renewal_period": 0,
            "team_description": f"The {team.display_name}.",
            "description": f"The {team.display_name}.",
            "karma": 0,
        }
        return self.entry("team", links.person_path(name), links.person_web_link(name), values)

    def membership(self, team: str, member: str) -> dict:
        owner = self.ds.teams[team].owner == member
        values = {
            "member_link": self.person_link(member),
            "team_link": self.person_link(team),
            "status": "Administrator" if owner else "Approved",
            "date_joined": iso(self.ds.teams[team].date_created),
        }
        path = f"~{team}/+member/{member}"
        return self.entry("team_membership", path, f"{links.WEB_ROOT}{path}", values)

    def project(self, name: str) -> dict:
        project = self.ds.projects[name]
        values = {
            "name": name,
            "display_name": project.display_name,
            "title": project.display_name,
            "summary": f"{project.display_name} does things.",
            "owner_link": self.person_link(project.owner),
            "registrant_link": self.person_link(project.owner),
            "date_created": iso(project.date_created),
            "active": True,
            "information_type": "Public",
            "private": False,
            "official_bugs": True,
            "official_answers": True,
            "official_codehosting": True,
            "vcs": "Git",
        }
        return self.entry("project", name, links.project_web_link(name), values)

    # -- bugs ------------------------------------------------------------------------

    def bug(self, bug: Bug) -> dict:
        dupes = self.duplicates.get(bug.id, [])
        values = {
            "id": bug.id,
            "title": bug.title,
            "description": bug.description,
            "owner_link": self.person_link(bug.owner),
            "date_created": iso(bug.date_created),
            "date_last_updated": iso(bug.date_last_updated),
            "date_last_message": iso(bug.messages[-1].date_created),
            "tags": list(bug.tags),
            "heat": bug.heat,
            "information_type": bug.information_type,
            "private": False,
            "security_related": bug.information_type == "Public Security",
            "message_count": bug.message_count,
            "users_affected_count": bug.users_affected_count,
            "users_affected_count_with_dupes": bug.users_affected_count,
            "other_users_affected_count_with_dupes": max(bug.users_affected_count - 1, 0),
            "users_unaffected_count": 0,
            "number_of_duplicates": len(dupes),
            "duplicate_of_link": self.link(bug.duplicate_of and links.bug_path(bug.duplicate_of)),
            "can_expire": False,
        }
        return self.entry("bug", links.bug_path(bug.id), links.bug_web_link(bug), values)

    def bug_task(self, bug: Bug, index: int) -> dict:
        task = bug.tasks[index]
        target = self.ds.projects[task.target]
        values = {
            "bug_link": self.link(links.bug_path(bug.id)),
            "assignee_link": self.person_link(task.assignee),
            "owner_link": self.person_link(task.owner),
            "target_link": self.link(task.target),
            "bug_target_name": task.target,
            "bug_target_display_name": target.display_name,
            "status": task.status,
            "importance": task.importance,
            "is_complete": task.status in CLOSED_BUG_TASK_STATUSES,
            "date_created": iso(task.date_created),
            "date_assigned": iso(task.date_created) if task.assignee else None,
            "title": f'Bug #{bug.id} in {target.display_name}: "{bug.title}"',
        }
        path = links.bug_task_path(task.target, bug.id)
        return self.entry("bug_task", path, links.bug_task_web_link(task.target, bug.id), values)

    def bug_message(self, bug: Bug, index: int) -> dict:
        message = bug.messages[index]
        values = {
            "owner_link": self.person_link(message.owner),
            "date_created": iso(message.date_created),
            "subject": message.subject,
            "content": message.content,
        }
        web = f"{links.bug_web_link(bug)}/comments/{index}"
        return self.entry("message", links.bug_message_path(bug.id, index), web, values)

    def bug_activity(self, bug: Bug, index: int) -> dict:
        row = bug.activity[index]
        values = {
            "bug_link": self.link(links.bug_path(bug.id)),
            "datechanged": iso(row.datechanged),
            "person_link": self.person_link(row.person),
            "whatchanged": row.whatchanged,
            "oldvalue": row.oldvalue,
            "newvalue": row.newvalue,
            "message": row.message,
        }
        return self.entry("bug_activity", links.bug_activity_path(bug.id, index), None, values)

    # -- code ------------------------------------------------------------------------

    def code_location(self, ref: CodeRef) -> dict:
        common = {
            "name": ref.repository if ref.is_git else ref.path,
            "unique_name": ref.unique_name,
            "display_name": ref.unique_name,
            "owner_link": self.person_link(ref.owner),
            "registrant_link": self.person_link(ref.owner),
            "information_type": "Public",
            "private": False,
        }
        web = links.code_web_link(ref.unique_name)
        if ref.is_git:
            common["target_link"] = self.link(ref.project)
            common["git_https_url"] = f"https://git.launchpad.test/{ref.unique_name}"
            common["repository_type"] = "Hosted"
            return self.entry("git_repository", ref.unique_name, web, common)
        common["project_link"] = self.link(ref.project)
        common["bzr_identity"] = f"lp:{ref.unique_name}"
        common["lifecycle_status"] = "Development"
        return self.entry("branch", ref.unique_name, web, common)

    def merge_proposal(self, mp: MergeProposal) -> dict:
        values = {
            "address": f"mp+{mp.id}@code.launchpad.test",
            "registrant_link": self.person_link(mp.registrant),
            "queue_status": mp.queue_status,
            "description": mp.description,
            "commit_message": mp.commit_message,
            "date_created": iso(mp.date_created),
            "date_review_requested": iso(mp.date_review_requested),
            "date_reviewed": iso(mp.date_reviewed),
            "reviewer_link": self.person_link(mp.reviewer),
            "date_merged": iso(mp.date_merged),
            "merge_reporter_link": self.person_link(mp.merge_reporter),
            "private": False,
            "superseded_by_link": self._mp_link(mp.superseded_by),
            "supersedes_link": self._mp_link(mp.supersedes),
        }
        for side, ref in (("source", mp.source), ("target", mp.target)):
            if ref.is_git:
                values[f"{side}_git_repository_link"] = self.link(ref.unique_name)
                values[f"{side}_git_path"] = ref.path
            else:
                values[f"{side}_branch_link"] = self.link(ref.unique_name)
        return self.entry("branch_merge_proposal", mp.path, links.mp_web_link(mp), values)

    def _mp_link(self, mp_id: int | None) -> str | None:
        mp = self.ds.merge_proposals.get(mp_id) if mp_id is not None else None
        return self.link(mp.path) if mp else None

    def review_comment(self, mp: MergeProposal, index: int) -> dict:
        comment = mp.comments[index]
        values = {
            "id": mp.id * 10_000 + index,
            "author_link": self.person_link(comment.author),
            "owner_link": self.person_link(comment.author),
            "branch_merge_proposal_link": self.link(mp.path),
            "date_created": iso(comment.date_created),
            "title": comment.title,
            "content": comment.content,
            "message_body": comment.content,
            "as_quoted_email": "> " + comment.content,
            "vote": comment.vote,
            "vote_tag": comment.vote_tag,
        }
        web = f"{links.mp_web_link(mp)}/comments/{index}"
        return self.entry("code_review_comment", links.mp_comment_path(mp, index), web, values)

    def review_vote(self, mp: MergeProposal, index: int) -> dict:
        review = mp.reviews[index]
        done = review.comment_index
        values = {
            "branch_merge_proposal_link": self.link(mp.path),
            "reviewer_link": self.person_link(review.reviewer),
            "registrant_link": self.person_link(review.registrant),
            "date_created": iso(review.date_created),
            "review_type": review.review_type,
            "is_pending": done is None,
            "comment_link": None if done is None else self.link(links.mp_comment_path(mp, done)),
        }
        return self.entry("code_review_vote_reference", links.mp_vote_path(mp, index), None, values)

    # -- questions -------------------------------------------------------------------

    def question(self, question: Question) -> dict:
        answer = question.answer_index
        values = {
            "id": question.id,
            "title": question.title,
            "description": question.description,
            "status": question.status,
            "language_link": self.link(f"+languages/{question.language}"),
            "owner_link": self.person_link(question.owner),
            "assignee_link": self.person_link(question.assignee),
            "answerer_link": self.person_link(question.answerer),
            "answer_link": None
            if answer is None
            else self.link(links.question_message_path(question, answer)),
            "date_created": iso(question.date_created),
            "date_last_query": iso(question.date_last_query),
            "date_last_response": iso(question.date_last_response),
            "date_solved": iso(question.date_solved),
            "target_link": self.link(question.target),
        }
        path, web = links.question_path(question), links.question_web_link(question)
        return self.entry("question", path, web, values)

    def question_message(self, question: Question, index: int) -> dict:
        message = question.messages[index]
        values = {
            "owner_link": self.person_link(message.owner),
            "date_created": iso(message.date_created),
            "subject": message.subject,
            "content": message.content,
            "question_link": self.link(links.question_path(question)),
            "action": message.action,
            "new_status": message.new_status,
            "index": index + 1,
            "visible": True,
        }
        path = links.question_message_path(question, index)
        web = f"{links.question_web_link(question)}/messages/{index + 1}"
        return self.entry("question_message", path, web, values)
