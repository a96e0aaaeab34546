"""Merge proposals: git and Bazaar, with review requests, votes and comments.

By construction everyone who acts on a proposal is either its registrant (who owns
the source, so getMergeProposals finds it) or has a review request on it (so
getRequestedReviews finds it): Launchpad creates a vote reference for anyone who
votes, and the generator only lets requested reviewers comment or review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from simulator.launchpad.generation.context import GenContext
from simulator.launchpad.model import CodeRef, MergeProposal, ReviewComment, ReviewRequest
from simulator.launchpad.vocab import MERGE_PROPOSAL_STATUSES, REVIEW_VOTES

_BRANCH_WORDS = ["fix", "feature", "refactor", "cleanup", "docs", "perf", "bump", "port"]
_REVIEW_TYPES = (None, "code", "db", "ui")
_REVIEWED_STATUSES = ("Approved", "Rejected", "Merged", "Code failed to merge", "Queued")


def code_refs(ctx: GenContext, owner: str, project: str, git: bool) -> tuple[CodeRef, CodeRef]:
    branch = f"{ctx.rng.choice(_BRANCH_WORDS)}-{ctx.rng.randint(1, 9999)}"
    upstream = ctx.projects[project].owner
    if git:
        source = CodeRef(owner, project, project, f"refs/heads/{branch}")
        return source, CodeRef(upstream, project, project, "refs/heads/main")
    return CodeRef(owner, project, None, branch), CodeRef(upstream, project, None, "trunk")


def new_proposal(
    ctx: GenContext,
    registrant: str,
    created: datetime,
    project: str | None = None,
    git: bool = True,
    needs_review: bool = True,
) -> MergeProposal:
    project = project or ctx.project()
    source, target = code_refs(ctx, registrant, project, git)
    mp = MergeProposal(
        id=ctx.new_mp_id(),
        registrant=registrant,
        source=source,
        target=target,
        queue_status="Needs review" if needs_review else "Work in progress",
        date_created=created,
        description=ctx.paragraph() if ctx.rng.random() < 0.8 else None,
        commit_message=ctx.title() if ctx.rng.random() < 0.5 else None,
        date_review_requested=created if needs_review else None,
    )
    ctx.merge_proposals[mp.id] = mp
    return mp


@dataclass
class ProposalEditor:
    ctx: GenContext
    mp: MergeProposal

    def _request_of(self, reviewer: str) -> ReviewRequest | None:
        return next((r for r in self.mp.reviews if r.reviewer == reviewer), None)

    def request_review(self, when: datetime, reviewer: str, review_type: str | None = None):
        if self._request_of(reviewer) is None:
            self.mp.reviews.append(ReviewRequest(reviewer, self.mp.registrant, when, review_type))

    def ask_for_review(self, when: datetime) -> None:
        self.mp.date_review_requested = when
        self.mp.queue_status = "Needs review"

    def comment(self, when: datetime, author: str, vote: str | None = None) -> None:
        request = self._request_of(author)
        if vote is not None and request is None:
            # Voting without being asked creates the vote reference, as on Launchpad.
            request = ReviewRequest(author, author, when, None)
            self.mp.reviews.append(request)
        title = f"Re: [Merge] {self.mp.source.display} into {self.mp.target.display}"
        vote_tag = request.review_type if (vote and request) else None
        self.mp.comments.append(
            ReviewComment(author, when, title, self.ctx.paragraph(), vote, vote_tag)
        )
        if vote is not None and request is not None:
            request.comment_index = len(self.mp.comments) - 1

    def review(self, when: datetime, reviewer: str, status: str) -> None:
        self.request_review(when, reviewer)
        self.mp.date_reviewed = when
        self.mp.reviewer = reviewer
        self.mp.queue_status = status

    def merge(self, when: datetime, reporter: str | None) -> None:
        self.mp.date_merged = when
        self.mp.merge_reporter = reporter
        self.mp.queue_status = "Merged"


def random_proposal(ctx: GenContext) -> MergeProposal:
    rng = ctx.rng
    final = rng.choices(MERGE_PROPOSAL_STATUSES, weights=(2, 4, 2, 1, 6, 1, 1, 1))[0]
    starts_wip = final == "Work in progress" or rng.random() < 0.2
    registrant = ctx.person()
    created = ctx.moment(ctx.data_start, ctx.data_end)
    mp = new_proposal(
        ctx, registrant, created, git=rng.random() < 0.85, needs_review=not starts_wip
    )
    editor = ProposalEditor(ctx, mp)
    reviewers = ctx.others(registrant, rng.randint(1, 3))
    for reviewer in reviewers:
        editor.request_review(created, reviewer, rng.choice(_REVIEW_TYPES))
    moments = ctx.later_moments(created, ctx.event_count() + 3)
    if len(moments) < 3:
        return mp
    *comment_times, requested, reviewed, merged = moments
    for when in comment_times:
        author = rng.choice([registrant, *reviewers])
        vote = rng.choice(REVIEW_VOTES) if author != registrant and rng.random() < 0.5 else None
        editor.comment(when, author, vote)
    if starts_wip and final != "Work in progress":
        editor.ask_for_review(requested)
    if final in _REVIEWED_STATUSES:
        editor.review(reviewed, rng.choice(reviewers), final if final == "Rejected" else "Approved")
    if final == "Merged":
        editor.merge(merged, rng.choices([registrant, reviewers[0], None], weights=(6, 3, 1))[0])
    mp.queue_status = final
    return mp


def link_superseded(ctx: GenContext) -> None:
    """Point each superseded proposal at the next one, as a resubmission would."""
    for mp in ctx.merge_proposals.values():
        successor = ctx.merge_proposals.get(mp.id + 1)
        if mp.queue_status == "Superseded" and successor and successor.supersedes is None:
            mp.superseded_by = successor.id
            successor.supersedes = mp.id
