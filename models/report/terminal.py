"""The report as plain-text tables for a terminal."""

from __future__ import annotations

from datetime import date

from models.report.data import ReportData


def _table(title: str, weeks: list[date], rows: list[tuple[str, dict[date, int]]]) -> list[str]:
    label_width = max([len(title), 5, *(len(label) for label, _ in rows)])
    headers = [week.strftime("%m-%d") for week in weeks] + ["total"]
    widths = [max(5, len(h)) for h in headers]

    def line(label: str, cells: list) -> str:
        body = " ".join(f"{cell:>{w}}" for cell, w in zip(cells, widths, strict=True))
        return f"{label:<{label_width}} {body}"

    lines = [line(title, headers)]
    totals = [0] * len(weeks)
    for label, by_week in rows:
        cells = [by_week.get(week, 0) for week in weeks]
        totals = [a + b for a, b in zip(totals, cells, strict=True)]
        lines.append(line(label, [*cells, sum(cells)]))
    lines.append(line("total", [*totals, sum(totals)]))
    return lines


def render_text(data: ReportData) -> str:
    """Events per person and week, per flow and week, and the busiest items."""
    weeks = data.weeks
    out = [
        f"Weekly activity · {data.selection.describe()}",
        f"{data.total} events; weeks start on Monday (UTC), columns are month-day",
        "",
    ]
    out += _table("person", weeks, [(person.label, person.by_week) for person in data.people])
    out.append("")
    if not data.selection.team and data.teams:
        out += _table("team", weeks, sorted(data.teams.items()))
        out.append("")
    flow_rows = []
    for flow in data.flow_names():
        by_week: dict[date, int] = {}
        for series in data.flows[flow].values():
            for week, events in series.items():
                by_week[week] = by_week.get(week, 0) + events
        flow_rows.append((flow, by_week))
    out += _table("source · event type", weeks, flow_rows)
    if data.items:
        out += ["", "busiest items", f"{'events':>6} {'people':>6}  item"]
        for item in data.items:
            out.append(f"{item.events:>6} {item.people:>6}  {item.source} {item.label}"[:120])
    return "\n".join(out)
