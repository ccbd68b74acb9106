"""Conflicting dates of one event: "published today" in one source, "published yesterday" in another."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

from factcheck.match.context import Rarity, proper_nouns
from factcheck.match.events import Topics, place_of
from factcheck.match.records import ClaimRecord, FlagDraft, place

EVENT_VERB = re.compile(
    r"\b(publish(?:ed|es)?|releas(?:ed|es)|launch(?:ed|es)|issu(?:ed|es)|announc(?:ed|es)|unveil(?:ed|s)|"
    r"came\s+out|held|opened|closed|began|started|ended|signed|approved|submitted)\b", re.I)
EVENT_OBJECT = re.compile(
    r"\b(report|review|inspection|study|survey|findings|statement|press\s+release|strategy|plan|policy|"
    r"conference|meeting|event|consultation|inquiry|audit|figures|data|results|letter|budget|bill|contract)s?\b",
    re.I)
MIN_SHARED_WEIGHT = 4.0  # summed rarity of names two statements must share to be about the same event
MIN_SHARED_NAMES = 2
MAX_BLOCK = 80


def _event(r: ClaimRecord) -> tuple[str, str] | None:
    """(verb, object) of the event a date belongs to, read from its sentence."""
    v = EVENT_VERB.search(r.excerpt)
    if not v:
        return None
    objects = list(EVENT_OBJECT.finditer(r.excerpt))
    if not objects:
        return None
    o = min(objects, key=lambda m: abs(m.start() - v.start()))  # the object nearest the verb
    verb = v.group(1).lower()[:5]  # published/publishes -> "publi"
    return verb, o.group(1).lower().split()[-1].rstrip("s")


def _label(r: ClaimRecord) -> str:
    """A date as a reader would write it, with how it was stated ("15 June 2017 ('yesterday')")."""
    d = r.date.strftime("%-d %B %Y") if r.date else "?"
    return f"{d} ('{' '.join(r.text.split())}')" if r.relative else d


def match_dates(records: list[ClaimRecord], topics: Topics | None = None) -> list[FlagDraft]:
    """One conflict flag per event whose date is given differently by different sources (sources that
    report the same event or topic: different events dated differently are not a conflict)."""
    topics = topics if topics is not None else Topics(records)
    all_dates = [r for r in records if r.kind == "date"]
    ds = [r for r in all_dates if r.date and r.date_precision in ("day", "time") and _event(r)]
    names = [proper_nouns(r.context or r.excerpt) for r in ds]
    rarity = Rarity([proper_nouns(r.excerpt) for r in all_dates])  # how common a name is across dated statements
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, r in enumerate(ds):
        verb = _event(r)[0]
        for name in names[i]:
            blocks[(verb, name)].append(i)  # by event verb and a name around it (never all pairs)
    parent = list(range(len(ds)))

    def find(x: int) -> int:
        """Union-find root."""
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    tried: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > MAX_BLOCK:
            continue
        for i, j in combinations(members, 2):
            if (i, j) in tried:
                continue
            tried.add((i, j))
            if ds[i].source_id == ds[j].source_id and ds[i].excerpt != ds[j].excerpt:
                continue
            if not topics.related(place_of(ds[i]), place_of(ds[j])):
                continue
            shared = names[i] & names[j]
            # each shared name counts at least 1 (a small corpus has no meaningful rarity), rare names more
            if len(shared) >= MIN_SHARED_NAMES and sum(max(1.0, rarity.weight(w)) for w in shared) >= MIN_SHARED_WEIGHT:
                parent[find(i)] = find(j)
    datelines = {(r.source_id, r.section_id): r for r in all_dates if r.subject == "dateline"}
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ds)):
        clusters[find(i)].append(i)
    flags = []
    for members in clusters.values():
        recs = sorted((ds[i] for i in members), key=place)  # the first names the event: by place, not input order
        by_date = defaultdict(set)
        for r in recs:
            by_date[r.date].add(r.source_id)
        if len(by_date) < 2 or len({r.source_id for r in recs}) < 2:
            continue
        flags.append(_flag(recs, datelines, names, members, rarity))
    return flags


def _flag(recs: list[ClaimRecord], datelines: dict, names, members, rarity) -> FlagDraft:
    """The conflict flag for one event's differing dates, with each relative date's anchor."""
    verb, obj = _event(recs[0])
    shared = set.intersection(*(names[i] for i in members)) if members else set()
    topic = ", ".join(rarity.rarest(shared)[:3])
    subject = f"date the {obj} was {verb}{'shed' if verb == 'publi' else ''}" + (f" ({topic})" if topic else "")
    subject = subject.replace("was publishshed", "was published")
    seen, parts = set(), []
    for r in sorted(recs, key=lambda r: r.date):
        key = (r.date, r.source)
        if key not in seen:
            seen.add(key)
            parts.append(f"{_label(r)} in {r.source}")
    distinct = sorted({r.date for r in recs})
    summary = " vs ".join(d.strftime("%-d %B %Y") for d in distinct)
    explanation = (f"Sources date the same event differently: {'; '.join(parts)}. "
                   "Relative dates are resolved against the date of the page that uses them.")
    members_out = [(r.id, "value") for r in recs]
    for r in recs:
        anchor = datelines.get((r.source_id, r.section_id))
        if r.relative and anchor is not None and anchor.id not in {m for m, _ in members_out}:
            members_out.append((anchor.id, "anchor"))
    score = round(min(1.0, 0.7 + 0.1 * len(distinct)), 3)
    return FlagDraft("conflict", subject, summary, score, explanation, members_out,
                     {"dates": [d.isoformat() for d in distinct]})
