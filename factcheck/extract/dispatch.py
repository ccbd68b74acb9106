"""Ordered alternations split by the character a match starts with, so only alternatives that can start there run.

A top-level alternation ``A|B|C`` tried with ``match`` at a position returns the first alternative that matches
there. An alternative whose first consumed character can never be the character at that position cannot match,
so leaving it out changes nothing. `StartDispatch` works out, from the parsed pattern of each alternative, which
characters it can start with (conservatively: when unsure, any), and compiles, once per starting character seen,
the alternation of only those alternatives, in their original order. Matches, group names and ``lastgroup`` are
the same as the whole alternation's (the groups of left-out alternatives exist, unmatched); only the work on
alternatives that cannot match is saved.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from typing import Any


def _stdlib(new: str, old: str) -> Any:
    """A module of the stdlib's regular-expression parser (private; renamed in Python 3.11)."""
    try:
        return importlib.import_module(new)
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module(old)


C = _stdlib("re._constants", "sre_constants")  # the parser's opcodes
P = _stdlib("re._parser", "sre_parse")  # the parser

_REPEATS = tuple(op for op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) if op is not None)
_ATOMIC = getattr(C, "ATOMIC_GROUP", None)

_CATEGORY_TESTS: dict[object, Callable[[str], bool]] = {
    C.CATEGORY_DIGIT: lambda c: re.match(r"\d", c) is not None,
    C.CATEGORY_NOT_DIGIT: lambda c: re.match(r"\D", c) is not None,
    C.CATEGORY_SPACE: lambda c: re.match(r"\s", c) is not None,
    C.CATEGORY_NOT_SPACE: lambda c: re.match(r"\S", c) is not None,
    C.CATEGORY_WORD: lambda c: re.match(r"\w", c) is not None,
    C.CATEGORY_NOT_WORD: lambda c: re.match(r"\W", c) is not None,
}


def _variants(c: str, ignorecase: bool) -> set[str]:
    """The character itself, and its other cases when matching ignores case."""
    return {c, c.lower(), c.upper(), c.casefold()} if ignorecase else {c}


def _in_set(items: list[tuple[Any, Any]], c: str, ignorecase: bool) -> bool:
    """Whether a character class (the parser's IN items) can match c."""
    negate = False
    hit = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit = hit or any(ord(v) == av for v in _variants(c, ignorecase))
        elif op is C.RANGE:
            lo, hi = av
            hit = hit or any(lo <= ord(v) <= hi for v in _variants(c, ignorecase))
        elif op is C.CATEGORY:
            test = _CATEGORY_TESTS.get(av)
            hit = hit or test is None or test(c)
        else:
            return True  # unknown item: assume it can
    return (not hit) if negate else hit


def _starts(seq: Sequence[tuple[Any, Any]], c: str, flags: int) -> tuple[bool, bool]:
    """(can the sequence start by consuming c, can it match the empty string) — conservative: True when unsure."""
    ignorecase = bool(flags & re.IGNORECASE)
    for op, av in seq:
        can, empty = _item(op, av, c, flags, ignorecase)
        if can:
            return True, False
        if not empty:
            return False, False
    return False, True


def _item(op: object, av: Any, c: str, flags: int, ignorecase: bool) -> tuple[bool, bool]:
    """(can this item start by consuming c, can it match empty) for one parser item."""
    if op is C.LITERAL:
        return any(ord(v) == av for v in _variants(c, ignorecase)), False
    if op is C.NOT_LITERAL:
        return all(ord(v) != av for v in _variants(c, ignorecase)), False
    if op is C.IN:
        return _in_set(av, c, ignorecase), False
    if op is C.ANY:
        return c != "\n" or bool(flags & re.DOTALL), False
    if op is C.SUBPATTERN:
        _, add, delete, sub = av
        return _starts(sub.data, c, (flags | add) & ~delete)
    if op is C.BRANCH:
        can = empty = False
        for alt in av[1]:
            a, e = _starts(alt.data if hasattr(alt, "data") else alt, c, flags)
            can, empty = can or a, empty or e
        return can, empty
    if op in _REPEATS:
        lo, _, sub = av
        can, empty = _starts(sub.data if hasattr(sub, "data") else sub, c, flags)
        return can, empty or lo == 0
    if op is C.ASSERT:
        direction, sub = av
        if direction == 1:  # a look-ahead: the next character must also start it
            can, empty = _starts(sub.data, c, flags)
            if not can and not empty:
                return False, False
        return False, True  # zero width: what follows decides
    if op in (C.ASSERT_NOT, C.AT):
        return False, True  # zero width; ignoring the condition is conservative
    if _ATOMIC is not None and op is _ATOMIC:
        return _starts(av.data if hasattr(av, "data") else av, c, flags)
    return True, True  # back-references, conditionals, anything else: assume it can


def can_start(pattern: str, c: str, flags: int = 0) -> bool:
    """Whether a match of pattern can begin at a position holding the character c (conservative)."""
    return _can_start_parsed(P.parse(pattern, flags), c, flags)


def _can_start_parsed(parsed: Any, c: str, flags: int) -> bool:
    """can_start for an already parsed pattern."""
    can, empty = _starts(parsed.data, c, flags | parsed.state.flags)
    return can or empty


class StartDispatch:
    """``match`` of the alternation of `alternatives`, running only those that can start at the position."""

    def __init__(self, alternatives: Sequence[str], flags: int = 0) -> None:
        self._alternatives = list(alternatives)
        self._flags = flags
        self._by_char: dict[str, re.Pattern[str] | None] = {}
        self._parsed = [P.parse(a, flags) for a in self._alternatives]  # parsed once, tried for every character
        self._by_choice: dict[tuple[int, ...], re.Pattern[str]] = {}  # characters with the same alternatives share
        self._whole = re.compile("|".join(self._alternatives), flags)

    def _for(self, c: str) -> re.Pattern[str] | None:
        """The alternation of the alternatives that can start with c, compiled once (None when none can)."""
        picks = tuple(i for i, parsed in enumerate(self._parsed) if _can_start_parsed(parsed, c, self._flags))
        if not picks:
            return None
        if picks in self._by_choice:
            return self._by_choice[picks]
        if 2 * len(picks) > len(self._parsed):
            return self._whole  # most alternatives can start here: the whole alternation, already compiled
        chosen = [self._alternatives[i] for i in picks]
        pattern = re.compile("|".join(chosen), self._flags)
        missing = [g for g in self._whole.groupindex if g not in pattern.groupindex]
        if missing:  # groups of the left-out alternatives still exist (unmatched), as in the whole alternation
            chosen.append("(?!)(?:" + "".join(f"(?P<{g}>)" for g in missing) + ")")
            pattern = re.compile("|".join(chosen), self._flags)
        self._by_choice[picks] = pattern
        return pattern

    def match(self, text: str, pos: int, end: int) -> re.Match[str] | None:
        """What the whole alternation's ``match(text, pos, end)`` returns."""
        if pos >= end:
            return self._whole.match(text, pos, end)
        c = text[pos]
        try:
            pattern = self._by_char[c]
        except KeyError:
            pattern = self._by_char[c] = self._for(c)
        return pattern.match(text, pos, end) if pattern is not None else None
