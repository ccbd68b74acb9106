"""Rich Text builders for excerpts, quote diffs and status labels (no widgets, no queries)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from factcheck.labels import short as one_line
from factcheck.vocabulary import ClaimStatus as C
from factcheck.vocabulary import FlagStatus as F

# C0 controls but tab and newline, DEL, C1 controls (\x9b is an 8-bit CSI), lone surrogates (undecodable names)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# One mark per status, each mark meaning one status: the mark and the word are shown together everywhere
STATUS_MARKS: dict[str, str] = {
    C.UNREVIEWED: "·", C.SUPPORTED: "✔", C.DISPUTED: "?", C.FALSE: "✘", C.UNVERIFIABLE: "~",
    C.NOT_A_CLAIM: "−", C.ORPHANED: "!", F.OPEN: "●", F.CONFIRMED: "◆", F.DISMISSED: "⊘",
}
STATUS_STYLES: dict[str, str] = {
    C.SUPPORTED: "green", F.CONFIRMED: "green", C.DISPUTED: "yellow", C.FALSE: "red", F.DISMISSED: "dim",
    C.UNVERIFIABLE: "magenta", C.NOT_A_CLAIM: "dim", F.OPEN: "bold", C.UNREVIEWED: "",
}
HIGHLIGHT = "bold reverse"      # the value or quote a statement is about: visible without colour
OTHER_CLAIM = "underline"       # other claims in a source


def _escape(m: re.Match[str]) -> str:
    """One control character as a visible escape: \\x1b, \\x9b, \\ud800."""
    ch = ord(m.group())
    return f"\\x{ch:02x}" if ch < 0x100 else f"\\u{ch:04x}"


def clean(value: object) -> str:
    """Document text safe for the terminal: control characters but newline and tab shown as escapes (\\x1b)."""
    return _CONTROLS.sub(_escape, "" if value is None else str(value))


def plain(value: object, style: str = "") -> Text:
    """Document text as Text: never read as markup, control characters shown escaped."""
    return Text(clean(value), style=style)


def plain_line(value: object, width: int = 120, style: str = "") -> Text:
    """Document text on one line of at most width characters, as plain Text."""
    return Text(one_line(clean(value), width), style=style)


def clean_cut(text: str, cuts: list[int]) -> tuple[Text, dict[int, int]]:
    """Plain Text of text with controls escaped, and where each cut offset of text lands in it."""
    out, at, prev = Text(), {}, 0
    for cut in sorted({0, len(text), *(min(max(0, c), len(text)) for c in cuts)}):
        out.append(clean(text[prev:cut]))
        at[cut], prev = len(out.plain), cut
    return out, at


def status_label(status: str) -> Text:
    """A status with a mark that does not rely on colour: '✔ supported'."""
    return Text(f"{STATUS_MARKS.get(status, ' ')} {clean(status).replace('_', ' ')}",
                style=STATUS_STYLES.get(status, ""))


def status_width(statuses: Iterable[str]) -> int:
    """The cells the longest of these status labels takes, so a status column never cuts a word."""
    return max(cell_len(status_label(s).plain) for s in statuses)


def status_legend(statuses: Iterable[str]) -> str:
    """Every mark with its status: '✔ supported  ? disputed  …'."""
    return "  ".join(status_label(s).plain for s in statuses)


def finding_line(summary: str | None, subject: str | None) -> str:
    """A flag's summary for one line, what disagrees first: 'a vs b — subject'. A leading 'Name: ' the subject
    already names (the speaker of a quote, the row of a table) is left out, so the values come first."""
    summary, subject = " ".join((summary or "").split()), " ".join((subject or "").split())
    head, sep, rest = summary.partition(": ")
    if sep and head and rest and head.casefold() in subject.casefold():
        summary = rest
    return f"{summary} — {subject}" if summary and subject else summary or subject


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: '1 claim', '1,234 claims', '0 sections'."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def excerpt_text(excerpt: str, start: int, end: int, marks: Sequence[Sequence[int]] | None = None) -> Text:
    """An excerpt in quotation marks with the claim's span highlighted (bold, reverse); with marks (the names
    an alias flag is about, as (start, end) in the excerpt) those are highlighted and the claim's span underlined."""
    start, end = max(0, start), min(len(excerpt), end)
    spans = [(max(0, a), min(len(excerpt), b)) for a, b in marks or () if a < b]
    body, at = clean_cut(excerpt, [start, end, *(c for span in spans for c in span)])
    body.stylize(OTHER_CLAIM if spans else HIGHLIGHT, at[start], at[end])
    for a, b in spans:
        body.stylize(HIGHLIGHT, at[a], at[b])
    return Text("“") + body + Text("”")


def _shown(mention: dict[str, Any], members: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a mention lies in the excerpt of one of the statements shown."""
    return any(m.get("source_id") == mention.get("source_id") and m.get("mention_spans")
               and m["excerpt_start"] <= mention["start"] and mention["end"] <= m["excerpt_end"] for m in members)


def mentions_line(details: dict[str, Any], members: Sequence[Mapping[str, Any]]) -> Text | None:
    """For a flag listing name mentions: how many, in how many documents, how many the statements show."""
    mentions = details.get("mentions") or []
    if not mentions:
        return None
    documents = len({m.get("source_id") for m in mentions})
    shown = sum(_shown(m, members) for m in mentions)
    total = sum((details.get("counts") or {}).values()) or len(mentions)
    return plain(f"\n{counted(total, 'mention')} in {counted(documents, 'document')}; "
                 f"{shown} in the statements below, highlighted (g opens a statement's source)")


def diff_text(diff: Sequence[Sequence[str]], side: int) -> Text:
    """One side of a word diff: words only on this side are bracketed and styled ([-gone-], {+new+})."""
    text = Text()
    for op, a, b in diff:
        words = clean(a if side == 0 else b)
        if op == "equal":
            text.append(words + " ")
        elif words:
            if side == 0:
                text.append(f"[-{words}-]", style="bold strike red")
            else:
                text.append(f"{{+{words}+}}", style="bold underline green")
            text.append(" ")
    return text
