"""One generated GitHub: the model's objects, indexed the ways the API looks them up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.github.model import Commit, Item, Repo, Team, User


class UnknownMember(KeyError):
    """A login or ``ORG/TEAM-SLUG`` that the dataset does not have."""


@dataclass
class GithubDataset:
    seed: int
    description: str
    window_start: datetime
    window_end: datetime
    company_owners: tuple[str, ...]  # the organisations a company's runs cover
    sample_team: str  # "ORG/TEAM-SLUG"
    sample_person: str  # a login of a direct member of the sample team
    users: dict[str, User] = field(default_factory=dict)  # by lower-cased login
    orgs: dict[str, User] = field(default_factory=dict)  # by lower-cased login
    teams: dict[tuple[str, str], Team] = field(default_factory=dict)  # (org, slug), lower
    repos: dict[str, Repo] = field(default_factory=dict)  # by lower-cased full name
    items: dict[tuple[str, int], Item] = field(default_factory=dict)  # (full name, number)
    commits: list[Commit] = field(default_factory=list)
    hard_cases: dict[str, str] = field(default_factory=dict)  # name -> item key or login
    now: datetime | None = None  # after the last fact: the simulated "today"
    caches: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- lookups -------------------------------------------------------------------

    def user(self, login: str) -> User | None:
        return self.users.get(login.lower())

    def account(self, login: str) -> User | None:
        """A user or an organisation: what ``user:LOGIN`` and ``/users/LOGIN`` accept."""
        return self.users.get(login.lower()) or self.orgs.get(login.lower())

    def team(self, org: str, slug: str) -> Team | None:
        return self.teams.get((org.lower(), slug.lower()))

    def child_teams(self, team: Team) -> list[Team]:
        return [
            t
            for t in self.teams.values()
            if t.org.lower() == team.org.lower() and t.parent == team.slug
        ]

    def team_members(self, team: Team) -> list[User]:
        """Members of the team and of all its descendants, once each, as GitHub lists them."""
        seen: dict[str, User] = {}
        pending = [team]
        while pending:
            current = pending.pop(0)
            for login in current.members:
                seen.setdefault(login.lower(), self.users[login.lower()])
            pending.extend(self.child_teams(current))
        return sorted(seen.values(), key=lambda u: u.id)

    def people(self, member: str) -> set[str]:
        """The lower-cased logins a member stands for: itself, or a team's members."""
        if "/" in member:
            org, _, slug = member.partition("/")
            team = self.team(org, slug)
            if team is None:
                raise UnknownMember(member)
            return {u.login.lower() for u in self.team_members(team)}
        user = self.user(member)
        if user is None:
            raise UnknownMember(member)
        return {user.login.lower()}

    def item(self, owner: str, repo: str, number: int) -> Item | None:
        return self.items.get((f"{owner}/{repo}".lower(), number))

    def counts(self) -> dict[str, Any]:
        issues = sum(1 for i in self.items.values() if i.kind == "issue")
        return {
            "users": len(self.users),
            "orgs": len(self.orgs),
            "teams": len(self.teams),
            "repos": len(self.repos),
            "issues": issues,
            "pull_requests": len(self.items) - issues,
            "timeline_entries": sum(len(i.timeline) for i in self.items.values()),
            "commits": len(self.commits),
        }
