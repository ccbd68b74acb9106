"""Propose, then resolve: every recogniser's readings of a span, and the one non-overlapping set kept.

The recognisers (non-claims, dates, table cells, quantities) each propose readings of spans of a text,
with a kind, the evidence for them and how strong that evidence is. `resolve` keeps the strongest
readings that do not overlap a stronger one, and says for every reading it dropped which reading beat it.
A non-claim beats a figure only on its evidence: a URL, a phone number or a clock time with "pm" beats
any figure; a number after a label word ("Table 4") or a time read only from "at 10.30" beats a bare
count but not an amount of money, a percentage or a measure.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Literal

from factcheck.extract.types import ClaimDraft

ReadingKind = Literal["nonclaim", "date", "table_cell", "quantity"]

# evidence strength of each non-claim reason (see factcheck.extract.nonclaims)
NONCLAIM_WEIGHTS: dict[str, tuple[int, str]] = {
    "url": (100, "a web address or e-mail address"),
    "domain": (95, "a domain name"),
    "hashtag": (95, "a hashtag"),
    "phone": (92, "a phone number"),
    "postcode": (92, "a postcode"),
    "clock": (90, "a clock time"),  # refined by _clock_evidence
    "label": (66, "a number after a label word"),
    "label_words": (66, "a label with a number word"),
    "list_number": (66, "a list or section number"),
    "identifier": (62, "a number that is part of a name or an identifier"),
    "heading_number": (56, "a bare number ending a short heading"),
}
DEFAULT_NONCLAIM = (60, "a non-claim")

DATE_WEIGHT = 84  # an explicit or relative date expression
DATE_UNRESOLVED_WEIGHT = 80  # a date expression with no calendar value: still a date, never a count
TABLE_WEIGHT = 76  # a numeric cell of a table-like row
QUANTITY_UNIT_WEIGHT = 72  # a figure with a written unit: money, %, a measure
QUANTITY_NOUN_WEIGHT = 58  # a figure counting a noun
QUANTITY_BARE_WEIGHT = 50  # a figure on its own

_CLOCK_SUFFIX = re.compile(r"(?i:am|pm|a\.m\.|p\.m\.|hrs|h|gmt|bst|utc|cet|est|edt|pst|pdt|et|local\s+time|"
                           r"o['’]clock|noon)\s*$")


@dataclass(slots=True, frozen=True)
class Reading:
    """One recogniser's reading of text[start:end]: what it is, why, and how strong the evidence is."""

    start: int
    end: int
    kind: ReadingKind
    evidence: str
    weight: int
    claim: ClaimDraft | None = None  # the claim this reading would store (None for a non-claim)

    def overlaps(self, other: Reading) -> bool:
        """True when the two spans share a character."""
        return self.start < other.end and other.start < self.end


@dataclass(slots=True, frozen=True)
class Choice:
    """What the resolver did with one reading: kept it, or dropped it for the reading that beat it."""

    reading: Reading
    kept: bool
    beaten_by: Reading | None = None

    @property
    def why(self) -> str:
        """One line a reviewer can read: what was kept, or what beat what."""
        r = self.reading
        if self.kept:
            return f"kept {r.kind} ({r.evidence}, {r.weight})"
        b = self.beaten_by
        assert b is not None
        return f"dropped {r.kind} ({r.evidence}, {r.weight}): overlaps {b.kind} ({b.evidence}, {b.weight})"


def _clock_evidence(text: str, start: int, end: int) -> tuple[int, str]:
    """How sure a clock-time reading is: a suffix or a colon is strong, a time context alone is weak."""
    span = text[start:end]
    if _CLOCK_SUFFIX.search(span):
        return 90, "a clock time with am/pm, hrs or a time zone"
    if ":" in span:
        return 86, "a clock time with a colon"
    return 60, "a clock time read from its context ('at 10.30')"


def nonclaim_readings(text: str, spans: list[tuple[int, int, str]]) -> list[Reading]:
    """Readings for non-claim spans (start, end, reason), weighed by their reason."""
    out = []
    for s, e, reason in spans:
        weight, evidence = _clock_evidence(text, s, e) if reason == "clock" else \
            NONCLAIM_WEIGHTS.get(reason, DEFAULT_NONCLAIM)
        out.append(Reading(s, e, "nonclaim", f"{reason}: {evidence}", weight))
    return out


def date_reading(claim: ClaimDraft) -> Reading:
    """The reading for a date claim: weaker, but still above any figure, when it has no calendar value."""
    if claim.date is None:
        return Reading(claim.start, claim.end, "date", "a date expression with no calendar value",
                       DATE_UNRESOLVED_WEIGHT, claim)
    return Reading(claim.start, claim.end, "date", f"a date ({claim.date_precision})", DATE_WEIGHT, claim)


def table_reading(claim: ClaimDraft) -> Reading:
    """The reading for a table cell."""
    return Reading(claim.start, claim.end, "table_cell", "a cell of a table row", TABLE_WEIGHT, claim)


def quantity_reading(claim: ClaimDraft) -> Reading:
    """The reading for a figure, weighed by what is written with it: a unit, a counted noun, or nothing."""
    if claim.extra.get("unit_normalised") or (claim.unit or "").startswith(("%", "GBP", "USD", "EUR")):
        return Reading(claim.start, claim.end, "quantity", "a figure with its unit", QUANTITY_UNIT_WEIGHT, claim)
    if claim.unit:
        return Reading(claim.start, claim.end, "quantity", "a figure counting a noun", QUANTITY_NOUN_WEIGHT, claim)
    return Reading(claim.start, claim.end, "quantity", "a figure on its own", QUANTITY_BARE_WEIGHT, claim)


def resolve(readings: list[Reading]) -> list[Choice]:
    """Keep the strongest readings that overlap no stronger kept one; every reading gets its Choice.

    Order of strength: weight, then the longer span, then the earlier one. Choices come back in text order.
    """
    order = sorted(readings, key=lambda r: (-r.weight, -(r.end - r.start), r.start, r.end))
    kept_starts: list[int] = []
    kept: list[Reading] = []
    choices: list[Choice] = []
    for r in order:
        rival = _overlapping(kept_starts, kept, r)
        if rival is None:
            i = bisect_left(kept_starts, r.start)
            kept_starts.insert(i, r.start)
            kept.insert(i, r)
            choices.append(Choice(r, True))
        else:
            choices.append(Choice(r, False, rival))
    choices.sort(key=lambda c: (c.reading.start, c.reading.end, -c.reading.weight))
    return choices


def _overlapping(starts: list[int], kept: list[Reading], r: Reading) -> Reading | None:
    """A kept reading that overlaps r (kept readings never overlap each other, so one step back suffices)."""
    i = bisect_left(starts, r.start)
    if i > 0 and kept[i - 1].overlaps(r):
        return kept[i - 1]
    while i < len(kept) and kept[i].start < r.end:
        if kept[i].overlaps(r):
            return kept[i]
        i += 1
    return None


def kept_claims(choices: list[Choice]) -> list[ClaimDraft]:
    """The claims of the kept readings, in text order."""
    return [c.reading.claim for c in choices if c.kept and c.reading.claim is not None]
