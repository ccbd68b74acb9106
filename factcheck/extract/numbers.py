"""Number words, fractions, multipliers and currency tables, and the one value normaliser for numeric tokens.

parse_value reads every written form of a number the patterns find: separators ("3,000"), decimals ("0.5",
".500"), signs ("-1.3", "−4", "minus 5", "+0.2"), fractions ("1/2", "½", "7 3/4", "1⁄16"), scale words and
their abbreviations with or without a space ("1.5 million", "£3bn", "5k", "2 tn"; see data/units.json), and
number words ("twenty-five", "one hundred and twelve", "a dozen", "a couple of").
"""

from __future__ import annotations

import math
import re

from factcheck.extract.units import SCALES as LEXICON_SCALES
from factcheck.extract.wordtrie import trie_pattern

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
ABBREV_SCALES = {k: v for k, v in LEXICON_SCALES.items() if k not in SCALES}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}
FRACTIONS = {
    "half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25,
    "fifth": 0.2, "fifths": 0.2, "tenth": 0.1, "tenths": 0.1,
}
CURRENCIES = {"£": "GBP", "$": "USD", "us$": "USD", "€": "EUR", "gbp": "GBP", "usd": "USD", "eur": "EUR",
              "pounds": "GBP", "pound": "GBP", "dollars": "USD", "euros": "EUR"}

VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6, "⅘": 0.8,
          "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875}
_VULGAR = "".join(VULGAR)
# tokenised thousands ("10, 000", "1, 118"): groups of exactly three digits after ", ", not inside a list
# ("1, 2, 3", "100, 200 and 300": a list goes on with another number after the match or stands before it)
SPACED_THOUSANDS = (r"(?<!\d,[ \t])\d{1,3}(?:,[ \t]\d{3})+(?![\d,]|[ \t]?(?:,[ \t]?|[ \t](?:and|or|to)[ \t]+)\d)"
                    r"(?:\.\d+)?")
# a digit token: thousands-separated, plain or leading-dot decimals, slash fractions ("3/4", "1⁄16"), a
# whole number with a fraction ("7 3/4", "2½"), or a vulgar fraction alone ("½")
DIGITS = (rf"\d+[ \t]\d{{1,2}}[/⁄]\d{{1,3}}(?![\d/⁄])|\d+[ \t]?[{_VULGAR}]|\d{{1,2}}[/⁄]\d{{1,3}}(?![\d/⁄])"
          rf"|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{SPACED_THOUSANDS}|\d{{1,2}}(?:,\d\d)+,\d{{3}}(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+|[{_VULGAR}]")
_SLASH = re.compile(r"(?:(\d+)[ \t])?(\d+)[/⁄](\d+)$")
_SIGN = re.compile(r"^(?:[-−–]|minus\s+|negative\s+)", re.I)
_PLUS = re.compile(r"^(?:\+|plus\s+)", re.I)

_SMALL = trie_pattern(UNITS)
_TENS = "|".join(TENS)
# "twenty-five", "twenty five", "eight", "a dozen"; scale words are matched separately
WORD_NUMBER = rf"(?:(?:{_TENS})(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine)\b)?|(?:{_SMALL})|dozen)"
_WORD_RE = re.compile(rf"^(?:{WORD_NUMBER})$", re.I)


def parse_word_number(words: str) -> float | None:
    """Value of a number written in words ("twenty-five", "eight", "dozen", "two hundred")."""
    total = 0.0
    current = 0.0
    seen = False
    for tok in re.split(r"[\s-]+", words.lower().strip()):
        if not tok or tok in ("a", "an", "and", "of"):
            continue
        if tok == "couple":
            current += 2
        elif tok in UNITS:
            current += UNITS[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok == "dozen":
            current = (current or 1) * 12
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok in SCALES:
            total += (current or 1) * SCALES[tok]
            current = 0
        elif tok in ABBREV_SCALES and seen:
            total += (current or 1) * ABBREV_SCALES[tok]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_digits(token: str) -> float | None:
    """Value of a digit token with thousands separators ("3,000", "0.5", "1,234.5")."""
    try:
        value = float(token.replace(", ", "").replace(",\t", "").replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None  # 400 digits are "inf": no value anyone can compare


def parse_number(token: str) -> float | None:
    """Value of a digit token or a number word (see parse_value for the general form)."""
    return parse_value(token)


def _parse_digit_token(token: str) -> float | None:
    """A digit token without sign or scale: "3,000", ".5", "3/4", "7 3/4", "2½", "½"."""
    if not token:
        return None
    last = token[-1]
    if last in VULGAR:
        whole = token[:-1].strip()
        base = parse_digits(whole) if whole else 0.0
        return None if base is None else base + VULGAR[last]
    m = _SLASH.match(token)
    if m:
        den = int(m.group(3))
        if not den:
            return None
        return int(m.group(1) or 0) + int(m.group(2)) / den
    return parse_digits(token)


def parse_value(token: str) -> float | None:
    """Value of any written number: sign, digits or words, fraction, and a trailing scale word or abbreviation.

    "-1.3" -> -1.3, "minus 5" -> -5, ".500" -> 0.5, "7 3/4" -> 7.75, "1.5 million" -> 1.5e6, "£"-less "3bn"
    -> 3e9, "twenty-five" -> 25, "one hundred and twelve" -> 112, "a dozen" -> 12, "a couple of" -> 2.
    """
    t = token.strip()
    sign = 1.0
    m = _SIGN.match(t)
    if m:
        sign, t = -1.0, t[m.end():]
    else:
        m = _PLUS.match(t)
        if m:
            t = t[m.end():]
    if not t:
        return None
    if t[0].isdigit() or t[0] == "." or t[0] in VULGAR:
        num = re.match(DIGITS, t)
        if not num:
            return None
        v = _parse_digit_token(num.group().strip())
        rest = t[num.end():].strip(" \t-")
        if v is not None and rest:
            scale = scale_of(rest)
            if scale == 1.0:
                return None
            v *= scale
    else:
        v = parse_word_number(t)
    if v is None or not math.isfinite(v):
        return None
    return sign * v


def scale_of(word: str | None) -> float:
    """Multiplier for "million", "bn", "m", ... (1 when absent)."""
    if not word:
        return 1.0
    w = word.lower().strip().strip("-").strip()
    return float(SCALES.get(w) or ABBREV_SCALES.get(w) or 1)


def parse_fraction(text: str) -> float | None:
    """Value of "half", "one-third", "three-quarters", "a quarter", "two thirds"."""
    parts = [p for p in re.split(r"[\s-]+", text.lower()) if p]
    if not parts:
        return None
    if len(parts) == 1:
        return 0.5 if parts[0] == "half" else None
    num_word, frac = parts[-2], parts[-1]
    if frac not in FRACTIONS:
        return None
    n = 1.0 if num_word in ("a", "an", "one") else parse_word_number(num_word)
    if n is None:
        return None
    return n * FRACTIONS[frac] if frac != "half" else 0.5 * n
