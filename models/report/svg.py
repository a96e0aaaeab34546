"""Two chart kinds as inline SVG, written by hand: stacked columns and horizontal bars.

No script and no outside resource: the page shows the same in any browser, offline. Every
bar carries its numbers as attributes (``data-series``, ``data-category``, ``data-value``)
and a ``<title>`` (the browser's tooltip), so a test or a curious reader can check the
picture against the SQL it came from.
"""

from __future__ import annotations

import math
from html import escape

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
WIDTH = 760


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def axis_steps(value: float) -> tuple[int, int]:
    """``(step, top)`` of a value axis reaching ``value`` in at most five whole steps of
    1, 2 or 5 × 10^k: 9 gives (2, 10), 74 gives (20, 80)."""
    power = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * power
            if math.ceil(value / step) <= 5:
                return step, max(step, math.ceil(value / step) * step)
        power *= 10


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _bar(x, y, w, h, fill, series, category, value) -> str:
    return (
        f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.2f}" '
        f'fill="{fill}" data-series="{_attr(series)}" data-category="{_attr(category)}" '
        f'data-value="{value}"><title>{escape(str(category))} · {escape(str(series))}: '
        f"{value}</title></rect>"
    )


def legend(series: list[str]) -> str:
    keys = "".join(
        f'<span class="key"><i style="background:{colour(i)}"></i>{escape(name)}</span>'
        for i, name in enumerate(series)
    )
    return f'<div class="legend">{keys}</div>'


def figure(chart: str, title: str, svg: str, series: list[str], total: int, measure: str) -> str:
    """A chart with its caption and legend; ``measure`` says which side of a bar is
    proportional to its value (``height`` or ``width``)."""
    return (
        f'<figure class="chart" data-chart="{_attr(chart)}" data-total="{total}" '
        f'data-measure="{measure}">'
        f"<figcaption>{escape(title)} <small>{total} events</small></figcaption>"
        f"{svg}{legend(series) if len(series) > 1 else ''}</figure>"
    )


def stacked_columns(
    chart: str, title: str, categories: list[str], series: dict[str, list[int]]
) -> str:
    """One column per category (a week), stacked by series (relation types)."""
    left, right, top, bottom, height = 44, 12, 12, 40, 240
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    totals = [sum(values[i] for values in series.values()) for i in range(len(categories))]
    step, top_value = axis_steps(max(totals, default=0))
    slot = plot_w / max(1, len(categories))
    parts = []
    for value in range(0, top_value + 1, step):  # gridlines and the value axis
        y = top + plot_h - plot_h * value / top_value
        parts.append(
            f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    label_every = max(1, math.ceil(len(categories) / 13))
    for i, category in enumerate(categories):
        x = left + slot * i + slot * 0.15
        base = top + plot_h
        for index, (name, values) in enumerate(series.items()):
            if values[i] <= 0:
                continue
            h = plot_h * values[i] / top_value
            base -= h
            parts.append(_bar(x, base, slot * 0.7, h, colour(index), name, category, values[i]))
        if i % label_every == 0:
            parts.append(
                f'<text class="tick" x="{x + slot * 0.35:.1f}" y="{top + plot_h + 16}" '
                f'text-anchor="middle">{escape(category[5:])}</text>'
            )
    svg = (
        f'<svg viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{_attr(title)}">{"".join(parts)}</svg>'
    )
    return figure(chart, title, svg, list(series), sum(totals), "height")


def horizontal_bars(
    chart: str, title: str, rows: list[tuple[str, dict[str, int]]], series: list[str]
) -> str:
    """One bar per row (a person, an item), stacked by ``series`` in that order."""
    label_w, right, row_h, top = 260, 56, 22, 6
    plot_w = WIDTH - label_w - right
    totals = [sum(values.values()) for _, values in rows]
    top_value = max(totals, default=0) or 1
    height = top * 2 + row_h * max(1, len(rows))
    parts = []
    for i, (label, values) in enumerate(rows):
        y = top + row_h * i
        short = label if len(label) <= 40 else label[:39] + "…"
        parts.append(
            f'<text class="label" x="{label_w - 8}" y="{y + row_h * 0.68:.1f}" '
            f'text-anchor="end">{escape(short)}<title>{escape(label)}</title></text>'
        )
        x = float(label_w)
        for index, name in enumerate(series):
            value = values.get(name, 0)
            if value <= 0:
                continue
            w = plot_w * value / top_value
            parts.append(_bar(x, y + 3, w, row_h - 6, colour(index), name, label, value))
            x += w
        parts.append(
            f'<text class="tick" x="{x + 6:.1f}" y="{y + row_h * 0.68:.1f}">{totals[i]}</text>'
        )
    svg = (
        f'<svg viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{_attr(title)}">{"".join(parts)}</svg>'
    )
    return figure(chart, title, svg, series, sum(totals), "width")
