"""Review decisions on claims and flags: validated, version-guarded, logged in the append-only Decision table."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine, Row
from sqlmodel import col

from factcheck.labels import printable
from factcheck.models import Claim, Decision, Flag, FlagMember, utcnow
from factcheck.store.common import aware_utc
from factcheck.store.log import TARGETS as TARGETS
from factcheck.store.log import HistoryEntry as HistoryEntry  # the audit log is read in factcheck/store/log.py
from factcheck.store.log import UnknownTarget, target_table
from factcheck.store.log import history as history
from factcheck.vocabulary import CLAIM_STATUSES as CLAIM_STATUSES
from factcheck.vocabulary import FLAG_STATUSES as FLAG_STATUSES

UNDO_PREFIX = "undo: "


class _Unset:
    """Marker type for 'argument not given' where None has a meaning of its own."""

    def __repr__(self) -> str:
        """Readable in signatures and error messages."""
        return "UNSET"


UNSET = _Unset()

FieldValue = str | int | None  # a decided field's value: status (str), note (str or None), correct (claim id or None)


class _ItemStateBase(TypedDict):
    """The keys every item state has."""

    target: str
    id: int
    status: str
    note: str | None
    version: int
    fingerprint: str
    by: str | None
    at: str | None


class ItemState(_ItemStateBase, total=False):
    """An item's current state; flags also carry `correct` (the claim id marked right, or None)."""

    correct: int | None


class DecisionError(ValueError):
    """A decision that cannot be applied (bad status, bad id, not a member, stale)."""


class NotFound(DecisionError):
    """The claim or flag does not exist."""


class StaleVersion(DecisionError):
    """The item changed since the caller loaded it; `.current` holds its fresh state."""

    def __init__(self, message: str, current: ItemState):
        """Keep the message and the item's current state (status, note, version, by, at, ...)."""
        super().__init__(message)
        self.current = current


@dataclass
class Applied:
    """What one decision changed: only the changed fields in old/new, and the item's version afterwards."""

    target: str
    target_id: int
    decision_ids: list[int]
    old: dict[str, FieldValue]
    new: dict[str, FieldValue]
    version: int
    fingerprint: str | None = field(default=None, compare=False)  # the item's identity, checked by undo


REVIEWER_MAX = 100  # characters in a reviewer name
_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _bad_char(ch: str) -> bool:
    """A character no reviewer name may hold: controls (tab, newline, ESC, C1), line separators, bidi controls."""
    return unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI_CONTROLS


def check_reviewer(name: str | None, origin: str | None = None) -> str:
    """The name stripped, or DecisionError if it is empty, too long or holds control characters."""
    name, where = (name or "").strip(), f" (from {origin})" if origin else ""
    if not name:
        raise DecisionError(f"reviewer name is empty{where}; a reviewer name is needed")
    if len(name) > REVIEWER_MAX:
        raise DecisionError(f"reviewer name is {len(name)} characters long{where}; at most {REVIEWER_MAX}")
    if any(_bad_char(ch) for ch in name):
        raise DecisionError(f"reviewer name {name!r} holds a control character{where}; "
                            f"use printable text on one line")
    return name


def reviewer_name(explicit: str | None = None) -> str:
    """Who is deciding, checked: explicit, else $FACTCHECK_REVIEWER, else the login name, else 'unknown'."""
    for name, origin in ((explicit, "--reviewer"), (os.environ.get("FACTCHECK_REVIEWER"), "$FACTCHECK_REVIEWER")):
        if name and name.strip():
            return check_reviewer(name, origin)
    try:
        name = getpass.getuser()
    except Exception:  # no login name (e.g. a container uid without a passwd entry)
        name = ""
    return check_reviewer(name, "login name") if name and name.strip() else "unknown"


def _table(target: str) -> type[Claim] | type[Flag]:
    """The model class for a target name."""
    try:
        return target_table(target)
    except UnknownTarget as exc:
        raise DecisionError(str(exc)) from None


def _row(conn: Connection, target: str, target_id: int) -> Row[Any]:
    """The item's id, status, note, version, fingerprint and details (flags), or NotFound."""
    model = _table(target)
    cols: list[Any] = [col(model.id), col(model.status), col(model.note), col(model.version), col(model.fingerprint)]
    if target == "flag":
        cols.append(col(model.details))
    row = conn.execute(select(*cols).where(col(model.id) == target_id)).first()
    if row is None:
        raise NotFound(f"no {target} with id {target_id}")
    return row


def _correct_of(details: Mapping[str, Any] | None) -> int | None:
    """The claim id a reviewer marked as the right statement of a flag, if any."""
    correct = (details or {}).get("correct")
    if not isinstance(correct, dict):
        return None
    claim_id: int | None = correct.get("claim_id")
    return claim_id


def _state(conn: Connection, target: str, target_id: int) -> ItemState:
    """Current status, note, version (and correct claim for flags) plus who/when last decided on it."""
    row = _row(conn, target, target_id)
    last = conn.execute(
        select(col(Decision.reviewer), col(Decision.at))
        .where(col(Decision.target) == target, col(Decision.fingerprint) == row.fingerprint)
        .order_by(col(Decision.id).desc()).limit(1)
    ).first()
    at = aware_utc(last.at) if last else None
    state: ItemState = {"target": target, "id": row.id, "status": row.status, "note": row.note, "version": row.version,
             "fingerprint": row.fingerprint, "by": last.reviewer if last else None,
             "at": at.isoformat() if at else None}
    if target == "flag":
        state["correct"] = _correct_of(row.details)
    return state


def _stale(conn: Connection, target: str, target_id: int, why: str = "changed since you loaded it") -> StaleVersion:
    """A StaleVersion carrying the item's fresh state and a one-line message saying what it is now."""
    cur = _state(conn, target, target_id)
    who, at = "", cur["at"]
    if cur["by"] and at:
        when = dt.datetime.fromisoformat(at).strftime("%Y-%m-%d %H:%M UTC")
        who = f" (by {cur['by']} at {when})"
    note = "no note" if cur["note"] is None else f"note {_short(cur['note'])!r}"
    correct = f", correct: claim {cur['correct']}" if cur.get("correct") is not None else ""
    return StaleVersion(printable(f"{target} {target_id} {why}{who}: now {cur['status']}, {note}{correct}"), cur)


def _short(s: str, n: int = 80) -> str:
    """At most n characters of s on one line."""
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _norm_note(note: str | None) -> str | None | _Unset:
    """None = leave unchanged (UNSET); '' or only spaces = clear (None); anything else is kept."""
    if note is None:
        return UNSET
    return note if note.strip() else None


def _check_status(target: str, status: str | None) -> str | _Unset:
    """UNSET for None, else the status if valid for the target, else DecisionError listing the valid ones."""
    if status is None:
        return UNSET
    valid = CLAIM_STATUSES if target == "claim" else FLAG_STATUSES
    if status not in valid:
        raise DecisionError(f"unknown {target} status {status!r}; valid: {', '.join(valid)}")
    return status


def _as_text(v: FieldValue) -> str | None:
    """A field value as stored in the Decision log (strings or None)."""
    return None if v is None else str(v)


def _check_undo(conn: Connection, target: str, target_id: int, row: Row[Any], applied: Applied,
                current: Mapping[str, FieldValue], reviewer: str) -> None:
    """Refuse (StaleVersion) to undo applied if anyone but reviewer decided on the item since, or if a field it set
    no longer holds what it set (a later change is still in place)."""
    others = conn.execute(
        select(col(Decision.reviewer))
        .where(col(Decision.target) == target, col(Decision.fingerprint) == row.fingerprint,
               col(Decision.id) > max(applied.decision_ids), col(Decision.reviewer) != reviewer).limit(1)).first()
    if others is not None:
        raise _stale(conn, target, target_id, "was changed by someone else since your decision")
    if any(current[k] != v for k, v in applied.new.items()):
        raise _stale(conn, target, target_id, "changed since your decision")


def _apply(engine: Engine, target: str, target_id: int, wanted: Mapping[str, FieldValue | _Unset], *, reviewer: str,
           expected_version: int | None, expected_fingerprint: str | None = None,
           log_prefix: str = "", undoing: Applied | None = None) -> Applied:
    """Set the wanted fields in one guarded transaction and append one Decision row per changed field (undoing: the
    decision this restores, checked by _check_undo instead of a version)."""
    reviewer = check_reviewer(reviewer)
    given = {k: v for k, v in wanted.items() if not isinstance(v, _Unset)}
    model = _table(target)
    with engine.begin() as conn:
        row = _row(conn, target, target_id)
        if expected_fingerprint is not None and row.fingerprint != expected_fingerprint:
            raise _stale(conn, target, target_id, "is no longer the item you loaded (matching or ingest re-ran)")
        if expected_version is not None and row.version != expected_version:
            raise _stale(conn, target, target_id)
        current: dict[str, FieldValue] = {"status": row.status, "note": row.note}
        correct_fp = None
        if target == "flag":
            current["correct"] = _correct_of(row.details)
        if undoing is not None:
            _check_undo(conn, target, target_id, row, undoing, current, reviewer)
        if target == "flag":
            cid = given.get("correct")
            if cid is not None:
                correct_fp = conn.execute(
                    select(col(Claim.fingerprint)).join(FlagMember, col(FlagMember.claim_id) == col(Claim.id))
                    .where(col(FlagMember.flag_id) == target_id, col(FlagMember.claim_id) == cid)
                ).scalar()
                if correct_fp is None:
                    raise DecisionError(f"claim {cid} is not a statement of flag {target_id}")
        old = {k: current[k] for k, v in given.items() if current[k] != v}
        new = {k: given[k] for k in old}
        if not new:
            return Applied(target, target_id, [], {}, {}, row.version, row.fingerprint)
        now = utcnow()
        values: dict[str, object] = {k: new[k] for k in ("status", "note") if k in new}
        if "correct" in new:
            details = dict(row.details or {})  # a new dict, so the JSON column is rewritten
            if new["correct"] is None:
                details.pop("correct", None)
            else:
                details["correct"] = {"claim_id": new["correct"], "fingerprint": correct_fp}
            values["details"] = details or None
        if target == "claim":
            values["updated_at"] = now
        result = conn.execute(
            update(model).where(col(model.id) == target_id, col(model.version) == row.version,
                                col(model.fingerprint) == row.fingerprint)  # the same item, not a reused id
            .values(**values, version=col(model.version) + 1)
        )
        if result.rowcount != 1:  # another process won the race between our read and this write
            raise _stale(conn, target, target_id)
        note_after = _as_text(new.get("note", current["note"]))  # a note: text or None
        log_note = log_prefix + (note_after or "") if log_prefix else note_after
        ids: list[int] = []
        for name in ("status", "note", "correct"):
            if name in new:
                key = conn.execute(insert(Decision).values(
                    at=now, reviewer=reviewer, target=target, target_id=target_id, fingerprint=row.fingerprint,
                    field=name, old=_as_text(old[name]), new=_as_text(new[name]), note=log_note,
                )).inserted_primary_key
                assert key is not None  # a single-row INSERT always has one
                ids.append(key[0])
    return Applied(target, target_id, ids, old, new, row.version + 1, row.fingerprint)


def decide_claim(engine: Engine, claim_id: int, *, status: str | None = None, note: str | None = None,
                 reviewer: str, expected_version: int | None = None,
                 expected_fingerprint: str | None = None) -> Applied:
    """Set a claim's status and/or note (None = unchanged, note '' = clear), refusing stale versions."""
    wanted: dict[str, FieldValue | _Unset] = {"status": _check_status("claim", status), "note": _norm_note(note)}
    return _apply(engine, "claim", claim_id, wanted, reviewer=reviewer, expected_version=expected_version,
                  expected_fingerprint=expected_fingerprint)


def decide_flag(engine: Engine, flag_id: int, *, status: str | None = None, note: str | None = None,
                correct_claim_id: int | None | _Unset = UNSET, reviewer: str,
                expected_version: int | None = None, expected_fingerprint: str | None = None) -> Applied:
    """Set a flag's status, note and/or correct member statement (None clears it), refusing stale versions."""
    if correct_claim_id is not UNSET and correct_claim_id is not None:
        if isinstance(correct_claim_id, bool) or not isinstance(correct_claim_id, int):
            raise DecisionError(f"correct claim must be a claim id, not {correct_claim_id!r}")
    wanted: dict[str, FieldValue | _Unset] = {"status": _check_status("flag", status), "note": _norm_note(note),
                                               "correct": correct_claim_id}
    return _apply(engine, "flag", flag_id, wanted, reviewer=reviewer, expected_version=expected_version,
                  expected_fingerprint=expected_fingerprint)


def undo(engine: Engine, applied: Applied, *, reviewer: str) -> Applied:
    """Restore applied.old, logging new 'undo: ' rows; refused (StaleVersion) if anyone but reviewer decided on the
    item since, or if a field it set holds another value now. Undoing one's decisions newest first walks back
    through them one at a time."""
    if not applied.decision_ids:  # nothing was changed, so there is nothing to restore
        return Applied(applied.target, applied.target_id, [], {}, {}, applied.version, applied.fingerprint)
    return _apply(engine, applied.target, applied.target_id, dict(applied.old), reviewer=reviewer,
                  expected_version=None, expected_fingerprint=applied.fingerprint, log_prefix=UNDO_PREFIX,
                  undoing=applied)


def item_state(engine: Engine, target: str, target_id: int) -> ItemState:
    """The item's status, note, version, fingerprint, last reviewer/time and (flags) correct claim id."""
    with engine.connect() as conn:
        return _state(conn, target, target_id)
