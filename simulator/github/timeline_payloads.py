"""Timeline entries of issues and pull requests, as the REST API renders them."""

from __future__ import annotations

from typing import Any

from simulator.github.item_payloads import ItemRenderer, reactions
from simulator.github.model import Item, ReviewComment, TimelineEntry
from simulator.github.payloads import WEB, node_id, stamp

# Details an event carries as they are: the generic issue-event shape plus these.
_ISSUE_EVENT_FIELDS = ("label", "milestone", "rename", "lock_reason", "dismissed_review")


class TimelineRenderer(ItemRenderer):
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
                "reactions": reactions(url),
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
            "reactions": reactions(url),
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
