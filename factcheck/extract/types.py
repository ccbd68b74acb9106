"""Plain data records that the extractors return (no database, no I/O)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class DateMention:
    """A date expression found in text, resolved to a calendar date where possible."""

    start: int  # absolute character offset into the text that was scanned
    end: int
    text: str  # text[start:end]
    date: dt.date | None  # first day of the period; None when a relative date had no anchor
    # "day" | "time" (a day with its time of day) | "week" | "month" | "quarter" | "season" | "year" | "decade"
    # | "range" | "present" | "past" | "future" | "period" (the last four have no calendar value)
    precision: str
    date_end: dt.date | None = None  # last day of the period for month/year/week/range
    relative: bool = False  # "yesterday", "last year", "next Friday 24th November", ...
    anchor: dt.date | None = None  # the date a relative expression was resolved against


@dataclass(slots=True)
class ClaimDraft:
    """One extracted claim with exact offsets, before it is stored."""

    kind: str  # "quantity" | "date" | "quote" | "attribution"
    start: int
    end: int
    text: str
    excerpt_start: int
    excerpt_end: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str | None = None  # "at_most" | "at_least" | "approx" | "exact" | None
    date: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str | None = None
    relative: bool = False
    relative_to: dt.date | None = None
    subject: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # JSON details (stored in claims.details), any shape
