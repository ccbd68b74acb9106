"""CSL-JSON: one item per cited source, for Zotero, Pandoc and any CSL citation processor.

Names are split here too (BibTeX and ClaimReview use the same rules): "A; B" is two creators, a
person's name becomes family/given parts, an organisation's stays whole as a literal.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from factcheck.export.citations import title_of, web_url

if TYPE_CHECKING:
    from factcheck.export.data import CitedSource, ExportData

# Words that make a name an organisation's (words that are also common surnames, e.g. Post, House, Court, Bank,
# are left out: "Washington Post" reads as a person, "Lucy Post" too).
ORG_WORDS = re.compile(
    r"\b(inspectorate|ministry|napo|ltd|limited|agency|agencies|service|services|council|trust|university|"
    r"department|dept|office|committee|commission|association|union|society|institute|institution|foundation|"
    r"group|company|corporation|corp|inc|plc|llp|llc|partnership|board|authority|government|parliament|"
    r"news|press|media|newspaper|magazine|journal|gazette|herald|telegraph|guardian|times|bbc|itv|reuters|"
    r"police|probation|prison|prisons|centre|center|college|school|bureau|federation|league|network|team|staff|"
    r"party|club|hm|hmip|hmpps|nhs|crc|unit|editors?|blog|charity|campaign|coalition|alliance|consortium|"
    r"cabinet|assembly|senate|congress|executive|secretariat|directorate|tribunal|library|"
    r"museum|hospital|fund|programme|program|project|forum|panel)\b",
    re.I)
CONNECTORS = re.compile(r"\s(of|for|the|and|on|in|at|to|&)\s|^the\s|[&@/0-9]", re.I)
HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "rev",
              "revd", "reverend", "baroness", "baron", "rt", "hon", "cllr", "councillor"}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "qc", "kc", "mp", "obe", "mbe", "cbe"}
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "del", "della", "du", "la", "le", "ter", "ten", "bin",
             "al", "el", "dos", "das"}
LIST_JOINER = re.compile(r"\s+(?:and|&)\s+", re.I)
NUMBER_LIST = re.compile(r"\[\n\s*(-?\d+(?:,\n\s*-?\d+)*)\n\s*\]")  # an indented JSON array of numbers
DATE_LIST = re.compile(r"\[\n\s*(\[[-\d, ]*\](?:,\n\s*\[[-\d, ]*\])*)\n\s*\]")  # ... of such arrays


def split_names(text: str | None) -> list[str]:
    """Creators in one metadata string: 'A; B' is two, and so is 'Jane Smith and John Doe' (two persons)."""
    out: list[str] = []
    for part in re.split(r"\s*;\s*", (text or "").strip()):
        part = " ".join(part.split())
        if not part:
            continue
        pieces = [p for p in LIST_JOINER.split(part) if p]
        if len(pieces) > 1 and all(not is_organisation(p) for p in pieces):
            out.extend(pieces)
        else:
            out.append(part)
    return out


def is_organisation(name: str) -> bool:
    """Heuristic: an organisation's name (Inspectorate, Ministry, Ltd, acronyms, one word...) or a person's."""
    name = " ".join(name.split())
    if not name:
        return False
    if ORG_WORDS.search(name) or CONNECTORS.search(name):
        return True
    letters = re.sub(r"[^A-Za-z]", "", name)
    if letters and letters.isupper() and len(letters) > 1 and " " not in name.strip(". "):
        return True  # NAPO, HMIP
    if "," in name:  # "Smith, Jane": a person written family-first
        return False
    if name.split()[0].lower().strip(".") in HONORIFICS:  # "Dr Smith", "Dame Glenys Stacey"
        return False
    tokens = [t for t in name.split() if t.lower() not in SUFFIXES]
    if len(tokens) < 2 or len(tokens) > 5:
        return True  # "Reuters", or a long phrase
    return any(len(t) >= 3 and t.isalpha() and t.isupper() for t in tokens)  # an acronym: "BBC Sport"


def person_parts(name: str) -> dict[str, str]:
    """A person's CSL name parts: 'Dr Jan van der Berg Jr' → family Berg, given Jan, particle 'van der', suffix Jr."""
    name = " ".join(name.split())
    suffix: list[str] = []
    if "," in name:  # "Family, Given" (a further comma may hold a suffix)
        family_part, _, rest = name.partition(",")
        family = family_part.split()
        given: list[str] = []
        for t in rest.replace(",", " ").split():
            (suffix if t.lower() in SUFFIXES else given).append(t)
    else:
        tokens = name.split()
        while len(tokens) > 2 and tokens[-1].lower() in SUFFIXES:
            suffix.insert(0, tokens.pop())
        family = [tokens.pop()]
        while len(tokens) >= 2 and tokens[-1].lower() in PARTICLES and tokens[-1][0].islower():
            family.insert(0, tokens.pop())
        given = tokens
    given = [t for t in given if t.lower().strip(".") not in HONORIFICS]
    particle = []
    while len(family) > 1 and family[0].lower() in PARTICLES and family[0][0].islower():
        particle.append(family.pop(0))
    parts = {"family": " ".join(family)}
    if given:
        parts["given"] = " ".join(given)
    if particle:
        parts["non-dropping-particle"] = " ".join(particle)
    if suffix:
        parts["suffix"] = " ".join(suffix)
    return parts


def csl_name(name: str) -> dict[str, str]:
    """One CSL name: family/given parts for a person, {'literal': ...} for an organisation."""
    name = " ".join(name.split())
    if is_organisation(name):
        return {"literal": name}
    parts = person_parts(name)
    return parts if parts.get("family") else {"literal": name}


def date_parts(iso: str | None) -> dict[str, list[list[int]]] | None:
    """{'date-parts': [[y, m, d]]} for an ISO date or datetime (or just 'YYYY' / 'YYYY-MM'); None if absent."""
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", (iso or "").strip())
    if not m:
        return None
    return {"date-parts": [[int(g) for g in m.groups() if g]]}


def item(src: CitedSource) -> dict[str, Any]:
    """The CSL-JSON item for one numbered source."""
    out: dict[str, Any] = {"id": src["key"], "type": src["csl_type"], "title": title_of(src)}
    authors = [csl_name(n) for n in split_names(src.get("author"))]
    if authors:
        out["author"] = authors
    for field, given in (("publisher", src.get("publisher")), ("container-title", src.get("outlet"))):
        value = " ".join((given or "").split())
        if value:
            out[field] = value
    url = web_url(src.get("url"))  # the one URL check of every export: http(s) only
    if url:
        out["URL"] = url
    for field, iso in (("issued", src.get("published")), ("accessed", src.get("accessed"))):
        d = date_parts(iso)
        if d:
            out[field] = d
    note = f"File: {src['path']}"
    if src.get("sha256"):
        note += f"; SHA-256: {src['sha256']}"
    out["note"] = note
    return out


def _compact_dates(text: str) -> str:
    """Indented JSON with each date's parts on one line ([[2017, 6, 16]]); strings hold no raw newline, so safe."""
    text = NUMBER_LIST.sub(lambda m: "[" + ", ".join(re.findall(r"-?\d+", m.group(1))) + "]", text)
    return DATE_LIST.sub(lambda m: "[" + ", ".join(re.findall(r"\[[-\d, ]*\]", m.group(1))) + "]", text)


def render(data: ExportData) -> str:
    """The cited sources as a CSL-JSON array (UTF-8, indented), in reference-list order."""
    return _compact_dates(json.dumps([item(s) for s in data.sources], ensure_ascii=False, indent=2)) + "\n"
