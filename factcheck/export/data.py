"""Everything an export needs, read once through the store (factcheck/store/exports.py), with the cited sources
numbered in reference-list order; and a claim's location in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from factcheck.export.citations import bibtex_key, csl_type, long_date, reference_text, sort_key, web_url
from factcheck.store.claims import ExportClaim as ExportClaim
from factcheck.store.exports import ExportFilter as ExportFilter
from factcheck.store.exports import read_export, stream_reads
from factcheck.store.flags import ExportFlag as ExportFlag
from factcheck.store.flags import StreamFlag as StreamFlag
from factcheck.store.sources import ExportSource as ExportSource


class CitedSource(ExportSource):
    """A cited source in an export (never with its text), numbered in reference-list order, with its CSL type, its
    BibTeX key and its reference-list entry."""

    number: int
    csl_type: str
    key: str
    reference: str


@dataclass
class ExportData:
    """Sources (numbered as cited), claims and flags, with when and how the export was made."""

    sources: list[CitedSource]
    claims: list[ExportClaim]
    flags: list[ExportFlag]
    filters: ExportFilter
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    total_claims: int = 0

    @property
    def source_by_id(self) -> dict[int, CitedSource]:
        """Sources keyed by database id."""
        return {s["id"]: s for s in self.sources}


@dataclass
class ExportStream:
    """ExportData whose claims are an iterator (one pass, read from the database in batches while it runs) and
    whose flag members are light: {"id", "role", "source_id", "source_number"}."""

    sources: list[CitedSource]
    claims: Iterator[ExportClaim]
    flags: list[StreamFlag]
    filters: ExportFilter
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    total_claims: int = 0


def load_export(engine: Engine, filters: ExportFilter | None = None,
                flag_types: tuple[str, ...] | None = None) -> ExportData:
    """Read sources, the claims the filters select (with locations and reviewers) and flags (only those of
    flag_types when given: the appendix lists only contradictions, so only they cite sources there)."""
    filters = filters or ExportFilter()
    read = read_export(engine, filters)
    flags = read.flags if flag_types is None else [f for f in read.flags if f["type"] in flag_types]
    return ExportData(_number_sources(read.sources, read.claims, flags), read.claims, flags, filters,
                      total_claims=read.total_claims)


@contextmanager
def stream_export(engine: Engine, filters: ExportFilter | None = None) -> Iterator[ExportStream]:
    """What load_export reads, with the claims streamed: sources (without their texts) and flags are read first,
    in one read snapshot, then the claims come BATCH at a time (each source's text read when its claims begin)."""
    filters = filters or ExportFilter()
    with stream_reads(engine, filters) as read:
        numbered = _numbered(read.sources, read.cited)
        numbers = {s["id"]: s["number"] for s in numbered}
        for f in read.flags:
            for m in f["members"]:
                m["source_number"] = numbers.get(m["source_id"])
        claims = read.claims(numbers)
        try:
            yield ExportStream(numbered, claims, read.flags, filters, total_claims=read.total_claims)
        finally:
            claims.close()


def location_label(c: ExportClaim) -> str:
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


def _number_sources(sources: dict[int, ExportSource], claims: list[ExportClaim],
                    flags: list[ExportFlag]) -> list[CitedSource]:
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


def _numbered(sources: dict[int, ExportSource], cited: set[int]) -> list[CitedSource]:
    """The cited sources in reference-list order, numbered 1..n, with keys, types and reference texts. A URL that
    is not a web address (http, https) is left out."""
    chosen = [s for i, s in sources.items() if i in cited]
    chosen.sort(key=sort_key)
    taken: set[str] = set()
    out: list[CitedSource] = []
    for n, s in enumerate(chosen, 1):
        meta = s.copy()
        meta.pop("text", None)  # the rest in the same order
        meta["url"] = web_url(meta["url"])
        out.append({**meta, "number": n, "csl_type": csl_type(meta), "key": bibtex_key(meta, taken),
                    "reference": reference_text(meta)})
    return out
