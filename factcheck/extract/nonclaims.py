"""Spans that hold digits but are not claims: URLs, phone numbers, postcodes, clock times, labels."""

from __future__ import annotations

import re

_I = re.I
_CLOCK_SUFFIX = r"(?:am|pm|a\.m\.|p\.m\.|hrs|h\b|GMT|BST|UTC|CET|EST|EDT|PST|PDT|ET\b|local\s+time|o['’]clock)"
_CLOCK_CONTEXT = "(?:" + "|".join(rf"(?<=\b{w} )" for w in ("at", "until", "till", "before", "after", "between")) + ")"
_UNIT_AFTER = r"[ \t]+(?:cents?|pence|points?|dollars|pounds|euros|per)\b"  # "at 10.30 cents": a quantity
NON_CLAIM_PATTERNS: dict[str, re.Pattern[str]] = {
    "url": re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", _I),
    "domain": re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|uk|co|io|edu|info)(?:/\S*)?\b", _I),
    # UK/international phone numbers: 07788 118005, 0790 4184195, +44 (0)20 7946 0000, 020-7946-0000
    "phone": re.compile(r"(?<![\w£$€])(?:\+\d{1,3}[\s-]?)?(?:\(0\)\s?)?(?:\(?0\d{2,4}\)?[\s-]?)\d{3,4}[\s-]?\d{3,4}(?![\w%])"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    # a clock time needs evidence: a suffix (am, pm, GMT, hrs, o'clock), a colon, or a time context ("at 10.30",
    # "until 9.15"); "$3.45", "rose 0.4 per cent" and "14.27 cents" are quantities
    "clock": re.compile(  # every branch starts at a digit: the leading lookahead fails fast elsewhere
        rf"(?=\d)(?:(?<![\w$£€¥.,])(?:[01]?\d|2[0-3])[:.][0-5]\d[ \t]?{_CLOCK_SUFFIX}"
        r"|(?<![\w$£€¥.,:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d%:.,]|[ \t]?(?:%|per\s?cent\b))"
        rf"|{_CLOCK_CONTEXT}(?:[01]?\d|2[0-3])\.[0-5]\d(?![\d%.,A-Za-z]|[ \t]?(?:%|per\s?cent\b)|{_UNIT_AFTER})"
        rf"|\b\d{{1,2}}[ \t]?(?:am|pm|a\.m\.|p\.m\.|noon|o['’]clock)(?![^\W_]))", _I),
    # Q31, No. 5, Section 3, Annex 1, page 12, Table 2, Quarter 3, Tier 2
    "label": re.compile(
        r"\b(?:Q|No\.?|Nos\.?|Number|Section|Part|Annex|Appendix|Chapter|Figure|Fig\.|Table|Page|p\.|pp\.|"
        r"Paragraph|Para\.?|Article|Clause|Schedule|Rule|Quarter|Tier|Level|Phase|Stage|Round|Volume|Vol\.|"
        r"Issue|Edition|Room|Flat|Unit|Box|Ref\.?|Reference|Item|Question|Step|Exhibit|Line|Version|v)"
        r"\s?\d+(?:\.\d+)*\b", _I),
    # "1. Sodexo", "2) ...", "1.2 Background" (a dotted number before a capital: "1.5 million women" is a quantity)
    "list_number": re.compile(r"^[ \t]*(?:\(?\d{1,3}[.)](?=\s)|\d{1,3}\.\d+\.?(?=\s+[A-Z(\[]|\s*$))", re.M),
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
