"""The vocabulary the extractors read, kept as data in factcheck/extract/data/*.json (general English)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def load(name: str) -> dict:
    """One vocabulary file (data/<name>.json) as a dict, read once."""
    with (DATA / f"{name}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def words(name: str, key: str) -> frozenset[str]:
    """A word list of a vocabulary file as a set."""
    return frozenset(load(name)[key])


def alternation(phrases: list[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any run of whitespace ("went\\s+on")."""
    ordered = sorted(dict.fromkeys(phrases), key=lambda p: (-len(p), p))
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)
