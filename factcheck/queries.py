"""Read-side queries shared by the CLI (and later the TUI and exports): plain dicts out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, TypedDict

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlmodel import Session, col

from factcheck.models import Alias, Claim, Entity, Flag, FlagMember, Section, Source


class SourceRow(TypedDict):
    """One source as `sources --json` gives it (keys in this order)."""

    id: int
    source: str
    location: str | None
    title: str | None
    published: str | None
    published_evidence: str | None
    sha256: str
    format: str
    sections: int
    claims: int
    url: str | None
    author: str | None
    publisher: str | None
    outlet: str | None
    type: str | None
    accessed: str | None
    meta_evidence: str | None
    ingested_at: str | None


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


def _iso(d: dt.date | None) -> str | None:
    """ISO string for a date or None."""
    return d.isoformat() if d else None


def row_id(value: int | None) -> int:
    """The id of a row read from the database (None only before an insert)."""
    assert value is not None
    return value


def count_sources(engine: Engine) -> int:
    """How many sources are stored."""
    with engine.connect() as conn:
        n: int = conn.execute(select(func.count()).select_from(Source)).scalar_one()
        return n


def count_flags(engine: Engine) -> int:
    """How many flags are stored."""
    with engine.connect() as conn:
        n: int = conn.execute(select(func.count()).select_from(Flag)).scalar_one()
        return n


def bytewise(engine: Engine, column: SQLCoreOperations[str]) -> SQLCoreOperations[str]:
    """A string column ordered by its bytes (code points), as SQLite does: PostgreSQL's default collation
    follows the server's locale, so "b_x" vs "bx" or "B" vs "a" would sort differently there."""
    return column.collate("C") if engine.dialect.name == "postgresql" else column


def source_matches(source: str) -> ColumnElement[bool]:
    """WHERE clause for a source named exactly or by a part of its path (case-insensitive, as SQLite's LIKE is;
    % and _ in the name are literal)."""
    return or_(col(Source.path) == source, col(Source.path).icontains(source, autoescape=True))


def list_sources(engine: Engine) -> list[SourceRow]:
    """Every source with its section and claim counts and citation metadata (the `sources --json` shape).
    `accessed` is what the user gave (sources.toml, front matter), else null: the file's ingest date
    (`ingested_at`) is the fallback a citation should use."""
    n_sections = (select(col(Section.source_id), func.count().label("n")).group_by(col(Section.source_id))
                  .subquery())
    n_claims = select(col(Claim.source_id), func.count().label("n")).group_by(col(Claim.source_id)).subquery()
    stmt = (
        select(col(Source.id), col(Source.path), col(Source.title), col(Source.published),
               col(Source.published_evidence), col(Source.sha256), col(Source.fmt),
               func.coalesce(n_sections.c.n, 0).label("n_sections"), func.coalesce(n_claims.c.n, 0).label("n_claims"),
               col(Source.url), col(Source.author), col(Source.publisher), col(Source.outlet),
               col(Source.source_type), col(Source.accessed), col(Source.meta_evidence), col(Source.ingested_at),
               col(Source.location))
        .outerjoin(n_sections, n_sections.c.source_id == col(Source.id))
        .outerjoin(n_claims, n_claims.c.source_id == col(Source.id))
        .order_by(bytewise(engine, col(Source.path)))
    )
    with engine.connect() as conn:
        return [
            {"id": r.id, "source": r.path, "location": r.location, "title": r.title, "published": _iso(r.published),
             "published_evidence": r.published_evidence, "sha256": r.sha256, "format": r.fmt,
             "sections": r.n_sections, "claims": r.n_claims, "url": r.url, "author": r.author,
             "publisher": r.publisher, "outlet": r.outlet, "type": r.source_type, "accessed": _iso(r.accessed),
             "meta_evidence": r.meta_evidence, "ingested_at": _iso(r.ingested_at)}
            for r in conn.execute(stmt)
        ]


def orphan_excerpt(details: Mapping[str, Any] | None) -> str:
    """The excerpt an orphaned claim had when it was last in its source."""
    excerpt: str = ((details or {}).get("orphaned") or {}).get("excerpt", "")
    return excerpt


def claim_dict(c: Claim, source: str, text: str, section_date: dt.date | None = None,
               speaker: Entity | None = None, location: str | None = None) -> ClaimDict:
    """The contract shape of one claim (see DESIGN.md), plus extra fields (location: the source's file)."""
    return {
        "id": row_id(c.id), "kind": c.kind, "source": source, "start": c.start, "end": c.end, "text": c.text,
        "excerpt": orphan_excerpt(c.details) if c.status == "orphaned" else text[c.excerpt_start:c.excerpt_end],
        "value": c.value, "low": c.low, "high": c.high,
        "unit": c.unit, "qualifier": c.qualifier, "date": _iso(c.date),
        "speaker": speaker.name if speaker else None,
        "subject": c.subject, "status": c.status,
        "date_end": _iso(c.date_end), "date_precision": c.date_precision, "relative": c.relative,
        "relative_to": _iso(c.relative_to), "section_id": c.section_id, "section_date": _iso(section_date),
        "excerpt_start": c.excerpt_start, "excerpt_end": c.excerpt_end, "note": c.note,
        "fingerprint": c.fingerprint, "details": c.details or {},
        "unit_normalised": (c.details or {}).get("unit_normalised"),
        "speaker_kind": speaker.kind if speaker else None, "speaker_role": speaker.role if speaker else None,
        "quote_text": c.quote_text or (c.text if c.kind == "quote" else None),
        "location": location,
    }


def mention_spans(flag_details: Mapping[str, Any] | None, c: Claim) -> list[list[int]]:
    """Where the names an alias flag lists are written in one member claim's excerpt (offsets in the excerpt)."""
    if c.status == "orphaned":
        return []  # its excerpt is a snapshot: the source's offsets no longer apply
    spans = {(m["start"] - c.excerpt_start, m["end"] - c.excerpt_start)
             for m in (flag_details or {}).get("mentions") or ()
             if m.get("source_id") == c.source_id and c.excerpt_start <= m["start"] and m["end"] <= c.excerpt_end}
    return [list(s) for s in sorted(spans)]


SPEAKER_MATCH_CUTOFF = 85  # rapidfuzz WRatio score (0-100) for `--speaker` to accept a name or alias


def speaker_ids(engine: Engine, query: str) -> set[int]:
    """Entities whose name or any alias matches query fuzzily and case-insensitively."""
    from rapidfuzz import fuzz, process, utils

    with engine.connect() as conn:
        names = [(row_id(r[0]), r[1]) for r in conn.execute(select(col(Entity.id), col(Entity.name)))]
        names += [(r[0], r[1]) for r in conn.execute(select(col(Alias.entity_id), col(Alias.text)))]
    choices = [n for _, n in names]
    hits = process.extract(query, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                           score_cutoff=SPEAKER_MATCH_CUTOFF, limit=None)
    return {names[i][0] for _, _, i in hits}


CLAIM_BATCH = 1000  # claims read from the database at a time by iter_claims


def _claims_query(engine: Engine, kind: str | None, source: str | None,
                  speaker: str | None) -> Select[Claim, str, dt.date | None, Entity | None, str | None]:
    """The SELECT of claims (with source path, section date, speaker, location) in source order, filtered."""
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
    return stmt


def iter_claims(engine: Engine, kind: str | None = None, source: str | None = None,
                speaker: str | None = None, batch: int = CLAIM_BATCH) -> Iterator[ClaimDict]:
    """list_claims one claim at a time, read `batch` rows at once: memory stays flat however many there are."""
    stmt = _claims_query(engine, kind, source, speaker).execution_options(yield_per=batch)
    path, text = None, ""  # claims come grouped by source: only the current source's text is held
    with Session(engine) as session:
        for claim, claim_path, section_date, entity, location in session.execute(stmt):
            if claim_path != path:
                path = claim_path
                text = session.execute(select(col(Source.text))
                                       .where(col(Source.id) == claim.source_id)).scalar_one()
            yield claim_dict(claim, claim_path, text, section_date, entity, location)


def list_claims(engine: Engine, kind: str | None = None, source: str | None = None,
                speaker: str | None = None) -> list[ClaimDict]:
    """Claims in source order, filtered by kind, source path (exact or substring) and speaker (fuzzy)."""
    return list(iter_claims(engine, kind, source, speaker))


FLAG_ORDER = {"conflict": 0, "quote_variant": 1, "arithmetic": 2, "alias": 3, "repeat": 4, "paraphrase": 5}


def list_flags(engine: Engine, type_: str | None = None) -> list[FlagDict]:
    """Flags with their member claims (the `flags --json` shape), conflicts first, then by score."""
    with Session(engine) as session:
        stmt = select(Flag)
        if type_:
            stmt = stmt.where(col(Flag.type) == type_)
        flags = list(session.execute(stmt).scalars())
        members = session.execute(
            select(col(FlagMember.flag_id), col(FlagMember.role), Claim, col(Source.path), col(Section.dated), Entity,
                   col(Source.location))
            .join(Claim, col(Claim.id) == col(FlagMember.claim_id))
            .join(Source, col(Source.id) == col(Claim.source_id))
            .outerjoin(Section, col(Section.id) == col(Claim.section_id))
            .outerjoin(Entity, col(Entity.id) == col(Claim.speaker_entity_id))
            .where(col(FlagMember.flag_id).in_([f.id for f in flags] or [-1]))
            .order_by(col(FlagMember.id))
        ).all()
        texts: dict[str, str] = {}
        by_flag: dict[int, list[FlagMemberDict]] = {}
        details_of = {f.id: f.details for f in flags}
        for flag_id, role, claim, path, dated, entity, location in members:
            if path not in texts:
                texts[path] = session.execute(select(col(Source.text)).where(col(Source.path) == path)).scalar_one()
            item: FlagMemberDict = {**claim_dict(claim, path, texts[path], dated, entity, location),
                                    "claim_id": row_id(claim.id), "role": role,
                                    "mention_spans": mention_spans(details_of[flag_id], claim)}
            by_flag.setdefault(flag_id, []).append(item)
    flags.sort(key=lambda f: (FLAG_ORDER.get(f.type, 9), -f.score, row_id(f.id)))
    return [{"id": row_id(f.id), "type": f.type, "subject": f.subject, "summary": f.summary, "score": f.score,
             "status": f.status, "members": by_flag.get(row_id(f.id), []), "explanation": f.explanation,
             "note": f.note, "details": f.details or {}} for f in flags]
