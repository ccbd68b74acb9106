"""Re-ingesting a changed document: old claims find themselves in the new text, nothing reviewed is lost.

Old claims are matched to the new extraction first by fingerprint (same words, same context), then
fuzzily (rapidfuzz): a number or date must read the same and keep its value, a quote may differ by a
word or two, and the surrounding excerpt decides between candidates. A matched claim keeps its id,
identity (fingerprint), verdict, note, version and flag memberships, and takes the new offsets. An old
claim that is no longer there is kept as `orphaned` with a snapshot of where it was when anyone had
reviewed or annotated it (an entry in the audit log says so), and is dropped otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz
from sqlalchemy import BindParameter, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlmodel import col

from factcheck.models import Claim, Decision, FlagMember, utcnow

if TYPE_CHECKING:
    from typing import Unpack

    OldClaim = Row[Unpack[tuple[Any, ...]]]  # a stored claim's row: id, kind, text, ... details (see reanchor)
ClaimRow = dict[str, Any]  # a freshly extracted claim's column values, as inserted

QUOTE_TEXT_MIN = 90     # rapidfuzz ratio of a quote's or reported statement's words, old vs new
CONTEXT_MIN = 50        # token-set ratio of the excerpts, to accept a number or date that reads the same
SYSTEM_REVIEWER = "factcheck"
ORPHANED = "orphaned"
KEEP_ON_UPDATE = ("status", "note", "version", "fingerprint")  # what a re-anchored claim keeps of its own


@dataclass
class Reanchored:
    """What re-anchoring did: rows still to insert and counts for the report."""

    new_rows: list[ClaimRow]
    kept: int = 0
    moved: int = 0
    orphaned: int = 0
    restored: int = 0
    dropped: int = 0


def _norm(text: str) -> str:
    """Lower case, single spaces."""
    return " ".join(text.lower().split())


def _old_excerpt(row: OldClaim, old_text: str) -> str:
    """The excerpt an old claim had: from the old text, or its orphan snapshot."""
    orphan = (row.details or {}).get("orphaned")
    if orphan:
        excerpt: str = orphan.get("excerpt", "")
        return excerpt
    return old_text[row.excerpt_start:row.excerpt_end]


def _score(old: OldClaim, old_excerpt: str, new: ClaimRow, new_excerpt: str) -> float:
    """How well an old claim matches a new one (0 = not at all), or 0 when they cannot be the same."""
    if old.kind != new["kind"]:
        return 0.0
    context = fuzz.token_set_ratio(old_excerpt, new_excerpt)
    if old.kind in ("quantity", "date"):
        if _norm(old.text) != _norm(new["text"]) or (old.value, old.date) != (new["value"], new["date"]):
            return 0.0
        return context if context >= CONTEXT_MIN else 0.0
    words = fuzz.ratio(_norm(old.text), _norm(new["text"]))
    return words + context / 100 if words >= QUOTE_TEXT_MIN else 0.0


def reanchor(conn: Connection, source_id: int, old_text: str, new_text: str, rows: list[ClaimRow]) -> Reanchored:
    """Match the source's stored claims to freshly extracted rows; update, orphan or drop the old ones."""
    old: list[OldClaim] = list(conn.execute(
        select(col(Claim.id), col(Claim.kind), col(Claim.text), col(Claim.value), col(Claim.date),
               col(Claim.fingerprint), col(Claim.status), col(Claim.note), col(Claim.version),
               col(Claim.excerpt_start), col(Claim.excerpt_end), col(Claim.start), col(Claim.end), col(Claim.details))
        .where(col(Claim.source_id) == source_id)).all())
    by_fp: dict[str, int] = {}
    for i, r in enumerate(rows):
        by_fp.setdefault(r["fingerprint"], i)
    taken: set[int] = set()
    pairs: list[tuple[OldClaim, int]] = []
    left: list[OldClaim] = []
    for o in old:
        same = by_fp.get(o.fingerprint)
        if same is not None and same not in taken:
            taken.add(same)
            pairs.append((o, same))
        else:
            left.append(o)
    if left:
        free = [i for i in range(len(rows)) if i not in taken]
        new_excerpts = {i: new_text[rows[i]["excerpt_start"]:rows[i]["excerpt_end"]] for i in free}
        scored: list[tuple[float, int, int, OldClaim]] = []
        for o in left:
            ex = _old_excerpt(o, old_text)
            for i in free:
                s = _score(o, ex, rows[i], new_excerpts[i])
                if s:
                    scored.append((s, o.id, i, o))
        used_old: set[int] = set()
        for _s, oid, i, o in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
            if oid in used_old or i in taken:
                continue
            used_old.add(oid)
            taken.add(i)
            pairs.append((o, i))
        left = [o for o in left if o.id not in used_old]
    out = Reanchored([rows[i] for i in range(len(rows)) if i not in taken])
    _update_matched(conn, pairs, rows, out)
    _retire(conn, left, old_text, out)
    return out


def _update_matched(conn: Connection, pairs: list[tuple[OldClaim, int]], rows: list[ClaimRow],
                    out: Reanchored) -> None:
    """Give matched claims their new offsets and values; bring back orphans that reappeared."""
    if not pairs:
        return
    cols = [k for k in rows[0] if k not in KEEP_ON_UPDATE and k != "source_id"]
    params: list[dict[str, Any]] = []
    restored: list[tuple[OldClaim, str]] = []
    for o, i in pairs:
        p = {f"n_{k}": rows[i][k] for k in cols}
        p["o_id"] = o.id
        details = dict(p["n_details"] or {})
        orphan = (o.details or {}).get("orphaned")
        p["n_status"] = orphan.get("status", "unreviewed") if orphan else o.status
        p["n_version"] = o.version + 1 if orphan else o.version
        p["n_details"] = details or None
        params.append(p)
        if orphan:
            restored.append((o, p["n_status"]))
        if o.fingerprint == rows[i]["fingerprint"] and o.start == rows[i]["start"]:
            out.kept += 1
        else:
            out.moved += 1
    values: dict[str, BindParameter[Any]] = {k: bindparam(f"n_{k}") for k in (*cols, "status", "version")}
    conn.execute(update(Claim).where(col(Claim.id) == bindparam("o_id")).values(**values), params)
    now = utcnow()
    for o, status in restored:
        out.restored += 1
        conn.execute(insert(Decision).values(at=now, reviewer=SYSTEM_REVIEWER, target="claim", target_id=o.id,
                                             fingerprint=o.fingerprint, field="status", old=ORPHANED, new=status,
                                             note="back in the re-ingested document"))


def _retire(conn: Connection, left: list[OldClaim], old_text: str, out: Reanchored) -> None:
    """Keep vanished claims that someone reviewed or annotated as orphaned; drop the others."""
    drop: list[int] = []
    now = utcnow()
    for o in left:
        reviewed = o.status not in ("unreviewed", ORPHANED) or o.note
        if o.status == ORPHANED:
            continue  # still gone: stays orphaned as it is
        if not reviewed:
            drop.append(o.id)
            continue
        snapshot = {"status": o.status, "excerpt": old_text[o.excerpt_start:o.excerpt_end], "start": o.start,
                    "end": o.end, "excerpt_start": o.excerpt_start, "at": now.isoformat()}
        conn.execute(update(Claim).where(col(Claim.id) == o.id).values(
            status=ORPHANED, section_id=None, start=0, end=0, excerpt_start=0, excerpt_end=0,
            details={**(o.details or {}), "orphaned": snapshot}, version=o.version + 1, updated_at=now))
        conn.execute(insert(Decision).values(at=now, reviewer=SYSTEM_REVIEWER, target="claim", target_id=o.id,
                                             fingerprint=o.fingerprint, field="status", old=o.status, new=ORPHANED,
                                             note="no longer in the re-ingested document"))
        out.orphaned += 1
    if drop:
        conn.execute(delete(FlagMember).where(col(FlagMember.claim_id).in_(drop)))
        conn.execute(delete(Claim).where(col(Claim.id).in_(drop)))
        out.dropped += len(drop)
