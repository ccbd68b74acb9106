"""Extract every quantity and date claim of one document, section by section."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

from factcheck.extract.attribution import find_attributions
from factcheck.extract.dates import date_triggers, find_dates, full_date_years, parse_dateline, year_counts
from factcheck.extract.entities import EntityRecord
from factcheck.extract.nonclaims import nonclaim_spans
from factcheck.extract.quantities import digit_lines, finish_quantities, propose_quantities
from factcheck.extract.resolve import (
    Choice,
    Reading,
    date_reading,
    nonclaim_readings,
    quantity_reading,
    resolve,
    table_reading,
)
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
    line = _short_line(text, m.start, m.end)
    if line is not None and parse_dateline(line):
        return "dateline"
    left = left_phrase(text, m.start, xs, 5)
    if left and len(left.split()) >= 2:
        return left
    right = right_phrase(text, m.end, xe, 6)
    return right or left


def _short_line(text: str, start: int, end: int, limit: int = 90) -> str | None:
    """The line holding [start, end) when it is at most limit characters long (no scan beyond that)."""
    lo, hi = max(0, start - limit - 1), min(len(text), end + limit + 1)
    k = text.rfind("\n", lo, start)
    le = text.find("\n", end, hi)
    if (k == -1 and lo > 0) or (le == -1 and hi < len(text)):
        return None
    line = text[k + 1:le if le != -1 else len(text)]
    return line if len(line) <= limit else None


def document_year(text: str, triggers: list[tuple[int, str]] | None = None) -> int | None:
    """The year an undated document most likely speaks from: its most frequent full-date year (triggers: the
    whole text's date_triggers, when already scanned)."""
    counts = full_date_years(text, triggers) or year_counts(text)
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, n in counts.items() if n == best)  # ties: the latest year


def date_claims(text: str, sections: list[SectionSpan], sentences: SentenceIndex) -> list[ClaimDraft]:
    """Date claims for every section, relative ones resolved against the section's date (proposals)."""
    whole = date_triggers(text) if len(sections) == 1 and sections[0].start == 0 and sections[0].end == len(text) \
        else None  # one section over the whole text: its trigger scan serves the document year too
    default_year = document_year(text, whole) if not any(sec.dated for sec in sections) else None
    out: list[ClaimDraft] = []
    for sec in sections:
        for m in find_dates(text, anchor=sec.dated, default_year=default_year, start=sec.start, end=sec.end,
                            triggers=whole):
            xs, xe = sentences.around(m.start, m.end)
            out.append(ClaimDraft(
                kind="date", start=m.start, end=m.end, text=m.text, excerpt_start=xs, excerpt_end=xe,
                unit="date", date=m.date, date_end=m.date_end, date_precision=m.precision,
                relative=m.relative, relative_to=m.anchor if m.relative else None,
                subject=_date_subject(text, m, xs, xe),
            ))
    return out


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document: claims and the people and organisations speaking."""

    claims: list[ClaimDraft]
    entities: list[EntityRecord]


def extract_document(text: str, sections: list[SectionSpan] | None = None) -> Extraction:
    """Quantities, dates, quotes and reported speech of a document, each number carrying its speaker."""
    sentences = SentenceIndex(text)
    claims = extract_claims(text, sections, sentences)
    found = find_attributions(text, sentences)
    _give_speakers(claims, found.spoken, found.spoken_from)
    claims += found.claims
    claims.sort(key=lambda c: (c.start, c.end))
    return Extraction(claims, found.entities)


def _give_speakers(claims: list[ClaimDraft], spoken: list[tuple[int, int, int | None]],
                   spoken_from: dict[tuple[int, int], str] | None = None) -> None:
    """Numbers and dates inside a quote, a turn or reported speech take that speaker (innermost span wins),
    with where the speaker comes from (details.speaker_from: quote, turn or reported)."""
    if not spoken:
        return
    spans = sorted(spoken, key=lambda t: (t[0], t[1]))
    starts = [s for s, _, _ in spans]
    open_: list[int] = []  # indexes of the spans started at or before the current claim, not yet ended before it
    nxt = 0
    for c in sorted(claims, key=lambda c: c.start):
        lim = bisect_right(starts, c.start)
        open_.extend(range(nxt, lim))
        nxt = max(nxt, lim)
        open_ = [i for i in open_ if spans[i][1] >= c.start]  # a span ended before this claim holds no later one
        best = None
        for i in reversed(open_):  # latest start first, as a backwards walk would meet them
            s, e, key = spans[i]
            if s >= c.start - 20000 and c.end <= e and (best is None or e - s < best[1] - best[0]):
                best = (s, e, key)
        if best is not None:
            c.extra["speaker_key"] = best[2]
            c.extra["speaker_from"] = (spoken_from or {}).get((best[0], best[1]), "quote")


def propose(text: str, sections: list[SectionSpan] | None = None,
            sentences: SentenceIndex | None = None) -> list[Reading]:
    """Every recogniser's readings of the document: non-claims, dates, table cells and figures."""
    if sections is None:
        sections = [SectionSpan(0, len(text), None)]
    sentences = sentences or SentenceIndex(text)
    windows = digit_lines(text)
    readings = nonclaim_readings(text, nonclaim_spans(text, windows))
    readings += [date_reading(c) for c in date_claims(text, sections, sentences)]
    readings += [table_reading(c) for c in find_table_cells(text, bytearray(len(text)))]
    readings += [quantity_reading(c) for c in propose_quantities(text, sentences, windows)]
    return readings


def explain(text: str, sections: list[SectionSpan] | None = None) -> list[Choice]:
    """What the resolver kept and dropped in a document, and why (for tests and debugging)."""
    return resolve(propose(text, sections))


def extract_claims(text: str, sections: list[SectionSpan] | None = None,
                   sentences: SentenceIndex | None = None) -> list[ClaimDraft]:
    """All quantity and date claims of a document, sorted by position, with exact offsets."""
    sentences = sentences or SentenceIndex(text)
    choices = resolve(propose(text, sections, sentences))
    kept = [(c.reading.kind, c.reading.claim) for c in choices if c.kept and c.reading.claim is not None]
    figures = [claim for kind, claim in kept if kind == "quantity"]
    claims = [claim for kind, claim in kept if kind != "quantity"]
    claims += finish_quantities(figures, text, sentences)
    claims.sort(key=lambda c: (c.start, c.end))
    return claims


def normalise(s: str) -> str:
    """Lower-case, single-spaced text for fingerprints."""
    return " ".join(s.split()).lower()
