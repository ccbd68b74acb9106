"""The unit lexicon (data/units.json): currencies, percent and measures, looked up by precompiled tries.

Every unit has a normalised name ("kilometre per hour", "US dollar", "percent") and a kind ("length",
"currency", "ratio", ...). Symbols match case-sensitively and may be glued to the number ("30km", "128GB");
a one-letter symbol only glued ("5t", "50p", not "5 t"). Words match case-insensitively, spaced or hyphenated
("30 kilometres", "a 30-metre wall"). Currency prefixes stand before the number ("US$5", "RM50", "£ 3").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from factcheck.extract.subjects import STOP
from factcheck.extract.wordtrie import trie_pattern


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of the lexicon."""

    name: str  # the normalised name: "kilometre", "US dollar", "percent"
    kind: str  # "currency", "ratio", "length", "mass", "time", "speed", ...
    code: str | None = None  # ISO 4217 code of a currency

    @property
    def is_currency(self) -> bool:
        """Money (a currency or one of its subunits)."""
        return self.kind == "currency"

    @property
    def short(self) -> str:
        """The claim's `unit`: the ISO code of a currency, "%" for percent, else the name."""
        if self.code:
            return self.code
        return "%" if self.name == "percent" else self.name


def _load() -> dict[str, Any]:
    """The lexicon file, parsed."""
    with resources.files("factcheck.extract").joinpath("data/units.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)  # JSON: values of any shape
        return data


_DATA = _load()


def _load_words() -> dict[str, Any]:
    """The general English word lists of data/quantities.json (label nouns, street types, calendar words)."""
    with resources.files("factcheck.extract").joinpath("data/quantities.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)  # JSON: values of any shape
        return data


QUANTITY_WORDS: dict[str, Any] = _load_words()
SCALES: dict[str, float] = {k.lower(): float(v) for k, v in _DATA["scales"].items()}
RATE_NOUNS: frozenset[str] = frozenset(_DATA.get("rate_nouns", []))  # "$1.40 a share", "£20 a head"

PREFIXES: dict[str, Unit] = {}  # exact spelling -> currency ("US$", "RM"); sign-bearing ones also lower-cased
SYMBOLS: dict[str, Unit] = {}  # exact spelling -> unit ("km", "GB", "%")
WORDS: dict[str, Unit] = {}  # lower-case spelling -> unit ("kilometres", "swiss francs")
NAMES: dict[str, Unit] = {}  # normalised name -> unit
_SIGNS = "$£€¥₹₽₩₺₪₦₱฿₫₡₾₭₿"

for cur in _DATA["currencies"]:
    u = Unit(cur["name"], "currency", cur.get("code"))
    NAMES[u.name] = u
    spellings = [p.strip() for p in cur.get("prefix", [])]
    if u.code and any("$" in p for p in spellings):
        spellings += [u.code + "$"]  # "AUD$ 15", "NZD$15"
    for p in spellings:
        PREFIXES[p] = u
        if any(ch in _SIGNS for ch in p):
            letters = "".join(ch for ch in p if ch.isalpha()).lower()
            if letters not in STOP:  # "hk$", "c $" in lower-cased text (not "a $": an article)
                PREFIXES.setdefault(p.lower(), u)
            if len(p) == 1:
                SYMBOLS.setdefault(p, u)  # a sign after the number: "15 €", "100₾"
    for w in cur.get("words", []):
        WORDS[w.lower()] = u
    for s in cur.get("symbols", []):
        SYMBOLS[s] = u
for m in _DATA["measures"]:
    u = Unit(m["name"], m["kind"])
    NAMES[u.name] = u
    for s in m.get("symbols", []):
        SYMBOLS.setdefault(s, u)
    for w in m.get("words", []):
        WORDS.setdefault(w.lower(), u)

def _alternation(words: Iterable[str]) -> str:
    """A trie regex of the spellings, internal spaces matching any horizontal whitespace."""
    return trie_pattern(set(words)).replace(r"\ ", r"[ \t]+")


_BOUNDARY = r"(?![^\W_])"  # no letter or digit right after the unit
PREFIX_RE = re.compile(rf"(?:{_alternation(PREFIXES)})")
_SYMBOL_RE = re.compile(rf"(?:{_alternation(SYMBOLS)}){_BOUNDARY}")
_WORD_RE = re.compile(rf"(?:{_alternation(WORDS)}){_BOUNDARY}")
SCALE_WORDS = frozenset(SCALES)
# a scale after a number: a one-letter abbreviation glued ("5m", "3k"), longer ones glued, spaced or hyphenated
SCALE_PATTERN = (rf"(?i:[ \t]?-?(?:{trie_pattern({w for w in SCALES if len(w) > 1})})"
                 rf"|(?:{trie_pattern({w for w in SCALES if len(w) == 1})})){_BOUNDARY}")


_BRACKETED = re.compile(r"[ \t]?([(\[{<])([^\s()\[\]{}<>]{1,12})[)\]}>]")


def _norm(s: str) -> str:
    """Spelling with internal whitespace single-spaced (the dictionary key)."""
    return " ".join(s.split())


def prefix_unit(spelling: str | None) -> Unit | None:
    """The currency of a prefix such as "US$", "£", "RM"."""
    if not spelling:
        return None
    s = _norm(spelling)
    return PREFIXES.get(s) or PREFIXES.get(s.lower()) or PREFIXES.get(s.replace(" ", ""))


def unit_at(text: str, pos: int, lower: str | None = None) -> tuple[Unit, int] | None:
    """The unit written at pos (glued, after one space or a hyphen), and where it ends; None if none.

    lower: text.lower() when the caller has it (same length), so word lookups need no case-blind regex.
    """
    gap = 0
    ch = text[pos:pos + 1]
    br = _BRACKETED.match(text, pos)
    if br:  # "20 (kg)", "20 [kg]": a unit in brackets right after the number
        inner = unit_at(text[:br.end(2)], br.start(2), None if lower is None else lower[:br.end(2)])
        if inner and inner[1] == br.end(2):
            return inner[0], br.end()
    if ch in (" ", "\t", "-"):
        gap = 1
        if ch != "-" and text[pos + 1:pos + 2] == "-":
            return None
    start = pos + gap
    best: tuple[Unit, int] | None = None
    m = _SYMBOL_RE.match(text, start)
    if m:
        sym = m.group()
        u = SYMBOLS.get(sym) or SYMBOLS.get(_norm(sym))
        if u and not (gap and len(sym) == 1 and sym.isalpha()):
            best = (u, m.end())
    src = lower if lower is not None else text.lower()
    if len(src) == len(text):
        m = _WORD_RE.match(src, start)
        if m and (best is None or m.end() > best[1]):
            u = WORDS.get(_norm(m.group()))
            if u:
                best = (u, m.end())
    return best


def word_unit(word: str | None) -> Unit | None:
    """The unit spelt by a word ("hours", "Swiss francs"), else None."""
    if not word:
        return None
    return WORDS.get(_norm(word).lower())


def normalised_name(unit: Unit, per: Unit | str | None = None) -> str:
    """The normalised unit name, with a rate's denominator ("US dollar per share", "metric ton per year")."""
    if per is None:
        return unit.name
    other = per.name if isinstance(per, Unit) else per
    return f"{unit.name} per {other}"
