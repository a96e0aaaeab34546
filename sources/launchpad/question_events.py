"""Question JSON → ``questions`` events (pure; see the contract, "Questions")."""

from __future__ import annotations

import logging
from typing import Any

from sources.launchpad.events import EventContext, make_event

log = logging.getLogger(__name__)

EVENT_TYPE = "questions"

# QuestionAction titles → relation_type. "Expire" is Launchpad's janitor closing a stale
# question: nobody's activity, so it has no entry and is never emitted.
ACTION_RELATIONS = {
    "Answer": "answered",
    "Comment": "commented",
    "Confirm": "confirmed",
    "Request for more information": "info_requested",
    "Give more information": "info_given",
    "Reject": "rejected",
    "Reopen": "reopened",
    "Change status": "status_changed",
}
SILENT_ACTIONS = frozenset({"Expire"})


def question_properties(question: dict[str, Any]) -> dict[str, Any]:
    target_link = question.get("target_link") or ""
    return {
        "title": question.get("title"),
        "status": question.get("status"),
        "web_link": question.get("web_link"),
        "target": target_link.rstrip("/").rsplit("/", 1)[-1] or None,  # the project's name
    }


def question_events(
    question: dict[str, Any], messages: list[dict[str, Any]], context: EventContext
) -> list[dict[str, Any]]:
    """Every event of one question whose actor is ours and whose time is in the window.

    ``messages`` is the question's whole ``messages`` collection in Launchpad's order
    (the replies: the question's description is not a message, so the first is 0).
    """
    question_id = question["id"]
    prefix = f"launchpad-question-{question_id}"
    common = {
        "parent_item_id": f"question:{question_id}",
        "event_properties": question_properties(question),
        "metrics": {},
    }
    events = [
        make_event(
            context,
            event_id=f"{prefix}-asked",
            relation_type="asked",
            actor_link=question.get("owner_link"),
            when=question.get("date_created"),
            relation_properties={},
            **common,
        )
    ]
    for index, message in enumerate(messages):
        action = message.get("action")
        relation = ACTION_RELATIONS.get(action)
        if relation is None:
            if action not in SILENT_ACTIONS:
                log.warning("question %s message %d: unknown action %r", question_id, index, action)
            continue
        events.append(
            make_event(
                context,
                event_id=f"{prefix}-message-{index}",
                relation_type=relation,
                actor_link=message.get("owner_link"),
                when=message.get("date_created"),
                relation_properties={
                    "action": action,
                    "new_status": message.get("new_status"),
                    "subject": message.get("subject"),
                    "content": message.get("content"),
                },
                **common,
            )
        )
    return [event for event in events if event is not None]
