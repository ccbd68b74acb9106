"""Acronyms defined in parentheses: "Full Name (ACR)" and "ACR (Full Name)", the initials checked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.match.spelling import FUNCTION_WORDS, norm_name, straight

ACRONYM = r"[A-Z][A-Za-z&]{0,3}[A-Z][A-Za-z&]{0,5}"
_ACR = re.compile(rf"(?:{ACRONYM})(?=s?\b)")
_AFTER = re.compile(rf"\(\s*({ACRONYM})s?\s*\)")  # Full Name (ACR)
_BEFORE = re.compile(rf"\b({ACRONYM})s?\s*\(([^()\n]{{3,120}})\)")  # ACR (Full Name)
_WORD = re.compile(r"[A-Za-z&][\w’'&-]*")
_STOP = re.compile(r"[.;:!?()\[\]\n\"“”]")  # the expansion before "(ACR)" does not cross these
MAX_WORDS_PER_LETTER = 2


@dataclass(frozen=True, slots=True)
class Definition:
    """An acronym and the name it stands for, with where each was written in the text."""

    acronym: str
    expansion: str
    acronym_span: tuple[int, int]
    expansion_span: tuple[int, int]


def is_acronym(token: str) -> bool:
    """Two or more capitals, at most ten letters, more capitals than not (HMIP, MoJ, DfE; not Sodexo)."""
    caps = sum(c.isupper() for c in token)
    return _ACR.fullmatch(token) is not None and caps >= 2 and caps * 2 >= len(token) - 1


def _letter_options(word: str) -> set[str]:
    """The letters a word may give an acronym: its initial, each part's (Re-offending), capitals (HM)."""
    plain = word.strip("’'&-")
    if not plain:
        return set()
    if plain.lower() in FUNCTION_WORDS:
        return {"", plain[0].upper()}
    options = {plain[0].upper()}
    parts = [p for p in re.split(r"[-’']", plain) if p]
    options.add("".join(p[0].upper() for p in parts if p[0].isalpha() and p.lower() not in {"s"}))
    capitals = "".join(c for c in plain if c.isupper())
    if len(capitals) > 1:
        options.add(capitals)  # HM in "HM Inspectorate", PowerPoint -> PP
    return {o for o in options if o}


def _spells(words: tuple[str, ...], letters: str) -> bool:
    """Whether the words, in order, give exactly these letters (function words may give none)."""
    return _fits(words, letters, 0, 0, {})


def _fits(words: tuple[str, ...], letters: str, i: int, j: int, memo: dict[tuple[int, int], bool]) -> bool:
    """Whether words[i:] give exactly letters[j:], each (i, j) worked out once. A module function with the memo
    passed in, not a cached closure calling itself: that closure is a reference cycle, kept (with its cache)
    until the cyclic collector runs, which find_flags pauses."""
    got = memo.get((i, j))
    if got is None:
        if i == len(words):
            got = j == len(letters)
        else:
            got = any(letters.startswith(o, j) and _fits(words, letters, i + 1, j + len(o), memo)
                      for o in _letter_options(words[i]))
        memo[(i, j)] = got
    return got


def _is_name_start(word: str) -> bool:
    """A word an expansion can start with: capitalised, not a function word."""
    return word[:1].isupper() and word.lower() not in FUNCTION_WORDS


def _expansion_before(text: str, paren: int, acronym: str) -> tuple[int, int] | None:
    """The span of the fewest words just before "(" whose initials spell the acronym."""
    stop = max((m.end() for m in _STOP.finditer(text, max(0, paren - 200), paren)), default=max(0, paren - 200))
    words = list(_WORD.finditer(text, stop, paren))[-MAX_WORDS_PER_LETTER * len(acronym) - 2:]
    letters = acronym.upper()
    for k in range(1, len(words) + 1):
        tail = words[-k:]
        if not _is_name_start(tail[0].group()) or any(
                not w.group()[:1].isupper() and w.group().lower() not in FUNCTION_WORDS for w in tail):
            continue
        if _spells(tuple(w.group() for w in tail), letters):
            return tail[0].start(), tail[-1].end()
    return None


def _expansion_inside(text: str, start: int, end: int, acronym: str) -> tuple[int, int] | None:
    """The span of the words inside "(...)" when all of them together spell the acronym."""
    words = list(_WORD.finditer(text, start, end))
    if not words or not _is_name_start(words[0].group()) or len(words) > MAX_WORDS_PER_LETTER * len(acronym) + 2:
        return None
    if any(not w.group()[:1].isupper() and w.group().lower() not in FUNCTION_WORDS for w in words):
        return None
    return (words[0].start(), words[-1].end()) if _spells(tuple(w.group() for w in words), acronym.upper()) else None


def singular(acronym: str) -> str:
    """An acronym less a plural s (CRCs -> CRC)."""
    return acronym[:-1] if acronym.endswith("s") and is_acronym(acronym[:-1]) else acronym


def _definition(text: str, acr_span: tuple[int, int], exp_span: tuple[int, int]) -> Definition:
    """A definition from the two spans of the text."""
    return Definition(text[acr_span[0]:acr_span[1]], norm_name(text[exp_span[0]:exp_span[1]]), acr_span, exp_span)


def _acronym_span(m: re.Match[str]) -> tuple[int, int]:
    """Where the acronym of a match is, less a plural s."""
    start, end = m.span(1)
    return start, start + len(singular(m.group(1)))


def find_definitions(text: str) -> list[Definition]:
    """Every "Full Name (ACR)" and "ACR (Full Name)" of a text whose initials spell the acronym."""
    out = []
    for m in _AFTER.finditer(text):
        if is_acronym(m.group(1)):
            span = _expansion_before(text, m.start(), singular(m.group(1)))
            if span:
                out.append(_definition(text, _acronym_span(m), span))
    for m in _BEFORE.finditer(text):
        if is_acronym(m.group(1)):
            span = _expansion_inside(text, m.start(2), m.end(2), singular(m.group(1)))
            if span:
                out.append(_definition(text, _acronym_span(m), span))
    return out


def expansion_key(name: str) -> str:
    """One key for the ways an expansion is written: case, hyphens, apostrophes and plurals aside."""
    words = []
    for w in straight(name).lower().replace("-", "").split():
        w = w[:-3] + "y" if w.endswith("ies") else w[:-1] if w.endswith("s") and not w.endswith("ss") else w
        words.append(w)
    return " ".join(words)
