"""Database engine and sessions: SQLite ./claims.db by default, any SQLAlchemy URL otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, SQLModel, create_engine

from factcheck import models  # noqa: F401  (registers the tables)

DEFAULT_DB = "claims.db"


def resolve_url(db: str | None = None) -> str:
    """Turn --db / $FACTCHECK_DB / the default into a SQLAlchemy URL (a bare path means SQLite)."""
    raw = db or os.environ.get("FACTCHECK_DB") or DEFAULT_DB
    if "://" in raw:
        try:
            make_url(raw)
        except ArgumentError as exc:
            raise ValueError(f"not a valid database URL: {raw!r}") from exc
        return raw
    return f"sqlite:///{Path(raw).expanduser()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    """Per-connection SQLite settings: WAL for concurrent readers, foreign keys on."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(db: str | None = None) -> Engine:
    """Create the engine for a URL or path and make sure the tables exist."""
    url = resolve_url(db)
    engine = create_engine(url)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    SQLModel.metadata.create_all(engine)
    return engine


def session(engine: Engine) -> Session:
    """A new ORM session on the engine."""
    return Session(engine)
