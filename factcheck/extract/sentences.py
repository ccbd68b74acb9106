"""Sentence spans by regex, run per line (paragraphs, bullets and table rows stay intact)."""

from __future__ import annotations

import re
from bisect import bisect_right

from factcheck.extract.lexicon import alternation, words

_LINE = re.compile(r"[^\n]+")
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a likely sentence start.
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[•\-–]*[A-Z0-9£$€•])""")
# words whose full stop does not end a sentence ("Mr.", "Sen.", "Inc."), and initials; data in words.json
_ABBREV = re.compile(r"(?:\b(?:" + alternation(sorted(words("words", "abbreviations"))) + r")|\b[A-Z])[.]$")
_ABBREV_REACH = max(map(len, words("words", "abbreviations")))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split text into (start, end) sentence spans, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        ls, le = line.span()
        pos = ls
        for b in _BOUNDARY.finditer(text, ls, le):
            cut = b.start()
            # keep abbreviations ("Mr.", "Dr.", initials) inside the sentence
            head = text[max(pos, cut - _ABBREV_REACH) : cut + 1]
            if _ABBREV.search(head):
                continue
            end = b.end()
            _append_trimmed(text, pos, end, spans)
            pos = end
        _append_trimmed(text, pos, le, spans)
    return spans


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append the span with leading/trailing whitespace removed, if anything is left."""
    start, end = trim_span(text, start, end)
    if end > start:
        spans.append((start, end))


EXCERPT_PAD = 500  # at most this many characters of a sentence are kept on each side of a claim


def clip_span(text: str, s: int, e: int, start: int, end: int, pad: int = EXCERPT_PAD) -> tuple[int, int]:
    """[s, e) cut to at most pad characters each side of [start, end), at word boundaries; still holds it."""
    if s < start - pad:
        k = _first_space(text, start - pad, start)
        s = k + 1 if k != -1 else start - pad
    if e > end + pad:
        k = max(text.rfind(" ", end, end + pad), text.rfind("\t", end, end + pad))
        e = k if k != -1 else end + pad
    s, e = trim_span(text, s, e)
    return min(s, start), max(e, end)


def _first_space(text: str, lo: int, hi: int) -> int:
    """The first space or tab in [lo, hi), or -1."""
    hits = [k for k in (text.find(" ", lo, hi), text.find("\t", lo, hi)) if k != -1]
    return min(hits) if hits else -1


class SentenceIndex:
    """Finds the sentence around any offset in O(log n)."""

    def __init__(self, text: str):
        """Index the sentences of text."""
        self.text = text
        self.spans = sentence_spans(text)
        self._starts = [s for s, _ in self.spans]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The excerpt of [start, end): its sentence(s), clipped to EXCERPT_PAD characters each side."""
        s, e = self.sentence(start, end)
        return clip_span(self.text, s, e, start, end)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The whole sentence span(s) covering [start, end); falls back to the span itself."""
        i = bisect_right(self._starts, start) - 1
        if i < 0:
            return (start, end)
        s, e = self.spans[i]
        j = i
        while e < end and j + 1 < len(self.spans):
            j += 1
            e = self.spans[j][1]
        return (min(s, start), max(e, end))
