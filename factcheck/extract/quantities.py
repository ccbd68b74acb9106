"""Quantity claims: numbers, ranges, percentages, money, ratios, fractions, number words."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from factcheck.extract.numbers import (
    CURRENCIES,
    DIGITS,
    FRACTIONS,
    ORDINALS,
    TENS,
    UNITS,
    VULGAR,
    WORD_NUMBER,
    parse_fraction,
    parse_number,
    parse_value,
    scale_of,
)
from factcheck.extract.sentences import SentenceIndex
from factcheck.extract.subjects import HEAD_NOUNS, STOP, _is_plural, left_phrase, noun_chunk, subject_for
from factcheck.extract.types import ClaimDraft
from factcheck.extract.units import PREFIX_RE, RATE_NOUNS, SCALE_PATTERN, Unit, prefix_unit, unit_at
from factcheck.extract.units import QUANTITY_WORDS as WORDS
from factcheck.extract.units import word_unit as noun_unit
from factcheck.extract.wordtrie import trie_pattern

_I = re.I
DIG = DIGITS
# a scale word or abbreviation after a number ("1.5 million", "£3bn", "5k"); see units.SCALE_PATTERN
MULT = SCALE_PATTERN
NUMW = rf"(?:{DIG}|{WORD_NUMBER})"
PCT = r"(?:[ \t]?%|\s?per\s?cent\b|\s?percent\b|\s?percentage\s+points?\b)"
# a currency written before the number: "$", "US$", "HK$", "£", "RM", "Rs", "USD " (data/units.json)
CUR = rf"(?:{PREFIX_RE.pattern})(?![A-Za-z])[ \t]?"
# a number may not touch letters, digits or joining punctuation (Q31, COVID-19, 2nd, 24/7, 10:00)
LB = r"(?<![\w.,/#:@&+-])"
RB = r"(?![\w/@]|[.,:]\d)"
_RB = re.compile(RB)
SIGN = r"(?:[-+−](?=[\d.])|(?i:minus|plus)[ \t]+(?=\d))"

RANGE_RE = re.compile(  # digit-first ranges (word-first ones: RANGE_WORDS_RE at number-word candidates)
    rf"{LB}(?:(?P<btw>(?i:between))\s+)?(?P<cur1>{CUR})?(?P<a>{DIG})(?P<m1>{MULT})?(?P<p1>{PCT})?"
    rf"\s*(?P<sep>(?(btw)(?i:and)|(?:-|–|—|(?i:to|or))))\s*"
    rf"(?P<cur2>{CUR})?(?P<b>{DIG}|(?i:{WORD_NUMBER}))(?P<m2>{MULT})?",
)
RATIO_RE = re.compile(  # digit-first ratios (word-first ones: RATIO_WORDS_RE at number-word candidates)
    rf"{LB}(?P<a>{DIG})\s+(?:out\s+of|in)\s+(?:every\s+)?(?P<b>{NUMW}){RB}"
    rf"|{LB}(?P<a2>{NUMW})\s+\(\s*(?:out\s+)?of\s+(?P<b2>{NUMW})\s*\)",
    _I,
)
_RATIO_FOLDED = re.compile(RATIO_RE.pattern)  # RATIO_RE for the lower-cased text (its letters are lower-case)
FRACTION_RE = re.compile(
    r"\b(?:(?P<n>one|two|three|four|five|nine|a|an)[\s-])?(?P<f>half|thirds?|quarters?|fifths?|tenths?)\b(?!-)",
)
# every digit number: an optional currency prefix, sign, the digits (fractions too) and a scale; the unit
# after it is looked up in the lexicon (units.unit_at), glued or spaced
NUMBER_RE = re.compile(
    rf"(?:(?<![\w.,/#:@&+\-−$£€¥])|(?<=\b(?i:sub)-)|(?<=\b(?i:over)-)|(?<=\b(?i:under)-))"
    rf"(?P<cur>{CUR})?(?P<sign>{SIGN})?(?P<a>{DIG})(?P<m>{MULT})?"
)
_WORD_SCALE = r"(?:hundred|thousand|million|billion|trillion)"
WORDNUM_RE = re.compile(  # lower-case: matched against the lower-cased text (see _Builder.word_matches)
    rf"\b(?P<a>(?:a\s+(?=dozen|couple|{_WORD_SCALE}))?(?:couple(?:\s+of(?!\s+(?:the|these|those|its|their|our)\b))?(?=\s)|{WORD_NUMBER}|{_WORD_SCALE})"
    rf"(?:(?:\s+|-)(?:hundred|dozen)(?:\s+(?:and\s+)?{WORD_NUMBER})?)?)"
    rf"(?:\s+(?P<m>{_WORD_SCALE}|bn|mn|tn)\b(?:\s+(?:and\s+)?(?P<tail>{WORD_NUMBER}(?:\s+hundred)?)\b)?)?"
    rf"(?P<p>{PCT})?\b"
)
# "the first time", "the first in Suffolk since", "its second inspection of", "the first of the new companies"
ORDINAL_RE = re.compile(
    rf"\b(?:the|its|our|their|her|his|a)\s+(?P<o>{'|'.join(ORDINALS)})\b(?!-)"
    r"(?=\s+(?:time|ever|in|since|of|to)\b|\s+[a-z-]+\s+(?:since|ever|of|in|for|to)\b)",
)

_WN = rf"(?:{WORD_NUMBER})"
# word-only variants, tried only where a number word starts (the digit variants scan digit lines)
RANGE_WORDS_RE = re.compile(
    rf"(?P<cur1>)(?P<a>{_WN})(?P<m1>)(?P<p1>)\s+(?P<sep>and|to|or)\s+"
    rf"(?P<cur2>)(?P<b>{_WN})(?P<m2>\s(?:{_WORD_SCALE}|bn|mn|tn))?\b(?!-)",
    _I,
)
RATIO_WORDS_RE = re.compile(
    rf"(?P<a>{_WN})\s+(?:out\s+of|in)\s+(?:every\s+)?(?P<b>{NUMW})\b(?![-,.]?\d)(?!-)(?P<a2>)(?P<b2>)", _I
)
_NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | {"dozen", "couple", "hundred", "thousand", "million",
                                                      "billion", "trillion"}
_NEEDS_A = frozenset({"dozen", "couple", "hundred", "thousand", "million", "billion", "trillion"})
_FRACTION_WORDS = frozenset(FRACTIONS)
_TRIGGER = re.compile(rf"\b{trie_pattern(_NUMBER_WORDS | _FRACTION_WORDS | frozenset(ORDINALS))}\b")
_FRACTION_SCALE = re.compile(r"[ \t]+(?i:(?:(?:of[ \t]+)?an?[ \t]+)?(hundred|thousand|million|billion|trillion))\b")
_HALF_A = re.compile(r"[ \t]+(?i:an?)(?=[ \t])")
_NUMERATOR_BEFORE = re.compile(r"\b(?:one|two|three|four|five|nine|a|an)[\s-]$")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|our|their|her|his|a)\s+$")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", _I)
# a digit run, or a vulgar fraction ("½ teaspoon"); written to start with a character class, which a scan
# skips to fast (the same matches as r"\d+|[½…]")
_DIGITS = re.compile(rf"[\d{''.join(VULGAR)}](?:(?<=\d)\d*)?")


def _chain(*iterables: Iterable[re.Match[str]]) -> list[re.Match[str]]:
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
        if out and e + pad <= out[-1][1]:
            continue  # this run's context is already inside the current window
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


QUALIFIERS: dict[str, list[str]] = WORDS["qualifiers"]
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
_NO_ONE = re.compile(r"(?:\bno|\bany|\bevery|\bsome|\bthis|\bthat|\bthe|\bwhich|\beach|\bnumber|\bno\.)\s+$", _I)
_THAT_ONE = re.compile(r"\b(?:this|that|which|the)\s+$", _I)
_ONE_NEXT = re.compile(r"[ \t]+([A-Za-z][a-z'’-]*)(?![\w'’])")
_ONE_NOT_BEFORE = frozenset(WORDS["one_not_before"])


def _counted_one(text: str, end: int) -> bool:
    """"one" + a singular noun counts one thing ("one dealer said", "one consultant", "one mile"); "one of",
    "one another", "one who", "one's", "one could" do not."""
    m = _ONE_NEXT.match(text, end)
    if not m:
        return False
    w = m.group(1).lower()
    if w in STOP or w in _ONE_NOT_BEFORE or w in _NUMBER_WORDS or w in ORDINALS or w in _FRACTION_WORDS:
        return False
    if _is_plural(w) or w.endswith(("ly", "ing", "ed", "'s", "’s", "-")):
        return False  # "one says", "one really", "one leading", "one reported"
    return True


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

    def word_matches(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Matches of a lower-case word pattern, on the lower-cased text when offsets allow."""
        if self.lower is not None:
            return pattern.finditer(self.lower)
        return re.compile(pattern.pattern, _I).finditer(self.text)

    def digit_matches(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Matches of a pattern that needs a digit, scanning only the lines that hold digits."""
        for ws, we in self.windows:
            yield from pattern.finditer(self.text, ws, we)

    def folded_digit_matches(self, pattern: re.Pattern[str], lower_pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """digit_matches of a case-blind pattern, run case-sensitively on the lower-cased text when offsets agree
        (lower_pattern: the same pattern without re.I; about twice as fast)."""
        if self.lower is None:
            yield from self.digit_matches(pattern)
            return
        for ws, we in self.windows:
            yield from lower_pattern.finditer(self.lower, ws, we)

    def triggers(self) -> list[tuple[int, str]]:
        """(start, word) of every number, fraction or ordinal word: one fast trie scan shared by the passes."""
        if self._triggers is None:
            if self.lower is None:  # rare: lower-casing changed the length; fall back to case-blind scans
                self._triggers = []
            else:
                self._triggers = [(m.start(), m.group()) for m in _TRIGGER.finditer(self.lower)]
        return self._triggers

    def anchored(self, pattern: re.Pattern[str], starts: Iterable[int]) -> list[re.Match[str]]:
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
            starts = []
            lower = self.lower
            for st, w in self.triggers():  # none when lower is None
                if w not in _NUMBER_WORDS or lower is None:
                    continue
                if w in _NEEDS_A:
                    if lower[max(0, st - 2):st] == "a " and (st < 3 or not lower[st - 3].isalnum()):
                        starts.append(st - 2)
                    elif w == "dozen":
                        starts.append(st)
                    continue
                starts.append(st)
            self._words = self.anchored(WORDNUM_RE, starts)
        return self._words

    def free(self, s: int, e: int) -> bool:
        """True when no character of [s, e) is already claimed or excluded."""
        return self.mask.find(1, s, e) == -1

    def add(self, s: int, e: int, value: float | None, low: float | None = None, high: float | None = None,
            unit: str | None = None, qualifier: str | None = None,
            subject_unit: str | None = None, extra: dict[str, Any] | None = None, with_qualifier: bool = True,
            measure: tuple[Unit, str] | None = None) -> None:
        """Record a quantity spanning [s, e), extending it over qualifiers and the counted noun.

        measure: (lexicon unit, normalised name) when a unit of the lexicon was written: it is the claim's
        unit (a measure wins over a counted noun: "a 30-metre wall" is metres; the noun is kept as `counted`).
        """
        text = self.text
        if measure is not None:
            extra = dict(extra or {})
            extra["unit_normalised"] = measure[1]
            extra.setdefault("unit_kind", measure[0].kind)
            if measure[0].kind not in ("ratio", "currency") and "counted" not in extra:
                noun, _ = noun_chunk(text, e, max_words=1)
                if noun and noun_unit(noun) is None:
                    extra["counted"] = noun
        if not all(v is None or math.isfinite(v) for v in (value, low, high)):
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
        span_end = chunk_end if unit and chunk_end > e and measure is None and not unit.startswith(
            ("%", "GBP", "USD", "EUR")) else e
        if measure is None and unit:
            mu = noun_unit(unit)
            if mu is not None:  # a counted noun that is a unit of the lexicon: "two years", "500 pounds"
                extra = dict(extra or {})
                extra.setdefault("unit_normalised", mu.name)
                extra.setdefault("unit_kind", mu.kind)
        if not self.free(qs, span_end) and self.free(s, e):
            qs, span_end = s, e  # the qualifier or noun belongs to a reading proposed before: keep the figure
        xs, xe = self.sentences.around(qs, span_end)
        subject = subject_for(text, qs, span_end, xs, xe, unit,
                              noun=None if measure is None else measure[0].kind not in ("ratio", "currency"))
        self.out.append(ClaimDraft(
            kind="quantity", start=qs, end=span_end, text=text[qs:span_end],
            excerpt_start=xs, excerpt_end=xe, value=value, low=low, high=high, unit=unit,
            qualifier=qualifier, subject=subject, extra=extra or {},
        ))
        self.mask[qs:span_end] = b"\x01" * (span_end - qs)


_PER = re.compile(r"[ \t]*/[ \t]*|[ \t]+(?i:per|a|an|each)[ \t]+|[ \t]?-[ \t]?(?i:a|an|per)[ \t]?-[ \t]?")
# a scale after a currency code ("75 USD million") or glued before it ("30 MUSD", "120 kEUR")
_SCALE_AFTER_CODE = re.compile(rf"{SCALE_PATTERN}")
_NEXT_NUMBER = re.compile(r"[ \t]+[-+−]?\d")
_SCALED_CODE_BEFORE = re.compile(r"(?<![\w$£€¥])(?P<s>[kKM]|bn|Bn|mn|Mn)(?P<code>[A-Z]{3})[ \t]?$")
_MINUS_AFTER = frozenset(WORDS["minus_after_words"])
_PREV_WORD = re.compile(r"([A-Za-z]+)[ \t]*$")


def _spaced_minus(text: str, start: int) -> bool:
    """A minus sign set off by a space before a temperature ("to - 20 degrees"), after a word that cannot end
    a clause (a preposition or a verb of conversion or change), not a dash ("10 - 20", "hot - 40 degrees")."""
    if start < 2 or text[start - 1] not in " \t" or text[start - 2] not in "-−":
        return False
    if start == 2 or text[:start - 2].strip() == "":
        return True
    w = _PREV_WORD.search(text, max(0, start - 20), start - 2)
    return w is not None and w.group(1).lower() in _MINUS_AFTER | STOP


_SCALED_CODE = re.compile(r"[ \t]?(?P<s>[kKM]|bn|Bn|mn|Mn)(?P<code>[A-Z]{3})(?![^\W_])")
# a bare number after or before a month name is part of a date ("sept. 30", "on 1 May"), not a count
_MONTH_BEFORE = re.compile(
    r"\b(?:(?i:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.|(?i:january|february|april|june|july|august|"
    r"september|october|november|december)|May|March|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
    r"|(?<=\b[Oo]n )(?:may|march))[ \t]+$")
_MONTH_AFTER = re.compile(
    r"(?:st|nd|rd|th)?[ \t]+(?:(?i:january|february|april|june|july|august|september|october|november|december)"
    r"|May|March|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b)")
_ON_BEFORE = re.compile(r"\b(?i:on|of|from|by|until)[ \t]+$")
_MAY_AFTER = re.compile(r"[ \t]+(?i:may|march)\b")
_PER_WORD = re.compile(r"[A-Za-z]+")
# "a year earlier", "a week ago": after "a"/"an" + a time unit these make a time phrase, not a rate
_TIME_PHRASE_AFTER = re.compile(r"[ \t]+(?i:earlier|later|ago|before|after|previously|back)\b")
_SUB_BEFORE = re.compile(r"\b(?i:sub|under)-$")


def _lexicon_percent() -> Unit:
    """The unit lexicon's percent."""
    found = unit_at("%", 0)
    if found is None:
        raise RuntimeError("the unit lexicon has no percent sign")
    return found[0]


_PERCENT = _lexicon_percent()


def _unit_after(b: _Builder, end: int) -> tuple[Unit | None, str | None, str | None, int]:
    """The lexicon unit written at end (glued or spaced), its surface, its normalised name with any rate
    ("US dollar per share", "kilometre per hour"), and where it ends; (None, None, None, end) when none."""
    text = b.text
    found = unit_at(text, end, b.lower)
    if found is None:
        return None, None, None, end
    unit, uend = found
    surface = " ".join(text[end:uend].strip(" \t-()[]{}<>").split())
    name = unit.name
    m = _PER.match(text, uend)
    if m and unit.kind != "ratio":
        sep = m.group().strip(" \t-").lower()
        per = unit_at(text, m.end(), b.lower) if text[m.end():m.end() + 1].isalpha() else None
        if per is not None and per[0].kind in ("time", "length", "mass", "volume", "area", "data"):
            if not (sep in ("a", "an") and _TIME_PHRASE_AFTER.match(text, per[1])):
                name, uend = f"{name} per {per[0].name}", per[1]
        elif sep in ("/", "per") or sep in ("a", "an", "each"):
            w = _PER_WORD.match(text, m.end())
            word = w.group().lower() if w else ""
            if w and (word in RATE_NOUNS or (sep in ("/", "per") and word not in STOP)) and not w.group().isupper():
                name, uend = f"{name} per {word[:-1] if word.endswith('s') and len(word) > 3 else word}", w.end()
    return unit, surface, name, uend


def _measure(unit: Unit, name: str | None) -> tuple[Unit, str]:
    """The measure add takes: the unit with the normalised name found with it (always given with a unit)."""
    return unit, name if name is not None else unit.name


def _claim_unit(unit: Unit, surface: str | None) -> str:
    """The claim's `unit` for a lexicon unit: ISO code for money, "%" for percent, else the unit as written."""
    if unit.code:
        return unit.code
    if unit.name == "percent":
        return "%"
    return surface or unit.name


def _stands_alone(text: str, end: int) -> bool:
    """No letter, digit or joining punctuation right after a number (or its unit)."""
    return _RB.match(text, end) is not None


def _ranges(b: _Builder) -> None:
    """Ranges: "90-100 cases", "between 51% and 32%", "two to three weeks", "five or six", "$5-10 million"."""
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
        if (m.group("p1") or m.group("m1")) and m.group("cur2") and not m.group("cur1"):
            continue  # "rose 6.2 % to $ 1.45 billion": two quantities in different units, not a range
        lo, hi = parse_number(a_raw), parse_number(b_raw)
        if lo is None or hi is None:
            continue
        start = m.start()
        if between and not m.group(0).lower().startswith("between"):
            between_word = _BETWEEN_BEFORE.search(text, max(0, m.start() - 12), m.start())
            assert between_word is not None  # the range pattern matched "between" just before
            start = between_word.start()
        if not between and sep in "-–—" and (1900 <= lo <= 2100 or lo >= hi):
            continue  # year spans are dates; "10-5" is a score or label
        end = m.end()
        unit, surface, name, uend = _unit_after(b, end)
        if m.group("p1") and unit is not None and unit.name != "percent":
            continue  # "by 25 % to 34,500 metric tons": two quantities, not a range
        if unit is None and m.group("p1"):
            unit, surface, name = prefix_unit("%") or _PERCENT, "%", "percent"
        if unit is None and not _stands_alone(text, end):
            continue
        if unit is not None:
            end = uend
        cur = prefix_unit(m.group("cur1")) or prefix_unit(m.group("cur2"))
        if cur is not None and (unit is None or unit.kind == "ratio"):
            unit, surface, name = cur, "", cur.name
        # "$5-10 million": the second end's scale word is the first's too; "4 million to 5" the reverse, unless
        # the second is an amount written out on its own ("$2.1 million to $350,000")
        own = bool(m.group("cur2")) or "," in b_raw
        scale = scale_of(m.group("m2") or (None if own else m.group("m1")))
        lo, hi = lo * scale_of(m.group("m1") or m.group("m2")), hi * scale
        if sep == "to" and not between and lo > hi:
            continue  # "outraised him $5.4 million to $200,000": two figures compared, not a range
        lo, hi = min(lo, hi), max(lo, hi)
        if unit is not None:
            b.add(start, end, None, low=lo, high=hi, unit=_claim_unit(unit, surface), qualifier=None,
                  extra={"range": True}, with_qualifier=False, measure=_measure(unit, name))
        else:
            b.add(start, end, None, low=lo, high=hi, qualifier=None, extra={"range": True}, with_qualifier=False)


def _ratios(b: _Builder) -> None:
    """Ratios: "six out of 21 CRCs", "one in four", "3 in 10 staff"."""
    word_ratios = [m for w in b.word_numbers() if (m := RATIO_WORDS_RE.match(b.text, w.start()))]
    for m in _chain(b.folded_digit_matches(RATIO_RE, _RATIO_FOLDED), word_ratios):
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
    for st, w in b.triggers():  # none when lower is None
        if w in _FRACTION_WORDS and lower is not None:
            num = _NUMERATOR_BEFORE.search(lower, max(0, st - 6), st)
            starts.append(num.start() if num else st)
    for m in b.anchored(FRACTION_RE, starts):
        f = m.group("f").lower()
        after = text[m.end():m.end() + 6].lower()
        whole = parse_fraction(m.group(0)) if (m.group("n") or f == "half") else None
        if whole is not None and _scaled_fraction(b, m, whole):
            continue
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


def _scaled_fraction(b: _Builder, m: re.Match[str], value: float) -> bool:
    """"half million usd", "a quarter million dollars", "three quarters billion": a fraction of a scale word,
    with the unit after it; "a half turn", "half a mile": a fraction of a unit. True when one was recorded."""
    text = b.text
    sc = _FRACTION_SCALE.match(text, m.end())
    end = m.end()
    if sc:
        value *= scale_of(sc.group(1))
        end = sc.end()
    elif (half_a := _HALF_A.match(text, end)) and m.group("f").lower() == "half":
        end = half_a.end()  # "half a mile"
    unit, surface, name, uend = _unit_after(b, end)
    if unit is None or unit.kind == "ratio":
        if not sc:
            return False
        b.add(m.start(), end, value)
        return True
    b.add(m.start(), uend, round(value, 6) if not sc else value, unit=_claim_unit(unit, surface),
          measure=_measure(unit, name))
    return True


def _numbers(b: _Builder) -> None:
    """Every digit number: counts, percentages, money and measures ("3,000 offenders", "62%", "-1.3 %",
    "£294 million", "US$5", "RM50", "128GB", "30mph", "a 30-metre wall", "1.5 million women", "7 3/4")."""
    text = b.text
    for m in _day_split(b, b.digit_matches(NUMBER_RE)):
        a = m.group("a")
        v = parse_value(a)
        if v is None:
            continue
        if m.group("sign"):
            sign = m.group("sign").strip().lower()
            if sign in ("-", "−", "minus"):
                v = -v
        mult = m.group("m")
        end = m.end()
        # a scale glued before a currency code in front of the number: "MAUD 60", "kEUR 120"
        pre = _SCALED_CODE_BEFORE.search(text, max(0, m.start() - 8), m.start()) if m.group("cur") is None else None
        if pre is not None and prefix_unit(pre.group("code")) is None:
            pre = None
        cur_written = m.group("cur") or (pre.group("code") if pre else None)
        num_start = m.start()
        if m.group("cur") and not b.free(m.start("cur"), m.end("cur")):
            # "10 $ 30 cent", "17 USD 25": the sign already ends the amount before; this number stands bare
            cur_written, num_start = None, m.start("sign") if m.group("sign") else m.start("a")
        if pre is not None:
            v *= scale_of(pre.group("s"))
        if mult == "m" and cur_written is None:
            noun, _ = noun_chunk(text, end)
            if not (noun and (_is_plural(noun) or noun.lower() in HEAD_NOUNS)):
                mult, end = None, m.start("m")  # "1.8m tall": metres; "5m people": million
        if mult:
            v *= scale_of(mult)
        if not math.isfinite(v):
            continue
        sc = _SCALED_CODE.match(text, end) if not mult else None
        if sc and (cu := prefix_unit(sc.group("code"))) is not None:
            v *= scale_of(sc.group("s"))
            b.add(m.start(), sc.end(), v, unit=cu.code, measure=(cu, cu.name))
            continue
        unit, surface, name, uend = _unit_after(b, end)
        if (unit is not None and unit.is_currency and cur_written and len(surface or "") <= 3
                and _NEXT_NUMBER.match(text, uend)):
            unit, surface, name, uend = None, None, None, end  # "$ 20.00 $ 37.97": the second sign is the next one's
        if unit is not None and unit.is_currency and not mult:
            after = _SCALE_AFTER_CODE.match(text, uend)
            if after:  # "75 USD million"
                v *= scale_of(after.group())
                uend = after.end()
        if unit is None and not _stands_alone(text, end):
            continue  # "2nd", "COVID19b", "24/7": not a number standing alone
        if unit is None and m.group("cur") and cur_written is None and not _ends_phrase(text, end):
            continue  # "15 USD 50 more": the minor units of the amount before, not a count
        if unit is None and not mult and cur_written is None and "." not in a and len(a) <= 2 and v <= 31 and (
                _MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start())
                or _MONTH_AFTER.match(text, end)
                or (_MAY_AFTER.match(text, end) and _ON_BEFORE.search(text, max(0, m.start() - 8), m.start()))):
            continue  # a day of the month
        if unit is not None:
            if not _stands_alone(text, uend) and text[uend:uend + 1] not in ("-",):
                continue
            end = uend
        cur = prefix_unit(cur_written)
        if cur is not None:
            if unit is not None and unit.kind == "currency":
                pass  # "$5 US dollars": the written currency word agrees or is more precise
            elif unit is not None and unit.kind != "ratio":
                unit = None  # "$5 a share" handled below; "$5 GB" is odd: keep the currency
            if unit is None or unit.kind == "ratio":
                per = (name or "").split(" per ", 1)[1] if unit is not None and " per " in (name or "") else None
                unit, surface, name = cur, "", cur.name
                # a rate after money: "$1.40 a share", "£20 per head"
                _, _, rate, rend = _unit_after_money(b, end)
                if rate:
                    name, end = f"{cur.name} per {rate}", rend
                elif per:
                    name = f"{cur.name} per {per}"
        if unit is None and not mult and not m.group("sign") and v == int(v) and 1900 <= v <= 2100 \
                and "," not in a and cur_written is None:
            noun, _ = noun_chunk(text, end)
            if not noun or (not _is_plural(noun) and noun.lower() not in HEAD_NOUNS):
                continue  # a bare year-like number is a year, not a count; so is "the 1990 model" (a count is plural)
        if unit is not None and unit.is_currency and text.startswith("-worth", end):
            end += 6  # "£0.5 billion-worth of bail-outs"
        qualifier = None
        start = num_start if pre is None else pre.start()
        if unit is not None and unit.kind == "temperature" and not m.group("sign") and _spaced_minus(text, start):
            v, start = -v, start - 2  # "convert - 20 degrees fahrenheit": a minus set off by a space
        before = _SUB_BEFORE.search(text, max(0, start - 6), start)
        if before:
            qualifier = "at_most"
        if unit is not None:
            b.add(start, end, v, unit=_claim_unit(unit, surface), measure=_measure(unit, name), qualifier=qualifier)
        else:
            b.add(start, end, v, qualifier=qualifier)


_SPACED_COMMA = re.compile(r",[ \t]")


def _day_split(b: _Builder, matches: Iterable[re.Match[str]]) -> Iterator[re.Match[str]]:
    """Digit matches, with a tokenised-thousands reading after a month name split at its comma: "on May 5,
    300 people" is a day and a count, not 5,300."""
    text = b.text
    for m in matches:
        c = _SPACED_COMMA.search(m.group("a"))
        if c and not m.group("cur") and _MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            again = NUMBER_RE.match(text, m.start("a") + c.end())
            if again:
                yield again
            continue
        yield m


def _unit_after_money(b: _Builder, end: int) -> tuple[None, None, str | None, int]:
    """A rate after an amount of money ("a share", "per head", "/kg", "an hour"): (None, None, rate, end)."""
    text = b.text
    m = _PER.match(text, end)
    if not m:
        return None, None, None, end
    sep = m.group().strip(" \t-").lower()
    per = unit_at(text, m.end(), b.lower) if text[m.end():m.end() + 1].isalpha() else None
    if per is not None and per[0].kind not in ("ratio", "currency"):
        if sep in ("a", "an") and _TIME_PHRASE_AFTER.match(text, per[1]):
            return None, None, None, end  # "$1.17 billion a year earlier": a time phrase, not a rate
        return None, None, per[0].name, per[1]
    w = _PER_WORD.match(text, m.end())
    if not w:
        return None, None, None, end
    word = w.group().lower()
    if word in RATE_NOUNS or (sep in ("/", "per") and word not in STOP):
        return None, None, word[:-1] if word.endswith("s") and len(word) > 3 else word, w.end()
    return None, None, None, end


def _word_numbers(b: _Builder) -> None:
    """Number words: "Eight employer groups", "two years", "forty per cent", "one hundred and twelve",
    "a dozen", "a couple of", "five million yen"."""
    text = b.text
    for m in b.word_numbers():
        word = m.group("a").lower()
        if word == "one" and not (_TIME_NOUNS.match(text, m.end()) or _qualifier_before(text, m.start())[0]
                                  or unit_at(text, m.end(), b.lower)
                                  or (text[m.start() - 1:m.start()] not in ("-", "'", "’")
                                      and _counted_one(text, m.end()))):
            continue
        if word == "one" and (_NO_ONE.search(text, max(0, m.start() - 8), m.start())
                              and not (_THAT_ONE.search(text, max(0, m.start() - 8), m.start())
                                       and unit_at(text, m.end(), b.lower))):
            continue  # "no one", "this one"; but "that one mile" is a measure
        if text[m.end():m.end() + 1] == "-" and not unit_at(text, m.end(), b.lower):
            continue  # "one-to-one", "two-thirds" (fractions are their own pass); "six-mile" is a measure
        phrase = m.group("a") + (" " + m.group("m") if m.group("m") else "")
        v = parse_value(phrase)
        if v is None:
            continue
        if m.group("tail"):
            t = parse_value(m.group("tail"))
            v = v + (t or 0)
        pct = _is_percent(m.group("p"))
        end = m.end()
        if pct:
            b.add(m.start(), end, v, unit="%", measure=(_PERCENT, "percent"))
            continue
        sc = _SCALED_CODE.match(text, end) if not m.group("m") else None
        if sc and (cu := prefix_unit(sc.group("code"))) is not None:  # "twenty MUSD"
            b.add(m.start(), sc.end(), v * scale_of(sc.group("s")), unit=cu.code, measure=(cu, cu.name))
            continue
        unit, surface, name, uend = _unit_after(b, end)
        if unit is not None and unit.kind != "ratio":
            b.add(m.start(), uend, v, unit=_claim_unit(unit, surface), measure=_measure(unit, name))
        else:
            b.add(m.start(), end, v)


_SEQUENCE_NOUNS = frozenset(WORDS["ordinal_sequence_nouns"])
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z-]+)")
_CLAUSE_GOES_ON = re.compile(r"[ \t]+[\w“\"‘']")  # "the first time the unions …", not "… for the first time."


def _ranks(text: str, end: int) -> bool:
    """Whether an ordinal ending at end claims a rank ("the first time the unions have met", "the first in
    Suffolk since 2014", "the first of its kind"), rather than ordering a text or a period ("the first instalment
    of", "in the first year of") or ending an idiom ("… for the first time.")."""
    m = _NEXT_WORD.match(text, end)
    word = m.group(1).lower() if m else ""
    if word in _SEQUENCE_NOUNS:
        return False
    if word == "time" and m is not None:
        return _CLAUSE_GOES_ON.match(text, m.end()) is not None
    return True


def _ordinals(b: _Builder) -> None:
    """Ordinal claims: "the first time", "its second inspection"."""
    lower = b.lower
    starts = []
    for st, w in b.triggers():  # none when lower is None
        if w in ORDINALS and lower is not None:
            det = _DETERMINER_BEFORE.search(lower, max(0, st - 8), st)
            if det:
                starts.append(det.start())
    for m in b.anchored(ORDINAL_RE, starts):
        s, e = m.span("o")
        if not _ranks(b.text, e):
            continue
        noun, _ = noun_chunk(b.text, e)
        b.add(s, e, float(ORDINALS[m.group("o").lower()]), unit="ordinal",
              extra={"counted": noun} if noun else None, with_qualifier=False)




def propose_quantities(text: str, sentences: SentenceIndex,
                       windows: list[tuple[int, int]] | None = None) -> list[ClaimDraft]:
    """Every quantity reading of the text, from every pass (ranges, ratios, fractions, multipliers, numbers,
    number words, ordinals), overlapping ones included: the resolver picks among them and the other
    recognisers' readings (factcheck.extract.resolve); finish_quantities then joins the kept ones.

    windows: the (start, end) lines that hold digits (see digit_lines); digit patterns scan only those.
    """
    b = _Builder(text, bytearray(len(text)), sentences, windows)
    for run in PASSES:
        run(b)
    return b.out


def finish_quantities(claims: list[ClaimDraft], text: str, sentences: SentenceIndex) -> list[ClaimDraft]:
    """The kept quantity claims with enumerations given their total's unit, subunits joined ("£5 and 50p")
    and changes joined ("from 5% to 7%")."""
    claims = sorted(claims, key=lambda c: c.start)
    _inherit_enumeration_units(claims, text)
    return _join_changes(_join_subunits(claims, text), text, sentences)


def find_quantities(text: str, mask: bytearray, sentences: SentenceIndex,
                    windows: list[tuple[int, int]] | None = None) -> list[ClaimDraft]:
    """The quantity claims of a text on their own: readings outside the masked spans, resolved among
    themselves and finished (the document pipeline resolves them with the other recognisers instead)."""
    from factcheck.extract.resolve import kept_claims, quantity_reading, resolve

    readings = [quantity_reading(c) for c in propose_quantities(text, sentences, windows)
                if mask.find(1, c.start, c.end) == -1]
    return finish_quantities(kept_claims(resolve(readings)), text, sentences)


_FROM_BEFORE = re.compile(r"\b(?i:from)[ \t]+$")
_RANGE_VERB = re.compile(rf"\b(?i:{'|'.join(WORDS['range_words'])})[ \t]+$")
_TO_BETWEEN = re.compile(r"[ \t]+(?i:to)[ \t]+$")


def _unit_key(c: ClaimDraft) -> str | None:
    """What a claim is measured in, for comparing two claims ("US dollar", "percent", "offenders")."""
    return c.extra.get("unit_normalised") or c.unit


def _join_changes(claims: list[ClaimDraft], text: str, sentences: SentenceIndex) -> list[ClaimDraft]:
    """"rose from 5% to 7%", "fell from $20 to $15", "from seven to four staff": one claim of the new value with
    extra["change"] = {"from": X, "to": Y}, spanning "from X to Y". Both ends must share a unit (or one end have
    none); "up 5% to $20" (no "from", two units) stays two quantities."""
    out: list[ClaimDraft] = []
    for c in claims:
        prev = out[-1] if out else None
        if (prev is not None and prev.value is not None and c.value is not None and prev.end <= c.start
                and "change" not in prev.extra and c.low is None and c.high is None
                and prev.low is None and prev.high is None
                and _TO_BETWEEN.match(text[prev.end:c.start]) is not None
                and (from_word := _FROM_BEFORE.search(text, max(0, prev.start - 8), prev.start))):
            a, z = _unit_key(prev), _unit_key(c)
            if a is None or z is None or a == z:
                fs = from_word.start()
                merged = c
                if z is None and a is not None:  # "from $5 to 7": the new value takes the old one's unit
                    merged.unit = prev.unit
                    for k in ("unit_normalised", "unit_kind"):
                        if k in prev.extra:
                            merged.extra[k] = prev.extra[k]
                if _RANGE_VERB.search(text, max(0, fs - 16), fs):  # "ranges from 5 to 10 km": a range
                    merged.low, merged.high = min(prev.value, c.value), max(prev.value, c.value)
                    merged.value = None
                    merged.extra["range"] = True
                else:
                    merged.extra["change"] = {"from": prev.value, "to": c.value}
                merged.start = fs
                merged.text = text[fs:merged.end]
                # what changed is named before "from" ("the jobless rate rose from 5% to 7%")
                merged.subject = left_phrase(text, fs, merged.excerpt_start) or prev.subject or c.subject
                merged.excerpt_start = min(prev.excerpt_start, c.excerpt_start)
                merged.excerpt_end = max(prev.excerpt_end, c.excerpt_end)
                if prev.qualifier and not merged.qualifier:
                    merged.extra["from_qualifier"] = prev.qualifier
                out[-1] = merged
                continue
        out.append(c)
    return out




# "threefold", "3-fold", "ten times", "2.5 times": a multiplier, unit "times"
_FOLD_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
               "twenty": 20, "hundred": 100, "thousand": 1000, "twelve": 12, "fifteen": 15}
_FOLD_RE = re.compile(
    rf"\b(?:(?P<w>{'|'.join(_FOLD_WORDS)})fold|(?P<w2>{WORD_NUMBER})[ \t-]+fold"
    r"|(?P<d>\d+(?:\.\d+)?)[ \t]?-?[ \t]?fold)\b"
    rf"|\b(?P<t>(?:{WORD_NUMBER})|\d+(?:\.\d+)?)[ \t]+times\b(?=[ \t]+(?:as|more|less|higher|lower|bigger|larger|"
    rf"smaller|greater|faster|slower|the|that|what|over|their|its|his|her|our|your|a|an)\b)",
    _I,
)
_TIMES_UNIT = Unit("times", "ratio")


def _multipliers(b: _Builder) -> None:
    """"a threefold rise", "a 3-fold increase", "ten times as many", "2.5 times the average": unit "times"."""
    text = b.text
    low = b.lower if b.lower is not None else text.lower()
    found: dict[tuple[int, int], re.Match[str]] = {}
    for key in ("fold", "times"):  # scan only around the key words (a full-text scan of this pattern is slow)
        p = low.find(key)
        while p != -1:
            for m in _FOLD_RE.finditer(text, max(0, p - 40), min(len(text), p + 40)):
                found.setdefault(m.span(), m)
            p = low.find(key, p + len(key))
    for _, m in sorted(found.items()):
        raw = m.group("w") or m.group("w2") or m.group("d") or m.group("t")
        v = _FOLD_WORDS.get(raw.lower()) if m.group("w") else parse_value(raw)
        if v is None:
            continue
        b.add(m.start(), m.end(), float(v), unit="times", measure=(_TIMES_UNIT, "times"))


PASSES = (_ranges, _ratios, _fractions, _multipliers, _numbers, _word_numbers, _ordinals)


_SUBUNIT_GAP = re.compile(r"[ \t]*,?[ \t]*(?:(?i:and)[ \t]+)?$")
_SUBUNITS = frozenset({"cent", "penny"})


def _join_subunits(claims: list[ClaimDraft], text: str) -> list[ClaimDraft]:
    """"3 dollars 50 cents", "thirteen dollars and forty-five cents", "15 dollars 50": one amount (3.50, 13.45,
    15.50). A whole amount of a currency followed by a count under 100 of its subunit, or a bare number under
    100 that ends the phrase, is one amount."""
    out: list[ClaimDraft] = []
    for c in claims:
        prev = out[-1] if out else None
        if (prev is not None and prev.value is not None and c.value is not None and prev.value == int(prev.value)
                and prev.extra.get("unit_kind") == "currency" and prev.unit and len(prev.unit) == 3
                and " per " not in prev.extra.get("unit_normalised", "")
                and 0 < c.value < 100 and c.value == int(c.value) and c.low is None and c.high is None
                and _SUBUNIT_GAP.match(text[prev.end:c.start]) and prev.end <= c.start
                and (c.extra.get("unit_normalised") in _SUBUNITS
                     or (c.unit is None and not c.extra and _ends_phrase(text, c.end)))):
            prev.value = prev.value + c.value / 100
            prev.end = c.end
            prev.text = text[prev.start:prev.end]
            prev.excerpt_start = min(prev.excerpt_start, c.excerpt_start)
            prev.excerpt_end = max(prev.excerpt_end, c.excerpt_end)
            continue
        out.append(c)
    return out


_PHRASE_END = re.compile(r"[ \t]*(?:[.,;:!?)]|$)")


def _ends_phrase(text: str, end: int) -> bool:
    """Whether nothing but punctuation or the end of the line follows."""
    return _PHRASE_END.match(text, end) is not None


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

