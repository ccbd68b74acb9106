"""Ingest files into the database: load, lay out, extract, store (one transaction per document)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import col

from factcheck.dbstate import MATCH_PENDING, set_state
from factcheck.extract.document import Extraction, SectionSpan, extract_document, normalise
from factcheck.extract.entities import EntityRecord
from factcheck.extract.types import ClaimDraft
from factcheck.ingest import identity
from factcheck.ingest.loaders import (
    DEFAULT_MAX_BYTES,
    LoadedDocument,
    LoadError,
    iter_document_paths,
    load_document,
    unsupported_reason,
)
from factcheck.ingest.metadata import (
    FROM_FRONT_MATTER,
    FROM_TOML,
    TOML_NAME,
    MetadataFinder,
    MetaValue,
    Resolved,
    blank,
    clean_values,
    front_matter,
    front_matter_values,
    resolve,
)
from factcheck.ingest.reanchor import SYSTEM_REVIEWER, ClaimRow, Reanchored, reanchor
from factcheck.ingest.sections import Layout, layout
from factcheck.ingest.workers import in_order
from factcheck.models import Alias, Claim, Decision, Entity, Section, Source, utcnow


@dataclass(slots=True)
class FileProblem:
    """A file that could not be ingested, with the reason."""

    path: str
    reason: str


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    moved: int = 0  # same bytes at a new location: the source kept, its location updated
    updated: int = 0  # of the unchanged: metadata (sources.toml, front matter) updated in place
    duplicates: int = 0
    sections: int = 0
    claims: int = 0
    bytes: int = 0
    seconds: float = 0.0
    problems: list[FileProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[FileProblem] = field(default_factory=list)  # files of a type no loader reads, not ingested
    skipped_named: int = 0  # of the skipped: files named on the command line (not found in a folder)

    @property
    def sources(self) -> int:
        """Sources stored or refreshed by this run."""
        return self.added + self.replaced


def _first_line(exc: BaseException) -> str:
    """First line of an exception message (SQLAlchemy appends SQL and links)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


NO_ROOM = ("disk i/o error", "database or disk is full", "no space left", "file too large")


def _database_reason(exc: BaseException) -> str:
    """What a failed document write says to the user: the driver's words, and what they usually mean."""
    first = _first_line(exc)
    if any(words in first.lower() for words in NO_ROOM):
        return f"no room to write (disk full or a file size limit?): {first}"
    return first


_storable = identity.storable


def expand_paths(paths: Iterable[str | Path],
                 on_skip: Callable[[Path, str], None] | None = None,
                 on_unsupported: Callable[[Path], None] | None = None) -> Iterator[tuple[Path, str]]:
    """(file, stored name) for every file under the given paths; names are relative to the folder given.
    on_skip(path, why) hears of what the walk leaves out (a folder link looping back, once); on_unsupported(path)
    of the files in a folder that no loader reads (see iter_document_paths)."""
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            for f in iter_document_paths(root, on_skip, on_unsupported):
                yield f, _storable(f.relative_to(root).as_posix())
        else:
            yield root, _storable(root.name)


def _iso_date(value: str | None) -> dt.date | None:
    """Parse an ISO date (or datetime) string from metadata."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


FINGERPRINT_CONTEXT = 60  # characters of excerpt on each side that go into a claim's identity


def fingerprint(key: str, draft: ClaimDraft, text: str, seen: dict[str, int]) -> str:
    """Offset-free identity of a claim: its source's fingerprint key, kind, its text and the excerpt context
    around it, plus an occurrence count for identical repeats."""
    left = text[max(draft.excerpt_start, draft.start - FINGERPRINT_CONTEXT):draft.start]
    right = text[draft.end:min(draft.excerpt_end, draft.end + FINGERPRINT_CONTEXT)]
    base = key + "\x00" + draft.kind + "\x00" + normalise(f"{left}\x00{draft.text}\x00{right}")
    digest = hashlib.sha1(base.encode("utf-8")).hexdigest()[:20]
    n = seen.get(digest, 0)
    seen[digest] = n + 1
    return digest if n == 0 else f"{digest}-{n}"


@dataclass(slots=True)
class _EntityRow:
    """A stored entity's id and role, as store_entities needs them."""

    id: int
    role: str | None


def store_entities(conn: Connection, records: list[EntityRecord], used: set[int]) -> dict[int, int]:
    """Get or create the speaking entities (by kind and canonical name) with their aliases; key -> entity id."""
    wanted = [r for r in records if r.key in used and r.kind != "merged"]
    if not wanted:
        return {}
    names = {r.name for r in wanted}

    def stored() -> dict[tuple[str, str], _EntityRow]:
        """The stored entities with one of the wanted names, by (kind, name)."""
        return {(row.kind, row.name): _EntityRow(row.id, row.role) for row in conn.execute(
            select(col(Entity.id), col(Entity.kind), col(Entity.name), col(Entity.role))
            .where(col(Entity.name).in_(names)))}

    existing = stored()
    known: dict[int, set[str]] = {}
    if existing:
        ids = [row.id for row in existing.values()]
        for eid, text in conn.execute(select(col(Alias.entity_id), col(Alias.text))
                                      .where(col(Alias.entity_id).in_(ids))):
            known.setdefault(eid, set()).add(text)
    new: dict[tuple[str, str], str | None] = {}
    for rec in wanted:
        if (rec.kind, rec.name) not in existing:
            new.setdefault((rec.kind, rec.name), rec.role)
    if new:  # one statement for all new entities, then their ids
        conn.execute(insert(Entity), [{"kind": k, "name": n, "role": role} for (k, n), role in new.items()])
        existing = stored()
    out: dict[int, int] = {}
    aliases: list[dict[str, object]] = []
    for rec in wanted:
        row = existing[(rec.kind, rec.name)]
        if rec.role and not row.role:
            conn.execute(update(Entity).where(col(Entity.id) == row.id).values(role=rec.role))
            row.role = rec.role
        have = known.setdefault(row.id, set())
        for a in sorted(rec.aliases | {rec.name}):
            if a not in have:
                have.add(a)
                aliases.append({"entity_id": row.id, "text": a})
        out[rec.key] = row.id
    if aliases:
        conn.execute(insert(Alias), aliases)
    return out


def _claim_rows(key: str, text: str, drafts: list[ClaimDraft], source_id: int,
                section_ids: list[tuple[int, int]], speakers: dict[int, int] | None = None) -> list[ClaimRow]:
    """Rows for a bulk insert of claims, each with its section and speaker (unreviewed)."""
    rows: list[ClaimRow] = []
    seen: dict[str, int] = {}
    now = utcnow()
    speakers = speakers or {}
    si = 0
    for d in drafts:
        while si + 1 < len(section_ids) and section_ids[si + 1][0] <= d.start:
            si += 1
        fp = fingerprint(key, d, text, seen)
        details = {k: v for k, v in d.extra.items() if k != "speaker_key"} or None
        quote_text = details.pop("quote_text", None) if details else None
        speaker_key = d.extra.get("speaker_key")
        rows.append({
            "source_id": source_id, "section_id": section_ids[si][1] if section_ids else None,
            "kind": d.kind, "start": d.start, "end": d.end, "text": d.text,
            "excerpt_start": d.excerpt_start, "excerpt_end": d.excerpt_end,
            "value": d.value, "low": d.low, "high": d.high, "unit": d.unit, "qualifier": d.qualifier,
            "date": d.date, "date_end": d.date_end, "date_precision": d.date_precision,
            "relative": d.relative, "relative_to": d.relative_to, "subject": d.subject,
            "speaker_entity_id": speakers.get(speaker_key) if speaker_key is not None else None,
            "quote_text": quote_text if quote_text not in (None, d.text) else None,  # only when it differs
            "details": details, "fingerprint": fp,
            "status": "unreviewed", "note": None, "version": 1, "updated_at": now,
        })
    return rows


SourceColumns = dict[str, MetaValue | int | None]  # metadata columns of a Source row, by name


def _source_columns(lay: Layout, meta: Resolved) -> SourceColumns:
    """The metadata columns of a Source row: title and publication date from the layout, the rest as resolved."""
    return {"title": lay.title, "published": lay.published, "published_evidence": lay.published_evidence,
            "published_start": lay.published_start, **meta.columns()}


SOURCE_CLAIMANT_KEY = -1  # the entity key of a source's own claimant (extraction numbers its entities from 0)


def source_claimant(meta: Resolved) -> EntityRecord | None:
    """Who a source's unattributed figures and dates belong to: its author (a person), else its outlet or
    publisher (an organisation), from the source's metadata; None when it names neither."""
    if meta.author:  # stored as "A; B" for several: the byline reads "A and B"
        names = [" ".join(a.split()) for a in meta.author.split(";") if a.strip()]
        if names:
            return EntityRecord(SOURCE_CLAIMANT_KEY, "person" if len(names) == 1 else "org", " and ".join(names))
    org = meta.outlet or meta.publisher
    if org:
        return EntityRecord(SOURCE_CLAIMANT_KEY, "org", " ".join(org.split()))
    return None


def _store_sections(conn: Connection, source_id: int, lay: Layout) -> list[tuple[int, int]]:
    """Insert a document's sections in one statement; (start, section id) of each, in order."""
    if not lay.sections:
        return []
    conn.execute(insert(Section), [
        {"source_id": source_id, "ordinal": i, "heading": s.heading, "dated": s.dated,
         "dateline_start": s.dateline_start, "dateline_end": s.dateline_end, "start": s.start, "end": s.end}
        for i, s in enumerate(lay.sections)])
    ids = conn.execute(select(col(Section.id)).where(col(Section.source_id) == source_id)
                       .order_by(col(Section.ordinal))).scalars()
    return [(s.start, sid) for s, sid in zip(lay.sections, ids, strict=False) if sid is not None]  # ids: stored, set


def store_document(conn: Connection, name: str, doc: LoadedDocument, lay: Layout, drafts: list[ClaimDraft],
                   replace: identity.Known | None, entities: list[EntityRecord] | None = None,
                   meta: Resolved | None = None, extract_text: str | None = None,
                   location: str | None = None) -> int:
    """Write one document (source, sections, claims) inside the caller's transaction: a new source, or a new
    version of the stored source replace (same id; its claims are re-anchored and the change is logged).
    extract_text is the text the drafts were found in when it differs from doc.text (front matter blanked;
    same length); location is the file's (identity.location_of), the name itself when not given."""
    meta = meta or Resolved(author=doc.author)
    location = location or name
    row = dict(name=name, location=location, sha256=doc.sha256, fmt=doc.fmt, **_source_columns(lay, meta),
               text=doc.text, ingested_at=utcnow())
    old: tuple[str, str] | None = None  # the replaced version's text and sha256
    source_id: int
    if replace is None:
        key = location
        inserted = conn.execute(insert(Source).values(**row, path=identity.provisional(location),
                                                      fingerprint_key=key)).inserted_primary_key
        if inserted is None:
            raise RuntimeError("the database gave no id for the new source")
        source_id = inserted[0]
    else:  # same Source row (same id), new text: claims are re-anchored below, not deleted
        source_id, key = replace.id, replace.key
        stored_text, stored_sha = conn.execute(select(col(Source.text), col(Source.sha256))
                                               .where(col(Source.id) == source_id)).one()
        old = (stored_text, stored_sha)
        conn.execute(update(Source).where(col(Source.id) == source_id).values(**row, fingerprint_key=key))
        conn.execute(update(Claim).where(col(Claim.source_id) == source_id).values(section_id=None))
        conn.execute(delete(Section).where(col(Section.source_id) == source_id))
    section_ids = _store_sections(conn, source_id, lay)
    entities = list(entities or [])
    claimant = source_claimant(meta)
    if claimant is not None:
        entities.append(claimant)
        for d in drafts:  # a figure nobody is quoted as giving is the source's own
            if d.kind in ("quantity", "date") and d.extra.get("speaker_key") is None \
                    and "speaker_from" not in d.extra:  # inside speech whose speaker is not resolved: not it
                d.extra["speaker_key"] = claimant.key
                d.extra["speaker_from"] = "source"
    used = {d.extra["speaker_key"] for d in drafts if d.extra.get("speaker_key") is not None}
    speakers = store_entities(conn, entities, used)
    text = extract_text or doc.text
    rows = _claim_rows(key, text, drafts, source_id, section_ids, speakers)
    if old is not None:
        done = reanchor(conn, source_id, old[0], text, rows)
        rows = done.new_rows
        _log_new_version(conn, source_id, old[1], doc.sha256, done)
    if rows:
        bulk_insert(conn, _CLAIMS, rows)
    identity.rename(conn, PurePosixPath(name).name)
    if replace is not None and replace.name and PurePosixPath(replace.name).name != PurePosixPath(name).name:
        identity.rename(conn, PurePosixPath(replace.name).name)
    set_state(conn, MATCH_PENDING, "1")  # with the document: its flags are due until matching commits
    return source_id


def _log_new_version(conn: Connection, source_id: int, old_sha: str, new_sha: str,
                     done: Reanchored) -> None:
    """An audit entry by factcheck: the source was replaced by a changed version, and what became of its claims."""
    extra = "".join(f", {n} {what}" for n, what in ((done.restored, "back"), (done.dropped, "unreviewed dropped"))
                    if n)
    note = (f"changed file: {done.kept + done.moved} claims found again, {done.orphaned} orphaned{extra}, "
            f"{len(done.new_rows)} new")
    conn.execute(insert(Decision).values(at=utcnow(), reviewer=SYSTEM_REVIEWER, target="source", target_id=source_id,
                                         field="sha256", old=old_sha, new=new_sha, note=note))


def record_move(conn: Connection, source: identity.Known, location: str, name: str) -> None:
    """The same bytes were found at a new location: the source keeps everything, its location and name change
    (with an audit entry by factcheck), and the names sources show are worked out again."""
    conn.execute(update(Source).where(col(Source.id) == source.id).values(location=location, name=name,
                                                                     fingerprint_key=source.key))
    conn.execute(insert(Decision).values(at=utcnow(), reviewer=SYSTEM_REVIEWER, target="source", target_id=source.id,
                                         field="location", old=source.location or source.name or source.path,
                                         new=location, note="the same file found at a new location"))
    for base in {PurePosixPath(name).name, PurePosixPath(source.name or source.path).name}:
        identity.rename(conn, base)
    set_state(conn, MATCH_PENDING, "1")  # flag texts name the sources: matching words them again


def _sqlite_datetime(v: dt.datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite."""
    return v.strftime("%Y-%m-%d %H:%M:%S.%f")


_JSON = json.JSONEncoder(ensure_ascii=False)  # made once: json.dumps with options builds one per call


def _sqlite_json(v: object) -> str:
    """A JSON column's value as SQLAlchemy stores it in SQLite."""
    return _JSON.encode(v)


# how each column type that SQLite cannot take as is gets stored (ISO dates, JSON text, 0/1)
_SQLITE_CONVERTERS: dict[str, Callable[..., str | int]] = {"DATE": dt.date.isoformat, "DATETIME": _sqlite_datetime,
                                           "JSON": _sqlite_json, "BOOLEAN": int}


_CLAIMS: Table = Claim.__table__  # type: ignore[attr-defined]  # sqlmodel's stubs omit the table it sets


def bulk_insert(conn: Connection, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
    """Insert many rows at once: a plain executemany on SQLite (skips per-value bind processing on the
    hot path; only date, JSON and boolean columns are converted, each by its column's converter), a Core
    insert on other databases. Every row has the keys of the first."""
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    cols = list(rows[0])
    types = {c.name: str(c.type) for c in table.columns}
    special = [(i, _SQLITE_CONVERTERS[types[c]]) for i, c in enumerate(cols) if types.get(c) in _SQLITE_CONVERTERS]
    take = operator.itemgetter(*cols)
    values = []
    last: dict[int, tuple[object, object]] = {i: (None, None) for i, _ in special}
    for r in rows:
        v = list(take(r))
        for i, conv in special:
            x = v[i]
            if x is not None:
                if x is last[i][0]:  # one timestamp for a whole document's rows: converted once
                    v[i] = last[i][1]
                else:
                    v[i] = conv(x)
                    last[i] = (x, v[i])
        values.append(tuple(v))
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    conn.exec_driver_sql(sql, values)


def _file_layer(doc: LoadedDocument) -> tuple[str, dict[str, MetaValue]]:
    """What the file itself says about its source (title, author, URL, site name), weakest of the layers."""
    values = {"title": doc.title, "author": doc.author, "url": doc.url, "outlet": doc.outlet}
    return doc.meta_origin or "document metadata", {k: v for k, v in values.items() if v}


def _update_metadata(conn: Connection, source_id: int, columns: SourceColumns, lay: Layout) -> None:
    """Write changed metadata onto a source whose text is unchanged, and its section headings."""
    conn.execute(update(Source).where(col(Source.id) == source_id).values(**columns))
    for i, s in enumerate(lay.sections):
        conn.execute(update(Section).where(col(Section.source_id) == source_id, col(Section.ordinal) == i)
                     .values(heading=s.heading))


def _root_of(path: Path, name: str) -> Path:
    """The folder given to ingest: name is path relative to it (the file's own folder otherwise)."""
    parts = PurePosixPath(name).parts
    if 1 <= len(parts) <= len(path.parts) and path.parts[-len(parts):] == parts:
        return path.parents[len(parts) - 1]
    return path.parent


@dataclass
class Prepared:
    """One file loaded, its metadata resolved, laid out and maybe extracted: no database involved,
    so it can be made in a worker process."""

    path: Path
    name: str
    problem: str | None = None
    location: str = ""  # identity.location_of(path)
    notes: list[str] = field(default_factory=list)
    doc: LoadedDocument | None = None
    text: str = ""  # what extraction sees: the stored text with any front matter blanked (same offsets)
    fm_end: int | None = None
    meta: Resolved | None = None
    lay: Layout | None = None
    columns: SourceColumns = field(default_factory=dict)
    found: Extraction | None = None  # made ahead of the database check (in a worker process)

    def laid_out(self) -> tuple[LoadedDocument, Layout, Resolved]:
        """The loaded document, its layout and resolved metadata (every file prepared without a problem has them)."""
        if self.doc is None or self.lay is None or self.meta is None:
            raise ValueError(f"{self.path}: not loaded: {self.problem}")
        return self.doc, self.lay, self.meta


def prepare_file(path: Path, name: str, toml_values: Mapping[str, MetaValue], max_bytes: int = DEFAULT_MAX_BYTES,
                 extract: bool = False) -> Prepared:
    """Load a file, resolve its metadata (toml values given, front matter, the file's own), lay it out,
    and extract its claims if asked; a file that cannot be read comes back with its problem."""
    try:
        doc = load_document(path, max_bytes=max_bytes)
    except LoadError as exc:
        return Prepared(path, name, problem=str(exc))
    prep = Prepared(path, name, notes=[f"{path}: {w}" for w in doc.warnings], doc=doc, text=doc.text,
                    location=identity.location_of(path))
    layers: list[tuple[str, Mapping[str, MetaValue]]] = [(FROM_TOML, toml_values)]
    fm = front_matter(doc.text, str(path), prep.notes) if doc.fmt == "md" else None
    if fm is not None:
        layers.append((FROM_FRONT_MATTER, clean_values(front_matter_values(fm.values), f"{path}: front matter",
                                                       prep.notes)))
        prep.text, prep.fm_end = blank(doc.text, fm.end), fm.end
    layers.append(_file_layer(doc))
    prep.meta = resolve(layers)
    prep.lay = layout(prep.text, _iso_date(doc.published), prep.meta.title, prep.meta.published)
    prep.columns = _source_columns(prep.lay, prep.meta)
    if extract:
        prep.found = _extract(prep)
    return prep


def _extract(prep: Prepared) -> Extraction:
    """Claims and speakers of a prepared document."""
    _, lay, _ = prep.laid_out()
    return extract_document(prep.text, [SectionSpan(s.start, s.end, s.dated) for s in lay.sections])


def write_prepared(engine: Engine, prep: Prepared, report: IngestReport) -> None:
    """Store a prepared file in one transaction, recording the outcome in report.

    A file whose bytes are unchanged is not extracted again; when only its sources.toml metadata changed
    (front matter is part of the file, so editing it is a change of the file) the Source row is updated
    in place, unless a new publication date re-dates a section: then the document is extracted again
    like a changed file (its claims are re-anchored, so reviewers' decisions stay)."""
    report.notes += prep.notes
    if prep.problem:
        report.problems.append(FileProblem(str(prep.path), prep.problem))
        return
    doc, lay, meta = prep.laid_out()
    name, path = prep.name, prep.path
    with engine.connect() as conn:
        found = identity.find(conn, prep.location, doc.sha256, name, doc.text)
    existing = found.source
    if found.how in ("duplicate", "moved") and existing is None:
        raise ValueError(f"{path}: found as {found.how} without the stored source")
    if found.how == "duplicate" and existing is not None:
        report.duplicates += 1
        report.notes.append(f"{path}: same content as {existing.path}, skipped")
        return
    if found.how == "moved" and existing is not None:
        with engine.begin() as conn:
            record_move(conn, existing, prep.location, name)
        report.moved += 1
    if existing is not None and existing.sha256 == doc.sha256:
        if _metadata_only(engine, prep, existing.id, report, counted=found.how == "moved"):
            return
    found_claims = prep.found if prep.found is not None else _extract(prep)
    try:
        with engine.begin() as conn:  # one transaction: a crash leaves no half-stored document
            store_document(conn, name, doc, lay, found_claims.claims, existing, found_claims.entities,
                           meta, prep.text, location=prep.location)
    except IntegrityError:
        if not _stored_meanwhile(engine, prep):
            raise
        report.unchanged += 1
        return
    report.bytes += len(doc.text.encode("utf-8", "surrogatepass"))
    report.sections += len(lay.sections)
    report.claims += len(found_claims.claims)
    if existing:
        report.replaced += 1
    else:
        report.added += 1


def _stored_meanwhile(engine: Engine, prep: Prepared) -> bool:
    """Whether another process (an ingest of the same files at the same time) stored exactly this file after we
    looked: then it is unchanged, not an error."""
    doc, _, _ = prep.laid_out()
    with engine.connect() as conn:
        again = identity.find(conn, prep.location, doc.sha256, prep.name, doc.text)
    return again.how in ("here", "duplicate") and again.source is not None and again.source.sha256 == doc.sha256


def _metadata_only(engine: Engine, prep: Prepared, source_id: int, report: IngestReport, counted: bool) -> bool:
    """For a file whose bytes are stored: update its metadata in place if that is all that changed (True), or
    False when a new publication date re-dates a section or front matter holds claims (extract it again).
    counted: the file is already counted (as moved), so it is not counted as unchanged too."""
    columns, (_, lay, _) = prep.columns, prep.laid_out()
    with engine.connect() as conn:
        stored = conn.execute(select(*(getattr(Source, c) for c in columns)).where(col(Source.id) == source_id)).one()
        if dict(zip(columns, stored, strict=False)) == columns:
            report.unchanged += not counted
            return True
        spans = [tuple(r) for r in conn.execute(select(col(Section.start), col(Section.end), col(Section.dated))
                                                 .where(col(Section.source_id) == source_id)
                                                 .order_by(col(Section.ordinal)))]
        in_front_matter = prep.fm_end is not None and conn.execute(
            select(col(Claim.id)).where(col(Claim.source_id) == source_id, col(Claim.start) < prep.fm_end)
            .limit(1)).first()
    if spans != [(s.start, s.end, s.dated) for s in lay.sections] or in_front_matter:
        return False
    with engine.begin() as conn:
        _update_metadata(conn, source_id, columns, lay)
    report.unchanged += not counted
    report.updated += 1
    return True


def ingest_file(engine: Engine, path: Path, name: str, report: IngestReport,
                max_bytes: int = DEFAULT_MAX_BYTES, finder: MetadataFinder | None = None) -> None:
    """Load, extract (when needed) and store one file, recording the outcome in report."""
    if finder is None:
        finder = MetadataFinder(report.notes.append, lambda p, r: report.problems.append(FileProblem(p, r)))
    write_prepared(engine, prepare_file(path, name, finder.for_file(path, _root_of(path, name)), max_bytes),
                   report)


class Job(NamedTuple):
    """One file to ingest: where it is, the name it is stored under, its sources.toml values, the size limit."""

    path: Path
    name: str
    toml_values: dict[str, MetaValue]
    max_bytes: int


def _prepare_job(job: Job, extract: bool = True) -> Prepared:
    """Prepare (and in a worker process, extract) one file; any failure comes back as the file's problem."""
    try:
        return prepare_file(job.path, job.name, job.toml_values, job.max_bytes, extract=extract)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the others
        return Prepared(job.path, job.name, problem=f"internal error, not stored: {type(exc).__name__}: {exc}")


def _prepare_here(job: Job) -> Prepared:
    """Prepare one file in this process; extraction waits for the database check (unchanged bytes need none)."""
    return _prepare_job(job, extract=False)


def _unchanged_on_disk(engine: Engine, jobs: list[Job]) -> set[Path]:
    """Files whose bytes are stored already (nothing to extract: handled in this process)."""
    with engine.connect() as conn:
        stored = {sha for (sha,) in conn.execute(select(col(Source.sha256)))}
    same: set[Path] = set()
    if not stored:
        return same
    for job in jobs:
        try:
            if job.path.stat().st_size <= job.max_bytes and \
                    hashlib.sha256(job.path.read_bytes()).hexdigest() in stored:
                same.add(job.path)
        except OSError:
            pass
    return same


def _prepared_in_order(engine: Engine, jobs: list[Job], workers: int) -> Generator[Prepared, None, None]:
    """Prepared files in the order given: extracted ahead by worker processes when workers > 1 and at least
    two files need extracting (files whose bytes are stored already are prepared here)."""
    skip = _unchanged_on_disk(engine, jobs) if workers > 1 and len(jobs) > 1 else set()
    todo = [j for j in jobs if j.path not in skip]
    if workers <= 1 or len(todo) < 2:
        yield from map(_prepare_here, jobs)
        return
    ahead = in_order(_prepare_job, todo, min(workers, len(todo)), fallback=_prepare_here)
    try:
        for job in jobs:
            yield _prepare_here(job) if job.path in skip else next(ahead)
    finally:
        ahead.close()


def ingest_paths(engine: Engine, paths: Iterable[str | Path], progress: Callable[[str], None] | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, workers: int = 1) -> IngestReport:
    """Ingest every file under paths; bad files are reported, the rest still go in.

    With workers > 1, files are loaded and extracted in that many processes (extraction is a pure function
    of one document) while this process writes them, one transaction per document, in the order given."""
    report = IngestReport()
    finder = MetadataFinder(report.notes.append, lambda p, r: report.problems.append(FileProblem(p, r)))
    t0 = time.perf_counter()
    updated: list[str] = []
    jobs: list[Job] = []
    def unsupported(path: Path) -> None:
        report.skipped.append(FileProblem(str(path), unsupported_reason(path) or "unsupported file type"))

    for path, name in expand_paths(paths, lambda p, why: report.notes.append(f"{p}: {why}"), unsupported):
        if not path.exists() and not path.is_symlink():  # broken links and loops: load_document says which
            report.problems.append(FileProblem(str(path), "no such file or folder"))
            continue
        if path.name == TOML_NAME:
            report.notes.append(f"{path}: source metadata, read for the documents beside it, not ingested")
            continue
        if path.is_file() and unsupported_reason(path):  # named on the command line: said once, not an error line
            unsupported(path)
            report.skipped_named += 1
            continue
        jobs.append(Job(path, name, finder.for_file(path, _root_of(path, name)), max_bytes))
    prepared = _prepared_in_order(engine, jobs, workers)
    try:
        for job in jobs:
            if progress:
                progress(job.name)
            before = report.updated
            prep = next(prepared)
            try:
                write_prepared(engine, prep, report)
            except SQLAlchemyError as exc:  # the document's transaction was rolled back
                report.problems.append(FileProblem(str(job.path), "database error, not stored: "
                                                                  f"{_database_reason(exc)}"))
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the others
                report.problems.append(FileProblem(str(job.path), f"internal error, not stored: "
                                                                  f"{type(exc).__name__}: {_first_line(exc)}"))
            if report.updated > before:
                updated.append(job.name)
    finally:
        prepared.close()  # stops the worker processes now, on an interrupt too
    if updated:
        shown = ", ".join(updated[:5]) + (f" and {len(updated) - 5} more" if len(updated) > 5 else "")
        report.notes.append(f"metadata updated for {len(updated)} unchanged source{'s' * (len(updated) > 1)}: {shown}")
    report.seconds = time.perf_counter() - t0
    return report
