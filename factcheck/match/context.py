"""Context words of a claim and their rarity: what lets two claims be recognised as the same fact."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from itertools import chain
from typing import TypeVar

from factcheck.match.records import ClaimRecord

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]+")
STOPWORDS = frozenset("""
a an the of in on at to for with by from and or but nor that which who whom whose this these those is are was
were be been being am has have had will would shall can could should may might must do does did not no than as
per each every it its their they them he she him her his we our us you your i me my if so such also all any
both either neither into onto over under about after before between during since until while when where there
here then more most less fewer said says say told many some only just even still yet again already now other
another own same few several very much what how why new yet last next year years month months week weeks day
days time times one two three four five six seven eight nine ten first second made make being get got per cent
percent
""".split())


def stem(word: str) -> str:
    """Crude stem: lower case, no possessive, no plural s ("Caseloads" -> "caseload")."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def content_words(text: str) -> set[str]:
    """Stemmed content words of a text (stopwords dropped)."""
    return {stem(t) for t in _TOKEN.findall(text) if t.lower() not in STOPWORDS and len(t) > 2}


_PROPER = re.compile(r"\b[A-Z][A-Za-z’'-]+")
COMMON_CAPS = STOPWORDS | frozenset("""
however but this that these there their they overall meanwhile following although while when where what who
mr mrs ms dr sir dame lord lady our its his her we it in on at for to by as from with and or if so also today
yesterday monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
""".split())


def proper_nouns(text: str) -> set[str]:
    """Capitalised names in a text, lower-cased, minus common sentence-initial words ("stoke", "rrp")."""
    out: set[str] = set()
    for t in set(_PROPER.findall(text)):
        low = t.lower()
        if low not in COMMON_CAPS and len(t) > 1:
            out.add(low[:-2] if low.endswith(("'s", "’s")) else low)
    return out


def claim_context(r: ClaimRecord) -> set[str]:
    """Content words of a claim's surroundings (or excerpt), subject and speaker's name."""
    words = content_words(r.context or r.excerpt)
    if r.subject:
        words |= content_words(r.subject)
    if r.speaker:
        words |= content_words(r.speaker)
    return words


class Memo(dict[K, V]):
    """fn(key) for each key, computed once (records share their strings, so features repeat). Values are
    shared between the records that ask: callers must not change them."""

    def __init__(self, fn: Callable[[K], V]) -> None:
        """Remember fn; nothing is computed yet."""
        super().__init__()
        self.fn = fn

    def __missing__(self, key: K) -> V:
        """Compute and keep the value for a new key."""
        value = self[key] = self.fn(key)
        return value


class Rarity:
    """Inverse document frequency of context words over a set of claims."""

    def __init__(self, contexts: Sequence[AbstractSet[str]]) -> None:
        """Count in how many contexts each word appears."""
        self.n = max(1, len(contexts))
        self.df: Counter[str] = Counter(chain.from_iterable(contexts))
        self._weights: dict[str, float] = {}

    def weight(self, word: str) -> float:
        """log(N / df): rare words weigh more (cached per word)."""
        got = self._weights.get(word)
        if got is None:
            got = self._weights[word] = math.log((self.n + 1) / (self.df.get(word, 0) + 1)) + 0.1
        return got

    def similarity(self, a: AbstractSet[str], b: AbstractSet[str]) -> float:
        """IDF-weighted Jaccard similarity of two context sets (0..1)."""
        if not a or not b:
            return 0.0
        inter = sum(self.weight(w) for w in a & b)
        union = sum(self.weight(w) for w in a | b)
        return inter / union if union else 0.0

    def shared(self, a: AbstractSet[str], b: AbstractSet[str], k: int = 4) -> list[str]:
        """The k rarest words two contexts share (for explanations)."""
        return self.rarest(a & b)[:k]

    def rarest(self, words: Iterable[str]) -> list[str]:
        """Words rarest first, ties in alphabetical order (not in set order, which varies between runs)."""
        return sorted(words, key=lambda w: (-self.weight(w), w))
