"""Extract every quantity and date claim of one document, section by section."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from factcheck.extract.dates import find_dates, parse_dateline, year_counts
from factcheck.extract.nonclaims import mask_nonclaims
from factcheck.extract.quantities import digit_lines, find_quantities
from factcheck.extract.sentences import SentenceIndex
from factcheck.extract.subjects import left_phrase, right_phrase
from factcheck.extract.tables import find_table_cells
from factcheck.extract.types import ClaimDraft, DateMention


@dataclass(slots=True)
class SectionSpan:
    """The part of a text that one dateline governs."""

    start: int
    end: int
    dated: dt.date | None


def _date_subject(text: str, m: DateMention, xs: int, xe: int) -> str | None:
    """What a date is the date of: "dateline" for a dateline, else nearby words in the same clause."""
    ls = text.rfind("\n", 0, m.start) + 1
    le = text.find("\n", m.end)
    line = text[ls:le if le != -1 else len(text)]
    if len(line) <= 90 and parse_dateline(line):
        return "dateline"
    left = left_phrase(text, m.start, xs, 5)
    if left and len(left.split()) >= 2:
        return left
    right = right_phrase(text, m.end, xe, 6)
    return right or left


def document_year(text: str) -> int | None:
    """The year an undated document most likely speaks from: its most frequent full-date year."""
    days = [m.date.year for m in find_dates(text) if m.precision == "day" and not m.relative and m.date]
    counts = Counter(days) if days else year_counts(text)
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, n in counts.items() if n == best)  # ties: the latest year


def date_claims(text: str, sections: list[SectionSpan], sentences: SentenceIndex,
                mask: bytearray) -> list[ClaimDraft]:
    """Date claims for every section, relative ones resolved against the section's date."""
    default_year = document_year(text) if not any(sec.dated for sec in sections) else None
    out: list[ClaimDraft] = []
    for sec in sections:
        for m in find_dates(text, anchor=sec.dated, default_year=default_year, start=sec.start, end=sec.end):
            if mask.find(1, m.start, m.end) != -1:
                continue
            xs, xe = sentences.around(m.start, m.end)
            out.append(ClaimDraft(
                kind="date", start=m.start, end=m.end, text=m.text, excerpt_start=xs, excerpt_end=xe,
                unit="date", date=m.date, date_end=m.date_end, date_precision=m.precision,
                relative=m.relative, relative_to=m.anchor if m.relative else None,
                subject=_date_subject(text, m, xs, xe),
            ))
            mask[m.start:m.end] = b"\x01" * (m.end - m.start)
    return out


def extract_claims(text: str, sections: list[SectionSpan] | None = None) -> list[ClaimDraft]:
    """All quantity and date claims of a document, sorted by position, with exact offsets."""
    if sections is None:
        sections = [SectionSpan(0, len(text), None)]
    sentences = SentenceIndex(text)
    mask = bytearray(len(text))
    windows = digit_lines(text)
    mask_nonclaims(text, mask, windows)
    claims = date_claims(text, sections, sentences, mask)
    claims += find_table_cells(text, mask)
    claims += find_quantities(text, mask, sentences, windows)
    claims.sort(key=lambda c: (c.start, c.end))
    return claims


_WS = re.compile(r"\s+")


def normalise(s: str) -> str:
    """Lower-case, single-spaced text for fingerprints."""
    return _WS.sub(" ", s).strip().lower()
