"""Quantity claims: numbers, ranges, percentages, money, ratios, fractions, number words."""

from __future__ import annotations

import math
import re
from factcheck.extract.numbers import (
    CURRENCIES,
    FRACTIONS,
    TENS,
    UNITS,
    ORDINALS,
    WORD_NUMBER,
    parse_fraction,
    parse_number,
    scale_of,
)
from factcheck.extract.sentences import SentenceIndex
from factcheck.extract.subjects import noun_chunk, subject_for
from factcheck.extract.types import ClaimDraft
from factcheck.extract.wordtrie import trie_pattern

_I = re.I
DIG = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMW = rf"(?:{DIG}|{WORD_NUMBER})"
MULT = r"(?:million|billion|trillion|thousand|bn|mn|m|k|tn)"
PCT = r"(?:%|\s?per\s?cent\b|\s?percent\b|\s?percentage\s+points?\b)"
CUR = r"(?:US\$|£|\$|€|GBP\s?|USD\s?|EUR\s?)"
# a number may not touch letters, digits or joining punctuation (Q31, COVID-19, 2nd, 24/7, 10:00)
LB = r"(?<![\w.,/#:@&+-])"
RB = r"(?![\w/@]|[.,:]\d)"

RANGE_RE = re.compile(  # digit-first ranges (word-first ones: RANGE_WORDS_RE at number-word candidates)
    rf"{LB}(?:(?P<btw>between)\s+)?(?P<cur1>{CUR})?(?P<a>{DIG})(?P<m1>\s?{MULT}\b)?(?P<p1>{PCT})?"
    rf"\s*(?P<sep>(?(btw)and|(?:-|–|—|to|or)))\s*"
    rf"(?P<cur2>{CUR})?(?P<b>{NUMW})(?P<m2>\s?{MULT}\b)?(?P<p2>{PCT})?{RB}",
    _I,
)
RATIO_RE = re.compile(  # digit-first ratios (word-first ones: RATIO_WORDS_RE at number-word candidates)
    rf"{LB}(?P<a>{DIG})\s+(?:out\s+of|in)\s+(?:every\s+)?(?P<b>{NUMW}){RB}"
    rf"|{LB}(?P<a2>{NUMW})\s+\(\s*(?:out\s+)?of\s+(?P<b2>{NUMW})\s*\)",
    _I,
)
FRACTION_RE = re.compile(
    r"\b(?:(?P<n>one|two|three|four|five|nine|a|an)[\s-])?(?P<f>half|thirds?|quarters?|fifths?|tenths?)\b(?!-)",
)
MONEY_RE = re.compile(
    rf"(?P<cur>{CUR})\s?(?P<a>{DIG})(?P<m>\s?{MULT}\b)?(?P<worth>-worth)?{RB}"
    rf"|{LB}(?P<a2>{DIG})(?P<m2>\s?{MULT})?\s(?P<cur2>pounds|dollars|euros)\b",
    _I,
)
NUMBER_RE = re.compile(rf"{LB}(?P<a>{DIG})(?P<m>(?:{MULT})\b)?(?P<p>{PCT})?{RB}", _I)
WORDNUM_RE = re.compile(  # lower-case: matched against the lower-cased text (see _Builder.word_matches)
    rf"\b(?P<a>{WORD_NUMBER})(?:\s+(?P<m>hundred|thousand|million|billion)\b)?(?P<p>{PCT})?\b(?!-\w)"
)
# "the first time", "the first in Suffolk since", "its second inspection of", "the first of the new companies"
ORDINAL_RE = re.compile(
    rf"\b(?:the|its|our|their|her|his|a)\s+(?P<o>{'|'.join(ORDINALS)})\b(?!-)"
    r"(?=\s+(?:time|ever|in|since|of|to)\b|\s+[a-z-]+\s+(?:since|ever|of|in|for)\b)",
)

_WN = rf"(?:{WORD_NUMBER})"
# word-only variants, tried only where a number word starts (the digit variants scan digit lines)
RANGE_WORDS_RE = re.compile(
    rf"(?P<cur1>)(?P<a>{_WN})(?P<m1>)(?P<p1>)\s+(?P<sep>and|to|or)\s+"
    rf"(?P<cur2>)(?P<b>{_WN})(?P<m2>\s{MULT}\b)?(?P<p2>{PCT})?\b(?!-)",
    _I,
)
RATIO_WORDS_RE = re.compile(
    rf"(?P<a>{_WN})\s+(?:out\s+of|in)\s+(?:every\s+)?(?P<b>{NUMW})\b(?![-,.]?\d)(?!-)(?P<a2>)(?P<b2>)", _I
)
_NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | {"dozen"}
_FRACTION_WORDS = frozenset(FRACTIONS)
_TRIGGER = re.compile(rf"\b{trie_pattern(_NUMBER_WORDS | _FRACTION_WORDS | frozenset(ORDINALS))}\b")
_NUMERATOR_BEFORE = re.compile(r"\b(?:one|two|three|four|five|nine|a|an)[\s-]$")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|our|their|her|his|a)\s+$")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", _I)
_DIGITS = re.compile(r"\d+")


def _chain(*iterables):
    """Matches from several scans, in order of position."""
    return sorted((m for it in iterables for m in it), key=lambda m: m.start())


WINDOW_PAD = 60  # characters of context kept around each digit run


def digit_lines(text: str, pad: int = WINDOW_PAD) -> list[tuple[int, int]]:
    """(start, end) windows around every digit run: ±pad characters widened to whole tokens, within
    the line, merged. Patterns that need a digit only scan these."""
    out: list[tuple[int, int]] = []
    ls, le = 0, -1  # the line of the previous digit run (found once per line, not once per run)
    for m in _DIGITS.finditer(text):
        s, e = m.span()
        if out and s < out[-1][1]:
            continue
        if s > le:
            ls = text.rfind("\n", 0, s) + 1
            le = text.find("\n", e)
            le = len(text) if le == -1 else le
        ws, we = max(ls, s - pad), min(le, e + pad)
        if ws > ls:  # start at a token boundary so a URL or phone number is seen whole
            k = max(text.rfind(" ", ls, ws), text.rfind("\t", ls, ws))
            ws = k + 1 if k != -1 else ls
        if we < le:
            k = text.find(" ", we, le)
            we = k if k != -1 else le
        if out and ws <= out[-1][1]:
            out[-1] = (out[-1][0], max(we, out[-1][1]))
        else:
            out.append((ws, we))
    return out


QUALIFIERS = {
    "at_most": ["up to", "no more than", "not more than", "at most", "fewer than", "less than", "under",
                "below", "a maximum of", "just under", "well under", "a little under", "as few as"],
    "at_least": ["more than", "over", "at least", "in excess of", "above", "upwards of", "a minimum of",
                 "just over", "well over", "as many as", "as much as", "a little over"],
    "approx": ["almost", "nearly", "around", "about", "approximately", "approx.", "roughly", "some",
               "circa", "an estimated", "estimated", "close to", "getting on for", "approaching"],
}
_QUAL_OF = {phrase: q for q, phrases in QUALIFIERS.items() for phrase in phrases}
_QUAL_BACK = re.compile(
    r"\b(" + "|".join(re.escape(p).replace(r"\ ", r"\s+")
                      for p in sorted(_QUAL_OF, key=len, reverse=True)) + r")\s+$",
    _I,
)
_QUAL_AFTER = re.compile(r"^(?:\s+or\s+(?P<more>more|over|above)|\s+or\s+(?P<less>less|fewer|under)"
                         r"|\s+or\s+so\b|(?P<plus>\+|-plus\b))", _I)
_TIME_NOUNS = re.compile(r"\s+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies)|"
                         r"million|billion|thousand|hundred|per\s?cent|percent|in\s+\w+|out\s+of)\b", _I)
_OF_THE = re.compile(r"\s+of\s+(?:the|these|those|its|their|our)\s+", _I)
_NO_ONE = re.compile(r"(?:\bno|\bany|\bevery|\bsome|\bthis|\bthat|\bthe|\bwhich|\beach)\s+$", _I)


def _qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    """Qualifier phrase right before start ("up to ", "more than "), and where it begins."""
    m = _QUAL_BACK.search(text, max(0, start - 32), start)
    if not m:
        return None, start
    phrase = re.sub(r"\s+", " ", m.group(1).lower())
    return _QUAL_OF.get(phrase), m.start()


def _qualifier_after(text: str, end: int) -> tuple[str | None, int]:
    """Trailing qualifier ("or more", "+", "or so") after end, and where it ends."""
    m = _QUAL_AFTER.match(text, end, min(len(text), end + 12))
    if not m:
        return None, end
    if m.group("more") or m.group("plus"):
        return "at_least", m.end()
    if m.group("less"):
        return "at_most", m.end()
    return "approx", m.end()


def _currency(code: str | None) -> str | None:
    """ISO code for a currency sign or word."""
    if not code:
        return None
    return CURRENCIES.get(code.strip().lower())


def _is_percent(p: str | None) -> bool:
    """Whether a percent marker was matched."""
    return bool(p and p.strip())


class _Builder:
    """Collects quantity drafts for one text, refusing spans that are already taken."""

    def __init__(self, text: str, mask: bytearray, sentences: SentenceIndex,
                 windows: list[tuple[int, int]] | None = None):
        """Start with the mask of excluded character positions and the lines that hold digits."""
        self.text, self.mask, self.sentences = text, mask, sentences
        self.windows = windows if windows is not None else [(0, len(text))]
        self.out: list[ClaimDraft] = []
        self._words: list[re.Match[str]] | None = None
        self._triggers: list[tuple[int, str]] | None = None
        lowered = text.lower()
        # word patterns run case-sensitively on a lower-cased copy (3x faster than re.I) when offsets agree
        self.lower = lowered if len(lowered) == len(text) else None

    def word_matches(self, pattern: re.Pattern[str]):
        """Matches of a lower-case word pattern, on the lower-cased text when offsets allow."""
        if self.lower is not None:
            return pattern.finditer(self.lower)
        return re.compile(pattern.pattern, _I).finditer(self.text)

    def digit_matches(self, pattern: re.Pattern[str]):
        """Matches of a pattern that needs a digit, scanning only the lines that hold digits."""
        for ws, we in self.windows:
            yield from pattern.finditer(self.text, ws, we)

    def triggers(self) -> list[tuple[int, str]]:
        """(start, word) of every number, fraction or ordinal word: one fast trie scan shared by the passes."""
        if self._triggers is None:
            if self.lower is None:  # rare: lower-casing changed the length; fall back to case-blind scans
                self._triggers = []
            else:
                self._triggers = [(m.start(), m.group()) for m in _TRIGGER.finditer(self.lower)]
        return self._triggers

    def anchored(self, pattern: re.Pattern[str], starts) -> list[re.Match[str]]:
        """Non-overlapping matches of a lower-case pattern tried only at the given start offsets."""
        if self.lower is None:
            return list(re.compile(pattern.pattern, _I).finditer(self.text))
        out: list[re.Match[str]] = []
        last = -1
        for st in starts:
            if st < last:
                continue
            m = pattern.match(self.lower, st)
            if m:
                out.append(m)
                last = m.end()
        return out

    def word_numbers(self) -> list[re.Match[str]]:
        """Every number word in the text (found once, shared by the passes)."""
        if self._words is None:
            self._words = self.anchored(WORDNUM_RE, (st for st, w in self.triggers() if w in _NUMBER_WORDS))
        return self._words

    def free(self, s: int, e: int) -> bool:
        """True when no character of [s, e) is already claimed or excluded."""
        return self.mask.find(1, s, e) == -1

    def add(self, s: int, e: int, value, low=None, high=None, unit=None, qualifier=None,
            subject_unit: str | None = None, extra: dict | None = None, with_qualifier: bool = True) -> None:
        """Record a quantity spanning [s, e), extending it over qualifiers and the counted noun."""
        text = self.text
        if not self.free(s, e) or not all(v is None or math.isfinite(v) for v in (value, low, high)):
            return  # a figure too large for a float ("1e308 billion") is not a value to compare
        qs = s
        if with_qualifier and qualifier is None:
            qualifier, qs = _qualifier_before(text, s)
            q2, e2 = _qualifier_after(text, e)
            if q2:
                qualifier, e = q2, e2
        chunk_end = e
        if unit is None:
            noun, chunk_end = noun_chunk(text, e)
            if noun is None:
                of = _OF_THE.match(text, e)
                if of:
                    noun, _ = noun_chunk(text, of.end())
                    chunk_end = e
            unit = noun
        if qualifier == "at_most" and high is None and low is None:
            high = value
        elif qualifier == "at_least" and high is None and low is None:
            low = value
        span_end = chunk_end if unit and chunk_end > e and not unit.startswith(("%", "GBP", "USD", "EUR")) else e
        if not self.free(qs, span_end):
            qs, span_end = s, e
        xs, xe = self.sentences.around(qs, span_end)
        subject = subject_for(text, qs, span_end, xs, xe, unit)
        self.out.append(ClaimDraft(
            kind="quantity", start=qs, end=span_end, text=text[qs:span_end],
            excerpt_start=xs, excerpt_end=xe, value=value, low=low, high=high, unit=unit,
            qualifier=qualifier, subject=subject, extra=extra or {},
        ))
        self.mask[qs:span_end] = b"\x01" * (span_end - qs)


def _ranges(b: _Builder) -> None:
    """Ranges: "90-100 cases", "between 51% and 32%", "two to three weeks", "five or six"."""
    text = b.text
    word_ranges = []
    for w in b.word_numbers():
        m = RANGE_WORDS_RE.match(text, w.start())
        if m:
            between = bool(_BETWEEN_BEFORE.search(text, max(0, m.start() - 12), m.start()))
            if (m.group("sep").lower() == "and") == between:
                word_ranges.append((m, between))
    digit_ranges = [(m, bool(m.group("btw"))) for m in b.digit_matches(RANGE_RE)]
    for m, between in sorted(digit_ranges + word_ranges, key=lambda x: x[0].start()):
        a_raw, b_raw, sep = m.group("a"), m.group("b"), m.group("sep").lower()
        a_digit, b_digit = a_raw[0].isdigit(), b_raw[0].isdigit()
        if sep == "or" and (a_digit or b_digit):
            continue  # "10 or 12" with digits is rarely a range claim; let them stand alone
        if sep in ("to", "or") and a_digit != b_digit:
            continue
        if sep == "to" and re.search(r"\bfrom\s+(?:\S+\s+)?$", text[max(0, m.start() - 12):m.start()], _I):
            continue  # "from seven to four" is a change, not a range
        lo, hi = parse_number(a_raw), parse_number(b_raw)
        if lo is None or hi is None:
            continue
        start = m.start()
        if between and not m.group(0).lower().startswith("between"):
            start = _BETWEEN_BEFORE.search(text, max(0, m.start() - 12), m.start()).start()
        if not between and sep in "-–—" and (1900 <= lo <= 2100 or lo >= hi):
            continue  # year spans are dates; "10-5" is a score or label
        scale = scale_of(m.group("m2") or m.group("m1"))
        lo, hi = lo * scale_of(m.group("m1") or m.group("m2")), hi * scale
        pct = _is_percent(m.group("p1")) or _is_percent(m.group("p2"))
        cur = _currency(m.group("cur1") or m.group("cur2"))
        unit = "%" if pct else cur
        lo, hi = min(lo, hi), max(lo, hi)
        b.add(start, m.end(), None, low=lo, high=hi, unit=unit, qualifier=None,
              extra={"range": True}, with_qualifier=False)


def _ratios(b: _Builder) -> None:
    """Ratios: "six out of 21 CRCs", "one in four", "3 in 10 staff"."""
    word_ratios = [m for w in b.word_numbers() if (m := RATIO_WORDS_RE.match(b.text, w.start()))]
    for m in _chain(b.digit_matches(RATIO_RE), word_ratios):
        num = parse_number(m.group("a") or m.group("a2"))
        den = parse_number(m.group("b") or m.group("b2"))
        if num is None or den is None or den == 0 or num > den or 1900 <= den <= 2100:
            continue
        noun, _ = noun_chunk(b.text, m.end())
        b.add(m.start(), m.end(), num, unit=noun or "ratio",
              extra={"denominator": den, "proportion": round(num / den, 6)})


def _fractions(b: _Builder) -> None:
    """Fractions: "half", "one-third", "almost three-quarters", "a quarter of"."""
    text = b.text
    lower = b.lower
    starts = []
    for st, w in b.triggers():
        if w in _FRACTION_WORDS:
            num = _NUMERATOR_BEFORE.search(lower, max(0, st - 6), st)
            starts.append(num.start() if num else st)
    for m in b.anchored(FRACTION_RE, starts):
        f = m.group("f").lower()
        after = text[m.end():m.end() + 6].lower()
        if f == "half":
            before = text[max(0, m.start() - 12):m.start()].lower()
            if not (after.startswith((" of", " the ", " a ", " an ", " their", " its", " our", " all"))
                    or re.search(r"(?:over|under|about|nearly|almost|than|around|just)\s+$", before)):
                continue
        elif not m.group("n"):
            continue
        elif m.group("n").lower() in ("a", "an") and not after.startswith(" of"):
            continue
        value = parse_fraction(m.group(0))
        if value is None:
            continue
        b.add(m.start(), m.end(), round(value, 6), unit="fraction")


def _money(b: _Builder) -> None:
    """Money: "£294 million", "nearly £0.5 billion-worth", "$3bn", "500 pounds"."""
    for m in b.digit_matches(MONEY_RE):
        raw = m.group("a") or m.group("a2")
        v = parse_number(raw)
        if v is None:
            continue
        v *= scale_of(m.group("m") or m.group("m2"))
        b.add(m.start(), m.end(), v, unit=_currency(m.group("cur") or m.group("cur2")))


def _numbers(b: _Builder) -> None:
    """Plain digit numbers and percentages: "3,000 offenders", "62%", "40 per cent"."""
    text = b.text
    for m in b.digit_matches(NUMBER_RE):
        v = parse_number(m.group("a"))
        if v is None:
            continue
        pct = _is_percent(m.group("p"))
        mult = m.group("m")
        if mult:
            v *= scale_of(mult)
        if not math.isfinite(v):
            continue
        if not pct and not mult and v == int(v) and 1900 <= v <= 2100 and "," not in m.group("a"):
            noun, _ = noun_chunk(text, m.end())
            if not noun:
                continue  # a bare year-like number is a year, not a count
        b.add(m.start(), m.end(), v, unit="%" if pct else None)


def _word_numbers(b: _Builder) -> None:
    """Number words: "Eight employer groups", "two years", "forty per cent"."""
    text = b.text
    for m in b.word_numbers():
        word = m.group("a").lower()
        if word == "one" and not (_TIME_NOUNS.match(text, m.end()) or _qualifier_before(text, m.start())[0]):
            continue
        if word == "one" and _NO_ONE.search(text, max(0, m.start() - 8), m.start()):
            continue
        v = parse_number(m.group("a") + (" " + m.group("m") if m.group("m") else ""))
        if v is None:
            continue
        pct = _is_percent(m.group("p"))
        b.add(m.start(), m.end(), v, unit="%" if pct else None)


def _ordinals(b: _Builder) -> None:
    """Ordinal claims: "the first time", "its second inspection"."""
    lower = b.lower
    starts = []
    for st, w in b.triggers():
        if w in ORDINALS:
            det = _DETERMINER_BEFORE.search(lower, max(0, st - 8), st)
            if det:
                starts.append(det.start())
    for m in b.anchored(ORDINAL_RE, starts):
        s, e = m.span("o")
        noun, _ = noun_chunk(b.text, e)
        b.add(s, e, float(ORDINALS[m.group("o").lower()]), unit="ordinal",
              extra={"counted": noun} if noun else None, with_qualifier=False)


PASSES = (_ranges, _ratios, _money, _fractions, _numbers, _word_numbers, _ordinals)


def find_quantities(text: str, mask: bytearray, sentences: SentenceIndex,
                    windows: list[tuple[int, int]] | None = None) -> list[ClaimDraft]:
    """All quantity claims in text outside the masked spans (the mask is updated in place).

    windows: the (start, end) lines that hold digits (see digit_lines); digit patterns scan only those.
    """
    b = _Builder(text, mask, sentences, windows)
    for run in PASSES:
        run(b)
    _inherit_enumeration_units(b.out, text)
    b.out.sort(key=lambda c: c.start)
    return b.out


_PAREN_COUNT = re.compile(r"([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3})\s*\($")


def _inherit_enumeration_units(claims: list[ClaimDraft], text: str) -> None:
    """"These are Sodexo (6), Interserve (5)": each count takes the name as subject and the total's unit."""
    last_unit: str | None = None
    last_pos = 0
    for c in sorted(claims, key=lambda c: c.start):
        if c.unit and c.unit not in ("%", "fraction", "ordinal", "ratio"):
            last_unit = c.unit
            last_pos = c.end
        if c.unit is None and c.start > 0 and text[c.end:c.end + 1] == ")":
            m = _PAREN_COUNT.search(text, max(0, c.start - 60), c.start)
            if m:
                c.subject = m.group(1)
                if last_unit and c.start - last_pos < 400:
                    c.unit = last_unit
                    c.extra["unit_from"] = "enumeration total"

