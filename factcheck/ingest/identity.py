"""Which stored source a file is, whatever folder or spelling of it was given, and the names sources show.

A source is identified by its file's location: the absolute path of the folder it is in, with links and
`.`/`..` resolved, plus its own name (a linked file is its own location; a copy of the same bytes elsewhere is a
duplicate and is skipped). The same file reached through `seeds`, `./seeds/`, an absolute path or another
working directory is one source; two files named `article.txt` in two folders are two. A file whose location is
new but whose bytes equal a source whose file is gone has moved: it keeps that source (claims, verdicts, flags)
and the new location is recorded.

What a source shows as (`Source.path`, `source` in every listing) is its name relative to the folder given to
ingest; where two sources would show the same name, each shows as many of the folders above it as it takes to
tell them apart (`batch1/article.txt`, `batch2/article.txt`). Databases made before locations were stored have
sources with no location: a file whose name is theirs takes them over when its bytes are the same or its text
is mostly the same (a changed version); otherwise it is a new source.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection, Row
from sqlmodel import col

from factcheck.models import Source

if TYPE_CHECKING:
    _SourceRow = Row[int | None, str, str | None, str | None, str, str | None]  # a row of _COLUMNS

PENDING = "\x1f"  # prefix of a provisional shown name while names are rewritten (no file name holds it)
SIMILAR_LINES = 0.5  # share of a legacy source's distinct lines a same-named file must keep to be its new version


def storable(name: str) -> str:
    """A file name as text the database can hold: undecodable bytes become backslash escapes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def location_of(path: Path) -> str:
    """The file's location: its folder with links and dots resolved, then its own name."""
    folder = os.path.realpath(os.path.abspath(path.parent))
    return storable(os.path.join(folder, path.name))


@dataclass(frozen=True, slots=True)
class Known:
    """A stored source as identity sees it."""

    id: int
    path: str  # the name it shows
    name: str | None  # relative to the folder given when it was (last) ingested; None before locations existed
    location: str | None
    sha256: str
    fingerprint_key: str | None

    @property
    def key(self) -> str:
        """The namespace of its claims' fingerprints: fixed when the source is first stored."""
        return self.fingerprint_key or self.name or self.path


@dataclass(frozen=True, slots=True)
class Found:
    """How a file relates to what is stored: at its location, moved, a duplicate, a legacy source, or new."""

    how: str  # "here" | "moved" | "duplicate" | "legacy" | "new"
    source: Known | None = None


_COLUMNS = (col(Source.id), col(Source.path), col(Source.name), col(Source.location), col(Source.sha256),
            col(Source.fingerprint_key))


def _known(row: _SourceRow) -> Known:
    """A Known from a row of _COLUMNS."""
    return Known(row.id, row.path, row.name, row.location, row.sha256, row.fingerprint_key)


def _distinct_lines(text: str) -> set[str]:
    """The non-blank lines of a text, single-spaced."""
    return {" ".join(line.split()) for line in text.splitlines() if line.strip()}


def similar_text(old: str, new: str) -> bool:
    """Whether new keeps at least half the distinct lines of old (an edited version, not another document)."""
    a, b = _distinct_lines(old), _distinct_lines(new)
    return bool(a) and len(a & b) >= SIMILAR_LINES * len(a)


def _gone(location: str | None) -> bool:
    """Whether a stored location no longer holds a file (or was never recorded)."""
    if location is None:
        return True
    try:
        return not os.path.lexists(location)
    except (OSError, ValueError):
        return True


def find(conn: Connection, location: str, sha256: str, name: str, text: str) -> Found:
    """What stored source, if any, the file at location (with these bytes, name and text) is."""
    row = conn.execute(select(*_COLUMNS).where(col(Source.location) == location)).first()
    if row is not None:
        return Found("here", _known(row))
    same = [_known(r) for r in conn.execute(select(*_COLUMNS).where(col(Source.sha256) == sha256)
                                                      .order_by(col(Source.id)))]
    for s in same:  # same bytes: moved when its file is gone (or it predates locations), else a copy
        if _gone(s.location):
            return Found("moved", s)
    if same:
        return Found("duplicate", same[0])
    legacy = conn.execute(select(*_COLUMNS).where(col(Source.location).is_(None),
                                                  or_(col(Source.name) == name,
                                                      col(Source.name).is_(None) & (col(Source.path) == name)))
                          .order_by(col(Source.id))).first()
    if legacy is not None:
        old_text = conn.execute(select(col(Source.text)).where(col(Source.id) == legacy.id)).scalar_one()
        if similar_text(old_text, text):
            return Found("legacy", _known(legacy))
    return Found("new")


def _parts(location: str) -> list[str]:
    """A location's components, folders first."""
    return [p for p in PurePosixPath(location.replace(os.sep, "/")).parts if p != "/"]


def shown_names(sources: list[Known]) -> dict[int, str]:
    """The name each source shows: its relative name, lengthened by the folders above it where names clash."""
    extra = {s.id: 0 for s in sources}
    by_id = {s.id: s for s in sources}

    def label(s: Known) -> str:
        base = s.name or s.path
        if not extra[s.id] or not s.location:
            return base
        parts = _parts(s.location)
        k = len(PurePosixPath(base).parts) + extra[s.id]
        return s.location if k >= len(parts) else "/".join(parts[-k:])

    for _ in range(4096):
        shown = {s.id: label(s) for s in sources}
        groups: dict[str, list[int]] = {}
        for sid, name in shown.items():
            groups.setdefault(name, []).append(sid)
        clashes = [ids for ids in groups.values() if len(ids) > 1]
        if not clashes:
            return shown
        grew = False
        for ids in clashes:
            for sid in ids:
                s = by_id[sid]
                if s.location and label(s) != s.location:
                    extra[sid] += 1
                    grew = True
        if not grew:  # equal and nothing left to add (sources from before locations): tell them apart by id
            break
    shown = {s.id: label(s) for s in sources}
    seen: dict[str, int] = {}
    for sid in sorted(shown):
        n = seen.get(shown[sid], 0)
        seen[shown[sid]] = n + 1
        if n:
            shown[sid] = f"{shown[sid]} (#{sid})"
    return shown


def _lock_names(conn: Connection, base: str) -> None:
    """PostgreSQL: one writer at a time renames the sources sharing a file name (SQLite's write lock does it)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sql_text("SELECT pg_advisory_xact_lock(:k)"),
                     {"k": 0x6E000000 + zlib.crc32(base.encode("utf-8", "surrogatepass")) % 0x1000000})


def rename(conn: Connection, base: str) -> None:
    """Recompute the shown names of every source whose file is called base (inside the caller's transaction)."""
    _lock_names(conn, base)
    named = or_(col(Source.name) == base, col(Source.name).endswith("/" + base, autoescape=True))
    legacy = col(Source.name).is_(None) & or_(col(Source.path) == base,
                                              col(Source.path).endswith("/" + base, autoescape=True))
    rows = [_known(r) for r in conn.execute(select(*_COLUMNS).where(or_(named, legacy)))]
    rows = [r for r in rows if PurePosixPath(r.name or r.path).name == base]  # LIKE ignores case on SQLite
    for r in rows:  # sources from before locations keep their first name as name and fingerprint key
        if r.name is None:
            conn.execute(update(Source).where(col(Source.id) == r.id).values(name=r.path, fingerprint_key=r.path))
    rows = [Known(r.id, r.path, r.name or r.path, r.location, r.sha256, r.fingerprint_key or r.name or r.path)
            for r in rows]
    shown = shown_names(rows)
    changed = [r for r in rows if shown[r.id] != r.path]
    for r in changed:  # two steps, so no name is ever held twice (the column is unique)
        conn.execute(update(Source).where(col(Source.id) == r.id).values(path=f"{PENDING}{r.id}"))
    for r in changed:
        conn.execute(update(Source).where(col(Source.id) == r.id).values(path=shown[r.id]))


def provisional(location: str) -> str:
    """A shown name no other source holds, for a new row until rename() gives it its own."""
    return f"{PENDING}{location}"
