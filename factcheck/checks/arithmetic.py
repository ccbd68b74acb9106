"""Arithmetic that does not add up inside one document: table rows, enumerations and counted lists.

Three checks, all on quantity claims of one source at a time:

* Table rows. For every row of >= 3 numeric cells c1..cn two kinds of relationship are tried on
  every triple of columns i < j < k: "difference" (|ci - cj| == ck) and "percent change"
  (ck, a % cell, == |ci - cj| / ci * 100). A relationship is taken to hold for a *table*
  (consecutive rows sharing header and width) when more than half of its rows, and at least two,
  obey it; each row that breaks a relationship the table obeys is flagged.
  Rounding: a printed percentage matches when |computed - printed| < half a unit of its last printed
  digit (40.14 -> "40%" matches, "41%" does not); truncation is not accepted. A difference may be
  off by one unit of the last printed digit (the three printed numbers may each have been rounded),
  but only exact differences count as evidence that the table obeys the rule.
* Enumerations. "Eight employer groups run the 21 CRCs. These are Sodexo (6), Interserve (5), ...":
  the parenthesised parts must sum to the stated total and their number must equal the stated count.
* Counted lists. "six CRCs: A; B; C ..." - a small count right before a colon (or "namely",
  "these are", "including") followed by a list that runs to the end of the sentence. Splitting is
  conservative: semicolons when present, else commas with every "and"/"or" left ambiguous (names
  like "Devon and Cornwall"), and a flag is raised only when no reading of the list gives the count.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, TypedDict

from factcheck.match.records import ClaimRecord, FlagDraft
from factcheck.vocabulary import FlagType

FLAG_TYPE: str = FlagType.ARITHMETIC.value
MAX_ROW_CELLS = 12  # wider rows: only their first 12 cells are searched for relationships
ENUM_WINDOW = 400  # characters between a stated total and the start of its parts
EPS = 1e-9
_NOT_COUNT_UNITS = {"%", "fraction", "ordinal", "ratio", "GBP", "USD", "EUR", "date"}
_TIME_UNITS = re.compile(r"^(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)|"
                         r"times?|per\s?cent|percent)$", re.I)
_EXACT = (None, "exact")
RelKey = tuple[str, int, int, int]  # (relation, i, j, k): columns i < j < k of a row


class _FactsBase(TypedDict):
    """What testing one relationship on one row found."""

    relation: str
    computed: float
    stated: float
    off: float
    text: str


class Facts(_FactsBase, total=False):
    """The facts of a relationship; a percent change also has the computed value as printed, rounded."""

    rounded: str


Outcome = tuple[str, Facts]  # ("support" | "neutral" | "break", facts)


class RelationJson(TypedDict):
    """A broken relationship as a table-row flag's details show it."""

    relation: str
    columns: list[int]
    computed: float
    stated: float


class TableRowDetails(TypedDict):
    """A table-row flag's details."""

    check: str
    row: str
    header: str | None
    relations: list[RelationJson]
    inconsistent_columns: list[int]
    rows_obeying: int
    rows: int


class EnumerationDetails(TypedDict):
    """An enumeration flag's details: the parts as [name, value], their sum and number, what is stated."""

    check: str
    parts: list[list[str | int | None]]
    sum: int
    items: int
    stated_total: int | None
    stated_count: int | None


class ListCountDetails(TypedDict):
    """A counted-list flag's details."""

    check: str
    stated: int
    listed_min: int
    listed_max: int


# ---------------------------------------------------------------- small helpers


def _details(r: ClaimRecord) -> dict[str, Any]:
    """The record's details, or an empty dict when they are missing or odd."""
    d = r.details
    return d if isinstance(d, dict) else {}


def _num(v: object) -> float | None:
    """A finite float for v, or None."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def _int_value(r: ClaimRecord) -> int | None:
    """The record's value when it is a whole number, else None."""
    v = _num(r.value)
    return int(v) if v is not None and v == int(v) else None


def _start(r: ClaimRecord) -> int:
    """The record's start offset (0 when missing)."""
    return r.start if isinstance(r.start, int) else 0


def _end(r: ClaimRecord) -> int:
    """The record's end offset (its start when missing)."""
    return r.end if isinstance(r.end, int) else _start(r)


def _decimals(text: str | None) -> int:
    """How many digits follow the decimal point in a printed number ("40.1%" -> 1)."""
    m = re.search(r"\d\.(\d+)", text or "")
    return len(m.group(1)) if m else 0


def _fmt(v: float, places: int | None = None) -> str:
    """A number as printed in a summary: whole numbers without decimals, others to `places` (default 2)."""
    if places is None:
        if v == int(v):
            return f"{int(v):,}" if abs(v) >= 10000 else str(int(v))
        places = 2
    return f"{v:.{places}f}"


def _excerpt(r: ClaimRecord) -> str:
    """The record's excerpt as a string."""
    return r.excerpt if isinstance(r.excerpt, str) else ""


# ---------------------------------------------------------------- entry point


def check_arithmetic(records: list[ClaimRecord]) -> list[FlagDraft]:
    """Flags for arithmetic inside one document that does not add up (table rows, enumerations, lists)."""
    by_source: dict[int, list[ClaimRecord]] = defaultdict(list)
    for r in records or []:
        if r.kind == "quantity":
            by_source[r.source_id].append(r)
    flags: list[FlagDraft] = []
    for recs in by_source.values():
        recs.sort(key=lambda r: (_start(r), _end(r)))
        flags += _table_flags(recs)
        flags += _enumeration_flags(recs)
        flags += _list_count_flags(recs)
    return flags


# ---------------------------------------------------------------- table rows


@dataclass(slots=True)
class _Row:
    """One table row: its label, header, excerpt and numeric cells by 1-based column."""

    label: str
    header: str | None
    excerpt: str
    cells: dict[int, ClaimRecord] = field(default_factory=dict)
    records: list[ClaimRecord] = field(default_factory=list)

    def width(self) -> int:
        """The highest column number seen in the row."""
        return max(self.cells, default=0)


def _table_cell(r: ClaimRecord) -> tuple[str, int] | None:
    """(row label, column) when r is a table cell with a usable value, else None."""
    d = _details(r)
    label, col = d.get("table_row"), d.get("column")
    if not isinstance(label, str) or isinstance(col, bool) or not isinstance(col, int):
        return None
    return label, col


def _runs_of_rows(recs: list[ClaimRecord]) -> list[list[_Row]]:
    """Rows of table cells, split into runs wherever a non-table quantity comes between rows."""
    runs: list[list[_Row]] = [[]]
    row: _Row | None = None
    for r in recs:
        cell = _table_cell(r)
        if cell is None:
            row = None
            if runs[-1]:
                runs.append([])
            continue
        label, col = cell
        if row is None or row.label != label or row.excerpt != _excerpt(r) or col <= row.width():
            header = _details(r).get("header")
            row = _Row(label, header if isinstance(header, str) else None, _excerpt(r))
            runs[-1].append(row)
        row.records.append(r)
        if _num(r.value) is not None and r.low is None and r.high is None:
            row.cells[col] = r
    return [run for run in runs if run]


def _tables(recs: list[ClaimRecord]) -> list[list[_Row]]:
    """Tables: consecutive rows of >= 3 numeric cells sharing header and width."""
    tables: list[list[_Row]] = []
    for run in _runs_of_rows(recs):
        current: list[_Row] = []
        for row in run:
            if len(row.cells) < 3:
                if current:
                    tables.append(current)
                current = []
                continue
            if current and (row.header, row.width()) != (current[0].header, current[0].width()):
                tables.append(current)
                current = []
            current.append(row)
        if current:
            tables.append(current)
    return tables


def _is_pct(r: ClaimRecord) -> bool:
    """Whether a cell is a percentage."""
    return r.unit == "%"


def _cell_value(r: ClaimRecord) -> float:
    """A table cell's value (a row keeps only cells with one: see _runs_of_rows)."""
    assert r.value is not None
    return float(r.value)


def _test_difference(a: ClaimRecord, b: ClaimRecord, c: ClaimRecord) -> Outcome | None:
    """Whether c == |a - b|: ("support" | "neutral" | "break", facts), or None when not applicable."""
    if not (_is_pct(a) == _is_pct(b) == _is_pct(c)):
        return None
    va, vb, vc = _cell_value(a), _cell_value(b), _cell_value(c)
    diff = abs(va - vb)
    unit = 10.0 ** -max(_decimals(a.text), _decimals(b.text), _decimals(c.text))
    off = abs(diff - vc)
    places = max(_decimals(a.text), _decimals(b.text), _decimals(c.text))
    facts: Facts = {"relation": "difference", "computed": round(diff, 6), "stated": vc, "off": off,
             "text": f"{_fmt(max(va, vb), places or None)} - {_fmt(min(va, vb), places or None)} = "
                     f"{_fmt(diff, places or None)}, stated {c.text}"}
    exact = off <= (unit if places else 0.0) + EPS
    if exact:
        return ("support" if va and vb and vc else "neutral"), facts
    return ("neutral" if off <= unit + EPS else "break"), facts


def _test_percent(a: ClaimRecord, b: ClaimRecord, c: ClaimRecord) -> Outcome | None:
    """Whether the % cell c == |a - b| / a * 100 up to rounding, or None when not applicable."""
    if _is_pct(a) or _is_pct(b) or not _is_pct(c):
        return None
    va, vb, vc = _cell_value(a), _cell_value(b), _cell_value(c)
    if va == 0:
        return None
    diff = abs(va - vb)
    computed = diff / abs(va) * 100
    places = _decimals(c.text)
    tol = 0.5 * 10.0 ** -places + EPS
    off = abs(computed - abs(vc))
    shown = max(places + 1, 1)
    facts: Facts = {"relation": "percent_change", "computed": round(computed, 4), "stated": vc, "off": off,
             "rounded": _fmt(round(computed, places), places or None) + "%",
             "text": f"{_fmt(diff)} / {_fmt(va)} = {computed:.{shown}f}%, stated {c.text}"}
    if off < tol:
        return ("support" if diff and vc else "neutral"), facts
    return "break", facts


_TESTS = (("difference", _test_difference), ("percent_change", _test_percent))


def _row_relations(row: _Row) -> dict[RelKey, Outcome]:
    """Every applicable relationship of a row keyed by (relation, i, j, k), with its outcome."""
    cols = sorted(row.cells)[:MAX_ROW_CELLS]
    out: dict[RelKey, Outcome] = {}
    for i, j, k in combinations(cols, 3):
        a, b, c = row.cells[i], row.cells[j], row.cells[k]
        for name, test in _TESTS:
            res = test(a, b, c)
            if res is not None:
                out[(name, i, j, k)] = res
    return out


def _accepted(relations: list[dict[RelKey, Outcome]]) -> set[RelKey]:
    """Relationships that more than half of the table's rows (and at least two) obey."""
    support: dict[RelKey, int] = defaultdict(int)
    applicable: dict[RelKey, int] = defaultdict(int)
    for rel in relations:
        for key, (outcome, _) in rel.items():
            applicable[key] += 1
            support[key] += outcome == "support"
    return {key for key, n in support.items() if n >= 2 and 2 * n > applicable[key]}


def _table_flags(recs: list[ClaimRecord]) -> list[FlagDraft]:
    """Flags for table rows that break a relationship most rows of their table obey."""
    flags: list[FlagDraft] = []
    for table in _tables(recs):
        relations = [_row_relations(row) for row in table]
        accepted = _accepted(relations)
        if not accepted:
            continue
        for row, rel in zip(table, relations, strict=False):
            broken = [(key, rel[key][1]) for key in sorted(accepted) if key in rel and rel[key][0] == "break"]
            if broken:
                held = [key for key in accepted if key in rel and rel[key][0] != "break"]
                obeying = {key: sum(1 for r in relations if key in r and r[key][0] == "support")
                           for key, _ in broken}
                flags.append(_row_flag(row, broken, held, obeying, len(table)))
    return flags


def _inconsistent_columns(broken: list[tuple[RelKey, Facts]], held: list[RelKey]) -> set[int]:
    """The cell(s) most likely wrong: shared by every broken relationship and by none that holds."""
    cand: set[int] = set(broken[0][0][1:])
    for key, _ in broken[1:]:
        cand &= set(key[1:])
    for key in held:
        cand -= set(key[1:])
    derived = {key[3] for key, _ in broken}
    if not cand:
        return derived
    return (cand & derived) or cand


def _column_name(row: _Row, col: int) -> str:
    """A readable name for a column: from the cell's subject, a "%" phrase of the header, else its number."""
    r = row.cells.get(col)
    subject = r.subject if r is not None and isinstance(r.subject, str) else ""
    if subject.startswith(row.label + ": "):
        return subject[len(row.label) + 2:]
    if r is not None and _is_pct(r) and row.header:
        m = (re.search(r"%[^\S\n]*[A-Za-z][\w-]*", row.header)
             or re.search(r"[A-Za-z][\w-]*[^\S\n]*%", row.header))
        if m:
            return m.group(0)
    return f"column {col}"


def _row_score(broken: list[tuple[RelKey, Facts]]) -> float:
    """0.9 for a clear mismatch, rising towards 0.98 as the mismatch grows."""
    best = 0.9
    for key, facts in broken:
        if key[0] == "percent_change":
            s = 0.9 + min(0.08, 0.02 * max(0.0, facts["off"] - 1.0))
        else:
            s = 0.9 + min(0.08, 0.2 * facts["off"] / max(abs(facts["computed"]), 1.0))
        best = max(best, s)
    return round(best, 3)


def _row_explanation(row: _Row, broken: list[tuple[RelKey, Facts]], obeying: dict[RelKey, int],
                     n_rows: int) -> str:
    """One or two sentences: what was computed for the row, what it states, and how many rows agree."""
    parts: list[str] = []
    for key, f in broken:
        a, b, c = (row.cells[k] for k in key[1:])
        if key[0] == "percent_change":
            pct = f"{f['computed']:.2f}".rstrip("0").rstrip(".")
            parts.append(f"the difference {_fmt(abs(_cell_value(a) - _cell_value(b)))} is "
                         f"{pct}% of {a.text} (rounds to {f['rounded']}) but the row states {c.text}")
        else:
            parts.append(f"{f['text'].split(', stated')[0]} but the row states {c.text}")
    n_ok = min(obeying.values())
    return (f"In table row {row.label}, {'; and '.join(parts)}. "
            f"{n_ok} of the table's {n_rows} rows follow this rule.")


def _row_flag(row: _Row, broken: list[tuple[RelKey, Facts]], held: list[RelKey], obeying: dict[RelKey, int],
              n_rows: int) -> FlagDraft:
    """The flag for one row that breaks its table's arithmetic."""
    bad_cols = _inconsistent_columns(broken, held)
    bad_ids = {row.cells[c].id for c in bad_cols if c in row.cells}
    members = [(r.id, "inconsistent" if r.id in bad_ids else "row_cell") for r in row.records]
    first_bad = min(bad_cols) if bad_cols else broken[0][0][3]
    details: TableRowDetails = {
        "check": "table_row", "row": row.label, "header": row.header,
        "relations": [{"relation": k[0], "columns": list(k[1:]), "computed": f["computed"], "stated": f["stated"]}
                      for k, f in broken],
        "inconsistent_columns": sorted(bad_cols), "rows_obeying": min(obeying.values()), "rows": n_rows}
    return FlagDraft(
        type=FLAG_TYPE,
        subject=f"{_column_name(row, first_bad)} in table row {row.label}",
        summary=f"{row.label}: " + "; ".join(f["text"] for _, f in broken),
        score=_row_score(broken),
        explanation=_row_explanation(row, broken, obeying, n_rows),
        members=members,
        details=details,
    )


# ---------------------------------------------------------------- enumerations

_PAREN_NUMBER = re.compile(r"\(\s*\d[\d,]*(?:\.\d+)?\s*\)")


def _is_part(r: ClaimRecord) -> bool:
    """Whether r is a parenthesised count of an enumeration ("Sodexo (6)")."""
    return _details(r).get("unit_from") == "enumeration total"


def _plain(r: ClaimRecord) -> bool:
    """Whether r is a plain exact number (no table cell, range, ratio or enumeration part)."""
    d = _details(r)
    return (r.qualifier in _EXACT and r.low is None and r.high is None
            and not any(k in d for k in ("table_row", "range", "denominator", "unit_from")))


def _counting_unit(unit: object) -> bool:
    """Whether a unit names things that can be counted (not %, money, time or ordinal)."""
    return isinstance(unit, str) and bool(unit) and unit not in _NOT_COUNT_UNITS and not _TIME_UNITS.match(unit)


def _enumeration_flags(recs: list[ClaimRecord]) -> list[FlagDraft]:
    """Flags for enumerations whose parts do not sum to the stated total or count."""
    flags: list[FlagDraft] = []
    i = 0
    while i < len(recs):
        if not _is_part(recs[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(recs) and _is_part(recs[j + 1]) and _excerpt(recs[j + 1]) == _excerpt(recs[i]):
            j += 1
        flag = _check_enumeration(recs, i, j)
        if flag is not None:
            flags.append(flag)
        i = j + 1
    return flags


def _parts_ok(recs: list[ClaimRecord], i: int, j: int) -> list[int] | None:
    """The part values when the list is clean (whole numbers, one unit, nothing else in the list)."""
    parts = recs[i:j + 1]
    values = [_int_value(p) for p in parts]
    ex = _excerpt(parts[0])
    if len(parts) < 2 or any(v is None or v < 0 for v in values) or len({p.unit for p in parts}) != 1:
        return None
    if j + 1 < len(recs) and _excerpt(recs[j + 1]) == ex:
        return None  # another number follows in the same sentence ("... and 3 others"): not a clean list
    k = i
    while k > 0 and _excerpt(recs[k - 1]) == ex:
        k -= 1
    in_excerpt = sum(1 for r in recs[k:j + 1] if _is_part(r))
    if not ex or len(_PAREN_NUMBER.findall(ex)) != in_excerpt:
        return None  # some "(n)" was not read as a part: the list is incomplete
    return [v for v in values if v is not None]  # every one (checked above)


def _stated_total(recs: list[ClaimRecord], i: int) -> ClaimRecord | None:
    """The claim the parts took their unit from (the nearest preceding counted quantity), if usable."""
    first = recs[i]
    for k in range(i - 1, -1, -1):
        r = recs[k]
        if _start(first) - _end(r) > ENUM_WINDOW:
            return None
        if _counting_unit(r.unit) and not _is_part(r):
            ok = r.unit == first.unit and _plain(r) and _int_value(r) is not None
            return r if ok else None
    return None


def _count_candidates(recs: list[ClaimRecord], i: int, total: ClaimRecord | None) -> list[ClaimRecord]:
    """Plain counts before the parts, in the total's or the parts' sentence, that may state the number of items."""
    first = recs[i]
    sentences = {_excerpt(first)} | ({_excerpt(total)} if total is not None else set())
    out: list[ClaimRecord] = []
    for k in range(i - 1, -1, -1):
        r = recs[k]
        if _start(first) - _end(r) > ENUM_WINDOW:
            break
        if r is total or _excerpt(r) not in sentences or not _plain(r) or not _counting_unit(r.unit):
            continue
        v = _int_value(r)
        if v is not None and v >= 2:
            out.append(r)
    return out


def _check_enumeration(recs: list[ClaimRecord], i: int, j: int) -> FlagDraft | None:
    """A flag when the parts recs[i..j] miss their stated total or their stated number of items."""
    values = _parts_ok(recs, i, j)
    if values is None:
        return None
    n, total_sum = len(values), sum(values)
    total = _stated_total(recs, i)
    count = None
    if total is not None and _int_value(total) == n and total_sum != n:
        total, count = None, total  # "eight groups. These are A (6), ...": the unit donor counts the items
    candidates = [] if count is not None else _count_candidates(recs, i, total)
    matching = [c for c in candidates if _int_value(c) == n]
    if count is None:
        count = matching[0] if matching else (candidates[0] if len(candidates) == 1 else None)
    sum_bad = total is not None and _int_value(total) != total_sum and _plausible(_int_value(total), total_sum)
    count_bad = count is not None and _int_value(count) != n and _plausible(_int_value(count), n)
    if not (sum_bad or count_bad):
        return None
    return _enumeration_flag(recs[i:j + 1], values, total if sum_bad else None, count if count_bad else None,
                             total, count)


def _plausible(stated: int | None, found: int) -> bool:
    """Whether a stated number is close enough to what was found to be about the same thing (within 2x)."""
    return stated is not None and found > 0 and found / 2 <= stated <= found * 2


def _enumeration_flag(parts: list[ClaimRecord], values: list[int], bad_total: ClaimRecord | None,
                      bad_count: ClaimRecord | None, total: ClaimRecord | None,
                      count: ClaimRecord | None) -> FlagDraft:
    """The flag for an enumeration whose parts miss the total and/or the item count."""
    unit = parts[0].unit or "items"
    summary: list[str] = []
    explain: list[str] = []
    score = 0.0
    listed = ", ".join(f"{p.subject or '?'} ({v})" for p, v in zip(parts, values, strict=False))
    if bad_total is not None:
        summary.append(f"parts sum to {sum(values)}, stated total {_int_value(bad_total)}")
        explain.append(f"The listed parts {listed} add up to {sum(values)} {unit}, "
                       f"but the text states \"{bad_total.text}\".")
        score = 0.9
    if bad_count is not None:
        summary.append(f"{len(values)} items listed, stated {_int_value(bad_count)} {bad_count.unit}")
        explain.append(f"The list names {len(values)} items, but the text speaks of \"{bad_count.text}\".")
        score = 0.95 if bad_total is not None else 0.8  # both wrong: more certain something is off
    members = ([(total.id, "total")] if total is not None else []) + \
              ([(count.id, "count")] if count is not None else []) + [(p.id, "part") for p in parts]
    head = total if total is not None else count
    details: EnumerationDetails = {
        "check": "enumeration", "parts": [[p.subject, v] for p, v in zip(parts, values, strict=False)],
        "sum": sum(values), "items": len(values),
        "stated_total": _int_value(total) if total is not None else None,
        "stated_count": _int_value(count) if count is not None else None}
    return FlagDraft(
        type=FLAG_TYPE,
        subject=f"breakdown of {head.text}" if head is not None else f"breakdown of {unit}",
        summary="; ".join(summary),
        score=round(min(score, 0.98), 3),
        explanation=" ".join(explain),
        members=members,
        details=details,
    )


# ---------------------------------------------------------------- counted lists

_LEAD = re.compile(
    r"(?:[^\S\n]*\([^()\n]{0,80}\))?(?P<words>(?:[^\S\n]+[A-Za-z][A-Za-z'-]*){0,3})[^\S\n]*"
    r"(?:(?P<colon>:)|,?[^\S\n]*(?P<word>namely|these are|which are|including)\b[^\S\n]*:?)",
    re.I,
)
_OF_BEFORE = re.compile(r"\bof\b[\w\s]{0,24}$|\b(?:all|each|both|either|any)\s+(?:but\s+)?$", re.I)
_NOT_EXHAUSTIVE = re.compile(r"\b(?:etc|et al|among others|and others|amongst others|such as|for example|"
                             r"e\.g|i\.e|for instance|and more|or more)\b", re.I)
_AND_OR = re.compile(r"\s(?:and|or)\s", re.I)
_LEADING_CONJ = re.compile(r"^(?:and|or)\s+", re.I)
_MAX_LIST_COUNT = 30


def _list_count_flags(recs: list[ClaimRecord]) -> list[FlagDraft]:
    """Flags for a small stated count followed by a clearly delimited list of a different length."""
    flags: list[FlagDraft] = []
    for idx, r in enumerate(recs):
        v = _int_value(r)
        if v is None or not 2 <= v <= _MAX_LIST_COUNT or not _plain(r) or not _counting_unit(r.unit):
            continue
        flag = _check_list(recs, idx, v)
        if flag is not None:
            flags.append(flag)
    return flags


def _offset_in_excerpt(recs: list[ClaimRecord], idx: int) -> int | None:
    """Where recs[idx].text starts in its excerpt, the reading that agrees with its neighbours' offsets."""
    r = recs[idx]
    ex, text = _excerpt(r), r.text if isinstance(r.text, str) else ""
    if not text:
        return None
    near = [n for n in recs[max(0, idx - 6):idx + 7] if n is not r and _excerpt(n) == ex
            and isinstance(n.text, str) and abs(_start(n) - _start(r)) <= len(ex)]
    pos = ex.find(text)
    while pos != -1:
        xs = _start(r) - pos
        if all(ex[_start(n) - xs:_end(n) - xs] == n.text for n in near):
            return pos
        pos = ex.find(text, pos + 1)
    return None


def _check_list(recs: list[ClaimRecord], idx: int, stated: int) -> FlagDraft | None:
    """A flag when the count recs[idx] introduces a clearly delimited list of another length."""
    r = recs[idx]
    pos = _offset_in_excerpt(recs, idx)
    if pos is None:
        return None
    ex = _excerpt(r)
    after = pos + len(r.text)
    m = _LEAD.match(ex, after)
    if m is None or _OF_BEFORE.search(ex, max(0, pos - 30), pos):
        return None
    if idx + 1 < len(recs) and _start(recs[idx + 1]) < _end(r) + (m.end() - after) + 1:
        return None  # another number sits between the count and the list
    body = ex[m.end():]
    found = _list_length(body)
    if found is None:
        return None
    low, high = found
    if m.group("word") and m.group("word").lower() == "including":
        bad = low > stated  # a partial list may be shorter, never longer
    else:
        bad = not low <= stated <= high
    return _list_flag(r, stated, low, high, body.strip()) if bad else None


def _split_top(s: str, sep: str) -> list[str] | None:
    """s split at sep outside brackets, or None when brackets do not balance."""
    out: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in s:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return None
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if depth:
        return None
    out.append("".join(cur))
    return out


def _strip_brackets(s: str) -> str:
    """s without bracketed asides ("BeNCH (A, B and C)" -> "BeNCH")."""
    prev = None
    while prev != s:
        prev, s = s, re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", s)
    return s


def _list_body(body: str) -> str | None:
    """The list text up to the end of the sentence, or None when the sentence goes on or hedges."""
    body = body.strip().rstrip(".").strip()
    if not body or re.search(r"[.!?:]", _strip_brackets(body)) or _NOT_EXHAUSTIVE.search(body):
        return None
    if _PAREN_NUMBER.search(body):
        return None  # "A (6), B (5)": an enumeration with counts, checked by its parts
    return body


def _list_length(body: str) -> tuple[int, int] | None:
    """(fewest, most) items the list can hold, or None when it is not clearly a list."""
    text = _list_body(body)
    if text is None:
        return None
    semis = _split_top(text, ";")
    if semis is None:
        return None
    if len(semis) >= 2:
        items = [_LEADING_CONJ.sub("", p.strip()) for p in semis]
        if any(not it or len(_strip_brackets(it).split()) > 25 for it in items):
            return None
        return len(items), len(items)
    return _comma_list_length(text)


def _comma_list_length(body: str) -> tuple[int, int] | None:
    """(fewest, most) items of a comma list of names; each "and"/"or" may or may not join two items."""
    pieces = _split_top(body, ",")
    if pieces is None or len(pieces) < 2:
        return None
    pieces = [p.strip() for p in pieces]
    pieces[-1] = _LEADING_CONJ.sub("", pieces[-1])
    extra = 0
    for p in pieces:
        bare = _strip_brackets(p).strip()
        if not bare or not (bare[0].isupper() or bare[0].isdigit()) or len(bare.split()) > 6:
            return None  # not a list of names: a clause or an aside
        extra += len(_AND_OR.findall(f" {bare} "))
    return len(pieces), len(pieces) + extra


def _list_flag(r: ClaimRecord, stated: int, low: int, high: int, body: str) -> FlagDraft:
    """The flag for a stated count that its list does not match."""
    listed = str(low) if low == high else f"{low}-{high}"
    unit = r.unit or "items"
    details: ListCountDetails = {"check": "list_count", "stated": stated, "listed_min": low, "listed_max": high}
    return FlagDraft(
        type=FLAG_TYPE,
        subject=f"list of {unit}",
        summary=f"{listed} items listed, stated {stated} {unit}",
        score=0.75,
        explanation=f"The text announces \"{r.text}\" but the list that follows "
                    f"(\"{body[:120]}{'…' if len(body) > 120 else ''}\") names {listed} items.",
        members=[(r.id, "count")],
        details=details,
    )
