"""The vocabulary the extractors read, kept as data in factcheck/extract/data/*.json (general English)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from factcheck.extract.wordtrie import trie_pattern

DATA = Path(__file__).parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """One vocabulary file (data/<name>.json) as a dict, read once."""
    with (DATA / f"{name}.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)  # JSON: values of any shape
        return data


def words(name: str, key: str) -> frozenset[str]:
    """A word list of a vocabulary file as a set."""
    return frozenset(load(name)[key])


def alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, spaces matching any run of whitespace ("went\\s+on"), factored as a trie:
    where one phrase is a prefix of another the longer is tried first, as in a longest-first list, and a shared
    prefix is matched once (much faster to fail on a long list)."""
    return trie_pattern({" ".join(p.split()) for p in phrases}).replace(re.escape(" "), r"\s+")


_SIBILANT_ENDS = ("s", "sh", "ch", "x", "z", "o")
_VOWELS = "aeiou"


def inflections(lemma: str, irregular_past: dict[str, str]) -> list[str]:
    """The third-person and past forms of a regular English verb ("warn" -> warns, warned; "reply" -> replies,
    replied; "argue" -> argues, argued), with an irregular past taken from irregular_past ("say" -> said)."""
    if lemma.endswith(_SIBILANT_ENDS):
        third = lemma + "es"
    elif lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma in irregular_past:
        past = irregular_past[lemma]
    elif lemma.endswith("e"):
        past = lemma + "d"
    elif lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        past = lemma[:-1] + "ied"
    else:
        past = lemma + "ed"
    return [third, past]


def gerund(lemma: str, irregular_past: dict[str, str]) -> str:
    """The -ing form of an English verb ("say" -> saying, "note" -> noting, "admit" -> admitting, "agree" ->
    agreeing), a doubled final consonant read off a listed past form ("admitted")."""
    past = irregular_past.get(lemma, "")
    if past.endswith("ed") and len(past) > len(lemma) + 2 and past[len(lemma)] == lemma[-1]:
        return lemma + lemma[-1] + "ing"
    if lemma.endswith("ie"):
        return lemma[:-2] + "ying"
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        return lemma[:-1] + "ing"
    return lemma + "ing"
