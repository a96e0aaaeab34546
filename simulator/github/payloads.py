"""The model as the REST API renders it: users, teams and repositories here; issues,
pull requests, timelines and search results in item_payloads.py. Field names and shapes are GitHub's (API version
2022-11-28 and later); githubkit's pydantic models parse them unchanged.

API links point at the simulator (`api`); web links at ``https://github.test``.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from simulator.github.dataset import GithubDataset
from simulator.github.model import Repo, User

WEB = "https://github.test"
_TZ_FORMAT = "%Y-%m-%dT%H:%M:%S.000%z"


def stamp(moment: datetime | None) -> str | None:
    """GitHub's instants: ISO-8601 in UTC with "Z"."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_stamp(moment: datetime) -> str:
    """A commit date in its own offset, as the commit search returns it."""
    text = moment.strftime(_TZ_FORMAT)
    return f"{text[:-2]}:{text[-2:]}"


def node_id(kind: str, number: int) -> str:
    return f"{kind}_" + base64.b64encode(f"{kind}{number}".encode()).decode().rstrip("=")


class Renderer:
    def __init__(self, ds: GithubDataset, api: str):
        self.ds = ds
        self.api = api.rstrip("/")

    # -- accounts -------------------------------------------------------------------

    def user(self, login: str | None) -> dict[str, Any] | None:
        if login is None:
            return None
        account = self.ds.account(login)
        if account is None:
            raise KeyError(login)
        return self.simple_user(account)

    def simple_user(self, u: User) -> dict[str, Any]:
        url = f"{self.api}/users/{u.login}"
        return {
            "login": u.login,
            "id": u.id,
            "node_id": node_id("U", u.id),
            "avatar_url": f"https://avatars.github.test/u/{u.id}?v=4",
            "gravatar_id": "",
            "url": url,
            "html_url": f"{WEB}/{u.login}",
            "followers_url": f"{url}/followers",
            "following_url": f"{url}/following{{/other_user}}",
            "gists_url": f"{url}/gists{{/gist_id}}",
            "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{url}/subscriptions",
            "organizations_url": f"{url}/orgs",
            "repos_url": f"{url}/repos",
            "events_url": f"{url}/events{{/privacy}}",
            "received_events_url": f"{url}/received_events",
            "type": u.type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def public_user(self, u: User) -> dict[str, Any]:
        return self.simple_user(u) | {
            "name": u.name,
            "company": None,
            "blog": "",
            "location": None,
            "email": None,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": sum(1 for r in self.ds.repos.values() if r.owner == u.login),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": stamp(u.created_at),
            "updated_at": stamp(u.created_at),
        }

    def team(self, org: str, slug: str) -> dict[str, Any]:
        team = self.ds.team(org, slug)
        assert team is not None
        url = f"{self.api}/organizations/{self.ds.orgs[org.lower()].id}/team/{team.id}"
        parent = self.ds.team(org, team.parent) if team.parent else None
        document = {
            "id": team.id,
            "node_id": node_id("T", team.id),
            "url": url,
            "html_url": f"{WEB}/orgs/{team.org}/teams/{team.slug}",
            "name": team.name,
            "slug": team.slug,
            "description": None,
            "privacy": "closed",
            "notification_setting": "notifications_enabled",
            "permission": "pull",
            "members_url": f"{url}/members{{/member}}",
            "repositories_url": f"{url}/repos",
            "type": "organization",
            "organization_id": self.ds.orgs[org.lower()].id,
            "parent": None,
        }
        if parent is not None:
            document["parent"] = {
                k: v for k, v in self.team(org, parent.slug).items() if k != "parent"
            }
        return document

    def team_full(self, org: str, slug: str) -> dict[str, Any]:
        """``GET /orgs/{org}/teams/{team_slug}``: the team with its organisation and counts."""
        team = self.ds.team(org, slug)
        assert team is not None
        account = self.ds.orgs[org.lower()]
        url = f"{self.api}/orgs/{account.login}"
        organization = {
            "login": account.login,
            "id": account.id,
            "node_id": node_id("O", account.id),
            "url": url,
            "repos_url": f"{url}/repos",
            "events_url": f"{url}/events",
            "hooks_url": f"{url}/hooks",
            "issues_url": f"{url}/issues",
            "members_url": f"{url}/members{{/member}}",
            "public_members_url": f"{url}/public_members{{/member}}",
            "avatar_url": f"https://avatars.github.test/u/{account.id}?v=4",
            "description": None,
            "name": account.name,
            "has_organization_projects": True,
            "has_repository_projects": True,
            "public_repos": sum(1 for r in self.ds.repos.values() if r.owner == account.login),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "html_url": f"{WEB}/{account.login}",
            "created_at": stamp(account.created_at),
            "updated_at": stamp(account.created_at),
            "archived_at": None,
            "type": "Organization",
        }
        return self.team(org, slug) | {
            "members_count": len(team.members),
            "repos_count": 0,
            "created_at": stamp(account.created_at),
            "updated_at": stamp(account.created_at),
            "organization": organization,
        }

    # -- repositories ---------------------------------------------------------------

    def repository(self, repo: Repo, minimal: bool = False) -> dict[str, Any]:
        url = f"{self.api}/repos/{repo.full_name}"
        document: dict[str, Any] = {
            "id": repo.id,
            "node_id": node_id("R", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.private,
            "owner": self.user(repo.owner),
            "html_url": f"{WEB}/{repo.full_name}",
            "description": None,
            "fork": False,
            "url": url,
        }
        for name, suffix in _REPO_LINKS:
            document[name] = url + suffix
        if minimal:
            return document
        return document | {
            "git_url": f"git://github.test/{repo.full_name}.git",
            "ssh_url": f"git@github.test:{repo.full_name}.git",
            "clone_url": f"{WEB}/{repo.full_name}.git",
            "svn_url": f"{WEB}/{repo.full_name}",
            "mirror_url": None,
            "homepage": None,
            "language": "Python",
            "license": None,
            "forks": 0,
            "forks_count": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "watchers": 0,
            "size": 1024,
            "default_branch": "main",
            "open_issues_count": 0,
            "open_issues": 0,
            "has_issues": True,
            "has_projects": True,
            "has_wiki": False,
            "has_pages": False,
            "has_downloads": True,
            "archived": False,
            "disabled": False,
            "visibility": "private" if repo.private else "public",
            "pushed_at": stamp(repo.created_at),
            "created_at": stamp(repo.created_at),
            "updated_at": stamp(repo.created_at),
        }

    def author_association(self, login: str, repo: Repo) -> str:
        if login.lower() == repo.owner.lower():
            return "OWNER"
        members = {
            m.lower() for t in self.ds.teams.values() if t.org == repo.owner for m in t.members
        }
        return "MEMBER" if login.lower() in members else "CONTRIBUTOR"


_REPO_LINKS = (
    ("archive_url", "/{archive_format}{/ref}"),
    ("assignees_url", "/assignees{/user}"),
    ("blobs_url", "/git/blobs{/sha}"),
    ("branches_url", "/branches{/branch}"),
    ("collaborators_url", "/collaborators{/collaborator}"),
    ("comments_url", "/comments{/number}"),
    ("commits_url", "/commits{/sha}"),
    ("compare_url", "/compare/{base}...{head}"),
    ("contents_url", "/contents/{+path}"),
    ("contributors_url", "/contributors"),
    ("deployments_url", "/deployments"),
    ("downloads_url", "/downloads"),
    ("events_url", "/events"),
    ("forks_url", "/forks"),
    ("git_commits_url", "/git/commits{/sha}"),
    ("git_refs_url", "/git/refs{/sha}"),
    ("git_tags_url", "/git/tags{/sha}"),
    ("hooks_url", "/hooks"),
    ("issue_comment_url", "/issues/comments{/number}"),
    ("issue_events_url", "/issues/events{/number}"),
    ("issues_url", "/issues{/number}"),
    ("keys_url", "/keys{/key_id}"),
    ("labels_url", "/labels{/name}"),
    ("languages_url", "/languages"),
    ("merges_url", "/merges"),
    ("milestones_url", "/milestones{/number}"),
    ("notifications_url", "/notifications{?since,all,participating}"),
    ("pulls_url", "/pulls{/number}"),
    ("releases_url", "/releases{/id}"),
    ("stargazers_url", "/stargazers"),
    ("statuses_url", "/statuses/{sha}"),
    ("subscribers_url", "/subscribers"),
    ("subscription_url", "/subscription"),
    ("tags_url", "/tags"),
    ("teams_url", "/teams"),
    ("trees_url", "/git/trees{/sha}"),
)
