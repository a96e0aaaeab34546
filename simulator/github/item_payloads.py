"""Issues, pull requests, their timelines, and search results, as the REST API renders them."""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

from simulator.github.model import Commit, Item, ReviewComment, TimelineEntry
from simulator.github.payloads import WEB, Renderer, local_stamp, node_id, stamp

# Timeline events rendered with the generic issue-event shape (id, actor, commit_id, ...).
_ISSUE_EVENT_FIELDS = ("label", "milestone", "rename", "lock_reason", "dismissed_review")


class ItemRenderer(Renderer):
    def _urls(self, item: Item) -> tuple[str, str]:
        base = f"{self.api}/repos/{item.repo.full_name}"
        kind = "pull" if item.kind == "pr" else "issues"
        return base, f"{WEB}/{item.repo.full_name}/{kind}/{item.number}"

    def _label(self, item: Item, name: str) -> dict[str, Any]:
        ident = zlib.crc32(f"{item.repo.id}/{name}".encode())
        return {
            "id": ident,
            "node_id": node_id("LA", ident),
            "url": f"{self.api}/repos/{item.repo.full_name}/labels/{name}",
            "name": name,
            "color": "d73a4a",
            "default": name == "bug",
            "description": None,
        }

    def _milestone(self, item: Item) -> dict[str, Any] | None:
        if item.milestone is None:
            return None
        number = {"v1.0": 1, "v1.1": 2, "v2.0": 3}.get(item.milestone, 4)
        ident = item.repo.id * 10 + number
        url = f"{self.api}/repos/{item.repo.full_name}/milestones/{number}"
        return {
            "url": url,
            "html_url": f"{WEB}/{item.repo.full_name}/milestone/{number}",
            "labels_url": f"{url}/labels",
            "id": ident,
            "node_id": node_id("MI", ident),
            "number": number,
            "title": item.milestone,
            "description": None,
            "creator": self.user(item.repo.owner),
            "open_issues": 1,
            "closed_issues": 0,
            "state": "open",
            "created_at": stamp(item.repo.created_at),
            "updated_at": stamp(item.repo.created_at),
            "closed_at": None,
            "due_on": None,
        }

    def issue(self, item: Item) -> dict[str, Any]:
        """``GET /repos/{owner}/{repo}/issues/{number}`` (a pull request is an issue too)."""
        base, html = self._urls(item)
        url = f"{base}/issues/{item.number}"
        document = {
            "url": url,
            "repository_url": base,
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": html,
            "id": item.id,
            "node_id": node_id("I", item.id),
            "number": item.number,
            "title": item.title,
            "user": self.user(item.user),
            "labels": [self._label(item, name) for name in item.labels],
            "state": item.state,
            "state_reason": "completed"
            if item.state == "closed" and item.kind == "issue"
            else None,
            "locked": item.locked,
            "assignee": self.user(item.assignees[0]) if item.assignees else None,
            "assignees": [self.user(login) for login in item.assignees],
            "milestone": self._milestone(item),
            "comments": sum(1 for e in item.timeline if e.event == "commented"),
            "created_at": stamp(item.created_at),
            "updated_at": stamp(item.updated_at),
            "closed_at": stamp(item.closed_at),
            "author_association": self.author_association(item.user, item.repo),
            "active_lock_reason": "resolved" if item.locked else None,
            "body": item.body,
            "timeline_url": f"{url}/timeline",
            "performed_via_github_app": None,
            "reactions": _reactions(url),
        }
        if item.kind == "pr":
            document["draft"] = item.draft
            document["pull_request"] = {
                "url": f"{base}/pulls/{item.number}",
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": stamp(item.merged_at),
            }
        return document

    def search_item(self, item: Item) -> dict[str, Any]:
        return self.issue(item) | {"score": 1.0}

    def pull(self, item: Item) -> dict[str, Any]:
        """``GET /repos/{owner}/{repo}/pulls/{number}``."""
        base, html = self._urls(item)
        url = f"{base}/pulls/{item.number}"
        issue = self.issue(item)
        head_sha = self.ds_sha(item, "head")

        def side(ref: str, sha: str) -> dict[str, Any]:
            return {
                "label": f"{item.repo.owner}:{ref}",
                "ref": ref,
                "sha": sha,
                "user": self.user(item.repo.owner),
                "repo": self.repository(item.repo),
            }

        links = {
            "self": url,
            "html": html,
            "issue": issue["url"],
            "comments": issue["comments_url"],
            "review_comments": f"{url}/comments",
            "review_comment": f"{base}/pulls/comments{{/number}}",
            "commits": f"{url}/commits",
            "statuses": f"{base}/statuses/{head_sha}",
        }
        merged = item.merged_at is not None
        return {
            key: issue[key]
            for key in (
                "html_url",
                "number",
                "state",
                "locked",
                "title",
                "user",
                "body",
                "labels",
                "milestone",
                "active_lock_reason",
                "created_at",
                "updated_at",
                "closed_at",
                "assignee",
                "assignees",
                "author_association",
                "draft",
                "comments",
            )  # fmt: skip
        } | {
            "url": url,
            "id": item.pr_id,
            "node_id": node_id("PR", item.pr_id),
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": issue["url"],
            "commits_url": links["commits"],
            "review_comments_url": links["review_comments"],
            "review_comment_url": links["review_comment"],
            "comments_url": issue["comments_url"],
            "statuses_url": links["statuses"],
            "merged_at": stamp(item.merged_at),
            "merge_commit_sha": self.ds_sha(item, "merge") if merged else None,
            "requested_reviewers": [],
            "requested_teams": [],
            "head": side(item.head_ref, head_sha),
            "base": side(item.base_ref, self.ds_sha(item, "base")),
            "_links": {name: {"href": href} for name, href in links.items()},
            "auto_merge": None,
            "merged": merged,
            "mergeable": None if item.state == "closed" else True,
            "rebaseable": None if item.state == "closed" else True,
            "mergeable_state": "unknown" if item.state == "closed" else "clean",
            "merged_by": self.user(item.merged_by),
            "review_comments": sum(len(e.comments) for e in item.timeline),
            "maintainer_can_modify": False,
            "commits": 1 + sum(1 for e in item.timeline if e.event == "committed"),
            "additions": 10,
            "deletions": 2,
            "changed_files": 1,
        }

    @staticmethod
    def ds_sha(item: Item, what: str) -> str:
        return hashlib.sha1(f"{item.key}/{what}".encode()).hexdigest()

    # -- timelines ------------------------------------------------------------------------

    def timeline_entry(self, item: Item, entry: TimelineEntry) -> dict[str, Any]:
        base, html = self._urls(item)
        if entry.event == "commented":
            url = f"{base}/issues/comments/{entry.id}"
            return {
                "url": url,
                "html_url": f"{html}#issuecomment-{entry.id}",
                "issue_url": f"{base}/issues/{item.number}",
                "id": entry.id,
                "node_id": node_id("IC", entry.id or 0),
                "user": self.user(entry.actor),
                "created_at": stamp(entry.at),
                "updated_at": stamp(entry.at),
                "author_association": self.author_association(entry.actor or "", item.repo),
                "body": entry.details.get("body", ""),
                "reactions": _reactions(url),
                "performed_via_github_app": None,
                "event": "commented",
                "actor": self.user(entry.actor),
            }
        if entry.event == "reviewed":
            return self._review(item, entry)
        if entry.event == "line-commented":
            return {
                "event": "line-commented",
                "node_id": node_id("PRRC", entry.comments[0].id),
                "comments": [self._review_comment(item, c) for c in entry.comments],
            }
        if entry.event == "committed":
            return self._committed(item, entry)
        if entry.event == "cross-referenced":
            return {
                "event": "cross-referenced",
                "actor": self.user(entry.actor),
                "created_at": stamp(entry.at),
                "updated_at": stamp(entry.at),
                "source": {"type": "issue", "issue": self.issue(entry.details["source"])},
            }
        return self._issue_event(item, entry)

    def _issue_event(self, item: Item, entry: TimelineEntry) -> dict[str, Any]:
        base = f"{self.api}/repos/{item.repo.full_name}"
        commit_id = entry.details.get("commit_id")
        document = {
            "id": entry.id,
            "node_id": node_id("E", entry.id or 0),
            "url": f"{base}/issues/events/{entry.id}",
            "actor": self.user(entry.actor),
            "event": entry.event,
            "commit_id": commit_id,
            "commit_url": f"{base}/commits/{commit_id}" if commit_id else None,
            "created_at": stamp(entry.at),
            "performed_via_github_app": None,
        }
        for name in _ISSUE_EVENT_FIELDS:
            if name in entry.details:
                document[name] = entry.details[name]
        if "state_reason" in entry.details:
            document["state_reason"] = entry.details["state_reason"]
        if "assignee" in entry.details:
            document["assignee"] = self.user(entry.details["assignee"])
            document["assigner"] = self.user(entry.actor)
        if "requested_reviewer" in entry.details:
            document["requested_reviewer"] = self.user(entry.details["requested_reviewer"])
            document["review_requester"] = self.user(entry.actor)
        return document

    def _review(self, item: Item, entry: TimelineEntry) -> dict[str, Any]:
        base, html = self._urls(item)
        pull_url = f"{base}/pulls/{item.number}"
        document = {
            "event": "reviewed",
            "id": entry.id,
            "node_id": node_id("PRR", entry.id or 0),
            "user": self.user(entry.actor),
            "body": entry.details.get("body", ""),
            "state": entry.details["state"],
            "html_url": f"{html}#pullrequestreview-{entry.id}",
            "pull_request_url": pull_url,
            "author_association": self.author_association(entry.actor or "", item.repo),
            "_links": {
                "html": {"href": f"{html}#pullrequestreview-{entry.id}"},
                "pull_request": {"href": pull_url},
            },  # fmt: skip
            "commit_id": entry.details.get("commit_id"),
        }
        if entry.at is not None:  # a pending review has not been submitted
            document["submitted_at"] = stamp(entry.at)
        return document

    def _review_comment(self, item: Item, comment: ReviewComment) -> dict[str, Any]:
        base, html = self._urls(item)
        url = f"{base}/pulls/comments/{comment.id}"
        commit = self.ds_sha(item, "head")
        return {
            "url": url,
            "pull_request_review_id": comment.review_id,
            "id": comment.id,
            "node_id": node_id("PRRC", comment.id),
            "diff_hunk": "@@ -1,3 +1,4 @@\n def main():\n+    return 1",
            "path": comment.path,
            "position": 2,
            "original_position": 2,
            "commit_id": commit,
            "original_commit_id": commit,
            "user": self.user(comment.user),
            "body": comment.body,
            "created_at": stamp(comment.created_at),
            "updated_at": stamp(comment.created_at),
            "html_url": f"{html}#discussion_r{comment.id}",
            "pull_request_url": f"{base}/pulls/{item.number}",
            "author_association": self.author_association(comment.user, item.repo),
            "_links": {
                "self": {"href": url},
                "html": {"href": f"{html}#discussion_r{comment.id}"},
                "pull_request": {"href": f"{base}/pulls/{item.number}"},
            },  # fmt: skip
            "reactions": _reactions(url),
            "line": 2,
            "original_line": 2,
            "side": "RIGHT",
            "subject_type": "line",
        }

    def _committed(self, item: Item, entry: TimelineEntry) -> dict[str, Any]:
        sha = entry.details["sha"]
        base = f"{self.api}/repos/{item.repo.full_name}"
        person = {"name": entry.details["author_name"], "email": "dev@example.test",
                  "date": stamp(entry.at)}  # fmt: skip
        return {
            "sha": sha,
            "node_id": node_id("C", int(sha[:8], 16)),
            "url": f"{base}/git/commits/{sha}",
            "html_url": f"{WEB}/{item.repo.full_name}/commit/{sha}",
            "author": person,
            "committer": person,
            "tree": {"sha": sha[::-1], "url": f"{base}/git/trees/{sha[::-1]}"},
            "message": "Work in progress",
            "parents": [],
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },  # fmt: skip
            "event": "committed",
        }

    # -- commits ------------------------------------------------------------------------

    def commit_search_item(self, commit: Commit) -> dict[str, Any]:
        base = f"{self.api}/repos/{commit.repo.full_name}"
        html = f"{WEB}/{commit.repo.full_name}/commit/{commit.sha}"
        author = {"name": commit.author_name, "email": commit.author_email,
                  "date": local_stamp(commit.author_date)}  # fmt: skip
        committer = {"name": commit.author_name if commit.committer_login != "web-flow" else "GitHub",
                     "email": commit.author_email, "date": local_stamp(commit.committer_date)}  # fmt: skip
        parent = commit.sha[::-1]
        return {
            "url": f"{base}/commits/{commit.sha}",
            "sha": commit.sha,
            "node_id": node_id("C", int(commit.sha[:8], 16)),
            "html_url": html,
            "comments_url": f"{base}/commits/{commit.sha}/comments",
            "commit": {
                "url": f"{base}/git/commits/{commit.sha}",
                "author": author,
                "committer": committer,
                "message": commit.message,
                "tree": {"sha": parent, "url": f"{base}/git/trees/{parent}"},
                "comment_count": 0,
            },
            "author": self.user(commit.author_login),
            "committer": self.user(commit.committer_login),
            "parents": [
                {
                    "url": f"{base}/commits/{parent}",
                    "html_url": f"{WEB}/{commit.repo.full_name}/commit/{parent}",
                    "sha": parent,
                }
            ],
            "repository": self.repository(commit.repo, minimal=True),
            "score": 1.0,
        }


def _reactions(url: str) -> dict[str, Any]:
    counts = dict.fromkeys(
        ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"), 0
    )
    return {"url": f"{url}/reactions", "total_count": 0, **counts}
