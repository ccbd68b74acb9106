"""The reads an export makes: its filter, the sources, the claims it selects (with locations and last reviewers)
and the flags, at once or with the claims streamed. Numbering the sources as cited is the exports' own work
(factcheck/export/data.py)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlmodel import col

from factcheck.db import read_snapshot
from factcheck.models import Claim, FlagMember, Source
from factcheck.store.claims import ExportClaim, TextIndex, entities_by_id, export_claim, last_decisions, sections_by_id
from factcheck.store.flags import (
    ExportFlag,
    MemberRef,
    StreamFlag,
    export_flag_list,
    export_flag_rows,
    export_member_query,
)
from factcheck.store.sources import CLAIM_TABLE, ExportSource, SourceText, export_sources, matching_sources
from factcheck.vocabulary import CLAIM_STATUSES, FLAG_STATUSES, UNREVIEWED

if TYPE_CHECKING:
    from typing import Unpack

_Select = TypeVar("_Select", bound="Select[Unpack[tuple[Any, ...]]]")
BATCH = 500  # claims a streamed export reads at a time (and decision ids per query)


@dataclass
class ExportFilter:
    """What goes into an export: claim statuses (default: reviewed ones), kinds, sources, grouping, and the
    address the appendix is published at (for ClaimReview urls)."""

    statuses: tuple[str, ...] = ()  # claim and/or flag statuses; 'all' = every claim
    kinds: tuple[str, ...] = ()
    source: str | None = None
    group_by: str = "source"
    base_url: str | None = None  # where the HTML appendix is published: ClaimReview urls are its #claim-N anchors

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


def _claim_where(stmt: _Select, filters: ExportFilter, wanted_sources: set[int]) -> _Select:
    """A select over claims narrowed to the claims the filters select (statuses, kinds, sources)."""
    cs = filters.claim_statuses
    if cs:
        stmt = stmt.where(col(Claim.status).in_(cs))
    elif cs is not None:
        stmt = stmt.where(col(Claim.status) != UNREVIEWED)
    if filters.kinds:
        stmt = stmt.where(col(Claim.kind).in_(filters.kinds))
    if filters.source:
        stmt = stmt.where(col(Claim.source_id).in_(wanted_sources or {-1}))
    return stmt


def _claims_in_order(filters: ExportFilter, wanted: set[int]) -> Select[Unpack[tuple[Any, ...]]]:
    """The selected claims' rows (every column, not ORM objects) in source order."""
    return _claim_where(select(CLAIM_TABLE), filters, wanted).order_by(col(Claim.source_id), col(Claim.start),
                                                                        col(Claim.id))


def _total_claims(conn: Connection) -> int:
    """How many claims are stored."""
    total: int = conn.execute(select(func.count()).select_from(Claim)).scalar_one()
    return total


@dataclass
class ExportRead:
    """Every source (with its text), the selected claims and the selected flags with their member claims."""

    sources: dict[int, ExportSource]
    claims: list[ExportClaim]
    flags: list[ExportFlag]
    total_claims: int


def read_export(engine: Engine, filters: ExportFilter) -> ExportRead:
    """Read sources, the claims the filters select (with locations and reviewers) and flags."""
    with engine.connect() as conn:
        sources = export_sources(conn)
        wanted_sources = matching_sources(sources, filters.source)
        sections, entities = sections_by_id(conn), entities_by_id(conn)
        claim_reviews = last_decisions(conn, "claim")
        total = _total_claims(conn)
        indexes: dict[int, TextIndex] = {}

        def shape(c: Row[Any]) -> ExportClaim:
            src = sources[c.source_id]
            if c.source_id not in indexes:
                indexes[c.source_id] = TextIndex(src["text"])
            return export_claim(c, src, indexes[c.source_id], sections, entities, claim_reviews)

        claims = [shape(c) for c in conn.execute(_claims_in_order(filters, wanted_sources))]
        flags = export_flag_rows(conn, filters.flag_statuses)
        member_rows = conn.execute(export_member_query(filters.flag_statuses,
                                                       col(FlagMember.flag_id).label("member_flag_id"),
                                                       col(FlagMember.role).label("member_role"),
                                                       *CLAIM_TABLE.c)).all()
        flag_reviews = last_decisions(conn, "flag", by_fingerprint=True)
    members: dict[int, list[ExportClaim]] = {}
    for c in member_rows:
        item = shape(c)
        item["role"] = c.member_role
        members.setdefault(c.member_flag_id, []).append(item)
    flag_list = export_flag_list(flags, members, wanted_sources if filters.source else None, flag_reviews)
    return ExportRead(sources, claims, flag_list, total)


@dataclass
class StreamRead:
    """What read_export reads, with the claims still to come: sources without their texts, the flags with
    member references, and the ids of the sources the claims and flags cite. claims(numbers) reads the claims
    BATCH at a time, each with its source's number."""

    sources: dict[int, ExportSource]
    flags: list[StreamFlag]
    cited: set[int]
    total_claims: int
    _conn: Connection
    _filters: ExportFilter
    _wanted: set[int]

    def claims(self, numbers: dict[int, int]) -> Generator[ExportClaim, None, None]:
        """The selected claims shaped as in read_export (with source_number), read BATCH rows at a time."""
        conn = self._conn
        sections, entities = sections_by_id(conn), entities_by_id(conn)
        src: SourceText | None = None
        index: TextIndex | None = None
        stmt = _claims_in_order(self._filters, self._wanted)
        for batch in conn.execute(stmt.execution_options(yield_per=BATCH)).partitions():
            reviews = last_decisions(conn, "claim", ids=[row.id for row in batch])
            for row in batch:
                if src is None or src["id"] != row.source_id:  # claims come source by source: one text at a time
                    text = conn.execute(select(col(Source.path), col(Source.text))
                                        .where(col(Source.id) == row.source_id)).one()
                    src = {"id": row.source_id, "path": text.path, "text": text.text}
                    index = TextIndex(src["text"])
                assert index is not None  # made with src
                item = export_claim(row, src, index, sections, entities, reviews)
                item["source_number"] = numbers.get(row.source_id)
                yield item


@contextmanager
def stream_reads(engine: Engine, filters: ExportFilter) -> Iterator[StreamRead]:
    """Sources (without their texts) and flags, read first in one read snapshot; the claims then come from
    StreamRead.claims in the same snapshot, until the block ends."""
    with engine.connect() as raw:
        conn = read_snapshot(raw)
        sources = export_sources(conn, with_text=False)
        wanted = matching_sources(sources, filters.source)
        total = _total_claims(conn)
        members: dict[int, list[MemberRef]] = {}
        for flag_id, role, claim_id, source_id in conn.execute(
                export_member_query(filters.flag_statuses, col(FlagMember.flag_id), col(FlagMember.role),
                                    col(Claim.id), col(Claim.source_id))):
            members.setdefault(flag_id, []).append({"id": claim_id, "role": role, "source_id": source_id})
        flags = export_flag_list(export_flag_rows(conn, filters.flag_statuses), members,
                                 wanted if filters.source else None,
                                 last_decisions(conn, "flag", by_fingerprint=True))
        cited = set(conn.execute(_claim_where(select(col(Claim.source_id)).distinct(), filters, wanted)).scalars())
        cited |= {m["source_id"] for f in flags for m in f["members"]}
        try:
            yield StreamRead(sources, flags, cited, total, conn, filters, wanted)
        finally:
            raw.rollback()
