"""Reads of claims: the contract shape (`claims --json`), the review app's claim table and previews, and the
exports' claim rows with their locations and last reviewers."""

from __future__ import annotations

import bisect
import datetime as dt
import re
import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from sqlalchemy import Select, UnaryExpression, func, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlmodel import Session, col

from factcheck.labels import value_with_unit
from factcheck.models import Claim, Decision, Entity, Section, Source
from factcheck.store.common import (
    bytewise,
    iso,
    iso_utc,
    orphan_snapshot,
    quote_text_of,
    row_id,
    source_matches,
    speaker_ids,
)
from factcheck.vocabulary import ORPHANED

if TYPE_CHECKING:
    from typing import Unpack

    from factcheck.store.sources import ExportSource, SourceText

_Select = TypeVar("_Select", bound="Select[Unpack[tuple[Any, ...]]]")

CLAIM_SORTS = ("source", "kind", "value", "date", "status", "speaker")
PAGE = 200  # rows of a review table page
CLAIM_BATCH = 1000  # claims read from the database at a time by iter_claims
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
Review = tuple[str | None, str | None]  # (reviewer, ISO time) of an item's latest decision


# ---------------------------------------------------------------- the contract shape (CLI, flag members)

class ClaimDict(TypedDict):
    """The contract shape of one claim (`claims --json`, see DESIGN.md), keys in this order."""

    id: int
    kind: str
    source: str
    start: int
    end: int
    text: str
    excerpt: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    qualifier: str | None
    date: str | None
    speaker: str | None
    subject: str | None
    status: str
    date_end: str | None
    date_precision: str | None
    relative: bool
    relative_to: str | None
    section_id: int | None
    section_date: str | None
    excerpt_start: int
    excerpt_end: int
    note: str | None
    fingerprint: str
    details: dict[str, Any]
    unit_normalised: Any
    speaker_kind: str | None
    speaker_role: str | None
    quote_text: str | None
    location: str | None
    version: int


def claim_dict(c: Claim, source: str, excerpt: str, section_date: dt.date | None = None,
               speaker: Entity | None = None, location: str | None = None) -> ClaimDict:
    """The contract shape of one claim (see DESIGN.md), plus extra fields (location: the source's file).
    excerpt is the source's text from c.excerpt_start to c.excerpt_end (an orphaned claim's snapshot is used
    instead)."""
    return {
        "id": row_id(c.id), "kind": c.kind, "source": source, "start": c.start, "end": c.end, "text": c.text,
        "excerpt": orphan_snapshot(c.details)["excerpt"] if c.status == ORPHANED else excerpt,
        "value": c.value, "low": c.low, "high": c.high,
        "unit": c.unit, "qualifier": c.qualifier, "date": iso(c.date),
        "speaker": speaker.name if speaker else None,
        "subject": c.subject, "status": c.status,
        "date_end": iso(c.date_end), "date_precision": c.date_precision, "relative": c.relative,
        "relative_to": iso(c.relative_to), "section_id": c.section_id, "section_date": iso(section_date),
        "excerpt_start": c.excerpt_start, "excerpt_end": c.excerpt_end, "note": c.note,
        "fingerprint": c.fingerprint, "details": c.details or {},
        "unit_normalised": (c.details or {}).get("unit_normalised"),
        "speaker_kind": speaker.kind if speaker else None, "speaker_role": speaker.role if speaker else None,
        "quote_text": quote_text_of(c.kind, c.text, c.quote_text),
        "location": location, "version": c.version,
    }


def _claims_query(engine: Engine, kind: str | None, source: str | None, speaker: str | None,
                  statuses: Sequence[str] = ()) -> Select[Claim, str, dt.date | None, Entity | None, str | None]:
    """The SELECT of claims (with source path, section date, speaker, location) in source order (ties by id),
    filtered by kind, source, speaker and any of the statuses."""
    stmt = (
        select(Claim, col(Source.path), col(Section.dated), Entity, col(Source.location))
        .join(Source, col(Source.id) == col(Claim.source_id))
        .outerjoin(Section, col(Section.id) == col(Claim.section_id))
        .outerjoin(Entity, col(Entity.id) == col(Claim.speaker_entity_id))
        .order_by(bytewise(engine, col(Source.path)), col(Claim.start), col(Claim.id))
    )
    if speaker:
        stmt = stmt.where(col(Claim.speaker_entity_id).in_(speaker_ids(engine, speaker) or {-1}))
    if kind:
        stmt = stmt.where(col(Claim.kind) == kind)
    if source:
        stmt = stmt.where(source_matches(source))
    if statuses:
        stmt = stmt.where(col(Claim.status).in_(statuses))
    return stmt


def iter_claims(engine: Engine, kind: str | None = None, source: str | None = None,
                speaker: str | None = None, batch: int = CLAIM_BATCH, *, statuses: Sequence[str] = (),
                limit: int | None = None, offset: int = 0) -> Iterator[ClaimDict]:
    """list_claims one claim at a time, read `batch` rows at once: memory stays flat however many there are.
    statuses: only claims with one of them; limit/offset: a page of the filtered claims (SQL LIMIT/OFFSET over
    the source order, which ends with the id, so pages never overlap)."""
    stmt = _claims_query(engine, kind, source, speaker, statuses)
    if offset:
        stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    stmt = stmt.execution_options(yield_per=batch)
    path, text = None, ""  # claims come grouped by source: only the current source's text is held
    with Session(engine) as session:
        for claim, claim_path, section_date, entity, location in session.execute(stmt):
            if claim_path != path:
                path = claim_path
                text = session.execute(select(col(Source.text))
                                       .where(col(Source.id) == claim.source_id)).scalar_one()
            yield claim_dict(claim, claim_path, text[claim.excerpt_start:claim.excerpt_end], section_date, entity,
                             location)


def list_claims(engine: Engine, kind: str | None = None, source: str | None = None,
                speaker: str | None = None) -> list[ClaimDict]:
    """Claims in source order, filtered by kind, source path (exact or substring) and speaker (fuzzy)."""
    return list(iter_claims(engine, kind, source, speaker))


# ---------------------------------------------------------------- the review app's claim table

class _ClaimRowBase(TypedDict):
    id: int
    kind: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    qualifier: str | None
    date: str | None
    date_end: str | None
    date_precision: str | None
    relative: bool
    relative_to: str | None
    status: str
    note: str | None
    version: int
    text: str
    subject: str | None
    source: str
    speaker: str | None
    source_id: int
    start: int
    end: int


class ClaimRow(_ClaimRowBase):
    """A row of the claims table (and of a source's claim list)."""

    value_label: str


class ClaimExcerpt(TypedDict):
    """A claim's excerpt with the claim's span inside it, for a preview line."""

    id: int
    excerpt: str
    highlight: tuple[int, int]
    subject: str | None
    note: str | None
    speaker: str | None
    source: str


@dataclass(frozen=True)
class ClaimQuery:
    """What the claims table shows: filters, free-text search and sort order."""

    kind: str | None = None
    status: str | None = None
    source: str | None = None
    speaker: str | None = None
    text: str = ""
    sort: str = "source"
    descending: bool = False
    speaker_ids: frozenset[int] | None = field(default=None, compare=False)

    def describe(self) -> str:
        """The filters in words, e.g. 'kind:quote status:disputed “caseload”'."""
        parts = [f"{k}:{v}" for k, v in (("kind", self.kind), ("status", self.status), ("source", self.source),
                                          ("speaker", self.speaker)) if v]
        if self.text:
            parts.append(f"“{self.text}”")
        return " ".join(parts) or "all claims"


FILTER_KEYS = ("kind", "status", "source", "speaker")


def parse_search(line: str, base: ClaimQuery | None = None) -> ClaimQuery:
    """Read a search line: `kind:quote speaker:"Dame Glenys" caseload` → filters plus free text."""
    base = base or ClaimQuery()
    try:
        tokens = shlex.split(line)
    except ValueError:  # an unbalanced quote while typing
        tokens = line.replace('"', " ").split()
    found: dict[str, str | None] = {k: None for k in FILTER_KEYS}
    words = []
    for tok in tokens:
        key, sep, val = tok.partition(":")
        if sep and key.lower() in FILTER_KEYS and val:
            found[key.lower()] = val
        else:
            words.append(tok)
    return replace(base, text=" ".join(words), speaker_ids=None, kind=found["kind"], status=found["status"],
                   source=found["source"], speaker=found["speaker"])


def resolve_speakers(engine: Engine, q: ClaimQuery) -> ClaimQuery:
    """The query with its fuzzy speaker name turned into entity ids (done once per query)."""
    if q.speaker and q.speaker_ids is None:
        return replace(q, speaker_ids=frozenset(speaker_ids(engine, q.speaker)))
    return q


def _claim_filters(stmt: _Select, q: ClaimQuery) -> _Select:
    """Apply a ClaimQuery's filters to a select over Claim (joined to Source)."""
    if q.kind:
        stmt = stmt.where(col(Claim.kind) == q.kind)
    if q.status:
        stmt = stmt.where(col(Claim.status) == q.status)
    if q.source:
        stmt = stmt.where(source_matches(q.source))
    if q.speaker:
        stmt = stmt.where(col(Claim.speaker_entity_id).in_(q.speaker_ids or {-1}))
    for word in q.text.split():  # % and _ are literal: autoescape, as source names are
        stmt = stmt.where(col(Claim.text).icontains(word, autoescape=True)
                          | col(Claim.subject).icontains(word, autoescape=True)
                          | col(Entity.name).icontains(word, autoescape=True))
    return stmt


_OrderBy = SQLCoreOperations[Any] | UnaryExpression[Any]


def _claim_order(q: ClaimQuery) -> list[_OrderBy]:
    """ORDER BY columns for a sort name; source order breaks ties."""
    base: list[SQLCoreOperations[Any]] = [col(Claim.source_id), col(Claim.start), col(Claim.id)]
    by: dict[str, SQLCoreOperations[Any]] = {
        "kind": col(Claim.kind), "value": func.coalesce(col(Claim.value), col(Claim.low)), "date": col(Claim.date),
        "status": col(Claim.status), "speaker": col(Entity.name)}
    sort = by.get(q.sort)
    if sort is None:
        return [c.desc() for c in base] if q.descending else list(base)
    return [sort.desc() if q.descending else sort, *base]


def _row_select() -> Select[Unpack[tuple[Any, ...]]]:
    """SELECT of the claim-table columns, joined to source and speaker."""
    return (select(col(Claim.id), col(Claim.kind), col(Claim.value), col(Claim.low), col(Claim.high),
                   col(Claim.unit), col(Claim.qualifier), col(Claim.date), col(Claim.date_end),
                   col(Claim.date_precision), col(Claim.relative), col(Claim.relative_to), col(Claim.status),
                   col(Claim.note), col(Claim.version), col(Claim.text), col(Claim.subject), col(Source.path),
                   col(Entity.name), col(Claim.source_id), col(Claim.start), col(Claim.end))
            .join(Source, col(Source.id) == col(Claim.source_id))
            .outerjoin(Entity, col(Entity.id) == col(Claim.speaker_entity_id)))


def _run_rows(engine: Engine, stmt: Select[Unpack[tuple[Any, ...]]]) -> list[ClaimRow]:
    """Execute a claim-table select (the columns of _row_select) and shape each row as a dict with a value
    label."""
    out: list[ClaimRow] = []
    with engine.connect() as conn:
        for r in conn.execute(stmt):
            c: _ClaimRowBase = {
                "id": r[0], "kind": r[1], "value": r[2], "low": r[3], "high": r[4], "unit": r[5], "qualifier": r[6],
                "date": iso(r[7]), "date_end": iso(r[8]), "date_precision": r[9], "relative": r[10],
                "relative_to": iso(r[11]), "status": r[12], "note": r[13], "version": r[14], "text": r[15],
                "subject": r[16], "source": r[17], "speaker": r[18], "source_id": r[19], "start": r[20], "end": r[21]}
            out.append({**c, "value_label": value_with_unit(c)})
    return out


def claim_page(engine: Engine, q: ClaimQuery, *, offset: int = 0, limit: int = PAGE) -> list[ClaimRow]:
    """One page of claims for the table: id, kind, value, speaker, status, source, text."""
    q = resolve_speakers(engine, q)
    return _run_rows(engine, _claim_filters(_row_select(), q).order_by(*_claim_order(q)).offset(offset).limit(limit))


def claim_rows(engine: Engine, ids: list[int]) -> list[ClaimRow]:
    """Table rows for the given claim ids (to refresh rows after a decision)."""
    return _run_rows(engine, _row_select().where(col(Claim.id).in_(ids or [-1])))


def count_claims(engine: Engine, q: ClaimQuery) -> int:
    """How many claims a query matches."""
    q = resolve_speakers(engine, q)
    stmt = select(func.count()).select_from(Claim)
    if q.source:
        stmt = stmt.join(Source, col(Source.id) == col(Claim.source_id))
    if q.text:
        stmt = stmt.outerjoin(Entity, col(Entity.id) == col(Claim.speaker_entity_id))
    with engine.connect() as conn:
        n: int = conn.execute(_claim_filters(stmt, q)).scalar_one()
        return n


def claim_excerpt(engine: Engine, claim_id: int) -> ClaimExcerpt | None:
    """A claim's excerpt with the claim's span inside it, its subject and note (for a preview line)."""
    with engine.connect() as conn:
        row = conn.execute(select(col(Claim.start), col(Claim.end), col(Claim.excerpt_start), col(Claim.excerpt_end),
                                  col(Claim.subject), col(Claim.note), col(Claim.source_id), col(Entity.name),
                                  col(Claim.status), col(Claim.details))
                           .outerjoin(Entity, col(Entity.id) == col(Claim.speaker_entity_id))
                           .where(col(Claim.id) == claim_id)).first()
        if row is None:
            return None
        start, end, es, ee, subject, note, sid, speaker, status, details = row
        excerpt, path = conn.execute(select(func.substr(col(Source.text), es + 1, ee - es), col(Source.path))
                                     .where(col(Source.id) == sid)).one()
    if status == ORPHANED:  # no longer in the source: show where it was
        snap = orphan_snapshot(details)
        excerpt, start, end, es = snap["excerpt"], snap["start"], snap["end"], snap["excerpt_start"]
        note = (note + " · " if note else "") + f"orphaned: no longer in the source (was {snap['status']})"
    return {"id": claim_id, "excerpt": excerpt, "highlight": (start - es, end - es), "subject": subject,
            "note": note, "speaker": speaker, "source": path}


# ---------------------------------------------------------------- the exports' claim rows

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


Section_ = tuple[int | None, dt.date | None, int]  # a section's ordinal, date and start offset
Entity_ = tuple[str | None, str | None, str | None]  # an entity's name, kind and role


def sections_by_id(conn: Connection) -> dict[int, Section_]:
    """Every section: id -> (ordinal, date, start offset)."""
    return {row_id(sid): (o, d, s) for sid, o, d, s in conn.execute(
        select(col(Section.id), col(Section.ordinal), col(Section.dated), col(Section.start)))}


def entities_by_id(conn: Connection) -> dict[int, Entity_]:
    """Every entity: id -> (name, kind, role)."""
    return {row_id(eid): (n, k, r) for eid, n, k, r in conn.execute(
        select(col(Entity.id), col(Entity.name), col(Entity.kind), col(Entity.role)))}


def last_decisions(conn: Connection, target: str, by_fingerprint: bool = False,
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
        out[fingerprint if by_fingerprint and fingerprint else target_id] = (reviewer, iso_utc(at))
    return out


def export_claim(row: Row[Any], src: ExportSource | SourceText, index: TextIndex, sections: Mapping[int, Section_],
                 entities: Mapping[int, Entity_], reviews: Mapping[int | str, Review]) -> ExportClaim:
    """One claim (a row of the claim table) with its excerpt, value label, speaker, location and last reviewer."""
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
        "date": iso_utc(c["date"]), "date_end": iso_utc(c["date_end"]), "relative": bool(c["relative"]),
        "relative_to": iso_utc(c["relative_to"]), "speaker": speaker[0], "speaker_kind": speaker[1],
        "speaker_role": speaker[2],
        "quote_text": quote_text_of(c["kind"], c["text"], c["quote_text"]),
        "details": c["details"] or {}, "section": (ordinal + 1) if ordinal is not None else None,
        "section_date": iso_utc(dated), "paragraph": index.paragraph(start) - index.paragraph(sec_start) + 1,
        "line": index.line(start),
        "value_label": "",  # set below, from the claim as it is then
    }
    if item["status"] == ORPHANED:  # no longer in the source's current text: where it was instead
        snap = orphan_snapshot(item["details"])
        item.update({"excerpt": snap["excerpt"], "excerpt_start": snap["excerpt_start"],
                     "start": snap["start"], "end": snap["end"], "paragraph": None, "line": None,
                     "section": None, "section_date": None})
    item["value_label"] = value_with_unit(item)
    return item
