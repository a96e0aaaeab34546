"""Accounts, organisations, teams and repositories.

GitHub's people are the Launchpad simulator's people: the login of Launchpad's
``ada-archer`` is ``ada-archer-gh`` (examples/roster.yaml gives people both identities
that way), and every third login is capitalised (``Ada-Archer-gh``): GitHub keeps a
login's case and compares it case-insensitively, and the contract lower-cases it.
Launchpad's teams become teams of the organisation ``acme`` with the same slugs; a team
that is a member of another becomes its child team (GitHub allows one parent: the first
wins). GitHub-only accounts: outsiders, who act on the company's items and are never
emitted, a bot, ``web-flow``, and a former employee without activity.
"""

from __future__ import annotations

from datetime import timedelta

from simulator.github.generation.context import GenContext
from simulator.github.model import Repo, Team, User
from simulator.launchpad.dataset import Dataset as LaunchpadDataset

COMPANY_ORG = "acme"
COMPANY_OWNERS = ("acme", "acme-labs")
OUTSIDE_ORG = "other-corp"
BOT = "helper-bot[bot]"
WEB_FLOW = "web-flow"
FORMER_EMPLOYEE = "former-employee-gh"  # in examples/roster.yaml, inactive
LOGIN_SUFFIX = "-gh"
_REPOS = {
    "acme": ("Widget", "gadget", "gizmo"),  # "Widget": parent ids are lower-cased
    "acme-labs": ("sprocket",),
    "other-corp": ("doohickey", "whatsit"),
}


def github_login(launchpad_name: str, index: int) -> str:
    """The GitHub login of `launchpad_name`, the index-th Launchpad person by name."""
    if index % 3 == 0:
        launchpad_name = "-".join(p.capitalize() for p in launchpad_name.split("-"))
    return f"{launchpad_name}{LOGIN_SUFFIX}"


def make_accounts(ctx: GenContext, people: LaunchpadDataset, outsiders: int) -> dict[str, str]:
    """Users, orgs and teams; returns Launchpad name -> GitHub login."""
    ds, start = ctx.ds, ctx.ds.window_start
    logins: dict[str, str] = {}
    for index, name in enumerate(sorted(people.people)):
        person = people.people[name]
        login = github_login(name, index)
        logins[name] = login
        joined = min(person.date_created, start - timedelta(days=400))
        ds.users[login.lower()] = User(login, ctx.new_id("user"), person.display_name, joined)
    for n in range(1, outsiders + 1):
        login = f"outsider-{n}"
        ds.users[login] = User(
            login, ctx.new_id("user"), f"Outsider {n}", start - timedelta(days=900)
        )
    ds.users[BOT] = User(BOT, ctx.new_id("user"), "Helper Bot", start - timedelta(days=900), "Bot")
    old = start - timedelta(days=1200)
    ds.users[FORMER_EMPLOYEE] = User(FORMER_EMPLOYEE, ctx.new_id("user"), "Former Employee", old)
    # GitHub's committer of commits made in the web interface.
    ds.users[WEB_FLOW] = User(WEB_FLOW, 19864447, "GitHub", start - timedelta(days=3000))
    for org in (*COMPANY_OWNERS, OUTSIDE_ORG):
        ds.orgs[org] = User(
            org, ctx.new_id("user"), org.title(), start - timedelta(days=2000), "Organization"
        )
    _make_teams(ctx, people, logins)
    return logins


def _make_teams(ctx: GenContext, people: LaunchpadDataset, logins: dict[str, str]) -> None:
    parents: dict[str, str] = {}
    for name in sorted(people.teams):
        for member in people.teams[name].members:
            if people.is_team(member):
                parents.setdefault(member, name)
    for name in sorted(people.teams):
        team = people.teams[name]
        members = [logins[m] for m in team.members if not people.is_team(m)]
        ctx.ds.teams[(COMPANY_ORG, name)] = Team(
            COMPANY_ORG, name, ctx.new_id("team"), team.display_name, members, parents.get(name)
        )


def make_repos(ctx: GenContext, owner_of_dotfiles: str) -> list[Repo]:
    created = ctx.ds.window_start - timedelta(days=1500)
    owners = {**_REPOS, owner_of_dotfiles: ("dotfiles",)}  # a user's own repository
    for owner, names in owners.items():
        for name in names:
            repo = Repo(owner, name, ctx.new_id("repo"), created)
            ctx.ds.repos[repo.full_name.lower()] = repo
    return list(ctx.ds.repos.values())
