"""The pure mapping of GitHub payloads to rows (spec/github-events.md), without HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

from models.event import Window
from models.identity import CommentBody, Login
from sources.github.events import EventContext, commit_event, item_events
from tests.sources.github import samples as s

WINDOW = Window(datetime(2024, 2, 1, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC))


def context(event_type: str, *actors: str) -> EventContext:
    return EventContext(event_type, WINDOW, frozenset(actors))


def by_suffix(rows: list[dict]) -> dict[str, dict]:
    return {row["event_id"]: row for row in rows}


def test_issue_rows_follow_the_contract_table():
    item = s.issue(12, "Alice", "2024-02-01T00:00:00Z")
    timeline = [
        s.comment(501, "alice", "2024-02-03T10:00:00Z"),
        s.event(601, "labeled", "alice", "2024-02-04T00:00:00Z", label={"name": "bug"}),
        s.event(602, "assigned", "alice", "2024-02-05T00:00:00Z", assignee=s.user("Bob")),
        s.event(
            603, "renamed", "alice", "2024-02-06T00:00:00Z", rename={"from": "old", "to": "new"}
        ),
        s.event(604, "closed", "alice", "2024-02-07T00:00:00Z"),
        s.event(605, "reopened", "alice", "2024-02-08T00:00:00Z"),
        s.event(606, "mentioned", "alice", "2024-02-09T00:00:00Z"),
        s.event(607, "subscribed", "alice", "2024-02-09T00:00:00Z"),
        s.event(608, "cross-referenced", "alice", "2024-02-09T00:00:00Z"),
        s.event(609, "pinned", "alice", "2024-02-10T00:00:00Z"),
    ]
    rows = by_suffix(item_events(context("issues", "alice"), item, timeline))
    prefix = "github-issue-canonical/snapd#12"
    assert {key: row["relation_type"] for key, row in rows.items()} == {
        f"{prefix}-created": "created",
        f"{prefix}-comment-501": "commented",
        f"{prefix}-event-601": "labels_changed",
        f"{prefix}-event-602": "assignee_changed",
        f"{prefix}-event-603": "changed",
        f"{prefix}-event-604": "closed",
        f"{prefix}-event-605": "reopened",
        f"{prefix}-event-609": "changed",
    }
    created = rows[f"{prefix}-created"]
    assert created["parent_item_id"] == "issue:canonical/snapd#12"
    assert created["employee_id"] == "alice"  # lower-cased
    assert created["source_kind_id"] == "github" and created["event_type"] == "issues"
    assert created["event_time_utc"] == "2024-02-01T00:00:00+00:00"
    assert created["timezone"] == "UTC"
    assert created["event_properties"] == {
        "title": "Item 12",
        "state": "open",
        "labels": ["bug"],
        "html_url": "https://github.com/Canonical/Snapd/issues/12",
    }
    body = rows[f"{prefix}-comment-501"]["relation_properties"]["body"]
    assert body == "looks good" and isinstance(body, CommentBody)  # kept only if configured
    assert rows[f"{prefix}-event-601"]["relation_properties"] == {
        "event": "labeled",
        "label": {"name": "bug"},
    }
    assignee = rows[f"{prefix}-event-602"]["relation_properties"]["assignee"]
    assert assignee == "Bob" and isinstance(assignee, Login)
    assert rows[f"{prefix}-event-603"]["relation_properties"]["rename"] == {
        "from": "old",
        "to": "new",
    }


def test_window_is_half_open_and_other_people_are_left_out():
    item = s.issue(3, "carol", "2024-01-31T23:59:59Z")  # before the start
    timeline = [
        s.comment(1, "alice", "2024-02-01T00:00:00Z"),  # the start instant: in
        s.comment(2, "alice", "2024-03-01T00:00:00Z"),  # the end instant: out
        s.comment(3, "alice", "2024-02-29T23:59:59.999999+00:00"),
        s.comment(4, "carol", "2024-02-10T00:00:00Z"),  # not one of ours
        s.comment(5, "alice", "2024-02-29T20:00:00-05:00"),  # 2024-03-01T01:00Z: out
    ]
    rows = item_events(context("issues", "alice"), item, timeline)
    assert sorted(row["event_id"].rsplit("-", 1)[1] for row in rows) == ["1", "3"]


def test_pull_request_reviews_merges_and_pending_reviews():
    item = s.issue(7, "alice", "2024-02-02T00:00:00Z", pull=True)
    timeline = [
        s.review(71, "bob", "2024-02-03T00:00:00Z", "approved"),
        s.review(72, "bob", "2024-02-03T01:00:00Z", "CHANGES_REQUESTED"),
        s.review(73, "bob", None, "pending"),
        {
            "event": "line-commented",
            "node_id": "PRRT_1",
            "comments": [
                s.review_comment(81, "bob", "2024-02-03T00:30:00Z", review_id=71),
                s.review_comment(82, "bob", "2024-02-04T00:30:00Z", review_id=73),
            ],
        },
        s.event(
            91,
            "review_requested",
            "alice",
            "2024-02-02T01:00:00Z",
            requested_reviewer=s.user("bob"),
            review_requester=s.user("alice"),
        ),
        s.event(92, "merged", "alice", "2024-02-05T00:00:00Z", commit_id="d" * 40),
        s.event(93, "closed", "alice", "2024-02-05T00:00:00Z"),
        s.event(94, "head_ref_deleted", "alice", "2024-02-05T00:01:00Z"),
        s.event(95, "committed", "alice", "2024-02-02T00:00:00Z"),
        s.event(96, "review_dismissed", "alice", "2024-02-05T00:02:00Z"),
    ]
    rows = item_events(context("pull_requests", "alice", "bob"), item, timeline, s.pull(7))
    prefix = "github-pr-canonical/snapd#7"
    got = {row["event_id"]: (row["relation_type"], row["employee_id"]) for row in rows}
    assert got == {
        f"{prefix}-created": ("created", "alice"),
        f"{prefix}-review-71": ("reviewed", "bob"),
        f"{prefix}-review-72": ("reviewed", "bob"),
        f"{prefix}-review_comment-81": ("review_commented", "bob"),
        f"{prefix}-event-91": ("review_requested", "alice"),
        f"{prefix}-event-92": ("merged", "alice"),
        f"{prefix}-event-93": ("closed", "alice"),
        f"{prefix}-event-94": ("changed", "alice"),
    }
    states = {row["event_id"]: row["relation_properties"].get("state") for row in rows}
    assert states[f"{prefix}-review-72"] == "changes_requested"
    props = rows[0]["event_properties"]
    assert (props["draft"], props["merged"], props["base_ref"], props["head_ref"]) == (
        False,
        True,
        "main",
        "feature",
    )
    requested = next(r for r in rows if r["event_id"].endswith("-91"))
    assert isinstance(requested["relation_properties"]["requested_reviewer"], Login)


def test_issue_timeline_entries_of_pull_requests_only_are_not_emitted_for_issues():
    item = s.issue(4, "alice", "2024-02-02T00:00:00Z")
    timeline = [
        s.review(1, "alice", "2024-02-03T00:00:00Z", "approved"),
        s.event(2, "merged", "alice", "2024-02-03T00:00:00Z"),
    ]
    rows = item_events(context("issues", "alice"), item, timeline)
    assert [row["relation_type"] for row in rows] == ["created"]


def test_commit_rows():
    sha = "0123456789abcdef0123456789ABCDEF01234567"
    row = commit_event(
        context("commits", "alice"),
        s.commit_result(sha, "Alice", "2024-02-10T12:00:00+02:00", repo="Canonical/Snapd"),
    )
    assert row["event_id"] == f"github-commit-canonical/snapd@{sha.lower()}"
    assert row["parent_item_id"] == f"commit:canonical/snapd@{sha.lower()}"
    assert row["relation_type"] == "authored" and row["employee_id"] == "alice"
    assert row["event_time_utc"] == "2024-02-10T10:00:00+00:00"
    assert row["event_properties"]["message"] == "Fix the thing"
    # Offsets decide: 2024-03-01T01:00+02:00 is 2024-02-29T23:00Z, inside.
    late = s.commit_result("f" * 40, "alice", "2024-03-01T01:00:00+02:00")
    assert commit_event(context("commits", "alice"), late) is not None
    assert (
        commit_event(
            context("commits", "alice"), s.commit_result("e" * 40, None, "2024-02-10T00:00:00Z")
        )
        is None
    )
