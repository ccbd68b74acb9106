"""Spans that hold digits but are not claims: URLs, phone numbers, postcodes, clock times, labels."""

from __future__ import annotations

import re

_I = re.I
NON_CLAIM_PATTERNS: dict[str, re.Pattern[str]] = {
    "url": re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", _I),
    "domain": re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|uk|co|io|edu|info)(?:/\S*)?\b", _I),
    # UK/international phone numbers: 07788 118005, 0790 4184195, +44 (0)20 7946 0000, 020-7946-0000
    "phone": re.compile(r"(?<![\w£$€])(?:\+\d{1,3}[\s-]?)?(?:\(0\)\s?)?(?:\(?0\d{2,4}\)?[\s-]?)\d{3,4}[\s-]?\d{3,4}(?![\w%])"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    "clock": re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.|hrs|GMT|BST)?(?![\d%])|\b\d{1,2}\s*(?:am|pm|noon)\b", _I),
    # Q31, No. 5, Section 3, Annex 1, page 12, Table 2, Quarter 3, Tier 2
    "label": re.compile(
        r"\b(?:Q|No\.?|Nos\.?|Number|Section|Part|Annex|Appendix|Chapter|Figure|Fig\.|Table|Page|p\.|pp\.|"
        r"Paragraph|Para\.?|Article|Clause|Schedule|Rule|Quarter|Tier|Level|Phase|Stage|Round|Volume|Vol\.|"
        r"Issue|Edition|Room|Flat|Unit|Box|Ref\.?|Reference|Item|Question|Step|Exhibit|Line|Version|v)"
        r"\s?\d+(?:\.\d+)*\b", _I),
    "list_number": re.compile(r"^[ \t]*(?:\(?\d{1,3}[.)]|\d{1,3}\.\d+\.?)(?=\s)", re.M),
    "hashtag": re.compile(r"#\w+"),
    "label_words": re.compile(
        r"\b(?:Part|Section|Chapter|Volume|Annex|Appendix|Book|Act|Episode|Series|Season)\s+"
        r"(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|[IVX]+)\b"),
    # a short heading line that ends with a bare number: "Latest From Napo 165"
    "heading_number": re.compile(r"^[ \t]*(?:[A-Z][\w'’&-]*[ \t]+){1,6}\d{1,4}[ \t]*$", re.M),
}


WORD_PATTERNS = frozenset({"label_words", "hashtag"})  # the others need a digit to matter


def _scan(text: str, reason: str, pattern: re.Pattern[str], windows: list[tuple[int, int]] | None):
    """Matches of one pattern, over the digit-bearing windows unless it is a word pattern."""
    if windows is None or reason in WORD_PATTERNS:
        yield from pattern.finditer(text)
        return
    for ws, we in windows:
        yield from pattern.finditer(text, ws, we)


def nonclaim_spans(text: str, windows: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, reason) for every non-claim span in text (windows: the lines holding digits)."""
    spans: list[tuple[int, int, str]] = []
    for reason, pattern in NON_CLAIM_PATTERNS.items():
        for m in _scan(text, reason, pattern, windows):
            if reason == "heading_number":
                s = m.end() - len(m.group(0).rstrip().split()[-1]) - (len(m.group(0)) - len(m.group(0).rstrip()))
                spans.append((s, m.end(), reason))
            else:
                spans.append((m.start(), m.end(), reason))
    return spans


def mask_nonclaims(text: str, mask: bytearray, windows: list[tuple[int, int]] | None = None) -> None:
    """Mark every non-claim span in the mask."""
    for s, e, _ in nonclaim_spans(text, windows):
        mask[s:e] = b"\x01" * (e - s)
