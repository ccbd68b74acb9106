"""Every place a name is written in the sources, with exact offsets and the claim whose excerpt holds it."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from typing import Literal, TypedDict

from factcheck.match.acronyms import is_acronym
from factcheck.match.records import ClaimRecord, SourceText, place

_TOKEN = re.compile(r"\b[A-Z][A-Za-z]*")  # a capitalised word's leading letters: where a name can start
TOUCH = 1  # a claim whose span is at most this many characters from a name "touches" it
Trie = dict[str, "Trie"]  # a letter trie: each letter to the node after it, "" where a word ends


class MentionJson(TypedDict):
    """A mention as stored in a flag's details."""

    source: str
    source_id: int
    start: int
    end: int
    text: str
    claim_id: int | None
    spelling: str


class Mention:
    """One written mention of a spelling: where it is (absolute offsets in its source) and the scan units
    (overlapping excerpts, or the whole text) it was found in; its text and holding claim are read lazily."""

    __slots__ = ("spelling", "start", "end", "units", "_claim")

    def __init__(self, spelling: str, start: int, end: int, unit: Unit) -> None:
        self.spelling, self.start, self.end, self.units = spelling, start, end, [unit]
        self._claim: ClaimRecord | None | Literal[False] = False  # False: not looked up yet

    @property
    def source_id(self) -> int:
        """The source's id."""
        return self.units[0].source_id

    @property
    def source(self) -> str:
        """The source's path."""
        return self.units[0].source

    @property
    def text(self) -> str:
        """The mention as written."""
        unit = self.units[0]
        return unit.text[self.start - unit.offset:self.end - unit.offset]

    @property
    def claim(self) -> ClaimRecord | None:
        """The claim whose excerpt holds the mention, one about the name if any (None outside every excerpt)."""
        if self._claim is False:
            held = [r for u in self.units for r in u.holders(self.start, self.end)]
            self._claim = best_holder(held, self.start, self.end)
        return self._claim

    def as_json(self) -> MentionJson:
        """The mention as stored in a flag's details."""
        claim = self.claim
        return {"source": self.source, "source_id": self.source_id, "start": self.start, "end": self.end,
                "text": self.text, "claim_id": claim.id if claim else None, "spelling": self.spelling}


class Unit:
    """A stretch of one source to scan (its whole text, or one excerpt) and the claims whose excerpts lie in it."""

    __slots__ = ("source_id", "source", "offset", "text", "claims", "starts", "longest")

    def __init__(self, source_id: int, source: str, offset: int, text: str, claims: list[ClaimRecord]) -> None:
        self.source_id, self.source, self.offset, self.text, self.claims = source_id, source, offset, text, claims
        self.starts: list[int] | None = None  # the claims sorted by excerpt start, once a mention needs them

    def _index(self) -> list[int]:
        """Sort the claims by where their excerpts start (once)."""
        if self.starts is None:
            self.claims = sorted(self.claims, key=lambda r: (r.excerpt_start, place(r)))
            self.starts = [r.excerpt_start for r in self.claims]
            self.longest = max((len(r.excerpt or "") for r in self.claims), default=0)
        return self.starts

    def holders(self, start: int, end: int) -> list[ClaimRecord]:
        """The claims whose excerpts contain [start, end)."""
        starts = self._index()
        i = bisect_right(starts, start)
        out: list[ClaimRecord] = []
        while i > 0 and starts[i - 1] >= start - self.longest:
            i -= 1
            r = self.claims[i]
            if r.excerpt_start + len(r.excerpt or "") >= end:
                out.append(r)
        return out


def touches(r: ClaimRecord, start: int, end: int) -> bool:
    """Whether a claim's own span contains [start, end) or ends right beside it."""
    return r.start - TOUCH <= end and start <= r.end + TOUCH


def best_holder(claims: list[ClaimRecord], start: int, end: int) -> ClaimRecord | None:
    """The claim to show a mention with: one whose own span contains or touches it, else the first by place."""
    return min(claims, key=lambda r: (not touches(r, start, end), place(r)), default=None)


def _pattern(spelling: str) -> re.Pattern[str]:
    """A spelling as written anywhere: any whitespace between words, either apostrophe, an acronym's plural s."""
    words = [re.escape(w).replace("'", "['’]") for w in spelling.split()]
    tail = r"(?=s?\b)" if is_acronym(spelling) else r"(?!\w)"
    return re.compile(r"\s+".join(words) + tail)


def trie_pattern(words: set[str]) -> str:
    """A regex matching any of the words, as a letter trie (fast on thousands of words)."""
    tree: Trie = {}
    for w in words:
        node = tree
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}
    return _node_pattern(tree)


def _node_pattern(node: Trie) -> str:
    """The regex of one trie node: its branches, optional where a word may end here."""
    alts = [re.escape(c) + _node_pattern(child) for c, child in sorted(node.items()) if c]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body


def _lead(spelling: str) -> str:
    """The leading letters of a spelling's first word: what a text's word must start with to hold it."""
    m = _TOKEN.match(spelling)
    return m.group(0) if m else ""


def _leads_pattern(leads: set[str]) -> re.Pattern[str]:
    """A regex finding the leading words (a trie); any capitalised word when the trie nests too deep."""
    try:
        return re.compile(rf"\b{trie_pattern(leads)}(?![A-Za-z])")
    except (RecursionError, re.error, OverflowError):
        return _TOKEN  # hostile input (hundreds of names, each the one before plus a letter): slower, same finds


class Finder:
    """Finds every mention of some spellings in scan units, one pass over each unit's capitalised words."""

    def __init__(self, spellings: set[str]) -> None:
        self.by_lead: dict[str, list[tuple[str, re.Pattern[str]]]] = defaultdict(list)
        for s in sorted(spellings):
            lead = _lead(s)
            if lead:
                for key in {lead, lead + "s"} if is_acronym(s) else {lead}:
                    self.by_lead[key].append((s, _pattern(s)))
        self.leads = _leads_pattern(set(self.by_lead)) if self.by_lead else None

    def matches(self, text: str) -> tuple[tuple[str, int, int], ...]:
        """Every (spelling, start, end) written in a text, in text order."""
        if self.leads is None:
            return ()
        out: list[tuple[str, int, int]] = []
        for tok in self.leads.finditer(text):
            for spelling, rx in self.by_lead.get(tok.group(0), ()):
                m = rx.match(text, tok.start())
                if m:
                    out.append((spelling, m.start(), m.end()))
        return tuple(out)

    def scan(self, unit: Unit, kept: dict[tuple[str, int, int], Mention],
             found_in: dict[str, tuple[tuple[str, int, int], ...]] | None = None) -> None:
        """Add the mentions in one unit to kept (one per spelling and place, whichever units find it); with
        found_in, each text's matches are looked for once (excerpts repeat across sources)."""
        text, offset, sid = unit.text, unit.offset, unit.source_id
        hits: tuple[tuple[str, int, int], ...] | None
        if found_in is None:
            hits = self.matches(text)
        else:
            hits = found_in.get(text)
            if hits is None:
                hits = found_in[text] = self.matches(text)
        for spelling, start, end in hits:
            key = (spelling, sid, offset + start)
            found = kept.get(key)
            if found is None:
                kept[key] = Mention(spelling, offset + start, offset + end, unit)
            elif unit not in found.units:
                found.units.append(unit)


def scan_all(finder: Finder, units: list[Unit]) -> dict[str, list[Mention]]:
    """Every mention of each spelling over all units, each place once, in source order."""
    kept: dict[tuple[str, int, int], Mention] = {}
    found_in: dict[str, tuple[tuple[str, int, int], ...]] = {}
    for unit in units:
        finder.scan(unit, kept, found_in)
    del found_in
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
    units = [Unit(sid, t.source, 0, t.text, by_source.get(sid, [])) for sid, t in texts.items()]
    for sid, claims in by_source.items():
        if sid in texts:
            continue
        by_excerpt: dict[tuple[int, str], list[ClaimRecord]] = defaultdict(list)
        for r in claims:
            by_excerpt[(r.excerpt_start, r.excerpt)].append(r)
        units += [Unit(sid, claims[0].source, start, excerpt, group) for (start, excerpt), group in by_excerpt.items()]
    return units
