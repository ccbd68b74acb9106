"""Everything an export needs, read once: numbered sources, filtered claims with locations, flags."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from factcheck.db import read_snapshot
from factcheck.decisions import CLAIM_STATUSES, FLAG_STATUSES
from factcheck.export.citations import bibtex_key, csl_type, long_date, reference_text, sort_key, web_url
from factcheck.labels import value_with_unit
from factcheck.models import Claim, Decision, Entity, Flag, FlagMember, Section, Source
from factcheck.queries import FLAG_ORDER

CONTRADICTION_TYPES = ("conflict", "quote_variant", "arithmetic")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
BATCH = 500  # claims a streamed export reads at a time (and decision ids per query)


@dataclass
class ExportFilter:
    """What goes into an export: claim statuses (default: reviewed ones), kinds, sources, grouping."""

    statuses: tuple[str, ...] = ()  # claim and/or flag statuses; 'all' = every claim
    kinds: tuple[str, ...] = ()
    source: str | None = None
    group_by: str = "source"

    @property
    def claim_statuses(self) -> tuple[str, ...] | None:
        """Claim statuses asked for; None = no filter; () = the default (everything reviewed)."""
        if "all" in self.statuses:
            return None
        return tuple(s for s in self.statuses if s in CLAIM_STATUSES)

    @property
    def flag_statuses(self) -> tuple[str, ...]:
        """Flag statuses asked for; () = every flag (open ones are listed as open)."""
        return tuple(s for s in self.statuses if s in FLAG_STATUSES)

    def describe(self) -> str:
        """The filters in words."""
        cs = self.claim_statuses
        parts = ["all claims" if cs is None else ("claims with status " + ", ".join(cs) if cs else
                                                   "reviewed claims")]
        if self.kinds:
            parts.append("kind " + ", ".join(self.kinds))
        if self.source:
            parts.append(f"sources matching “{self.source}”")
        if self.flag_statuses:
            parts.append("flags " + ", ".join(self.flag_statuses))
        return "; ".join(parts)


@dataclass
class ExportData:
    """Sources (numbered as cited), claims and flags, with when and how the export was made."""

    sources: list[dict]
    claims: list[dict]
    flags: list[dict]
    filters: ExportFilter
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    total_claims: int = 0

    @property
    def source_by_id(self) -> dict[int, dict]:
        """Sources keyed by database id."""
        return {s["id"]: s for s in self.sources}


class TextIndex:
    """Line and paragraph numbers of offsets in one source text (bisect over precomputed starts)."""

    def __init__(self, text: str) -> None:
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        breaks = [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
        self.paragraphs = [0] + breaks if breaks else self.lines

    def line(self, offset: int) -> int:
        """1-based line number of an offset."""
        return bisect.bisect_right(self.lines, offset)

    def paragraph(self, offset: int) -> int:
        """1-based paragraph number of an offset in the whole text."""
        return bisect.bisect_right(self.paragraphs, offset)


def _iso(d) -> str | None:
    """ISO date (or datetime) string or None."""
    if d is None:
        return None
    if isinstance(d, dt.datetime):
        if d.tzinfo is None:
            d = d.replace(tzinfo=dt.timezone.utc)
        return d.isoformat()
    return d.isoformat()


def _last_decisions(conn, target: str, by_fingerprint: bool = False, ids: list[int] | None = None) -> dict:
    """For each item of a target kind (or only those ids): (reviewer, ISO time) of its latest decision, keyed by
    id or (flags) by fingerprint: matching stores flags with new ids every run (PostgreSQL never reuses an id,
    SQLite may)."""
    out: dict = {}
    stmt = select(Decision.target_id, Decision.fingerprint, Decision.reviewer, Decision.at).where(
        Decision.target == target)
    if ids is not None:
        stmt = stmt.where(Decision.target_id.in_(ids or [-1]))
    rows = conn.execute(stmt.order_by(Decision.at, Decision.id))
    for target_id, fingerprint, reviewer, at in rows:
        out[fingerprint if by_fingerprint and fingerprint else target_id] = (reviewer, _iso(at))
    return out


def _source_dicts(conn, with_text: bool = True) -> dict[int, dict]:
    """Every source as a dict with its metadata and shape (sections, transcript turns), and its text unless
    with_text is False. A URL that is not a web address (http, https) is left out."""
    n_sections = dict(conn.execute(select(Section.source_id, func.count()).group_by(Section.source_id)).all())
    turn_counts = dict(conn.execute(
        select(Claim.source_id, func.count()).where(Claim.kind == "quote")
        .where(Claim.details["turn"].as_boolean().is_(True)).group_by(Claim.source_id)).all())
    out = {}
    columns = [c for c in Source.__table__.c if with_text or c.name != "text"]
    for src in conn.execute(select(*columns)).mappings():
        s = dict(src)
        out[s["id"]] = {
            "id": s["id"], "path": s["path"], "title": s.get("title"), "author": s.get("author"),
            "publisher": s.get("publisher"), "outlet": s.get("outlet"), "url": web_url(s.get("url")),
            "published": _iso(s.get("published")), "published_evidence": s.get("published_evidence"),
            "accessed": _iso(s.get("accessed")) or (_iso(s.get("ingested_at")) or "")[:10] or None,
            "type": s.get("source_type"), "format": s.get("fmt"), "sha256": s.get("sha256"),
            "sections": n_sections.get(s["id"], 0), "turns": turn_counts.get(s["id"], 0),
            **({"text": s["text"]} if with_text else {}),
        }
    return out


def load_export(engine: Engine, filters: ExportFilter | None = None) -> ExportData:
    """Read sources, the claims the filters select (with locations and reviewers) and flags."""
    filters = filters or ExportFilter()
    with engine.connect() as conn:
        sources = _source_dicts(conn)
        wanted_sources = _wanted_sources(sources, filters)
        sections, entities = _sections(conn), _entities(conn)
        claim_reviews = _last_decisions(conn, "claim")
        total = conn.execute(select(func.count()).select_from(Claim)).scalar_one()
        stmt = _claim_where(select(Claim.__table__), filters, wanted_sources).order_by(
            Claim.source_id, Claim.start, Claim.id)  # rows, not ORM objects
        indexes: dict[int, TextIndex] = {}

        def shape(c) -> dict:
            src = sources[c.source_id]
            if c.source_id not in indexes:
                indexes[c.source_id] = TextIndex(src["text"])
            return _claim_export(c, src, indexes[c.source_id], sections, entities, claim_reviews)

        claims = [shape(c) for c in conn.execute(stmt)]
        flags = _flag_rows(conn, filters)
        member_rows = conn.execute(_member_query(filters, FlagMember.flag_id.label("member_flag_id"),
                                                 FlagMember.role.label("member_role"), *Claim.__table__.c)).all()
        flag_reviews = _last_decisions(conn, "flag", by_fingerprint=True)
    members: dict[int, list[dict]] = {}
    for c in member_rows:
        item = shape(c)
        item["role"] = c.member_role
        members.setdefault(c.member_flag_id, []).append(item)
    flag_list = _flag_list(flags, members, filters, wanted_sources, flag_reviews)
    return ExportData(_number_sources(sources, claims, flag_list), claims, flag_list, filters, total_claims=total)


def _wanted_sources(sources: dict[int, dict], filters: ExportFilter) -> set[int]:
    """Ids of the sources the --source filter selects (every source without one)."""
    if not filters.source:
        return set(sources)
    return {i for i, s in sources.items() if filters.source == s["path"] or filters.source in s["path"]}


def _sections(conn) -> dict[int, tuple]:
    """Every section: id -> (ordinal, date, start offset)."""
    return {sid: (o, d, s) for sid, o, d, s in conn.execute(
        select(Section.id, Section.ordinal, Section.dated, Section.start))}


def _entities(conn) -> dict[int, tuple]:
    """Every entity: id -> (name, kind, role)."""
    return {eid: (n, k, r) for eid, n, k, r in conn.execute(select(Entity.id, Entity.name, Entity.kind, Entity.role))}


def _claim_where(stmt, filters: ExportFilter, wanted_sources: set[int]):
    """A select over claims narrowed to the claims the filters select (statuses, kinds, sources)."""
    cs = filters.claim_statuses
    if cs:
        stmt = stmt.where(Claim.status.in_(cs))
    elif cs is not None:
        stmt = stmt.where(Claim.status != "unreviewed")
    if filters.kinds:
        stmt = stmt.where(Claim.kind.in_(filters.kinds))
    if filters.source:
        stmt = stmt.where(Claim.source_id.in_(wanted_sources or {-1}))
    return stmt


def _flag_rows(conn, filters: ExportFilter) -> dict:
    """The flags the filters select (by flag status), by id."""
    stmt = select(Flag.__table__)
    if filters.flag_statuses:
        stmt = stmt.where(Flag.status.in_(filters.flag_statuses))
    return {f.id: f for f in conn.execute(stmt)}


def _member_query(filters: ExportFilter, *columns):
    """The members (joined with their claims) of the flags the filters select, in member order."""
    stmt = (select(*columns).join(Claim, Claim.id == FlagMember.claim_id)
            .join(Flag, Flag.id == FlagMember.flag_id))
    if filters.flag_statuses:
        stmt = stmt.where(Flag.status.in_(filters.flag_statuses))
    return stmt.order_by(FlagMember.id)


def _flag_list(flags: dict, members: dict[int, list[dict]], filters: ExportFilter, wanted_sources: set[int],
               flag_reviews: dict) -> list[dict]:
    """Flags as dicts with their members (those touching a wanted source), in queue order."""
    flag_list = []
    for f in flags.values():
        ms = members.get(f.id, [])
        if filters.source and not any(m["source_id"] in wanted_sources for m in ms):
            continue
        correct = ((f.details or {}).get("correct") or {}).get("claim_id")
        reviewer, decided_at = flag_reviews.get(f.fingerprint, (None, None))
        flag_list.append({"id": f.id, "type": f.type, "subject": f.subject, "summary": f.summary,
                          "score": f.score, "status": f.status, "note": f.note, "explanation": f.explanation,
                          "details": f.details or {}, "correct_claim_id": correct, "members": ms,
                          "reviewer": reviewer, "decided_at": decided_at})
    flag_list.sort(key=lambda f: (FLAG_ORDER.get(f["type"], 9), -f["score"], f["id"]))
    return flag_list


# --- streamed exports (json, csv): claims read in batches, memory flat in the number of claims -------------


@dataclass
class ExportStream:
    """ExportData whose claims are an iterator (one pass, read from the database in batches while it runs) and
    whose flag members are light: {"id", "role", "source_id", "source_number"}."""

    sources: list[dict]
    claims: Iterator[dict]
    flags: list[dict]
    filters: ExportFilter
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    total_claims: int = 0


@contextmanager
def stream_export(engine: Engine, filters: ExportFilter | None = None) -> Iterator[ExportStream]:
    """What load_export reads, with the claims streamed: sources (without their texts) and flags are read first,
    in one read snapshot, then the claims come BATCH at a time (each source's text read when its claims begin)."""
    filters = filters or ExportFilter()
    with engine.connect() as raw:
        conn = read_snapshot(raw)
        sources = _source_dicts(conn, with_text=False)
        wanted = _wanted_sources(sources, filters)
        total = conn.execute(select(func.count()).select_from(Claim)).scalar_one()
        members: dict[int, list[dict]] = {}
        for flag_id, role, claim_id, source_id in conn.execute(
                _member_query(filters, FlagMember.flag_id, FlagMember.role, Claim.id, Claim.source_id)):
            members.setdefault(flag_id, []).append({"id": claim_id, "role": role, "source_id": source_id})
        flags = _flag_list(_flag_rows(conn, filters), members, filters, wanted,
                           _last_decisions(conn, "flag", by_fingerprint=True))
        cited = set(conn.execute(_claim_where(select(Claim.source_id).distinct(), filters, wanted)).scalars())
        numbered = _numbered(sources, cited | {m["source_id"] for f in flags for m in f["members"]})
        numbers = {s["id"]: s["number"] for s in numbered}
        for f in flags:
            for m in f["members"]:
                m["source_number"] = numbers.get(m["source_id"])
        claims = _stream_claims(conn, filters, wanted, numbers)
        try:
            yield ExportStream(numbered, claims, flags, filters, total_claims=total)
        finally:
            claims.close()
            raw.rollback()


def _stream_claims(conn, filters: ExportFilter, wanted: set[int], numbers: dict[int, int]) -> Iterator[dict]:
    """The selected claims shaped as in load_export (with source_number), read BATCH rows at a time."""
    sections, entities = _sections(conn), _entities(conn)
    stmt = _claim_where(select(Claim.__table__), filters, wanted).order_by(Claim.source_id, Claim.start, Claim.id)
    src: dict = {}
    index: TextIndex | None = None
    for batch in conn.execute(stmt.execution_options(yield_per=BATCH)).partitions():
        reviews = _last_decisions(conn, "claim", ids=[row.id for row in batch])
        for row in batch:
            if src.get("id") != row.source_id:  # claims come source by source: one text in memory at a time
                text = conn.execute(select(Source.path, Source.text).where(Source.id == row.source_id)).one()
                src = {"id": row.source_id, "path": text.path, "text": text.text}
                index = TextIndex(src["text"])
            item = _claim_export(row, src, index, sections, entities, reviews)
            item["source_number"] = numbers.get(row.source_id)
            yield item


CLAIM_COPY = ("id", "kind", "source_id", "start", "end", "text", "excerpt_start", "excerpt_end", "value", "low", "high",
              "unit", "qualifier", "date_precision", "subject", "status", "note", "fingerprint")


def _claim_export(row, src: dict, index: TextIndex, sections: dict, entities: dict, reviews: dict) -> dict:
    """One claim with its excerpt, value label, speaker, location and last reviewer."""
    c = row._mapping
    item = {k: c[k] for k in CLAIM_COPY}
    start = item["start"]
    ordinal, dated, sec_start = sections.get(c["section_id"], (None, None, 0))
    speaker = entities.get(c["speaker_entity_id"]) or (None, None, None)
    item["reviewer"], item["decided_at"] = reviews.get(item["id"], (None, None))
    item.update(
        source=src["path"], excerpt=src["text"][item["excerpt_start"]:item["excerpt_end"]],
        date=_iso(c["date"]), date_end=_iso(c["date_end"]), relative=bool(c["relative"]),
        relative_to=_iso(c["relative_to"]), speaker=speaker[0], speaker_kind=speaker[1], speaker_role=speaker[2],
        quote_text=c["quote_text"] or (item["text"] if item["kind"] == "quote" else None),
        details=c["details"] or {}, section=(ordinal + 1) if ordinal is not None else None,
        section_date=_iso(dated), paragraph=index.paragraph(start) - index.paragraph(sec_start) + 1,
        line=index.line(start))
    if item["status"] == "orphaned":  # no longer in the source's current text: where it was instead
        snap = item["details"].get("orphaned") or {}
        item.update(excerpt=snap.get("excerpt", ""), excerpt_start=snap.get("excerpt_start", 0),
                    start=snap.get("start", 0), end=snap.get("end", 0), paragraph=None, line=None, section=None,
                    section_date=None)
    item["value_label"] = value_with_unit(item)
    return item


def location_label(c: dict) -> str:
    """'section 2 (16 June 2017), paragraph 4, line 57'."""
    if c.get("line") is None:
        return "no longer in the current version of the source"
    parts = []
    if c.get("section"):
        dated = f" ({long_date(c['section_date'])})" if c.get("section_date") else ""
        parts.append(f"section {c['section']}" + dated)
    parts.append(f"paragraph {c['paragraph']}")
    parts.append(f"line {c['line']}")
    return ", ".join(parts)


def _number_sources(sources: dict[int, dict], claims: list[dict], flags: list[dict]) -> list[dict]:
    """The cited sources in reference-list order (creator, year, title), numbered 1..n, with keys and types."""
    cited = {c["source_id"] for c in claims} | {m["source_id"] for f in flags for m in f["members"]}
    out = _numbered(sources, cited)
    numbers = {s["id"]: s["number"] for s in out}
    for c in claims:
        c["source_number"] = numbers.get(c["source_id"])
    for f in flags:
        for m in f["members"]:
            m["source_number"] = numbers.get(m["source_id"])
    return out


def _numbered(sources: dict[int, dict], cited: set[int]) -> list[dict]:
    """The cited sources in reference-list order, numbered 1..n, with keys, types and reference texts."""
    chosen = [s for i, s in sources.items() if i in cited]
    chosen.sort(key=sort_key)
    taken: set[str] = set()
    out = []
    for n, s in enumerate(chosen, 1):
        s = {k: v for k, v in s.items() if k != "text"}
        s["number"] = n
        s["csl_type"] = csl_type(s)
        s["key"] = bibtex_key(s, taken)
        s["reference"] = reference_text(s)
        out.append(s)
    return out
