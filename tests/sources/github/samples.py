"""Small GitHub payloads in the shapes the REST API really sends (trimmed to the fields
a reader would recognise), for the mapping tests."""

from __future__ import annotations

API = "https://api.github.com"


def user(login: str) -> dict:
    return {
        "login": login,
        "id": abs(hash(login)) % 10**6,
        "node_id": "MDQ6VXNlcjE=",
        "url": f"{API}/users/{login}",
        "html_url": f"https://github.com/{login}",
        "type": "User",
        "site_admin": False,
    }


def issue(number: int, author: str, created_at: str, pull: bool = False, repo="Canonical/Snapd"):
    item = {
        "url": f"{API}/repos/{repo}/issues/{number}",
        "repository_url": f"{API}/repos/{repo}",
        "html_url": f"https://github.com/{repo}/{'pull' if pull else 'issues'}/{number}",
        "id": 1000 + number,
        "number": number,
        "title": f"Item {number}",
        "user": user(author),
        "labels": [{"id": 1, "name": "bug", "color": "d73a4a", "default": True}],
        "state": "open",
        "locked": False,
        "assignee": None,
        "assignees": [],
        "comments": 1,
        "created_at": created_at,
        "updated_at": "2024-02-20T00:00:00Z",
        "closed_at": None,
        "author_association": "MEMBER",
        "body": "text",
        "score": 1.0,
    }
    if pull:
        item["pull_request"] = {
            "url": f"{API}/repos/{repo}/pulls/{number}",
            "html_url": f"https://github.com/{repo}/pull/{number}",
            "merged_at": None,
        }
        item["draft"] = False
    return item


def pull(number: int, repo="Canonical/Snapd") -> dict:
    return {
        "url": f"{API}/repos/{repo}/pulls/{number}",
        "number": number,
        "state": "closed",
        "draft": False,
        "merged": True,
        "merged_at": "2024-02-02T10:00:00Z",
        "base": {"ref": "main", "sha": "a" * 40},
        "head": {"ref": "feature", "sha": "b" * 40},
    }


def event(id_: int, name: str, actor: str, created_at: str, **details) -> dict:
    return {
        "id": id_,
        "node_id": "LE_kwDOA",
        "url": f"{API}/repos/canonical/snapd/issues/events/{id_}",
        "actor": user(actor),
        "event": name,
        "commit_id": None,
        "commit_url": None,
        "created_at": created_at,
        "performed_via_github_app": None,
        **details,
    }


def comment(id_: int, author: str, created_at: str, body: str = "looks good") -> dict:
    return {
        "url": f"{API}/repos/canonical/snapd/issues/comments/{id_}",
        "html_url": f"https://github.com/canonical/snapd/issues/1#issuecomment-{id_}",
        "issue_url": f"{API}/repos/canonical/snapd/issues/1",
        "id": id_,
        "node_id": "IC_kwDOA",
        "user": user(author),
        "created_at": created_at,
        "updated_at": created_at,
        "author_association": "MEMBER",
        "body": body,
        "event": "commented",
        "actor": user(author),
    }


def review(id_: int, author: str, submitted_at: str | None, state: str) -> dict:
    entry = {
        "id": id_,
        "node_id": "PRR_kwDOA",
        "user": user(author),
        "body": "",
        "commit_id": "c" * 40,
        "state": state,
        "html_url": f"https://github.com/canonical/snapd/pull/7#pullrequestreview-{id_}",
        "pull_request_url": f"{API}/repos/canonical/snapd/pulls/7",
        "author_association": "MEMBER",
        "_links": {},
        "event": "reviewed",
    }
    if submitted_at:
        entry["submitted_at"] = submitted_at
    return entry


def review_comment(id_: int, author: str, created_at: str, review_id: int) -> dict:
    return {
        "url": f"{API}/repos/canonical/snapd/pulls/comments/{id_}",
        "pull_request_review_id": review_id,
        "id": id_,
        "node_id": "PRRC_kwDOA",
        "diff_hunk": "@@ -1 +1 @@",
        "path": "main.go",
        "commit_id": "c" * 40,
        "user": user(author),
        "body": "nit",
        "created_at": created_at,
        "updated_at": created_at,
        "author_association": "MEMBER",
    }


def commit_result(sha: str, author: str | None, date: str, repo="canonical/snapd") -> dict:
    owner, name = repo.split("/")
    return {
        "url": f"{API}/repos/{repo}/commits/{sha}",
        "sha": sha,
        "node_id": "C_kwDOA",
        "html_url": f"https://github.com/{repo}/commit/{sha}",
        "commit": {
            "url": f"{API}/repos/{repo}/git/commits/{sha}",
            "author": {"date": date, "name": "A Person", "email": "a@example.com"},
            "committer": {"date": date, "name": "A Person", "email": "a@example.com"},
            "message": "Fix the thing\n\nLonger explanation.",
            "comment_count": 0,
        },
        "author": user(author) if author else None,
        "committer": None,
        "parents": [],
        "repository": {
            "id": 1,
            "name": name,
            "full_name": repo,
            "owner": user(owner),
            "private": False,
        },
        "score": 1.0,
    }
