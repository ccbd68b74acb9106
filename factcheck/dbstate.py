"""Small facts about a database as a whole, kept in the `state` table (e.g. matching still pending)."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from factcheck.models import State

MATCH_PENDING = "match_pending"


def set_state(conn: Connection, key: str, value: str | None) -> None:
    """Set a key inside the caller's transaction."""
    if conn.execute(update(State).where(col(State.key) == key).values(value=value)).rowcount == 0:
        conn.execute(insert(State).values(key=key, value=value))


def get_state(engine: Engine, key: str) -> str | None:
    """A key's value, or None."""
    with engine.connect() as conn:
        return conn.execute(select(col(State.value)).where(col(State.key) == key)).scalar()


def matching_pending(engine: Engine) -> bool:
    """Whether documents were stored since matching last committed (e.g. an ingest was killed before it)."""
    return get_state(engine, MATCH_PENDING) == "1"
