"""Claims and flags as one CSV table for spreadsheets (a `record` column tells them apart), formula-safe."""

from __future__ import annotations

import csv
import io
import json

from factcheck.export.data import ExportData

CLAIM_FIELDS = ("id", "kind", "status", "note", "source_number", "source", "section", "section_date",
                "paragraph", "line", "start", "end", "text", "excerpt", "value", "low", "high", "unit", "qualifier",
                "value_label", "date", "date_end", "date_precision", "relative", "relative_to", "subject", "speaker",
                "speaker_kind", "quote_text", "reviewer", "decided_at", "fingerprint", "details")
FLAG_FIELDS = ("id", "type", "status", "note", "score", "subject", "summary", "explanation", "correct_claim_id",
               "reviewer", "decided_at", "details")
COLUMNS = ("record", *CLAIM_FIELDS, "score", "summary", "explanation", "correct_claim_id", "member_claim_ids",
           "flag_ids")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> object:
    """A spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def render(data: ExportData) -> str:
    """One header row, then a row per claim and a row per flag."""
    flags_of: dict[int, list[str]] = {}
    for f in data.flags:
        for m in f["members"]:
            flags_of.setdefault(m["id"], []).append(str(f["id"]))
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(COLUMNS)
    for c in data.claims:
        row = {"record": "claim", **{k: c.get(k) for k in CLAIM_FIELDS}, "flag_ids": " ".join(flags_of.get(c["id"], []))}
        out.writerow([cell(row.get(k)) for k in COLUMNS])
    for f in data.flags:
        row = {"record": "flag", **{k: f.get(k) for k in FLAG_FIELDS}, "kind": f["type"],
               "member_claim_ids": " ".join(str(m["id"]) for m in f["members"])}
        out.writerow([cell(row.get(k)) for k in COLUMNS])
    return buf.getvalue()
