"""Backup and restore: every table to one portable file and back, with the same ids.

The file is gzip'd JSON lines (UTF-8):

- line 1, the header: ``{"format": "factcheck-backup", "version": 1, "factcheck": ..., "created": ...,
  "dialect": ..., "schema": alembic revision, "tables": [...], "columns": {table: [column, ...]},
  "counts": {table: rows}}``;
- one line per row, tables in foreign-key order: ``["claim", [value, ...]]`` (values in the header's column
  order; dates and times as ISO 8601 strings, JSON columns as JSON, non-finite floats as "NaN"/"Infinity");
- last line, the trailer: ``{"end": true, "counts": {table: rows}}``; without it the file is truncated.

A backup is read in one snapshot (a read transaction), so it is consistent while others keep writing; it is
written through factcheck.safe_write (a regular file is replaced atomically via a private temporary file; '-',
/dev/stdout, devices and FIFOs are written straight through). A restore reads the whole file once to check it
before it writes anything (a pipe, FIFO or '-' is first read once into a temporary file), then writes every row in one
transaction (with ``force``: after deleting everything the target held, in the same transaction) and, on
PostgreSQL, moves each id sequence past the largest restored id. The target is at the newest schema revision
(opening it migrates it); a backup from an older revision restores when its columns still fit (a column added
since must be nullable), one from a revision this version does not know is refused. Only the model tables are
backed up (not alembic_version). A JSON column holding JSON ``null`` is restored as SQL NULL (both read back
as None).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import math
import os
import stat
import sys
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    func,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import SQLModel

from factcheck import __version__, models  # noqa: F401  (models registers the tables)
from factcheck.db import read_snapshot
from factcheck.safe_write import CountingFile, OutputError, SafeOutput

FORMAT = "factcheck-backup"
VERSION = 1
BATCH = 1000
SPOOL_LIMIT = 4 << 30  # bytes of a backup read from a pipe (kept in a temporary file while it is restored)
SUMMARY_ORDER = ("source", "section", "entity", "alias", "claim", "flag", "flagmember", "decision")
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class BackupError(Exception):
    """A backup that cannot be written or a file that cannot be restored; the message is one line."""


@dataclass
class Report:
    """What a backup or restore did: rows per table (every table, in foreign-key order) and the file size."""

    path: str
    counts: dict[str, int]
    bytes: int = 0

    @property
    def rows(self) -> int:
        """Rows over all tables."""
        return sum(self.counts.values())

    def summary(self) -> str:
        """`5 source, 9 section, 409 claim, ...` (every table with rows, then the total)."""
        return f"{describe(self.counts)} ({self.rows} rows)"


def describe(counts: dict[str, int]) -> str:
    """`5 source, 9 section, ...`: the tables that have rows, sources first; 'no rows' for none."""
    order = {name: i for i, name in enumerate(SUMMARY_ORDER)}
    names = sorted(counts, key=lambda t: order.get(t, len(order)))
    return ", ".join(f"{counts[t]} {t}" for t in names if counts[t]) or "no rows"


def tables() -> list[Table]:
    """Every table the models define, parents before the tables that refer to them."""
    return list(SQLModel.metadata.sorted_tables)


def _pk(table: Table) -> list[Column[Any]]:
    """The primary key columns (every table has one; fall back to all columns for a stable order)."""
    return list(table.primary_key.columns) or list(table.columns)


# --- values -------------------------------------------------------------------------------------------------


def _encode(value: object) -> object:
    """A column value as JSON: ISO dates and times, JSON columns as they are, non-finite floats as strings."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def _decode(value: Any, col: Column[Any], where: str) -> object:
    """A JSON value back as the column's Python type; BackupError when it cannot be one."""
    if value is None:
        if not col.nullable:
            raise BackupError(f"{where}: {col.name} is empty but required")
        return None
    t = col.type.impl if isinstance(col.type, TypeDecorator) else col.type  # e.g. SQLModel's UTCDateTime
    try:
        if isinstance(t, JSON):
            return value
        if isinstance(t, DateTime):
            when = dt.datetime.fromisoformat(value)
            if t.timezone and when.tzinfo is None:  # written from a column without time zones: UTC
                when = when.replace(tzinfo=dt.timezone.utc)
            return when
        if isinstance(t, Date):
            return dt.date.fromisoformat(value)
        if isinstance(t, Boolean):
            if isinstance(value, bool):
                return value
        elif isinstance(t, Float):
            if isinstance(value, str) and value in _NON_FINITE:
                return _NON_FINITE[value]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
        elif isinstance(t, Integer):
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif isinstance(t, String):  # String, Text, AutoString
            if isinstance(value, str):
                return value
        else:
            return value
    except (TypeError, ValueError):
        pass
    raise BackupError(f"{where}: {col.name} has a bad value {_short(value)}")


def _short(value: object) -> str:
    """A value for an error message, on one short line."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


# --- backup -------------------------------------------------------------------------------------------------


def _schema_revision(conn: Connection) -> str | None:
    """The database's schema revision (Alembic), or None when it has none."""
    from factcheck.db import current_revision

    return current_revision(conn)


def _known_revision(revision: str) -> bool:
    """Whether this version of factcheck knows a schema revision (it may restore rows written at it)."""
    from factcheck.db import script_directory

    try:
        return script_directory().get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises for revisions it cannot resolve
        return False


def backup(engine: Engine, path: str | os.PathLike[str]) -> Report:
    """Write every row of every table to path (gzip'd JSON lines; see factcheck.safe_write for how: a regular
    file is replaced atomically, '-' and devices are written straight through). Returns the counts."""
    try:
        out = SafeOutput(path)
        with out as raw_file:
            counts = _write_backup(engine, raw_file)
    except OutputError as exc:
        raise BackupError(str(exc)) from exc
    return Report(str(path), counts, out.bytes)


def _write_backup(engine: Engine, raw_file: CountingFile) -> dict[str, int]:
    """Read every table in one snapshot and write the header, the rows and the trailer to a binary file."""
    all_tables = tables()
    counts: dict[str, int] = {}
    with engine.connect() as raw:
        conn = read_snapshot(raw)
        for table in all_tables:
            counts[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        header = {"format": FORMAT, "version": VERSION, "factcheck": __version__,
                  "created": dt.datetime.now(dt.timezone.utc).isoformat(), "dialect": engine.dialect.name,
                  "schema": _schema_revision(conn),
                  "tables": [t.name for t in all_tables],
                  "columns": {t.name: [c.name for c in t.columns] for t in all_tables}, "counts": counts}
        with gzip.open(raw_file, "wt", encoding="utf-8", newline="\n") as f:
            f.write(json.dumps(header, ensure_ascii=False) + "\n")
            for table in all_tables:
                written = 0
                stmt = select(table).order_by(*_pk(table)).execution_options(yield_per=BATCH)
                for row in conn.execute(stmt):
                    f.write(json.dumps([table.name, [_encode(v) for v in row]], ensure_ascii=False) + "\n")
                    written += 1
                if written != counts[table.name]:  # cannot happen inside one snapshot
                    raise BackupError(f"{table.name} changed while it was read; try again")
            f.write(json.dumps({"end": True, "counts": counts}) + "\n")
        raw.rollback()
    return counts


# --- reading a backup ---------------------------------------------------------------------------------------


def _lines(path: Path, name: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of a gzip'd (or plain) JSON lines file, opened once; BackupError on a damaged file."""
    n = 0
    try:
        with open(path, "rb") as raw:
            gzipped = raw.peek(2)[:2] == b"\x1f\x8b"
            binary = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw
            with io.TextIOWrapper(binary, encoding="utf-8", newline="\n") as f:
                for n, line in enumerate(f, 1):
                    yield n, line
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:  # truncated or corrupt compressed data
        where = f"after line {n}" if n else "at the start"
        raise BackupError(f"{name}: damaged or truncated file ({where}: {exc})") from exc
    except UnicodeDecodeError as exc:
        raise BackupError(f"{name}: not a factcheck backup (line {n + 1} is not UTF-8 text)") from exc
    except OSError as exc:
        raise BackupError(f"{name}: {exc.strerror or exc}") from exc


@contextmanager
def _seekable(path: str | os.PathLike[str], limit: int) -> Iterator[Path]:
    """A regular file as it is; a pipe, FIFO, device or '-' (standard input) read once into a temporary file
    (at most limit bytes; removed afterwards), so the file can be read twice (check, then restore)."""
    name = str(path)
    try:
        regular = name != "-" and stat.S_ISREG(os.stat(name).st_mode)
    except OSError as exc:
        raise BackupError(f"{name}: {exc.strerror or exc}") from exc
    if regular:
        yield Path(name)
        return
    with tempfile.NamedTemporaryFile(prefix="factcheck-restore-", suffix=".spool") as spool:
        _spool(name, spool, limit)
        yield Path(spool.name)


def _spool(name: str, spool: IO[bytes], limit: int) -> None:
    """Copy standard input ('-') or a stream to the spool file; BackupError past limit bytes."""
    try:
        src = sys.stdin.buffer if name == "-" else open(name, "rb")  # a FIFO waits here for its writer
        try:
            size = 0
            while chunk := src.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise BackupError(f"{name}: more than {limit:,} bytes from a stream; save it to a file and "
                                      f"restore from that")
                spool.write(chunk)
        finally:
            if src is not sys.stdin.buffer:
                src.close()
        spool.flush()
    except OSError as exc:
        raise BackupError(f"{name}: {exc.strerror or exc}") from exc


@dataclass
class _Plan:
    """A checked header: which model tables the file's tables are and where each model column comes from."""

    header: dict[str, Any]  # the file's JSON header
    tables: dict[str, Table]  # by name, in the file's order
    # per table: model column, index in the file row (None: absent)
    take: dict[str, list[tuple[Column[Any], int | None]]]


def _plan(header: object, path: str) -> _Plan:
    """Check the header against the models: known format and version, known tables and columns."""
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path}: not a factcheck backup (no {FORMAT} header)")
    version = header.get("version")
    if not isinstance(version, int) or version > VERSION or version < 1:
        raise BackupError(f"{path}: backup format version {version!r} is not supported (this factcheck reads "
                          f"version {VERSION}; upgrade factcheck)")
    schema = header.get("schema")
    if schema is not None and (not isinstance(schema, str) or not _known_revision(schema)):
        raise BackupError(f"{path}: written at schema revision {schema!r}, which this version of factcheck does "
                          f"not know; upgrade factcheck")
    names, columns, counts = header.get("tables"), header.get("columns"), header.get("counts")
    if not (isinstance(names, list) and isinstance(columns, dict) and isinstance(counts, dict)):
        raise BackupError(f"{path}: damaged header (tables, columns or counts missing)")
    known = {t.name: t for t in tables()}
    plan_tables: dict[str, Table] = {}
    take: dict[str, list[tuple[Column[Any], int | None]]] = {}
    for name in names:
        table = known.get(name)
        if table is None:
            raise BackupError(f"{path}: table {name!r} is unknown to this version of factcheck")
        cols = columns.get(name)
        if not isinstance(cols, list) or not isinstance(counts.get(name), int):
            raise BackupError(f"{path}: damaged header (no columns or count for {name})")
        unknown = [c for c in cols if c not in table.columns]
        if unknown:
            raise BackupError(f"{path}: column {name}.{unknown[0]} is unknown to this version of factcheck")
        pairs: list[tuple[Column[Any], int | None]] = []
        for col in table.columns:
            if col.name in cols:
                pairs.append((col, cols.index(col.name)))
            elif col.nullable and not col.primary_key:
                pairs.append((col, None))  # an older backup: the column came later
            else:
                raise BackupError(f"{path}: the backup has no column {name}.{col.name}, which is required")
        plan_tables[name] = table
        take[name] = pairs
    return _Plan(header, plan_tables, take)


def _rows(local: Path, path: str) -> tuple[_Plan, Iterator[tuple[Table, dict[str, object]]]]:
    """The checked header and an iterator of (table, row as model values) of the file at local (named path in
    messages); the iterator raises BackupError on any damage, including a missing trailer or counts that differ
    from the header's."""
    lines = _lines(local, path)
    try:
        n, first = next(lines)
    except StopIteration:
        raise BackupError(f"{path}: empty file, not a factcheck backup") from None
    try:
        header = json.loads(first)
    except ValueError:
        raise BackupError(f"{path}: not a factcheck backup (line 1 is not a JSON header)") from None
    plan = _plan(header, path)

    def rows() -> Iterator[tuple[Table, dict[str, object]]]:
        seen = {name: 0 for name in plan.tables}
        ncols = {name: len(plan.header["columns"][name]) for name in plan.tables}
        ended = False
        for n, line in lines:
            if ended:
                raise BackupError(f"{path}: line {n}: data after the end marker")
            try:
                item = json.loads(line)
            except ValueError:
                raise BackupError(f"{path}: line {n} is damaged (not JSON)") from None
            if isinstance(item, dict) and item.get("end") is True:
                if item.get("counts") != plan.header["counts"] or seen != plan.header["counts"]:
                    raise BackupError(f"{path}: row counts differ from the header's; the file is damaged")
                ended = True
                continue
            if not (isinstance(item, list) and len(item) == 2 and item[0] in plan.tables
                    and isinstance(item[1], list) and len(item[1]) == ncols[item[0]]):
                raise BackupError(f"{path}: line {n} is damaged (not a row of a known table)")
            name, values = item
            seen[name] += 1
            where = f"{path}: line {n} ({name})"
            yield plan.tables[name], {col.name: (None if i is None else _decode(values[i], col, where))
                                      for col, i in plan.take[name]}
        if not ended:
            raise BackupError(f"{path}: truncated file (no end marker after line {n})")

    return plan, rows()


def verify(path: str | os.PathLike[str], *, limit: int = SPOOL_LIMIT) -> Report:
    """Read a whole backup file and check it (format, every row, the end marker, counts); its counts."""
    with _seekable(path, limit) as local:
        return _verify(local, str(path))


def _verify(local: Path, path: str) -> Report:
    """Check the (seekable) file at local, named path in messages."""
    plan, rows = _rows(local, path)
    for _ in rows:
        pass
    counts = {name: plan.header["counts"][name] for name in plan.tables}
    return Report(path, counts, local.stat().st_size)


# --- restore ------------------------------------------------------------------------------------------------


def _insert_table(table: Table) -> Table:
    """A copy of the table for inserts that stores None in JSON columns as SQL NULL (not JSON null)."""
    cols = [Column(c.name, JSON(none_as_null=True) if isinstance(c.type, JSON) else c.type,
                   primary_key=c.primary_key, autoincrement=False) for c in table.columns]
    return Table(table.name, MetaData(), *cols)


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables()}


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: make each table's id sequence continue after the largest id (or start at 1)."""
    if conn.dialect.name != "postgresql":
        return  # SQLite takes max(rowid) + 1 by itself
    quote = conn.dialect.identifier_preparer.quote
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        t, c = quote(table.name), quote(pk[0].name)
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{t}', '{pk[0].name}'), "
            f"COALESCE((SELECT MAX({c}) FROM {t}), 0) + 1, false)")


def restore(engine: Engine, path: str | os.PathLike[str], *, force: bool = False, limit: int = SPOOL_LIMIT) -> Report:
    """Restore a backup into the database: refused (BackupError) when it holds any rows, unless force, which
    deletes everything first in the same transaction. The file is checked in full before anything is written;
    a pipe, FIFO or '-' (standard input) is read once, into a temporary file of at most limit bytes."""
    with _seekable(path, limit) as local:
        report = _verify(local, str(path))
        try:
            return _restore_checked(engine, local, report, force)
        except (IntegrityError, DataError) as exc:  # e.g. a row twice, or a claim of no source: all rolled back
            first = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0][:200]
            raise BackupError(f"{path}: the rows do not fit together ({first}); nothing restored") from exc


def _restore_checked(engine: Engine, local: Path, report: Report, force: bool) -> Report:
    """Write a checked backup file (at local) into the database in one transaction (see restore)."""
    path = report.path
    targets = {t.name: _insert_table(t) for t in tables()}
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock before counting
        have = row_counts(conn)
        if any(have.values()) and not force:
            raise BackupError(f"the database is not empty ({describe(have)}); restore into an empty database, "
                              f"or pass --force to replace everything in it")
        if any(have.values()):
            for table in reversed(tables()):
                conn.execute(table.delete())
        _, rows = _rows(local, path)
        batch: list[dict[str, object]] = []
        current: Table | None = None
        for table, row in rows:
            if table is not current or len(batch) >= BATCH:
                if batch and current is not None:  # a batch always has its table
                    conn.execute(targets[current.name].insert(), batch)
                batch, current = [], table
            batch.append(row)
        if batch and current is not None:
            conn.execute(targets[current.name].insert(), batch)
        _reset_sequences(conn)
        after = row_counts(conn)
        wanted = {t.name: report.counts.get(t.name, 0) for t in tables()}
        if after != wanted:  # the file changed between the check and the restore
            raise BackupError(f"{path}: restored rows differ from the file's counts; nothing restored")
    return Report(str(path), wanted, report.bytes)
