"""Paged read queries for interactive review: flag queue, flag detail, claim pages and source views."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from sqlalchemy import Case, Select, UnaryExpression, case, func, or_, select
from sqlalchemy.engine import Engine, Row
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlmodel import Session, col

from factcheck.labels import value_with_unit
from factcheck.models import Claim, Entity, Flag, FlagMember, Section, Source
from factcheck.queries import FLAG_ORDER, ClaimDict, claim_dict, mention_spans, row_id, source_matches, speaker_ids

if TYPE_CHECKING:
    from typing import Unpack

    _MemberRow = Row[int, str | None, Claim, str, dt.date | None, Entity | None, str | None, dt.date | None,
                     int | None, str | None]  # a row of _member_rows

_Select = TypeVar("_Select", bound="Select[Unpack[tuple[Any, ...]]]")

FLAG_TYPES = tuple(FLAG_ORDER)
CLAIM_KINDS = ("quantity", "date", "quote", "attribution")
CLAIM_SORTS = ("source", "kind", "value", "date", "status", "speaker")
PAGE = 200


# ---------------------------------------------------------------- shapes (the TUI reads these)

class FlagRow(TypedDict):
    """A row of the flag queue."""

    id: int
    type: str
    status: str
    score: float
    subject: str | None
    summary: str | None
    note: str | None
    version: int
    members: int


class OpenTotal(TypedDict):
    """Open and total flags of one kind."""

    open: int
    total: int


class FlagCounts(TypedDict):
    """Open and total flags, overall and per type."""

    open: int
    total: int
    by_type: dict[str, OpenTotal]


class DetailMember(ClaimDict):
    """A member statement of a flag as the flag detail screen shows it: the claim, then where it is."""

    claim_id: int
    source_id: int
    role: str | None
    title: str | None
    published: str | None
    section: int | None
    section_heading: str | None
    version: int
    highlight: tuple[int, int]
    mention_spans: list[list[int]]
    value_label: str


class FlagDetail(TypedDict):
    """One flag with every member statement."""

    id: int
    type: str
    subject: str | None
    summary: str | None
    score: float
    status: str
    note: str | None
    version: int
    explanation: str | None
    details: dict[str, Any]
    members: list[DetailMember]
    correct_claim_id: int | None


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


class SectionSpan(TypedDict):
    """A section of a source: its heading and date, and where it runs."""

    ordinal: int
    heading: str | None
    dated: str | None
    start: int
    end: int


class ClaimSpan(TypedDict):
    """Where a claim is in its source, and its status."""

    id: int
    kind: str
    start: int
    end: int
    status: str


class SourceView(TypedDict):
    """A source's full text with its sections and claim spans."""

    id: int
    source: str
    title: str | None
    published: str | None
    text: str
    sections: list[SectionSpan]
    claims: list[ClaimSpan]


class ClaimExcerpt(TypedDict):
    """A claim's excerpt with the claim's span inside it, for a preview line."""

    id: int
    excerpt: str
    highlight: tuple[int, int]
    subject: str | None
    note: str | None
    speaker: str | None
    source: str


# ---------------------------------------------------------------- flags

def _flag_rank() -> Case[int]:
    """SQL expression ordering flag types: conflicts first, repeats and paraphrases last."""
    return case(FLAG_ORDER, value=col(Flag.type), else_=9)


def flag_page(engine: Engine, *, type_: str | None = None, status: str | None = None,
              offset: int = 0, limit: int = PAGE) -> list[FlagRow]:
    """One page of the flag queue: conflicts first by score, then quote variants, arithmetic, aliases, repeats,
    paraphrases."""
    stmt = select(col(Flag.id))
    if type_:
        stmt = stmt.where(col(Flag.type) == type_)
    if status:
        stmt = stmt.where(col(Flag.status) == status)
    stmt = stmt.order_by(_flag_rank(), col(Flag.score).desc(), col(Flag.id)).offset(offset).limit(limit)
    with engine.connect() as conn:
        ids = [row_id(r[0]) for r in conn.execute(stmt)]
    by_id = {r["id"]: r for r in flag_rows(engine, ids)}
    return [by_id[i] for i in ids if i in by_id]


def flag_counts(engine: Engine) -> FlagCounts:
    """Open and total flags, overall and per type."""
    with engine.connect() as conn:
        rows = conn.execute(select(col(Flag.type), col(Flag.status), func.count())
                            .group_by(col(Flag.type), col(Flag.status))).all()
    out: FlagCounts = {"open": 0, "total": 0, "by_type": {t: {"open": 0, "total": 0} for t in FLAG_TYPES}}
    for type_, status, n in rows:
        per = out["by_type"].setdefault(type_, {"open": 0, "total": 0})
        per["total"] += n
        out["total"] += n
        if status == "open":
            per["open"] += n
            out["open"] += n
    return out


def flag_neighbour(engine: Engine, flag_id: int, step: int, *, type_: str | None = None,
                   status: str | None = None) -> int | None:
    """The id of the flag step places after (or before) flag_id in the queue order, or None."""
    rank = _flag_rank()
    with engine.connect() as conn:
        row = conn.execute(select(rank, col(Flag.score), col(Flag.id)).where(col(Flag.id) == flag_id)).first()
        if row is None:
            return None
        r, score, fid = row
        stmt = select(col(Flag.id))
        if type_:
            stmt = stmt.where(col(Flag.type) == type_)
        if status:
            stmt = stmt.where(col(Flag.status) == status)
        flag_score, flag_id_ = col(Flag.score), col(Flag.id)
        after = or_(rank > r, (rank == r) & (flag_score < score),
                    (rank == r) & (flag_score == score) & (flag_id_ > fid))
        before = or_(rank < r, (rank == r) & (flag_score > score),
                     (rank == r) & (flag_score == score) & (flag_id_ < fid))
        if step > 0:
            stmt = stmt.where(after).order_by(rank, flag_score.desc(), flag_id_)
        else:
            stmt = stmt.where(before).order_by(rank.desc(), flag_score, flag_id_.desc())
        return conn.execute(stmt.limit(1)).scalar()



def _member_rows(session: Session, flag_ids: list[int]) -> Sequence[_MemberRow]:
    """Member claims of flags with their source, section and speaker, in member order."""
    return session.execute(
        select(col(FlagMember.flag_id), col(FlagMember.role), Claim, col(Source.path), col(Section.dated), Entity,
               col(Source.title), col(Source.published), col(Section.ordinal), col(Section.heading))
        .join(Claim, col(Claim.id) == col(FlagMember.claim_id))
        .join(Source, col(Source.id) == col(Claim.source_id))
        .outerjoin(Section, col(Section.id) == col(Claim.section_id))
        .outerjoin(Entity, col(Entity.id) == col(Claim.speaker_entity_id))
        .where(col(FlagMember.flag_id).in_(flag_ids or [-1]))
        .order_by(col(FlagMember.id))
    ).all()


def flag_detail(engine: Engine, flag_id: int) -> FlagDetail | None:
    """One flag with every member statement: source title, date, section, speaker, excerpt and value span."""
    with Session(engine) as session:
        flag = session.get(Flag, flag_id)
        if flag is None:
            return None
        members: list[DetailMember] = []
        for _, role, claim, path, dated, entity, title, published, ordinal, heading in _member_rows(session, [flag_id]):
            text = session.execute(
                select(func.substr(col(Source.text), claim.excerpt_start + 1, claim.excerpt_end - claim.excerpt_start))
                .where(col(Source.id) == claim.source_id)).scalar_one()
            base = claim_dict(claim, path, " " * claim.excerpt_start + text, dated, entity)
            members.append({**base, "claim_id": base["id"], "source_id": claim.source_id, "role": role, "title": title,
                            "published": published.isoformat() if published else None,
                            "section": ordinal, "section_heading": heading, "version": claim.version,
                            "highlight": (claim.start - claim.excerpt_start, claim.end - claim.excerpt_start),
                            "mention_spans": mention_spans(flag.details, claim), "value_label": value_with_unit(base)})
        correct = (flag.details or {}).get("correct") or {}
        return {"id": row_id(flag.id), "type": flag.type, "subject": flag.subject, "summary": flag.summary,
                "score": flag.score, "status": flag.status, "note": flag.note, "version": flag.version,
                "explanation": flag.explanation, "details": flag.details or {}, "members": members,
                "correct_claim_id": correct.get("claim_id")}


# ---------------------------------------------------------------- claims

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


def _iso(d: dt.date | None) -> str | None:
    """ISO string for a date or None."""
    return d.isoformat() if d else None


def _run_rows(engine: Engine, stmt: Select[Unpack[tuple[Any, ...]]]) -> list[ClaimRow]:
    """Execute a claim-table select (the columns of _row_select) and shape each row as a dict with a value
    label."""
    out: list[ClaimRow] = []
    with engine.connect() as conn:
        for r in conn.execute(stmt):
            c: _ClaimRowBase = {
                "id": r[0], "kind": r[1], "value": r[2], "low": r[3], "high": r[4], "unit": r[5], "qualifier": r[6],
                "date": _iso(r[7]), "date_end": _iso(r[8]), "date_precision": r[9], "relative": r[10],
                "relative_to": _iso(r[11]), "status": r[12], "note": r[13], "version": r[14], "text": r[15],
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


# ---------------------------------------------------------------- sources

def source_view(engine: Engine, source_id: int) -> SourceView | None:
    """A source's full text with its sections (dates) and every claim span, for reading in context."""
    with engine.connect() as conn:
        src = conn.execute(select(col(Source.id), col(Source.path), col(Source.title), col(Source.published),
                                  col(Source.text))
                           .where(col(Source.id) == source_id)).first()
        if src is None:
            return None
        sections: list[SectionSpan] = [
            {"ordinal": o, "heading": h, "dated": _iso(d), "start": s, "end": e}
            for o, h, d, s, e in conn.execute(
                select(col(Section.ordinal), col(Section.heading), col(Section.dated), col(Section.start),
                       col(Section.end))
                .where(col(Section.source_id) == source_id).order_by(col(Section.start)))]
        claims: list[ClaimSpan] = [
            {"id": row_id(i), "kind": k, "start": s, "end": e, "status": st}
            for i, k, s, e, st in conn.execute(
                select(col(Claim.id), col(Claim.kind), col(Claim.start), col(Claim.end), col(Claim.status))
                .where(col(Claim.source_id) == source_id, col(Claim.status) != "orphaned")
                .order_by(col(Claim.start), col(Claim.id)))]
    return {"id": row_id(src[0]), "source": src[1], "title": src[2], "published": _iso(src[3]), "text": src[4],
            "sections": sections, "claims": claims}


def flag_rows(engine: Engine, ids: list[int]) -> list[FlagRow]:
    """Queue rows for the given flag ids (to refresh rows after a decision)."""
    with engine.connect() as conn:
        rows = conn.execute(select(col(Flag.id), col(Flag.type), col(Flag.status), col(Flag.score),
                                   col(Flag.subject), col(Flag.summary), col(Flag.note), col(Flag.version))
                            .where(col(Flag.id).in_(ids or [-1]))).all()
        sizes = {flag_id: n for flag_id, n in conn.execute(
            select(col(FlagMember.flag_id), func.count()).where(col(FlagMember.flag_id).in_(ids or [-1]))
            .group_by(col(FlagMember.flag_id)))}
    return [{"id": row_id(r[0]), "type": r[1], "status": r[2], "score": r[3], "subject": r[4], "summary": r[5],
             "note": r[6], "version": r[7], "members": sizes.get(row_id(r[0]), 0)} for r in rows]


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
    if status == "orphaned":  # no longer in the source: show where it was
        snap = (details or {}).get("orphaned") or {}
        excerpt, start, end, es = (snap.get("excerpt", ""), snap.get("start", 0), snap.get("end", 0),
                                   snap.get("excerpt_start", 0))
        note = (note + " · " if note else "") + f"orphaned: no longer in the source (was {snap.get('status')})"
    return {"id": claim_id, "excerpt": excerpt, "highlight": (start - es, end - es), "subject": subject,
            "note": note, "speaker": speaker, "source": path}
