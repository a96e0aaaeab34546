"""Random issues, pull requests and commits around the window, for volume.

Items start up to 150 days before the window (old items with new activity) and until
shortly before its end; their timelines run on past it. Actors are drawn from a few
participants per item: members and outsiders alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from simulator.github.generation.context import DAY, LABELS, MILESTONES, GenContext
from simulator.github.generation.editor import ItemEditor
from simulator.github.generation.people import BOT
from simulator.github.model import Commit, Item, Repo

_OFFSETS = (-8, -5, -4, 0, 0, 1, 2, 5.5, 9)  # hours: commit dates keep their author's
_ISSUE_STEPS = (
    ("comment", 40), ("label", 12), ("assign", 10), ("state", 10), ("rename", 4),
    ("milestone", 4), ("lock", 2), ("pin", 1), ("duplicate", 1), ("noise", 10),
)  # fmt: skip
_PR_STEPS = (
    ("review", 14), ("review_comments", 6), ("request", 6), ("draft", 3), ("push", 4),
    ("ref", 2), ("auto_merge", 2), ("commit", 5), ("dismiss", 2),
)  # fmt: skip


def random_item(
    ctx: GenContext, kind: str, repos: list[Repo], users: list[str], activity: int
) -> Item:
    rng, ds = ctx.rng, ctx.ds
    repo = rng.choice(repos)
    participants = rng.sample(users, k=min(len(users), rng.randint(2, 5)))
    created = ctx.instant(ds.window_start - 150 * DAY, ds.window_end - DAY)
    item = ctx.new_item(kind, repo, participants[0], created)
    editor = ItemEditor(ctx, item)
    if kind == "pr" and rng.random() < 0.3:
        item.draft = True
    at = created
    steps = _ISSUE_STEPS + (_PR_STEPS if kind == "pr" else ())
    for _ in range(rng.randint(0, 2 * activity)):
        at += timedelta(seconds=rng.randint(60, 12 * 86400))
        actor = rng.choice(participants)
        step = rng.choices([s for s, _ in steps], weights=[w for _, w in steps])[0]
        _act(ctx, editor, step, actor, at, participants)
    if kind == "pr" and item.state == "open" and rng.random() < 0.5:
        at += timedelta(seconds=rng.randint(60, 86400))
        editor.merge(rng.choice(participants), at)
    return item


def _act(ctx, editor: ItemEditor, step: str, actor: str, at: datetime, people: list[str]) -> None:
    rng, item = ctx.rng, editor.item
    if step == "comment":
        editor.comment(actor, at)
    elif step == "label":
        name = rng.choice(LABELS)
        editor.label(actor, at, name, add=name not in item.labels)
    elif step == "assign":
        who = rng.choice(people)
        editor.assign(actor, at, who, add=who not in item.assignees)
    elif step == "state":
        editor.reopen(actor, at) if item.state == "closed" else editor.close(actor, at)
    elif step == "rename":
        editor.rename(actor, at)
    elif step == "milestone":
        editor.milestone(actor, at, None if item.milestone else rng.choice(MILESTONES))
    elif step == "lock":
        editor.lock(actor, at, locked=not item.locked)
    elif step == "pin":
        editor.plain(rng.choice(("pinned", "unpinned")), actor, at)
    elif step == "duplicate":
        editor.plain("marked_as_duplicate", actor, at)
    elif step == "noise":  # never emitted
        name = rng.choice(("mentioned", "subscribed", "referenced", "labeled-by-bot"))
        if name == "labeled-by-bot":
            editor.label(BOT, at, "triage", add="triage" not in item.labels)
        else:
            editor.plain(name, actor, at, commit_id=None)
    elif step in ("review", "review_comments"):
        state = rng.choice(("approved", "changes_requested", "commented"))
        comments = rng.randint(1, 3) if step == "review_comments" else 0
        editor.review(actor, at, state if not comments else "commented", comments)
    elif step == "request":
        editor.request_review(actor, at, rng.choice(people), add=rng.random() < 0.8)
    elif step == "draft":
        editor.draft(actor, at, draft=not item.draft)
    elif step == "push":
        editor.plain("head_ref_force_pushed", actor, at)
    elif step == "ref":
        editor.plain(
            rng.choice(("base_ref_changed", "head_ref_deleted", "head_ref_restored")), actor, at
        )
    elif step == "auto_merge":
        editor.plain(rng.choice(("auto_merge_enabled", "auto_merge_disabled")), actor, at)
    elif step == "commit":
        editor.committed(actor, at)
    elif step == "dismiss":
        reviews = [
            e for e in item.timeline if e.event == "reviewed" and e.details["state"] != "dismissed"
        ]
        if reviews:
            editor.dismiss(rng.choice(reviews), actor, at)


def random_commit(ctx: GenContext, repos: list[Repo], users: list[str]) -> Commit:
    rng, ds = ctx.rng, ctx.ds
    repo = rng.choice(repos)
    author = rng.choice(users)
    moment = ctx.instant(ds.window_start - 30 * DAY, ds.window_end + 30 * DAY)
    return new_commit(ctx, repo, author, moment, rng.choice(_OFFSETS), linked=rng.random() > 0.1)


def new_commit(
    ctx: GenContext, repo: Repo, author: str, moment: datetime, offset_hours: float, linked: bool
) -> Commit:
    """A commit authored at UTC instant `moment`, dated in the author's own offset."""
    local = moment.astimezone(timezone(timedelta(hours=offset_hours)))
    user = ctx.ds.user(author)
    name = user.name if user else author
    commit = Commit(
        repo=repo,
        sha=ctx.sha(repo.full_name, author, moment.isoformat(), len(ctx.ds.commits)),
        author_login=author if linked else None,
        author_name=name,
        author_email=f"{author.lower()}@{'users.noreply.github.com' if linked else 'laptop.local'}",
        author_date=local,
        committer_login=author if linked and ctx.rng.random() < 0.7 else "web-flow",
        committer_date=local,
        message=f"{ctx.title()}\n\n{ctx.title()}.",
    )
    ctx.ds.commits.append(commit)
    return commit
