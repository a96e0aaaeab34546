"""Merge proposal JSON → events, without HTTP."""

from __future__ import annotations

from sources.launchpad.merge_proposal_events import merge_proposal_events, proposal_id
from tests.sources.launchpad.samples import (
    API,
    BEFORE,
    INSIDE,
    comment,
    context,
    person,
    proposal,
)


def events_of(entry, comments=()):
    return {
        e["event_id"]: e
        for e in merge_proposal_events(entry, list(comments), context("merge_proposals"))
    }


def test_id_is_the_number_after_merge():
    assert proposal_id(proposal(314)) == 314


def test_lifecycle_events_by_their_actors():
    entry = proposal(
        date_review_requested=INSIDE,
        reviewer_link=person("bob"),
        date_reviewed=INSIDE,
        queue_status="Approved",
        merge_reporter_link=person("bob"),
        date_merged=INSIDE,
    )
    events = events_of(entry)
    assert {k: (v["relation_type"], v["employee_id"]) for k, v in events.items()} == {
        "launchpad-mp-42-proposed": ("proposed", "alice"),
        "launchpad-mp-42-review_requested": ("review_requested", "alice"),
        "launchpad-mp-42-reviewed": ("reviewed", "bob"),
        "launchpad-mp-42-merged": ("merged", "bob"),
    }
    assert events["launchpad-mp-42-reviewed"]["relation_properties"]["queue_status"] == "Approved"
    assert all(e["parent_item_id"] == "mp:42" for e in events.values())


def test_unset_dates_and_unknown_merge_reporter_emit_nothing():
    events = events_of(proposal(date_created=BEFORE, date_merged=INSIDE))
    assert events == {}


def test_properties_name_both_sides_git_and_bazaar():
    [event] = events_of(proposal()).values()
    assert event["event_properties"] == {
        "queue_status": "Merged",
        "source": "~alice/widget/+git/widget:fix-12",
        "target": "~widget-devs/widget/+git/widget:main",
        "web_link": "https://code.launchpad.test/~alice/widget/+git/widget/+merge/42",
        "description": "Fixes the crash",
    }
    assert event["metrics"] == {}
    bzr = proposal(
        source_git_repository_link=None,
        target_git_repository_link=None,
        source_git_path=None,
        target_git_path=None,
        source_branch_link=f"{API}~alice/widget/fix-12",
        target_branch_link=f"{API}~widget-devs/widget/trunk",
    )
    [event] = events_of(bzr).values()
    assert event["event_properties"]["source"] == "~alice/widget/fix-12"
    assert event["event_properties"]["target"] == "~widget-devs/widget/trunk"


def test_votes_and_comments():
    comments = [
        comment("bob", INSIDE, vote="Approve", tag="code"),
        comment("alice", INSIDE),
        comment("bob", INSIDE, vote="Needs Fixing"),
        comment("mallory", INSIDE, vote="Disapprove"),
        comment("alice", BEFORE),
    ]
    events = events_of(proposal(date_created=BEFORE), comments)
    assert {k: v["relation_type"] for k, v in events.items()} == {
        "launchpad-mp-42-comment-0": "voted",
        "launchpad-mp-42-comment-1": "commented",
        "launchpad-mp-42-comment-2": "voted",
    }
    assert events["launchpad-mp-42-comment-0"]["relation_properties"] == {
        "vote": "Approve",
        "review_type": "code",
        "subject": "Re: review",
        "content": "looks fine",
    }
    assert events["launchpad-mp-42-comment-2"]["relation_properties"]["vote"] == "Needs Fixing"
    assert events["launchpad-mp-42-comment-1"]["relation_properties"] == {
        "subject": "Re: review",
        "content": "looks fine",
    }
