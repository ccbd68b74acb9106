"""A flag's timeline (factcheck/timeline.py) as an inline SVG: one row per source, its date as a labelled mark,
the page's own date as a triangle, differing dates in their own colour; no scripts, no fetches, text escaped."""

from __future__ import annotations

import datetime as dt
from html import escape

from factcheck.labels import long_date
from factcheck.timeline import Timeline, TimelineRow

WIDTH = 420  # user units = CSS pixels at full size (the HTML caps the SVG at this width and lets it shrink)
LEFT, RIGHT = 12, 12
ROW_H, TOP, AXIS_H = 72, 4, 40
NAME_CHARS = 46  # a source name longer than this is cut (the whole name is the row's tooltip)
RIGHT_COLOUR, OTHER_COLOUR, PAGE_COLOUR = "#1e7b34", "#b3261e", "#5f6368"
VALUE_COLOURS = ("#1a5fb4", "#b3261e", "#8a5a00", "#6a3d9a", "#00727a", "#a3005a")  # one per distinct date
LABEL_CHAR, LABEL_PAD = 6.3, 8  # an axis label's width per character at font-size 11, and the space kept between


def _x(tl: Timeline, day: dt.date) -> float:
    """The x of a day on the axis."""
    return round(LEFT + tl.position(day) * (WIDTH - LEFT - RIGHT), 1)


def _colour(tl: Timeline, row: TimelineRow) -> str:
    """A marked-right date green and the others red; without one, a colour per distinct date."""
    if tl.reference is not None:
        return OTHER_COLOUR if row.conflicts else RIGHT_COLOUR
    return VALUE_COLOURS[row.value_index % len(VALUE_COLOURS)]


def _cut(text: str, n: int) -> str:
    """text at most n characters, with … when cut."""
    return text if len(text) <= n else text[: n - 1] + "…"


def _row(tl: Timeline, row: TimelineRow, y: float) -> str:
    """One source's row: its name, a track with its date (a dot, or a bar for a span) and page date, a caption."""
    colour = _colour(tl, row)
    x0, x1 = _x(tl, row.start), _x(tl, row.end)
    track = y + 30
    parts = [f'<g class="row"><title>{escape(row.source)}: {escape(row.label)}</title>',
             f'<text x="{LEFT}" y="{y + 14}" font-weight="bold">{escape(_cut(row.source, NAME_CHARS))}</text>',
             f'<line x1="{LEFT}" y1="{track}" x2="{WIDTH - RIGHT}" y2="{track}" stroke="#d9d9de" stroke-width="1"/>']
    if row.page_date is not None:
        px = _x(tl, row.page_date)
        parts.append(f'<path class="page" d="M{px} {track + 7} l-5 9 h10 z" fill="{PAGE_COLOUR}"/>')
    if x1 > x0:
        parts.append(f'<rect x="{x0}" y="{track - 4}" width="{round(x1 - x0, 1)}" height="8" rx="3" '
                     f'fill="{colour}" fill-opacity="0.35" stroke="{colour}"/>')
    shape = (f'<path class="mark" d="M{x0 - 5} {track - 5} l10 10 m0 -10 l-10 10" stroke="{colour}" '
             f'stroke-width="3"/>' if row.conflicts else
             f'<circle class="mark" cx="{x0}" cy="{track}" r="5.5" fill="{colour}"/>')
    parts.append(shape)
    page = (f" · page dated {long_date(row.page_date.isoformat())}" if row.page_date is not None else "")
    caption = f"{row.short}{' (differs)' if row.conflicts else ''}{page}"
    parts.append(f'<text x="{LEFT}" y="{track + 32}" font-size="12" fill="{colour}">{escape(caption)}</text></g>')
    return "".join(parts)


def _axis(tl: Timeline, y: float) -> str:
    """The time axis: a line, a tick at every date a row gives, labels that do not collide (first and last day
    always)."""
    parts = [f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#1d1d1f" stroke-width="1.5"/>']
    days = sorted({d for r in tl.rows for d in (r.start, r.end)} | {tl.start, tl.end})
    drawn: list[tuple[float, float]] = []
    ends = (_x(tl, tl.start), _x(tl, tl.end))
    for day in days:
        x = _x(tl, day)
        parts.append(f'<line x1="{x}" y1="{y - 4}" x2="{x}" y2="{y + 4}" stroke="#1d1d1f"/>')
    for day in [tl.start, tl.end] + [d for d in days if d not in (tl.start, tl.end)]:
        x = _x(tl, day)
        anchor = "start" if x == ends[0] else "end" if x == ends[1] else "middle"
        width = len(long_date(day.isoformat())) * LABEL_CHAR
        left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
        if left < 0 or left + width > WIDTH or any(left < b + LABEL_PAD and a < left + width + LABEL_PAD
                                                   for a, b in drawn):
            continue
        drawn.append((left, left + width))
        parts.append(f'<text x="{x}" y="{y + 18}" font-size="11" text-anchor="{anchor}" fill="#5f6368">'
                     f"{escape(long_date(day.isoformat()))}</text>")
    return "".join(parts)


def timeline_svg(tl: Timeline) -> str:
    """The timeline as one <svg> element to put inline in HTML (role="img", with a text description)."""
    height = TOP + ROW_H * len(tl.rows) + AXIS_H
    summary = "; ".join(f"{r.source}: {r.label}{' (differs)' if r.conflicts else ''}" for r in tl.rows)
    body = "".join(_row(tl, r, TOP + i * ROW_H) for i, r in enumerate(tl.rows))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="14" fill="#1d1d1f">'
            f"<title>Timeline: {escape(tl.subject)}</title><desc>{escape(summary)}</desc>"
            f"{body}{_axis(tl, TOP + ROW_H * len(tl.rows) + 8)}</svg>")
