"""Short human labels for claim values and text, shared by the CLI, the TUI and exports."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

# C0 controls but tab, DEL, C1 controls (\x9b is an 8-bit CSI), and lone surrogates (undecodable file names)
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}
_JSON_RAW = re.compile("[\x7f-\x9f\ud800-\udfff]")  # what json.dumps(ensure_ascii=False) leaves raw


def date_label(c: Mapping[str, Any]) -> str:
    """A date at its own precision: 2017-06-16, 2017-06, 2017, or 2016-05-01..2016-06-30."""
    d: str | None = c.get("date")
    precision = c.get("date_precision")
    if not d:
        return "?"
    if precision == "month":
        return d[:7]
    if precision == "year":
        return d[:4]
    if precision in ("range", "week") and c.get("date_end"):
        return f"{d}..{c['date_end']}"
    return d


def number(v: float) -> str:
    """A number as people write it: 500,000,000 or 40.1434, never 5e+08."""
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:.6g}" if abs(v) < 1e6 else f"{v:,.2f}"


UNDATED = {"present": "the present", "past": "the recent past", "future": "the future",
           "period": "a period"}  # date precisions with no calendar value


def value_label(c: Mapping[str, Any]) -> str:
    """The normalised value of a claim: a date, a number, a range, or '' for quotes."""
    if c["kind"] == "date":
        if c.get("date") is None:  # "now", "recently", "the past year", a day whose year nothing gives
            return UNDATED.get(c.get("date_precision") or "", "no calendar date")
        val = date_label(c)
        if c.get("relative"):
            val += f" (relative to {c.get('relative_to') or 'unknown date'})"
        return val
    if c.get("value") is None and c.get("low") is not None:
        return f"{number(c['low'])}–{number(c['high'])}"
    return "" if c.get("value") is None else number(c["value"])


def value_with_unit(c: Mapping[str, Any]) -> str:
    """Value plus qualifier and unit: 'at_most 80 cases'."""
    extra = " ".join(x for x in (c.get("qualifier"), c.get("unit") if c["kind"] != "date" else None) if x)
    return f"{value_label(c)} {extra}".strip()


def short(s: str | None, n: int = 120) -> str:
    """One line, at most n characters."""
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _escape(m: re.Match[str]) -> str:
    """One control character as a visible escape: \\n, \\r, \\x1b, \\ud800."""
    ch = m.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def printable(text: object) -> str:
    """Text safe to print on a terminal: control characters (not tab) shown as escapes like \\x1b and \\n."""
    return _CONTROLS.sub(_escape, "" if text is None else str(text))


def json_text(value: object, indent: int | None = 1) -> str:
    """Exact JSON (ensure_ascii=False) with DEL and C1 controls escaped too, so no raw CSI reaches a terminal."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
