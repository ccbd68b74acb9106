"""Reads of the audit log: review decisions, newest first (decisions.py writes them)."""

from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy import select
from sqlalchemy.engine import Engine, Row
from sqlmodel import col

from factcheck.models import Claim, Decision, Flag
from factcheck.store.common import aware_utc

TARGETS = ("claim", "flag")


class HistoryEntry(TypedDict):
    """One Decision row as a plain dict (time as ISO 8601 UTC)."""

    id: int
    at: str | None
    reviewer: str
    target: str
    target_id: int
    field: str
    old: str | None
    new: str | None
    note: str | None
    fingerprint: str | None


class UnknownTarget(ValueError):
    """A target that is neither 'claim' nor 'flag' (or a target id without a target)."""


def target_table(target: str) -> type[Claim] | type[Flag]:
    """The model class for a target name."""
    if target == "claim":
        return Claim
    if target == "flag":
        return Flag
    raise UnknownTarget(f"unknown target {target!r}; valid: {', '.join(TARGETS)}")


def _entry(d: Row[Any]) -> HistoryEntry:
    """One Decision row as a plain dict (time as ISO 8601 UTC)."""
    at = aware_utc(d.at)
    return {"id": d.id, "at": at.isoformat() if at else None, "reviewer": d.reviewer, "target": d.target,
            "target_id": d.target_id, "field": d.field, "old": d.old, "new": d.new, "note": d.note,
            "fingerprint": d.fingerprint}


def history(engine: Engine, target: str | None = None, target_id: int | None = None,
            limit: int | None = None) -> list[HistoryEntry]:
    """Audit log entries, newest first; for one item, every decision on it (followed by its fingerprint)."""
    if target is not None:
        target_table(target)
    elif target_id is not None:
        raise UnknownTarget("target_id needs a target ('claim' or 'flag')")
    stmt = select(Decision).order_by(col(Decision.id).desc())
    with engine.connect() as conn:
        if target is not None:
            stmt = stmt.where(col(Decision.target) == target)
        if target_id is not None:
            assert target is not None  # refused above
            model = target_table(target)
            fp = conn.execute(select(col(model.fingerprint)).where(col(model.id) == target_id)).scalar()
            # ids of flags change when matching re-runs; the fingerprint stays with the item
            stmt = stmt.where(col(Decision.fingerprint) == fp if fp else col(Decision.target_id) == target_id)
        if limit is not None:
            stmt = stmt.limit(max(0, limit))
        return [_entry(d) for d in conn.execute(stmt)]
