"""Light in-memory records that matching and checks work on, and the flags they produce."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ClaimRecord:
    """What matching needs to know about one stored claim."""

    id: int
    source_id: int
    source: str  # source path
    kind: str  # quantity | date | quote | attribution
    text: str
    excerpt: str
    start: int = 0
    end: int = 0
    excerpt_start: int = 0  # where the excerpt starts in its source's text (start and end are offsets there too)
    section_id: int | None = None
    section_date: dt.date | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    date: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str | None = None
    relative: bool = False
    subject: str | None = None
    speaker_id: int | None = None
    speaker: str | None = None
    fingerprint: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # the claim's JSON details column
    context: str = ""  # text around the claim (preceding paragraph or so), for recognising the same topic


@dataclass(slots=True, frozen=True)
class SectionSpan:
    """A dated part of a source, in characters."""

    id: int | None
    start: int
    end: int
    dated: dt.date | None = None


@dataclass(slots=True)
class SourceText:
    """One source's whole text with what dates it, for matchers that look past the claims' excerpts (every
    mention of a name, passages copied between sources)."""

    source_id: int
    source: str  # source path, as records name it
    text: str
    published: dt.date | None = None
    sections: list[SectionSpan] = field(default_factory=list)


def stated(times: int, sources: int) -> str:
    """How often a repeat is stated, in words: 'stated 2 times in 1 source', 'stated once in 1 source'."""
    return (f"stated {'once' if times == 1 else f'{times} times'} "
            f"in {sources} source{'' if sources == 1 else 's'}")


def place(r: ClaimRecord) -> tuple[str, int, int, str, int]:
    """Where a claim is: (source path, start, end, kind), then its id for exact ties. Matchers sort by it
    wherever the order of records could show in a flag (which statement is named, which group wins a tie),
    so that flags depend neither on the order records come in nor on the ids a database gave them (ids
    follow the order files were ingested in)."""
    return (r.source, r.start, r.end, r.kind, r.id)


@dataclass(slots=True)
class FlagDraft:
    """A finding before it is stored: its type, members (claim ids with roles) and explanation."""

    type: str  # conflict | repeat | quote_variant | alias | arithmetic | paraphrase
    subject: str
    summary: str
    score: float
    explanation: str
    members: list[tuple[int, str]]  # (claim id, role)
    details: Mapping[str, object] = field(default_factory=dict)  # stored as the flag's JSON details
