"""One name written several ways: transposed acronyms, misspellings, hyphenated and unhyphenated forms."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import combinations

from rapidfuzz.distance import OSA

from factcheck.match.records import ClaimRecord, FlagDraft, place

_NAME = re.compile(r"\b[A-Z][A-Za-z’'&-]*(?:[ \t]+(?:of|for|and|&|the|de|van|von)?[ \t]*[A-Z][A-Za-z’'&-]*)+"
                   r"|\b[A-Z]{3,8}\b")
MAX_BLOCK = 200


def _norm(name: str) -> str:
    """Comparable form: single spaces, no possessive."""
    name = re.sub(r"['’]s$", "", " ".join(name.split())).strip("'’-&")
    return re.sub(r"^(?:The|A|An)\s+", "", name)


def _token_variant(x: str, y: str) -> str | None:
    """How two differing tokens relate: "hyphen", "spelling", or None when they are different words."""
    if x.lower() == y.lower() or x.rstrip("s") == y.rstrip("s"):
        return None  # case or plural only
    if x.replace("-", "").lower() == y.replace("-", "").lower():
        return "hyphen"
    limit = 1 if max(len(x), len(y)) <= 7 else 2
    if min(len(x), len(y)) >= 3 and OSA.distance(x.lower(), y.lower()) <= limit and x[0].lower() == y[0].lower():
        return "spelling"
    return None


def name_variant(a: str, b: str) -> str | None:
    """Whether two names are one name written two ways, and how (one token differs, slightly)."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or a == b:
        return None
    diffs = [(x, y) for x, y in zip(ta, tb) if x != y]
    if len(diffs) != 1:
        return None
    x, y = diffs[0]
    if len(ta) == 1 and not (x.isupper() and y.isupper()) and len(x) < 6:
        return None  # a lone short word: too many real words are one letter apart
    return _token_variant(x, y)


def match_aliases(records: list[ClaimRecord]) -> list[FlagDraft]:
    """Alias flags for names that appear in the claims' excerpts in more than one spelling."""
    counts: Counter[str] = Counter()
    where: dict[str, ClaimRecord] = {}
    names_in: dict[tuple[int, str], list[str]] = {}
    for r in records:
        key = (r.source_id, r.excerpt)
        names = names_in.get(key)
        if names is None:  # an excerpt shared by several claims counts once
            names = names_in[key] = [n for n in (_norm(m.group(0)) for m in _NAME.finditer(r.excerpt)) if n]
            counts.update(names)
        for name in names:
            if name not in where or place(r) < place(where[name]):
                where[name] = r  # the first place the name is used, whatever order the records come in
    blocks: dict[tuple, list[str]] = defaultdict(list)
    for name in counts:
        toks = name.split()
        blocks[(len(toks), toks[0][:1].lower(), len(name) // 4)].append(name)
        blocks[(len(toks), toks[-1][:1].lower(), "last")].append(name)
    flags, done = [], set()
    for names in blocks.values():
        if len(names) > MAX_BLOCK:
            continue
        for a, b in combinations(sorted(names), 2):
            if (a, b) in done:
                continue
            done.add((a, b))
            how = name_variant(a, b)
            if how:
                flags.append(_flag(a, b, how, counts, where))
    return flags


def _flag(a: str, b: str, how: str, counts: Counter, where: dict) -> FlagDraft:
    """An alias flag naming both spellings, how often each is used, and one claim for each."""
    main, other = (a, b) if counts[a] >= counts[b] else (b, a)
    summary = f"{main} ({counts[main]}×) vs {other} ({counts[other]}×)"
    kind = {"hyphen": "a hyphenated and an unhyphenated form", "spelling": "spellings one or two letters apart"}[how]
    explanation = (f"'{main}' and '{other}' look like one name written two ways ({kind}); "
                   f"confirm to treat them as the same entity.")
    members = [(where[main].id, f"variant: {main}"), (where[other].id, f"variant: {other}")]
    score = round(0.6 + 0.1 * (how == "hyphen") + 0.2 * (counts[main] > 1), 3)
    return FlagDraft("alias", main, summary, score, explanation, members, {"variants": [main, other], "how": how})
