"""Counts read from a test database, so tests compare with what the extractor and matcher stored."""

from __future__ import annotations

from sqlalchemy import func, select

from factcheck.db import make_engine
from factcheck.models import Flag


def stored_flags(db: str) -> int:
    """How many flags the database holds (whatever the matcher finds in the seeds)."""
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(Flag)).scalar_one())
    finally:
        engine.dispose()
