"""Everything an export needs, read once: numbered sources, filtered claims with locations, flags."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from factcheck.decisions import CLAIM_STATUSES, FLAG_STATUSES
from factcheck.export.citations import bibtex_key, csl_type, long_date, reference_text, sort_key
from factcheck.labels import value_with_unit
from factcheck.models import Claim, Decision, Entity, Flag, FlagMember, Section, Source
from factcheck.queries import FLAG_ORDER

CONTRADICTION_TYPES = ("conflict", "quote_variant", "arithmetic")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


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


def _last_decisions(conn, target: str, by_fingerprint: bool = False) -> dict:
    """For each item of a target kind: (reviewer, ISO time) of its latest decision, keyed by id or (flags) by
    fingerprint: matching stores flags with new ids every run (PostgreSQL never reuses an id, SQLite may)."""
    out: dict = {}
    rows = conn.execute(select(Decision.target_id, Decision.fingerprint, Decision.reviewer, Decision.at)
                        .where(Decision.target == target).order_by(Decision.at, Decision.id))
    for target_id, fingerprint, reviewer, at in rows:
        out[fingerprint if by_fingerprint and fingerprint else target_id] = (reviewer, _iso(at))
    return out


def _source_dicts(conn) -> dict[int, dict]:
    """Every source as a dict with its metadata and shape (sections, transcript turns)."""
    n_sections = dict(conn.execute(select(Section.source_id, func.count()).group_by(Section.source_id)).all())
    turn_counts = dict(conn.execute(
        select(Claim.source_id, func.count()).where(Claim.kind == "quote")
        .where(Claim.details["turn"].as_boolean().is_(True)).group_by(Claim.source_id)).all())
    out = {}
    for src in conn.execute(select(Source)).mappings():
        s = dict(src)
        out[s["id"]] = {
            "id": s["id"], "path": s["path"], "title": s.get("title"), "author": s.get("author"),
            "publisher": s.get("publisher"), "outlet": s.get("outlet"), "url": s.get("url"),
            "published": _iso(s.get("published")), "published_evidence": s.get("published_evidence"),
            "accessed": _iso(s.get("accessed")) or (_iso(s.get("ingested_at")) or "")[:10] or None,
            "type": s.get("source_type"), "format": s.get("fmt"), "sha256": s.get("sha256"),
            "sections": n_sections.get(s["id"], 0), "turns": turn_counts.get(s["id"], 0),
            "text": s["text"],
        }
    return out


def load_export(engine: Engine, filters: ExportFilter | None = None) -> ExportData:
    """Read sources, the claims the filters select (with locations and reviewers) and flags."""
    filters = filters or ExportFilter()
    with engine.connect() as conn:
        sources = _source_dicts(conn)
        if filters.source:
            wanted_sources = {i for i, s in sources.items() if filters.source == s["path"] or filters.source in s["path"]}
        else:
            wanted_sources = set(sources)
        sections = {sid: (o, d, s) for sid, o, d, s in conn.execute(
            select(Section.id, Section.ordinal, Section.dated, Section.start))}
        entities = {eid: (n, k, r) for eid, n, k, r in conn.execute(
            select(Entity.id, Entity.name, Entity.kind, Entity.role))}
        claim_reviews = _last_decisions(conn, "claim")
        flag_reviews = _last_decisions(conn, "flag", by_fingerprint=True)
        total = conn.execute(select(func.count()).select_from(Claim)).scalar_one()

        stmt = select(Claim.__table__).order_by(Claim.source_id, Claim.start, Claim.id)  # rows, not ORM objects
        cs = filters.claim_statuses
        if cs is None:
            pass
        elif cs:
            stmt = stmt.where(Claim.status.in_(cs))
        else:
            stmt = stmt.where(Claim.status != "unreviewed")
        if filters.kinds:
            stmt = stmt.where(Claim.kind.in_(filters.kinds))
        if filters.source:
            stmt = stmt.where(Claim.source_id.in_(wanted_sources or {-1}))
        indexes: dict[int, TextIndex] = {}

        def shape(c) -> dict:
            src = sources[c.source_id]
            if c.source_id not in indexes:
                indexes[c.source_id] = TextIndex(src["text"])
            return _claim_export(c, src, indexes[c.source_id], sections, entities, claim_reviews)

        claims = [shape(c) for c in conn.execute(stmt)]

        flag_stmt = select(Flag.__table__)
        if filters.flag_statuses:
            flag_stmt = flag_stmt.where(Flag.status.in_(filters.flag_statuses))
        flags = {f.id: f for f in conn.execute(flag_stmt)}
        member_rows = conn.execute(
            select(FlagMember.flag_id.label("member_flag_id"), FlagMember.role.label("member_role"),
                   *Claim.__table__.c).join(Claim, Claim.id == FlagMember.claim_id)
            .where(FlagMember.flag_id.in_(list(flags) or [-1])).order_by(FlagMember.id)).all()
    members: dict[int, list[dict]] = {}
    for c in member_rows:
        flag_id, role = c.member_flag_id, c.member_role
        src = sources[c.source_id]
        if c.source_id not in indexes:
            indexes[c.source_id] = TextIndex(src["text"])
        item = _claim_export(c, src, indexes[c.source_id], sections, entities, claim_reviews)
        item["role"] = role
        members.setdefault(flag_id, []).append(item)
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
    return ExportData(_number_sources(sources, claims, flag_list), claims, flag_list, filters, total_claims=total)


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
        parts.append(f"section {c['section']}" + (f" ({long_date(c['section_date'])})" if c.get("section_date") else ""))
    parts.append(f"paragraph {c['paragraph']}")
    parts.append(f"line {c['line']}")
    return ", ".join(parts)


def _number_sources(sources: dict[int, dict], claims: list[dict], flags: list[dict]) -> list[dict]:
    """The cited sources in reference-list order (creator, year, title), numbered 1..n, with keys and types."""
    cited = {c["source_id"] for c in claims} | {m["source_id"] for f in flags for m in f["members"]}
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
    numbers = {s["id"]: s["number"] for s in out}
    for c in claims:
        c["source_number"] = numbers.get(c["source_id"])
    for f in flags:
        for m in f["members"]:
            m["source_number"] = numbers.get(m["source_id"])
    return out
