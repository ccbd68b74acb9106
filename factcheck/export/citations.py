"""Citation pieces shared by every export: CSL item type, BibTeX key, and the reference-list entry."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

CSL_TYPES = ("article-newspaper", "article-magazine", "post-weblog", "report", "hearing", "webpage",
             "interview", "speech", "article-journal", "book", "document")
REPORT_WORDS = re.compile(r"\b(report|inspection|review|evaluation|annual|white paper|green paper|consultation)\b",
                          re.I)
STOP_WORDS = {"a", "an", "the", "of", "on", "in", "and", "for", "to", "at", "by", "with", "from", "is", "are",
              "showing", "posts", "label"}
WEB_SCHEMES = ("http", "https")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def csl_type(src: Mapping[str, Any]) -> str:
    """The CSL item type that fits a source: the user's, else guessed from its shape."""
    given = (src.get("type") or "").strip()
    if given in CSL_TYPES:
        return given
    if src.get("sections", 1) > 1:
        return "post-weblog"
    if src.get("turns", 0) >= 4:
        return "hearing"
    if src.get("format") in ("pdf", "docx") or REPORT_WORDS.search(src.get("title") or ""):
        return "report"
    if src.get("outlet") or (src.get("format") == "html" and src.get("published")):
        return "article-newspaper"
    return "webpage"


def creator(src: Mapping[str, Any]) -> str | None:
    """Who the reference is under: author, else publisher, else outlet (None: cite by title)."""
    for key in ("author", "publisher", "outlet"):
        if src.get(key):
            who: str = src[key]
            return who
    return None


def title_of(src: Mapping[str, Any]) -> str:
    """The title, else the file's name."""
    title: str = src.get("title") or src["path"].rsplit("/", 1)[-1]
    return title.strip()


def sort_key(src: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """Reference-list order: creator (or title when there is none), year, title."""
    return ((creator(src) or title_of(src)).lower(), year(src), title_of(src).lower(), src["path"])


def year(src: Mapping[str, Any]) -> str:
    """The publication year, or 'n.d.'."""
    published: str = src.get("published") or ""
    return published[:4] or "n.d."


def long_date(iso: str | None) -> str | None:
    """'16 June 2017' for an ISO date."""
    if not iso:
        return None
    parts = iso[:10].split("-")
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    d = dt.date.fromisoformat(iso[:10])
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits of text."""
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())


def bibtex_key(src: Mapping[str, Any], taken: set[str]) -> str:
    """A stable key publisher+year+word ('napo2017suffolk'); a, b, c... when one is taken already."""
    title_words = [w for w in (_ascii_word(w) for w in re.split(r"\W+", title_of(src)))
                   if w and w not in STOP_WORDS and not w.isdigit()]
    who_text = creator(src)
    if who_text:
        from factcheck.export.csl import is_organisation, person_parts, split_names

        first = (split_names(who_text) or [who_text])[0]
        if not is_organisation(first):
            first = person_parts(first).get("family") or first
        who = next((_ascii_word(w) for w in re.split(r"[\s;,]+", first) if _ascii_word(w)), "anon")
    else:
        who = title_words.pop(0) if title_words else "anon"
    word = next((w for w in title_words if w != who), "")
    base = f"{who}{year(src).replace('n.d.', 'nd')}{word}"
    key, n = base, 0
    while key in taken:
        key = base + "abcdefghijklmnopqrstuvwxyz"[n % 26] * (1 + n // 26)
        n += 1
    taken.add(key)
    return key


def web_url(url: str | None) -> str | None:
    """The URL when it is a web address (http or https, with a host, no control characters), else None.

    Every export uses this one check: javascript:, data:, file:, mailto: and the like are left out, and so are
    doi: and urn: (they are not links a reader can follow; give them as https://doi.org/... instead)."""
    url = (url or "").strip()
    if not url or CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a bad IPv6 host
        return None
    return url if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else None


def reference_parts(src: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """One reference-list entry as (text, style) pieces, style 'title' or 'url' or None (Harvard-like)."""
    title = title_of(src).rstrip(".")
    who = creator(src)
    if who:
        parts: list[tuple[str, str | None]] = [(f"{who} ({year(src)}) ", None), (title, "title"), (". ", None)]
    else:
        parts = [(title, "title"), (f" ({year(src)}). ", None)]
    where = [x for x in (src.get("outlet"), src.get("publisher") if src.get("author") else None) if x]
    if where:
        parts.append((", ".join(dict.fromkeys(where)) + ", ", None))
    published = long_date(src.get("published"))
    parts.append((f"{published}. " if published else "", None))
    url = web_url(src.get("url"))
    if url:
        parts.append(("Available at: ", None))
        parts.append((url, "url"))
        parts.append((" ", None))
    accessed = long_date(src.get("accessed"))
    if accessed:
        parts.append((f"(Accessed: {accessed}). ", None))
    parts.append((f"[{src['path']}]", "path"))
    return [(t, s) for t, s in parts if t]


def reference_text(src: Mapping[str, Any]) -> str:
    """The reference entry as plain text."""
    return "".join(t for t, _ in reference_parts(src)).strip()
