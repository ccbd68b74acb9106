"""Read-side queries shared by the CLI (and later the TUI and exports): plain dicts out."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from factcheck.models import Claim, Section, Source


def _iso(d) -> str | None:
    """ISO string for a date or None."""
    return d.isoformat() if d else None


def count_sources(engine: Engine) -> int:
    """How many sources are stored."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Source)).scalar_one()


def list_sources(engine: Engine) -> list[dict]:
    """Every source with its section and claim counts (the `sources --json` shape)."""
    n_sections = select(Section.source_id, func.count().label("n")).group_by(Section.source_id).subquery()
    n_claims = select(Claim.source_id, func.count().label("n")).group_by(Claim.source_id).subquery()
    stmt = (
        select(Source.id, Source.path, Source.title, Source.published, Source.published_evidence,
               Source.sha256, Source.fmt, func.coalesce(n_sections.c.n, 0), func.coalesce(n_claims.c.n, 0))
        .outerjoin(n_sections, n_sections.c.source_id == Source.id)
        .outerjoin(n_claims, n_claims.c.source_id == Source.id)
        .order_by(Source.path)
    )
    with engine.connect() as conn:
        return [
            {"id": r[0], "source": r[1], "title": r[2], "published": _iso(r[3]), "published_evidence": r[4],
             "sha256": r[5], "format": r[6], "sections": r[7], "claims": r[8]}
            for r in conn.execute(stmt)
        ]


def claim_dict(c: Claim, source: str, text: str, section_date=None) -> dict:
    """The contract shape of one claim (see DESIGN.md), plus extra fields."""
    return {
        "id": c.id, "kind": c.kind, "source": source, "start": c.start, "end": c.end, "text": c.text,
        "excerpt": text[c.excerpt_start:c.excerpt_end], "value": c.value, "low": c.low, "high": c.high,
        "unit": c.unit, "qualifier": c.qualifier, "date": _iso(c.date), "speaker": None,
        "subject": c.subject, "status": c.status,
        "date_end": _iso(c.date_end), "date_precision": c.date_precision, "relative": c.relative,
        "relative_to": _iso(c.relative_to), "section_id": c.section_id, "section_date": _iso(section_date),
        "excerpt_start": c.excerpt_start, "excerpt_end": c.excerpt_end, "note": c.note,
        "fingerprint": c.fingerprint, "details": c.details or {},
    }


def list_claims(engine: Engine, kind: str | None = None, source: str | None = None) -> list[dict]:
    """Claims in source order, filtered by kind and by source path (exact or substring)."""
    stmt = (
        select(Claim, Source.path, Section.dated)
        .join(Source, Source.id == Claim.source_id)
        .outerjoin(Section, Section.id == Claim.section_id)
        .order_by(Source.path, Claim.start, Claim.id)
    )
    if kind:
        stmt = stmt.where(Claim.kind == kind)
    if source:
        stmt = stmt.where(or_(Source.path == source, Source.path.contains(source)))
    texts: dict[str, str] = {}
    out = []
    with Session(engine) as session:
        for claim, path, section_date in session.execute(stmt):
            if path not in texts:
                texts[path] = session.execute(select(Source.text).where(Source.path == path)).scalar_one()
            out.append(claim_dict(claim, path, texts[path], section_date))
    return out
