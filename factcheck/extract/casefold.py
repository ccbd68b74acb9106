"""Case-blind patterns run case-sensitively on lower-cased text: the same matches, about twice as fast."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any


def _stdlib(new: str, old: str) -> ModuleType:
    """A module of the stdlib's regular-expression parser (private; renamed in Python 3.11)."""
    try:
        return importlib.import_module(new)
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module(old)


C = _stdlib("re._constants", "sre_constants")  # the parser's opcodes
P = _stdlib("re._parser", "sre_parse")  # the parser


def _has_upper(items: Any) -> bool:
    """Whether a parsed pattern holds an upper-case letter as a literal or in a character range."""
    for op, av in items:
        if op is C.LITERAL or op is C.NOT_LITERAL:
            if chr(av).lower() != chr(av):
                return True
        elif op is C.IN:
            for iop, iav in av:
                if iop is C.LITERAL and chr(iav).lower() != chr(iav):
                    return True
                if iop is C.RANGE and any(chr(x).lower() != chr(x) for x in range(iav[0], iav[1] + 1)):
                    return True
        elif op is C.SUBPATTERN:
            if _has_upper(av[3].data):
                return True
        elif op is C.BRANCH:
            if any(_has_upper(alt.data) for alt in av[1]):
                return True
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            if _has_upper(av[2].data):
                return True
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if _has_upper(av[1].data):
                return True
        elif op is C.GROUPREF_EXISTS:
            return True  # conditionals: not worth proving
    return False


def lower_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The pattern without re.IGNORECASE, for lower-cased text, when its letters are all lower-case (else None)."""
    if not pattern.flags & re.IGNORECASE:
        return None
    if _has_upper(P.parse(pattern.pattern, pattern.flags & ~re.IGNORECASE).data):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


class FoldedText:
    """A text and, when lower-casing keeps every offset, its lower-cased copy and the twins of case-blind patterns."""

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()
        self.lower = lowered if len(lowered) == len(text) else None

    def finditer(self, pattern: re.Pattern[str], start: int, end: int) -> Iterator[re.Match[str]]:
        """pattern.finditer(text, start, end): on the lower-cased text with the twin when there is one."""
        if self.lower is not None:
            twin = _TWINS.get(pattern)
            if twin is None and pattern not in _TWINS:
                twin = _TWINS[pattern] = lower_twin(pattern)
            if twin is not None:
                return twin.finditer(self.lower, start, end)
        return pattern.finditer(self.text, start, end)


_TWINS: dict[re.Pattern[str], re.Pattern[str] | None] = {}
