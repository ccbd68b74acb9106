"""Short human labels for claim values and text, shared by the CLI, the TUI and exports."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
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


def ordinal_numeral(n: float) -> str:
    """A rank as a numeral: 1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def value_with_unit(c: Mapping[str, Any]) -> str:
    """Value plus qualifier and unit: 'at_most 80 cases'; a rank as '1st'."""
    if c.get("unit") == "ordinal" and c.get("value") is not None:
        return ordinal_numeral(c["value"])
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


# ---------------------------------------------------------------- values as a reader writes them

def _reader_data() -> dict[str, Any]:
    """factcheck/data/reader.json: qualifier words, money scales, attached units, month names."""
    with resources.files("factcheck").joinpath("data/reader.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _lexicon(package: str, name: str) -> dict[str, Any]:
    """A JSON lexicon of another core package (the extractor's units and quantity words)."""
    with resources.files(package).joinpath(f"data/{name}").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def _reader() -> dict[str, Any]:
    """The reader's words, read once when first needed (the command line's start-up loads no lexicon)."""
    return _reader_data()


@cache
def _qualifier_phrases() -> dict[str, list[str]]:
    """The extractor's qualifier phrases per stored qualifier, longest first."""
    return {q: sorted(phrases, key=len, reverse=True)
            for q, phrases in _lexicon("factcheck.extract", "quantities.json")["qualifiers"].items()}


@cache
def _currency_symbols() -> dict[str, str]:
    """ISO code -> the symbol a reader writes before an amount ('£', '$', 'C$'), else the code."""
    out: dict[str, str] = {}
    for cur in _lexicon("factcheck.extract", "units.json")["currencies"]:
        code = cur["code"]
        marks = [p.strip() for p in cur.get("prefix", []) if p.strip() and p.strip() != code]
        out[code] = next((p for p in marks if not p.replace(".", "").isalpha()), marks[0] if marks else code)
    return out


def long_date(iso: str | None, precision: str | None = "day") -> str:
    """'16 June 2017', 'June 2017' or '2017' for an ISO date at its precision ('' for none)."""
    if not iso:
        return ""
    y, m, d = (int(p) for p in (iso[:10].split("-") + ["1", "1"])[:3])
    if precision == "year" or len(iso) == 4:
        return str(y)
    months = _reader()["months"]
    if precision == "month" or len(iso) == 7:
        return f"{months[m - 1]} {y}"
    return f"{d} {months[m - 1]} {y}"


def date_words(c: Mapping[str, Any]) -> str:
    """A date claim in words: '16 June 2017', 'June 2017', '1 May – 30 June 2016'; a relative date with the
    words it was written in and the page date it was read against: 'yesterday (15 June 2017, from the page's
    date 16 June 2017)', or 'earlier today (16 June 2017, the page's date)' when the two are one day."""
    d: str | None = c.get("date")
    precision = c.get("date_precision")
    if not d:
        return UNDATED.get(precision or "", "no calendar date")
    when = long_date(d, precision)
    end = c.get("date_end")
    if precision in ("range", "week", "quarter", "season") and end and end != d:
        when = f"{long_date(d)} – {long_date(end)}"
    if not c.get("relative"):
        return when
    written = " ".join((c.get("text") or "").split())
    starts_sentence = c.get("start") is not None and c.get("start") == c.get("excerpt_start")
    words = written[:1].lower() + written[1:] if starts_sentence and written[1:2].islower() else written
    anchor = c.get("relative_to")
    if not anchor:
        return f"{words} ({when}, read against an unknown page date)" if words else when
    if anchor[:10] == d[:10] and precision in (None, "day"):
        return f"{words} ({when}, the page's date)"
    return f"{words} ({when}, from the page's date {long_date(anchor)})"


def _qualifier_phrase(c: Mapping[str, Any]) -> str:
    """The qualifier as the claim writes it ('more than', 'nearly'), else the reader's word for it."""
    q = c.get("qualifier")
    if not q:
        return ""
    text = " ".join((c.get("text") or "").split()).lower()
    written = next((p for p in _qualifier_phrases().get(q, []) if text.startswith(p + " ")), None)
    return written or _reader()["qualifiers"].get(q, q.replace("_", " "))


def _money(value: float, code: str) -> str:
    """'£6m', '$3.2bn', '£6,000', 'SEK 4m': an amount with its currency's symbol and a short scale word."""
    symbol = _currency_symbols().get(code, code)
    amount = number(value)
    for scale, word in _reader()["money_scales"]:
        scaled = value / scale
        if abs(value) >= scale and round(scaled, 2) == round(scaled, 6):
            amount = f"{scaled:,.2f}".rstrip("0").rstrip(".") + word
            break
    return f"{symbol}{amount}" if not symbol.isalpha() else f"{symbol} {amount}"


def quantity_words(c: Mapping[str, Any]) -> str:
    """A quantity as a reader writes it: 'at least 80 homes', 'about 70 staff', '£6m', '25%', '90–100 cases'."""
    unit, kind = c.get("unit"), (c.get("details") or {}).get("unit_kind")
    if unit == "ordinal" and c.get("value") is not None:  # a rank: "first", as written, or "1st"
        written = " ".join((c.get("text") or "").split())
        return written if written.isalpha() else ordinal_numeral(c["value"])
    normalised = c.get("unit_normalised") or (c.get("details") or {}).get("unit_normalised")
    value = c.get("value")
    if value is None and c.get("low") is not None and c.get("high") is not None:
        shown = f"{number(c['low'])}–{number(c['high'])}"
        if kind == "currency" and unit:
            shown = f"{_money(c['low'], unit)}–{_money(c['high'], unit)}"
    elif value is None:
        return " ".join((c.get("text") or "").split())
    elif kind == "currency" and unit:
        shown = _money(value, unit)
    else:
        shown = number(value)
    if unit and kind != "currency":
        shown += unit if normalised in _reader()["attached_units"] or unit in ("%", "‰") else f" {unit}"
    qualifier = _qualifier_phrase(c)
    return f"{qualifier} {shown}" if qualifier else shown


def reader_value(c: Mapping[str, Any]) -> str:
    """What a claim states, in a reader's words ('' for a quote or attribution)."""
    if c.get("kind") == "date":
        return date_words(c)
    if c.get("kind") == "quantity":
        return quantity_words(c)
    return ""
