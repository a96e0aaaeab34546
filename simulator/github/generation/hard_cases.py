"""The cases the contract names, added to every dataset with fixed shapes and times.

`dataset.hard_cases` maps each name to its item's key (``issue:acme/gadget#7``), commit
key or login. P is the sample person (a direct member of the sample team), N a member
reached only through the sample team's grandchild team, O an outsider.
"""

from __future__ import annotations

from datetime import timedelta

from simulator.github.generation.activity import new_commit
from simulator.github.generation.context import DAY, SECOND, GenContext
from simulator.github.generation.editor import ItemEditor
from simulator.github.model import Item

HOUR = timedelta(hours=1)


def add_hard_cases(ctx: GenContext, person: str, nested: str, other_member: str) -> None:
    ds = ctx.ds
    start, end = ds.window_start, ds.window_end
    repo = ds.repos["acme/gadget"]
    widget = ds.repos["acme/widget"]
    outsider = "outsider-1"
    cases = ds.hard_cases

    def item(name: str, kind: str, where, author: str, created) -> ItemEditor:
        made: Item = ctx.new_item(kind, where, author, created)
        cases[name] = made.key
        return ItemEditor(ctx, made)

    # Facts at the window's edges on an item older than the window: start included,
    # end excluded, one second either side of each.
    edges = item("edges", "issue", repo, outsider, start - 60 * DAY)
    edges.comment(person, start - SECOND)
    edges.comment(person, start)
    edges.label(person, start + HOUR, "bug")
    edges.comment(person, end - SECOND)
    edges.close(person, end)
    edges.reopen(person, end + SECOND)

    created = item("created_at_start", "issue", widget, person, start)
    created.comment(outsider, start + DAY)

    # Found twice for the team: by P and by N (and by involves: and reviewed-by:).
    shared = item("two_people", "pr", widget, nested, start + 3 * DAY)
    shared.comment(person, start + 4 * DAY)
    shared.review(person, start + 5 * DAY, "approved")
    shared.assign(nested, start + 5 * DAY + HOUR, other_member)

    # Only a review ties P to it: reviewed-by: finds it, involves: does not.
    reviewed = item("reviewed_only", "pr", widget, outsider, start + 10 * DAY)
    reviewed.review(person, start + 11 * DAY, "changes_requested")

    # Pending reviews and their comments are not emitted; a dismissed review is.
    pending = item("pending_review", "pr", repo, outsider, start + 20 * DAY)
    pending.review(person, None, "pending", comments=2, comments_at=start + 21 * DAY)
    pending.review(person, start + 22 * DAY, "commented", comments=1)
    dismissed = pending.review(nested, start + 23 * DAY, "approved")
    pending.dismiss(dismissed, outsider, start + 24 * DAY)
    pending.review(nested, None, "pending", comments=1, comments_at=start + 25 * DAY)

    # A merge: merged and closed, both emitted; and the other pull-request events.
    merged = item("merged", "pr", widget, person, start + 30 * DAY)
    merged.request_review(person, start + 30 * DAY + HOUR, nested)
    merged.request_review(person, start + 30 * DAY + 2 * HOUR, other_member, add=False)
    merged.draft(person, start + 31 * DAY, draft=True)
    merged.draft(person, start + 32 * DAY, draft=False)
    for name in ("head_ref_force_pushed", "base_ref_changed", "auto_merge_enabled"):
        merged.plain(name, person, start + 33 * DAY)
    merged.committed(person, start + 33 * DAY + HOUR)
    merged.merge(other_member, start + 34 * DAY)
    merged.plain("head_ref_deleted", person, start + 34 * DAY + SECOND)
    merged.plain("head_ref_restored", person, start + 34 * DAY + 2 * SECOND)

    # A timeline of several pages even at per_page=100.
    long = item("many_pages", "issue", repo, outsider, start - 10 * DAY)
    for n in range(260):
        actor = (person, outsider, nested)[n % 3]
        long.comment(actor, start + timedelta(minutes=37 * n + 1))

    # Events that are never emitted, by P only.
    noise = item("not_emitted", "issue", repo, outsider, start + 40 * DAY)
    for n, name in enumerate(("mentioned", "subscribed", "referenced", "connected")):
        noise.plain(name, person, start + 40 * DAY + n * HOUR)
    noise.cross_reference(person, start + 41 * DAY, ds.items[("acme/gadget", 1)])

    # Other owners' and a user's own repository: out of scope for owners acme, acme-labs.
    other = item("other_owner", "issue", ds.repos["other-corp/doohickey"], person, start + DAY)
    other.comment(person, start + 2 * DAY)
    own = ds.repos[f"{person}/dotfiles".lower()]
    mine = item("user_repo", "issue", own, person, start + 2 * DAY)
    mine.comment(person, start + 3 * DAY)

    # Deleted (410) and made private (404): listed by search, unreadable, not emitted.
    for name, status in (("deleted", 410), ("made_private", 404)):
        gone = item(name, "issue", repo, person, start + 5 * DAY)
        gone.comment(person, start + 6 * DAY)
        gone.item.gone = status

    # Outsiders' facts on the sample person's item: not emitted.
    theirs = item("outsiders_on_member_item", "issue", repo, person, start - 200 * DAY)
    theirs.comment(outsider, start + 7 * DAY)
    theirs.close("outsider-2", start + 8 * DAY)

    # Commits: instants at the edges, offsets that move the local date across them,
    # one without a linked login and one in another owner's repository.
    commits = (
        ("commit_at_start", start, 0, True, repo),
        ("commit_local_date_before_start", start + HOUR, -5, True, repo),  # 2023-12-31 local
        ("commit_utc_before_start", start - HOUR, 2, True, repo),  # 2024-01-01 local
        ("commit_just_before_end", end - SECOND, 2, True, repo),  # 04-01 local
        ("commit_at_end", end, -5, True, repo),  # 03-31 local
        ("commit_unlinked", start + 9 * DAY, 1, False, repo),
        ("commit_other_owner", start + 9 * DAY, 1, True, ds.repos["other-corp/whatsit"]),
    )
    for name, moment, offset, linked, where in commits:
        cases[name] = new_commit(ctx, where, person, moment, offset, linked).key
    cases["sample_person"] = person
    cases["nested_member"] = nested


def add_cap_case(ctx: GenContext, login: str, count: int) -> None:
    """`count` issues, pull requests and commits by one person in one owner's repositories,
    spread over the window: each search for them is above the 1,000 cap until split."""
    ds = ctx.ds
    gizmo = ds.repos["acme/gizmo"]
    span = ds.window_end - ds.window_start
    for n in range(count):
        at = ds.window_start + span * (n + 0.5) / count
        at = at.replace(microsecond=0)
        for kind in ("issue", "pr"):
            editor = ItemEditor(ctx, ctx.new_item(kind, gizmo, login, at))
            if n % 4 == 0:
                editor.comment(login, at + HOUR)
        new_commit(ctx, gizmo, login, at + 2 * HOUR, (n % 5) - 2, linked=True)
    ds.hard_cases["cap_person"] = login
