"""Database engine and sessions: SQLite ./claims.db by default, any SQLAlchemy URL otherwise (PostgreSQL
through psycopg is tested beside SQLite).

The schema is versioned with Alembic (factcheck/migrations). `make_engine` brings every database it opens
to the newest revision: a new database gets every revision; a database made before migrations existed
(our tables, no alembic_version) is first brought to revision 0001 (missing tables created, missing
nullable columns added) and stamped there, then upgraded like any other.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, Table, event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine import Engine as Engine  # re-exported: the review TUI names it from here, not SQLAlchemy
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session, SQLModel, create_engine

from factcheck import models  # noqa: F401  (registers the tables)

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

DEFAULT_DB = "claims.db"
MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x66616374  # PostgreSQL advisory lock held while one process migrates ("fact")


def resolve_url(db: str | None = None) -> str:
    """Turn --db / $FACTCHECK_DB / the default into a SQLAlchemy URL (a bare path means SQLite; postgresql://
    and postgres:// mean the psycopg driver)."""
    raw = db or os.environ.get("FACTCHECK_DB") or DEFAULT_DB
    if "://" in raw:
        try:
            url = make_url(raw)
        except ArgumentError as exc:
            raise ValueError(f"not a valid database URL: {raw!r}") from exc
        if url.drivername in ("postgresql", "postgres"):  # SQLAlchemy would pick psycopg2; the extra installs psycopg 3
            return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return raw
    return f"sqlite:///{Path(raw).expanduser()}"


def sqlite_file(db: str | None = None) -> Path | None:
    """The file a SQLite database lives in (for --db / $FACTCHECK_DB / the default); None for a server database
    or an in-memory one."""
    url = make_url(resolve_url(db))
    name = url.database
    if url.get_backend_name() != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def remove_sqlite_files(path: Path) -> None:
    """Delete a SQLite database file with its write-ahead log and shared-memory files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def display_url(url: str) -> str:
    """A URL fit to show: the path for SQLite, the URL with its password masked otherwise."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: object) -> None:
    """Per-connection SQLite settings: wait up to 30 s for a lock, WAL for concurrent readers, foreign keys on."""
    import sqlite3

    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")  # writers (reviewers, ingest, matching) queue instead of failing
    try:
        cur.execute("PRAGMA journal_mode=WAL")  # stored in the file: once any connection has set it, it stays
    except sqlite3.OperationalError as exc:  # another process holds the lock while creating the schema
        if "locked" not in str(exc):
            raise
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _postgresql_session(dbapi_conn: DBAPIConnection, _record: object) -> None:
    """Per-connection PostgreSQL settings: times come back in UTC whatever the server's time zone, as on SQLite."""
    autocommit = dbapi_conn.autocommit
    dbapi_conn.autocommit = True  # a SET outside any transaction, so it survives the pool's rollbacks
    try:
        cur = dbapi_conn.cursor()
        cur.execute("SET TIME ZONE 'UTC'")
        cur.close()
    finally:
        dbapi_conn.autocommit = autocommit


def _read_only_sqlite_url(db: str | None) -> str | None:
    """For a reader: a URL opening the SQLite file read-only when it or its folder cannot be written (a read-only
    mount or folder: WAL's -shm file cannot be made there, so the file is opened immutable), else None."""
    path = sqlite_file(db)
    if path is None or not path.exists():
        return None
    folder_writable = os.access(path.parent, os.W_OK)
    if folder_writable and os.access(path, os.W_OK):
        return None
    from urllib.parse import quote

    mode = "mode=ro" if folder_writable else "mode=ro&immutable=1"
    return f"sqlite:///file:{quote(str(path.resolve()))}?{mode}&uri=true"


def _sqlite_read_only_pragmas(dbapi_conn: DBAPIConnection, _record: object) -> None:
    """Per-connection settings of a read-only SQLite file: wait for locks, foreign keys on, nothing written."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(db: str | None = None, *, migrate: bool = True, read_only: bool = False) -> Engine:
    """Create the engine for a URL or path and bring its schema to the newest revision (unless migrate=False).
    read_only: the caller only reads; a SQLite file that cannot be written is then opened read-only (not
    migrated: it must be at the newest revision already)."""
    ro_url = _read_only_sqlite_url(db) if read_only else None
    engine = create_engine(ro_url or resolve_url(db))
    if ro_url:
        event.listen(engine, "connect", _sqlite_read_only_pragmas)
        if migrate:
            _require_current(engine)
        return engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_session)
    if migrate:
        upgrade(engine)
    return engine


def _require_current(engine: Engine) -> None:
    """A database that cannot be written must already be at the newest revision (it cannot be migrated)."""
    from factcheck.migrations import HEAD

    with engine.connect() as conn:
        rev = _stamped(conn)
    if rev != HEAD:
        raise ValueError(f"the database is read-only and at revision {rev or '(none)'}, not {HEAD}: it cannot be "
                         f"upgraded where it is; copy it somewhere writable first")


def damaged(engine: Engine) -> str | None:
    """Why a SQLite file must not be written to (PRAGMA quick_check finds damage), else None; other databases:
    None (the server checks its own pages)."""
    if engine.dialect.name != "sqlite":
        return None
    try:
        with engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check(3)")]
    except SQLAlchemyError as exc:
        return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["unreadable"])[0][:200]
    return None if rows == ["ok"] else " ".join("; ".join(rows).split())[:300]  # one line


# ---------------------------------------------------------------- migrations

def alembic_config() -> Config:
    """An Alembic Config for the package's migrations (no ini file needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    return cfg


@lru_cache(maxsize=1)
def script_directory() -> ScriptDirectory:
    """The migration scripts (read once per process)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this version of factcheck knows."""
    head = script_directory().get_current_head()
    if head is None:
        raise RuntimeError("the migrations have no head revision")
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision a database is stamped with; None when it has no alembic_version (new or made before)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def known_revision(rev: str) -> bool:
    """Whether a revision is one of this version's migrations."""
    from alembic.util import CommandError

    try:
        return script_directory().get_revision(rev) is not None
    except CommandError:  # "Can't locate revision ..."
        return False


def _our_tables() -> set[str]:
    """Names of the tables the models define."""
    return set(SQLModel.metadata.tables)


def _stamped(conn: Connection) -> str | None:
    """The database's revision, read without Alembic."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> str:
    """Bring the database to the head revision; says what was done: 'current', 'created', 'upgraded from R',
    'stamped 0001 and upgraded' (made before migrations), or 'not a factcheck database' (left alone)."""
    from factcheck.migrations import HEAD

    with engine.connect() as conn:  # the usual case: one look at alembic_version, Alembic not even imported
        if _stamped(conn) == HEAD:
            return "current"
    head = head_revision()
    try:
        return _upgrade(engine, head)
    except SQLAlchemyError:
        with engine.connect() as conn:  # another process migrated it at the same moment after all
            if current_revision(conn) == head:
                return "current"
        raise


def _upgrade(engine: Engine, head: str) -> str:
    """Migrate in one transaction that first takes a lock (PostgreSQL: an advisory lock; SQLite: the write
    lock), so processes opening the same database at once wait for each other and then find it current."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    from factcheck.migrations import baseline

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        elif conn.dialect.name == "sqlite":  # take the write lock now: DDL and all in one transaction
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        current = current_revision(conn)
        if current == head:
            return "current"
        if current is not None and not known_revision(current):
            raise ValueError(f"the database's schema is at revision {current}, which this version of factcheck "
                             f"does not know (newest: {head}); upgrade factcheck")
        done = "created" if current is None else f"upgraded from {current}"
        if current is None and _our_tables() & set(inspect(conn).get_table_names()):
            if not bring_to_baseline(conn):
                return "not a factcheck database"
            MigrationContext.configure(conn).stamp(script_directory(), baseline.REVISION)
            if head == baseline.REVISION:
                return f"stamped {baseline.REVISION}"
            done = f"stamped {baseline.REVISION} and upgraded"
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return done


def bring_to_baseline(conn: Connection) -> bool:
    """Bring a database made before migrations existed to the revision-0001 schema: create the tables it lacks,
    add the nullable columns and the indexes its tables lack. False if a table lacks a required column (not a
    factcheck table, or damaged): then nothing is changed and the database is not stamped."""
    from factcheck.migrations.baseline import schema

    md = schema()
    inspector = inspect(conn)
    existing = set(inspector.get_table_names())
    missing_columns: dict[str, list[Column[object]]] = {}
    for table in md.sorted_tables:
        if table.name not in existing:
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [c for c in table.columns if c.name not in have]
        if any(not c.nullable or c.primary_key for c in missing):
            return False
        missing_columns[table.name] = missing
    for table in md.sorted_tables:
        if table.name not in existing:
            table.create(conn)
    for name, columns in missing_columns.items():
        add_columns(conn, md.tables[name], columns)
        for index in md.tables[name].indexes:
            index.create(conn, checkfirst=True)
    return True


def add_columns(conn: Connection, table: Table, columns: Iterable[Column[object]]) -> list[str]:
    """ALTER TABLE ... ADD COLUMN for each (nullable) column, with the indexes on it; returns "table.column" names."""
    quote = conn.dialect.identifier_preparer.quote
    added = []
    for col in columns:
        conn.exec_driver_sql(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(col.name)} "
                             f"{col.type.compile(dialect=conn.dialect)}")
        for index in table.indexes:
            if col.name in index.columns:
                index.create(conn, checkfirst=True)
        added.append(f"{table.name}.{col.name}")
    return added


def unwritable(engine: Engine) -> str | None:
    """Why the database cannot take writes now (a read-only file or folder, a read-only server), else None."""
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # takes the write lock: refused on a read-only file
                conn.exec_driver_sql("ROLLBACK")
            elif (conn.dialect.name == "postgresql"
                  and conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on"):
                return "the server only allows reading (transaction_read_only)"
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return (reason or [type(exc).__name__])[0][:300]
    return None


def read_snapshot(conn: Connection) -> Connection:
    """Start a read transaction so every table is read from one consistent state (backups, streamed exports)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")  # pysqlite begins only before writes; WAL keeps this snapshot
    elif conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def session(engine: Engine) -> Session:
    """A new ORM session on the engine."""
    return Session(engine)
