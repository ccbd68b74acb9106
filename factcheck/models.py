"""SQLModel tables: sources, sections, entities, claims, flags and the decision log."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    """Current UTC time, timezone-aware."""
    return dt.datetime.now(dt.timezone.utc)


class Source(SQLModel, table=True):
    """One ingested document: its stored text, hash, title, publication date and citation metadata.

    Citation metadata comes from sources.toml, then .md front matter, then the file itself (HTML
    metadata, PDF/DOCX properties, the detected title and dateline); see factcheck/ingest/metadata.py.
    """

    id: Optional[int] = Field(default=None, primary_key=True)
    path: str = Field(index=True, unique=True)  # the name it shows: relative, lengthened where two would clash
    name: Optional[str] = None  # relative to the folder given to ingest (factcheck/ingest/identity.py)
    location: Optional[str] = Field(default=None, index=True, unique=True)  # its file: resolved folder + name
    fingerprint_key: Optional[str] = None  # the namespace of its claims' fingerprints, fixed when first stored
    sha256: str = Field(index=True)
    fmt: str = "txt"
    title: Optional[str] = None
    publisher: Optional[str] = None
    author: Optional[str] = None
    published: Optional[dt.date] = None
    published_evidence: Optional[str] = None  # the excerpt the date was read from
    published_start: Optional[int] = None
    url: Optional[str] = None  # where the source can be found (sources.toml, front matter, canonical link of a page)
    outlet: Optional[str] = None  # the publication or site it appeared in ("Inside Time", "The Guardian")
    source_type: Optional[str] = None  # CSL item type given by the user (article-newspaper, report, hearing, ...)
    accessed: Optional[dt.date] = None  # when the user retrieved it, as given; None: exporters use ingested_at
    meta_evidence: Optional[str] = None  # where the metadata came from: "sources.toml, html metadata", ...
    text: str = Field(sa_column=Column(Text, nullable=False))
    ingested_at: dt.datetime = Field(default_factory=utcnow)


class Section(SQLModel, table=True):
    """A dated part of a source: one post of a blog page, or the whole document."""

    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    ordinal: int
    heading: Optional[str] = None
    dated: Optional[dt.date] = None
    dateline_start: Optional[int] = None
    dateline_end: Optional[int] = None
    start: int
    end: int


class Entity(SQLModel, table=True):
    """A person or organisation that claims are attributed to."""

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = "person"  # person | org
    name: str = Field(index=True)
    role: Optional[str] = None


class Alias(SQLModel, table=True):
    """Another way of writing an entity's name."""

    id: Optional[int] = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    text: str = Field(index=True)


class Claim(SQLModel, table=True):
    """One claim with its exact span, excerpt, normalised value and review status."""

    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    section_id: Optional[int] = Field(default=None, foreign_key="section.id", index=True)
    kind: str = Field(index=True)
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    excerpt_start: int
    excerpt_end: int
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    unit: Optional[str] = None
    qualifier: Optional[str] = None
    date: Optional[dt.date] = None
    date_end: Optional[dt.date] = None
    date_precision: Optional[str] = None
    relative: bool = False
    relative_to: Optional[dt.date] = None
    subject: Optional[str] = None
    speaker_entity_id: Optional[int] = Field(default=None, foreign_key="entity.id", index=True)
    quote_text: Optional[str] = Field(default=None, sa_column=Column(Text))  # set when it differs from text
    details: Optional[dict] = Field(default=None, sa_column=Column(JSON))  # denominator, table row, ...
    fingerprint: str  # not indexed: random keys make every bulk insert slower; looked up per source
    status: str = Field(default="unreviewed", index=True)
    note: Optional[str] = None
    version: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Flag(SQLModel, table=True):
    """A finding across claims: repeat, conflict, quote variant, alias or arithmetic."""

    id: Optional[int] = Field(default=None, primary_key=True)
    type: str = Field(index=True)
    subject: Optional[str] = None
    summary: Optional[str] = None
    score: float = 0.0
    explanation: Optional[str] = Field(default=None, sa_column=Column(Text))
    details: Optional[dict] = Field(default=None, sa_column=Column(JSON))  # word diff, variants, dates, ...
    fingerprint: str = Field(index=True)
    status: str = Field(default="open", index=True)
    note: Optional[str] = None
    version: int = 1


class FlagMember(SQLModel, table=True):
    """A claim that belongs to a flag, with the role it plays there."""

    __table_args__ = (UniqueConstraint("flag_id", "claim_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    flag_id: int = Field(foreign_key="flag.id", index=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    role: Optional[str] = None


class Decision(SQLModel, table=True):
    """Append-only audit log of every review decision."""

    id: Optional[int] = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow)
    reviewer: str
    target: str  # claim | flag
    target_id: int
    fingerprint: Optional[str] = None
    field: str
    old: Optional[str] = None
    new: Optional[str] = None
    note: Optional[str] = None


class State(SQLModel, table=True):
    """Small facts about the database as a whole, e.g. whether stored documents still await matching."""

    key: str = Field(primary_key=True)
    value: Optional[str] = None
