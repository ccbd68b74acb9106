"""One name written several ways (transposed acronyms, misspellings, hyphenation) and acronyms defined in
parentheses, each flag listing every mention of every spelling with its exact place in the source."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import TypedDict

from factcheck.match.acronyms import Definition, expansion_key, find_definitions
from factcheck.match.context import Memo
from factcheck.match.mentions import Finder, Mention, MentionJson, Unit, scan_all, touches, units_for
from factcheck.match.records import ClaimRecord, FlagDraft, SourceText, place
from factcheck.match.spelling import changed_token_variant, norm_name

_NAME = re.compile(r"\b[A-Z][A-Za-z’'&-]*(?:[ \t]+(?:of|for|and|&|the|de|van|von)?[ \t]*[A-Z][A-Za-z’'&-]*)+"
                   r"|\b[A-Z]{3,8}\b")
MAX_BLOCK = 200
MAX_MEMBERS_PER_SPELLING = 4  # statements shown per spelling: one per document, the first documents by path
MAX_MENTIONS_PER_SPELLING = 1000  # mentions listed per spelling in a flag's details (counts stay exact)
_norm = norm_name  # the name the block recount of bench/match.py uses


class DefinitionJson(TypedDict):
    """Where an acronym was defined: its source and the absolute [start, end] of the acronym and expansion."""

    source: str
    source_id: int
    acronym: list[int]
    expansion: list[int]


class SpellingDetails(TypedDict):
    """An alias flag's details: the spellings, how they differ, how often each is written, every mention."""

    variants: list[str]
    how: str
    counts: dict[str, int]
    mentions: list[MentionJson]


class AcronymDetails(SpellingDetails):
    """An acronym flag's details: the spelling details plus the acronym, its expansions and definitions."""

    acronym: str
    expansions: list[str]
    definitions: list[DefinitionJson]


@dataclass(slots=True)
class AcronymGroup:
    """An acronym and the expansions it is defined with (one name written a few ways), and where."""

    acronym: str
    expansions: set[str] = field(default_factory=set)
    definitions: list[tuple[Unit, Definition]] = field(default_factory=list)


def _names(excerpt: str, normed: dict[str, str] | None = None) -> list[str]:
    """The names written in an excerpt, in comparable form (with normed, each way of writing one normalised once)."""
    if normed is None:
        return [n for n in (_norm(m.group(0)) for m in _NAME.finditer(excerpt)) if n]
    return [n for n in map(normed.__getitem__, _NAME.findall(excerpt)) if n]


def names_in_claims(records: list[ClaimRecord]) -> Counter[str]:
    """How often each name is written in the claims' excerpts (an excerpt shared by claims counts once)."""
    counts: Counter[str] = Counter()
    seen: set[tuple[int, str]] = set()
    normed = Memo(_norm)
    # an excerpt told in several sources is read once
    names_of: Memo[str, list[str]] = Memo(lambda excerpt: _names(excerpt, normed))
    for r in records:
        key = (r.source_id, r.excerpt or "")
        if key not in seen:
            seen.add(key)
            counts.update(names_of[key[1]])
    return counts


def variant_pairs(names: Counter[str]) -> list[tuple[str, str, str]]:
    """Pairs of names that are one name written two ways, and how: (a, b, how), a < b."""
    blocks: dict[tuple[int, str, int | str], list[str]] = defaultdict(list)
    tokens: dict[str, list[str]] = {}
    for name in names:
        toks = tokens[name] = name.split()
        blocks[(len(toks), toks[0][:1].lower(), len(name) // 4)].append(name)
        blocks[(len(toks), toks[-1][:1].lower(), "last")].append(name)
    pairs: list[tuple[str, str, str]] = []
    done: set[tuple[str, str]] = set()
    for block in blocks.values():
        if len(block) > MAX_BLOCK:
            continue
        for a, b, k in _one_token_apart(block, tokens):
            if (a, b) not in done:
                done.add((a, b))
                x, y = tokens[a][k], tokens[b][k]
                how = changed_token_variant(x, y, len(tokens[a])) if x != y else None  # = name_variant(a, b)
                if how:
                    pairs.append((a, b, how))
    return sorted(pairs)


def _one_token_apart(block: list[str], tokens: dict[str, list[str]]) -> Iterator[tuple[str, str, int]]:
    """The pairs (a < b) of a block's names (of one token count) that share every token but the one at some
    position k, with k: the only pairs that can be variants (name_variant wants exactly one token changed)."""
    by_rest: dict[tuple[int, tuple[str, ...], tuple[str, ...]], list[str]] = defaultdict(list)
    for name in block:
        toks = tokens[name]
        for k in range(len(toks)):
            by_rest[(k, tuple(toks[:k]), tuple(toks[k + 1:]))].append(name)
    for (k, _, _), same in by_rest.items():
        if len(same) > 1:
            for a, b in combinations(sorted(same), 2):
                yield a, b, k


def acronym_groups(units: list[Unit]) -> list[AcronymGroup]:
    """Acronyms defined in the units, one group per acronym and way of writing its expansion."""
    groups: dict[tuple[str, str], AcronymGroup] = {}
    seen: set[tuple[int, int, int]] = set()  # one definition read from overlapping excerpts counts once
    definitions = Memo(find_definitions)  # an excerpt told in several sources is read once (Definition is frozen)
    for unit in units:
        if "(" not in unit.text:
            continue
        for d in definitions[unit.text]:
            where = (unit.source_id, unit.offset + d.acronym_span[0], unit.offset + d.expansion_span[0])
            if where in seen:
                continue
            seen.add(where)
            g = groups.setdefault((d.acronym, expansion_key(d.expansion)), AcronymGroup(d.acronym))
            g.expansions.add(d.expansion)
            g.definitions.append((unit, d))
    return [groups[k] for k in sorted(groups)]


def match_aliases(records: list[ClaimRecord], texts: dict[int, SourceText] | None = None) -> list[FlagDraft]:
    """Alias flags: names written in claims in more than one spelling, and acronyms defined in parentheses.
    Mentions are looked for in the sources' whole texts when given, else in the claims' excerpts."""
    pairs = variant_pairs(names_in_claims(records))
    units = units_for(records, texts)
    groups = acronym_groups(units)
    spellings = {s for a, b, _ in pairs for s in (a, b)} | {s for g in groups for s in (g.acronym, *g.expansions)}
    if not spellings:
        return []
    found = scan_all(Finder(spellings), units)
    flags = [_spelling_flag(a, b, how, found) for a, b, how in pairs]
    flags += [_acronym_flag(g, found) for g in groups]
    return [f for f in flags if f is not None]


# ---------------------------------------------------------------- flags


def members_for(mentions: list[Mention], role: str) -> list[tuple[int, str]]:
    """One statement per document for a spelling: a claim about the name if there is one, else the first."""
    by_source: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_source[m.source].append(m)
    out: list[tuple[int, str]] = []
    for source in sorted(by_source):
        held = [(m, c) for m in by_source[source] if (c := m.claim) is not None]
        if held:
            _, best = min(held, key=lambda mc: (not touches(mc[1], mc[0].start, mc[0].end), place(mc[1])))
            out.append((best.id, role))
            if len(out) == MAX_MEMBERS_PER_SPELLING:
                break
    return out


def _listed(found: dict[str, list[Mention]], spellings: list[str]) -> list[MentionJson]:
    """The mentions of some spellings as stored in a flag, in source order."""
    out = [m for s in spellings for m in found.get(s, [])[:MAX_MENTIONS_PER_SPELLING]]
    out.sort(key=lambda m: (m.source, m.start, m.spelling))
    return [m.as_json() for m in out]


def _spelling_flag(a: str, b: str, how: str, found: dict[str, list[Mention]]) -> FlagDraft | None:
    """An alias flag naming both spellings, how often each is written, and statements using each."""
    counts = {s: len(found.get(s, [])) for s in (a, b)}
    if not all(counts.values()):
        return None
    main, other = (a, b) if counts[a] >= counts[b] else (b, a)
    members = members_for(found[main], f"variant: {main}") + members_for(found[other], f"variant: {other}")
    if not members:
        return None
    summary = f"{main} ({counts[main]}×) vs {other} ({counts[other]}×)"
    kind = {"hyphen": "a hyphenated and an unhyphenated form", "spelling": "spellings one or two letters apart"}[how]
    explanation = (f"'{main}' and '{other}' look like one name written two ways ({kind}); "
                   f"confirm to treat them as the same entity.")
    score = round(0.6 + 0.1 * (how == "hyphen") + 0.2 * (counts[main] > 1), 3)
    details: SpellingDetails = {"variants": [main, other], "how": how, "counts": counts,
                                "mentions": _listed(found, [main, other])}
    return FlagDraft("alias", main, summary, score, explanation, members, details)


def _documents(mentions: list[Mention]) -> set[str]:
    """The sources some mentions are in."""
    return {m.source for m in mentions}


def _acronym_flag(g: AcronymGroup, found: dict[str, list[Mention]]) -> FlagDraft | None:
    """An alias flag linking an acronym and its expansion across the documents that use either."""
    expansions = sorted(g.expansions, key=lambda e: (-len(found.get(e, [])), e))
    forms = [g.acronym, *expansions]
    counts = {s: len(found.get(s, [])) for s in forms}
    with_acronym = _documents(found.get(g.acronym, []))
    with_expansion: set[str] = set().union(*(_documents(found.get(e, [])) for e in expansions))
    if len(with_acronym | with_expansion) < 2:
        return None  # one document defining its own acronym links nothing
    members = members_for(found.get(g.acronym, []), f"acronym: {g.acronym}")
    for e in expansions:
        members += members_for(found.get(e, []), f"expansion: {e}")
    if not members:
        return None
    main = expansions[0]
    defined_in = sorted({u.source for u, _ in g.definitions})
    only = len(with_acronym - with_expansion), len(with_expansion - with_acronym)
    summary = (f"{g.acronym} = {main}: {g.acronym} {counts[g.acronym]}×, "
               + ", ".join(f"{e} {counts[e]}×" for e in expansions)
               + f" in {len(with_acronym | with_expansion)} documents")
    explanation = (f"'{g.acronym}' is defined as '{main}' in {_some(defined_in)}; {only[0]} other document(s) "
                   f"use only '{g.acronym}' and {only[1]} only the expansion. Confirm to treat them as one entity.")
    details: AcronymDetails = {"variants": forms, "how": "acronym", "acronym": g.acronym, "expansions": expansions,
               "counts": counts, "mentions": _listed(found, forms), "definitions": [
                   _definition_json(u, d) for u, d in sorted(g.definitions, key=lambda x: (x[0].source,
                                                                                          x[1].acronym_span))]}
    score = round(0.5 + 0.2 * bool(only[0] or only[1]), 3)
    return FlagDraft("alias", f"{main} ({g.acronym})", summary, score, explanation, members, details)


def _some(names: list[str], shown: int = 3) -> str:
    """A few names, then how many more."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _definition_json(unit: Unit, d: Definition) -> DefinitionJson:
    """Where an acronym was defined: the source and the absolute spans of the acronym and its expansion."""
    return {"source": unit.source, "source_id": unit.source_id,
            "acronym": [unit.offset + d.acronym_span[0], unit.offset + d.acronym_span[1]],
            "expansion": [unit.offset + d.expansion_span[0], unit.offset + d.expansion_span[1]]}
