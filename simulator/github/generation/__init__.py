"""Deterministic generation of a simulated GitHub from a seed and a size."""

from __future__ import annotations

from datetime import timedelta

from simulator.github.dataset import GithubDataset
from simulator.github.generation.activity import random_commit, random_item
from simulator.github.generation.context import GenContext
from simulator.github.generation.hard_cases import add_cap_case, add_hard_cases
from simulator.github.generation.people import (
    COMPANY_ORG,
    COMPANY_OWNERS,
    FORMER_EMPLOYEE,
    WEB_FLOW,
    make_accounts,
    make_repos,
)
from simulator.github.model import Team, User
from simulator.launchpad.dataset import Dataset as LaunchpadDataset
from simulator.launchpad.generation.people import SAMPLE_NESTED_TEAM, SAMPLE_TEAM
from simulator.timeutil import parse_instant

CAP_PERSON = "Busy-Bee"
CAP_TEAM = "bulk-team"


def generate(
    people: LaunchpadDataset,
    *,
    issues: int,
    pull_requests: int,
    commits: int,
    activity: int,
    cap_items: int = 0,
    outsiders: int = 8,
    seed: int = 1,
    start: str = "2024-01-01",
    end: str = "2024-04-01",
    description: str = "",
) -> GithubDataset:
    """A GitHub whose people and teams are those of the Launchpad dataset `people`.

    `activity` is the mean number of timeline entries per random item; `cap_items` > 0
    adds a person with that many issues, pull requests and commits (above 1,000: the
    search cap).
    """
    sample_lp = people.sample_person
    ds = GithubDataset(
        seed=seed,
        description=description,
        window_start=parse_instant(start),
        window_end=parse_instant(end),
        company_owners=COMPANY_OWNERS,
        sample_team=f"{COMPANY_ORG}/{SAMPLE_TEAM}",
        sample_person="",
    )
    ctx = GenContext(ds, seed)
    logins = make_accounts(ctx, people, outsiders)
    ds.sample_person = logins[sample_lp]
    repos = make_repos(ctx, ds.sample_person)
    nested_team = ds.teams[(COMPANY_ORG, SAMPLE_NESTED_TEAM)]
    direct = set(ds.teams[(COMPANY_ORG, SAMPLE_TEAM)].members)
    nested = next(m for m in nested_team.members if m not in direct)
    other_member = next(m for m in sorted(direct) if m != ds.sample_person)
    add_hard_cases(ctx, ds.sample_person, nested, other_member)
    idle = (WEB_FLOW, FORMER_EMPLOYEE)
    actors = sorted(u.login for u in ds.users.values() if u.type == "User" and u.login not in idle)
    for n in range(issues + pull_requests):
        random_item(ctx, "issue" if n < issues else "pr", repos, actors, activity)
    for _ in range(commits):
        random_commit(ctx, repos, actors)
    if cap_items:
        _add_cap_person(ctx, cap_items)
    for item in ds.items.values():
        item.finish()
    ds.now = max(i.updated_at for i in ds.items.values()) + timedelta(days=1)
    return ds


def _add_cap_person(ctx: GenContext, count: int) -> None:
    """The person above the search cap, alone in the team ``acme/bulk-team``."""
    ds = ctx.ds
    ds.users[CAP_PERSON.lower()] = User(
        CAP_PERSON, ctx.new_id("user"), "Busy Bee", ds.window_start - timedelta(days=700)
    )
    ds.teams[(COMPANY_ORG, CAP_TEAM)] = Team(
        COMPANY_ORG, CAP_TEAM, ctx.new_id("team"), "Bulk Team", [CAP_PERSON]
    )
    add_cap_case(ctx, CAP_PERSON, count)
    ds.hard_cases["cap_team"] = f"{COMPANY_ORG}/{CAP_TEAM}"
