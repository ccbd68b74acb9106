"""The citations appendix as Markdown: sources, claims with excerpts and verdicts, contradictions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from factcheck import __version__
from factcheck.export.appendix import (
    FLAG_TITLES,
    VERDICTS,
    contradictions,
    excerpt_pieces,
    explanation,
    flag_timeline,
    group_claims,
    heading_subject,
    member_value,
    quote_marks,
    resolution,
    reviewers,
    verdict_counts,
    with_numbers,
)
from factcheck.export.citations import reference_parts
from factcheck.export.data import CitedSource, ExportClaim, ExportData, ExportFlag, location_label
from factcheck.labels import reader_value
from factcheck.timeline import timeline_text

_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # left after whitespace is collapsed
_INERT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **{ch: "\\" + ch for ch in "\\`*_{}[]#|~"}})
_CODE_SAFE = re.compile(r"[^`\x00-\x1f\x7f-\x9f\u2028\u2029]+")  # what a one-line code span can hold as it is
_BLOCK_START = re.compile(r"[-+=]")  # "> " and "#" are already inert (&gt;, \#)
TEXT_WIDTH = 78  # the text timeline's width in a code block
_AUTOLINK = re.compile(r"https?://[^\s<>\x00-\x1f\x7f-\x9f]+")


def esc(text: str | None) -> str:
    """Document text made inert in Markdown: HTML entities for < > &, backslashes before markup, one line
    (whitespace, newlines included, collapsed to one space; other control characters as U+FFFD)."""
    return _CONTROL.sub("\ufffd", _WHITESPACE.sub(" ", text or "")).translate(_INERT)


def line_start(text: str | None) -> str:
    """esc() for text that begins a line: a leading list, heading-underline or numbering mark is escaped too."""
    out = esc(text).strip()
    return "\\" + out if _BLOCK_START.match(out) else re.sub(r"^(\d+)([.)])", r"\1\\\2", out)


def code(text: str) -> str:
    """Text (a file path) in a code span when it can sit there literally, else as escaped text."""
    if _CODE_SAFE.fullmatch(text) and text.strip() == text:
        return f"`{text}`"  # inside a code span < > & are shown as they are, never read as HTML
    return esc(text)


def _reference(src: CitedSource) -> str:
    """One reference entry with the title in italics and the URL as a link."""
    out = []
    for text, style in reference_parts(src):
        if style == "title":
            out.append(f"*{esc(text)}*")
        elif style == "url":
            out.append(f"<{text}>" if _AUTOLINK.fullmatch(text) else esc(text))
        elif style == "path":
            out.append(code(text))
        else:
            out.append(esc(text))
    return "".join(out).strip()


def _quoted_excerpt(c: ExportClaim) -> str:
    """“before **claim** after” with everything escaped."""
    before, mid, after = excerpt_pieces(c)
    opening, closing = quote_marks(c)
    return f"{opening}{esc(before)}**{esc(mid)}**{esc(after)}{closing}"


def _claim_block(c: ExportClaim, n: int) -> list[str]:
    """A claim as a list item: excerpt, then value, speaker, verdict, reviewer, location, note."""
    facts = [f"**{esc(VERDICTS.get(c['status'], c['status']))}**"]
    if value := reader_value(c):
        facts.append(f"value: {esc(value)}")
    if c.get("speaker"):
        facts.append(f"speaker: {esc(c['speaker'])}")
    facts.append(esc(c["kind"]))
    where = f"[{c['source_number']}], {esc(location_label(c))}"
    lines = [f"{n}. {_quoted_excerpt(c)}", f"   {' · '.join(facts)} · {where} · claim {c['id']}"]
    if c.get("reviewer"):
        lines[-1] += f" · reviewed by {esc(c['reviewer'])} {esc((c.get('decided_at') or '')[:10])}"
    if c.get("note"):
        lines.append(f"   Note: {esc(c['note'])}")
    return lines


def _diff_line(diff: Iterable[Sequence[Any]]) -> str:
    """A word diff: ~~removed~~ and **added** words."""
    out = []
    for op, a, b in diff:
        if op == "equal":
            out.append(esc(a))
        else:
            if a:
                out.append(f"~~{esc(a)}~~")
            if b:
                out.append(f"**{esc(b)}**")
    return " ".join(x for x in out if x)


def _flag_block(f: ExportFlag, n: int, data: ExportData) -> list[str]:
    """A contradiction: what, how it was settled, why it was raised, each statement with its source and location,
    and (dates) the timeline as text."""
    settled = resolution(f)
    subject, _ = heading_subject(f)
    by = f" (by {esc(f['reviewer'])}, {esc((f.get('decided_at') or '')[:10])})" if f.get("reviewer") else ""
    lines = [f"### {n}. {esc(FLAG_TITLES.get(f['type'], f['type']))}: {esc(subject)}", "",
             line_start(with_numbers(f["summary"] or "", f)), "",
             f"**Resolution:** {esc(settled.state)}{by}" + (f". {esc(settled.sentence)}" if settled.sentence else "")]
    if f.get("note"):
        lines.append(f"**Note:** {esc(f['note'])}")
    if why := explanation(f):
        lines += ["", f"*{esc(why)}*"]
    if f["details"].get("diff"):
        lines += ["", f"Wording: {_diff_line(f['details']['diff'])}"]
    lines += ["", "| # | Source | Statement | States | Verdict | Location |", "|---|---|---|---|---|---|"]
    for i, m in enumerate(f["members"], 1):
        mark = " ✔ marked right" if m["id"] == settled.right_id else ""
        lines.append(f"| {i}{mark} | [{m['source_number']}] | {_quoted_excerpt(m)} | "
                     f"{esc(member_value(m, f['type']))} | {esc(VERDICTS.get(m['status'], m['status']))} | "
                     f"{esc(location_label(m))} |")
    tl = flag_timeline(f, data)
    if tl is not None:
        lines += ["", "Timeline (● a source's date for the event, ▲ the page's own date, ✖ a differing date):", "",
                  "```text", *(_fence_safe(x) for x in timeline_text(tl, TEXT_WIDTH)), "```"]
    return lines + [""]


def _fence_safe(line: str) -> str:
    """A line that cannot close a code fence or carry control characters."""
    return _CONTROL.sub("\ufffd", line).replace("```", "`\u200b``")


def render(data: ExportData) -> str:
    """The whole appendix as one Markdown document."""
    out = ["# Citations appendix", "",
           f"Generated {data.generated_at:%d %B %Y %H:%M} UTC by factcheck {__version__}. "
           f"{len(data.claims)} of {data.total_claims} claims ({esc(data.filters.describe())}): "
           f"{esc(verdict_counts(data))}."
           + (f" Reviewers: {esc(', '.join(reviewers(data)))}." if reviewers(data) else ""), "",
           "## Sources", ""]
    if not data.sources:
        out += ["No sources are cited by the selected claims and findings.", ""]
    for s in data.sources:
        out.append(f"{s['number']}. {_reference(s)}")
    out += ["", "## Claims", ""]
    if not data.claims:
        out += ["No claims match (by default only reviewed claims are listed; `--status all` lists every claim).",
                ""]
    for title, claims in group_claims(data):
        out += [f"### {esc(title)}", ""]
        for n, c in enumerate(claims, 1):
            out += _claim_block(c, n)
        out.append("")
    flags = contradictions(data)
    out += ["## Contradictions and checks", ""]
    if not flags:
        out += ["No conflicting values, reworded quotes or arithmetic problems were found.", ""]
    for n, f in enumerate(flags, 1):
        out += _flag_block(f, n, data)
    return "\n".join(out).rstrip() + "\n"
