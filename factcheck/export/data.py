"""Everything an export needs, read once: numbered sources, filtered claims with locations, flags."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, overload

from sqlalchemy import Select, Table, func, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlmodel import SQLModel, col

from factcheck.db import read_snapshot
from factcheck.decisions import CLAIM_STATUSES, FLAG_STATUSES
from factcheck.export.citations import bibtex_key, csl_type, long_date, reference_text, sort_key, web_url
from factcheck.labels import value_with_unit
from factcheck.models import Claim, Decision, Entity, Flag, FlagMember, Section, Source
from factcheck.queries import FLAG_ORDER, row_id

if TYPE_CHECKING:
    from typing import Unpack

CONTRADICTION_TYPES = ("conflict", "quote_variant", "arithmetic")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
BATCH = 500  # claims a streamed export reads at a time (and decision ids per query)
# The models' tables (sqlmodel's stubs do not declare the __table__ it sets on each model).
SOURCE_TABLE: Table = SQLModel.metadata.tables["source"]
CLAIM_TABLE: Table = SQLModel.metadata.tables["claim"]
FLAG_TABLE: Table = SQLModel.metadata.tables["flag"]

_Select = TypeVar("_Select", bound="Select[Unpack[tuple[Any, ...]]]")
Review = tuple[str | None, str | None]  # (reviewer, ISO time) of an item's latest decision


class _SourceFields(TypedDict):
    id: int
    path: str
    title: str | None
    author: str | None
    publisher: str | None
    outlet: str | None
    url: str | None
    published: str | None
    published_evidence: str | None
    accessed: str | None
    type: str | None
    format: str
    sha256: str
    sections: int
    turns: int


class ExportSource(_SourceFields, total=False):
    """A source as read for an export: its metadata and shape, and its text unless it was left out."""

    text: str


class CitedSource(ExportSource):
    """A cited source in an export (never with its text), numbered in reference-list order, with its CSL type, its
    BibTeX key and its reference-list entry."""

    number: int
    csl_type: str
    key: str
    reference: str


class SourceText(TypedDict):
    """The source a streamed export's claims are in at the moment."""

    id: int
    path: str
    text: str


class _ClaimFields(TypedDict):

    id: int
    kind: str
    source_id: int
    start: int
    end: int
    text: str
    excerpt_start: int
    excerpt_end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    qualifier: str | None
    date_precision: str | None
    subject: str | None
    status: str
    note: str | None
    fingerprint: str
    reviewer: str | None
    decided_at: str | None
    source: str
    excerpt: str
    date: str | None
    date_end: str | None
    relative: bool
    relative_to: str | None
    speaker: str | None
    speaker_kind: str | None
    speaker_role: str | None
    quote_text: str | None
    details: dict[str, Any]
    section: int | None
    section_date: str | None
    paragraph: int | None
    line: int | None
    value_label: str


class ExportClaim(_ClaimFields, total=False):
    """One exported claim: its columns, excerpt, value label, speaker, location and last reviewer (keys in
    this order; a flag member's role, then the source's number, are added after)."""

    role: str | None  # flag members only
    source_number: int | None  # set once the sources are numbered


class _MemberFields(TypedDict):
    id: int
    role: str | None
    source_id: int


class MemberRef(_MemberFields, total=False):
    """A flag member of a streamed export: the claim's id, its role and its source."""

    source_number: int | None  # set once the sources are numbered


class _FlagFields(TypedDict):
    id: int
    type: str
    subject: str | None
    summary: str | None
    score: float
    status: str
    note: str | None
    explanation: str | None
    details: dict[str, Any]
    correct_claim_id: int | None
    reviewer: str | None
    decided_at: str | None


class ExportFlag(_FlagFields):
    """One exported flag with its member claims (keys in the order id ... correct_claim_id, members, reviewer,
    decided_at)."""

    members: list[ExportClaim]


class StreamFlag(_FlagFields):
    """One flag of a streamed export, its members as references (MemberRef)."""

    members: list[MemberRef]


@dataclass
class ExportFilter:
    """What goes into an export: claim statuses (default: reviewed ones), kinds, sources, grouping."""

    statuses: tuple[str, ...] = ()  # claim and/or flag statuses; 'all' = every claim
    kinds: tuple[str, ...] = ()
    source: str | None = None
    group_by: str = "source"

    @property
    def claim_statuses(self) -> tuple[str, ...] | None:
        """Claim statuses asked for; None = no filter; () = the default (everything reviewed)."""
        if "all" in self.statuses:
            return None
        return tuple(s for s in self.statuses if s in CLAIM_STATUSES)

    @property
    def flag_statuses(self) -> tuple[str, ...]:
        """Flag statuses asked for; () = every flag (open ones are listed as open)."""
        return tuple(s for s in self.statuses if s in FLAG_STATUSES)

    def describe(self) -> str:
        """The filters in words."""
        cs = self.claim_statuses
        parts = ["all claims" if cs is None else ("claims with status " + ", ".join(cs) if cs else
                                                   "reviewed claims")]
        if self.kinds:
            parts.append("kind " + ", ".join(self.kinds))
        if self.source:
            parts.append(f"sources matching “{self.source}”")
        if self.flag_statuses:
            parts.append("flags " + ", ".join(self.flag_statuses))
        return "; ".join(parts)


@dataclass
class ExportData:
    """Sources (numbered as cited), claims and flags, with when and how the export was made."""

    sources: list[CitedSource]
    claims: list[ExportClaim]
    flags: list[ExportFlag]
    filters: ExportFilter
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    total_claims: int = 0

    @property
    def source_by_id(self) -> dict[int, CitedSource]:
        """Sources keyed by database id."""
        return {s["id"]: s for s in self.sources}


class TextIndex:
    """Line and paragraph numbers of offsets in one source text (bisect over precomputed starts)."""

    def __init__(self, text: str) -> None:
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        breaks = [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
        self.paragraphs = [0] + breaks if breaks else self.lines

    def line(self, offset: int) -> int:
        """1-based line number of an offset."""
        return bisect.bisect_right(self.lines, offset)

    def paragraph(self, offset: int) -> int:
        """1-based paragraph number of an offset in the whole text."""
        return bisect.bisect_right(self.paragraphs, offset)


def _iso(d: dt.date | None) -> str | None:
    """ISO date (or datetime) string or None."""
    if d is None:
        return None
    if isinstance(d, dt.datetime):
        if d.tzinfo is None:
            d = d.replace(tzinfo=dt.timezone.utc)
        return d.isoformat()
    return d.isoformat()


def _last_decisions(conn: Connection, target: str, by_fingerprint: bool = False,
                    ids: list[int] | None = None) -> dict[int | str, Review]:
    """For each item of a target kind (or only those ids): (reviewer, ISO time) of its latest decision, keyed by
    id or (flags) by fingerprint: matching stores flags with new ids every run (PostgreSQL never reuses an id,
    SQLite may)."""
    out: dict[int | str, Review] = {}
    stmt = select(col(Decision.target_id), col(Decision.fingerprint), col(Decision.reviewer), col(Decision.at)).where(
        col(Decision.target) == target)
    if ids is not None:
        stmt = stmt.where(col(Decision.target_id).in_(ids or [-1]))
    rows = conn.execute(stmt.order_by(col(Decision.at), col(Decision.id)))
    for target_id, fingerprint, reviewer, at in rows:
        out[fingerprint if by_fingerprint and fingerprint else target_id] = (reviewer, _iso(at))
    return out


def _source_dicts(conn: Connection, with_text: bool = True) -> dict[int, ExportSource]:
    """Every source as a dict with its metadata and shape (sections, transcript turns), and its text unless
    with_text is False. A URL that is not a web address (http, https) is left out."""
    n_sections: dict[int, int] = {i: n for i, n in conn.execute(
        select(col(Section.source_id), func.count()).group_by(col(Section.source_id)))}
    turn_counts: dict[int, int] = {i: n for i, n in conn.execute(
        select(col(Claim.source_id), func.count()).where(col(Claim.kind) == "quote")
        .where(CLAIM_TABLE.c.details["turn"].as_boolean().is_(True)).group_by(col(Claim.source_id)))}
    out: dict[int, ExportSource] = {}
    columns = [c for c in SOURCE_TABLE.c if with_text or c.name != "text"]
    for src in conn.execute(select(*columns)).mappings():
        s = dict(src)
        entry: ExportSource = {
            "id": s["id"], "path": s["path"], "title": s.get("title"), "author": s.get("author"),
            "publisher": s.get("publisher"), "outlet": s.get("outlet"), "url": web_url(s.get("url")),
            "published": _iso(s.get("published")), "published_evidence": s.get("published_evidence"),
            "accessed": _iso(s.get("accessed")) or (_iso(s.get("ingested_at")) or "")[:10] or None,
            "type": s.get("source_type"), "format": s["fmt"], "sha256": s["sha256"],  # NOT NULL columns
            "sections": n_sections.get(s["id"], 0), "turns": turn_counts.get(s["id"], 0),
        }
        if with_text:
            entry["text"] = s["text"]
        out[s["id"]] = entry
    return out


def load_export(engine: Engine, filters: ExportFilter | None = None) -> ExportData:
    """Read sources, the claims the filters select (with locations and reviewers) and flags."""
    filters = filters or ExportFilter()
    with engine.connect() as conn:
        sources = _source_dicts(conn)
        wanted_sources = _wanted_sources(sources, filters)
        sections, entities = _sections(conn), _entities(conn)
        claim_reviews = _last_decisions(conn, "claim")
        total: int = conn.execute(select(func.count()).select_from(Claim)).scalar_one()
        stmt = _claim_where(select(CLAIM_TABLE), filters, wanted_sources).order_by(
            col(Claim.source_id), col(Claim.start), col(Claim.id))  # rows, not ORM objects
        indexes: dict[int, TextIndex] = {}

        def shape(c: Row[Any]) -> ExportClaim:
            src = sources[c.source_id]
            if c.source_id not in indexes:
                indexes[c.source_id] = TextIndex(src["text"])
            return _claim_export(c, src, indexes[c.source_id], sections, entities, claim_reviews)

        claims = [shape(c) for c in conn.execute(stmt)]
        flags = _flag_rows(conn, filters)
        member_rows = conn.execute(_member_query(filters, col(FlagMember.flag_id).label("member_flag_id"),
                                                 col(FlagMember.role).label("member_role"), *CLAIM_TABLE.c)).all()
        flag_reviews = _last_decisions(conn, "flag", by_fingerprint=True)
    members: dict[int, list[ExportClaim]] = {}
    for c in member_rows:
        item = shape(c)
        item["role"] = c.member_role
        members.setdefault(c.member_flag_id, []).append(item)
    flag_list = _flag_list(flags, members, filters, wanted_sources, flag_reviews)
    return ExportData(_number_sources(sources, claims, flag_list), claims, flag_list, filters, total_claims=total)


def _wanted_sources(sources: Mapping[int, ExportSource], filters: ExportFilter) -> set[int]:
    """Ids of the sources the --source filter selects (every source without one)."""
    if not filters.source:
        return set(sources)
    return {i for i, s in sources.items() if filters.source == s["path"] or filters.source in s["path"]}


Section_ = tuple[int | None, dt.date | None, int]  # a section's ordinal, date and start offset
Entity_ = tuple[str | None, str | None, str | None]  # an entity's name, kind and role


def _sections(conn: Connection) -> dict[int, Section_]:
    """Every section: id -> (ordinal, date, start offset)."""
    return {row_id(sid): (o, d, s) for sid, o, d, s in conn.execute(
        select(col(Section.id), col(Section.ordinal), col(Section.dated), col(Section.start)))}


def _entities(conn: Connection) -> dict[int, Entity_]:
    """Every entity: id -> (name, kind, role)."""
    return {row_id(eid): (n, k, r) for eid, n, k, r in conn.execute(
        select(col(Entity.id), col(Entity.name), col(Entity.kind), col(Entity.role)))}


def _claim_where(stmt: _Select, filters: ExportFilter, wanted_sources: set[int]) -> _Select:
    """A select over claims narrowed to the claims the filters select (statuses, kinds, sources)."""
    cs = filters.claim_statuses
    if cs:
        stmt = stmt.where(col(Claim.status).in_(cs))
    elif cs is not None:
        stmt = stmt.where(col(Claim.status) != "unreviewed")
    if filters.kinds:
        stmt = stmt.where(col(Claim.kind).in_(filters.kinds))
    if filters.source:
        stmt = stmt.where(col(Claim.source_id).in_(wanted_sources or {-1}))
    return stmt


def _flag_rows(conn: Connection, filters: ExportFilter) -> dict[int, Row[Any]]:
    """The flags the filters select (by flag status), by id."""
    stmt = select(FLAG_TABLE)
    if filters.flag_statuses:
        stmt = stmt.where(col(Flag.status).in_(filters.flag_statuses))
    return {f.id: f for f in conn.execute(stmt)}


def _member_query(filters: ExportFilter, *columns: SQLCoreOperations[Any]) -> Select[Unpack[tuple[Any, ...]]]:
    """The members (joined with their claims) of the flags the filters select, in member order."""
    stmt = (select(*columns).join(Claim, col(Claim.id) == col(FlagMember.claim_id))
            .join(Flag, col(Flag.id) == col(FlagMember.flag_id)))
    if filters.flag_statuses:
        stmt = stmt.where(col(Flag.status).in_(filters.flag_statuses))
    return stmt.order_by(col(FlagMember.id))


@overload
def _flag_list(flags: Mapping[int, Row[Any]], members: Mapping[int, list[ExportClaim]], filters: ExportFilter,
               wanted_sources: set[int], flag_reviews: Mapping[int | str, Review]) -> list[ExportFlag]: ...


@overload
def _flag_list(flags: Mapping[int, Row[Any]], members: Mapping[int, list[MemberRef]], filters: ExportFilter,
               wanted_sources: set[int], flag_reviews: Mapping[int | str, Review]) -> list[StreamFlag]: ...


def _flag_list(flags: Mapping[int, Row[Any]], members: Mapping[int, Sequence[ExportClaim | MemberRef]],
               filters: ExportFilter, wanted_sources: set[int],
               flag_reviews: Mapping[int | str, Review]) -> list[ExportFlag] | list[StreamFlag]:
    """Flags as dicts with their members (those touching a wanted source), in queue order: ExportFlag with
    whole member claims, StreamFlag with member references."""
    flag_list: list[Any] = []  # ExportFlag or StreamFlag, as the members are (see the overloads)
    for f in flags.values():
        ms = members.get(f.id, [])
        if filters.source and not any(m["source_id"] in wanted_sources for m in ms):
            continue
        correct = ((f.details or {}).get("correct") or {}).get("claim_id")
        reviewer, decided_at = flag_reviews.get(f.fingerprint, (None, None))
        flag_list.append({"id": f.id, "type": f.type, "subject": f.subject, "summary": f.summary,
                          "score": f.score, "status": f.status, "note": f.note, "explanation": f.explanation,
                          "details": f.details or {}, "correct_claim_id": correct, "members": ms,
                          "reviewer": reviewer, "decided_at": decided_at})
    flag_list.sort(key=lambda f: (FLAG_ORDER.get(f["type"], 9), -f["score"], f["id"]))
    return flag_list


# --- streamed exports (json, csv): claims read in batches, memory flat in the number of claims -------------


@dataclass
class ExportStream:
    """ExportData whose claims are an iterator (one pass, read from the database in batches while it runs) and
    whose flag members are light: {"id", "role", "source_id", "source_number"}."""

    sources: list[CitedSource]
    claims: Iterator[ExportClaim]
    flags: list[StreamFlag]
    filters: ExportFilter
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    total_claims: int = 0


@contextmanager
def stream_export(engine: Engine, filters: ExportFilter | None = None) -> Iterator[ExportStream]:
    """What load_export reads, with the claims streamed: sources (without their texts) and flags are read first,
    in one read snapshot, then the claims come BATCH at a time (each source's text read when its claims begin)."""
    filters = filters or ExportFilter()
    with engine.connect() as raw:
        conn = read_snapshot(raw)
        sources = _source_dicts(conn, with_text=False)
        wanted = _wanted_sources(sources, filters)
        total: int = conn.execute(select(func.count()).select_from(Claim)).scalar_one()
        members: dict[int, list[MemberRef]] = {}
        for flag_id, role, claim_id, source_id in conn.execute(
                _member_query(filters, col(FlagMember.flag_id), col(FlagMember.role), col(Claim.id),
                              col(Claim.source_id))):
            members.setdefault(flag_id, []).append({"id": claim_id, "role": role, "source_id": source_id})
        flags = _flag_list(_flag_rows(conn, filters), members, filters, wanted,
                           _last_decisions(conn, "flag", by_fingerprint=True))
        cited = set(conn.execute(_claim_where(select(col(Claim.source_id)).distinct(), filters, wanted)).scalars())
        numbered = _numbered(sources, cited | {m["source_id"] for f in flags for m in f["members"]})
        numbers = {s["id"]: s["number"] for s in numbered}
        for f in flags:
            for m in f["members"]:
                m["source_number"] = numbers.get(m["source_id"])
        claims = _stream_claims(conn, filters, wanted, numbers)
        try:
            yield ExportStream(numbered, claims, flags, filters, total_claims=total)
        finally:
            claims.close()
            raw.rollback()


def _stream_claims(conn: Connection, filters: ExportFilter, wanted: set[int],
                   numbers: dict[int, int]) -> Generator[ExportClaim, None, None]:
    """The selected claims shaped as in load_export (with source_number), read BATCH rows at a time."""
    sections, entities = _sections(conn), _entities(conn)
    stmt = _claim_where(select(CLAIM_TABLE), filters, wanted).order_by(col(Claim.source_id), col(Claim.start),
                                                                        col(Claim.id))
    src: SourceText | None = None
    index: TextIndex | None = None
    for batch in conn.execute(stmt.execution_options(yield_per=BATCH)).partitions():
        reviews = _last_decisions(conn, "claim", ids=[row.id for row in batch])
        for row in batch:
            if src is None or src["id"] != row.source_id:  # claims come source by source: one text at a time
                text = conn.execute(select(col(Source.path), col(Source.text))
                                    .where(col(Source.id) == row.source_id)).one()
                src = {"id": row.source_id, "path": text.path, "text": text.text}
                index = TextIndex(src["text"])
            assert index is not None  # made with src
            item = _claim_export(row, src, index, sections, entities, reviews)
            item["source_number"] = numbers.get(row.source_id)
            yield item


def _claim_export(row: Row[Any], src: ExportSource | SourceText, index: TextIndex, sections: Mapping[int, Section_],
                  entities: Mapping[int, Entity_], reviews: Mapping[int | str, Review]) -> ExportClaim:
    """One claim with its excerpt, value label, speaker, location and last reviewer."""
    c = row._mapping
    start: int = c["start"]
    ordinal, dated, sec_start = sections.get(c["section_id"], (None, None, 0))
    speaker = entities.get(c["speaker_entity_id"]) or (None, None, None)
    reviewer, decided_at = reviews.get(c["id"], (None, None))
    item: ExportClaim = {
        "id": c["id"], "kind": c["kind"], "source_id": c["source_id"], "start": start, "end": c["end"],
        "text": c["text"], "excerpt_start": c["excerpt_start"], "excerpt_end": c["excerpt_end"], "value": c["value"],
        "low": c["low"], "high": c["high"], "unit": c["unit"], "qualifier": c["qualifier"],
        "date_precision": c["date_precision"], "subject": c["subject"], "status": c["status"], "note": c["note"],
        "fingerprint": c["fingerprint"], "reviewer": reviewer, "decided_at": decided_at,
        "source": src["path"], "excerpt": src["text"][c["excerpt_start"]:c["excerpt_end"]],
        "date": _iso(c["date"]), "date_end": _iso(c["date_end"]), "relative": bool(c["relative"]),
        "relative_to": _iso(c["relative_to"]), "speaker": speaker[0], "speaker_kind": speaker[1],
        "speaker_role": speaker[2], "quote_text": c["quote_text"] or (c["text"] if c["kind"] == "quote" else None),
        "details": c["details"] or {}, "section": (ordinal + 1) if ordinal is not None else None,
        "section_date": _iso(dated), "paragraph": index.paragraph(start) - index.paragraph(sec_start) + 1,
        "line": index.line(start),
        "value_label": "",  # set below, from the claim as it is then
    }
    if item["status"] == "orphaned":  # no longer in the source's current text: where it was instead
        snap = item["details"].get("orphaned") or {}
        item.update({"excerpt": snap.get("excerpt", ""), "excerpt_start": snap.get("excerpt_start", 0),
                     "start": snap.get("start", 0), "end": snap.get("end", 0), "paragraph": None, "line": None,
                     "section": None, "section_date": None})
    item["value_label"] = value_with_unit(item)
    return item


def location_label(c: ExportClaim) -> str:
    """'section 2 (16 June 2017), paragraph 4, line 57'."""
    if c.get("line") is None:
        return "no longer in the current version of the source"
    parts = []
    if c.get("section"):
        dated = f" ({long_date(c['section_date'])})" if c.get("section_date") else ""
        parts.append(f"section {c['section']}" + dated)
    parts.append(f"paragraph {c['paragraph']}")
    parts.append(f"line {c['line']}")
    return ", ".join(parts)


def _number_sources(sources: dict[int, ExportSource], claims: list[ExportClaim],
                    flags: list[ExportFlag]) -> list[CitedSource]:
    """The cited sources in reference-list order (creator, year, title), numbered 1..n, with keys and types."""
    cited = {c["source_id"] for c in claims} | {m["source_id"] for f in flags for m in f["members"]}
    out = _numbered(sources, cited)
    numbers = {s["id"]: s["number"] for s in out}
    for c in claims:
        c["source_number"] = numbers.get(c["source_id"])
    for f in flags:
        for m in f["members"]:
            m["source_number"] = numbers.get(m["source_id"])
    return out


def _numbered(sources: dict[int, ExportSource], cited: set[int]) -> list[CitedSource]:
    """The cited sources in reference-list order, numbered 1..n, with keys, types and reference texts."""
    chosen = [s for i, s in sources.items() if i in cited]
    chosen.sort(key=sort_key)
    taken: set[str] = set()
    out: list[CitedSource] = []
    for n, s in enumerate(chosen, 1):
        meta = s.copy()
        meta.pop("text", None)  # the rest in the same order
        out.append({**meta, "number": n, "csl_type": csl_type(meta), "key": bibtex_key(meta, taken),
                    "reference": reference_text(meta)})
    return out
