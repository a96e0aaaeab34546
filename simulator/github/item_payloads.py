"""Issues, pull requests and search results, as the REST API renders them."""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

from simulator.github.model import Commit, Item
from simulator.github.payloads import WEB, Renderer, local_stamp, node_id, stamp


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
            "reactions": reactions(url),
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


def reactions(url: str) -> dict[str, Any]:
    counts = dict.fromkeys(
        ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"), 0
    )
    return {"url": f"{url}/reactions", "total_count": 0, **counts}
