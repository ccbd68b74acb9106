"""What the command line prints on a terminal (rich tables sized to its width, `show` views with the claim
highlighted) and the plain text of `show` when output is piped. Printing only: the rows come from the store.

Every piece of document or user text goes in as a rich Text (never markup), made printable first, so that no
control character or markup in a document reaches the terminal."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from factcheck.labels import number, printable, short
from factcheck.vocabulary import ClaimStatus, FlagStatus

if TYPE_CHECKING:
    from factcheck.store import ClaimDict, FlagDict, HistoryEntry, SourceRow
    from factcheck.store.show import ClaimView, FlagView, MemberView, Place

BATCH = 200  # table rows rendered at a time: the widths are fixed, so the batches line up
MARK_OPEN, MARK_CLOSE = "«", "»"  # the claim inside its excerpt, in plain output
ORPHAN_MARK = "⚠ orphaned"  # in place of the location of a claim no longer in its source's text

STATUS_STYLE: dict[str, str] = {
    ClaimStatus.UNREVIEWED: "dim", ClaimStatus.SUPPORTED: "green", ClaimStatus.DISPUTED: "yellow",
    ClaimStatus.FALSE: "red", ClaimStatus.UNVERIFIABLE: "magenta", ClaimStatus.NOT_A_CLAIM: "dim",
    ClaimStatus.ORPHANED: "bold yellow", FlagStatus.OPEN: "", FlagStatus.CONFIRMED: "red", FlagStatus.DISMISSED: "dim"}


def terminal() -> Console | None:
    """A console for standard output when it is a terminal (its width from the terminal or $COLUMNS), else
    None: piped output stays plain text."""
    if not sys.stdout.isatty():
        return None
    return Console(highlight=False, soft_wrap=False)


def one_line(s: object, n: int = 400) -> str:
    """Document or user text as one printable line of at most n characters."""
    return printable(short(None if s is None else str(s), n))


def _status(s: str) -> Text:
    """A status word in its colour."""
    return Text(printable(s), style=STATUS_STYLE.get(s, ""))


def _clip(name: str, suffix: str, width: int) -> str:
    """name + suffix in at most width cells, shortening the name (not the suffix) with an ellipsis."""
    if len(name) + len(suffix) <= width:
        return name + suffix
    keep = max(1, width - len(suffix) - 1)
    return name[:keep] + "…" + suffix


@dataclass(frozen=True)
class Widths:
    """Column widths of a table, fixed for all its batches; the last column takes what is left."""

    fixed: tuple[int, ...]
    rest: int


def _widths(total: int, fixed: Sequence[int], shares: Sequence[tuple[float, int, int]], last_min: int) -> Widths:
    """Widths for fixed columns, columns taking a share of what is left (share, min, max), and a last column
    taking the rest (at least last_min); one cell between columns."""
    room = total - sum(fixed) - (len(fixed) + len(shares))  # separators
    flexible = [max(lo, min(hi, int(room * share))) for share, lo, hi in shares]
    return Widths((*fixed, *flexible), max(last_min, room - sum(flexible)))


def _table(widths: Widths, headers: Sequence[str], right: Sequence[int] = ()) -> Table:
    """An empty borderless table with these column widths (no wrapping: long cells end in an ellipsis)."""
    table = Table(box=None, pad_edge=False, padding=(0, 1, 0, 0), header_style="bold", show_edge=False,
                  expand=False)
    for i, (head, width) in enumerate(zip(headers, (*widths.fixed, widths.rest), strict=True)):
        table.add_column(head, width=width, no_wrap=True, overflow="ellipsis",
                         justify="right" if i in right else "left")
    return table


def _print_table(console: Console, widths: Widths, headers: Sequence[str],
                 rows: Iterable[Sequence[Text | str]], right: Sequence[int] = ()) -> int:
    """Print rows as a table, BATCH at a time under one header; return how many were printed."""
    printed = 0
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        table = _table(widths, headers, right)
        table.show_header = printed == 0
        for row in batch:
            table.add_row(*row)
        console.print(table)
        printed += len(batch)
    return printed


# ---------------------------------------------------------------- listings

def claim_location(c: ClaimDict, width: int = 10_000) -> Text:
    """`source:start` (the claim's offset in the stored text) in at most width cells, the name shortened first;
    an orphaned claim's source with a visible mark instead of its meaningless offsets."""
    if c["status"] == ClaimStatus.ORPHANED:  # the whole mark if it fits beside the whole name, else just ⚠
        name = printable(c["source"])
        mark = ORPHAN_MARK if len(name) + len(ORPHAN_MARK) + 1 <= width else ORPHAN_MARK[0]
        return Text.assemble(_clip(name, "", max(1, width - len(mark) - 1)) + " ",
                             (mark, STATUS_STYLE[ClaimStatus.ORPHANED]))
    return Text(_clip(printable(c["source"]), f":{c['start']}", width))


def claims_table(console: Console, rows: Iterable[ClaimDict], max_id: int) -> int:
    """Claims as a table: id, kind, status, speaker, source:location, text; return how many."""
    widths = _widths(console.width, (max(2, len(str(max_id))), 11, 12), ((0.2, 10, 22), (0.26, 13, 40)), 10)
    loc_width = widths.fixed[4]

    def cells(c: ClaimDict) -> list[Text | str]:
        return [str(c["id"]), printable(c["kind"]), _status(c["status"]), one_line(c["speaker"] or "", 80),
                claim_location(c, loc_width), one_line(c["text"])]

    return _print_table(console, widths, ("id", "kind", "status", "speaker", "source", "text"),
                        (cells(c) for c in rows), right=(0,))


def flags_table(console: Console, rows: Iterable[FlagDict]) -> int:
    """Flags as a table: id, type, status, score, members, subject, summary; return how many."""
    rows = list(rows)
    id_width = max([2, *(len(str(f["id"])) for f in rows)])
    widths = _widths(console.width, (id_width, 13, 9, 5, 3), ((0.35, 10, 50),), 12)

    def cells(f: FlagDict) -> list[Text | str]:
        return [str(f["id"]), printable(f["type"]), _status(f["status"]), f"{f['score']:.2f}", str(len(f["members"])),
                one_line(f["subject"] or ""), one_line(f["summary"] or "")]

    return _print_table(console, widths, ("id", "type", "status", "score", "n", "subject", "summary"),
                        (cells(f) for f in rows), right=(0, 3, 4))


def sources_table(console: Console, rows: Sequence[SourceRow]) -> int:
    """Sources as a table: id, published, claims, sections, source, title; return how many."""
    id_width = max([2, *(len(str(r["id"])) for r in rows)])
    longest = max([6, *(len(one_line(r["source"])) for r in rows)])  # the source column no wider than its names
    widths = _widths(console.width, (id_width, 10, 6, 4), ((0.45, 12, min(60, longest)),), 10)

    def cells(r: SourceRow) -> list[Text | str]:
        return [str(r["id"]), r["published"] or "-", str(r["claims"]), str(r["sections"]), one_line(r["source"]),
                one_line(r["title"] or "")]

    return _print_table(console, widths, ("id", "published", "claims", "sect", "source", "title"),
                        (cells(r) for r in rows), right=(0, 2, 3))


# ---------------------------------------------------------------- show claim / show flag

def marked_excerpt(excerpt: str, span: tuple[int, int], console: Console | None) -> Text:
    """The excerpt with the claim's span highlighted (terminal) or between « » (plain), on one line."""
    start, end = max(0, min(span[0], len(excerpt))), max(0, min(span[1], len(excerpt)))
    before, inside, after = (_squash(p) for p in (excerpt[:start], excerpt[start:end], excerpt[end:]))
    if console is None:
        return Text(f"{before}{MARK_OPEN}{inside}{MARK_CLOSE}{after}")
    return Text.assemble(before, (inside, "bold reverse"), after)


def _squash(s: str) -> str:
    """Text with every run of white space (newlines too) as one space, printable."""
    return printable(re.sub(r"\s+", " ", s))


def place_label(p: Place, was: str | None = None) -> str:
    """`a.txt, line 5, column 12 (offsets 120-128), section 2 “Heading” of 2024-03-12`; an orphaned claim: where
    it was (and its status then: was)."""
    if p.orphaned:
        return f"{printable(p.source)}: orphaned, no longer in its text (was at offsets {p.start}-{p.end}" + (
            f", status {printable(was)})" if was else ")")
    out = f"{printable(p.source)}, line {p.line}, column {p.column} (offsets {p.start}-{p.end})"
    if p.section is not None and (p.section > 1 or p.section_heading):
        out += f", section {p.section}" + (f" “{one_line(p.section_heading, 80)}”" if p.section_heading else "")
    if p.section_date:
        out += f", dated {p.section_date}"
    return out


def _opt(v: float | str | None) -> str:
    """A value, or - for none."""
    if v is None:
        return "-"
    return number(v) if isinstance(v, float | int) else printable(v)


def _field_lines(console: Console | None, fields: Iterable[tuple[str, Text | str | None]]) -> None:
    """Print `label  value` lines: a grid that wraps long values on a terminal, `label: value` lines when
    plain (fields without a value are left out)."""
    shown = [(k, v) for k, v in fields if v not in (None, "")]
    if console is None:
        for k, v in shown:
            print(f"{k}: {v.plain if isinstance(v, Text) else v}")
        return
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for k, v in shown:
        grid.add_row(k, v)
    console.print(grid)


def history_line(e: HistoryEntry) -> str:
    """`2026-11-22 16:20  alice  status  unreviewed → supported  "note"`."""
    at = (e["at"] or "")[:16].replace("T", " ")
    old, new = ("-" if v is None else one_line(v, 60) for v in (e["old"], e["new"]))
    line = f"{at}  {one_line(e['reviewer'], 60)}  {printable(e['field'])}  {old} → {new}"
    if e["note"] and not (e["field"] == "note" and e["note"] == e["new"]):
        line += f'  "{one_line(e["note"], 80)}"'
    return line


def _value_fields(v: ClaimView | MemberView) -> list[tuple[str, Text | str | None]]:
    """The reading of a claim: its value label, then value/low/high/unit/qualifier when it has a number."""
    if v.kind == "date" or (v.value is None and v.low is None and v.high is None):
        return [("value", printable(v.value_label))]
    parts = f"value {_opt(v.value)}, low {_opt(v.low)}, high {_opt(v.high)}, unit {_opt(v.unit)}, " \
            f"qualifier {_opt(v.qualifier)}"
    return [("value", printable(v.value_label)), ("fields", parts)]


def show_claim(view: ClaimView, console: Console | None) -> None:
    """Everything about one claim, as a grid on a terminal or `label: value` lines."""
    head = f"claim {view.id}  {printable(view.kind)}  {printable(view.status)}  version {view.version}"
    if console is None:
        print(head)
    else:
        console.print(Text.assemble((f"claim {view.id}", "bold"), f"  {printable(view.kind)}  ",
                                    _status(view.status), f"  version {view.version}"))
    date = None
    if view.kind == "date" or view.date:
        date = (view.date or "no calendar date") + (f" ({view.date_precision})" if view.date_precision else "") + (
            f", to {view.date_end}" if view.date_end and view.date_end != view.date else "") + (
            f", relative to {view.relative_to}" if view.relative else "")
    speaker = None
    if view.speaker:
        speaker = one_line(view.speaker, 120) + (f" ({one_line(view.speaker_role, 80)})" if view.speaker_role else "")
    flags = "\n".join(f"{f.id} {printable(f.type)} {printable(f.status)} {f.score:.2f}"
                      + (f" [{one_line(f.role, 40)}]" if f.role else "") + f"  {one_line(f.summary or f.subject, 120)}"
                      for f in view.flags)
    fields: list[tuple[str, Text | str | None]] = [
        ("text", one_line(view.text, 1000)), *_value_fields(view), ("date", date),
        ("subject", one_line(view.subject, 200) if view.subject else None), ("speaker", speaker),
        ("source", place_label(view.place, view.was_status)),
        ("title", one_line(view.place.title, 200) if view.place.title else None),
        ("file", printable(view.place.location) if view.place.location else None),
        ("note", one_line(view.note, 1000) if view.note is not None else None),
        ("excerpt", marked_excerpt(view.excerpt, view.highlight, console)),
    ]
    _field_lines(console, fields)
    _list_lines(console, "flags", flags.splitlines(), "member of no flag")
    _list_lines(console, "history", [history_line(e) for e in view.history], "no decisions yet")


def _list_lines(console: Console | None, label: str, lines: Sequence[str], none: str) -> None:
    """A labelled list, one item a line (plain: `label: item` for each, greppable), or what to say for none."""
    if console is None:
        for line in lines or [f"({none})"]:
            print(f"{label}: {line}")
        return
    console.print(Text(label, style="bold"))
    for line in lines or [f"({none})"]:
        console.print(Text("  " + line), overflow="ellipsis", no_wrap=True, crop=True)


def show_flag(view: FlagView, console: Console | None) -> None:
    """Everything about one flag with its member statements, as a grid on a terminal or `label: value` lines."""
    head = f"flag {view.id}  {printable(view.type)}  {printable(view.status)}  score {view.score:.2f}  " \
           f"version {view.version}"
    if console is None:
        print(head)
    else:
        console.print(Text.assemble((f"flag {view.id}", "bold"), f"  {printable(view.type)}  ",
                                    _status(view.status), f"  score {view.score:.2f}  version {view.version}"))
    _field_lines(console, [
        ("subject", one_line(view.subject, 300) if view.subject else None),
        ("summary", one_line(view.summary, 1000) if view.summary else None),
        ("why", one_line(view.explanation, 2000) if view.explanation else None),
        ("note", one_line(view.note, 1000) if view.note is not None else None),
        ("correct", f"claim {view.correct_claim_id}" if view.correct_claim_id is not None else None),
    ])
    for m in view.members:
        _member(m, console, m.claim_id == view.correct_claim_id)
    _list_lines(console, "history", [history_line(e) for e in view.history], "no decisions yet")


def _member(m: MemberView, console: Console | None, correct: bool) -> None:
    """One member statement of a flag."""
    head = (f"member claim {m.claim_id}" + (f" [{one_line(m.role, 40)}]" if m.role else "")
            + ("  (marked correct)" if correct else ""))
    if console is None:
        print(head)
    else:
        console.print()
        console.print(Text(head, style="bold"))
    _field_lines(console, [
        ("text", one_line(m.text, 1000)), *_value_fields(m), ("date", m.date),
        ("speaker", one_line(m.speaker, 120) if m.speaker else None),
        ("status", printable(m.status)), ("source", place_label(m.place)),
        ("excerpt", marked_excerpt(m.excerpt, m.highlight, console)),
    ])
