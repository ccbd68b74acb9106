"""What the Markdown and HTML appendices share: claim grouping, verdict words, flag titles, counts."""

from __future__ import annotations

from factcheck.export.data import CitedSource, ExportClaim, ExportData, ExportFlag
from factcheck.vocabulary import CONTRADICTION_TYPES
from factcheck.vocabulary import ClaimStatus as C
from factcheck.vocabulary import FlagStatus as F
from factcheck.vocabulary import FlagType as T

VERDICTS: dict[str, str] = {C.UNREVIEWED: "Unreviewed", C.SUPPORTED: "Supported", C.DISPUTED: "Disputed",
                            C.FALSE: "False", C.UNVERIFIABLE: "Unverifiable", C.NOT_A_CLAIM: "Not a claim",
                            C.ORPHANED: "Orphaned"}
FLAG_STATES: dict[str, str] = {F.OPEN: "Open — not yet resolved", F.CONFIRMED: "Confirmed", F.DISMISSED: "Dismissed"}
FLAG_TITLES: dict[str, str] = {T.CONFLICT: "Conflicting values", T.QUOTE_VARIANT: "Quote worded differently",
                               T.ARITHMETIC: "Arithmetic that does not add up",
                               T.PARAPHRASE: "The same point in other words"}


def group_claims(data: ExportData) -> list[tuple[str, list[ExportClaim]]]:
    """Claims grouped by source (reference order) or by subject (alphabetical), per the filters."""
    groups: dict[str, list[ExportClaim]] = {}
    if data.filters.group_by == "subject":
        for c in data.claims:
            key = (c.get("subject") or (f"quotes of {c['speaker']}" if c.get("speaker") else "no subject")).strip()
            groups.setdefault(key[:1].upper() + key[1:], []).append(c)
        ordered = sorted(groups.items(), key=lambda kv: kv[0].lower())
        return [(k, sorted(v, key=lambda c: (c["source_number"] or 0, c["start"]))) for k, v in ordered]
    by_number: dict[int | None, CitedSource] = {s["number"]: s for s in data.sources}
    for c in sorted(data.claims, key=lambda c: (c["source_number"] or 0, c["start"])):
        src = by_number.get(c["source_number"])
        groups.setdefault(f"[{c['source_number']}] " + (src["title"] or src["path"] if src else c["source"]),
                          []).append(c)
    return list(groups.items())


def contradictions(data: ExportData) -> list[ExportFlag]:
    """The conflict, quote-variant and arithmetic flags, in queue order."""
    return [f for f in data.flags if f["type"] in CONTRADICTION_TYPES]


def verdict_counts(data: ExportData) -> str:
    """'3 supported, 1 disputed' over the exported claims."""
    counts: dict[str, int] = {}
    for c in data.claims:
        counts[c["status"]] = counts.get(c["status"], 0) + 1
    return ", ".join(f"{n} {VERDICTS.get(s, s).lower()}" for s, n in sorted(counts.items(), key=lambda kv: -kv[1])) \
        or "none"


def reviewers(data: ExportData) -> list[str]:
    """Everyone whose decisions are in the export."""
    names = {r for c in data.claims if (r := c.get("reviewer"))}
    names |= {r for f in data.flags if (r := f.get("reviewer"))}
    return sorted(names)


def member_value(m: ExportClaim, flag_type: str) -> str:
    """What a flag member states: the quoted words for quote variants, else its value (or its words)."""
    if flag_type == T.QUOTE_VARIANT:
        return m.get("quote_text") or "(the same words, unmarked, in this passage)"
    return m.get("value_label") or m.get("quote_text") or m["text"]


def excerpt_pieces(c: ExportClaim) -> tuple[str, str, str]:
    """The excerpt split around the claim: (before, claim, after), whitespace collapsed."""
    excerpt = c["excerpt"]
    lo = c["start"] - c["excerpt_start"]
    hi = c["end"] - c["excerpt_start"]
    before, mid, after = excerpt[:lo], excerpt[lo:hi], excerpt[hi:]
    return (_squash(before) + (" " if before[-1:].isspace() else ""), _squash(mid),
            (" " if after[:1].isspace() else "") + _squash(after))


def _squash(s: str) -> str:
    """Runs of whitespace as one space, trimmed."""
    return " ".join(s.split())
