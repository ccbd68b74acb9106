"""A small review database written directly through the models and the matcher's store (no extraction, no
matching), so the TUI tests see the same sources, claims and flags whatever the extractor and matcher find in
seeds/.

`build(url)` writes KELBY: three sources about one housing story, 27 claims of every kind, one flag of each type.
`build(url, spec)` writes any spec of the same shape (test_review_markup.py has one of its own).

A spec is a dict:
- "entities": {key: {"name", "kind", "role"}}
- "sources": [{"path", "title", "published", "text", "sections": [(heading, dated, where)], "claims": [...]}]
  A section runs from the first occurrence of `where` in the text (None: the start) to the next section.
  A claim is a dict of Claim columns plus "key" (how flags name it), "find" (its text, searched inside
  "excerpt", a part of the source's text that occurs once) and optionally "speaker" (an entity key) and "at"
  (the occurrence of "find" inside the excerpt, 0 by default).
- "flags": [{FlagDraft fields, "members": [(claim key, role)]}]; an alias flag's details may list "mentions" as
  (claim key, spelling): each becomes the spelling's exact place inside that claim's excerpt, as the matcher
  stores it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from copy import deepcopy

from sqlalchemy import select
from sqlmodel import Session

from factcheck.db import make_engine
from factcheck.match.quotes import word_diff, words
from factcheck.match.records import FlagDraft
from factcheck.match.store import load_records, store_flags
from factcheck.models import Claim, Entity, Flag, Section, Source

D = dt.date

RELEASE = (
    "Kelby Council: 42 new homes\n\n"
    "12 March 2024\n\n"
    "Kelby Council built 42 homes in the town last year, council leader Jane Alder said on Monday. "
    "“We will build 60 more homes next year for the families still waiting,” she said.\n\n"
    "Of the 1,200 families on the waiting list, 300 were housed in 2023: 30% of them.\n\n"
    "The housing report was published on 11 March 2024. "
    "The Kelby Harbour Trust, which moored 40 boats in 2023, will sell land for 20 of the new homes.\n"
)
GAZETTE = (
    "Kelby Gazette: council homes\n\n"
    "13 March 2024\n\n"
    "The council built 42 homes last year. "
    "Council leader Jane Alder said: “We will build 60 new homes next year for families waiting.”\n\n"
    "The housing report, published on 10 March 2024, says 1,200 families are waiting. "
    "The Kelby Harbor Trust moored 38 boats in 2023.\n"
)
BLOG = (
    "# Kelby housing notes\n\n"
    "## 14 March 2024: sixty homes\n\n"
    "Jane Alder says the council means to put up sixty more homes in 2025 for the families on its list.\n\n"
    "## 20 March 2024: the waiting list\n\n"
    "The list still holds 1,200 families, housing officer Tom Reed told the blog.\n"
)

S1 = "Kelby Council built 42 homes in the town last year, council leader Jane Alder said on Monday."
S2 = "“We will build 60 more homes next year for the families still waiting,” she said."
S3 = "Of the 1,200 families on the waiting list, 300 were housed in 2023: 30% of them."
S4 = "The housing report was published on 11 March 2024."
S5 = "The Kelby Harbour Trust, which moored 40 boats in 2023, will sell land for 20 of the new homes."
G1 = "The council built 42 homes last year."
G2 = "Council leader Jane Alder said: “We will build 60 new homes next year for families waiting.”"
G3 = "The housing report, published on 10 March 2024, says 1,200 families are waiting."
G4 = "The Kelby Harbor Trust moored 38 boats in 2023."
B1 = "Jane Alder says the council means to put up sixty more homes in 2025 for the families on its list."
B2 = "The list still holds 1,200 families, housing officer Tom Reed told the blog."

QUOTE_RELEASE = "We will build 60 more homes next year for the families still waiting"
QUOTE_GAZETTE = "We will build 60 new homes next year for families waiting"


def _year(y: int, **more) -> dict:
    """A year's date columns."""
    return {"date": D(y, 1, 1), "date_end": D(y, 12, 31), "date_precision": "year", **more}


KELBY = {
    "entities": {
        "alder": {"name": "Jane Alder", "kind": "person", "role": "council leader"},
        "reed": {"name": "Tom Reed", "kind": "person", "role": "housing officer"},
    },
    "sources": [
        {"path": "council_release.txt", "title": "Kelby Council: 42 new homes", "published": D(2024, 3, 12),
         "text": RELEASE, "sections": [(None, D(2024, 3, 12), None)],
         "claims": [
             {"key": "r_homes", "kind": "quantity", "find": "42 homes", "excerpt": S1, "value": 42, "unit": "homes",
              "subject": "built: homes", "speaker": "alder"},
             {"key": "r_lastyear", "kind": "date", "find": "last year", "excerpt": S1,
              **_year(2023, relative=True, relative_to=D(2024, 3, 12)), "subject": "Kelby Council built"},
             {"key": "r_monday", "kind": "date", "find": "on Monday", "excerpt": S1, "date": D(2024, 3, 11),
              "date_precision": "day", "relative": True, "relative_to": D(2024, 3, 12), "subject": "said"},
             {"key": "r_quote", "kind": "quote", "find": QUOTE_RELEASE, "excerpt": S2, "speaker": "alder",
              "details": {"how": "nearby", "speaker_from": "quote"}},
             {"key": "r_sixty", "kind": "quantity", "find": "60 more homes", "excerpt": S2, "value": 60,
              "unit": "homes", "qualifier": "more", "subject": "build: homes", "speaker": "alder"},
             {"key": "r_nextyear", "kind": "date", "find": "next year", "excerpt": S2,
              **_year(2025, relative=True, relative_to=D(2024, 3, 12)), "speaker": "alder"},
             {"key": "r_families", "kind": "quantity", "find": "1,200 families", "excerpt": S3, "value": 1200,
              "unit": "families", "subject": "waiting list: families"},
             {"key": "r_housed", "kind": "quantity", "find": "300", "excerpt": S3, "value": 300,
              "unit": "families", "subject": "housed"},
             {"key": "r_2023", "kind": "date", "find": "2023", "excerpt": S3, **_year(2023), "subject": "housed"},
             {"key": "r_share", "kind": "quantity", "find": "30%", "excerpt": S3, "value": 30, "unit": "%",
              "subject": "housed", "details": {"unit_normalised": "percent"}},
             {"key": "r_published", "kind": "date", "find": "11 March 2024", "excerpt": S4, "date": D(2024, 3, 11),
              "date_precision": "day", "subject": "housing report was published"},
             {"key": "r_boats", "kind": "quantity", "find": "40 boats", "excerpt": S5, "value": 40,
              "unit": "boats", "subject": "moored: boats"},
             {"key": "r_2023b", "kind": "date", "find": "2023", "excerpt": S5, **_year(2023),
              "subject": "moored 40 boats"},
             {"key": "r_land", "kind": "quantity", "find": "20 of the new homes", "excerpt": S5, "value": 20,
              "unit": "homes", "subject": "sell land for: homes"},
         ]},
        {"path": "gazette.txt", "title": "Kelby Gazette: council homes", "published": D(2024, 3, 13),
         "text": GAZETTE, "sections": [(None, D(2024, 3, 13), None)],
         "claims": [
             {"key": "g_homes", "kind": "quantity", "find": "42 homes", "excerpt": G1, "value": 42, "unit": "homes",
              "subject": "built: homes"},
             {"key": "g_lastyear", "kind": "date", "find": "last year", "excerpt": G1,
              **_year(2023, relative=True, relative_to=D(2024, 3, 13)), "subject": "council built"},
             {"key": "g_quote", "kind": "quote", "find": QUOTE_GAZETTE, "excerpt": G2, "speaker": "alder",
              "details": {"how": "label", "speaker_from": "quote"}},
             {"key": "g_sixty", "kind": "quantity", "find": "60 new homes", "excerpt": G2, "value": 60,
              "unit": "homes", "subject": "build: homes", "speaker": "alder"},
             {"key": "g_published", "kind": "date", "find": "10 March 2024", "excerpt": G3, "date": D(2024, 3, 10),
              "date_precision": "day", "subject": "housing report, published"},
             {"key": "g_families", "kind": "quantity", "find": "1,200 families", "excerpt": G3, "value": 1200,
              "unit": "families", "subject": "waiting: families"},
             {"key": "g_boats", "kind": "quantity", "find": "38 boats", "excerpt": G4, "value": 38,
              "unit": "boats", "subject": "moored: boats"},
             {"key": "g_2023", "kind": "date", "find": "2023", "excerpt": G4, **_year(2023),
              "subject": "moored 38 boats"},
         ]},
        {"path": "housing_blog.md", "title": "Kelby housing notes", "published": D(2024, 3, 14),
         "text": BLOG, "sections": [("14 March 2024: sixty homes", D(2024, 3, 14), "## 14 March"),
                                    ("20 March 2024: the waiting list", D(2024, 3, 20), "## 20 March")],
         "claims": [
             {"key": "b_plan", "kind": "attribution",
              "find": "the council means to put up sixty more homes in 2025 for the families on its list",
              "excerpt": B1, "speaker": "alder", "details": {"verb": "says", "speaker_from": "reported"}},
             {"key": "b_sixty", "kind": "quantity", "find": "sixty more homes", "excerpt": B1, "value": 60,
              "unit": "homes", "qualifier": "more", "subject": "put up: homes", "speaker": "alder"},
             {"key": "b_2025", "kind": "date", "find": "2025", "excerpt": B1, **_year(2025), "speaker": "alder"},
             {"key": "b_families", "kind": "quantity", "find": "1,200 families", "excerpt": B2, "value": 1200,
              "unit": "families", "subject": "list: families", "speaker": "reed"},
             {"key": "b_list", "kind": "attribution", "find": "The list still holds 1,200 families", "excerpt": B2,
              "speaker": "reed", "details": {"verb": "told", "speaker_from": "reported"}},
         ]},
    ],
    "flags": [
        {"type": "conflict", "subject": "date the housing report was published", "score": 1.0,
         "summary": "10 March 2024 vs 11 March 2024",
         "explanation": "Sources date the same event differently: 10 March 2024 in gazette.txt; 11 March 2024 in "
                        "council_release.txt.",
         "details": {"dates": ["2024-03-10", "2024-03-11"], "event": "published", "precision": "day", "sources": 2},
         "members": [("r_published", "value"), ("g_published", "value")]},
        {"type": "quote_variant", "subject": "quote by Jane Alder", "score": 0.97,
         "summary": "Jane Alder: '60 more homes' vs '60 new homes'",
         "explanation": "Jane Alder is quoted in near-identical words by council_release.txt and gazette.txt.",
         "details": {"diff": word_diff(words(QUOTE_RELEASE), words(QUOTE_GAZETTE)), "versions": 2},
         "members": [("r_quote", "version"), ("g_quote", "version")]},
        {"type": "arithmetic", "subject": "share of the waiting list housed", "score": 0.9,
         "summary": "300 / 1,200 = 25%, stated 30%",
         "explanation": "300 of 1,200 families is 25%, but the sentence states 30%.",
         "details": {"check": "percent_of", "computed": 25.0, "stated": 30.0},
         "members": [("r_families", "whole"), ("r_housed", "part"), ("r_share", "inconsistent")]},
        {"type": "alias", "subject": "Kelby Harbour Trust", "score": 0.8,
         "summary": "Kelby Harbour Trust (1×) vs Kelby Harbor Trust (1×)",
         "explanation": "'Kelby Harbour Trust' and 'Kelby Harbor Trust' look like one name written two ways "
                        "(spellings one or two letters apart); confirm to treat them as the same entity.",
         "details": {"variants": ["Kelby Harbour Trust", "Kelby Harbor Trust"], "how": "spelling",
                     "counts": {"Kelby Harbour Trust": 1, "Kelby Harbor Trust": 1},
                     "mentions": [("r_boats", "Kelby Harbour Trust"), ("g_boats", "Kelby Harbor Trust")]},
         "members": [("r_boats", "variant: Kelby Harbour Trust"), ("g_boats", "variant: Kelby Harbor Trust")]},
        {"type": "repeat", "subject": "built: homes", "score": 1.0,
         "summary": "42 homes stated 2 times in 2 sources",
         "explanation": "The same figure (42 homes) appears in council_release.txt and gazette.txt.",
         "details": {"sources": 2}, "members": [("r_homes", "statement"), ("g_homes", "statement")]},
        {"type": "paraphrase", "subject": "sixty more homes next year", "score": 0.81,
         "summary": "the same point in other words in council_release.txt and housing_blog.md",
         "explanation": "The same point is made in other words in council_release.txt and housing_blog.md; "
                        "both name Jane Alder.",
         "details": {"similarity": 0.81, "shared_words": ["build", "homes", "families"], "shared_numbers": [60],
                     "shared_names": ["Jane Alder"], "sources": 2, "statements": 2},
         "members": [("r_quote", "statement"), ("b_plan", "statement")]},
    ],
}

# A repeat within one source (details.sources 1): the queue, `flags` and the exports list it after every finding
# across sources. Tests add it to a copy of KELBY.
SAME_SOURCE_REPEAT = {"type": "repeat", "subject": "year: 2023", "score": 1.0,
                      "summary": "2023 stated 2 times in 1 source",
                      "explanation": "The same date (2023) appears twice in council_release.txt.",
                      "details": {"sources": 1, "copies": 0},
                      "members": [("r_2023", "statement"), ("r_2023b", "statement")]}

N_CLAIMS = sum(len(s["claims"]) for s in KELBY["sources"])
N_FLAGS = len(KELBY["flags"])


def _once(text: str, part: str) -> int:
    """Where part starts in text; it must occur exactly once."""
    at = text.find(part)
    assert at >= 0 and text.find(part, at + 1) < 0, f"{part!r} must occur once in the text"
    return at


def _find(excerpt: str, part: str, occurrence: int = 0) -> int:
    """Where the occurrence-th part starts in excerpt."""
    at = -1
    for _ in range(occurrence + 1):
        at = excerpt.find(part, at + 1)
        assert at >= 0, f"{part!r} not in {excerpt!r}"
    return at


def build(url: str, spec: dict | None = None) -> dict:
    """Write spec (KELBY by default) into the empty database at url; return {claim key: claim id,
    "source:PATH": source id, "flags": [flag ids in spec order]}."""
    spec = deepcopy(KELBY if spec is None else spec)
    engine = make_engine(url)
    ids: dict = {}
    spans: dict[str, tuple[int, int, int, int, int]] = {}  # key -> source id, start, end, excerpt start, end
    try:
        with Session(engine) as session:
            people = {}
            for key, e in spec.get("entities", {}).items():
                people[key] = Entity(**e)
                session.add(people[key])
            session.flush()
            for src in spec["sources"]:
                text = src["text"]
                source = Source(path=src["path"], name=src["path"], sha256=hashlib.sha256(text.encode()).hexdigest(),
                                fmt=src["path"].rsplit(".", 1)[-1], title=src.get("title"),
                                published=src.get("published"), text=text)
                session.add(source)
                session.flush()
                ids[f"source:{src['path']}"] = source.id
                starts = [0 if where is None else _once(text, where) for _, _, where in src["sections"]]
                sections = []
                for n, ((heading, dated, _), start) in enumerate(zip(src["sections"], starts, strict=True)):
                    end = starts[n + 1] if n + 1 < len(starts) else len(text)
                    sections.append(Section(source_id=source.id, ordinal=n, heading=heading, dated=dated,
                                            start=start, end=end))
                session.add_all(sections)
                session.flush()
                for c in src["claims"]:
                    c = dict(c)
                    key, find, excerpt = c.pop("key"), c.pop("find"), c.pop("excerpt")
                    speaker = c.pop("speaker", None)
                    es = _once(text, excerpt)
                    start = es + _find(excerpt, find, c.pop("at", 0))
                    end = start + len(find)
                    section = next(s for s in reversed(sections) if s.start <= start)
                    claim = Claim(source_id=source.id, section_id=section.id, start=start, end=end, text=find,
                                  excerpt_start=es, excerpt_end=es + len(excerpt),
                                  speaker_entity_id=people[speaker].id if speaker else None,
                                  fingerprint=hashlib.sha1(f"{src['path']}\x00{key}".encode()).hexdigest()[:20], **c)
                    session.add(claim)
                    session.flush()
                    ids[key] = claim.id
                    spans[key] = (source.id, start, end, es, es + len(excerpt))
            session.commit()
        drafts = []
        for f in spec.get("flags", []):
            f = dict(f)
            details = dict(f.pop("details", {}))
            if "mentions" in details:
                details["mentions"] = [_mention(text_of(spec, key), spans[key], ids[key], spelling, spec, key)
                                       for key, spelling in details["mentions"]]
            members = [(ids[key], role) for key, role in f.pop("members")]
            drafts.append(FlagDraft(members=members, details=details, **f))
        store_flags(engine, drafts, load_records(engine))
        with engine.connect() as conn:
            ids["flags"] = [r[0] for r in conn.execute(select(Flag.id).order_by(Flag.id))]
    finally:
        engine.dispose()
    return ids


def text_of(spec: dict, claim_key: str) -> str:
    """The text of the source holding a claim."""
    return next(s["text"] for s in spec["sources"] if any(c["key"] == claim_key for c in s["claims"]))


def _mention(text: str, span: tuple, claim_id: int, spelling: str, spec: dict, key: str) -> dict:
    """A name's mention inside a claim's excerpt, in the matcher's shape."""
    source_id, _, _, es, ee = span
    at = es + _find(text[es:ee], spelling)
    path = next(s["path"] for s in spec["sources"] if any(c["key"] == key for c in s["claims"]))
    return {"source": path, "source_id": source_id, "start": at, "end": at + len(spelling), "text": spelling,
            "claim_id": claim_id, "spelling": spelling}
