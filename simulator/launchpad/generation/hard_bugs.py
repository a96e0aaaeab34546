"""Bugs that exist in every dataset to catch the mistakes flows make.

Each is registered in `ctx.hard_cases` under a name that says what it tests. Times
are relative to the query window [ws, we) the dataset was generated for, in days
(in 90ths of the window when it is shorter than 60 days, so all cases still fit).
"""

from __future__ import annotations

from datetime import timedelta

from simulator.launchpad.generation.bugs import BugEditor, new_bug
from simulator.launchpad.generation.context import GenContext, dst_transitions

HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)
MICROSECOND = timedelta(microseconds=1)


def window_day(ctx: GenContext) -> timedelta:
    """The hard cases' unit of time: a day, or a 90th of a window shorter than 60 days."""
    window = ctx.window_end - ctx.window_start
    return timedelta(days=1) if window >= timedelta(days=60) else window / 90


def add_hard_bugs(ctx: GenContext) -> None:
    ws, we, r = ctx.window_start, ctx.window_end, ctx.roles
    day = window_day(ctx)
    sample, ny, kolkata = r["sample_person"], r["member_new_york"], r["member_kolkata"]
    hidden, sydney, no_tz = (
        r["member_hidden_tz"],
        r["subteam_member_sydney"],
        r["nested_member_no_tz"],
    )
    outsider, outsider2 = r["outsider"], r["outsider_reviewer"]

    def case(name: str, owner: str, created, project: str | None = None) -> BugEditor:
        bug = new_bug(ctx, owner, created, project=project)
        ctx.hard_cases[name] = f"bug:{bug.id}"
        return BugEditor(ctx, bug)

    # Filed long before the window; members act inside it.
    old = case("bug_old_with_activity_in_window", outsider, ws - 120 * day)
    old.comment(ws + 10 * day, sample)
    old.set_status(ws + 11 * day, ny, "Confirmed")
    old.comment(ws + 12 * day, outsider)

    # The only in-window event is exactly at the window start, so the bug's
    # date_last_updated equals the start: searchTasks' modified_since is strict (>).
    at_start = case("bug_last_updated_at_window_start", outsider, ws - 30 * day)
    at_start.set_status(ws, kolkata, "Triaged")

    # Just inside the end (kept) and exactly at it (dropped).
    at_end = case("bug_events_at_window_end", outsider, ws + 5 * day)
    at_end.comment(we - SECOND, sample)
    at_end.comment(we, ny)
    at_end.set_status(we + HOUR, sample, "In Progress")

    # Members act only just before the start; an outsider keeps the bug fresh.
    before = case("bug_member_events_just_before_start", sample, ws - 20 * day)
    before.comment(ws - MICROSECOND, sample)
    before.set_status(ws - SECOND, ny, "Confirmed")
    before.comment(ws + 3 * day, outsider)

    # A member's bug where only outsiders act afterwards: only "created" counts.
    theirs = case("bug_member_owned_outsider_activity", sydney, ws + 7 * day)
    theirs.comment(ws + 8 * day, outsider)
    theirs.set_status(ws + 9 * day, outsider, "Incomplete")
    theirs.set_assignee(ws + 9 * day + HOUR, outsider2, outsider2)

    # A duplicate: hidden by searchTasks' default omit_duplicates=True.
    dup = case("bug_duplicate_with_member_activity", outsider, ws - 40 * day)
    dup.mark_duplicate(ws + 15 * day, no_tz, old.bug.id)
    dup.comment(ws + 15 * day + HOUR, no_tz)

    # Closed tasks on two projects: hidden by searchTasks' default status list.
    closed = case("bug_closed_multi_task", ny, ws + 20 * day)
    closed.set_status(ws + 21 * day, kolkata, "Fix Released")
    second = [p for p in ctx.projects if p != closed.bug.tasks[0].target][0]
    closed.add_task(ws + 21 * day + HOUR, kolkata, second)
    closed.set_assignee(ws + 21 * day + 2 * HOUR, kolkata, kolkata, task=1)
    closed.set_status(ws + 21 * day + 3 * HOUR, kolkata, "Won't Fix", task=1)
    closed.comment(ws + 22 * day, hidden)

    # A member who never comments: activity alone makes them a "bug commenter".
    quiet = case("bug_member_activity_only", outsider, ws + 25 * day)
    quiet.set_tags(ws + 26 * day, hidden, ["papercut", "ui"])
    quiet.subscribe(ws + 26 * day + HOUR, hidden, hidden)
    quiet.set_status(ws + 27 * day, kolkata, "Confirmed", plain=True)
    quiet.comment(ws + 27 * day, outsider)

    # Filed in the window by someone with no time zone, deep in the team.
    case("bug_created_by_member_without_time_zone", no_tz, ws + 35 * day)

    _add_long_bug(ctx, sample, [sample, ny, sydney, no_tz, outsider, outsider2])
    _add_dst_bug(ctx, {"America/New_York": ny, "Europe/London": sample, "Australia/Sydney": sydney})


def _add_long_bug(ctx: GenContext, owner: str, crowd: list[str]) -> None:
    """More messages and activity rows than one page holds, even at 75 a page."""
    ws, we = ctx.window_start, ctx.window_end
    day = window_day(ctx)
    bug = new_bug(ctx, owner, ws - 10 * day)
    ctx.hard_cases["bug_long_collections"] = f"bug:{bug.id}"
    editor = BugEditor(ctx, bug)
    span = (we + 10 * day) - (ws - 9 * day)
    statuses = ["Confirmed", "Triaged", "In Progress", "Fix Committed", "Confirmed"]
    for index in range(90):
        when = ws - 9 * day + span * index / 90
        editor.comment(when, crowd[index % len(crowd)])
        who = crowd[(index + 1) % len(crowd)]
        step = when + HOUR
        if index % 3 == 0:
            editor.set_status(step, who, statuses[index % len(statuses)])
        elif index % 3 == 1:
            editor.set_importance(step, who, ["High", "Medium", "Low"][index % 3])
        else:
            editor.set_tags(step, who, ctx.tags())


def _add_dst_bug(ctx: GenContext, actors: dict[str, str]) -> None:
    """Events at the instants the actors' zones change offset, if the window has any."""
    ws, we = ctx.window_start, ctx.window_end
    owner = next(iter(actors.values()))
    bug = new_bug(ctx, owner, ws - window_day(ctx))
    ctx.hard_cases["bug_dst_transitions"] = f"bug:{bug.id}"
    editor = BugEditor(ctx, bug)
    for zone, who in actors.items():
        for instant in dst_transitions(zone, ws, we):
            editor.comment(instant, who)
            editor.set_importance(instant - 30 * 60 * SECOND, who, "High")
