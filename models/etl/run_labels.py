"""What a run is, in words and search attributes, derived from its input alone.

Pure functions of ``(extract_strategy, args)``: starters call them for a run's static
summary (``static_summary=run_summary(...)``), workflows for their search attributes and
current details, so they must stay deterministic (no plugin lookup, no clock, no I/O).

    >>> run_summary("github-pull-requests", {"member": "alice", "owners": ["acme"],
    ...     "data_date_start": "2024-03-04", "data_date_end": "2024-03-11"})
    'GitHub pull requests · alice · acme · 2024-03-04 → 2024-03-11'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from temporalio.common import SearchAttributeUpdate

from models.etl import search_attributes as attrs

# How sources spell their own names; any other source is capitalised.
SOURCE_TITLES = {"launchpad": "Launchpad", "github": "GitHub"}
# The args that name what a run is about, in the order a summary shows them.
SUBJECT_ARGS = ("member", "team", "owners", "repository", "repo", "organization", "org")


@dataclass
class RunLabels:
    """A run's search attribute values (``employees`` comes later, from the roster)."""

    source: str
    flow: str
    member: str
    window_start: datetime | None = None
    window_end: datetime | None = None
    employees: list[str] = field(default_factory=list)

    def updates(self) -> list[SearchAttributeUpdate]:
        """Search attribute updates for every label that has a value."""
        result = [
            attrs.SOURCE.value_set(self.source),
            attrs.FLOW.value_set(self.flow),
        ]
        if self.member:
            result.append(attrs.MEMBER.value_set(self.member))
        if self.window_start is not None:
            result.append(attrs.WINDOW_START.value_set(self.window_start))
        if self.window_end is not None:
            result.append(attrs.WINDOW_END.value_set(self.window_end))
        if self.employees:
            result.append(attrs.EMPLOYEE.value_set(list(self.employees)))
        return result


def split_strategy(extract_strategy: str) -> tuple[str, str]:
    """``"launchpad-merge-proposals"`` → ``("launchpad", "merge-proposals")``."""
    source, _, flow = str(extract_strategy).partition("-")
    return source, flow or source


def window_bound(value: Any) -> datetime | None:
    """A window bound as an aware UTC datetime; None when missing or unreadable (the
    prepare activity reports bad input, not this)."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def labels_for(extract_strategy: str, args: Mapping[str, Any] | Any) -> RunLabels:
    args = args if isinstance(args, Mapping) else {}
    source, flow = split_strategy(extract_strategy)
    member = args.get("member") or args.get("team") or ""
    return RunLabels(
        source=str(args.get("source_kind_id") or source),
        flow=flow,
        member=str(member),
        window_start=window_bound(args.get("data_date_start")),
        window_end=window_bound(args.get("data_date_end")),
    )


def _day(moment: datetime | None) -> str:
    if moment is None:
        return "?"
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M")


def _words(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def run_summary(extract_strategy: str, args: Mapping[str, Any] | Any, employee: str = "") -> str:
    """One line for the Web UI: source and flow · subject(s) · window. ``employee``: the
    roster's id of the member, shown beside it (a queuer's children)."""
    args = args if isinstance(args, Mapping) else {}
    source, flow = split_strategy(extract_strategy)
    words = flow.replace("_", " ").replace("-", " ")  # "merge_proposals": "merge proposals"
    title = f"{SOURCE_TITLES.get(source, source.capitalize())} {words}"
    subjects = [_words(args[name]) for name in SUBJECT_ARGS if args.get(name)]
    if employee and args.get("member") and employee != args["member"]:
        subjects[0] = f"{subjects[0]} ({employee})"
    start = window_bound(args.get("data_date_start"))
    end = window_bound(args.get("data_date_end"))
    return " · ".join([title, *subjects, f"{_day(start)} → {_day(end)}"])


def current_details(phase: str, counts: Any, extra: Mapping[str, Any] | None = None) -> str:
    """Live details for the Web UI (Temporal markdown): phase, pages and events so far."""
    lines = [
        f"**{phase}**",
        f"pages {counts.pages} · items {counts.items}",
        f"events {counts.extracted}: {counts.inserted} inserted, {counts.updated} updated, "
        f"{counts.unchanged} unchanged",
    ]
    lines += [f"{name} {value}" for name, value in (extra or {}).items()]
    return "\n\n".join(lines)


# How a schedule's period reads ("1w" → "weekly window").
PERIOD_WORDS = {"1d": "daily", "1w": "weekly", "7d": "weekly"}


def queuer_summary(request: Any) -> str:
    """One line for a QueuerFlow run or schedule (``request``: its ``QueuerInput``):
    ``Queuer · team platform · launchpad, github · 2024-03-04 → 2024-03-11``. A
    schedule's runs get their window from their scheduled time: "weekly window"."""
    selection = request.selection
    if selection is not None and selection.all_active:
        who = "all active people"
    elif selection is not None and selection.team:
        who = f"team {selection.team}"
    else:
        names = selection.employee_ids if selection is not None else request.logins
        who = _words(names) if len(names) <= 3 else f"{len(names)} people"
    what = _words(request.sources) + (f" ({_words(request.flows)})" if request.flows else "")
    if request.window_start and request.window_end:
        start, end = window_bound(request.window_start), window_bound(request.window_end)
        window = f"{_day(start)} → {_day(end)}"
    else:
        window = f"{PERIOD_WORDS.get(request.period, request.period)} window"
        if request.overlap not in ("", "0"):
            window += f" + {request.overlap} overlap"
    return " · ".join(["Queuer", who, what, window])
