"""Load claims as records, run matching and checks, and store flags (keeping reviewers' decisions)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col

from factcheck.dbstate import MATCH_PENDING, set_state
from factcheck.match.engine import find_flags
from factcheck.match.paraphrase import unavailable_reason
from factcheck.match.records import ClaimRecord, FlagDraft, SectionSpan, SourceText
from factcheck.models import Claim, Entity, Flag, FlagMember, Section, Source

CONTEXT_BEFORE = 700  # characters of the section before a claim that say what it is about
CONTEXT_AFTER = 150


def load_records(engine: Engine) -> list[ClaimRecord]:
    """Every stored claim as a ClaimRecord (excerpt cut from its source's text)."""
    return load_matching_input(engine)[0]


def load_matching_input(engine: Engine) -> tuple[list[ClaimRecord], list[SourceText]]:
    """Every stored claim as a ClaimRecord, and every source's text with its dated sections (for reuse)."""
    out: list[ClaimRecord] = []
    texts: list[SourceText] = []
    with engine.connect() as conn:
        names: dict[int | None, str] = {i: n for i, n in conn.execute(select(col(Entity.id), col(Entity.name)))}
        sections: dict[int | None, tuple[dt.date | None, int, int]] = {}
        spans: dict[int, list[SectionSpan]] = defaultdict(list)  # each source's sections, for dating a passage
        rows = conn.execute(select(col(Section.id), col(Section.source_id), col(Section.dated), col(Section.start),
                                   col(Section.end)).order_by(col(Section.start)))
        for sec_id, src_id, dated, s, e in rows:
            sections[sec_id] = (dated, s, e)
            spans[src_id].append(SectionSpan(sec_id, s, e, dated))
        for sid, path, text, published in conn.execute(
                select(col(Source.id), col(Source.path), col(Source.text), col(Source.published))
                .order_by(col(Source.path))):
            assert sid is not None  # a stored row's primary key
            texts.append(SourceText(sid, path, text, published, spans.get(sid, [])))
            claims = conn.execute(select(Claim).where(col(Claim.source_id) == sid, col(Claim.status) != "orphaned")
                                  .order_by(col(Claim.start)))
            for c in claims:
                dated, sec_start, sec_end = sections.get(c.section_id, (None, 0, len(text)))
                cs = max(sec_start, c.start - CONTEXT_BEFORE)
                ce = min(sec_end, c.end + CONTEXT_AFTER)
                out.append(ClaimRecord(
                    id=c.id, source_id=sid, source=path, kind=c.kind, text=c.text,
                    excerpt=text[c.excerpt_start:c.excerpt_end], start=c.start, end=c.end,
                    excerpt_start=c.excerpt_start,
                    section_id=c.section_id, section_date=dated, value=c.value, low=c.low,
                    high=c.high, unit=c.unit, qualifier=c.qualifier, date=c.date, date_end=c.date_end,
                    date_precision=c.date_precision, relative=bool(c.relative), subject=c.subject,
                    speaker_id=c.speaker_entity_id, speaker=names.get(c.speaker_entity_id),
                    fingerprint=c.fingerprint, details=_details(c.details, c.quote_text, c.text), context=text[cs:ce],
                ))
    return out, texts


def _details(stored: dict[str, Any] | None, quote_text: str | None, text: str) -> dict[str, Any]:
    """A claim's details for matching, with its quoted words (stored in their own column) as quote_text."""
    details = dict(stored or {})
    if quote_text and quote_text != text:
        details["quote_text"] = quote_text
    return details


@dataclass(slots=True)
class MatchReport:
    """What one matching run found."""

    by_type: dict[str, int]
    seconds: float
    notes: list[str] = field(default_factory=list)  # what was not looked for, and why (words for the user)

    @property
    def total(self) -> int:
        """All flags."""
        return sum(self.by_type.values())


class MatchingError(Exception):
    """A matcher or check failed: nothing was stored, earlier flags are kept and matching stays pending."""


def run_matching(engine: Engine) -> MatchReport:
    """Load every claim, find flags (matching and arithmetic checks) and store them."""
    t0 = time.perf_counter()
    try:
        records, texts = load_matching_input(engine)
        drafts = find_flags(records, texts)
        store_flags(engine, drafts, records)  # one transaction: a failure inside it leaves the old flags
    except SQLAlchemyError:
        raise  # the database's own error: the command line reports it as such
    except Exception as exc:  # a bug in a matcher must not wedge later runs: one clear reason, retried next run
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        raise MatchingError(reason) from exc
    skipped = unavailable_reason()
    return MatchReport(dict(Counter(d.type for d in drafts)), time.perf_counter() - t0, [skipped] if skipped else [])


def flag_fingerprint(draft: FlagDraft, fingerprints: dict[int, str]) -> str:
    """Stable identity of a flag: its type and its members' fingerprints (offset-free)."""
    parts = sorted(fingerprints.get(cid, str(cid)) for cid, _ in draft.members)
    kind = draft.type + ("/copy" if "copy" in (draft.details or {}) else "")  # a passage's claims may also repeat
    return hashlib.sha1("\x00".join([kind, *parts]).encode()).hexdigest()[:20]


def _lock_flags(conn: Connection) -> None:
    """Take the write lock on flags before reading the decisions to carry over."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("UPDATE flag SET version = version WHERE 0")  # starts the write transaction
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE flag IN SHARE ROW EXCLUSIVE MODE")


def store_flags(engine: Engine, drafts: list[FlagDraft], records: list[ClaimRecord]) -> int:
    """Replace the stored flags with drafts in one transaction; decisions carry over by fingerprint."""
    fps = {r.id: r.fingerprint for r in records}
    with engine.begin() as conn:
        _lock_flags(conn)  # reviewers' decisions made from now on wait for this transaction, none is lost
        set_state(conn, MATCH_PENDING, "0")
        kept = {fp: (status, note, version, (details or {}).get("correct"))
                for fp, status, note, version, details in conn.execute(
            select(col(Flag.fingerprint), col(Flag.status), col(Flag.note), col(Flag.version), col(Flag.details))
            .where((col(Flag.status) != "open") | col(Flag.note).is_not(None) | (col(Flag.version) > 1)))}
        conn.execute(delete(FlagMember))
        conn.execute(delete(Flag))
        for d in drafts:
            fp = flag_fingerprint(d, fps)
            status, note, version, correct = kept.get(fp, ("open", None, 1, None))
            details = dict(d.details or {})
            if isinstance(correct, dict):  # the statement a reviewer marked right: same claim fingerprint
                cid = next((c for c, _ in d.members if fps.get(c) == correct.get("fingerprint")), None)
                if cid is not None:
                    details["correct"] = {"claim_id": cid, "fingerprint": correct["fingerprint"]}
            key = conn.execute(insert(Flag).values(
                type=d.type, subject=d.subject[:300], summary=d.summary[:500], score=d.score,
                explanation=d.explanation, details=details or None, fingerprint=fp, status=status, note=note,
                version=version,
            )).inserted_primary_key
            assert key is not None  # a single-row INSERT always has one
            fid = key[0]
            seen: set[int] = set()
            rows: list[dict[str, object]] = []
            for cid, role in d.members:
                if cid not in seen:
                    seen.add(cid)
                    rows.append({"flag_id": fid, "claim_id": cid, "role": role})
            if rows:
                conn.execute(insert(FlagMember), rows)
    return len(drafts)
