"""The documented calls, made through launchpadlib, find exactly the ground truth."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.launchpad import Dataset, LaunchpadSimulator
from tests.simulator.launchpad.reference_flow import ReferenceFlow


@pytest.fixture(scope="module")
def sim10(small: Dataset) -> Iterator[LaunchpadSimulator]:
    # Pages of 10: still several pages per long collection, fewer round trips.
    with LaunchpadSimulator(small, page_size=10) as server:
        yield server


@pytest.mark.parametrize("event_type", ["bugs", "merge_proposals", "questions"])
def test_reference_flow_matches_ground_truth_for_the_team(sim10, login, small, event_type):
    lp = login(sim10, "devel")
    flow = ReferenceFlow(lp, "sample-team", small.window_start, small.window_end)
    extracted = getattr(flow, event_type)()
    assert extracted == sim10.ground_truth("sample-team", event_type=event_type)


def test_reference_flow_matches_for_one_person_and_another_window(sim10, login, small):
    lp = login(sim10, "devel")
    start, end = "2024-02-01T00:00:00+00:00", "2024-03-10T07:00:00+00:00"  # NY DST change
    from simulator.timeutil import parse_instant

    flow = ReferenceFlow(lp, small.sample_person, parse_instant(start), parse_instant(end))
    for event_type in ("bugs", "merge_proposals", "questions"):
        expected = sim10.ground_truth(small.sample_person, start, end, event_type)
        assert getattr(flow, event_type)() == expected


def test_strict_modified_since_misses_the_bug_updated_exactly_at_start(sim10, login, small):
    lp = login(sim10, "devel")
    flow = ReferenceFlow(lp, "sample-team", small.window_start, small.window_end, 0)
    missed = {e["event_id"] for e in sim10.ground_truth(event_type="bugs")} - {
        e["event_id"] for e in flow.bugs()
    }
    bug_id = small.hard_cases["bug_last_updated_at_window_start"].split(":")[1]
    assert missed == {f"launchpad-bug-{bug_id}-activity-1"}


def test_launchpads_bazaar_only_requested_reviews_miss_git_reviews(login, small):
    with LaunchpadSimulator(small, page_size=75, bzr_only_requested_reviews=True) as server:
        flow = ReferenceFlow(
            login(server, "devel"), "sample-team", small.window_start, small.window_end
        )
        extracted = {e["parent_item_id"] for e in flow.merge_proposals()}
        expected = {e["parent_item_id"] for e in server.ground_truth(event_type="merge_proposals")}
    git_review = small.hard_cases["mp_member_only_reviewer_git"]
    bzr_review = small.hard_cases["mp_member_only_reviewer_bzr"]
    assert git_review in expected - extracted
    assert bzr_review in extracted
