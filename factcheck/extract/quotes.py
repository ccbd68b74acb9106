"""Quotation-mark spans: curly and straight, double and single, nested, and British multi-paragraph quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extract.sentences import trim_span

# a double mark; two apostrophes are a straight double mark too (''Like this,'' as some papers print): the same
# matches as r"[“”\"]|''", written to start with a character class, which a scan skips to fast
_DOUBLE = re.compile(r"""[“”"'](?:(?<=[“”"])|(?<=')')""")
_SINGLE = re.compile(r"[‘’']")
_OPEN_CTX = " \t\n([{—–-:;,/“\"‘'"  # what may stand before an opening mark
_CLOSE_CTX = " \t\n)]}—–-:;,.!?/”\"’'…"  # what may follow a closing mark


@dataclass(slots=True)
class QuoteSpan:
    """A quoted stretch: marks at [start, end), words at [inner_start, inner_end)."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    double: bool = True
    continues_previous: bool = False  # British style: this paragraph re-opens a quote left open above
    continued: bool = False  # the quote runs on into the next paragraph (no closing mark here)


def _para_end(text: str, pos: int) -> int:
    """End of the line/paragraph holding pos."""
    e = text.find("\n", pos)
    return len(text) if e == -1 else e


def _is_opening_straight(text: str, i: int, width: int = 1) -> bool:
    """A straight quote mark (width characters) opens when it follows a space/bracket and precedes a non-space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    return (before in _OPEN_CTX or i == 0) and not after.isspace()


def _next_paragraph_start(text: str, pe: int) -> int:
    """Offset of the first non-space character after pe, the end of a paragraph."""
    i = pe
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def double_quotes(text: str) -> list[QuoteSpan]:
    """Spans between double quotation marks, following British multi-paragraph continuation."""
    out: list[QuoteSpan] = []
    open_at: int | None = None
    open_width = 1  # characters of the open quote's mark ('' is two)
    open_end = nl = -1  # end of the open quote's paragraph; end of the paragraph holding the current mark
    continues = False
    for m in _DOUBLE.finditer(text):
        i, ch = m.start(), m.group(0)
        width = len(ch)
        opens = ch == "“" or (ch in ('"', "''") and _is_opening_straight(text, i, width))
        if i > nl:  # found once per paragraph, not once per mark
            nl = _para_end(text, i)
        if open_at is not None and open_end < i:
            # the open quote ran off the end of its paragraph
            pe = open_end
            s, e = trim_span(text, open_at + open_width, pe)
            if _next_paragraph_start(text, pe) == i and opens:
                # British style: the next paragraph re-opens the same quote
                out.append(QuoteSpan(open_at, pe, s, e, True, continues, continued=True))
                open_at, open_width, open_end, continues = i, width, nl, True
                continue
            if _has_words(text, s, e, 4):  # an unclosed quote: keep it to the paragraph end
                out.append(QuoteSpan(open_at, pe, s, e, True, continues, continued=False))
            open_at, continues = None, False
        if open_at is None:
            if opens:
                open_at, open_width, open_end = i, width, nl
            continue
        if ch == "“":  # re-opened in the same paragraph without a close: restart here
            open_at, open_width = i, width
            continue
        s, e = trim_span(text, open_at + open_width, i)
        if e > s:
            out.append(QuoteSpan(open_at, i + width, s, e, True, continues))
        open_at, continues = None, False
    if open_at is not None:
        pe = _para_end(text, open_at)
        s, e = trim_span(text, open_at + open_width, pe)
        if _has_words(text, s, e, 4):
            out.append(QuoteSpan(open_at, pe, s, e, True, continues))
    return out


_WORD_RUN = re.compile(r"\S+")


def _has_words(text: str, s: int, e: int, n: int) -> bool:
    """Whether text[s:e] has at least n words (counting no further than the n-th)."""
    found = 0
    for _ in _WORD_RUN.finditer(text, s, e):
        found += 1
        if found >= n:
            return True
    return False


def single_quotes(text: str, inside: list[QuoteSpan]) -> list[QuoteSpan]:
    """Spans between single quotation marks outside double-quoted spans, skipping apostrophes."""
    out: list[QuoteSpan] = []
    blocked = [(q.start, q.end) for q in inside]
    bi = 0
    open_at: int | None = None
    open_end = nl = -1  # end of the open quote's paragraph; end of the paragraph holding the current mark
    for m in _SINGLE.finditer(text):
        i, ch = m.start(), m.group(0)
        if i > nl:
            nl = _para_end(text, i)
        while bi < len(blocked) and blocked[bi][1] <= i:
            bi += 1
        if bi < len(blocked) and blocked[bi][0] <= i < blocked[bi][1]:
            open_at = None
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if open_at is not None and open_end < i:
            open_at = None
        can_open = ch in "‘'" and (i == 0 or before in _OPEN_CTX) and (after.isalnum() or after in "£$€“\"")
        can_close = ch in "’'" and not before.isspace() and (after in _CLOSE_CTX or i + 1 == len(text))
        if open_at is not None and can_close:
            s, e = trim_span(text, open_at + 1, i)
            if e > s:
                out.append(QuoteSpan(open_at, i + 1, s, e, False))
            open_at = None
        elif can_open:
            open_at, open_end = i, nl
    return out


def quote_spans(text: str) -> list[QuoteSpan]:
    """Every outermost quoted span in text, in order."""
    doubles = double_quotes(text)
    return sorted(doubles + single_quotes(text, doubles), key=lambda q: q.start)
