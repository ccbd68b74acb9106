"""Datelines, sections, title and publication date of a document's text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from factcheck.extract.dates import find_dates, parse_dateline

_LINE = re.compile(r"[^\n]*")
_TODAY_PAREN = re.compile(r"\btoday\s*\(", re.I)
MERGE_PREAMBLE_CHARS = 600  # a dateline this close to the top also dates the lines above it


@dataclass(slots=True)
class SectionInfo:
    """One section: [start, end) of the text, its dateline and the heading under it."""

    start: int
    end: int
    dated: dt.date | None
    heading: str | None = None
    dateline_start: int | None = None
    dateline_end: int | None = None


@dataclass(slots=True)
class Layout:
    """How a document is laid out: sections, title and publication date with its evidence."""

    sections: list[SectionInfo] = field(default_factory=list)
    title: str | None = None
    published: dt.date | None = None
    published_evidence: str | None = None
    published_start: int | None = None


def find_datelines(text: str) -> list[tuple[dt.date, int, int, int]]:
    """(date, line_start, date_start, date_end) for every line that is only a dateline."""
    found = []
    for m in _LINE.finditer(text):
        line = m.group(0)
        if not line.strip() or len(line) > 90:
            continue
        parsed = parse_dateline(line)
        if parsed:
            date, s, e = parsed
            found.append((date, m.start(), m.start() + s, m.start() + e))
    return found


def _heading_after(text: str, pos: int) -> str | None:
    """The first non-empty line after pos (a post's heading)."""
    for m in _LINE.finditer(text, pos):
        line = m.group(0).strip()
        if line:
            return line[:200]
        if m.end() - pos > 2000:
            break
    return None


def guess_title(text: str) -> str | None:
    """The text's headline, not its masthead or banner (factcheck/ingest/metadata.py: headline)."""
    from factcheck.ingest.metadata import headline

    return headline(text, lambda line: parse_dateline(line) is not None)


def _published_from_today(text: str) -> tuple[dt.date, int, int] | None:
    """A date given beside "today" ("published earlier today (16 June 2017)") dates the document."""
    for m in _TODAY_PAREN.finditer(text):
        for d in find_dates(text, start=m.end(), end=min(len(text), m.end() + 40)):
            if d.precision == "day" and not d.relative and d.date:
                return d.date, d.start, d.end
    return None


def layout(text: str, meta_published: dt.date | None = None, meta_title: str | None = None,
           given_published: tuple[dt.date, str] | None = None) -> Layout:
    """Split text into dated sections and find its title and publication date.

    given_published is (date, where from) given by the user (sources.toml, front matter): it is the
    document's publication date whatever the text says, and dates the sections that have no dateline
    of their own; otherwise the first dateline wins over meta_published (the file's own metadata)."""
    out = Layout(title=meta_title or guess_title(text))
    lines = find_datelines(text)
    if given_published:
        out.published, out.published_evidence = given_published
    elif lines:
        first_date, _, ds, de = lines[0]
        out.published, out.published_evidence, out.published_start = first_date, text[ds:de], ds
    elif meta_published:
        out.published, out.published_evidence = meta_published, "document metadata"
    else:
        today = _published_from_today(text)
        if today:
            out.published, s, e = today
            out.published_evidence, out.published_start = text[s:e], s
    if not lines:
        out.sections.append(SectionInfo(0, len(text), out.published, heading=out.title))
        return out
    starts = [ls for _, ls, _, _ in lines]
    if starts[0] > MERGE_PREAMBLE_CHARS:
        out.sections.append(SectionInfo(0, starts[0], out.published, heading=out.title))
    for i, (date, ls, ds, de) in enumerate(lines):
        start = 0 if i == 0 and ls <= MERGE_PREAMBLE_CHARS else ls
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        out.sections.append(SectionInfo(start, end, date, heading=_heading_after(text, de),
                                        dateline_start=ds, dateline_end=de))
    return out
