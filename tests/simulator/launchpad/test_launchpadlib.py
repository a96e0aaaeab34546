"""Real launchpadlib against the running simulator, in devel and 1.0."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from lazr.restfulclient.errors import BadRequest

from simulator.launchpad import Dataset, LaunchpadSimulator
from simulator.launchpad.vocab import BUG_TASK_STATUSES, MERGE_PROPOSAL_STATUSES, QUESTION_STATUSES
from tests.simulator.launchpad.conftest import PAGE_SIZE


def _case(ds: Dataset, name: str) -> int:
    return int(ds.hard_cases[name].split(":")[1])


def test_people_and_teams(lp, small: Dataset):
    person = lp.people[small.sample_person]
    assert person.name == small.sample_person
    assert person.is_team is False
    assert person.time_zone == "Europe/London"
    team = lp.people["sample-team"]
    assert team.is_team is True
    assert team.team_owner.name in small.teams["sample-team"].members
    with pytest.raises(KeyError):
        lp.people["no-such-person"]


def test_team_participants_page_and_include_subteams(lp, small: Dataset):
    team = lp.people["sample-team"]
    names = [p.name for p in team.participants]  # several pages of PAGE_SIZE
    assert len(names) > PAGE_SIZE
    assert names == small.participants("sample-team")
    assert len(team.participants) == len(names)
    people = [p.name for p in team.participants if not p.is_team]
    assert people == small.actors("sample-team")
    details = list(team.members_details)
    assert {d.member.name for d in details} == set(small.teams["sample-team"].members)
    assert {d.status for d in details} <= {"Approved", "Administrator"}


def test_redacted_and_missing_time_zones_are_served(lp, small: Dataset):
    hidden = lp.people[small.hard_cases["person_member_hidden_tz"][1:]]
    assert hidden.time_zone == "tag:launchpad.net:2008:redacted"
    assert lp.people[small.hard_cases["person_nested_member_no_tz"][1:]].time_zone is None


def test_search_tasks_filters_like_launchpad(lp, small: Dataset):
    kolkata = lp.people[small.bugs[_case(small, "bug_closed_multi_task")].tasks[1].assignee]
    closed = _case(small, "bug_closed_multi_task")
    everything = kolkata.searchTasks(status=list(BUG_TASK_STATUSES), omit_duplicates=False)
    bug_ids = {task.bug.id for task in everything}
    assert closed in bug_ids
    assert _case(small, "bug_member_activity_only") in bug_ids  # activity only: a commenter
    default = {task.bug.id for task in kolkata.searchTasks()}
    assert closed not in default  # closed tasks are not searched by default
    assigned = kolkata.searchTasks(status=["Won't Fix"], assignee=kolkata)
    assert [(t.bug.id, t.bug_target_name) for t in assigned] == [
        (closed, small.bugs[closed].tasks[1].target)
    ]
    dup = _case(small, "bug_duplicate_with_member_activity")
    nested = lp.people[small.bugs[dup].messages[1].owner]
    assert dup not in {t.bug.id for t in nested.searchTasks(status=list(BUG_TASK_STATUSES))}
    found = nested.searchTasks(status=list(BUG_TASK_STATUSES), omit_duplicates=False)
    assert dup in {t.bug.id for t in found}


def test_search_tasks_modified_since_is_strict(lp, small: Dataset):
    at_start = _case(small, "bug_last_updated_at_window_start")
    actor = lp.people[small.bugs[at_start].activity[1].person]
    statuses = list(BUG_TASK_STATUSES)
    strict = actor.searchTasks(status=statuses, modified_since=small.window_start)
    assert at_start not in {t.bug.id for t in strict}
    earlier = small.window_start - timedelta(seconds=1)
    assert at_start in {
        t.bug.id for t in actor.searchTasks(status=statuses, modified_since=earlier)
    }


def test_named_operation_errors(lp, small: Dataset):
    person = lp.people[small.sample_person]
    with pytest.raises(BadRequest):
        person.searchTasks(status=["Bogus"])
    with pytest.raises(BadRequest):
        person.getMergeProposals(status=["Bogus"])


def test_long_bug_collections_page(lp, small: Dataset):
    bug_id = _case(small, "bug_long_collections")
    bug = lp.bugs[bug_id]
    model = small.bugs[bug_id]
    messages = list(bug.messages)
    assert [m.date_created for m in messages] == [m.date_created for m in model.messages]
    assert messages[0].owner.name == model.owner
    assert len(bug.messages) == bug.message_count == len(model.messages)
    activity = list(bug.activity)
    assert [a.whatchanged for a in activity] == [a.whatchanged for a in model.activity]
    assert activity[0].message == "added bug"
    assert bug.messages[PAGE_SIZE * 3 + 1].subject == model.messages[PAGE_SIZE * 3 + 1].subject
    assert bug.date_last_updated == model.date_last_updated


def test_devel_named_operations_link_their_size(sim: LaunchpadSimulator, small: Dataset):
    url = (
        f"{sim.service_root}devel/~{small.sample_person}?ws.op=searchTasks"
        "&omit_duplicates=false&ws.size=2"
    )
    page = _get_json(url)
    assert "total_size" not in page and page["total_size_link"].endswith("ws.show=total_size")
    assert _get_json(page["total_size_link"]) > 2
    assert page["next_collection_link"].endswith("ws.size=2&ws.start=2")
    old = _get_json(url.replace("/devel/", "/1.0/"))
    assert old["total_size"] == _get_json(page["total_size_link"])
    link_collection = _get_json(f"{sim.service_root}devel/~sample-team/participants?ws.size=2")
    assert "total_size" in link_collection and "resource_type_link" in link_collection
    with pytest.raises(urllib.error.HTTPError) as too_big:
        _get_json(f"{sim.service_root}devel/~sample-team/participants?ws.size=301")
    assert too_big.value.code == 400


def test_merge_proposals(lp, small: Dataset):
    reviewer_only = small.merge_proposals[_case(small, "mp_member_only_reviewer_git")]
    reviewer = lp.people[reviewer_only.reviews[0].reviewer]
    mine = {mp.self_link for mp in reviewer.getMergeProposals(status=list(MERGE_PROPOSAL_STATUSES))}
    asked = reviewer.getRequestedReviews(status=list(MERGE_PROPOSAL_STATUSES))
    asked = {mp.self_link.rsplit("/+merge/", 1)[1]: mp for mp in asked}
    assert str(reviewer_only.id) in asked
    assert all(str(reviewer_only.id) not in link for link in mine)
    mp = asked[str(reviewer_only.id)]
    assert mp.source_git_repository.unique_name == reviewer_only.source.unique_name
    assert mp.source_git_path == reviewer_only.source.path
    votes = [c.vote for c in mp.all_comments]
    assert votes == [c.vote for c in reviewer_only.comments]
    assert [v.reviewer.name for v in mp.votes] == [r.reviewer for r in reviewer_only.reviews]
    default = {m.self_link for m in reviewer.getRequestedReviews()}
    assert all(m.queue_status == "Needs review" for m in reviewer.getRequestedReviews())
    assert default <= set(m.self_link for m in asked.values())


def test_long_merge_proposal_comments(lp, small: Dataset, sim: LaunchpadSimulator):
    model = small.merge_proposals[_case(small, "mp_long_comments")]
    mp = lp.load(f"{sim.service_root}devel/{model.path}")
    comments = list(mp.all_comments)
    assert len(comments) == len(model.comments) > 75
    assert [c.author.name for c in comments[:4]] == [c.author for c in model.comments[:4]]


def test_bazaar_proposal_links(lp, small: Dataset, sim: LaunchpadSimulator):
    model = small.merge_proposals[_case(small, "mp_member_only_reviewer_bzr")]
    mp = lp.load(f"{sim.service_root}devel/{model.path}")
    assert mp.source_git_repository is None
    assert mp.source_branch.unique_name == model.source.unique_name
    assert mp.target_branch.bzr_identity == f"lp:{model.target.unique_name}"


def test_questions_in_devel(lp, small: Dataset):
    expired = small.questions[_case(small, "question_expired")]
    owner = lp.people[expired.owner]
    default = {q.id for q in owner.searchQuestions()}
    assert expired.id not in default  # Expired is not searched by default
    every = owner.searchQuestions(status=list(QUESTION_STATUSES))
    question = {q.id: q for q in every}[expired.id]
    assert question.status == "Expired"
    messages = list(question.messages)
    assert [m.action for m in messages] == [m.action for m in expired.messages]
    assert messages[-1].owner.name == "janitor"
    asked = owner.searchQuestions(status=list(QUESTION_STATUSES), participation="Owner")
    assert all(q.owner.name == expired.owner for q in asked)
    long_thread = small.questions[_case(small, "question_long_thread")]
    helper = lp.people[long_thread.messages[1].owner]
    commented = helper.searchQuestions(status=list(QUESTION_STATUSES), participation="Commenter")
    found = {q.id: q for q in commented}[long_thread.id]
    assert len(list(found.messages)) == len(long_thread.messages)


def test_version_1_0_has_no_questions(lp10, small: Dataset, sim: LaunchpadSimulator):
    person = lp10.people[small.sample_person]
    assert person.name == small.sample_person
    assert not hasattr(person, "searchQuestions")
    question = next(iter(small.questions.values()))
    entry = lp10.load(f"{sim.service_root}1.0/{question.target}/+question/{question.id}")
    assert not hasattr(entry, "title")
    assert person.getMergeProposals(status=list(MERGE_PROPOSAL_STATUSES))[0].queue_status


def test_unknown_paths_and_writes(sim: LaunchpadSimulator):
    for path in ("devel/~no-such-person", "devel/bugs/999999", "2.0/", "devel/nowhere"):
        with pytest.raises(urllib.error.HTTPError) as missing:
            _get_json(sim.service_root + path)
        assert missing.value.code == 404
    request = urllib.request.Request(
        sim.service_root + "devel/bugs/1001", method="PATCH", data=b"{}"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401


def test_wadl_is_served_with_etag(sim: LaunchpadSimulator):
    request = urllib.request.Request(
        sim.service_root + "devel/", headers={"Accept": "application/vnd.sun.wadl+xml"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        body, etag = response.read(), response.headers["ETag"]
    assert f'base="{sim.service_root}devel/"'.encode() in body
    assert b'id="person-searchQuestions"' in body
    request.add_header("If-None-Match", etag)
    with pytest.raises(urllib.error.HTTPError) as cached:
        urllib.request.urlopen(request, timeout=5)
    assert cached.value.code == 304
    root = _get_json(sim.service_root + "1.0/")
    assert root["people_collection_link"] == f"{sim.service_root}1.0/people"


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())
