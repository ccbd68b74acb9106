"""A flag's dates on one time axis: one row per source (and date it gives), with the page's own date, and whether
the date conflicts; as data for any renderer, and as plain text lines (the review app, the Markdown appendix)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from factcheck.labels import long_date, reader_value
from factcheck.vocabulary import ClaimKind, FlagStatus

Member = Mapping[str, Any]  # a flag member as the store gives it (ExportClaim, DetailMember)


@dataclass(frozen=True)
class TimelineRow:
    """One source's date for the event: the claims giving it, the span it covers, the page's own date."""

    source: str  # the source's name as the renderer should show it
    claim_ids: tuple[int, ...]
    start: dt.date
    end: dt.date  # == start for a day; the last day of a month, year or range
    label: str  # the date in a reader's words, relative dates with the page date they were read against
    short: str  # the date alone: '15 June 2017', 'June 2017'
    page_date: dt.date | None  # the date of the page (or its section) the claim is on
    value_index: int  # which of the timeline's distinct dates this is (earliest first)
    conflicts: bool  # this date cannot be the reference date (or, without one, some other row's)


@dataclass(frozen=True)
class Timeline:
    """The rows on one axis from start to end, the distinct dates, and the one marked right (if any)."""

    subject: str
    rows: tuple[TimelineRow, ...]
    start: dt.date
    end: dt.date
    values: tuple[str, ...]
    reference: int | None  # value_index of the date marked right, else of a date most sources give, else None

    def position(self, day: dt.date) -> float:
        """Where a day falls on the axis, 0.0 (start) to 1.0 (end)."""
        span = (self.end - self.start).days
        return 0.0 if span <= 0 else (day - self.start).days / span


def _day(iso: str | None) -> dt.date | None:
    """An ISO date (or datetime) as a date."""
    return dt.date.fromisoformat(iso[:10]) if iso else None


def _default_name(m: Member) -> str:
    """'[3] Title' when the member carries a reference number, else its title or source path."""
    title = m.get("title") or m.get("source") or "?"
    number = m.get("source_number")
    return f"[{number}] {title}" if number else str(title)


def statement_names(members: Sequence[Member]) -> Callable[[Member], str]:
    """A name() for timeline_of showing each source by its statement's number in the flag: '2 · Title'."""
    numbers = {m.get("claim_id", m.get("id")): n for n, m in enumerate(members, 1)}

    def name(m: Member) -> str:
        """'2 · Title' for the member of statement 2."""
        return f"{numbers.get(m.get('claim_id', m.get('id')), '?')} · {m.get('title') or m.get('source') or '?'}"

    return name


def _overlaps(a: TimelineRow, b: TimelineRow) -> bool:
    """Two rows' spans share a day (12 March 2019 agrees with March 2019)."""
    return a.start <= b.end and b.start <= a.end


def timeline_of(flag: Mapping[str, Any], name: Callable[[Member], str] | None = None) -> Timeline | None:
    """The timeline of a flag's dates (an ExportFlag or a FlagDetail), or None when fewer than two of its members
    give a calendar date. name(member) is how a source is shown (default: '[n] title', else its path)."""
    name = name or _default_name
    right = flag.get("correct_claim_id") if flag.get("status") == FlagStatus.CONFIRMED else None
    groups: dict[tuple[Any, dt.date, dt.date], list[Member]] = {}
    for m in flag.get("members") or []:
        start = _day(m.get("date"))
        if m.get("kind") != ClaimKind.DATE or m.get("role") == "anchor" or start is None:
            continue
        end = _day(m.get("date_end")) or start
        groups.setdefault((m.get("source_id", m.get("source")), start, max(start, end)), []).append(m)
    if len(groups) < 2:
        return None
    spans = sorted({(s, e) for _, s, e in groups})
    draft: list[TimelineRow] = []
    for (_, start, end), ms in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][2], name(kv[1][0]))):
        first = next((m for m in ms if m.get("relative")), ms[0])
        page = _day(first.get("section_date")) or _day(first.get("relative_to")) or _day(first.get("published"))
        ids = tuple(int(m.get("claim_id", m.get("id"))) for m in ms)
        draft.append(TimelineRow(name(first), ids, start, end, reader_value(first),
                                 long_date(first["date"], first.get("date_precision"))
                                 if start == end or first.get("date_precision") in ("month", "year")
                                 else f"{long_date(start.isoformat())} – {long_date(end.isoformat())}",
                                 page, spans.index((start, end)), False))
    reference = next((r.value_index for r in draft if right in r.claim_ids), None)
    if reference is None:
        counts = [sum(r.value_index == i for r in draft) for i in range(len(spans))]
        top = max(counts)
        reference = counts.index(top) if counts.count(top) == 1 and top > 1 else None
    ref_row = next((r for r in draft if r.value_index == reference), None)
    rows = tuple(TimelineRow(**{**r.__dict__, "conflicts": (not _overlaps(r, ref_row)) if ref_row else
                                any(not _overlaps(r, o) for o in draft)}) for r in draft)
    days = [d for r in rows for d in (r.start, r.end, r.page_date) if d is not None]
    lo, hi = min(days), max(days)
    if lo == hi:
        lo, hi = lo - dt.timedelta(days=1), hi + dt.timedelta(days=1)
    values = tuple(next(r.short for r in rows if r.value_index == i) for i in range(len(spans)))
    return Timeline(str(flag.get("subject") or ""), rows, lo, hi, values, reference)


CLAIMED, DIFFERS, PAGE, BOTH, SPAN, AXIS = "●", "✖", "▲", "◆", "━", "─"
LEGEND = f"{CLAIMED} the date given · {DIFFERS} a date that differs · {PAGE} the page's date · {BOTH} both"


def _fit(text: str, width: int) -> str:
    """text cut to width characters (with … when cut), padded to width."""
    if width <= 0:
        return ""
    return (text if len(text) <= width else text[: max(width - 1, 0)] + "…").ljust(width)


def _track(tl: Timeline, row: TimelineRow, width: int) -> str:
    """One row's track: the span or point it gives (✖ where it differs) and ▲ at the page's own date."""
    cells = ["·"] * width

    def at(day: dt.date) -> int:
        return min(width - 1, max(0, round(tl.position(day) * (width - 1))))

    a, b = at(row.start), at(row.end)
    for i in range(a, b + 1):
        cells[i] = SPAN
    mark = DIFFERS if row.conflicts else CLAIMED
    cells[a] = mark
    if row.page_date is not None:
        p = at(row.page_date)
        cells[p] = BOTH if p == a and not row.conflicts else (PAGE if cells[p] != mark else mark)
    return "".join(cells)


def _page_words(r: TimelineRow) -> str:
    """'; page 13 March' (its year when not the row's) when the page's date is another day, else ''."""
    if r.page_date is None or r.page_date == r.start:
        return ""
    day = long_date(r.page_date.isoformat())
    return f"; page {day.rsplit(' ', 1)[0] if r.page_date.year == r.start.year else day}"


def timeline_text(tl: Timeline, width: int = 78) -> list[str]:
    """The timeline as plain lines at most width characters wide: the axis with its first and last day, then per
    row the source's name, its track (● its date, ✖ a differing date, ▲ the page's date, ◆ both on one day) and
    its date in words, with the page's date when it is another day and there is room for it (▲ marks it)."""
    width = max(width, 24)
    name_w = min(max(len(r.source) for r in tl.rows), max(8, width // 4))
    room = width - name_w - 3 - max(10, width // 4)  # what the dates may take, the track keeping a quarter
    words = [r.short + _page_words(r) for r in tl.rows]
    if max(len(w) for w in words) > room:  # no room for the page's date in words: its ▲ shows it
        words = [r.short for r in tl.rows]
    label_w = min(max(len(w) for w in words), max(12, room))
    track_w = max(10, width - name_w - 2 - label_w - 1)
    first, last = long_date(tl.start.isoformat()), long_date(tl.end.isoformat())
    pad = " " * (name_w + 2)
    if len(first) + len(last) + 1 > track_w:  # a narrow track: the days without their years
        first, last = first.rsplit(" ", 1)[0], last.rsplit(" ", 1)[0] if tl.start.year == tl.end.year else last
    axis_labels = first + " " * max(1, track_w - len(first) - len(last)) + last
    lines = [(pad + axis_labels)[:width].rstrip(), (pad + "├" + AXIS * (track_w - 2) + "┤")[:width]]
    for r, said in zip(tl.rows, words, strict=True):
        line = f"{_fit(r.source, name_w)}  {_track(tl, r, track_w)} {_fit(said, label_w)}"
        lines.append(line[:width].rstrip())
    return lines


def timeline_rows_text(rows: Sequence[TimelineRow]) -> list[str]:
    """Each row in one sentence, for a reader who cannot see the picture: '[5] …: 15 June 2017 (page 16 June
    2017), differs'."""
    out = []
    for r in rows:
        page = f", on a page dated {long_date(r.page_date.isoformat())}" if r.page_date else ""
        out.append(f"{r.source}: {r.label}{page}{', differs' if r.conflicts else ''}.")
    return out
