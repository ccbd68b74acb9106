"""Which places (a source, or one dated section of it) report the same event or topic.

Before claims are paired, the places they come from are compared by TF-IDF over the names and content words
of their statements (cosine similarity), within a date window when both places are dated. Two places whose
statements share rare names and words are about the same event; different events that happen to use one
figure or one date do not link. A name is judged rare within its topic group, not over the whole corpus.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from itertools import combinations
from operator import mul

from factcheck.match.context import COMMON_CAPS, STOPWORDS, stem
from factcheck.match.records import ClaimRecord

Place = tuple[int, int | None]  # (source id, section id)

TOP_TERMS = 200  # heaviest terms of a place kept in its vector
SAME_TOPIC = 0.15  # cosine similarity at or above which two places report the same event or topic
DAYS_WINDOW = 60  # places dated further apart than this are different events, however alike
MAX_TEXTS = 120  # distinct sentences of a place read for its vector: enough to say what it is about
SMALL_FOLDER = 300  # up to this many places, each is also related to its nearest places, if alike at all:
NEIGHBOURS = 2  # in a small folder (one report's sources) rarity says little and its places share one topic
NEIGHBOUR_MIN = 0.08


def place_of(r: ClaimRecord) -> Place:
    """The (source, section) a claim comes from."""
    return r.source_id, r.section_id


def _order(p: Place) -> tuple[int, int]:
    """A sort key for places (a source without sections has section None)."""
    return p[0], -1 if p[1] is None else p[1]


class Topics:
    """The same-event relation between places, from their claims' wording (names and content words)."""

    def __init__(self, records: list[ClaimRecord]):
        """Build one TF-IDF vector per place; in a small folder, also link each place to its nearest ones."""
        bags: dict[Place, Counter[str]] = defaultdict(Counter)
        seen: dict[Place, set[str]] = defaultdict(set)
        dates: dict[Place, dt.date | None] = {}
        terms_of: dict[str, list[str]] = {}  # records share their strings: each text is read once
        for r in records:
            p = place_of(r)
            d = r.section_date  # a place's date: the earliest its records give, whatever order they come in
            if p not in dates:
                dates[p] = d
            elif d is not None:
                earliest = dates[p]
                if earliest is None or d < earliest:
                    dates[p] = d
            texts = seen[p]
            if len(texts) >= MAX_TEXTS:
                continue
            for text in (r.excerpt, r.speaker):
                if text and text not in texts:
                    texts.add(text)
                    found = terms_of.get(text)
                    if found is None:
                        found = terms_of[text] = _term_list(text)
                    bags[p].update(found)
        del seen, terms_of
        self.places = sorted(bags, key=_order)
        n = len(self.places)
        df: Counter[str] = Counter()
        for bag in bags.values():
            df.update(bag.keys())
        idf = {t: math.log(1 + n / d) for t, d in df.items()}
        self.vectors: dict[Place, dict[str, float]] = {}
        for p in self.places:
            self.vectors[p] = _vector(bags.pop(p), idf)
        self._dates = dates
        self._rank = {p: k for k, p in enumerate(self.places)}  # a place's position in _order
        self._cache: dict[int | tuple[Place, Place], bool] = {}  # by the pair's ranks (one int), else by the pair
        self._near: dict[Place, set[Place]] = defaultdict(set)
        self._last: tuple[Place, Place, float] | None = None  # the last similarity computed
        if n <= SMALL_FOLDER:
            self._nearest()

    def _nearest(self) -> None:
        """In a small folder, each place's NEIGHBOURS most alike places (if alike at all) are related to it."""
        for a in self.places:
            near = sorted(((self.similarity(a, b), b) for b in self.places if b != a and self._close_in_time(a, b)),
                          key=lambda x: (-x[0], _order(x[1])))
            for score, b in near[:NEIGHBOURS]:
                if score >= NEIGHBOUR_MIN:
                    self._near[a].add(b)
                    self._near[b].add(a)

    def _close_in_time(self, a: Place, b: Place) -> bool:
        """True unless both places are dated and further apart than the window (posts of one source, such
        as a blog's, may return to their topic at any time)."""
        if a[0] == b[0]:
            return True
        da, db = self._dates.get(a), self._dates.get(b)
        return da is None or db is None or abs((da - db).days) <= DAYS_WINDOW

    def comparable_pairs(self, places: list[Place]) -> list[tuple[int, int]]:
        """Index pairs x < y, in order, of the listed places that differ and that related() may accept: in one
        source, either undated, or dated within DAYS_WINDOW (pairs further apart are never looked at)."""
        dated: list[tuple[int, int]] = []  # (day number, index)
        undated: list[int] = []
        by_source: dict[int, list[int]] = defaultdict(list)
        for x, p in enumerate(places):
            d = self._dates.get(p)
            if d is None:
                undated.append(x)
            else:
                dated.append((d.toordinal(), x))
                by_source[p[0]].append(x)
        pairs: set[tuple[int, int]] = set()
        n = len(places)
        for x in undated:
            pairs.update((min(x, y), max(x, y)) for y in range(n) if y != x)
        dated.sort()
        days = [day for day, _ in dated]
        for k, (day, x) in enumerate(dated):
            pairs.update((x, y) if x < y else (y, x) for _, y in dated[k + 1:bisect_right(days, day + DAYS_WINDOW)])
        for same in by_source.values():
            pairs.update(combinations(same, 2))
        return sorted((x, y) for x, y in pairs if places[x] != places[y])

    def related(self, a: Place, b: Place) -> bool:
        """True when two places report the same event or topic (one place is always related to itself)."""
        if a == b:
            return True
        ra, rb = self._rank.get(a), self._rank.get(b)
        key: int | tuple[Place, Place]
        if ra is not None and rb is not None:  # an int key: a dict of millions of pairs stays small
            key = ra * len(self._rank) + rb if ra < rb else rb * len(self._rank) + ra
        else:
            key = (a, b) if _order(a) < _order(b) else (b, a)
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = b in self._near.get(a, ()) or (
                self._close_in_time(a, b) and self.similarity(a, b) >= SAME_TOPIC)
        return got

    def similarity(self, a: Place, b: Place) -> float:
        """Cosine similarity of two places' vectors. The last pair computed is remembered, in its order:
        callers often ask related(a, b) and then similarity(a, b) of one pair."""
        last = self._last
        if last is not None and last[0] == a and last[1] == b:
            return last[2]
        va, vb = self.vectors.get(a, {}), self.vectors.get(b, {})
        shared = va.keys() & vb.keys()
        total: float = sum(map(mul, map(va.__getitem__, shared), map(vb.__getitem__, shared)))
        self._last = (a, b, total)
        return total


_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]{2,}")  # words of 3+ letters (shorter ones are never terms)


def _vector(bag: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """A place's unit TF-IDF vector over its TOP_TERMS heaviest terms (log-scaled counts times idf)."""
    counts = bag.values()
    boost = {c: (1 + math.log(c) if c > 1 else 1.0) for c in set(counts)}
    values = list(map(mul, map(boost.__getitem__, counts), map(idf.__getitem__, bag)))  # all > 0: idf >= log 2
    weighted = list(zip(values, bag, strict=False))
    if len(weighted) > TOP_TERMS:
        weighted = heapq.nlargest(TOP_TERMS, weighted)
        values = [v for v, _ in weighted]
    norm = math.sqrt(sum(map(mul, values, values))) or 1.0
    return {t: v / norm for v, t in weighted}


_TERM_OF: dict[str, str] = {}  # token -> its term, "" for a token that is no term


def _term(token: str) -> str | None:
    """A token's term: a name ("n:smith"), a stemmed content word ("w:caseload"), or None (cached)."""
    got = _TERM_OF.get(token)
    if got is None:
        got = _new_term(token)
    return got or None


def _new_term(token: str) -> str:
    """Work out a token's term ("" for none) and cache it."""
    low = token.lower()
    if low in STOPWORDS or len(token) < 3:
        term = ""
    elif token[0].isupper() and low not in COMMON_CAPS:
        term = "n:" + (low[:-2] if low.endswith(("'s", "’s")) else low)
    else:
        term = "w:" + stem(token)
    if len(_TERM_OF) > 4_000_000:
        _TERM_OF.clear()
    _TERM_OF[token] = term
    return term


def _term_list(text: str) -> list[str]:
    """The terms of a text in order, repeats kept (what a place's bag counts)."""
    tokens = _TOKEN.findall(text)
    got = list(map(_TERM_OF.get, tokens))
    if None in got:
        got = [t if t is not None else _new_term(tok) for t, tok in zip(got, tokens, strict=False)]
    return list(filter(None, got))


def terms(text: str) -> Counter[str]:
    """The terms of a text for its place's vector: names ("n:") and stemmed content words ("w:")."""
    return Counter(_term_list(text))
