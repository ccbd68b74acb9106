"""Claims and flags as one CSV table for spreadsheets (a `record` column tells them apart), formula-safe."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from factcheck.export.data import ExportData, ExportStream

CLAIM_FIELDS = ("id", "kind", "status", "note", "source_number", "source", "section", "section_date",
                "paragraph", "line", "start", "end", "text", "excerpt", "value", "low", "high", "unit", "qualifier",
                "value_label", "date", "date_end", "date_precision", "relative", "relative_to", "subject", "speaker",
                "speaker_kind", "quote_text", "reviewer", "decided_at", "fingerprint", "details")
FLAG_FIELDS = ("id", "type", "status", "note", "score", "subject", "summary", "explanation", "correct_claim_id",
               "reviewer", "decided_at", "details")
COLUMNS = ("record", *CLAIM_FIELDS, "score", "summary", "explanation", "correct_claim_id", "member_claim_ids",
           "flag_ids")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")  # also full-width forms
CHUNK = 1 << 16  # characters per chunk written


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could read text as a formula: it starts with a tab, CR or newline, or its first
    character after leading whitespace is = + - @ (or a full-width ＝ ＋ － ＠)."""
    return text.startswith(("\t", "\r", "\n")) or text.lstrip().startswith(FORMULA_START)


def cell(value: object) -> object:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def _rows(data: ExportData | ExportStream) -> Iterator[list[object]]:
    """The header row, then a row per claim (as the claims come) and a row per flag."""
    flags_of: dict[int, list[str]] = {}
    for f in data.flags:
        for m in f["members"]:
            flags_of.setdefault(m["id"], []).append(str(f["id"]))
    yield list(COLUMNS)
    for c in data.claims:
        row = {"record": "claim", **{k: c.get(k) for k in CLAIM_FIELDS},
               "flag_ids": " ".join(flags_of.get(c["id"], []))}
        yield [cell(row.get(k)) for k in COLUMNS]
    for f in data.flags:
        row = {"record": "flag", **{k: f.get(k) for k in FLAG_FIELDS}, "kind": f["type"],
               "member_claim_ids": " ".join(str(m["id"]) for m in f["members"])}
        yield [cell(row.get(k)) for k in COLUMNS]


def chunks(data: ExportData | ExportStream) -> Iterator[str]:
    """The CSV text in pieces of about CHUNK characters, written as the rows come."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    for row in _rows(data):
        out.writerow(row)
        if buf.tell() >= CHUNK:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def render(data: ExportData) -> str:
    """One header row, then a row per claim and a row per flag."""
    return "".join(chunks(data))
