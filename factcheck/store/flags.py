"""Reads of flags: the member join, `flags --json`, the review queue and a flag's detail, the exports' flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, overload

from sqlalchemy import Case, Select, Table, case, func, or_, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.sql.elements import SQLCoreOperations, UnaryExpression
from sqlmodel import Session, SQLModel, col

from factcheck.labels import value_with_unit
from factcheck.models import Claim, Entity, Flag, FlagMember, Section, Source
from factcheck.store.claims import PAGE, ClaimDict, ExportClaim, Review, claim_dict
from factcheck.store.common import iso, row_id
from factcheck.vocabulary import FLAG_ORDER, FLAG_QUEUE_TYPES, OPEN, ORPHANED, UNKNOWN_FLAG_RANK, FlagType

if TYPE_CHECKING:
    from typing import Unpack

    _MemberRow = Row[int, str | None, Claim, str, dt.date | None, Entity | None, str | None, str | None,
                     dt.date | None, int | None, str | None]  # a row of member_rows

FLAG_TABLE: Table = SQLModel.metadata.tables["flag"]  # sqlmodel's stubs do not declare a model's __table__


# ---------------------------------------------------------------- shapes

class FlagMemberDict(ClaimDict):
    """A member claim of a flag in `flags --json`: the claim, then its id again, its role and the name spans."""

    claim_id: int
    role: str | None
    mention_spans: list[list[int]]


class FlagDict(TypedDict):
    """One flag as `flags --json` gives it (keys in this order)."""

    id: int
    type: str
    subject: str | None
    summary: str | None
    score: float
    status: str
    members: list[FlagMemberDict]
    explanation: str | None
    note: str | None
    details: dict[str, Any]
    version: int


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


# ---------------------------------------------------------------- members

def correct_claim_id(details: Mapping[str, Any] | None) -> int | None:
    """The member a reviewer marked as the right one (conflicts), if any."""
    correct: int | None = ((details or {}).get("correct") or {}).get("claim_id")
    return correct


def mention_spans(flag_details: Mapping[str, Any] | None, c: Claim) -> list[list[int]]:
    """Where the names an alias flag lists are written in one member claim's excerpt (offsets in the excerpt)."""
    if c.status == ORPHANED:
        return []  # its excerpt is a snapshot: the source's offsets no longer apply
    spans = {(m["start"] - c.excerpt_start, m["end"] - c.excerpt_start)
             for m in (flag_details or {}).get("mentions") or ()
             if m.get("source_id") == c.source_id and c.excerpt_start <= m["start"] and m["end"] <= c.excerpt_end}
    return [list(s) for s in sorted(spans)]


def member_rows(session: Session, flag_ids: list[int]) -> Sequence[_MemberRow]:
    """Member claims of flags with their source (path, location, title, date), section (date, ordinal, heading)
    and speaker, in member order."""
    return session.execute(
        select(col(FlagMember.flag_id), col(FlagMember.role), Claim, col(Source.path), col(Section.dated), Entity,
               col(Source.location), col(Source.title), col(Source.published), col(Section.ordinal),
               col(Section.heading))
        .join(Claim, col(Claim.id) == col(FlagMember.claim_id))
        .join(Source, col(Source.id) == col(Claim.source_id))
        .outerjoin(Section, col(Section.id) == col(Claim.section_id))
        .outerjoin(Entity, col(Entity.id) == col(Claim.speaker_entity_id))
        .where(col(FlagMember.flag_id).in_(flag_ids or [-1]))
        .order_by(col(FlagMember.id))
    ).all()


def _excerpt(session: Session, claim: Claim) -> str:
    """The claim's excerpt as its source's text holds it now."""
    text: str = session.execute(
        select(func.substr(col(Source.text), claim.excerpt_start + 1, claim.excerpt_end - claim.excerpt_start))
        .where(col(Source.id) == claim.source_id)).scalar_one()
    return text


# ---------------------------------------------------------------- `flags --json`

def list_flags(engine: Engine, type_: str | None = None, *, types: Sequence[str] = (),
               statuses: Sequence[str] = (), limit: int | None = None, offset: int = 0) -> list[FlagDict]:
    """Flags with their member claims (the `flags --json` shape) in the queue's order (queue_order); filtered by
    type (type_ or any of types) and status, limit/offset a page of them (in SQL)."""
    with Session(engine) as session:
        stmt = select(Flag).order_by(*queue_order())
        wanted = (*((type_,) if type_ else ()), *types)
        if wanted:
            stmt = stmt.where(col(Flag.type).in_(wanted))
        if statuses:
            stmt = stmt.where(col(Flag.status).in_(statuses))
        if offset:
            stmt = stmt.offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        flags = list(session.execute(stmt).scalars())
        texts: dict[int, str] = {}  # each member's source text, read once
        by_flag: dict[int, list[FlagMemberDict]] = {}
        details_of = {f.id: f.details for f in flags}
        for flag_id, role, claim, path, dated, entity, location, *_ in member_rows(session,
                                                                                   [row_id(f.id) for f in flags]):
            if claim.source_id not in texts:
                texts[claim.source_id] = session.execute(select(col(Source.text))
                                                         .where(col(Source.id) == claim.source_id)).scalar_one()
            excerpt = texts[claim.source_id][claim.excerpt_start:claim.excerpt_end]
            item: FlagMemberDict = {**claim_dict(claim, path, excerpt, dated, entity, location),
                                    "claim_id": row_id(claim.id), "role": role,
                                    "mention_spans": mention_spans(details_of[flag_id], claim)}
            by_flag.setdefault(flag_id, []).append(item)
    return [{"id": row_id(f.id), "type": f.type, "subject": f.subject, "summary": f.summary, "score": f.score,
             "status": f.status, "members": by_flag.get(row_id(f.id), []), "explanation": f.explanation,
             "note": f.note, "details": f.details or {}, "version": f.version} for f in flags]


# ---------------------------------------------------------------- the review queue

SAME_SOURCE_RANK = max(FLAG_ORDER.values()) + 1  # repeats within one source: after every finding across sources


def _flag_rank() -> Case[int]:
    """SQL expression ordering flags by type: conflicts first, repeats and paraphrases last, then repeats within
    one source (details.sources <= 1: a figure restated in one document), which a reviewer needs least."""
    one_source = case((FLAG_TABLE.c.details["sources"].as_integer() <= 1, SAME_SOURCE_RANK),
                      else_=FLAG_ORDER[FlagType.REPEAT])
    return case((col(Flag.type) == FlagType.REPEAT.value, one_source),
                else_=case(FLAG_ORDER, value=col(Flag.type), else_=UNKNOWN_FLAG_RANK))


def queue_order() -> tuple[Case[int], UnaryExpression[float], UnaryExpression[int | None]]:
    """The ORDER BY of every flag listing (the review queue, `flags`, `show claim`, the exports): by type as
    _flag_rank ranks it, then the highest score first, ties by id."""
    return _flag_rank(), col(Flag.score).desc(), col(Flag.id).asc()


def flag_page(engine: Engine, *, type_: str | None = None, status: str | None = None,
              offset: int = 0, limit: int = PAGE) -> list[FlagRow]:
    """One page of the flag queue: conflicts first by score, then quote variants, arithmetic, aliases, repeats,
    paraphrases, and last repeats within one source."""
    stmt = select(col(Flag.id))
    if type_:
        stmt = stmt.where(col(Flag.type) == type_)
    if status:
        stmt = stmt.where(col(Flag.status) == status)
    stmt = stmt.order_by(*queue_order()).offset(offset).limit(limit)
    with engine.connect() as conn:
        ids = [row_id(r[0]) for r in conn.execute(stmt)]
    by_id = {r["id"]: r for r in flag_rows(engine, ids)}
    return [by_id[i] for i in ids if i in by_id]


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


def flag_counts(engine: Engine) -> FlagCounts:
    """Open and total flags, overall and per type."""
    with engine.connect() as conn:
        rows = conn.execute(select(col(Flag.type), col(Flag.status), func.count())
                            .group_by(col(Flag.type), col(Flag.status))).all()
    out: FlagCounts = {"open": 0, "total": 0, "by_type": {t: {"open": 0, "total": 0} for t in FLAG_QUEUE_TYPES}}
    for type_, status, n in rows:
        per = out["by_type"].setdefault(type_, {"open": 0, "total": 0})
        per["total"] += n
        out["total"] += n
        if status == OPEN:
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


def flag_detail(engine: Engine, flag_id: int) -> FlagDetail | None:
    """One flag with every member statement: source title, date, section, speaker, excerpt and value span."""
    with Session(engine) as session:
        flag = session.get(Flag, flag_id)
        if flag is None:
            return None
        members: list[DetailMember] = []
        for _, role, claim, path, dated, entity, _loc, title, published, ordinal, heading in member_rows(
                session, [flag_id]):
            base = claim_dict(claim, path, _excerpt(session, claim), dated, entity)
            members.append({**base, "claim_id": base["id"], "source_id": claim.source_id, "role": role, "title": title,
                            "published": iso(published),
                            "section": ordinal, "section_heading": heading, "version": claim.version,
                            "highlight": (claim.start - claim.excerpt_start, claim.end - claim.excerpt_start),
                            "mention_spans": mention_spans(flag.details, claim), "value_label": value_with_unit(base)})
        return {"id": row_id(flag.id), "type": flag.type, "subject": flag.subject, "summary": flag.summary,
                "score": flag.score, "status": flag.status, "note": flag.note, "version": flag.version,
                "explanation": flag.explanation, "details": flag.details or {}, "members": members,
                "correct_claim_id": correct_claim_id(flag.details)}


# ---------------------------------------------------------------- the exports' flags

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


def export_flag_rows(conn: Connection, flag_statuses: tuple[str, ...]) -> dict[int, Row[Any]]:
    """The flags with these statuses (every flag without any), by id, in the queue's order (queue_order)."""
    stmt = select(FLAG_TABLE).order_by(*queue_order())
    if flag_statuses:
        stmt = stmt.where(col(Flag.status).in_(flag_statuses))
    return {f.id: f for f in conn.execute(stmt)}


def export_member_query(flag_statuses: tuple[str, ...],
                        *columns: SQLCoreOperations[Any]) -> Select[Unpack[tuple[Any, ...]]]:
    """The members (joined with their claims) of the flags with these statuses (every flag without any), in
    member order."""
    stmt = (select(*columns).join(Claim, col(Claim.id) == col(FlagMember.claim_id))
            .join(Flag, col(Flag.id) == col(FlagMember.flag_id)))
    if flag_statuses:
        stmt = stmt.where(col(Flag.status).in_(flag_statuses))
    return stmt.order_by(col(FlagMember.id))


@overload
def export_flag_list(flags: Mapping[int, Row[Any]], members: Mapping[int, list[ExportClaim]],
                     wanted_sources: set[int] | None, flag_reviews: Mapping[int | str, Review]) -> list[ExportFlag]: ...


@overload
def export_flag_list(flags: Mapping[int, Row[Any]], members: Mapping[int, list[MemberRef]],
                     wanted_sources: set[int] | None, flag_reviews: Mapping[int | str, Review]) -> list[StreamFlag]: ...


def export_flag_list(flags: Mapping[int, Row[Any]], members: Mapping[int, Sequence[ExportClaim | MemberRef]],
                     wanted_sources: set[int] | None,
                     flag_reviews: Mapping[int | str, Review]) -> list[ExportFlag] | list[StreamFlag]:
    """Flags as dicts with their members (only flags with a member in wanted_sources, unless that is None), in
    the order of flags (export_flag_rows: the queue's): ExportFlag with whole member claims, StreamFlag with member
    references."""
    flag_list: list[Any] = []  # ExportFlag or StreamFlag, as the members are (see the overloads)
    for f in flags.values():
        ms = members.get(f.id, [])
        if wanted_sources is not None and not any(m["source_id"] in wanted_sources for m in ms):
            continue
        reviewer, decided_at = flag_reviews.get(f.fingerprint, (None, None))
        flag_list.append({"id": f.id, "type": f.type, "subject": f.subject, "summary": f.summary,
                          "score": f.score, "status": f.status, "note": f.note, "explanation": f.explanation,
                          "details": f.details or {}, "correct_claim_id": correct_claim_id(f.details), "members": ms,
                          "reviewer": reviewer, "decided_at": decided_at})
    return flag_list
