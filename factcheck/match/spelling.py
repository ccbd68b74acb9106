"""Whether two written names are one name spelled two ways (and how), or real different words."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from rapidfuzz.distance import OSA

from factcheck.extract import lexicon

DATA = json.loads((Path(__file__).parent / "data" / "aliases.json").read_text(encoding="utf-8"))
FUNCTION_WORDS = frozenset(DATA["function_words"])
ADJECTIVE_SUFFIXES = tuple(sorted(DATA["adjective_suffixes"], key=len, reverse=True))
NOUN_ENDINGS = tuple(sorted(DATA["noun_endings"], key=len, reverse=True))
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_POSSESSIVE = re.compile(r"(?:'s|s')$")
_ARTICLE = re.compile(r"^(?:The|A|An)\s+")


@cache
def known_words() -> frozenset[str]:
    """Real words (lower case) from the extractors' vocabulary: weekdays, months, given names, titles, ..."""
    out: set[str] = set()
    for name, key in DATA["known_words"]:
        out |= {w.lower() for w in lexicon.load(name)[key] if isinstance(w, str)}
    return frozenset(out)


def straight(text: str) -> str:
    """Text with typographic apostrophes as straight ones."""
    return text.translate(_APOSTROPHES)


def norm_name(name: str) -> str:
    """Comparable form: single spaces, straight apostrophes, no leading article, no possessive ending."""
    name = " ".join(straight(name).split())
    name = _POSSESSIVE.sub(lambda m: "s" if m.group(0) == "s'" else "", name).strip("'-&")
    return _ARTICLE.sub("", name)


def _stems(word: str) -> set[str]:
    """A word and the word less one noun ending (Russia, Britain -> Brit), at least three letters."""
    return {word} | {word[:-len(e)] for e in NOUN_ENDINGS if word.endswith(e) and len(word) - len(e) >= 3}


def adjective_pair(x: str, y: str) -> bool:
    """Whether one word is the other's adjective or demonym (Russia/Russian, Britain/British, Nation/National)."""
    x, y = x.lower(), y.lower()
    for adj, noun in ((x, y), (y, x)):
        for suffix in ADJECTIVE_SUFFIXES:
            stem = adj[:-len(suffix)]
            if adj.endswith(suffix) and len(stem) >= 3 and _stems(stem) & _stems(noun):
                return True
    return False


def different_words(x: str, y: str) -> bool:
    """Two tokens that are real different words: both known words, a calendar word, or an adjective/noun pair
    (never two words with the same letters, two swapped: Sheallezain/Sheallezian is a slip)."""
    lx, ly = x.lower(), y.lower()
    calendar = lexicon.words("quantities", "calendar_words")
    if lx in calendar or ly in calendar:
        return True
    if lx in known_words() and ly in known_words():
        return True
    return not _transposed(lx, ly) and adjective_pair(lx, ly)


def _transposed(x: str, y: str) -> bool:
    """Two acronyms with the same letters, two of them swapped (MTC/MCT)."""
    return len(x) == len(y) and sorted(x) == sorted(y) and OSA.distance(x, y) == 1


def token_variant(x: str, y: str) -> str | None:
    """How two differing tokens relate: "hyphen", "spelling", or None when they are different words."""
    if x.lower() == y.lower() or x.rstrip("s") == y.rstrip("s"):
        return None  # case or plural only
    if x.replace("-", "").lower() == y.replace("-", "").lower():
        return "hyphen"
    if x.isupper() and y.isupper():
        return "spelling" if _transposed(x, y) else None  # NPS/NHS are two bodies; MTC/MCT is a slip
    limit = 1 if max(len(x), len(y)) <= 7 else 2
    if min(len(x), len(y)) < 3 or x[0].lower() != y[0].lower() or OSA.distance(x.lower(), y.lower()) > limit:
        return None
    return None if different_words(x, y) else "spelling"


def name_variant(a: str, b: str) -> str | None:
    """Whether two names are one name written two ways, and how (one token differs, slightly)."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or a == b:
        return None
    diffs = [(x, y) for x, y in zip(ta, tb, strict=False) if x != y]
    if len(diffs) != 1:
        return None
    return changed_token_variant(*diffs[0], len(ta))


def changed_token_variant(x: str, y: str, tokens: int) -> str | None:
    """name_variant of two names of this many tokens that differ only in token x / y (x != y)."""
    if tokens == 1 and not (x.isupper() and y.isupper()) and len(x) < 6:
        return None  # a lone short word: too many real words are one letter apart
    return token_variant(x, y)
