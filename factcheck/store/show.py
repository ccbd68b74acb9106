"""Reads for `factcheck show`: everything about one claim or one flag, as typed rows (dataclasses)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from factcheck.labels import value_with_unit
from factcheck.models import Claim, Entity, Flag, FlagMember, Section, Source
from factcheck.store.common import iso, orphan_snapshot, quote_text_of, row_id
from factcheck.store.flags import correct_claim_id, queue_order
from factcheck.store.log import HistoryEntry, history
from factcheck.vocabulary import ORPHANED


@dataclass(frozen=True)
class Place:
    """Where a claim is: its source, line and column (1-based), offsets and section; an orphaned claim's place
    is where it was when it was last in its source (no line, column or section)."""

    source: str
    source_id: int
    title: str | None
    location: str | None  # the source's file (resolved folder + name)
    start: int
    end: int
    line: int | None
    column: int | None
    section: int | None  # 1-based
    section_heading: str | None
    section_date: str | None
    orphaned: bool


@dataclass(frozen=True)
class FlagRef:
    """A flag a claim is a member of, and the claim's role in it."""

    id: int
    type: str
    status: str
    score: float
    subject: str | None
    summary: str | None
    role: str | None


@dataclass(frozen=True)
class ClaimView:
    """Everything about one claim: its reading, where it is, its review state, its flags and its history
    (newest first). highlight: the claim's span inside excerpt."""

    id: int
    kind: str
    status: str
    text: str
    excerpt: str
    highlight: tuple[int, int]
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    unit_normalised: str | None
    qualifier: str | None
    value_label: str
    date: str | None
    date_end: str | None
    date_precision: str | None
    relative: bool
    relative_to: str | None
    subject: str | None
    speaker: str | None
    speaker_role: str | None
    quote_text: str | None
    note: str | None
    version: int
    fingerprint: str
    was_status: str | None  # an orphaned claim's status before it was orphaned
    place: Place
    flags: list[FlagRef]
    history: list[HistoryEntry]


@dataclass(frozen=True)
class MemberView:
    """One member statement of a flag: the claim's reading, its excerpt and where it is."""

    claim_id: int
    role: str | None
    kind: str
    status: str
    text: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    qualifier: str | None
    value_label: str
    date: str | None
    speaker: str | None
    excerpt: str
    highlight: tuple[int, int]
    version: int
    place: Place


@dataclass(frozen=True)
class FlagView:
    """Everything about one flag: what it found, its review state, its members and its history (newest first)."""

    id: int
    type: str
    status: str
    score: float
    subject: str | None
    summary: str | None
    explanation: str | None
    note: str | None
    version: int
    correct_claim_id: int | None
    details: dict[str, Any]
    members: list[MemberView]
    history: list[HistoryEntry]


def view_dict(view: ClaimView | FlagView) -> dict[str, Any]:
    """A view as plain JSON-ready data (tuples become lists when written)."""
    return dataclasses.asdict(view)


@dataclass(frozen=True)
class _Read:
    """One claim as read with its source, section and speaker."""

    claim: Claim
    path: str
    title: str | None
    location: str | None
    ordinal: int | None
    heading: str | None
    dated: dt.date | None
    speaker: Entity | None
    excerpt: str
    line: int | None
    column: int | None


def _read_claims(session: Session, ids: Sequence[int]) -> dict[int, _Read]:
    """The claims with these ids with their source, section, speaker, excerpt and line/column, by id."""
    rows = session.execute(
        select(Claim, col(Source.path), col(Source.title), col(Source.location), col(Section.ordinal),
               col(Section.heading), col(Section.dated), Entity)
        .join(Source, col(Source.id) == col(Claim.source_id))
        .outerjoin(Section, col(Section.id) == col(Claim.section_id))
        .outerjoin(Entity, col(Entity.id) == col(Claim.speaker_entity_id))
        .where(col(Claim.id).in_(list(ids) or [-1]))).all()
    out: dict[int, _Read] = {}
    for claim, path, title, location, ordinal, heading, dated, entity in rows:
        if claim.status == ORPHANED:  # no longer in the source's text: its snapshot, no line or section
            out[row_id(claim.id)] = _Read(claim, path, title, location, None, None, None, entity,
                                          orphan_snapshot(claim.details)["excerpt"], None, None)
            continue
        before, excerpt = session.execute(  # the text up to the claim (for its line and column), and the excerpt
            select(func.substr(col(Source.text), 1, claim.start),
                   func.substr(col(Source.text), claim.excerpt_start + 1, claim.excerpt_end - claim.excerpt_start))
            .where(col(Source.id) == claim.source_id)).one()
        line = before.count("\n") + 1
        column = claim.start - (before.rfind("\n") + 1) + 1
        out[row_id(claim.id)] = _Read(claim, path, title, location, ordinal, heading, dated, entity, excerpt,
                                      line, column)
    return out


def _place(r: _Read) -> Place:
    """Where a read claim is (an orphaned one: where it was)."""
    c = r.claim
    orphaned = c.status == ORPHANED
    snap = orphan_snapshot(c.details) if orphaned else None
    return Place(source=r.path, source_id=c.source_id, title=r.title, location=r.location,
                 start=snap["start"] if snap else c.start, end=snap["end"] if snap else c.end,
                 line=r.line, column=r.column, section=None if r.ordinal is None else r.ordinal + 1,
                 section_heading=r.heading, section_date=iso(r.dated), orphaned=orphaned)


def _highlight(c: Claim) -> tuple[int, int]:
    """The claim's span inside its excerpt (an orphaned claim's: inside its snapshot)."""
    if c.status == ORPHANED:
        snap = orphan_snapshot(c.details)
        return snap["start"] - snap["excerpt_start"], snap["end"] - snap["excerpt_start"]
    return c.start - c.excerpt_start, c.end - c.excerpt_start


def _label(c: Claim) -> str:
    """The claim's value with its qualifier and unit ('at_most 80 cases'), as the listings show it."""
    return value_with_unit({"kind": c.kind, "value": c.value, "low": c.low, "high": c.high, "unit": c.unit,
                            "qualifier": c.qualifier, "date": iso(c.date), "date_end": iso(c.date_end),
                            "date_precision": c.date_precision, "relative": c.relative,
                            "relative_to": iso(c.relative_to)})


def claim_view(engine: Engine, claim_id: int) -> ClaimView | None:
    """Everything about one claim, or None when there is no such claim."""
    with Session(engine) as session:
        r = _read_claims(session, [claim_id]).get(claim_id)
        if r is None:
            return None
        flags = [FlagRef(id=row_id(f.id), type=f.type, status=f.status, score=f.score, subject=f.subject,
                         summary=f.summary, role=role)
                 for f, role in session.execute(
                     select(Flag, col(FlagMember.role)).join(FlagMember, col(FlagMember.flag_id) == col(Flag.id))
                     .where(col(FlagMember.claim_id) == claim_id)
                     .order_by(*queue_order())).all()]
    c, details = r.claim, r.claim.details or {}
    return ClaimView(
        id=claim_id, kind=c.kind, status=c.status, text=c.text, excerpt=r.excerpt, highlight=_highlight(c),
        value=c.value, low=c.low, high=c.high, unit=c.unit, unit_normalised=details.get("unit_normalised"),
        qualifier=c.qualifier, value_label=_label(c), date=iso(c.date), date_end=iso(c.date_end),
        date_precision=c.date_precision, relative=c.relative, relative_to=iso(c.relative_to), subject=c.subject,
        speaker=r.speaker.name if r.speaker else None, speaker_role=r.speaker.role if r.speaker else None,
        quote_text=quote_text_of(c.kind, c.text, c.quote_text), note=c.note, version=c.version,
        fingerprint=c.fingerprint,
        was_status=orphan_snapshot(details)["status"] if c.status == ORPHANED else None,
        place=_place(r), flags=flags, history=history(engine, "claim", claim_id))


def _member(r: _Read, role: str | None) -> MemberView:
    """One flag member as show flag prints it."""
    c = r.claim
    return MemberView(claim_id=row_id(c.id), role=role, kind=c.kind, status=c.status, text=c.text, value=c.value,
                      low=c.low, high=c.high, unit=c.unit, qualifier=c.qualifier, value_label=_label(c),
                      date=iso(c.date), speaker=r.speaker.name if r.speaker else None, excerpt=r.excerpt,
                      highlight=_highlight(c), version=c.version, place=_place(r))


def flag_view(engine: Engine, flag_id: int) -> FlagView | None:
    """Everything about one flag, or None when there is no such flag."""
    with Session(engine) as session:
        flag = session.get(Flag, flag_id)
        if flag is None:
            return None
        roles = session.execute(select(col(FlagMember.claim_id), col(FlagMember.role))
                                .where(col(FlagMember.flag_id) == flag_id).order_by(col(FlagMember.id))).all()
        reads = _read_claims(session, [cid for cid, _ in roles])
        members = [_member(reads[cid], role) for cid, role in roles if cid in reads]
        return FlagView(id=flag_id, type=flag.type, status=flag.status, score=flag.score, subject=flag.subject,
                        summary=flag.summary, explanation=flag.explanation, note=flag.note, version=flag.version,
                        correct_claim_id=correct_claim_id(flag.details), details=flag.details or {},
                        members=members, history=history(engine, "flag", flag_id))
