"""BibTeX: one entry per cited source (UTF-8, for biblatex/biber or BibTeX), keyed as in every other export.

Text fields escape the LaTeX specials; braces become \\textbraceleft{} / \\textbraceright{} so that every
field stays brace-balanced (BibTeX counts \\{ as a brace too). URLs are written raw, as url fields expect,
with only the characters BibTeX itself cannot hold (braces, backslash, spaces) percent-encoded.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from factcheck.export.citations import title_of, web_url
from factcheck.export.csl import is_organisation, person_parts, split_names

if TYPE_CHECKING:
    from factcheck.export.data import CitedSource, ExportData

SPECIALS = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&", "%": r"\%",
            "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
URL_UNSAFE = re.compile(r"[{}\\\s\"]")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
ENTRY_TYPES = {"article-newspaper": "article", "article-magazine": "article", "article-journal": "article",
               "report": "techreport"}  # everything else (webpage, post-weblog, hearing, ...) is @misc
KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.+/-]")


def escape(text: str | None) -> str:
    """Text for a BibTeX field: whitespace collapsed, control characters dropped, LaTeX specials escaped."""
    text = " ".join(CONTROL_RE.sub("", text or "").split())
    return SPECIAL_RE.sub(lambda m: SPECIALS[m.group()], text)


def url_value(url: str) -> str:
    """A URL as a field value: raw, except braces, backslashes, quotes and whitespace percent-encoded."""
    return URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url.strip())


def bib_name(name: str) -> str:
    """One creator: 'van der Berg, Jr, Jan' for a person, '{HM Inspectorate of Probation}' for an organisation."""
    if is_organisation(name):
        return "{" + escape(name) + "}"
    parts = person_parts(name)
    family = " ".join(p for p in (parts.get("non-dropping-particle"), parts["family"]) if p)
    if parts.get("suffix"):  # BibTeX's three-part form "von Last, Jr, First"
        return ", ".join(escape(p) for p in (family, parts["suffix"], parts.get("given", "")))
    if parts.get("given"):
        return f"{escape(family)}, {escape(parts['given'])}"
    return "{" + escape(family) + "}"  # a family name alone ("Dr Smith"): braced so it stays whole


def authors(text: str | None) -> str | None:
    """The author field: creators joined with ' and ' (None when there are none)."""
    names = [bib_name(n) for n in split_names(text)]
    return " and ".join(names) or None


def entry(src: CitedSource) -> str:
    """One @article / @techreport / @misc entry for a numbered source."""
    kind = ENTRY_TYPES.get(src["csl_type"], "misc")
    publisher, outlet = (" ".join((v or "").split()) or None for v in (src.get("publisher"), src.get("outlet")))
    url = web_url(src.get("url"))  # the one URL check of every export: http(s) only
    fields: list[tuple[str, str]] = []  # (name, value with its delimiters)

    def add(name: str, text: str | None, raw: bool = False) -> None:
        """Append a braced field when there is a value (raw: already escaped)."""
        if text:
            fields.append((name, "{" + (text if raw else escape(text)) + "}"))

    add("author", authors(src.get("author")), raw=True)
    add("title", "{" + escape(title_of(src)) + "}", raw=True)
    extra_note = None
    if kind == "article":
        add("journal", outlet or publisher)
        if outlet:
            add("publisher", publisher)
    elif kind == "techreport":
        add("institution", publisher or src.get("author") or outlet)
        if publisher and outlet and outlet != publisher:
            extra_note = outlet
    else:
        organization = publisher or outlet
        add("organization", organization)
        if url:
            add("howpublished", r"\url{" + url_value(url) + "}", raw=True)
            if outlet and outlet != organization:
                extra_note = outlet
        elif outlet != organization:
            add("howpublished", outlet)
    published = src.get("published") or ""
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", published)
    if m:
        add("year", m.group(1))
        if m.group(2) and 1 <= int(m.group(2)) <= 12:
            fields.append(("month", MONTHS[int(m.group(2)) - 1]))  # the standard month macro, unbraced
        add("date", "-".join(g for g in m.groups() if g))
    if url:
        add("url", url_value(url), raw=True)
        accessed = re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", src.get("accessed") or "")
        if accessed:
            add("urldate", accessed.group())
    note = f"File: {src['path']}" + (f"; SHA-256: {src['sha256']}" if src.get("sha256") else "")
    add("note", f"{extra_note}. {note}" if extra_note else note)
    key = KEY_UNSAFE.sub("", src["key"]) or f"source{src['number']}"
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{key},\n{body},\n}}\n"


def render(data: ExportData) -> str:
    """The cited sources as a .bib file, in reference-list order, after a one-line comment header."""
    at = data.generated_at
    stamp = (at.astimezone(dt.timezone.utc) if at.tzinfo else at).strftime("%Y-%m-%d %H:%M UTC")
    n = len(data.sources)
    header = f"% factcheck BibTeX export, {n} {'entry' if n == 1 else 'entries'}, generated {stamp}. Encoding: UTF-8.\n"
    return header + "".join("\n" + entry(s) for s in data.sources)
