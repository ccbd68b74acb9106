"""Every place a name is written in the sources, with exact offsets and the claim whose excerpt holds it."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from factcheck.match.acronyms import is_acronym
from factcheck.match.records import ClaimRecord, SourceText, place

_TOKEN = re.compile(r"\b[A-Z][A-Za-z]*")  # a capitalised word's leading letters: where a name can start
TOUCH = 1  # a claim whose span is at most this many characters from a name "touches" it


@dataclass(slots=True)
class Mention:
    """One written mention of a spelling: its source, absolute offsets, text and holding claim."""

    spelling: str
    source_id: int
    source: str
    start: int
    end: int
    text: str
    claim: ClaimRecord | None

    def as_json(self) -> dict:
        """The mention as stored in a flag's details."""
        return {"source": self.source, "source_id": self.source_id, "start": self.start, "end": self.end,
                "text": self.text, "claim_id": self.claim.id if self.claim else None, "spelling": self.spelling}


class Unit:
    """A stretch of one source to scan (its whole text, or one excerpt) and the claims whose excerpts lie in it."""

    def __init__(self, source_id: int, source: str, offset: int, text: str, claims: list[ClaimRecord]) -> None:
        self.source_id, self.source, self.offset, self.text = source_id, source, offset, text
        self.claims = sorted(claims, key=lambda r: (r.excerpt_start, place(r)))
        self.starts = [r.excerpt_start for r in self.claims]
        self.longest = max((len(r.excerpt) for r in self.claims), default=0)

    def holders(self, start: int, end: int) -> list[ClaimRecord]:
        """The claims whose excerpts contain [start, end)."""
        i = bisect_right(self.starts, start)
        out = []
        while i > 0 and self.starts[i - 1] >= start - self.longest:
            i -= 1
            r = self.claims[i]
            if r.excerpt_start + len(r.excerpt) >= end:
                out.append(r)
        return out


def touches(r: ClaimRecord, start: int, end: int) -> bool:
    """Whether a claim's own span contains [start, end) or ends right beside it."""
    return r.start - TOUCH <= end and start <= r.end + TOUCH


def best_holder(claims: list[ClaimRecord], start: int, end: int) -> ClaimRecord | None:
    """The claim to show a mention with: one whose own span contains or touches it, else the first by place."""
    return min(claims, key=lambda r: (not touches(r, start, end), place(r)), default=None)


def _pattern(spelling: str) -> re.Pattern:
    """A spelling as written anywhere: any whitespace between words, either apostrophe, an acronym's plural s."""
    words = [re.escape(w).replace("'", "['’]") for w in spelling.split()]
    tail = r"(?=s?\b)" if is_acronym(spelling) else r"(?!\w)"
    return re.compile(r"\s+".join(words) + tail)


def _lead(spelling: str) -> str:
    """The leading letters of a spelling's first word: what a text's word must start with to hold it."""
    m = _TOKEN.match(spelling)
    return m.group(0) if m else ""


class Finder:
    """Finds every mention of some spellings in scan units, one pass over each unit's capitalised words."""

    def __init__(self, spellings: set[str]) -> None:
        self.by_lead: dict[str, list[tuple[str, re.Pattern]]] = defaultdict(list)
        for s in sorted(spellings):
            lead = _lead(s)
            if lead:
                for key in {lead, lead + "s"} if is_acronym(s) else {lead}:
                    self.by_lead[key].append((s, _pattern(s)))

    def scan(self, unit: Unit) -> list[Mention]:
        """The mentions in one unit, offsets absolute in its source."""
        out, text = [], unit.text
        for tok in _TOKEN.finditer(text):
            for spelling, rx in self.by_lead.get(tok.group(0), ()):
                m = rx.match(text, tok.start())
                if m:
                    start, end = unit.offset + m.start(), unit.offset + m.end()
                    out.append(Mention(spelling, unit.source_id, unit.source, start, end, m.group(0),
                                       best_holder(unit.holders(start, end), start, end)))
        return out


def _rank(m: Mention) -> tuple:
    """Which of two finds of one mention (from overlapping excerpts) to keep: the better claim."""
    if m.claim is None:
        return (True, True, ())
    return (False, not touches(m.claim, m.start, m.end), place(m.claim))


def scan_all(finder: Finder, units: list[Unit]) -> dict[str, list[Mention]]:
    """Every mention of each spelling over all units, each place once, in source order."""
    kept: dict[tuple[str, int, int], Mention] = {}
    for unit in units:
        for m in finder.scan(unit):
            key = (m.spelling, m.source_id, m.start)
            if key not in kept or _rank(m) < _rank(kept[key]):
                kept[key] = m
    out: dict[str, list[Mention]] = defaultdict(list)
    for m in sorted(kept.values(), key=lambda m: (m.source, m.start, m.source_id)):
        out[m.spelling].append(m)
    return out


def units_for(records: list[ClaimRecord], texts: dict[int, SourceText] | None) -> list[Unit]:
    """What to scan: each source's whole text when it is known, else each distinct excerpt of its claims."""
    by_source: dict[int, list[ClaimRecord]] = defaultdict(list)
    for r in records:
        by_source[r.source_id].append(r)
    texts = texts or {}
    units = [Unit(sid, t.path, 0, t.text, by_source.get(sid, [])) for sid, t in texts.items()]
    for sid, claims in by_source.items():
        if sid in texts:
            continue
        by_excerpt: dict[tuple[int, str], list[ClaimRecord]] = defaultdict(list)
        for r in claims:
            by_excerpt[(r.excerpt_start, r.excerpt)].append(r)
        units += [Unit(sid, claims[0].source, start, excerpt, group) for (start, excerpt), group in by_excerpt.items()]
    return units
