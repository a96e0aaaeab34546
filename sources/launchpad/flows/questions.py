"""``launchpad-questions``: Answers activity of a person or a team's participants.

Items are the questions ``searchQuestions`` returns for each actor with every status
(the default leaves out Expired and Invalid) and no ``participation`` filter, which
Launchpad reads as every participation (owner, subscriber, assignee, commenter,
answerer). The search entries are full question representations (``devel`` only), so
only ``messages`` is read per question, and not even that when the question's own
dates show no message can fall in the window.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from models.etl.extract_cmd import Page, extract_method
from models.event import Window, parse_time
from models.exceptions import InvalidQueryError
from sources.launchpad import extraction
from sources.launchpad.client import Actor, LaunchpadSession
from sources.launchpad.events import EventContext
from sources.launchpad.extraction import Fetch, ItemFlow
from sources.launchpad.query import LaunchpadQuery
from sources.launchpad.question_events import EVENT_TYPE, question_events

# QuestionStatus titles, every one.
QUESTION_STATUSES = ["Open", "Needs information", "Answered", "Solved", "Expired", "Invalid"]


def list_questions(
    session: LaunchpadSession, actors: list[Actor], window: Window
) -> dict[int, dict[str, Any]]:
    """{question id: question entry} over every actor's search."""
    searches = [("searchQuestions", {"status": QUESTION_STATUSES})]
    questions: dict[int, dict[str, Any]] = {}
    for entry in extraction.search_actors(session, actors, searches):
        questions.setdefault(int(entry["id"]), entry)
    return questions


def last_message_time(question: dict[str, Any]):
    """When the question last got a message, if its dates say so: Launchpad moves
    ``date_last_query`` on each of the asker's messages and ``date_last_response`` on
    everyone else's."""
    if "date_last_query" not in question or "date_last_response" not in question:
        return None
    times = [parse_time(question.get(name)) for name in ("date_created", "date_last_query")]
    times.append(parse_time(question.get("date_last_response")))
    return max(moment for moment in times if moment is not None)


def question_fetches(question: dict[str, Any], window: Window) -> dict[str, Fetch] | None:
    created = parse_time(question.get("date_created"))
    if created is not None and created >= window.end:
        return None  # asked after the window: so is every message
    latest = last_message_time(question)
    if latest is not None and latest < window.start:
        return None  # silent since before the window: only "asked" could count, and it's older
    return {"messages": Fetch("collection", question["messages_collection_link"])}


def map_question(
    question: dict[str, Any], fetched: dict[str, Any], context: EventContext
) -> list[dict]:
    return question_events(question, fetched.get("messages", []), context)


FLOW = ItemFlow(EVENT_TYPE, list_questions, question_fetches, map_question)


def require_devel(query: LaunchpadQuery) -> None:
    if query.version != "devel":
        raise InvalidQueryError(
            f"launchpad-questions needs version 'devel', not {query.version!r}: Launchpad's "
            "1.0 and beta web services have no searchQuestions and no question fields"
        )


@extract_method(name="launchpad-questions")
def extract_data(query: LaunchpadQuery, cursor: Any = None) -> Iterator[Page]:
    require_devel(query)
    yield from extraction.extract_pages(FLOW, query, cursor)


def list_item_ids(query: LaunchpadQuery) -> list[int]:
    require_devel(query)
    return extraction.list_item_ids(FLOW, query)
