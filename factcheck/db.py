"""Database engine and sessions: SQLite ./claims.db by default, any SQLAlchemy URL otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
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
    add_missing_columns(engine)
    return engine


def add_missing_columns(engine: Engine) -> list[str]:
    """Bring tables made by an older version up to date: add every nullable column a model has and the
    table lacks (ALTER TABLE ... ADD COLUMN; SQLite and PostgreSQL). A table that also lacks a required
    column is not an older version of ours and is left alone. Returns the "table.column" names added."""
    inspector = inspect(engine)
    added: list[str] = []
    for table in SQLModel.metadata.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [c for c in table.columns if c.name not in have]
        if not missing or any(not c.nullable or c.primary_key for c in missing):
            continue
        quote = engine.dialect.identifier_preparer.quote
        for col in missing:
            sql = (f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(col.name)} "
                   f"{col.type.compile(dialect=engine.dialect)}")
            try:
                with engine.begin() as conn:
                    conn.exec_driver_sql(sql)
                    for index in table.indexes:
                        if col.name in index.columns:
                            index.create(conn, checkfirst=True)
            except SQLAlchemyError:  # another process may have added it meanwhile
                if col.name not in {c["name"] for c in inspect(engine).get_columns(table.name)}:
                    raise
            added.append(f"{table.name}.{col.name}")
    return added


def session(engine: Engine) -> Session:
    """A new ORM session on the engine."""
    return Session(engine)
