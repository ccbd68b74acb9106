"""Table rows in plain text: one quantity claim per cell, with the row label as subject."""

from __future__ import annotations

import re
from collections import Counter

from factcheck.extract.numbers import parse_digits
from factcheck.extract.sentences import clip_span
from factcheck.extract.types import ClaimDraft

_ROW = re.compile(
    r"^[^\S\n]*(?P<label>[A-Za-z(][^\d\n]{0,80}?)[^\S\n]+"
    r"(?P<cells>[£$€]?\d[\d,]*(?:\.\d+)?%?(?:[^\S\n]+[£$€]?\d[\d,]*(?:\.\d+)?%?)+)[^\S\n]*$",
    re.M,
)
_CELL = re.compile(r"[£$€]?\d[\d,]*(?:\.\d+)?%?")
_HEADER_TOKEN = re.compile(r"[A-Za-z][\w-]*")


def _previous_line(text: str, line_start: int) -> tuple[str, int] | None:
    """The line ending just before line_start, and where it starts (None at the top)."""
    if line_start <= 0:
        return None
    prev_start = text.rfind("\n", 0, line_start - 1) + 1
    return text[prev_start:line_start - 1], prev_start


def _header_before(text: str, row_start: int) -> str | None:
    """The nearest non-empty line above the table's rows, if it reads as a header (no digits)."""
    pos = row_start
    for _ in range(60):
        prev = _previous_line(text, pos)
        if prev is None:
            return None
        line, pos = prev
        if not line.strip() or _ROW.match(line):
            continue
        if any(ch.isdigit() for ch in line) or len(line.split()) > 16:
            return None
        return line.strip()
    return None


def _columns(header: str | None, n_cells: int) -> list[str | None]:
    """Column names for the numeric cells when the header splits cleanly, else Nones."""
    if header:
        parts = [p.strip() for p in re.split(r"\t|\s{2,}", header) if p.strip()]
        if len(parts) == n_cells + 1:
            return parts[1:]
        if len(parts) == n_cells:
            return parts
    return [None] * n_cells


def _header_unit(header: str | None) -> str | None:
    """A measure repeated in the header ("FTE" in "staff FTE* ... Difference FTE") if any."""
    if not header:
        return None
    counts = Counter(t.upper() for t in _HEADER_TOKEN.findall(header) if len(t) > 1)
    word, n = counts.most_common(1)[0] if counts else (None, 0)
    return word if n >= 2 else None


def find_table_cells(text: str, mask: bytearray) -> list[ClaimDraft]:
    """Quantity claims for each numeric cell of each table-like row; cells are masked."""
    out: list[ClaimDraft] = []
    for row in _ROW.finditer(text):
        label = " ".join(row.group("label").split())
        if len(label.split()) > 7 or label.endswith((",", ":", "of", "and", "to")):
            continue
        cells = list(_CELL.finditer(text, row.start("cells"), row.end("cells")))
        header = _header_before(text, row.start())
        names = _columns(header, len(cells))
        measure = _header_unit(header)
        rs, re_ = row.start("label"), row.end()
        while re_ > rs and text[re_ - 1].isspace():
            re_ -= 1
        for i, cell in enumerate(cells):
            raw = cell.group(0)
            if mask.find(1, cell.start(), cell.end()) != -1:
                continue
            value = parse_digits(raw.lstrip("£$€").rstrip("%"))
            if value is None:
                continue
            unit = "%" if raw.endswith("%") else ("GBP" if raw.startswith("£") else measure)
            subject = f"{label}: {names[i]}" if names[i] else label
            xs, xe = clip_span(text, rs, re_, cell.start(), cell.end())
            out.append(ClaimDraft(
                kind="quantity", start=cell.start(), end=cell.end(), text=raw, excerpt_start=xs, excerpt_end=xe,
                value=value, unit=unit, subject=subject,
                extra={"table_row": label, "column": i + 1, **({"header": header} if header else {})},
            ))
            mask[cell.start():cell.end()] = b"\x01" * (cell.end() - cell.start())
    return out
