"""githubkit (the GitHub source's client library) parses every payload the simulator
serves with its own pydantic models, unchanged; the one exception is GitHub's own:
the ``line-commented`` timeline entry, which GitHub's OpenAPI calls ``line_commented``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from githubkit import GitHub
from githubkit_schemas.latest import models
from pydantic import TypeAdapter, ValidationError

from tests.simulator.github.conftest import TOKEN

# The response type of GET /repos/{owner}/{repo}/issues/{n}/timeline, entry by entry.
TIMELINE_ENTRY = TypeAdapter(
    models.LabeledIssueEvent
    | models.UnlabeledIssueEvent
    | models.MilestonedIssueEvent
    | models.DemilestonedIssueEvent
    | models.RenamedIssueEvent
    | models.ReviewRequestedIssueEvent
    | models.ReviewRequestRemovedIssueEvent
    | models.ReviewDismissedIssueEvent
    | models.LockedIssueEvent
    | models.TimelineCommentEvent
    | models.TimelineCrossReferencedEvent
    | models.TimelineCommittedEvent
    | models.TimelineReviewedEvent
    | models.TimelineLineCommentedEvent
    | models.TimelineAssignedIssueEvent
    | models.TimelineUnassignedIssueEvent
    | models.StateChangeIssueEvent
)
EXPECTED_MODEL = {
    "commented": "TimelineCommentEvent",
    "reviewed": "TimelineReviewedEvent",
    "committed": "TimelineCommittedEvent",
    "cross-referenced": "TimelineCrossReferencedEvent",
    "labeled": "LabeledIssueEvent",
    "unlabeled": "UnlabeledIssueEvent",
    "assigned": "TimelineAssignedIssueEvent",
    "unassigned": "TimelineUnassignedIssueEvent",
    "renamed": "RenamedIssueEvent",
    "milestoned": "MilestonedIssueEvent",
    "demilestoned": "DemilestonedIssueEvent",
    "review_requested": "ReviewRequestedIssueEvent",
    "review_request_removed": "ReviewRequestRemovedIssueEvent",
    "review_dismissed": "ReviewDismissedIssueEvent",
    "locked": "LockedIssueEvent",
}


@pytest.fixture(scope="module")
def gh(sim) -> Iterator[GitHub]:
    yield GitHub(TOKEN, base_url=sim.service_root, auto_retry=False)


def test_searches_parse(gh, small):
    person = small.sample_person
    issues = gh.rest.search.issues_and_pull_requests(
        q=f"involves:{person} is:pr user:acme updated:>=2023-12-31", per_page=100
    ).parsed_data
    assert issues.total_count == len(issues.items) > 0
    assert all(item.pull_request is not None for item in issues.items)
    commits = gh.rest.search.commits(
        q=f"author:{person} user:acme author-date:2023-12-31..2024-04-02", per_page=100
    ).parsed_data
    assert commits.total_count == len(commits.items) > 0
    assert {c.author.login for c in commits.items if c.author} == {person}
    assert all(c.commit.author.date.utcoffset() is not None for c in commits.items)


def test_items_pulls_teams_users_parse(gh, small):
    repo, _, number = small.hard_cases["merged"].split(":")[1].partition("#")
    owner, name = repo.split("/")
    issue = gh.rest.issues.get(owner, name, int(number)).parsed_data
    assert issue.pull_request is not None and issue.pull_request.merged_at is not None
    pull = gh.rest.pulls.get(owner, name, int(number)).parsed_data
    assert pull.merged and pull.merged_by is not None and pull.head.ref and pull.base.ref == "main"
    members = gh.rest.teams.list_members_in_org("acme", "sample-team", per_page=100).parsed_data
    assert small.hard_cases["nested_member"] in {m.login for m in members}
    team = gh.rest.teams.get_by_name("acme", "sample-nested-team").parsed_data
    assert team.parent is not None and team.parent.slug == "sample-subteam"
    children = gh.rest.teams.list_child_in_org("acme", "sample-team").parsed_data
    assert [t.slug for t in children] == ["sample-subteam"]
    assert (
        gh.rest.users.get_by_username(small.sample_person).parsed_data.login == small.sample_person
    )
    assert gh.rest.rate_limit.get().parsed_data.resources.search.limit > 0


def _timeline(gh: GitHub, key: str) -> list[dict[str, Any]]:
    repo, _, number = key.split(":")[1].partition("#")
    owner, name = repo.split("/")
    entries = []
    for page in range(1, 10):
        response = gh.rest.issues.list_events_for_timeline(
            owner, name, int(number), per_page=100, page=page
        )
        entries += response.json()
        if "next" not in response.headers.get("link", ""):
            return entries
    raise AssertionError("too many pages")


def test_every_timeline_entry_parses_as_its_model(gh, small):
    names = {}
    for key in ("pending_review", "merged", "not_emitted", "edges", "two_people"):
        for entry in _timeline(gh, small.hard_cases[key]):
            if entry["event"] == "line-commented":
                with pytest.raises(ValidationError):
                    TIMELINE_ENTRY.validate_python(entry)
                for comment in entry["comments"]:  # its comments parse on their own
                    models.PullRequestReviewComment.model_validate(comment)
                continue
            parsed = TIMELINE_ENTRY.validate_python(entry)
            names[entry["event"]] = type(parsed).__name__
    for event, model in EXPECTED_MODEL.items():
        if event in names:
            assert names[event] == model, event
    assert {"reviewed", "commented", "merged", "closed", "labeled"} <= set(names)


def test_a_timeline_without_review_comments_parses_whole(gh, small):
    repo, _, number = small.hard_cases["merged"].split(":")[1].partition("#")
    owner, name = repo.split("/")
    entries = gh.rest.issues.list_events_for_timeline(
        owner, name, int(number), per_page=100
    ).parsed_data
    assert {type(e).__name__ for e in entries} >= {
        "StateChangeIssueEvent",
        "ReviewRequestedIssueEvent",
    }
