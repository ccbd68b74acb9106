"""SQLModel tables: sources, sections, entities, claims, flags and the decision log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from factcheck.vocabulary import ClaimStatus, FlagStatus


def utcnow() -> dt.datetime:
    """Current UTC time, timezone-aware."""
    return dt.datetime.now(dt.timezone.utc)


class Source(SQLModel, table=True):
    """One ingested document: its stored text, hash, title, publication date and citation metadata.

    Citation metadata comes from sources.toml, then .md front matter, then the file itself (HTML
    metadata, PDF/DOCX properties, the detected title and dateline); see factcheck/ingest/metadata.py.
    """

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(index=True, unique=True)  # the name it shows: relative, lengthened where two would clash
    name: str | None = None  # relative to the folder given to ingest (factcheck/ingest/identity.py)
    location: str | None = Field(default=None, index=True, unique=True)  # its file: resolved folder + name
    fingerprint_key: str | None = None  # the namespace of its claims' fingerprints, fixed when first stored
    sha256: str = Field(index=True)
    fmt: str = "txt"
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: dt.date | None = None
    published_evidence: str | None = None  # the excerpt the date was read from
    published_start: int | None = None
    url: str | None = None  # where the source can be found (sources.toml, front matter, canonical link of a page)
    outlet: str | None = None  # the publication or site it appeared in ("Inside Time", "The Guardian")
    source_type: str | None = None  # CSL item type given by the user (article-newspaper, report, hearing, ...)
    accessed: dt.date | None = None  # when the user retrieved it, as given; None: exporters use ingested_at
    meta_evidence: str | None = None  # where the metadata came from: "sources.toml, html metadata", ...
    text: str = Field(sa_column=Column(Text, nullable=False))
    ingested_at: dt.datetime = Field(default_factory=utcnow)


class Section(SQLModel, table=True):
    """A dated part of a source: one post of a blog page, or the whole document."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    ordinal: int
    heading: str | None = None
    dated: dt.date | None = None
    dateline_start: int | None = None
    dateline_end: int | None = None
    start: int
    end: int


class Entity(SQLModel, table=True):
    """A person or organisation that claims are attributed to."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = "person"  # person | org
    name: str = Field(index=True)
    role: str | None = None


class Alias(SQLModel, table=True):
    """Another way of writing an entity's name."""

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entity.id", index=True)
    text: str = Field(index=True)


class Claim(SQLModel, table=True):
    """One claim with its exact span, excerpt, normalised value and review status."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    section_id: int | None = Field(default=None, foreign_key="section.id", index=True)
    kind: str = Field(index=True)
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    excerpt_start: int
    excerpt_end: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    date: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str | None = None
    relative: bool = False
    relative_to: dt.date | None = None
    subject: str | None = None
    speaker_entity_id: int | None = Field(default=None, foreign_key="entity.id", index=True)
    quote_text: str | None = Field(default=None, sa_column=Column(Text))  # set when it differs from text
    details: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))  # denominator, table row, ...
    fingerprint: str  # not indexed: random keys make every bulk insert slower; looked up per source
    status: str = Field(default=ClaimStatus.UNREVIEWED.value, index=True)
    note: str | None = None
    version: int = 1
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Flag(SQLModel, table=True):
    """A finding across claims: repeat, conflict, quote variant, alias or arithmetic."""

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(index=True)
    subject: str | None = None
    summary: str | None = None
    score: float = 0.0
    explanation: str | None = Field(default=None, sa_column=Column(Text))
    details: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))  # word diff, variants, dates, ...
    fingerprint: str = Field(index=True)
    status: str = Field(default=FlagStatus.OPEN.value, index=True)
    note: str | None = None
    version: int = 1


class FlagMember(SQLModel, table=True):
    """A claim that belongs to a flag, with the role it plays there."""

    __table_args__ = (UniqueConstraint("flag_id", "claim_id"),)
    id: int | None = Field(default=None, primary_key=True)
    flag_id: int = Field(foreign_key="flag.id", index=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    role: str | None = None


class Decision(SQLModel, table=True):
    """Append-only audit log of every review decision."""

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow)
    reviewer: str
    target: str  # claim | flag
    target_id: int
    fingerprint: str | None = None
    field: str
    old: str | None = None
    new: str | None = None
    note: str | None = None


class State(SQLModel, table=True):
    """Small facts about the database as a whole, e.g. whether stored documents still await matching."""

    key: str = Field(primary_key=True)
    value: str | None = None
