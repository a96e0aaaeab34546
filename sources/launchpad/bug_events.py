"""Bug JSON → ``bugs`` events (pure; see spec/launchpad-events.md, "Bugs")."""

from __future__ import annotations

from typing import Any

from sources.launchpad.events import EventContext, make_event

EVENT_TYPE = "bugs"


def activity_relation(whatchanged: str | None) -> str:
    """The relation_type of a bug activity entry, from what it changed.

    Launchpad prefixes task-level changes with the target (``"ubuntu: status"``), hence
    the suffix tests.
    """
    what = (whatchanged or "").strip()
    if what.endswith("status"):
        return "status_changed"
    if what.endswith("assignee"):
        return "assignee_changed"
    if what.endswith("importance"):
        return "importance_changed"
    if what == "tags":
        return "tags_changed"
    return "changed"


def duplicates_created(activity: dict[str, Any]) -> bool:
    """The ``bug`` / ``added bug`` entry Launchpad writes when the bug is filed; the
    ``created`` event already stands for it."""
    return activity.get("whatchanged") == "bug" and activity.get("message") == "added bug"


def bug_properties(bug: dict[str, Any], task: dict[str, Any]) -> dict[str, Any]:
    """``event_properties`` of every event of the bug; status and importance belong to
    a bug task, not to the bug."""
    return {
        "title": bug.get("title"),
        "tags": list(bug.get("tags") or []),
        "importance": task.get("importance"),
        "status": task.get("status"),
        "information_type": bug.get("information_type"),
        "web_link": bug.get("web_link"),
    }


def bug_metrics(bug: dict[str, Any]) -> dict[str, Any]:
    return {
        "heat": bug.get("heat"),
        "message_count": bug.get("message_count"),
        "users_affected_count": bug.get("users_affected_count"),
    }


def bug_events(
    bug: dict[str, Any],
    task: dict[str, Any],
    messages: list[dict[str, Any]],
    activity: list[dict[str, Any]],
    context: EventContext,
) -> list[dict[str, Any]]:
    """Every event of one bug whose actor is ours and whose time is in the window.

    ``messages`` and ``activity`` are the bug's full collections, in Launchpad's order:
    the index of an entry is part of its event_id.
    """
    bug_id = bug["id"]
    common = {
        "parent_item_id": f"bug:{bug_id}",
        "event_properties": bug_properties(bug, task),
        "metrics": bug_metrics(bug),
    }
    events = [
        make_event(
            context,
            event_id=f"launchpad-bug-{bug_id}-created",
            relation_type="created",
            actor_link=bug.get("owner_link"),
            when=bug.get("date_created"),
            relation_properties={},
            **common,
        )
    ]
    # messages[0] is the bug's description, written with the bug: not a comment.
    for index, message in enumerate(messages[1:], start=1):
        events.append(
            make_event(
                context,
                event_id=f"launchpad-bug-{bug_id}-message-{index}",
                relation_type="commented",
                actor_link=message.get("owner_link"),
                when=message.get("date_created"),
                relation_properties={
                    "subject": message.get("subject"),
                    "content": message.get("content"),
                },
                **common,
            )
        )
    for index, change in enumerate(activity):
        if duplicates_created(change):
            continue
        events.append(
            make_event(
                context,
                event_id=f"launchpad-bug-{bug_id}-activity-{index}",
                relation_type=activity_relation(change.get("whatchanged")),
                actor_link=change.get("person_link"),
                when=change.get("datechanged"),
                relation_properties={
                    "whatchanged": change.get("whatchanged"),
                    "oldvalue": change.get("oldvalue"),
                    "newvalue": change.get("newvalue"),
                    "message": change.get("message"),
                },
                **common,
            )
        )
    return [event for event in events if event is not None]
