"""What every read shares: ISO dates, row ids, byte-order sorting, the source filter, speakers, orphans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypedDict

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlmodel import col

from factcheck.models import Alias, Claim, Entity, Flag, Source
from factcheck.vocabulary import ClaimKind


def iso(d: dt.date | None) -> str | None:
    """ISO string for a date (or a datetime as stored) or None."""
    return d.isoformat() if d else None


def iso_utc(d: dt.date | None) -> str | None:
    """ISO string for a date, or a datetime with its UTC offset (a naive one is UTC, as stored), or None."""
    if isinstance(d, dt.datetime) and d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    return iso(d)


def aware_utc(t: dt.datetime | None) -> dt.datetime | None:
    """A stored timestamp as timezone-aware UTC (SQLite gives them back naive)."""
    if t is None:
        return None
    return t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t.astimezone(dt.timezone.utc)


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


def max_claim_id(engine: Engine) -> int:
    """The highest claim id (0 without claims): how wide an id column must be."""
    with engine.connect() as conn:
        n: int | None = conn.execute(select(func.max(col(Claim.id)))).scalar_one()
        return n or 0


def bytewise(engine: Engine, column: SQLCoreOperations[str]) -> SQLCoreOperations[str]:
    """A string column ordered by its bytes (code points), as SQLite does: PostgreSQL's default collation
    follows the server's locale, so "b_x" vs "bx" or "B" vs "a" would sort differently there."""
    return column.collate("C") if engine.dialect.name == "postgresql" else column


def source_matches(source: str) -> ColumnElement[bool]:
    """WHERE clause for a source named exactly or by a part of its path (case-insensitive, as SQLite's LIKE is;
    % and _ in the name are literal)."""
    return or_(col(Source.path) == source, col(Source.path).icontains(source, autoescape=True))


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


def quote_text_of(kind: str, text: str, quote_text: str | None) -> str | None:
    """The words a claim quotes: its own quote text when that differs from its span, else a quote's span."""
    return quote_text or (text if kind == ClaimKind.QUOTE else None)


class OrphanSnapshot(TypedDict):
    """Where an orphaned claim was when it was last in its source (offsets in that text), and its status then."""

    excerpt: str
    excerpt_start: int
    start: int
    end: int
    status: str | None


def orphan_snapshot(details: Mapping[str, Any] | None) -> OrphanSnapshot:
    """The snapshot an orphaned claim keeps in its details (missing parts: empty and 0)."""
    snap = (details or {}).get("orphaned") or {}
    return {"excerpt": snap.get("excerpt", ""), "excerpt_start": snap.get("excerpt_start", 0),
            "start": snap.get("start", 0), "end": snap.get("end", 0), "status": snap.get("status")}
