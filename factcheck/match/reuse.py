"""Passage reuse: a stretch of text shared by two or more sources outside quotation marks (a press release
copied by a news site), found over all text, claims or not, with the earliest dated source named and the
copies marked.

Every 5-word shingle of every source is indexed (no sketch); shingles in many sources (boilerplate) or
holding a stock phrase (data/reuse.json) are not seeds. Seeds shared by two sources are grown into maximal
stretches that tolerate a word or two changed, confirmed by a word alignment, and grouped across sources:
one `repeat` flag per group of sources sharing one passage."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TypedDict

from rapidfuzz.distance import Levenshtein

from factcheck.match.records import ClaimRecord, FlagDraft, SectionSpan, SourceText, place

SHINGLE = 5  # words per shingle: 4-word runs recur by chance in one language ("at the end of"), 5 rarely do
MIN_WORDS = 25  # a passage at least this long, seeded throughout: over a sentence of someone else's prose.
# Shared 8-20 word runs are mostly a common quotation or a stock sentence; 25+ words word for word outside
# quotation marks are copied, not written twice.
MAX_GAP = 10  # words between two seeded runs of one passage: two words changed close together (each breaks
# SHINGLE shingles) or a stock phrase inside the passage
MAX_SHIFT = 3  # words inserted or dropped between two seeded runs (the runs' diagonals may differ by this)
MIN_SIMILARITY = 0.8  # share of the longer version's words that the word alignment finds equal
COMMON_MIN = 3  # a shingle in more sources than max(COMMON_MIN, COMMON_SHARE of them) is boilerplate, not a seed
COMMON_SHARE = 0.01
ALL_PAIRS = 6  # a shingle in this many sources or fewer pairs every two of them; more: each with the first
MAX_REPEATS = 3  # a shingle more often than this in one source is a refrain (a list's lead-in, a menu)
MIN_OWN_WORDS = 20  # words of a passage outside quotation marks, in each source: a sentence or so of the writer's
# own prose. Fewer, and the stretch is a shared quotation (the quote matcher's job) with a few words around it;
# a share rule ("mostly outside quotes") would miss wire copy, which interleaves narrative and quotes ~50/50
MAX_CHANGES = 20  # word changes listed in a flag's details
KEY_PARTS = 4  # passes over the keys when finding shared ones: memory of the seen-keys set / 4, time +~20%
CHAIN_LOOKBACK = 8  # open stretches tried for each new run (one pair of sources seldom shares more at once)

_WORD = re.compile(r"\w+(?:['’‘ʼ]\w+)*")  # hyphens and dashes split words: "well-known" = "well–known"
_CURLY_APOSTROPHES = "’‘ʼ"
_QUOTE_MARK = re.compile(r"[\"“”«»„‘’']")
_OPENING_AFTER = "([{—–-/"  # a straight mark after these (or a space) opens a quotation
_SENTENCE_END = ".!?…"
_DATA = json.loads((Path(__file__).parent / "data" / "reuse.json").read_text(encoding="utf-8"))


class ChangeJson(TypedDict):
    """Words a copy changed from the original, with a word of context either side."""

    source: str
    op: str
    original: str
    copy: str


class CopyJson(TypedDict):
    """A copy of a passage as flag details show it."""

    source: str
    source_id: int
    start: int
    end: int
    words: int
    date: str | None


class CopyDetails(TypedDict):
    """The earliest copy of a passage, the later ones, and what they changed."""

    earliest: CopyJson
    copies: list[CopyJson]
    changed: list[ChangeJson]


class ReuseDetails(TypedDict):
    """A copied passage's repeat flag details."""

    copy: CopyDetails
    sources: int


@dataclass(slots=True)
class Doc:
    """A source prepared for matching: shingle keys, and (when needed) its words, offsets and quotes."""

    src: SourceText
    keys: array[int]  # array('q'): one key per shingle start (8 bytes each, not a Python int each)
    stopped: bytearray = field(default_factory=bytearray)  # per shingle start: 1 when it holds a stock phrase
    cached_words: list[str] = field(default_factory=list)  # kept only for sources in a candidate passage
    starts: list[int] = field(default_factory=list)  # character offsets of the words, filled lazily
    ends: list[int] = field(default_factory=list)
    quoted: list[bool] = field(default_factory=list)  # each word inside quotation marks, filled lazily


@dataclass(slots=True)
class Stretch:
    """Word ranges [a0, a1) of source a and [b0, b1) of source b holding the same words, seeded `covered` words."""

    a: int
    b: int
    a0: int
    a1: int
    b0: int
    b1: int
    covered: int


@dataclass(slots=True)
class Occurrence:
    """One source's side of a stretch: word range [w0, w1) of doc."""

    doc: int
    w0: int
    w1: int


@dataclass(slots=True)
class Copy:
    """A passage as one source holds it: character and word ranges, the date it carries, its claims."""

    doc: int
    w0: int
    w1: int
    start: int
    end: int
    date: dt.date | None
    section_id: int | None
    members: list[ClaimRecord] = field(default_factory=list)
    nearest: bool = False  # members are the claims nearest the passage (it holds none)


def normal_words(text: str) -> list[str]:
    """Words of a text, lower case, curly apostrophes straight (in the order _WORD finds them)."""
    found = _WORD.findall(text)
    if not found:
        return []
    joined = "\x00".join(found).lower()
    for curly in _CURLY_APOSTROPHES:  # str.replace runs in C; str.translate with a table is ~10x slower here
        joined = joined.replace(curly, "'")
    return joined.split("\x00")


def _stop_phrases() -> dict[str, list[tuple[str, ...]]]:
    """The stock phrases of data/reuse.json by their first word."""
    out: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for phrase in _DATA["boilerplate_phrases"]:
        ws = tuple(normal_words(phrase))
        if ws:
            out[ws[0]].append(ws)
    return dict(out)


STOP_PHRASES = _stop_phrases()
LONGEST_PHRASE = max((len(p) for ps in STOP_PHRASES.values() for p in ps), default=1)


def shingle_keys(words: list[str]) -> list[int]:
    """A key per run of SHINGLE words: equal runs, equal keys (within one process)."""
    return list(map(hash, zip(*(words[k:] for k in range(SHINGLE)), strict=False)))


def _stopped(words: list[str]) -> bytearray:
    """For each shingle start, 1 when the shingle there overlaps a stock phrase (one pass over the words)."""
    mask = bytearray(len(words))
    for j in [j for j, w in enumerate(words) if w in STOP_PHRASES]:
        for phrase in STOP_PHRASES[words[j]]:
            if tuple(words[j:j + len(phrase)]) == phrase:  # the shingles starting in (j - SHINGLE, j + len)
                lo, hi = max(0, j - SHINGLE + 1), min(len(words), j + len(phrase))
                mask[lo:hi] = b"\x01" * (hi - lo)
    return mask


def _prepare(texts: list[SourceText]) -> list[Doc]:
    """Sources in name order with their words and shingle keys."""
    docs = []
    for src in sorted(texts, key=lambda s: (s.source, s.source_id)):
        words = normal_words(src.text)  # read once: the stock-phrase mask is taken while the words are at hand
        docs.append(Doc(src, array("q", shingle_keys(words)), _stopped(words)))
    return docs


def _seedable_keys(d: Doc) -> array[int]:
    """A source's shingle keys that may seed (those overlapping a stock phrase left out)."""
    if not d.stopped.count(1):
        return d.keys
    return array("q", [k for k, s in zip(d.keys, d.stopped, strict=False) if not s])


def words_of(doc: Doc) -> list[str]:
    """A source's normalised words, kept once asked for (only sources in a candidate passage are)."""
    if not doc.cached_words:
        doc.cached_words = normal_words(doc.src.text)
    return doc.cached_words


def _shared_keys(docs: list[Doc]) -> set[int]:
    """Keys found outside stock phrases in at least two sources (only those can seed), one KEY_PARTS-th of
    the key space at a time."""
    # the set of every key seen so far is the largest thing matching holds: this keeps a quarter of it
    shared: set[int] = set()
    seedable = [_seedable_keys(d) for d in docs]  # 8 bytes a key, and most sources hold no stock phrase
    for part in range(KEY_PARTS):
        once: set[int] = set()
        for keys in seedable:
            ks = {k for k in keys if k % KEY_PARTS == part}
            shared |= ks & once
            once |= ks
    return shared


def _postings(docs: list[Doc], shared: set[int]) -> dict[int, dict[int, list[int]]]:
    """For each shared key, the sources holding it and its positions there (stock-phrase shingles left out)."""
    postings: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for di, d in enumerate(docs):
        if shared.isdisjoint(d.keys):
            continue
        keys, stopped = d.keys, d.stopped
        for pos in [p for p, k in enumerate(keys) if k in shared]:
            if not stopped[pos]:
                postings[keys[pos]].setdefault(di, []).append(pos)
    return postings


def _pair_seeds(docs: list[Doc]) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """For each pair of sources (a < b), the positions (in a, in b) of the seeds they share."""
    # a seed: a shingle in 2..max(COMMON_MIN, COMMON_SHARE of the sources) sources, no refrain in any
    limit = max(COMMON_MIN, int(COMMON_SHARE * len(docs)))
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for by_doc in _postings(docs, _shared_keys(docs)).values():
        if len(by_doc) < 2 or len(by_doc) > limit or any(len(ps) > MAX_REPEATS for ps in by_doc.values()):
            continue
        order = sorted(by_doc)
        linked = combinations(order, 2) if len(order) <= ALL_PAIRS else ((order[0], o) for o in order[1:])
        for a, b in linked:
            pairs[(a, b)] += [(pa, pb) for pa in by_doc[a] for pb in by_doc[b]]
    return pairs


def _runs(seeds: list[tuple[int, int]]) -> list[list[int]]:
    """Seeds on one diagonal at consecutive positions as runs [a_first, a_last, b_first]."""
    runs: list[list[int]] = []
    for pa, pb in sorted(seeds, key=lambda s: (s[0] - s[1], s[0])):
        last = runs[-1] if runs else None
        if last and last[0] - last[2] == pa - pb and pa - last[1] <= 1:
            last[1] = pa
        else:
            runs.append([pa, pa, pb])
    runs.sort()
    return runs


def _stretches(a: int, b: int, seeds: list[tuple[int, int]]) -> list[Stretch]:
    """Runs of seeds chained into maximal stretches across small gaps (a word or two changed)."""
    out: list[Stretch] = []
    for a_first, a_last, b_first in _runs(seeds):
        length = a_last - a_first + SHINGLE
        run = Stretch(a, b, a_first, a_first + length, b_first, b_first + length, length)
        host = next((s for s in reversed(out[-CHAIN_LOOKBACK:]) if _continues(s, run)), None)
        if host is None:
            out.append(run)
            continue
        host.covered += max(0, run.a1 - max(run.a0, host.a1))
        host.a1, host.b1 = max(host.a1, run.a1), max(host.b1, run.b1)
    return out


def _continues(s: Stretch, run: Stretch) -> bool:
    """True when run carries on stretch s after a small gap, nearly on its diagonal."""
    gap_a, gap_b = run.a0 - s.a1, run.b0 - s.b1
    shift = abs((run.a0 - run.b0) - (s.a1 - s.b1))
    return -SHINGLE < gap_a <= MAX_GAP and -SHINGLE < gap_b <= MAX_GAP and shift <= MAX_SHIFT


def _confirmed(docs: list[Doc], s: Stretch) -> bool:
    """A stretch long enough, aligned word for word but for a few changes, with prose outside quotation marks."""
    if s.covered < MIN_WORDS:
        return False
    wa, wb = words_of(docs[s.a])[s.a0:s.a1], words_of(docs[s.b])[s.b0:s.b1]
    if _similarity(wa, wb) < MIN_SIMILARITY:
        return False
    return _own_words(docs[s.a], s.a0, s.a1) >= MIN_OWN_WORDS and _own_words(docs[s.b], s.b0, s.b1) >= MIN_OWN_WORDS


def _similarity(wa: list[str], wb: list[str]) -> float:
    """Share of the longer word list that the alignment finds equal in the other."""
    equal = sum(op.src_end - op.src_start for op in Levenshtein.opcodes(wa, wb) if op.tag == "equal")
    return equal / max(len(wa), len(wb), 1)


def _locate(doc: Doc) -> None:
    """Fill a document's word offsets and which words sit inside quotation marks (once)."""
    if doc.starts or not words_of(doc):
        return
    found = list(_WORD.finditer(doc.src.text))
    doc.starts = [m.start() for m in found]
    doc.ends = [m.end() for m in found]
    spans = quoted_spans(doc.src.text)
    opens = [s for s, _ in spans]
    doc.quoted = [k >= 0 and start < spans[k][1]
                  for start, k in ((st, bisect.bisect_right(opens, st) - 1) for st in doc.starts)]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside quotation marks, paragraph by paragraph, merged and sorted."""
    # straight marks are read as opening or closing from their neighbours, so texts that mix straight and
    # curly marks pair up; see _paragraph_quotes for quotations running over a paragraph's end
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        spans += _paragraph_quotes(text, pos, pos + len(line))
        pos += len(line) + 1
    return _union(spans)


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans (a single-quoted phrase inside a double-quoted one) merged, sorted."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _mark_role(text: str, i: int) -> str:
    """What the quotation mark at i does: open, close, toggle (straight, between spaces) or none (an apostrophe)."""
    ch = text[i]
    prev, nxt = text[i - 1] if i else " ", text[i + 1] if i + 1 < len(text) else " "
    if ch in "“«„‘":
        return "open" if ch != "‘" or not prev.isalnum() else "none"
    if ch in "”»’":
        return "close" if ch != "’" or not nxt.isalnum() else "none"
    opens = (prev.isspace() or prev in _OPENING_AFTER or prev in "\"“‘") and not nxt.isspace()
    closes = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
    if ch == "'":
        if opens and nxt.isalnum():
            return "open"
        return "close" if closes and (prev.isalnum() or prev in ".,!?") else "none"
    return "open" if opens else "close" if closes else "toggle"


def _paragraph_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted spans of one paragraph text[start:end], double and single quotation marks apart."""
    spans: list[tuple[int, int]] = []
    open_at: dict[bool, int | None] = {True: None, False: None}  # double?: where its quotation opened
    for m in _QUOTE_MARK.finditer(text, start, end):
        i, double = m.start(), m.group() in "\"“”«»„"
        role = _mark_role(text, i)
        opened = open_at[double]
        if role == "toggle":
            role = "close" if opened is not None else "open"
        if role == "open" and opened is None:
            open_at[double] = i
        elif role == "close" and opened is not None:
            spans.append((opened, i + 1))
            open_at[double] = None
        elif role == "close" and double:
            spans.append((start, i + 1))  # begun in an earlier paragraph, or its opening mark was lost
    last = open_at[True]
    if last is not None:
        spans.append((last, end))  # runs on: the next paragraph reopens it
    return spans


def _own_words(doc: Doc, w0: int, w1: int) -> int:
    """How many of the words [w0, w1) lie outside quotation marks."""
    _locate(doc)
    return (w1 - w0) - sum(doc.quoted[w0:w1])


def _groups(stretches: list[Stretch]) -> list[list[Occurrence]]:
    """Occurrences of one passage across sources: a stretch joins its two sides, overlapping sides join stretches."""
    occs = [o for s in stretches for o in (Occurrence(s.a, s.a0, s.a1), Occurrence(s.b, s.b0, s.b1))]
    parent = list(range(len(occs)))

    def find(x: int) -> int:
        """Root of x, halving the path."""
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in range(0, len(occs), 2):
        parent[find(i)] = find(i + 1)
    by_doc: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(occs):
        by_doc[o.doc].append(i)
    for members in by_doc.values():
        members.sort(key=lambda i: (occs[i].w0, occs[i].w1))
        anchor, reach = members[0], occs[members[0]].w1
        for i in members[1:]:
            if occs[i].w0 < reach - SHINGLE:  # overlapping by more than a shingle: the same words
                parent[find(i)] = find(anchor)
                reach = max(reach, occs[i].w1)
            else:
                anchor, reach = i, occs[i].w1
    grouped: dict[int, list[Occurrence]] = defaultdict(list)
    for i, o in enumerate(occs):
        grouped[find(i)].append(o)
    return list(grouped.values())


def _longest_per_doc(group: list[Occurrence]) -> dict[int, tuple[int, int]]:
    """Each source's overlapping occurrences merged, and its longest merged range kept."""
    by_doc: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for o in group:
        by_doc[o.doc].append((o.w0, o.w1))
    out: dict[int, tuple[int, int]] = {}
    for doc, ranges in by_doc.items():
        merged: list[list[int]] = []
        for w0, w1 in sorted(ranges):
            if merged and w0 <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], w1)
            else:
                merged.append([w0, w1])
        lo, hi = max(merged, key=lambda r: (r[1] - r[0], -r[0]))
        out[doc] = (lo, hi)
    return out


def _section_at(src: SourceText, start: int) -> SectionSpan | None:
    """The section holding a character offset."""
    for sec in src.sections:
        if sec.start <= start < max(sec.end, sec.start + 1):
            return sec
    return None


def _copy(docs: list[Doc], doc: int, w0: int, w1: int) -> Copy:
    """A source's copy of a passage, dated by its section, else by the source's published date."""
    d = docs[doc]
    _locate(d)
    start, end = d.starts[w0], d.ends[w1 - 1]
    while end < len(d.src.text) and d.src.text[end] in _SENTENCE_END:  # the full stop the passage ends on
        end += 1
    sec = _section_at(d.src, start)
    dated = (sec.dated if sec else None) or d.src.published
    return Copy(doc, w0, w1, start, end, dated, sec.id if sec else None)


def _attach_members(c: Copy, claims: list[ClaimRecord]) -> None:
    """The claims inside a copy; when it holds none, the claim nearest to it in the same section."""
    c.members = [r for r in claims if r.start >= c.start and r.end <= c.end]
    if c.members:
        return
    same_section = [r for r in claims if r.section_id == c.section_id]
    if same_section:
        c.members = [min(same_section, key=lambda r: (max(0, c.start - r.end, r.start - c.end), place(r)))]
        c.nearest = True


def _earliest_first(docs: list[Doc], copies: list[Copy]) -> list[Copy]:
    """Copies ordered by date (undated last), ties by source name: the first is the original."""
    return sorted(copies, key=lambda c: (c.date is None, c.date or dt.date.min, docs[c.doc].src.source, c.start))


def _changes(docs: list[Doc], original: Copy, copy: Copy) -> list[ChangeJson]:
    """The words a copy changed from the original, with a word of context either side."""
    wa, wb = words_of(docs[original.doc])[original.w0:original.w1], words_of(docs[copy.doc])[copy.w0:copy.w1]
    out: list[ChangeJson] = []
    for op in Levenshtein.opcodes(wa, wb):
        if op.tag == "equal":
            continue
        a0, b0 = max(0, op.src_start - 1), max(0, op.dest_start - 1)
        out.append({"source": docs[copy.doc].src.source, "op": op.tag,
                    "original": " ".join(wa[a0:op.src_end + 1]), "copy": " ".join(wb[b0:op.dest_end + 1])})
    return out


def _flag(docs: list[Doc], copies: list[Copy]) -> FlagDraft | None:
    """One repeat flag for a passage's copies (earliest first); None when the original holds no claim near."""
    original, rest = copies[0], [c for c in copies[1:] if c.members]
    if not original.members or not rest:
        return None
    name = docs[original.doc].src.source
    n_words = original.w1 - original.w0
    changed = [ch for c in rest for ch in _changes(docs, original, c)]
    score = min(_similarity(words_of(docs[original.doc])[original.w0:original.w1], words_of(docs[c.doc])[c.w0:c.w1])
                for c in rest)
    summary = f"passage of {n_words} words from {name} copied in {len(rest)} source{'s' if len(rest) != 1 else ''}"
    details: ReuseDetails = {"copy": {
        "earliest": _copy_json(docs, original), "copies": [_copy_json(docs, c) for c in rest],
        "changed": changed[:MAX_CHANGES]}, "sources": 1 + len(rest)}
    members = [(r.id, "original") for r in original.members] + [(r.id, "copy") for c in rest for r in c.members]
    return FlagDraft("repeat", f"passage: {_clip(docs[original.doc].src.text[original.start:original.end])}",
                     summary, round(score, 3), _explanation(docs, original, rest, changed), members, details)


def _copy_json(docs: list[Doc], c: Copy) -> CopyJson:
    """A copy as flag details show it."""
    src = docs[c.doc].src
    return {"source": src.source, "source_id": src.source_id, "start": c.start, "end": c.end,
            "words": c.w1 - c.w0, "date": _iso(c.date)}


def _explanation(docs: list[Doc], original: Copy, rest: list[Copy], changed: list[ChangeJson]) -> str:
    """What was copied from where, what changed, and which claims stand in for a passage holding none."""
    name = docs[original.doc].src.source
    when = f" ({original.date.isoformat()})" if original.date else " (undated)"
    copies = ", ".join(f"{docs[c.doc].src.source} ({_iso(c.date) or 'undated'}, characters {c.start}-{c.end})"
                       for c in rest)
    text = (f"{original.w1 - original.w0} words of {name}{when}, characters {original.start}-{original.end}, "
            f"reappear outside quotation marks in {copies}.")
    if changed:
        shown = "; ".join(f"'{ch['original'] or '—'}' vs '{ch['copy'] or '—'}'" for ch in changed[:3])
        text += f" {len(changed)} change{'s' if len(changed) != 1 else ''}: {shown}."
    else:
        text += " Word for word."
    near = [docs[c.doc].src.source for c in [original, *rest] if c.nearest]
    if near:
        text += f" The passage holds no claim in {', '.join(near)}: the nearest claim in the same section stands in."
    return text


def _iso(d: dt.date | None) -> str | None:
    """A date as ISO text, or None."""
    return d.isoformat() if d else None


def _clip(text: str, limit: int = 60) -> str:
    """Text on one line, shortened to about limit characters at a word boundary."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def find_stretches(docs: list[Doc]) -> list[Stretch]:
    """Confirmed shared stretches between every two sources that share seeds."""
    out = []
    for (a, b), seeds in sorted(_pair_seeds(docs).items()):
        out += [s for s in _stretches(a, b, seeds) if _confirmed(docs, s)]
    return out


def match_reuse(records: list[ClaimRecord], texts: list[SourceText]) -> list[FlagDraft]:
    """Repeat flags for passages reused without quotation marks: one per group of sources sharing a passage."""
    if len(texts) < 2:
        return []
    docs = _prepare(texts)
    claims: dict[int, list[ClaimRecord]] = defaultdict(list)
    for r in sorted(records, key=place):
        claims[r.source_id].append(r)
    flags = []
    for group in _groups(find_stretches(docs)):
        spans = _longest_per_doc(group)
        if len(spans) < 2:
            continue
        copies = [_copy(docs, doc, w0, w1) for doc, (w0, w1) in spans.items()]
        for c in copies:
            _attach_members(c, claims.get(docs[c.doc].src.source_id, []))
        flag = _flag(docs, _earliest_first(docs, copies))
        if flag:
            flags.append(flag)
    return flags
