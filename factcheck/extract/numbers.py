"""Number words, fractions, multipliers and currency tables, and parsing of numeric tokens."""

from __future__ import annotations

import math
import re

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
ABBREV_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000,
                 "tn": 1_000_000_000_000}
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

_SMALL = "|".join(sorted(UNITS, key=len, reverse=True))
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
        if not tok or tok in ("a", "an", "and"):
            continue
        if tok in UNITS:
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
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_digits(token: str) -> float | None:
    """Value of a digit token with thousands separators ("3,000", "0.5", "1,234.5")."""
    try:
        value = float(token.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None  # 400 digits are "inf": no value anyone can compare


def parse_number(token: str) -> float | None:
    """Value of a digit token or a number word."""
    token = token.strip()
    if token[:1].isdigit():
        return parse_digits(token)
    return parse_word_number(token)


def scale_of(word: str | None) -> float:
    """Multiplier for "million", "bn", "m", ... (1 when absent)."""
    if not word:
        return 1.0
    w = word.lower().strip().rstrip("-")
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
