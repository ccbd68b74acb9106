"""Same fact, same or incompatible value: repeats and conflicts between quantity claims."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

from rapidfuzz import fuzz

from factcheck.match.context import Rarity, content_words, proper_nouns
from factcheck.match.records import ClaimRecord, FlagDraft
from factcheck.match.values import describe, gap, interval, overlaps, unit_key

MAX_BLOCK = 60  # a blocking key shared by more claims than this is too common to tell anything
LOCAL_WIDTH = 60  # characters of wording on each side of a figure compared between statements
LOCAL_SAME = 80  # token-set ratio of that wording (numbers removed) for two figures to be the same measure
DAYS_APART = 45  # statements further apart than this are "dated differently"
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def _when(r: ClaimRecord):
    """The year a statement is about: a year in its own sentence, else its section's year."""
    m = _YEAR.search(r.excerpt)
    if m:
        return int(m.group(0))
    return r.section_date.year if r.section_date else None


class _Features:
    """Per-claim features computed once: names around it and subject words."""

    def __init__(self, qs: list[ClaimRecord]):
        """Compute names and subject words for every quantity claim."""
        self.names = [proper_nouns(r.context or r.excerpt) for r in qs]
        self.subjects = [content_words(r.subject or "") for r in qs]
        self.rarity = Rarity(self.names)


def candidate_pairs(qs: list[ClaimRecord], feats: _Features):
    """Index pairs sharing a unit and a rare name or subject word (blocked, never all pairs)."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, r in enumerate(qs):
        uk = unit_key(r)
        for w in feats.names[i]:
            blocks[(uk, "n", w)].append(i)
        for w in feats.subjects[i]:
            blocks[(uk, "s", w)].append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 2 <= len(members) <= MAX_BLOCK:
            for a, b in combinations(members, 2):
                if (a, b) not in seen:
                    seen.add((a, b))
                    yield a, b


_NUMBERISH = re.compile(r"[£$€]?\d[\d,.]*%?|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                        r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|half|third|quarter)s?\b", re.I)


def local_words(r: ClaimRecord, width: int = LOCAL_WIDTH) -> str:
    """The wording around a figure with the numbers taken out ("Sodexo holds the contract for CRCs")."""
    pos = r.excerpt.find(r.text)
    if pos < 0:
        window = r.excerpt
    else:
        window = r.excerpt[max(0, pos - width):pos + len(r.text) + width]
    return " ".join(_NUMBERISH.sub(" ", window).lower().split())


def same_fact(a: ClaimRecord, b: ClaimRecord, local_a: str, local_b: str, shared_names: set[str]) -> float:
    """How sure we are that two quantities measure the same thing (0 = not at all): worded alike around
    the figure, in passages that share a name, and not two figures listed in one passage."""
    if a.source_id == b.source_id and a.section_id == b.section_id:
        return 0.0
    wording = fuzz.token_set_ratio(local_a, local_b)
    if wording < LOCAL_SAME:
        return 0.0
    if not shared_names and wording < 95:
        return 0.0
    return min(1.0, wording / 100 * (0.85 + 0.05 * min(len(shared_names), 3)))


REPEAT_TOPIC_NAMES = 3  # names a repeated count must share with its twin when the wording differs
REPEAT_BY_TOPIC = 0.6


def _same_figure(a: ClaimRecord, b: ClaimRecord) -> bool:
    """Exactly the same stated figure (value or range, qualifier-free comparison) in the same unit."""
    return (a.value, a.low, a.high) == (b.value, b.low, b.high) and unit_key(a) == unit_key(b)


def same_count_topic(a: ClaimRecord, b: ClaimRecord, shared_names: set[str]) -> bool:
    """A count of the same specific thing in passages about the same named subjects ("RRP owns two CRCs" /
    "we operate the two CRCs"): enough for a repeat, never for a conflict."""
    if a.source_id == b.source_id and a.section_id == b.section_id:
        return False
    return unit_key(a)[0] == "count" and len(shared_names) >= REPEAT_TOPIC_NAMES


def match_quantities(records: list[ClaimRecord]) -> list[FlagDraft]:
    """Repeat and conflict flags among quantity claims."""
    qs = [r for r in records if r.kind == "quantity" and unit_key(r) is not None and interval(r) is not None]
    feats = _Features(qs)
    local = [local_words(r) for r in qs]
    repeats: list[tuple[int, int, float]] = []
    flags: list[FlagDraft] = []
    for i, j in candidate_pairs(qs, feats):
        a, b = qs[i], qs[j]
        shared_names = feats.names[i] & feats.names[j]
        score = same_fact(a, b, local[i], local[j], shared_names)
        if score <= 0:
            if _same_figure(a, b) and same_count_topic(a, b, shared_names):
                repeats.append((i, j, REPEAT_BY_TOPIC))
            continue
        ia, ib = interval(a), interval(b)
        if overlaps(ia, ib):
            if _same_figure(a, b):
                repeats.append((i, j, score))
            continue
        shared = sorted(feats.names[i] & feats.names[j], key=feats.rarity.weight, reverse=True)[:4]
        flags.append(_conflict(a, b, score, shared, gap(ia, ib)))
    flags += _repeat_flags(qs, repeats)
    return flags


def _conflict(a: ClaimRecord, b: ClaimRecord, score: float, shared: list[str], distance: float) -> FlagDraft:
    """A conflict flag for two incompatible values about the same thing."""
    wa, wb = _when(a), _when(b)
    apart = bool(wa and wb and wa != wb)
    subject = a.subject or b.subject or ", ".join(shared)
    summary = f"{describe(a)} ({a.source}) vs {describe(b)} ({b.source})"
    about = f"{subject}" + (f" ({', '.join(shared)})" if shared else "")
    explanation = (f"Both statements give {a.unit or 'a value'} for {about}, but {describe(a)} and "
                   f"{describe(b)} cannot both hold once qualifiers and rounding are respected.")
    if apart:
        explanation += f" They speak of different years ({wa} and {wb}), so each may have been true at its time."
    final = round(min(1.0, score * (0.5 if apart else 1.0) * (0.85 + min(distance, 1.0) * 0.15)), 3)
    return FlagDraft("conflict", subject, summary, final, explanation,
                     [(a.id, "value"), (b.id, "value")], {"dated_differently": apart})


def _repeat_flags(qs: list[ClaimRecord], pairs: list[tuple[int, int, float]]) -> list[FlagDraft]:
    """Group repeated figures into one flag each, counting distinct sources and marking verbatim copies."""
    parent = list(range(len(qs)))

    def find(x: int) -> int:
        """Union-find root."""
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in pairs:
        parent[find(i)] = find(j)
    groups: dict[int, set[int]] = defaultdict(set)
    best: dict[int, float] = defaultdict(float)
    for i, j, s in pairs:
        root = find(i)
        groups[root] |= {i, j}
        best[root] = max(best[root], s)
    flags = []
    for root, members in groups.items():
        recs = [qs[m] for m in sorted(members)]
        sources = sorted({r.source for r in recs})
        copies = _copies(recs)
        first = recs[0]
        summary = f"{describe(first)} stated {len(recs)} times in {len(sources)} source(s)"
        explanation = (f"The same figure ({describe(first)}) appears in {', '.join(sources)}."
                       + (f" {len(copies)} of the passages are verbatim copies of another, not independent "
                          f"corroboration." if copies else " The passages are worded independently."))
        roles = [(r.id, "copy" if r.id in copies else "statement") for r in recs]
        flags.append(FlagDraft("repeat", first.subject or describe(first), summary, round(best[root], 3),
                               explanation, roles, {"sources": len(sources), "copies": len(copies)}))
    return flags


def _copies(recs: list[ClaimRecord]) -> set[int]:
    """Claims whose excerpt is a near-verbatim copy of an earlier member's excerpt."""
    out: set[int] = set()
    for x, y in combinations(recs, 2):
        if len(x.excerpt) > 60 and fuzz.ratio(x.excerpt, y.excerpt) >= 95:
            out.add(y.id)
    return out
