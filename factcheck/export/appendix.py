"""What the Markdown and HTML appendices share: claim grouping, verdict words, flag titles, counts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from factcheck.export.citations import title_of
from factcheck.export.data import CitedSource, ExportClaim, ExportData, ExportFlag
from factcheck.labels import reader_value
from factcheck.timeline import Timeline, timeline_of
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
    """What a flag member states: the quoted words for quote variants, else its value in a reader's words (or its
    words)."""
    if flag_type == T.QUOTE_VARIANT:
        return m.get("quote_text") or "(the same words, unmarked, in this passage)"
    return reader_value(m) or m.get("quote_text") or m["text"]


OPENING_MARKS = "\"'“‘«„‚"
DOUBLE_MARKS = "\"“”«»„"


def quote_marks(c: ExportClaim) -> tuple[str, str]:
    """The quotation marks to put around an excerpt: none when it begins with a quotation mark of its own (a
    quote is its own delimiter), single ‘…’ when it holds double marks, else double “…”."""
    text = _squash(c["excerpt"])
    if text[:1] in OPENING_MARKS:
        return "", ""
    if any(ch in DOUBLE_MARKS for ch in text):
        return "‘", "’"
    return "“", "”"


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


# ---------------------------------------------------------------- resolution and explanation in words

DISMISSED_WORDS: dict[str, str] = {T.CONFLICT: "judged not to be a real conflict",
                                   T.QUOTE_VARIANT: "judged not to be a misquotation",
                                   T.ARITHMETIC: "judged not to be an arithmetic error"}
DOUBTED = (C.FALSE, C.DISPUTED, C.NOT_A_CLAIM)  # verdicts that do not sit with "marked right"


@dataclass(frozen=True)
class Resolution:
    """How a flag was settled, in words that agree with each other: its state, the member marked right (only for
    a confirmed flag whose marked claim is one of its members) and a sentence saying more ('' when none)."""

    status: str
    state: str
    right_id: int | None
    sentence: str


def resolution(f: ExportFlag) -> Resolution:
    """The flag's resolution: a dismissed or open flag never has a statement marked right; a confirmed one may,
    and a verdict on that statement which doubts it is said, not hidden."""
    status = f["status"]
    members = {m["id"]: (i, m) for i, m in enumerate(f["members"], 1)}
    marked = f.get("correct_claim_id")
    if status == F.DISMISSED:
        words = DISMISSED_WORDS.get(f["type"], "judged not to be a real finding")
        return Resolution(status, "Dismissed", None, f"{words[:1].upper()}{words[1:]}.")
    if status != F.CONFIRMED:
        return Resolution(status, FLAG_STATES[F.OPEN], None, "")
    if marked not in members:
        return Resolution(status, "Confirmed", None, "No statement is marked as the right one.")
    assert marked is not None
    i, m = members[marked]
    sentence = (f"Statement {i} ([{m['source_number']}], {member_value(m, f['type'])}) is marked as the right "
                f"one.")
    if m["status"] in DOUBTED:
        sentence += f" Its own verdict is “{VERDICTS[m['status']]}”: check it."
    return Resolution(status, "Confirmed", marked, sentence)


_TOPIC = re.compile(r"^(?P<head>.+?) \((?P<words>[^()]+)\)$")


def _cased(word: str, members: list[ExportClaim]) -> str:
    """A lower-cased word as the members' excerpts write it ('suffolk' -> 'Suffolk')."""
    seen: dict[str, int] = {}
    for m in members:
        for hit in re.finditer(rf"\b{re.escape(word)}\b", m["excerpt"], re.I):
            seen[hit.group()] = seen.get(hit.group(), 0) + 1
    return max(seen, key=lambda w: (seen[w], w.islower())) if seen else word


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def heading_subject(f: ExportFlag) -> tuple[str, list[str]]:
    """The flag's subject for a heading, and the topic words the matcher put in brackets after it (as the
    excerpts write them): ('date the report was published', ['Suffolk', 'probation'])."""
    subject = f["subject"] or f["summary"] or ""
    hit = _TOPIC.match(subject)
    if not hit or not all(w.strip() and " " not in w.strip() for w in hit["words"].split(",")):
        return subject, []
    return hit["head"], [_cased(w.strip(), f["members"]) for w in hit["words"].split(",")]


def with_numbers(text: str, f: ExportFlag) -> str:
    """The matcher's text with each member source's file name as its reference number ('[3]')."""
    paths = {m["source"]: m["source_number"] for m in f["members"] if m.get("source_number")}
    for path in sorted(paths, key=len, reverse=True):
        text = text.replace(path, f"[{paths[path]}]")
    return text


def _says(f: ExportFlag) -> list[str]:
    """'[3] says today (19 June 2017, the page's date)' per source, each value once, in source-number order."""
    said: dict[int, list[str]] = {}
    for m in f["members"]:
        if m.get("role") == "anchor":
            continue
        values = said.setdefault(m.get("source_number") or 0, [])
        value = member_value(m, f["type"])
        if value not in values:
            values.append(value)
    return [f"[{n}] says {_and(vs)}" for n, vs in sorted(said.items())]


def explanation(f: ExportFlag) -> str:
    """Why the flag was raised, as sentences a reader follows: composed from the members for conflicts, else the
    matcher's own sentences with reference numbers for file names."""
    _, topic = heading_subject(f)
    shared = f" The statements share the words {_and(topic)}." if topic else ""
    if f["type"] == T.CONFLICT and any(m["kind"] == "date" for m in f["members"]):
        return (f"The sources date the same event differently: {'; '.join(_says(f))}. Each relative date is read "
                f"against the date of the page that uses it.{shared}")
    if f["type"] == T.CONFLICT:
        years = (" They speak of different years, so each may have been true at its time."
                 if f["details"].get("dated_differently") else "")
        return (f"These values cannot all hold, even allowing for qualifiers and rounding: {'; '.join(_says(f))}."
                f"{years}{shared}")
    return with_numbers(f.get("explanation") or "", f) + shared


def flag_timeline(f: ExportFlag, data: ExportData) -> Timeline | None:
    """The flag's timeline (flags about dates), each source named '[n] title'."""
    sources = data.source_by_id

    def name(m: Mapping[str, Any]) -> str:
        src = sources.get(m["source_id"])
        return f"[{m.get('source_number')}] " + (title_of(src) if src else str(m.get("source")))

    return timeline_of(f, name)
