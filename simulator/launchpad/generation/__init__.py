"""Deterministic generation of a simulated Launchpad from a seed and a size."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from simulator.launchpad.dataset import Dataset
from simulator.launchpad.generation.bugs import random_bug
from simulator.launchpad.generation.code import link_superseded, random_proposal
from simulator.launchpad.generation.context import GenContext
from simulator.launchpad.generation.hard_bugs import add_hard_bugs
from simulator.launchpad.generation.hard_code_questions import (
    add_hard_people,
    add_hard_proposals,
    add_hard_questions,
)
from simulator.launchpad.generation.people import (
    SAMPLE_TEAM,
    make_people,
    make_projects,
    make_teams,
)
from simulator.launchpad.generation.questions import random_question
from simulator.timeutil import parse_instant

MIN_PEOPLE = 16
MIN_TEAMS = 3


def generate(
    *,
    seed: int = 1,
    people: int = 40,
    teams: int = 6,
    bugs: int = 60,
    merge_proposals: int = 40,
    questions: int = 40,
    activity: int = 6,
    projects: int | None = None,
    start: str | date | datetime = "2024-01-01",
    end: str | date | datetime = "2024-04-01",
    description: str = "",
) -> Dataset:
    """Make a dataset. The same arguments always give the same dataset.

    :param people: people besides the janitor (at least 16).
    :param teams: teams, counting the three sample teams (at least 3).
    :param bugs, merge_proposals, questions: random items, on top of the hard cases.
    :param activity: average number of events per random item (0 to 2x this).
    :param projects: projects to spread items over; default grows with `bugs`.
    :param start, end: the query window the hard cases are placed around. Data
        spans from one window-length before `start` to a quarter after `end`.
    """
    window_start, window_end = parse_instant(start), parse_instant(end)
    if window_end <= window_start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    if people < MIN_PEOPLE or teams < MIN_TEAMS:
        raise ValueError(f"need at least {MIN_PEOPLE} people and {MIN_TEAMS} teams")
    if min(bugs, merge_proposals, questions, activity) < 0:
        raise ValueError("sizes must not be negative")
    window = window_end - window_start
    ctx = GenContext(
        rng=random.Random(seed),
        window_start=window_start,
        window_end=window_end,
        data_start=window_start - window,
        data_end=window_end + max(window / 4, timedelta(days=7)),
        activity=activity,
    )
    make_people(ctx, people)
    make_teams(ctx, teams)
    make_projects(ctx, projects or min(3 + bugs // 40, 30))
    add_hard_people(ctx)
    add_hard_bugs(ctx)
    add_hard_proposals(ctx)
    add_hard_questions(ctx)
    for _ in range(bugs):
        random_bug(ctx)
    for _ in range(merge_proposals):
        random_proposal(ctx)
    for _ in range(questions):
        random_question(ctx)
    link_superseded(ctx)
    for bug in ctx.bugs.values():
        bug.finalize()
    for mp in ctx.merge_proposals.values():
        mp.finalize()
    return Dataset(
        seed=seed,
        window_start=window_start,
        window_end=window_end,
        people=ctx.people,
        teams=ctx.teams,
        projects=ctx.projects,
        bugs=ctx.bugs,
        merge_proposals=ctx.merge_proposals,
        questions=ctx.questions,
        sample_team=SAMPLE_TEAM,
        sample_person=ctx.roles["sample_person"],
        hard_cases=ctx.hard_cases,
        description=description,
    )
