"""Paged read queries for interactive review: flag queue, flag detail, claim pages and source views."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace

from sqlalchemy import case, func, or_, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from factcheck.labels import value_with_unit
from factcheck.models import Claim, Entity, Flag, FlagMember, Section, Source
from factcheck.queries import FLAG_ORDER, claim_dict, mention_spans, source_matches, speaker_ids

FLAG_TYPES = tuple(FLAG_ORDER)
CLAIM_KINDS = ("quantity", "date", "quote", "attribution")
CLAIM_SORTS = ("source", "kind", "value", "date", "status", "speaker")
PAGE = 200


# ---------------------------------------------------------------- flags

def _flag_rank():
    """SQL expression ordering flag types: conflicts first, repeats and paraphrases last."""
    return case(FLAG_ORDER, value=Flag.type, else_=9)


def flag_page(engine: Engine, *, type_: str | None = None, status: str | None = None,
              offset: int = 0, limit: int = PAGE) -> list[dict]:
    """One page of the flag queue: conflicts first by score, then quote variants, arithmetic, aliases, repeats,
    paraphrases."""
    stmt = select(Flag.id)
    if type_:
        stmt = stmt.where(Flag.type == type_)
    if status:
        stmt = stmt.where(Flag.status == status)
    stmt = stmt.order_by(_flag_rank(), Flag.score.desc(), Flag.id).offset(offset).limit(limit)
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(stmt)]
    by_id = {r["id"]: r for r in flag_rows(engine, ids)}
    return [by_id[i] for i in ids if i in by_id]


def flag_counts(engine: Engine) -> dict:
    """Open and total flags, overall and per type."""
    with engine.connect() as conn:
        rows = conn.execute(select(Flag.type, Flag.status, func.count()).group_by(Flag.type, Flag.status)).all()
    out = {"open": 0, "total": 0, "by_type": {t: {"open": 0, "total": 0} for t in FLAG_TYPES}}
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
        row = conn.execute(select(rank, Flag.score, Flag.id).where(Flag.id == flag_id)).first()
        if row is None:
            return None
        r, score, fid = row
        stmt = select(Flag.id)
        if type_:
            stmt = stmt.where(Flag.type == type_)
        if status:
            stmt = stmt.where(Flag.status == status)
        after = or_(rank > r, (rank == r) & (Flag.score < score), (rank == r) & (Flag.score == score) & (Flag.id > fid))
        before = or_(rank < r, (rank == r) & (Flag.score > score),
                     (rank == r) & (Flag.score == score) & (Flag.id < fid))
        if step > 0:
            stmt = stmt.where(after).order_by(rank, Flag.score.desc(), Flag.id)
        else:
            stmt = stmt.where(before).order_by(rank.desc(), Flag.score, Flag.id.desc())
        return conn.execute(stmt.limit(1)).scalar()


def _member_rows(session: Session, flag_ids: list[int]):
    """Member claims of flags with their source, section and speaker, in member order."""
    return session.execute(
        select(FlagMember.flag_id, FlagMember.role, Claim, Source.path, Section.dated, Entity,
               Source.title, Source.published, Section.ordinal, Section.heading)
        .join(Claim, Claim.id == FlagMember.claim_id)
        .join(Source, Source.id == Claim.source_id)
        .outerjoin(Section, Section.id == Claim.section_id)
        .outerjoin(Entity, Entity.id == Claim.speaker_entity_id)
        .where(FlagMember.flag_id.in_(flag_ids or [-1]))
        .order_by(FlagMember.id)
    ).all()


def flag_detail(engine: Engine, flag_id: int) -> dict | None:
    """One flag with every member statement: source title, date, section, speaker, excerpt and value span."""
    with Session(engine) as session:
        flag = session.get(Flag, flag_id)
        if flag is None:
            return None
        members = []
        for _, role, claim, path, dated, entity, title, published, ordinal, heading in _member_rows(session, [flag_id]):
            text = session.execute(
                select(func.substr(Source.text, claim.excerpt_start + 1, claim.excerpt_end - claim.excerpt_start))
                .where(Source.id == claim.source_id)).scalar_one()
            item = claim_dict(claim, path, " " * claim.excerpt_start + text, dated, entity)
            item.update(claim_id=claim.id, source_id=claim.source_id, role=role, title=title,
                        published=published.isoformat() if published else None,
                        section=ordinal, section_heading=heading, version=claim.version,
                        highlight=(claim.start - claim.excerpt_start, claim.end - claim.excerpt_start),
                        mention_spans=mention_spans(flag.details, claim), value_label=value_with_unit(item))
            members.append(item)
        correct = (flag.details or {}).get("correct") or {}
        return {"id": flag.id, "type": flag.type, "subject": flag.subject, "summary": flag.summary,
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
    return replace(base, text=" ".join(words), speaker_ids=None,
                   **{k: v for k, v in found.items()})


def resolve_speakers(engine: Engine, q: ClaimQuery) -> ClaimQuery:
    """The query with its fuzzy speaker name turned into entity ids (done once per query)."""
    if q.speaker and q.speaker_ids is None:
        return replace(q, speaker_ids=frozenset(speaker_ids(engine, q.speaker)))
    return q


def _claim_filters(stmt, q: ClaimQuery):
    """Apply a ClaimQuery's filters to a select over Claim (joined to Source)."""
    if q.kind:
        stmt = stmt.where(Claim.kind == q.kind)
    if q.status:
        stmt = stmt.where(Claim.status == q.status)
    if q.source:
        stmt = stmt.where(source_matches(q.source))
    if q.speaker:
        stmt = stmt.where(Claim.speaker_entity_id.in_(q.speaker_ids or {-1}))
    for word in q.text.split():  # % and _ are literal: autoescape, as source names are
        stmt = stmt.where(Claim.text.icontains(word, autoescape=True) | Claim.subject.icontains(word, autoescape=True)
                          | Entity.name.icontains(word, autoescape=True))
    return stmt


def _claim_order(q: ClaimQuery):
    """ORDER BY columns for a sort name; source order breaks ties."""
    base = [Claim.source_id, Claim.start, Claim.id]
    col = {"kind": Claim.kind, "value": func.coalesce(Claim.value, Claim.low), "date": Claim.date,
           "status": Claim.status, "speaker": Entity.name}.get(q.sort)
    if col is None:
        return [c.desc() for c in base] if q.descending else base
    return [col.desc() if q.descending else col, *base]


def _row_select():
    """SELECT of the claim-table columns, joined to source and speaker."""
    return (select(Claim.id, Claim.kind, Claim.value, Claim.low, Claim.high, Claim.unit, Claim.qualifier,
                   Claim.date, Claim.date_end, Claim.date_precision, Claim.relative, Claim.relative_to,
                   Claim.status, Claim.note, Claim.version, Claim.text, Claim.subject, Source.path, Entity.name,
                   Claim.source_id, Claim.start, Claim.end)
            .join(Source, Source.id == Claim.source_id)
            .outerjoin(Entity, Entity.id == Claim.speaker_entity_id))


def _iso(d) -> str | None:
    """ISO string for a date or None."""
    return d.isoformat() if d else None


def _run_rows(engine: Engine, stmt) -> list[dict]:
    """Execute a claim-table select and shape each row as a dict with a value label."""
    keys = ("id", "kind", "value", "low", "high", "unit", "qualifier", "date", "date_end", "date_precision",
            "relative", "relative_to", "status", "note", "version", "text", "subject", "source", "speaker",
            "source_id", "start", "end")
    out = []
    with engine.connect() as conn:
        for r in conn.execute(stmt):
            c = dict(zip(keys, r, strict=False))
            for k in ("date", "date_end", "relative_to"):
                c[k] = _iso(c[k])
            c["value_label"] = value_with_unit(c)
            out.append(c)
    return out


def claim_page(engine: Engine, q: ClaimQuery, *, offset: int = 0, limit: int = PAGE) -> list[dict]:
    """One page of claims for the table: id, kind, value, speaker, status, source, text."""
    q = resolve_speakers(engine, q)
    return _run_rows(engine, _claim_filters(_row_select(), q).order_by(*_claim_order(q)).offset(offset).limit(limit))


def claim_rows(engine: Engine, ids: list[int]) -> list[dict]:
    """Table rows for the given claim ids (to refresh rows after a decision)."""
    return _run_rows(engine, _row_select().where(Claim.id.in_(ids or [-1])))


def count_claims(engine: Engine, q: ClaimQuery) -> int:
    """How many claims a query matches."""
    q = resolve_speakers(engine, q)
    stmt = select(func.count()).select_from(Claim)
    if q.source:
        stmt = stmt.join(Source, Source.id == Claim.source_id)
    if q.text:
        stmt = stmt.outerjoin(Entity, Entity.id == Claim.speaker_entity_id)
    with engine.connect() as conn:
        return conn.execute(_claim_filters(stmt, q)).scalar_one()


# ---------------------------------------------------------------- sources

def source_view(engine: Engine, source_id: int) -> dict | None:
    """A source's full text with its sections (dates) and every claim span, for reading in context."""
    with engine.connect() as conn:
        src = conn.execute(select(Source.id, Source.path, Source.title, Source.published, Source.text)
                           .where(Source.id == source_id)).first()
        if src is None:
            return None
        sections = [{"ordinal": o, "heading": h, "dated": _iso(d), "start": s, "end": e}
                    for o, h, d, s, e in conn.execute(
                        select(Section.ordinal, Section.heading, Section.dated, Section.start, Section.end)
                        .where(Section.source_id == source_id).order_by(Section.start))]
        claims = [{"id": i, "kind": k, "start": s, "end": e, "status": st}
                  for i, k, s, e, st in conn.execute(
                      select(Claim.id, Claim.kind, Claim.start, Claim.end, Claim.status)
                      .where(Claim.source_id == source_id, Claim.status != "orphaned")
                      .order_by(Claim.start, Claim.id))]
    return {"id": src[0], "source": src[1], "title": src[2], "published": _iso(src[3]), "text": src[4],
            "sections": sections, "claims": claims}


def flag_rows(engine: Engine, ids: list[int]) -> list[dict]:
    """Queue rows for the given flag ids (to refresh rows after a decision)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Flag.id, Flag.type, Flag.status, Flag.score, Flag.subject, Flag.summary,
                                   Flag.note, Flag.version).where(Flag.id.in_(ids or [-1]))).all()
        sizes = dict(conn.execute(select(FlagMember.flag_id, func.count()).where(FlagMember.flag_id.in_(ids or [-1]))
                                  .group_by(FlagMember.flag_id)).all())
    return [{"id": r[0], "type": r[1], "status": r[2], "score": r[3], "subject": r[4], "summary": r[5],
             "note": r[6], "version": r[7], "members": sizes.get(r[0], 0)} for r in rows]


def claim_excerpt(engine: Engine, claim_id: int) -> dict | None:
    """A claim's excerpt with the claim's span inside it, its subject and note (for a preview line)."""
    with engine.connect() as conn:
        row = conn.execute(select(Claim.start, Claim.end, Claim.excerpt_start, Claim.excerpt_end, Claim.subject,
                                  Claim.note, Claim.source_id, Entity.name, Claim.status, Claim.details)
                           .outerjoin(Entity, Entity.id == Claim.speaker_entity_id)
                           .where(Claim.id == claim_id)).first()
        if row is None:
            return None
        start, end, es, ee, subject, note, sid, speaker, status, details = row
        excerpt, path = conn.execute(select(func.substr(Source.text, es + 1, ee - es), Source.path)
                                     .where(Source.id == sid)).one()
    if status == "orphaned":  # no longer in the source: show where it was
        snap = (details or {}).get("orphaned") or {}
        excerpt, start, end, es = (snap.get("excerpt", ""), snap.get("start", 0), snap.get("end", 0),
                                   snap.get("excerpt_start", 0))
        note = (note + " · " if note else "") + f"orphaned: no longer in the source (was {snap.get('status')})"
    return {"id": claim_id, "excerpt": excerpt, "highlight": (start - es, end - es), "subject": subject,
            "note": note, "speaker": speaker, "source": path}
