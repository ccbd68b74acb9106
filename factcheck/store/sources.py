"""Reads of sources: the `sources` list, a source's text with its sections and claim spans, export records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel, col

from factcheck.models import Claim, Section, Source
from factcheck.store.common import bytewise, iso, iso_utc, row_id
from factcheck.vocabulary import ORPHANED, ClaimKind

# The models' tables (sqlmodel's stubs do not declare the __table__ it sets on each model).
SOURCE_TABLE: Table = SQLModel.metadata.tables["source"]
CLAIM_TABLE: Table = SQLModel.metadata.tables["claim"]


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


class SourceText(TypedDict):
    """The source a streamed export's claims are in at the moment."""

    id: int
    path: str
    text: str


def section_counts(conn: Connection) -> dict[int, int]:
    """How many sections each source has (sources without any: absent)."""
    return {i: n for i, n in conn.execute(
        select(col(Section.source_id), func.count()).group_by(col(Section.source_id)))}


def list_sources(engine: Engine) -> list[SourceRow]:
    """Every source with its section and claim counts and citation metadata (the `sources --json` shape).
    `accessed` is what the user gave (sources.toml, front matter), else null: the file's ingest date
    (`ingested_at`) is the fallback a citation should use."""
    n_claims = select(col(Claim.source_id), func.count().label("n")).group_by(col(Claim.source_id)).subquery()
    stmt = (
        select(col(Source.id), col(Source.path), col(Source.title), col(Source.published),
               col(Source.published_evidence), col(Source.sha256), col(Source.fmt),
               func.coalesce(n_claims.c.n, 0).label("n_claims"),
               col(Source.url), col(Source.author), col(Source.publisher), col(Source.outlet),
               col(Source.source_type), col(Source.accessed), col(Source.meta_evidence), col(Source.ingested_at),
               col(Source.location))
        .outerjoin(n_claims, n_claims.c.source_id == col(Source.id))
        .order_by(bytewise(engine, col(Source.path)))
    )
    with engine.connect() as conn:
        n_sections = section_counts(conn)
        return [
            {"id": r.id, "source": r.path, "location": r.location, "title": r.title, "published": iso(r.published),
             "published_evidence": r.published_evidence, "sha256": r.sha256, "format": r.fmt,
             "sections": n_sections.get(r.id, 0), "claims": r.n_claims, "url": r.url, "author": r.author,
             "publisher": r.publisher, "outlet": r.outlet, "type": r.source_type, "accessed": iso(r.accessed),
             "meta_evidence": r.meta_evidence, "ingested_at": iso(r.ingested_at)}
            for r in conn.execute(stmt)
        ]


def source_view(engine: Engine, source_id: int) -> SourceView | None:
    """A source's full text with its sections (dates) and every claim span, for reading in context."""
    with engine.connect() as conn:
        src = conn.execute(select(col(Source.id), col(Source.path), col(Source.title), col(Source.published),
                                  col(Source.text))
                           .where(col(Source.id) == source_id)).first()
        if src is None:
            return None
        sections: list[SectionSpan] = [
            {"ordinal": o, "heading": h, "dated": iso(d), "start": s, "end": e}
            for o, h, d, s, e in conn.execute(
                select(col(Section.ordinal), col(Section.heading), col(Section.dated), col(Section.start),
                       col(Section.end))
                .where(col(Section.source_id) == source_id).order_by(col(Section.start)))]
        claims: list[ClaimSpan] = [
            {"id": row_id(i), "kind": k, "start": s, "end": e, "status": st}
            for i, k, s, e, st in conn.execute(
                select(col(Claim.id), col(Claim.kind), col(Claim.start), col(Claim.end), col(Claim.status))
                .where(col(Claim.source_id) == source_id, col(Claim.status) != ORPHANED)
                .order_by(col(Claim.start), col(Claim.id)))]
    return {"id": row_id(src[0]), "source": src[1], "title": src[2], "published": iso(src[3]), "text": src[4],
            "sections": sections, "claims": claims}


def export_sources(conn: Connection, with_text: bool = True) -> dict[int, ExportSource]:
    """Every source as an export reads it: its metadata and shape (sections, transcript turns), and its text
    unless with_text is False. `accessed` falls back to the ingest date. The URL is as stored (an export keeps
    only web addresses)."""
    n_sections = section_counts(conn)
    turn_counts: dict[int, int] = {i: n for i, n in conn.execute(
        select(col(Claim.source_id), func.count()).where(col(Claim.kind) == ClaimKind.QUOTE)
        .where(CLAIM_TABLE.c.details["turn"].as_boolean().is_(True)).group_by(col(Claim.source_id)))}
    out: dict[int, ExportSource] = {}
    columns = [c for c in SOURCE_TABLE.c if with_text or c.name != "text"]
    for src in conn.execute(select(*columns)).mappings():
        s = dict(src)
        entry: ExportSource = {
            "id": s["id"], "path": s["path"], "title": s.get("title"), "author": s.get("author"),
            "publisher": s.get("publisher"), "outlet": s.get("outlet"), "url": s.get("url"),
            "published": iso_utc(s.get("published")), "published_evidence": s.get("published_evidence"),
            "accessed": iso_utc(s.get("accessed")) or (iso_utc(s.get("ingested_at")) or "")[:10] or None,
            "type": s.get("source_type"), "format": s["fmt"], "sha256": s["sha256"],  # NOT NULL columns
            "sections": n_sections.get(s["id"], 0), "turns": turn_counts.get(s["id"], 0),
        }
        if with_text:
            entry["text"] = s["text"]
        out[s["id"]] = entry
    return out


def matching_sources(sources: Mapping[int, ExportSource], source: str | None) -> set[int]:
    """Ids of the sources a --source name selects (every source without one)."""
    if not source:
        return set(sources)
    return {i for i, s in sources.items() if source == s["path"] or source in s["path"]}
