"""Dates of one event across sources: repeats ("the fire started on 12 March" twice) and conflicts
("started on Tuesday 12 March" / "on Wednesday 13 March"), at any precision.

The event a date belongs to is read from its sentence (factcheck.match.eventwords). Two dates are of one
event when their places report the same story (Topics), their event heads agree and their sentences share
rare names and words. They are compared at the coarser of their precisions: 12 March 2019 and March 2019
agree; 12 and 13 March, March and April, 2019 and 2018 do not; a range agrees with a day inside it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from itertools import combinations
from typing import TypedDict

from factcheck.match.clusters import clusters
from factcheck.match.context import Memo, Rarity, proper_nouns
from factcheck.match.events import Topics, place_of
from factcheck.match.eventwords import Event, agree, describe_event, event_of, is_event_noun
from factcheck.match.records import ClaimRecord, FlagDraft, place

RANK = {"day": 0, "week": 1, "month": 2, "range": 2, "quarter": 3, "season": 3, "year": 4, "decade": 5}
CONFLICTING = frozenset({"day", "month", "quarter", "year"})  # loose spans ("last week", "the 1990s") only agree
MIN_SHARED_NAMES = 1  # names two sentences must share to date one event (a repeat)
CLASH_SHARED_NAMES = 2  # names they must share for their differing dates to be a conflict
MIN_SHARED_TERMS = 3  # names and content words they must share
MIN_SHARED_WEIGHT = 5.0  # summed rarity of those shared terms (each counts at least 1)
MAX_BLOCK = 80  # a (head, name) key shared by more dated sentences than this tells nothing
Span = tuple[dt.date, dt.date]
Datelines = dict[tuple[int, int | None], ClaimRecord]  # (source id, section id) -> its dateline's claim


class DateDetails(TypedDict):
    """A date flag's details: distinct dates (ISO), the event's label, the comparison precision, sources."""

    dates: list[str]
    event: str
    precision: str
    sources: int


def _date(r: ClaimRecord) -> dt.date:
    """An eligible claim's date (see _eligible: never None)."""
    assert r.date is not None
    return r.date


def _precision(r: ClaimRecord) -> str:
    """An eligible claim's date precision (see _eligible: one of RANK)."""
    assert r.date_precision is not None
    return r.date_precision


def _span(r: ClaimRecord) -> Span:
    """The days a date covers at its precision (a day, a month, a year, a range)."""
    d = r.date
    assert d is not None  # only eligible dates are compared
    if r.date_end is not None and r.date_end >= d:
        return d, r.date_end
    if r.date_precision == "month":
        return d, d.replace(day=calendar.monthrange(d.year, d.month)[1])
    if r.date_precision == "year":
        return d, dt.date(d.year, 12, 31)
    return d, d


def _eligible(r: ClaimRecord) -> bool:
    """A resolved calendar date of some event (not a dateline, a time of day, the future or 'now')."""
    return (r.kind == "date" and r.date is not None and r.date_precision in RANK
            and r.subject != "dateline")


def _coarser(a: ClaimRecord, b: ClaimRecord) -> str:
    """The coarser of two dates' precisions."""
    return max(_precision(a), _precision(b), key=RANK.__getitem__)


def dates_agree(a: ClaimRecord, b: ClaimRecord) -> bool:
    """Whether two dates can be the same date once compared at the coarser precision."""
    (la, ha), (lb, hb) = _span(a), _span(b)
    return la <= hb and lb <= ha


def _dated_events(records: list[ClaimRecord]) -> list[tuple[ClaimRecord, Event]]:
    """Every eligible date claim with the event its sentence names (sentences naming none left out)."""
    cache: dict[tuple[str, str], Event | None] = {}
    out: list[tuple[ClaimRecord, Event]] = []
    for r in records:
        if not _eligible(r):
            continue
        key = (r.excerpt, r.text)
        if key not in cache:
            cache[key] = event_of(r.excerpt, r.text)
        event = cache[key]
        if event is not None and not event.speech:  # "X said Friday": whose statement is open
            out.append((r, event))
    return out


def _terms(e: Event) -> frozenset[str]:
    """Names and content words of an event's sentence."""
    return e.names | e.words


def _blocks(items: list[tuple[ClaimRecord, Event]]) -> dict[tuple[str, str], list[int]]:
    """Candidate groups keyed by (event head, a name of the sentence): never all pairs."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (_, e) in enumerate(items):
        for head in e.heads:
            for name in e.names:
                blocks[(head, name)].append(i)
    return blocks


def _same_event(a: ClaimRecord, ea: Event, b: ClaimRecord, eb: Event, rarity: Rarity, topics: Topics,
                terms: tuple[frozenset[str], frozenset[str]] | None = None) -> bool:
    """Two dates of one event: agreeing heads, enough rare shared terms, places of one story, and (in one
    source) different sentences. terms: the two events' _terms, when already known."""
    if a.source_id == b.source_id and a.excerpt == b.excerpt:
        return False
    if ea.irrealis != eb.irrealis or not agree(ea, eb):
        return False  # "was scheduled to meet Wednesday" and "met on Wednesday" are two statements
    if len(ea.names & eb.names) < MIN_SHARED_NAMES:
        return False
    ta, tb = terms or (_terms(ea), _terms(eb))
    shared = ta & tb
    if len(shared) < MIN_SHARED_TERMS:
        return False
    # each shared term counts at least 1: with MIN_SHARED_WEIGHT of them or more the sum is reached unsummed
    if len(shared) < MIN_SHARED_WEIGHT and sum(max(1.0, rarity.weight(w)) for w in shared) < MIN_SHARED_WEIGHT:
        return False
    return topics.related(place_of(a), place_of(b))


def _links(items: list[tuple[ClaimRecord, Event]], topics: Topics) -> list[tuple[int, int, float]]:
    """Pairs of dates of one event, found within blocks."""
    terms = [_terms(e) for _, e in items]
    rarity = Rarity(terms)
    tried: set[tuple[int, int]] = set()
    links: list[tuple[int, int, float]] = []
    for members in _blocks(items).values():
        if len(members) > MAX_BLOCK:
            continue
        for i, j in combinations(members, 2):
            if (i, j) in tried:
                continue
            tried.add((i, j))
            (a, ea), (b, eb) = items[i], items[j]
            if _same_event(a, ea, b, eb, rarity, topics, (terms[i], terms[j])):
                links.append((i, j, float(len(ea.names & eb.names))))
    return links


def match_dates(records: list[ClaimRecord], topics: Topics | None = None) -> list[FlagDraft]:
    """One flag per event dated by two or more sources: a conflict when two of them cannot both hold, a
    repeat when all agree at their precisions."""
    topics = topics if topics is not None else Topics(records)
    items = _dated_events(records)
    links = _links(items, topics)
    linked = {(i, j) for i, j, w in links if w >= CLASH_SHARED_NAMES}  # pairs close enough to conflict
    linked |= {(j, i) for i, j in linked}
    datelines: Datelines = {(r.source_id, r.section_id): r for r in records
                            if r.kind == "date" and r.subject == "dateline"}
    names_of = Memo(proper_nouns)  # dates told again share their excerpts
    names = Rarity([names_of[r.excerpt] for r in records if r.kind == "date"])  # how common a name is
    flags: list[FlagDraft] = []
    for members, _ in clusters(len(items), links):
        ordered = sorted(members, key=lambda m: place(items[m][0]))  # by place, not input order
        flag = _cluster_flag([items[m] for m in ordered], _clashes(ordered, items, linked), datelines, names)
        if flag is not None:
            flags.append(flag)
    return flags


def _clashes(members: list[int], items: list[tuple[ClaimRecord, Event]],
             linked: set[tuple[int, int]]) -> list[tuple[ClaimRecord, ClaimRecord]]:
    """Pairs from different sources, linked directly by enough shared names, whose dates cannot both hold."""
    out: list[tuple[ClaimRecord, ClaimRecord]] = []
    for i, j in combinations(members, 2):
        (a, ea), (b, eb) = items[i], items[j]
        if (i, j) in linked and a.source_id != b.source_id and not dates_agree(a, b) and _can_clash(a, ea, b, eb):
            out.append((a, b))
    return out


def _can_clash(a: ClaimRecord, ea: Event, b: ClaimRecord, eb: Event) -> bool:
    """Whether two differing dates of one event contradict each other: both precise calendar dates of events
    that took place (not planned), and not two dates each relative to its own page's day (two pages dated
    apart that each say "met on Thursday" may each report a new meeting of a recurring kind)."""
    if not {a.date_precision, b.date_precision} <= CONFLICTING or ea.irrealis or eb.irrealis:
        return False
    return not (a.relative and b.relative and a.section_date != b.section_date)


def _cluster_flag(group: list[tuple[ClaimRecord, Event]], clashes: list[tuple[ClaimRecord, ClaimRecord]],
                  datelines: Datelines, names: Rarity) -> FlagDraft | None:
    """The conflict or repeat flag for one event's dates, or None (one source, or disagreement left vague)."""
    recs = [r for r, _ in group]
    if len({r.source_id for r in recs}) < 2:
        return None
    if clashes:
        return _conflict(group, clashes, datelines, names)
    lo, hi = max(_span(r)[0] for r in recs), min(_span(r)[1] for r in recs)
    if lo > hi:
        return None  # dates that disagree only through a chain of links: too vague to flag either way
    return _repeat(group, datelines, names)


def _label(r: ClaimRecord) -> str:
    """A date as a reader would write it at its precision, with how it was stated ("15 June 2017 ('yesterday')")."""
    p, day = r.date_precision, _date(r)
    if p == "day":
        d = day.strftime("%-d %B %Y")
    elif p == "month":
        d = day.strftime("%B %Y")
    elif p == "year":
        d = str(day.year)
    else:
        lo, hi = _span(r)
        d = f"{lo.strftime('%-d %B %Y')}–{hi.strftime('%-d %B %Y')}"
    return f"{d} ('{' '.join(r.text.split())}')" if r.relative else d


def _participle(word: str) -> bool:
    """A word that reads as 'was <word>' ('published', 'held')."""
    return word.endswith("ed") or word.endswith(("held", "begun", "taken", "given", "done", "made", "won",
                                                 "sent", "built", "sold", "led", "met", "shot", "struck"))


def _subject(group: list[tuple[ClaimRecord, Event]], names: Rarity) -> str:
    """'date the report was published (suffolk, probation)', 'date of the fire (corran)'."""
    events = [e for _, e in group]
    word = Counter(e.word for e in events).most_common(1)[0][0]
    nouns = Counter(e.noun_word for e in events if e.noun_word and e.word == word)
    noun = nouns.most_common(1)[0][0] if nouns else None
    if noun and _participle(word):
        what = f"the {noun} was {word}"
    elif not _participle(word) and (is_event_noun(word) or word.endswith("ing")):
        what = f"of the {word}"
    else:
        what = f"of the event '{word}'"
    contexts = [proper_nouns(r.context or r.excerpt) for r, _ in group]
    shared: set[str] = set.intersection(*contexts) if contexts else set()
    topic = ", ".join(names.rarest(shared)[:3])
    return f"date {what}" + (f" ({topic})" if topic else "")


def _parts(recs: list[ClaimRecord]) -> list[str]:
    """'15 June 2017 ('yesterday') in a.txt' for each distinct (date, source)."""
    seen: set[tuple[dt.date, str]] = set()
    parts: list[str] = []
    for r in sorted(recs, key=lambda r: (_date(r), r.source)):
        key = (_date(r), r.source)  # one date per source: "16 June 2017 ('earlier today')", not that and "16 June 2017"
        if key not in seen:
            seen.add(key)
            parts.append(f"{_label(r)} in {r.source}")
    return parts


def _members(recs: list[ClaimRecord], role: str, datelines: Datelines) -> list[tuple[int, str]]:
    """Each date with its role, then the dateline each relative date was read against ('anchor')."""
    out = [(r.id, role) for r in recs]
    ids = {r.id for r in recs}
    for r in recs:
        anchor = datelines.get((r.source_id, r.section_id))
        if r.relative and anchor is not None and anchor.id not in ids:
            ids.add(anchor.id)
            out.append((anchor.id, "anchor"))
    return out


def _distinct_labels(recs: list[ClaimRecord]) -> list[str]:
    """Distinct dates as written at their precision, earliest first ('16 June 2017', 'June 2017')."""
    labels: dict[str, tuple[Span, int]] = {}
    for r in recs:
        text = _label(r).split(" ('")[0]
        labels.setdefault(text, (_span(r), RANK[_precision(r)]))
    return sorted(labels, key=labels.__getitem__)


def _conflict(group: list[tuple[ClaimRecord, Event]], clashes: list[tuple[ClaimRecord, ClaimRecord]],
              datelines: Datelines, names: Rarity) -> FlagDraft:
    """The conflict flag: sources date one event differently."""
    recs = [r for r, _ in group]
    precision = max((_coarser(a, b) for a, b in clashes), key=RANK.__getitem__)
    distinct = _distinct_labels(recs)
    explanation = (f"Sources date the same event differently: {'; '.join(_parts(recs))}. "
                   "Relative dates are resolved against the date of the page that uses them."
                   + (f" Dates are compared at {precision} precision." if precision != "day" else ""))
    score = round(min(1.0, 0.7 + 0.1 * len(distinct)), 3)
    return FlagDraft("conflict", _subject(group, names), " vs ".join(distinct), score, explanation,
                     _members(recs, "value", datelines), _details(group, precision))


def _repeat(group: list[tuple[ClaimRecord, Event]], datelines: Datelines, names: Rarity) -> FlagDraft:
    """The repeat flag: two or more sources give one event the same date (at the coarser precision)."""
    recs = [r for r, _ in group]
    precision = max((_precision(r) for r in recs), key=RANK.__getitem__)
    sources = sorted({r.source for r in recs})
    distinct = _distinct_labels(recs)
    summary = f"{' / '.join(distinct)} given by {len(sources)} sources"
    explanation = (f"Sources give the same event the same date (compared at {precision} precision): "
                   f"{'; '.join(_parts(recs))}. "
                   "Relative dates are resolved against the date of the page that uses them.")
    score = round(min(1.0, 0.5 + 0.1 * len(sources)), 3)
    return FlagDraft("repeat", _subject(group, names), summary, score, explanation,
                     _members(recs, "statement", datelines), _details(group, precision))


def _details(group: list[tuple[ClaimRecord, Event]], precision: str) -> DateDetails:
    """Machine-readable details: distinct dates (ISO), the event's label, the comparison precision."""
    recs = [r for r, _ in group]
    return {"dates": sorted({_date(r).isoformat() for r in recs}), "event": describe_event(group[0][1]),
            "precision": precision, "sources": len({r.source_id for r in recs})}
