"""Spans that hold digits but are not claims: URLs, phone numbers, postcodes, clock times, labels, and numbers
that are names (identifiers: "Highway 35", "FTSE 100", "the 486 chip", "123 Random Street", "PA 23456")."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from factcheck.extract.casefold import FoldedText
from factcheck.extract.subjects import HEAD_NOUNS, STOP, _is_plural
from factcheck.extract.units import QUANTITY_WORDS, SCALES, prefix_unit, unit_at, word_unit
from factcheck.extract.wordtrie import trie_pattern, word_start_pattern

_WORDS = QUANTITY_WORDS  # the quantity vocabulary (data/quantities.json): label words, street types, ...

_I = re.I
_CLOCK_SUFFIX = r"(?:am|pm|a\.m\.|p\.m\.|hrs|h\b|gmt|bst|utc|cet|est|edt|pst|pdt|et\b|local\s+time|o['’]clock)"  # re.I
_CLOCK_CONTEXT = "(?:" + "|".join(rf"(?<=\b{w} )" for w in ("at", "until", "till", "before", "after", "between")) + ")"
_UNIT_AFTER = r"[ \t]+(?:cents?|pence|points?|dollars|pounds|euros|per)\b"  # "at 10.30 cents": a quantity
NON_CLAIM_PATTERNS: dict[str, re.Pattern[str]] = {
    "url": re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", _I),
    "domain": re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|uk|co|io|edu|info)(?:/\S*)?\b", _I),
    # UK/international phone numbers: 07788 118005, 0790 4184195, +44 (0)20 7946 0000, 020-7946-0000
    "phone": re.compile(r"(?<![\w£$€])(?:\+\d{1,3}[\s-]?)?(?:\(0\)\s?)?(?:\(?0\d{2,4}\)?[\s-]?)"
                        r"\d{3,4}[\s-]?\d{3,4}(?![\w%])"),
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
        r"\b(?:" + trie_pattern({w.lower() for w in _WORDS["label_words"]}) + r")\s?\d+(?:\.\d+)*\b", _I),
    # "1. Sodexo", "2) ...", "1.2 Background" (a dotted number before a capital: "1.5 million women" is a quantity)
    "list_number": re.compile(r"^[ \t]*(?:\(?\d{1,3}[.)](?=\s)|\d{1,3}\.\d+\.?(?=\s+[A-Z(\[]|\s*$))", re.M),
    "hashtag": re.compile(r"#\w+"),
    "label_words": re.compile(
        word_start_pattern({w.capitalize() for w in _WORDS["label_words_before_number_words"]}) + r"\s+"
        r"(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|[IVX]+)\b"),
    # a short heading line that ends with a bare number: "Latest From Napo 165"
    "heading_number": re.compile(r"^[ \t]*(?:[A-Z][\w'’&-]*[ \t]+){1,6}\d{1,4}[ \t]*$", re.M),
}


WORD_PATTERNS = frozenset({"label_words", "hashtag"})  # the others need a digit to matter
# what every match of a pattern holds (case-blind, so looked for in the lower-cased text): a window without it
# is not scanned ("://", "www." or "@" for a URL; a dot and a top-level domain for a domain name)
NEEDLES: dict[str, re.Pattern[str]] = {
    "url": re.compile(r"://|www\.|@"),
    "domain": re.compile(r"\.(?:com|org|net|gov|uk|co|io|edu|info)"),
}


def _scan(text: str | FoldedText, reason: str, pattern: re.Pattern[str],
          windows: list[tuple[int, int]] | None) -> Iterator[re.Match[str]]:
    """Matches of one pattern, over the digit-bearing windows unless it is a word pattern (a FoldedText runs
    case-blind patterns on its lower-cased copy); only the windows holding the pattern's needle, if it has one."""
    folded = text if isinstance(text, FoldedText) else FoldedText(text)
    if windows is None or reason in WORD_PATTERNS:
        yield from folded.finditer(pattern, 0, len(folded.text))
        return
    needle = NEEDLES.get(reason)
    if needle is not None:
        windows = _windows_holding(folded, windows, needle)
    for ws, we in windows:
        yield from folded.finditer(pattern, ws, we)


def _windows_holding(folded: FoldedText, windows: list[tuple[int, int]],
                     needle: re.Pattern[str]) -> list[tuple[int, int]]:
    """The windows in which a match of needle starts (one scan of the whole lower-cased text)."""
    hay = folded.lower if folded.lower is not None else folded.text.lower()
    if len(hay) != len(folded.text):
        return windows  # lower-casing moved offsets: no cheap test
    starts = [m.start() for m in needle.finditer(hay)]
    if not starts:
        return []
    out = []
    for ws, we in windows:
        i = bisect.bisect_left(starts, ws)
        if i < len(starts) and starts[i] < we:
            out.append((ws, we))
    return out


# ---------------------------------------------------------------------------------------------
# identifiers: numbers that name something ("Highway 35", "FTSE 100", "Windows 11", "exit 436", "the 486 chip",
# "123 Random Street", "PA 23456"); a unit, percent, currency or scale word after the number makes it a quantity

_LABELS_BEFORE = frozenset(_WORDS["label_nouns_before"])
_CALENDAR = frozenset(_WORDS["calendar_words"])
_NOT_NAMES = frozenset(_WORDS["not_names"]) | STOP
# a word, one space or tab, then an integer standing alone ("Highway 35", "S&P 500", "iPhone 12", "MH-17" is
# joined by a hyphen: see _CODE)
_NAMED_NUMBER = re.compile(
    r"(?<![\w&'’.-])(?P<w>[A-Za-z][\w&'’]*)\.?[ \t](?P<n>\d{1,6})"
    r"(?![\w/@]|[.,:]\d|[ \t]?%|[ \t]?[-–][ \t]?\d|[ \t\xa0]+\d)")  # "Lancashire 337 201 136": a table row
_NUMBER_THEN_LABEL = re.compile(
    rf"(?<![\w.,$£€¥-])(?P<n>\d{{3,6}})[ \t]+(?P<w>{trie_pattern(frozenset(_WORDS['label_nouns_after']))})\b"
    r"|\b(?i:the)[ \t]+(?P<n2>\d{3,6})[ \t]+(?=(?:is|was|has|had)\b)", _I)
_STREET = re.compile(
    rf"(?<![\w.,$£€¥-])\d{{1,5}}[A-Za-z]?(?=(?:[ \t]+[A-Z][\w'’-]*){{0,3}}[ \t]+"
    rf"(?:{trie_pattern(frozenset(_WORDS['street_types']))})\b\.?(?![ \t]+[a-z]+s\b))")
_ZIP = re.compile(r"\b[A-Z]{2}[ \t]\d{5}(?:-\d{4})?(?![\w-])")
# a number followed by a letter code glued to digits: "24703 L-202", "24703 m212" (part numbers)
_CODE = re.compile(r"(?<![\w.,$£€¥-])\d+[ \t]+(?P<c>[A-Za-z]{1,3}-?\d+)(?![\w.-])")
_AFTER_WORD = re.compile(r"[ \t]+([A-Za-z][A-Za-z'’-]*)")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘(\[]|\n)[ \t“\"‘'(]*$")


def _plural_after(text: str, end: int) -> bool:
    """A plural noun right after the number ("Windows 11 users", "bill 300 customers")."""
    m = _AFTER_WORD.match(text, end)
    if not m:
        return False
    w = m.group(1).lower()
    return w not in STOP and (_is_plural(w) or w in HEAD_NOUNS)


def _measured_after(text: str, end: int) -> bool:
    """A unit, currency, percent or scale word right after the number: then it is a quantity."""
    if unit_at(text, end) is not None:
        return True
    m = _AFTER_WORD.match(text, end)
    return bool(m and m.group(1).lower() in SCALES)


def _is_name_word(text: str, m: re.Match[str]) -> bool:
    """Whether the word before the number names something: a label noun ("exit", "Highway") or a capitalised
    name that does not open the sentence ("FTSE", "S&P", "Windows"); acronyms may open it."""
    w = m.group("w")
    lw = w.lower()
    if lw in _CALENDAR or lw in _NOT_NAMES or prefix_unit(w) is not None or word_unit(w) is not None:
        return False
    if lw in _LABELS_BEFORE:
        return True
    if not (w[0].isupper() or any(ch.isupper() for ch in w[1:])):
        return False
    if len(w) == 1 or _SCALED_CODE_WORD.fullmatch(w):
        return False  # "A 30", "MUSD 20" (a scaled currency code)
    acronym = w.isupper() or "&" in w or any(ch.isdigit() for ch in w) or (w[0].islower())
    if not acronym and _SENTENCE_START.search(text, max(0, m.start() - 4), m.start()):
        return False  # "Police 12 ...", "Nearly 300": a sentence-initial capital is no name
    return True


_SCALED_CODE_WORD = re.compile(r"(?:[kKM]|bn|Bn|mn|Mn)[A-Z]{3}")


def identifier_spans(text: str, windows: list[tuple[int, int]] | None = None,
                     folded: FoldedText | None = None) -> list[tuple[int, int]]:
    """(start, end) of every number that names something rather than counts or measures (folded: the text's
    FoldedText, when the caller has one)."""
    spans: list[tuple[int, int]] = []
    folded = folded or FoldedText(text)
    for m in _scan(folded, "identifier", _NAMED_NUMBER, windows):
        n = int(m.group("n"))
        e = m.end("n")
        if not _is_name_word(text, m) or _measured_after(text, e):
            continue
        lw = m.group("w").lower()
        label = lw in _LABELS_BEFORE
        if not label and 1900 <= n <= 2100 and len(m.group("n")) == 4:
            continue  # "Christmas 2019", "Euro 2020": a year is the dates' business
        if _plural_after(text, e) and (label and m.group("w").islower() or not label and not (
                m.group("w").isupper() or "&" in m.group("w"))):
            continue  # "bill 300 customers", "Windows 11 users": a count; "S&P 500 companies": a name
        spans.append((m.start("n"), e))
    for m in _scan(folded, "identifier", _NUMBER_THEN_LABEL, windows):
        g = "n" if m.group("n") else "n2"
        spans.append((m.start(g), m.end(g)))
    for pat in (_STREET, _ZIP):
        for m in _scan(folded, "identifier", pat, windows):
            spans.append((m.start(), m.end()))
    for m in _scan(folded, "identifier", _CODE, windows):
        cs = m.start("c")
        u = unit_at(text, cs)
        if (u is not None and u[1] >= m.end()) or prefix_unit(m.group("c").rstrip("0123456789").rstrip("-")):
            continue  # "5 m2", "20 km2": a unit; "3 USD50 cards": an amount
        spans.append((m.start(), m.end()))
    return spans


def nonclaim_spans(text: str, windows: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, reason) for every non-claim span in text (windows: the lines holding digits)."""
    spans: list[tuple[int, int, str]] = []
    folded = FoldedText(text)
    for reason, pattern in NON_CLAIM_PATTERNS.items():
        for m in _scan(folded, reason, pattern, windows):
            if reason == "heading_number":
                s = m.end() - len(m.group(0).rstrip().split()[-1]) - (len(m.group(0)) - len(m.group(0).rstrip()))
                spans.append((s, m.end(), reason))
            else:
                spans.append((m.start(), m.end(), reason))
    spans += [(s, e, "identifier") for s, e in identifier_spans(text, windows, folded)]
    return spans


def mask_nonclaims(text: str, mask: bytearray, windows: list[tuple[int, int]] | None = None) -> None:
    """Mark every non-claim span in the mask."""
    for s, e, _ in nonclaim_spans(text, windows):
        mask[s:e] = b"\x01" * (e - s)
