"""People, teams and projects.

The sample team is the team demos and tests query. Its shape exercises team
resolution: direct members, a sub-team, a sub-sub-team, people in more than one of
them, and people with no time zone or a hidden one. Some other teams share members
with it, and one of them has the sample team as a member.
"""

from __future__ import annotations

from datetime import timedelta

from simulator.launchpad.generation.context import GenContext, words
from simulator.launchpad.model import Person, Project, Team
from simulator.launchpad.vocab import JANITOR, TIME_ZONES

SAMPLE_TEAM = "sample-team"
SAMPLE_SUBTEAM = "sample-subteam"
SAMPLE_NESTED_TEAM = "sample-nested-team"

_FIRST = words(
    """
    ada alan barbara brian carol dennis edsger frances grace guido hedy ivan joan
    ken linus lynn margaret niklaus ole radia rasmus richard ruth shafi sophie tim
    tony ursula vint whitfield yukihiro zoe anita bjarne donald elena fernando gwen
    hal ingrid james karen leslie maria noam
    """
)
_LAST = words(
    """
    archer baker carter dalton ellis fisher garcia hughes irwin jensen keller
    lambert morgan novak olsen parker quinn romero santos turner ueda vance walsh xu
    young zimmer abbott brooks chavez duncan
    """
)
_TEAM_WORDS = words(
    """
    kernel desktop server docs security release foundations toolchain translations
    design infra qa mobile cloud storage networking
    """
)
_PROJECT_NAMES = words(
    """
    widget gadget gizmo sprocket doohickey whatsit contraption gubbins thingamajig
    apparatus
    """
)


def make_people(ctx: GenContext, count: int) -> None:
    combos = [(first, last) for first in _FIRST for last in _LAST]
    ctx.rng.shuffle(combos)
    for index in range(count):
        first, last = combos[index % len(combos)]
        suffix = "" if index < len(combos) else str(index // len(combos))
        name = f"{first}-{last}{suffix}"
        ctx.people[name] = Person(
            name=name,
            display_name=f"{first.capitalize()} {last.capitalize()}{suffix}",
            time_zone=ctx.rng.choice(TIME_ZONES),
            date_created=ctx.moment(ctx.data_start - timedelta(days=3000), ctx.data_start),
            karma=ctx.rng.randint(0, 20000),
        )
    # Launchpad's janitor writes "Expire" messages; it belongs to no team.
    ctx.people[JANITOR] = Person(
        name=JANITOR,
        display_name="Launchpad Janitor",
        time_zone="UTC",
        date_created=ctx.data_start - timedelta(days=5000),
    )


def make_teams(ctx: GenContext, count: int) -> None:
    """The three sample teams, then `count - 3` others."""
    people = [name for name in ctx.people if name != JANITOR]
    quarter = max(len(people) // 4, 4)
    direct = people[:quarter]
    sub_only = people[quarter : quarter + max(len(people) // 12, 3)]
    nested = people[quarter + len(sub_only) : quarter + len(sub_only) + 3]
    # Someone who is both a direct member and in the sub-team: counted once.
    both = direct[1]
    founded = ctx.data_start - timedelta(days=2000)
    ctx.teams[SAMPLE_NESTED_TEAM] = Team(
        SAMPLE_NESTED_TEAM, "Sample Nested Team", nested[0], founded, list(nested)
    )
    ctx.teams[SAMPLE_SUBTEAM] = Team(
        SAMPLE_SUBTEAM,
        "Sample Sub-team",
        sub_only[0],
        founded,
        [*sub_only, both, SAMPLE_NESTED_TEAM],
    )
    ctx.teams[SAMPLE_TEAM] = Team(
        SAMPLE_TEAM, "Sample Team", direct[0], founded, [*direct, SAMPLE_SUBTEAM]
    )
    ctx.members = sorted({*direct, *sub_only, *nested})
    ctx.outsiders = [name for name in people if name not in set(ctx.members)]
    _assign_roles(ctx, direct, sub_only, nested)

    words = list(_TEAM_WORDS)
    ctx.rng.shuffle(words)
    for index in range(max(count - 3, 0)):
        word = words[index % len(words)]
        name = f"{word}-team" if index < len(words) else f"{word}-team-{index}"
        size = ctx.rng.randint(3, max(3, len(people) // 6))
        members = ctx.rng.sample(ctx.outsiders or people, min(size, len(ctx.outsiders or people)))
        members.append(ctx.rng.choice(ctx.members))  # overlap with the sample team
        if index == 0:
            members.append(SAMPLE_TEAM)  # a super-team of the sample team
        ctx.teams[name] = Team(name, f"{word.capitalize()} Team", members[0], founded, members)


def _assign_roles(ctx: GenContext, direct: list[str], sub_only: list[str], nested: list[str]):
    """Fix the people the hard cases use, and give them the zones that test the flows."""
    roles = {
        "sample_person": (direct[0], "Europe/London", False),
        "member_new_york": (direct[1], "America/New_York", False),
        "member_kolkata": (direct[2], "Asia/Kolkata", False),
        "member_hidden_tz": (direct[3], "Europe/Berlin", True),
        "subteam_member_sydney": (sub_only[0], "Australia/Sydney", False),
        "nested_member_no_tz": (nested[0], None, False),
        "outsider": (ctx.outsiders[0], "UTC", False),
        "outsider_reviewer": (ctx.outsiders[1], "America/Los_Angeles", False),
    }
    for role, (name, zone, hidden) in roles.items():
        ctx.roles[role] = name
        ctx.people[name].time_zone = zone
        ctx.people[name].time_zone_hidden = hidden


def make_projects(ctx: GenContext, count: int) -> None:
    for index in range(count):
        base = _PROJECT_NAMES[index % len(_PROJECT_NAMES)]
        name = base if index < len(_PROJECT_NAMES) else f"{base}{index // len(_PROJECT_NAMES)}"
        owner = ctx.rng.choice(ctx.outsiders + ctx.members)
        ctx.projects[name] = Project(
            name=name,
            display_name=name.capitalize(),
            owner=owner,
            date_created=ctx.data_start - timedelta(days=1500 + index),
        )
    # One structural subscriber per project: found by searchTasks' structural_subscriber.
    for project in ctx.projects.values():
        project.structural_subscribers.append(ctx.person())
