"""Merge proposal JSON → ``merge_proposals`` events (pure; see the contract)."""

from __future__ import annotations

from typing import Any

from sources.launchpad.events import EventContext, make_event, number_after

EVENT_TYPE = "merge_proposals"


def proposal_id(proposal: dict[str, Any]) -> int:
    """The proposal's number: Launchpad does not export ``id``, its link ends ``+merge/N``."""
    return number_after(proposal["self_link"], "/+merge/")


def unique_name(link: str | None) -> str | None:
    """``https://api.launchpad.net/devel/~ada/widget/+git/widget`` → ``~ada/widget/+git/widget``."""
    if not link or "/~" not in link:
        return None
    return "~" + link.split("/~", 1)[1].rstrip("/")


def code_side(proposal: dict[str, Any], side: str) -> str | None:
    """One side of the proposal (``source`` or ``target``) as people read it:
    ``<repository>:<branch>`` for git, the branch's unique name for Bazaar."""
    repository = unique_name(proposal.get(f"{side}_git_repository_link"))
    if repository is not None:
        path = proposal.get(f"{side}_git_path") or ""
        return f"{repository}:{path.removeprefix('refs/heads/')}"
    return unique_name(proposal.get(f"{side}_branch_link"))


def proposal_properties(proposal: dict[str, Any]) -> dict[str, Any]:
    return {
        "queue_status": proposal.get("queue_status"),
        "source": code_side(proposal, "source"),
        "target": code_side(proposal, "target"),
        "web_link": proposal.get("web_link"),
        "description": proposal.get("description"),
    }


def merge_proposal_events(
    proposal: dict[str, Any], comments: list[dict[str, Any]], context: EventContext
) -> list[dict[str, Any]]:
    """Every event of one proposal whose actor is ours and whose time is in the window.

    ``comments`` is the proposal's whole ``all_comments`` collection in Launchpad's order.
    """
    mp_id = proposal_id(proposal)
    prefix = f"launchpad-mp-{mp_id}"
    common = {
        "parent_item_id": f"mp:{mp_id}",
        "event_properties": proposal_properties(proposal),
        "metrics": {},
    }
    registrant = proposal.get("registrant_link")
    events = [
        make_event(
            context,
            event_id=f"{prefix}-proposed",
            relation_type="proposed",
            actor_link=registrant,
            when=proposal.get("date_created"),
            relation_properties={},
            **common,
        ),
        make_event(
            context,
            event_id=f"{prefix}-review_requested",
            relation_type="review_requested",
            actor_link=registrant,
            when=proposal.get("date_review_requested"),
            relation_properties={},
            **common,
        ),
        make_event(
            context,
            event_id=f"{prefix}-reviewed",
            relation_type="reviewed",
            actor_link=proposal.get("reviewer_link"),
            when=proposal.get("date_reviewed"),
            relation_properties={"queue_status": proposal.get("queue_status")},
            **common,
        ),
        make_event(
            context,
            event_id=f"{prefix}-merged",
            relation_type="merged",
            actor_link=proposal.get("merge_reporter_link"),
            when=proposal.get("date_merged"),
            relation_properties={},
            **common,
        ),
    ]
    for index, comment in enumerate(comments):
        vote = comment.get("vote")
        text = {"subject": comment.get("title"), "content": comment.get("content")}
        if vote is not None:
            relation_properties = {"vote": vote, "review_type": comment.get("vote_tag"), **text}
        else:
            relation_properties = text
        events.append(
            make_event(
                context,
                event_id=f"{prefix}-comment-{index}",
                relation_type="commented" if vote is None else "voted",
                actor_link=comment.get("author_link"),
                when=comment.get("date_created"),
                relation_properties=relation_properties,
                **common,
            )
        )
    return [event for event in events if event is not None]
