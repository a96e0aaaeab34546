"""Merge proposals and questions that exist in every dataset to catch flow mistakes.

Same conventions as hard_bugs: registered in `ctx.hard_cases`, times relative to the
window, in `window_day` units.
"""

from __future__ import annotations

from simulator.launchpad.generation.code import ProposalEditor, new_proposal
from simulator.launchpad.generation.context import GenContext
from simulator.launchpad.generation.hard_bugs import HOUR, MICROSECOND, SECOND, window_day
from simulator.launchpad.generation.questions import QuestionEditor, new_question
from simulator.launchpad.vocab import (
    ACTION_ANSWER,
    ACTION_COMMENT,
    ACTION_CONFIRM,
    ACTION_GIVE_INFO,
    ACTION_REJECT,
    ACTION_REOPEN,
    ACTION_REQUEST_INFO,
    ACTION_SET_STATUS,
    MERGE_PROPOSAL_STATUSES,
)


def add_hard_proposals(ctx: GenContext) -> None:
    ws, we, r, day = ctx.window_start, ctx.window_end, ctx.roles, window_day(ctx)
    sample, ny, kolkata = r["sample_person"], r["member_new_york"], r["member_kolkata"]
    hidden, sydney, no_tz = (
        r["member_hidden_tz"],
        r["subteam_member_sydney"],
        r["nested_member_no_tz"],
    )
    outsider, outsider2 = r["outsider"], r["outsider_reviewer"]

    def case(name, registrant, created, git=True, needs_review=True) -> ProposalEditor:
        mp = new_proposal(ctx, registrant, created, git=git, needs_review=needs_review)
        ctx.hard_cases[name] = f"mp:{mp.id}"
        return ProposalEditor(ctx, mp)

    old = case("mp_old_reviewed_and_merged_in_window", sample, ws - 50 * day)
    old.request_review(ws - 50 * day, ny, "code")
    old.comment(ws + 5 * day, ny, "Approve")
    old.review(ws + 5 * day + HOUR, ny, "Approved")
    old.merge(ws + 6 * day, sample)

    # Found for the member only through getRequestedReviews (git, then Bazaar).
    for name, reviewer, git, offset in (
        ("mp_member_only_reviewer_git", kolkata, True, 10),
        ("mp_member_only_reviewer_bzr", sydney, False, 14),
    ):
        theirs = case(name, outsider, ws + offset * day, git=git)
        theirs.request_review(ws + offset * day, reviewer, "code")
        theirs.comment(ws + (offset + 1) * day, reviewer)
        theirs.comment(ws + (offset + 2) * day, reviewer, "Needs Fixing")
        theirs.comment(ws + (offset + 2) * day + HOUR, outsider)

    unreported = case("mp_merged_without_merge_reporter", ny, ws + 15 * day)
    unreported.request_review(ws + 15 * day, kolkata)
    unreported.review(ws + 16 * day, kolkata, "Approved")
    unreported.merge(ws + 17 * day, None)

    # Exactly at the start (kept), at the end (dropped), just before the end (kept).
    edges = case("mp_events_at_window_edges", sample, ws)
    edges.request_review(ws, ny, "code")
    edges.comment(we - MICROSECOND, ny)
    edges.comment(we, ny, "Approve")
    edges.review(we + HOUR, ny, "Approved")
    # Proposed just before the start as work in progress; review requested inside.
    early = case("mp_proposed_just_before_start", kolkata, ws - SECOND, needs_review=False)
    early.ask_for_review(ws + day)

    outsiders = case("mp_member_registered_outsider_reviews", sydney, ws + 25 * day)
    outsiders.request_review(ws + 25 * day, outsider2)
    outsiders.comment(ws + 26 * day, outsider2, "Disapprove")
    outsiders.comment(ws + 27 * day, outsider2)
    outsiders.review(ws + 27 * day + HOUR, outsider2, "Rejected")

    long = case("mp_long_comments", hidden, ws - 5 * day)
    long.request_review(ws - 5 * day, sample, "code")
    long.request_review(ws - 5 * day, outsider2, "db")
    crowd = [sample, hidden, outsider2]
    span = (we + 5 * day) - (ws - 4 * day)
    for index in range(90):
        author = crowd[index % 3]
        vote = "Needs Information" if author != hidden and index % 4 == 0 else None
        long.comment(ws - 4 * day + span * index / 90, author, vote)

    # One proposal per queue status, each registered and acted on by members.
    for index, status in enumerate(MERGE_PROPOSAL_STATUSES):
        created = ws + (30 + 3 * index) * day
        slug = status.lower().replace(" ", "_")
        mp = case(f"mp_status_{slug}", no_tz if index % 2 else ny, created, git=index % 3 != 2)
        mp.request_review(created, kolkata, "code")
        if status in ("Approved", "Rejected", "Merged", "Code failed to merge", "Queued"):
            mp.review(created + day, kolkata, "Rejected" if status == "Rejected" else "Approved")
        if status == "Merged":
            mp.merge(created + 2 * day, kolkata)
        mp.mp.queue_status = status
        if status == "Work in progress":
            mp.mp.date_review_requested = None


def add_hard_questions(ctx: GenContext) -> None:
    ws, we, r, day = ctx.window_start, ctx.window_end, ctx.roles, window_day(ctx)
    sample, ny, kolkata = r["sample_person"], r["member_new_york"], r["member_kolkata"]
    hidden, sydney, no_tz = (
        r["member_hidden_tz"],
        r["subteam_member_sydney"],
        r["nested_member_no_tz"],
    )
    outsider, outsider2 = r["outsider"], r["outsider_reviewer"]

    def case(name, owner, created) -> QuestionEditor:
        question = new_question(ctx, owner, created)
        ctx.hard_cases[name] = f"question:{question.id}"
        return QuestionEditor(ctx, question)

    old = case("question_old_answered_in_window", outsider, ws - 60 * day)
    old.say(ws + 3 * day, sample, ACTION_ANSWER, "Answered")
    old.say(ws + 4 * day, outsider, ACTION_CONFIRM, "Solved")

    # Expired (hidden by searchQuestions' default statuses); the janitor's message
    # is never an event.
    expired = case("question_expired", kolkata, ws + 2 * day)
    expired.say(ws + 3 * day, ny, ACTION_REQUEST_INFO, "Needs information")
    expired.expire(ws + 18 * day)

    invalid = case("question_invalid", outsider, ws + 5 * day)
    invalid.say(ws + 6 * day, hidden, ACTION_REJECT, "Invalid")

    edges = case("question_events_at_window_edges", no_tz, ws)
    edges.say(we - SECOND, sample, ACTION_COMMENT, "Open")
    edges.say(we, sample, ACTION_ANSWER, "Answered")
    case("question_asked_at_window_end", kolkata, we)

    every = case("question_every_action", ny, ws + 8 * day)
    steps = [
        (kolkata, ACTION_REQUEST_INFO, "Needs information"),
        (ny, ACTION_GIVE_INFO, "Open"),
        (kolkata, ACTION_ANSWER, "Answered"),
        (ny, ACTION_CONFIRM, "Solved"),
        (ny, ACTION_REOPEN, "Open"),
        (kolkata, ACTION_COMMENT, "Open"),
        (hidden, ACTION_SET_STATUS, "Answered"),
        (hidden, ACTION_REJECT, "Invalid"),
    ]
    for index, (who, action, status) in enumerate(steps):
        every.say(ws + (8 + index) * day + HOUR, who, action, status)

    theirs = case("question_member_asked_outsider_replies", sample, ws + 9 * day)
    theirs.say(ws + 10 * day, outsider, ACTION_ANSWER, "Answered")
    theirs.say(ws + 11 * day, outsider2, ACTION_COMMENT, "Answered")

    long = case("question_long_thread", sydney, ws - 3 * day)
    helpers = [outsider, no_tz, sample]
    span = (we + 3 * day) - (ws - 2 * day)
    for index in range(90):
        when = ws - 2 * day + span * index / 90
        if index % 3 == 0:
            long.owner_move(when)
        else:
            long.helper_move(when, helpers[index % len(helpers)])


def add_hard_people(ctx: GenContext) -> None:
    """Name the people the cases rely on, for tests and demos."""
    for role in ("member_hidden_tz", "nested_member_no_tz", "subteam_member_sydney"):
        ctx.hard_cases[f"person_{role}"] = f"~{ctx.roles[role]}"
