"""Same fact, same or incompatible value: repeats and conflicts between quantity claims."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations, product
from pathlib import Path
from typing import TypedDict

from rapidfuzz import fuzz, process

from factcheck.match.acronyms import find_definitions, is_acronym, singular
from factcheck.match.clusters import clusters
from factcheck.match.context import Memo, Rarity, content_words, proper_nouns, stem
from factcheck.match.events import Place, Topics, place_of
from factcheck.match.records import ClaimRecord, FlagDraft, place, stated
from factcheck.match.values import describe, gap, interval, unit_key

MAX_BLOCK = 40  # a blocking key shared by more claims than this is too common to tell anything
KEY_NAMES = 4  # rarest names around a claim used as blocking keys
NAMES_WINDOW = 400  # characters around a claim whose names say what it is about
LOCAL_WIDTH = 60  # characters of wording on each side of a figure compared between statements
LOCAL_SAME = 80  # token-set ratio of that wording (numbers removed) for two figures to be the same measure
DAYS_APART = 45  # statements further apart than this are "dated differently"
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
class ConflictDetails(TypedDict):
    """A quantity conflict's details: whether the two statements speak of different years, how many."""

    dated_differently: bool
    statements: int


class RepeatDetails(TypedDict):
    """A repeated figure's details: in how many sources, how many of the passages are copies."""

    sources: int
    copies: int


Figure = tuple[float | None, float | None, float | None, tuple[str, str] | None]  # value, low, high, unit key


def _unit_of(r: ClaimRecord) -> tuple[str, str]:
    """unit_key of a compared quantity (match_quantities keeps only quantities that have one)."""
    key = unit_key(r)
    assert key is not None
    return key


def _interval_of(r: ClaimRecord) -> tuple[float, float]:
    """interval of a compared quantity (match_quantities keeps only quantities that have one)."""
    span = interval(r)
    assert span is not None
    return span


def _when(r: ClaimRecord) -> int | None:
    """The year a statement is about: a year in its own sentence, else its section's year."""
    m = _YEAR.search(r.excerpt)
    if m:
        return int(m.group(0))
    return r.section_date.year if r.section_date else None


class _Features:
    """Per-claim features computed once: names around it and subject words."""

    def __init__(self, qs: list[ClaimRecord]) -> None:
        """Compute names (sentence and the lines just before it) and subject words for every quantity claim."""
        names = Memo(_names_near)
        self.names = [names[r.excerpt, r.context] for r in qs]
        subjects = Memo(content_words)
        self.subjects = [subjects[r.subject or ""] for r in qs]
        self.rarity = Rarity(self.names)
        rarest: Memo[tuple[str, str], list[str]] = Memo(lambda key: self.rarity.rarest(names[key])[:KEY_NAMES])
        self.key_names = [rarest[r.excerpt, r.context] for r in qs]  # the rarest KEY_NAMES names, blocking keys


def _names_near(texts: tuple[str, str]) -> set[str]:
    """The names of an (excerpt, context): the sentence and the NAMES_WINDOW characters just before it."""
    excerpt, context = texts
    return proper_nouns(excerpt + " " + (context[-(NAMES_WINDOW + len(excerpt)):] if context else ""))


def candidate_pairs(qs: list[ClaimRecord], feats: _Features) -> Iterator[tuple[int, int]]:
    """Index pairs sharing a unit and a rare name or subject word (blocked, never all pairs)."""
    blocks: dict[tuple[tuple[str, str] | None, str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(qs):
        uk = unit_key(r)
        for w in feats.key_names[i]:
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
    return _local_text(r.excerpt, r.text, width)


def _local_text(excerpt: str, text: str, width: int) -> str:
    """local_words of a figure's text inside an excerpt."""
    pos = excerpt.find(text)
    if pos < 0:
        window = excerpt
    else:
        window = excerpt[max(0, pos - width):pos + len(text) + width]
    return " ".join(_NUMBERISH.sub(" ", window).lower().split())


def _local_content(key: tuple[str, str]) -> set[str]:
    """Content words of the wording around a figure (its (excerpt, text)), hyphenated words split."""
    return content_words(_local_text(key[0], key[1], LOCAL_WIDTH).replace("-", " "))


def _statistic_of(key: tuple[str, str]) -> frozenset[str]:
    """_statistic of a figure's (excerpt, text)."""
    return frozenset(STATISTIC_WORDS[w] for w in _LOCAL_TOKEN.findall(_local_text(key[0], key[1], 30))
                     if w in STATISTIC_WORDS)


def same_fact(a: ClaimRecord, b: ClaimRecord, local_a: str, local_b: str, shared_names: set[str]) -> float:
    """How sure we are that two quantities measure the same thing (0 = not at all): worded alike around
    the figure, in passages that share a name, and not two figures listed in one passage."""
    if a.source_id == b.source_id and a.section_id == b.section_id:
        return 0.0
    wording = fuzz.token_set_ratio(local_a, local_b, score_cutoff=LOCAL_SAME)  # 0 below it
    if wording < LOCAL_SAME:
        return 0.0
    if not shared_names and wording < 95:
        return 0.0
    return min(1.0, wording / 100 * (0.85 + 0.05 * min(len(shared_names), 3)))


REPEAT_TOPIC_NAMES = 3  # names a repeated count must share with its twin when the wording differs
REPEAT_BY_TOPIC = 0.6
REPEAT_BY_EVENT = 0.7  # the same specific figure in two reports of one event, with a word or name in common
MAX_FIGURE_BLOCK = 200  # a figure stated more often than this is too common to pair by value alone
SPECIFIC_COUNT = 20  # a count below this (an integer) repeats by chance: "two cases", "five people"


def _same_figure(a: ClaimRecord, b: ClaimRecord) -> bool:
    """Exactly the same stated figure (value or range, qualifier-free comparison) in the same unit."""
    return (a.value, a.low, a.high) == (b.value, b.low, b.high) and unit_key(a) == unit_key(b)


def same_count_topic(a: ClaimRecord, b: ClaimRecord, shared_names: set[str]) -> bool:
    """A count of the same specific thing in passages about the same named subjects ("RRP owns two CRCs" /
    "we operate the two CRCs"): enough for a repeat, never for a conflict."""
    if a.source_id == b.source_id and a.section_id == b.section_id:
        return False
    return _unit_of(a)[0] == "count" and len(shared_names) >= REPEAT_TOPIC_NAMES


SLOT_BLOCK = 60  # figures of one counted thing in more statements than this are too common to pair by slot
SAME_SLOT = 0.6  # score of a link between two figures of the same slot in two reports of one event
_SLOT_DATA = json.loads((Path(__file__).parent / "data" / "slots.json").read_text(encoding="utf-8"))
STATISTIC_WORDS: dict[str, str] = _SLOT_DATA["statistic_words"]
_LOCAL_TOKEN = re.compile(r"[a-z]+")


def _statistic(r: ClaimRecord) -> frozenset[str]:
    """Which statistics the words right around a figure name (average, total, maximum, rate, share, change)."""
    return _statistic_of((r.excerpt, r.text))


_ACRONYM_IN_PARENS = re.compile(r"\b([A-Z][A-Za-z]{1,8}?)s?\s*\(|\(([A-Z][A-Za-z]{1,8}?)s?\)")
_WORD_BEFORE_PARENS = re.compile(r"([A-Z][A-Za-z]{1,8}?)s?")  # the first branch, less its "\s*(" and its \b
_WORD_IN_PARENS = re.compile(r"\(([A-Z][A-Za-z]{1,8}?)s?\)")  # the second branch
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def acronyms_in_parens(passage: str) -> set[str]:
    """The words _ACRONYM_IN_PARENS finds in a passage (group 1 or 2 of each match), found from each "(" in
    turn rather than by trying the pattern at every character: the word just before it, else the word
    alone inside it."""
    found: set[str] = set()
    at = passage.find("(")
    while at >= 0:
        word = _word_before(passage, at)
        if word is None:
            m = _WORD_IN_PARENS.match(passage, at)
            if m:
                found.add(m.group(1))
        else:
            found.add(word)
        at = passage.find("(", at + 1)
    return found


def _word_before(passage: str, paren: int) -> str | None:
    """The first branch of _ACRONYM_IN_PARENS ending at this "(": a whole word of ASCII letters (capitalised,
    2-10 letters, after a word boundary) and then only whitespace before it, less a plural s; else None."""
    end = paren
    while end > 0 and passage[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and passage[start - 1] in _ASCII_LETTERS:
        start -= 1
        if end - start > 10:
            return None
    if start > 0 and (passage[start - 1].isalnum() or passage[start - 1] == "_"):
        return None  # no word boundary: the word goes on in digits or other letters
    m = _WORD_BEFORE_PARENS.fullmatch(passage, start, end)
    return m.group(1) if m else None


def acronym_heads(records: list[ClaimRecord]) -> dict[str, str]:
    """What each acronym defined in the statements counts, as the stemmed head of its expansion ("Community
    Rehabilitation Companies (CRCs)": "crc" -> "company"), so "21 CRCs" and "21 companies" are one slot."""
    units = {r.unit for r in records if r.kind == "quantity" and r.unit}
    counted = {singular(u.split()[-1]) for u in units if is_acronym(singular(u.split()[-1]))}
    heads: dict[str, str] = {}
    if not counted:
        return heads
    seen: set[str] = set()  # a passage read again (in another source) defines nothing new
    for r in records:
        passage = r.context or r.excerpt  # the definition is often a sentence before the figure
        if "(" not in passage or passage in seen:
            continue
        seen.add(passage)
        if counted.isdisjoint(acronyms_in_parens(passage)):
            continue  # no acronym that counts something is defined here (find_definitions is the slow part)
        for d in find_definitions(passage):
            heads.setdefault(stem(d.acronym), stem(d.expansion.split()[-1]))
    return heads


def _slot(r: ClaimRecord, heads: dict[str, str] | None = None) -> tuple[str, ...] | None:
    """What a figure measures, as a slot: its unit family and the head of its counted noun ("staff" of "CRC
    staff"; an acronym counts what its expansion does); None for money and shares that name no counted thing
    (their slot is the wording around them)."""
    family, unit = _unit_of(r)
    if (r.details or {}).get("unit_kind") == "time":
        return None  # durations ("two days", "three months") name no counted thing of their own
    if family == "count":
        head = stem(unit.split()[-1]) if unit else ""  # "Companies" and "companies" count one thing
        head = (heads or {}).get(head, head)
        return (family, head) if len(head) > 2 else None
    counted = (r.details or {}).get("counted")
    return (family, unit, stem(counted)) if counted else None


def slot_links(qs: list[ClaimRecord], topics: Topics,
               heads: dict[str, str] | None = None) -> list[tuple[int, int, float]]:
    """Links between figures of one slot (unit family and counted thing) stated in two places reporting one
    event, naming the same statistic, about the same year, whose sentences share a name or a content word
    near the figure: the same fact written up independently, whatever the values ("about 120 firefighters" /
    "around 80 firefighters")."""
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, r in enumerate(qs):
        slot = _slot(r, heads)
        if slot is not None:
            blocks[slot].append(i)
    local, names, statistic = Memo(_local_content), Memo(proper_nouns), Memo(_statistic_of)
    links: list[tuple[int, int, float]] = []
    for slot, members in blocks.items():
        if len(members) < 2 or len(members) > SLOT_BLOCK:
            continue
        places = [place_of(qs[m]) for m in members]
        figures = [_figure(qs[m]) for m in members]
        stated: dict[Place, set[Figure]] = defaultdict(set)  # the values each place gives for this slot
        for p, f in zip(places, figures, strict=False):
            stated[p].add(f)
        near: dict[int, tuple[set[str], set[str], frozenset[str], int | None]] = {}
        for x, y in topics.comparable_pairs(places):
            pa, pb = places[x], places[y]
            if figures[x] != figures[y] and (len(stated[pa]) > 1 or len(stated[pb]) > 1):
                continue  # a place giving two values of this slot speaks of two facts ("23 states ... four states")
            for k in (x, y):
                if k not in near:
                    r = qs[members[k]]
                    near[k] = (local[r.excerpt, r.text] - set(slot[1:]), names[r.excerpt],
                               statistic[r.excerpt, r.text], _when(r))
            (wa, na, sa, ya), (wb, nb, sb, yb) = near[x], near[y]
            if sa != sb or not (wa & wb or na & nb):
                continue
            if ya and yb and ya != yb:
                continue
            if topics.related(pa, pb):
                links.append((members[x], members[y], SAME_SLOT))
    return links


def _figure(r: ClaimRecord) -> Figure:
    """The stated figure and its unit, qualifiers aside ("as many as 1.5 million women" states 1.5 million)."""
    return (r.value, None, None, unit_key(r)) if r.value is not None else (None, r.low, r.high, unit_key(r))


def _specific(r: ClaimRecord) -> bool:
    """A figure specific enough that two reports of one event giving it are likely giving the same fact:
    money, a share, a measure, a fraction of a unit, or a count of SPECIFIC_COUNT or more."""
    family = _unit_of(r)[0]
    if family in ("money", "proportion"):
        return True
    v = r.value if r.value is not None else r.high
    return v is not None and (v != int(v) or abs(v) >= SPECIFIC_COUNT)


def event_repeat_links(qs: list[ClaimRecord], topics: Topics) -> list[tuple[int, int, float]]:
    """Links between the same specific figure (value and unit) stated in two places that report the same
    event, when the two sentences share a name or the words right around the figure share a content word."""
    by_figure: dict[Figure, list[int]] = defaultdict(list)
    for i, r in enumerate(qs):
        if _specific(r):
            by_figure[_figure(r)].append(i)
    local, names = Memo(_local_content), Memo(proper_nouns)
    near: dict[int, tuple[set[str], set[str], set[str]]] = {}  # words by the figure, names in its sentence, passage
    links: list[tuple[int, int, float]] = []
    for members in by_figure.values():
        if len(members) < 2 or len(members) > MAX_FIGURE_BLOCK:
            continue
        places = [place_of(qs[m]) for m in members]
        for x, y in topics.comparable_pairs(places):
            i, j = members[x], members[y]
            for k in (i, j):
                if k not in near:
                    r = qs[k]
                    near[k] = (local[r.excerpt, r.text], names[r.excerpt], names[r.context or r.excerpt])
            (words_i, sentence_i, passage_i), (words_j, sentence_j, passage_j) = near[i], near[j]
            # two sources reporting one event may name it in the next sentence; one source's posts about the
            # same companies need a name in the figure's own sentence
            same_source = places[x][0] == places[y][0]
            names_i, names_j = (sentence_i, sentence_j) if same_source else (passage_i, passage_j)
            if (words_i & words_j or names_i & names_j) and topics.related(places[x], places[y]):
                links.append((i, j, REPEAT_BY_EVENT))
    return links


def match_quantities(records: list[ClaimRecord], topics: Topics | None = None) -> list[FlagDraft]:
    """Conflict and repeat flags among quantity claims: one flag per group of statements of one fact."""
    qs = [r for r in records if r.kind == "quantity" and unit_key(r) is not None and interval(r) is not None]
    topics = topics if topics is not None else Topics(records)
    feats = _Features(qs)
    local_of: Memo[tuple[str, str], str] = Memo(lambda key: _local_text(key[0], key[1], LOCAL_WIDTH))
    local = [local_of[r.excerpt, r.text] for r in qs]
    links: list[tuple[int, int, float]] = slot_links(qs, topics, acronym_heads(records))
    topic_links: list[tuple[int, int, float]] = event_repeat_links(qs, topics)
    for i, j in candidate_pairs(qs, feats):
        a, b = qs[i], qs[j]
        shared_names = feats.names[i] & feats.names[j]
        score = same_fact(a, b, local[i], local[j], shared_names)
        if score > 0:
            links.append((i, j, score))
        elif _same_figure(a, b) and same_count_topic(a, b, shared_names):
            topic_links.append((i, j, REPEAT_BY_TOPIC))
    flags: list[FlagDraft] = []
    covered: set[int] = set()
    for members, best in clusters(len(qs), links):
        recs = sorted((qs[m] for m in members), key=place)  # ties and cut-offs below: by place, not input order
        clash = _clashing_pair(recs)
        if clash:
            shared = feats.rarity.rarest(set.intersection(*(feats.names[m] for m in members)))[:4]
            flags.append(_conflict(recs, clash, best, shared))
            covered.update(members)
            continue
        flag = _repeat(recs, best)
        if flag:
            flags.append(flag)
            covered.update(members)
    for members, best in clusters(len(qs), [t for t in topic_links if t[0] not in covered or t[1] not in covered]):
        flag = _repeat(sorted((qs[m] for m in members), key=place), best)
        if flag:
            flags.append(flag)
    return flags


def _places(recs: list[ClaimRecord]) -> int:
    """How many different (source, section) places the statements come from."""
    return len({(r.source_id, r.section_id) for r in recs})


def _clashing_pair(recs: list[ClaimRecord]) -> tuple[ClaimRecord, ClaimRecord] | None:
    """Two statements of the group, from different places, whose values cannot both hold (the furthest apart)."""
    lowest: dict[Place, tuple[float, ClaimRecord]] = {}  # per place: the statement with the lowest top
    highest: dict[Place, tuple[float, ClaimRecord]] = {}  # per place: the statement with the highest bottom
    for r in recs:
        lo, hi = _interval_of(r)
        where = (r.source_id, r.section_id)
        if where not in lowest or hi < lowest[where][0]:
            lowest[where] = (hi, r)
        if where not in highest or lo > highest[where][0]:
            highest[where] = (lo, r)
    lows = sorted(lowest.items(), key=lambda kv: kv[1][0])[:2]  # two places suffice, at any group size
    highs = sorted(highest.items(), key=lambda kv: -kv[1][0])[:2]
    for (pa, (hi, a)), (pb, (lo, b)) in product(lows, highs):
        if pa != pb and hi < lo:
            return a, b
    return None


def _values_line(recs: list[ClaimRecord], limit: int = 4) -> str:
    """"up to 80 cases (003.txt) vs 90-100 cases (003.txt, 2 statements)": the distinct values and where."""
    by_value: dict[str, list[ClaimRecord]] = defaultdict(list)
    for r in recs:
        by_value[describe(r)].append(r)
    parts: list[str] = []
    for value, rs in sorted(by_value.items(), key=lambda kv: -len(kv[1]))[:limit]:
        srcs = sorted({r.source for r in rs})
        parts.append(f"{value} ({', '.join(srcs[:2])}{'…' if len(srcs) > 2 else ''}"
                     f"{f', {len(rs)} statements' if len(rs) > 1 else ''})")
    more = len(by_value) - limit
    return " vs ".join(parts) + (f" (+{more} more values)" if more > 0 else "")


def _conflict(recs: list[ClaimRecord], clash: tuple[ClaimRecord, ClaimRecord], score: float,
              shared: list[str]) -> FlagDraft:
    """One conflict flag for a group of statements about one thing whose values cannot all hold."""
    a, b = clash
    wa, wb = _when(a), _when(b)
    apart = bool(wa and wb and wa != wb)
    subject = a.subject or b.subject or ", ".join(shared)
    about = subject + (f" ({', '.join(shared)})" if shared else "")
    explanation = (f"{len(recs)} statements give {a.unit or 'a value'} for {about}; {describe(a)} ({a.source}) "
                   f"and {describe(b)} ({b.source}) cannot both hold once qualifiers and rounding are respected.")
    if apart:
        explanation += f" They speak of different years ({wa} and {wb}), so each may have been true at its time."
    distance = gap(_interval_of(a), _interval_of(b))
    final = round(min(1.0, score * (0.5 if apart else 1.0) * (0.85 + min(distance, 1.0) * 0.15)), 3)
    details: ConflictDetails = {"dated_differently": apart, "statements": len(recs)}
    return FlagDraft("conflict", subject, _values_line(recs), final, explanation,
                     [(r.id, "value") for r in recs], details)


def _repeat(recs: list[ClaimRecord], score: float) -> FlagDraft | None:
    """One repeat flag for the largest set of identical figures in the group stated in two or more places."""
    by_figure: dict[Figure, list[ClaimRecord]] = defaultdict(list)
    for r in recs:
        by_figure[_figure(r)].append(r)
    same = max(by_figure.values(), key=len)
    excerpts: dict[tuple[int, int | None, str], int] = defaultdict(int)
    for r in same:
        excerpts[(r.source_id, r.section_id, r.excerpt)] += 1
    # "RRP (2), MCT Novo (2)": which is which?
    same = [r for r in same if excerpts[(r.source_id, r.section_id, r.excerpt)] == 1]
    if len(same) < 2 or _places(same) < 2:
        return None
    sources = sorted({r.source for r in same})
    copies = _copies(same)
    first = same[0]
    summary = f"{describe(first)} {stated(len(same), len(sources))}"
    explanation = (f"The same figure ({describe(first)}) appears in {', '.join(sources)}."
                   + (f" {len(copies)} of the passages "
                      f"{'is a verbatim copy' if len(copies) == 1 else 'are verbatim copies'}"
                      f" of another, not independent corroboration." if copies else
                      " The passages are worded independently."))
    roles = [(r.id, "copy" if r.id in copies else "statement") for r in same]
    details: RepeatDetails = {"sources": len(sources), "copies": len(copies)}
    return FlagDraft("repeat", first.subject or describe(first), summary, round(score, 3), explanation, roles,
                     details)


def _copies(recs: list[ClaimRecord]) -> set[int]:
    """Claims whose excerpt is a near-verbatim copy of an earlier member's excerpt (any group size)."""
    out: set[int] = set()
    seen: set[str] = set()
    pool: list[str] = []  # distinct long excerpts seen so far: a syndicated passage is compared once
    for r in recs:
        x = r.excerpt
        if x in seen or (pool and process.extractOne(x, pool, scorer=fuzz.ratio, score_cutoff=95)):
            out.add(r.id)
        if len(x) > 60 and x not in seen:
            seen.add(x)
            pool.append(x)
    return out
