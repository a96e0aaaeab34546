"""Hand-written Launchpad JSON for the mapping tests, shaped like the web service's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from models.event import Window
from sources.launchpad.events import EventContext

API = "https://api.launchpad.test/devel/"
WINDOW = Window(datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 4, 1, tzinfo=UTC))
ACTORS = {"alice": "Europe/Berlin", "bob": "UTC"}
INSIDE = "2024-03-10T12:00:00.123456+00:00"
BEFORE = "2024-02-20T08:00:00+00:00"


def context(event_type: str) -> EventContext:
    return EventContext(event_type, WINDOW, ACTORS)


def person(name: str) -> str:
    return f"{API}~{name}"


def bug(bug_id: int = 7, owner: str = "alice", created: str = INSIDE) -> dict[str, Any]:
    return {
        "self_link": f"{API}bugs/{bug_id}",
        "web_link": f"https://bugs.launchpad.test/bugs/{bug_id}",
        "id": bug_id,
        "title": "Crash on start",
        "tags": ["crash", "regression"],
        "information_type": "Public",
        "owner_link": person(owner),
        "date_created": created,
        "heat": 12,
        "message_count": 3,
        "users_affected_count": 2,
        "messages_collection_link": f"{API}bugs/{bug_id}/messages",
        "activity_collection_link": f"{API}bugs/{bug_id}/activity",
    }


def task(bug_id: int = 7, target: str = "widget", status: str = "Triaged") -> dict[str, Any]:
    return {
        "self_link": f"{API}{target}/+bug/{bug_id}",
        "bug_link": f"{API}bugs/{bug_id}",
        "status": status,
        "importance": "High",
        "date_created": "2024-01-01T00:00:00+00:00",
    }


def message(owner: str, when: str, subject: str = "Re: Crash", content: str = "me too"):
    return {
        "owner_link": person(owner),
        "date_created": when,
        "subject": subject,
        "content": content,
    }


def activity(person_name: str, when: str, whatchanged: str, old=None, new=None, message=None):
    return {
        "person_link": person(person_name),
        "datechanged": when,
        "whatchanged": whatchanged,
        "oldvalue": old,
        "newvalue": new,
        "message": message,
    }


def proposal(mp_id: int = 42, **fields: Any) -> dict[str, Any]:
    base = f"{API}~alice/widget/+git/widget/+merge/{mp_id}"
    entry = {
        "self_link": base,
        "web_link": base.replace(API, "https://code.launchpad.test/"),
        "registrant_link": person("alice"),
        "queue_status": "Merged",
        "date_created": INSIDE,
        "date_review_requested": None,
        "date_reviewed": None,
        "reviewer_link": None,
        "date_merged": None,
        "merge_reporter_link": None,
        "all_comments_collection_link": f"{base}/all_comments",
        "source_git_repository_link": f"{API}~alice/widget/+git/widget",
        "source_git_path": "refs/heads/fix-12",
        "target_git_repository_link": f"{API}~widget-devs/widget/+git/widget",
        "target_git_path": "refs/heads/main",
        "source_branch_link": None,
        "target_branch_link": None,
        "description": "Fixes the crash",
    }
    entry.update(fields)
    return entry


def comment(author: str, when: str, vote: str | None = None, tag: str | None = None) -> dict:
    return {
        "author_link": person(author),
        "date_created": when,
        "title": "Re: review",
        "content": "looks fine",
        "vote": vote,
        "vote_tag": tag,
    }


def question(question_id: int = 5, owner: str = "alice", created: str = INSIDE) -> dict:
    return {
        "self_link": f"{API}widget/+question/{question_id}",
        "web_link": f"https://answers.launchpad.test/widget/+question/{question_id}",
        "id": question_id,
        "title": "How do I start it?",
        "status": "Solved",
        "owner_link": person(owner),
        "date_created": created,
        "target_link": f"{API}widget",
        "messages_collection_link": f"{API}widget/+question/{question_id}/messages",
    }


def question_message(owner: str, when: str, action: str, new_status: str = "Open") -> dict:
    return {
        "owner_link": person(owner),
        "date_created": when,
        "action": action,
        "new_status": new_status,
        "subject": "Re: How do I start it?",
        "content": "text",
    }
