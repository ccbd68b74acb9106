"""Benchmark database generator: a large, realistic factcheck SQLite database for the review TUI.

What is built (deterministic for a given claim count and seed):

* seeds      -- seeds/*.txt are ingested once into a temporary SQLite file by the real pipeline; their
                lines, claims (all fields), speakers and aliases are the raw material.
* stories    -- a story is a run of 1-8 consecutive seed lines (picked with a bias to lines holding
                claims; most claim-less lines in the run are left out) with its own mapping of the seed
                speakers' names to generated people and organisations, its years shifted by -4..+4 and
                its figures rescaled.  It is told 1-5 times ("tellings"): a telling keeps the story's
                figures or, 25% of the time, has a disjoint one; a day date can be a day or two off; a
                quote can have a word changed; and 40% of stories misspell one name in one telling.
                Every rewrite is an edit of the passage text and the claims' offsets are mapped through
                the edits, so start/end and the excerpt offsets index the generated text exactly.  The
                pool holds tellings worth ~27% of n claims; each is placed ~1.3 times, which gives
                verbatim copies as well as variants across sources.
* dense      -- seed prose carries ~6 claims/KB but a source here holds ~600 claims in 40-80 KB, so
                sources are topped up with generated blocks wherever the running density is below
                10 claims/KB: staff tables (4 quantity claims a row, with `table_row` details; 15% of
                rows break their own difference or % change) and short news-brief paragraphs of
                quantity, date, quote or attribution sentences (quotes and clauses from seed
                sentences).  The block kind follows whichever claim kind lags the seeds' proportions,
                so the kinds end up at the seeds' mix.  At 1M: ~35% of claims come from seed passages
                (58% of the text), ~21% from tables, ~44% from brief sentences.
* sources    -- ~n/600, 40-80 KB each: a title line, then 1-6 sections, each a dateline (stored as a
                `dateline` date claim and as the section's date) and a heading, then blocks.
                Relative dates ("today", "last week") are resolved against their section's date.
* review     -- 90% of claims unreviewed, the rest supported/disputed/false/unverifiable/not_a_claim
                (some with notes), each such decision also in the Decision log; flags ~85% open.
* flags      -- ~3% of n: conflict (figures or dates that differ between tellings), quote_variant
                (word diff of two tellings' quotes), repeat (the same figure or words in several
                sources), alias (a misspelt name) with 2-5 members from different sources, and
                arithmetic (a table row whose difference or % change is wrong; its 4 cells are in one
                source, as real arithmetic flags are).  Types short of candidates (alias) leave their
                share to the others (repeat).

Figures on the build are returned and printed: counts, seconds, size.  The database is written through
the DBAPI connection with executemany in one transaction (foreign keys, journal and sync off during the
build; the secondary indexes are created after the rows; WAL is switched back on at the end).

API:  build(path, n_claims, seed=0) -> dict;  cached(n_claims, seed=0, folder="bench/out") -> path
Run:  .venv/bin/python bench/gendb.py --claims 1000000 [--out PATH] [--seed S] [--cached] [--check]
      (about 0.5 s for 10k claims, 2.3 s for 100k and 22 s for 1M; 4.4 / 43 / 435 MB)
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import datetime as dt
import hashlib
import itertools
import json
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from match import MONTHS, NUM_RE, WEEKDAYS, _fmt, _pseudo_name, _rescale, ingest_seeds  # noqa: E402

GENERATOR_VERSION = 2  # bump whenever the output changes: cached() rebuilds older files
META_TABLE = "gendb_meta"
SEEDS_DIR = ROOT / "seeds"
MB = 1024 * 1024

CLAIMS_PER_SOURCE = 600
SOURCE_CHARS = (40_000, 80_000)
DENSITY = CLAIMS_PER_SOURCE / (sum(SOURCE_CHARS) / 2)  # claims per character the sources aim at
ENTITY_EVERY = 200  # one entity per this many claims
FLAG_SHARE = 0.03
FLAG_MIX = {"repeat": 0.30, "conflict": 0.25, "quote_variant": 0.20, "arithmetic": 0.15, "alias": 0.10}
CLAIM_REVIEWED = {"supported": 0.04, "disputed": 0.02, "false": 0.01, "unverifiable": 0.02, "not_a_claim": 0.01}
FLAG_DECIDED = {"confirmed": 0.10, "dismissed": 0.05}
TELLINGS, TELLING_WEIGHTS = (1, 2, 3, 4, 5), (0.20, 0.30, 0.25, 0.15, 0.10)
DISJOINT_VALUE = 0.25
DATE_SHIFT = 0.10
QUOTE_VARY = 0.4
ALIAS_STORY = 0.4
TABLE_ROW_WRONG = 0.15
KEEP_EMPTY_LINE = 0.25  # share of claim-less seed lines kept inside a passage
POOL_SHARE = 0.27  # pool claims per claim wanted: ~1/3 of claims come from tellings, each placed ~1.3 times
REVIEWERS = ("alice", "bkumar", "c.osei", "dmorgan")
CLAIM_NOTES = ("checked against the inspection report", "figure is from the 2016 annual report",
               "speaker confirmed by press office", "no primary source found", "rounded in the original",
               "see the committee transcript", "date is the embargo date, not publication", "quoted second-hand")
FLAG_NOTES = ("same statistic, different year", "typo in the later article", "checked with the author",
              "both figures appear in the source tables", "misattributed quote")

COLUMNS = ("id source_id section_id kind start end text excerpt_start excerpt_end value low high unit qualifier "
           "date date_end date_precision relative relative_to subject speaker_entity_id quote_text details "
           "fingerprint status note version updated_at").split()

# ---------------------------------------------------------------------------------------------
# Vocabulary for generated names and text
# ---------------------------------------------------------------------------------------------

FIRST = """Helen Oliver Priya Gareth Fiona Samuel Margaret Rajesh Claire Thomas Aisha Neil Joanna Martin Bronwen Kwame
Lucy Patrick Eleanor Graham Sarah James Anna David Ruth Michael Emma Paul Laura Simon Rachel Mark Hannah Peter
Zoe Daniel Naomi Richard Alice Stephen Grace Andrew Megan Chris Fatima Tom Ian Sophie Robert Jane Kate Owen
Yusuf Moira Declan Sian Carys Rhys Imran Nadia Colin Hazel Dominic Ursula Victor Agnes Felix Maeve""".split()
LAST = """Marsh Pratt Nandra Lloyd Kerr Okafor Doyle Kapoor Whitfield Beecham Rahman Cartwright Frost Ellery Price
Mensah Harrow Dunne Voss Tilling Ashworth Barlow Carver Denholm Eastwood Fairley Garside Holroyd Ingram Jessop
Kettle Lambert Merriman Norris Oakley Pennington Quayle Radcliffe Sutton Thackeray Underwood Varley Walsh Yates
Bradshaw Crowther Dawson Ellison Fletcher Gough Hartley Irwin Jowett Kitching Lister Metcalfe Nuttall Ogden
Pickles Rhodes Stansfield Townend Whiteley Armitage Bentley Clegg Driver Exley Firth Greenwood Haigh Illingworth
Kershaw Lumb Mitchell Naylor Priestley Ramsden Sugden Turner Waddington Wainwright Atkinson Barker Chadwick""".split()
PLACES = """Suffolk Norfolk Essex Kent Surrey Sussex Devon Cornwall Dorset Wiltshire Gloucestershire Avon Somerset
Hampshire Berkshire Oxfordshire Buckinghamshire Hertfordshire Bedfordshire Cambridgeshire Lincolnshire
Nottinghamshire Derbyshire Leicestershire Staffordshire Shropshire Cheshire Cumbria Lancashire Merseyside
Northumbria Durham Humberside Cleveland Warwickshire Worcestershire Herefordshire Gwent Dyfed Powys Teesside
London Manchester Birmingham Bristol Leeds Sheffield Bradford Coventry Stoke Derby Nottingham Leicester Hull
York Wakefield Plymouth Exeter Norwich Ipswich Cardiff Swansea Newport Wrexham""".split()
ORG_TYPES = ("CRC", "Probation Trust", "Community Rehabilitation Company", "Youth Offending Team", "Council",
             "Reducing Reoffending Partnership", "Justice Partnership", "Police", "Magistrates' Bench",
             "Probation Delivery Unit", "Prison Reform Group", "Citizens Advice")
ORG_SUFFIXES = ("Justice", "Partnership", "Group", "Trust", "Foundation", "Services", "Alliance", "Works")
ROLES = ("General Secretary", "National Official", "chief executive of {org}", "Chief Inspector of Probation",
         "Chair of the Justice Committee", "MP for {place}", "director of operations at {org}",
         "spokesperson for {org}", "assistant chief officer", "branch chair", "head of policy at {org}",
         "probation officer in {place}", "Shadow Justice Secretary", "prisons minister")
DOCS = ("report", "inspection report", "annual report", "strategy", "consultation", "workforce survey",
        "evidence", "business plan", "review", "briefing")
UNITS = ("offenders", "cases", "staff", "posts", "people", "officers", "contracts", "referrals", "hours",
         "practitioners", "assessments", "breaches")
GROUPS = ("cases", "offenders", "staff", "officers", "assessments", "women on probation", "young adults")
STATES = ("seen within five days", "rated good or better", "given a sentence plan on time",
          "recalled to prison", "in settled accommodation", "in work or training")
VERBS_ATTR = ("said", "told the committee", "warned", "argued", "claimed", "found", "concluded", "noted")
HEADINGS = ("Latest From {org}", "{org} Evidence Part Two", "Inspector Finds Problems with {org}",
            "TR in {place}", "{org} Responds to the Inspection", "Staffing in {place}", "News Round-up",
            "Probation in {place}", "Workloads and Stress", "What the Committee Heard", "{org} Annual Report",
            "Contracts to End Early", "Keep up-to-date with {place}", "A Letter From {org}")
TITLES = ("{org} HQ Blog", "Showing posts with label {org}. Show all posts", "{org} Press Release",
          "{place} Probation News", "On Probation: {place}", "{org} Briefing", "Justice Committee Digest")


# ---------------------------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------------------------

_TITLE_WORDS = {"Dame", "Sir", "Mr", "Mrs", "Ms", "Dr", "Lord", "Lady", "Baroness"}
_PERSON_TOKEN = re.compile(r"^[A-Z][a-z’']+[A-Za-z’']*$")
_YEAR_RE = r"(?P<fy>\b(?:19|20)\d\d/\d\d\b)|(?P<year>\b(?:199\d|20[0-3]\d)\b(?![/,.]\d))"
_DAY_RE = re.compile(r"\b(\d{1,2})(st|nd|rd|th)?\b")
_QWORD = re.compile(r"\b[a-z]{4,}\b")
_SENT = re.compile(r"[^.!?]{20,220}[.!?]")
_PLAIN_SENT = re.compile(r"(?:(?<=[.!?] )|(?<=\n)|^)[A-Z][a-z][^.!?\n]{28,110}[a-z]\.(?=\s|$)")


class Seeds:
    """The seed documents ingested by the real pipeline: texts, lines, claims, speakers and vocabulary."""

    def __init__(self):
        """Ingest seeds/ into a temporary database and read everything back."""
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "seeds.db"
            ingest_seeds(db)
            con = sqlite3.connect(db)
            con.row_factory = sqlite3.Row
            self.texts = {r["id"]: r["text"] for r in con.execute("SELECT id, text, title FROM source")}
            self.titles = [r[0] for r in con.execute("SELECT title FROM source") if r[0]]
            self.headings = [r[0] for r in con.execute("SELECT heading FROM section") if r[0]]
            self.entities = {r["id"]: dict(r) for r in con.execute("SELECT * FROM entity")}
            self.aliases: dict[int, list[str]] = defaultdict(list)
            for eid, text in con.execute("SELECT entity_id, text FROM alias"):
                self.aliases[eid].append(text)
            claims = [dict(r) for r in con.execute("SELECT * FROM claim ORDER BY source_id, start")]
            con.close()
        self.claims = []
        for c in claims:
            text = self.texts[c["source_id"]]
            if (text[c["start"]:c["end"]] != c["text"]
                    or not c["excerpt_start"] <= c["start"] <= c["end"] <= c["excerpt_end"]):
                continue
            c["details"] = json.loads(c["details"]) if c["details"] else None
            for k in ("date", "date_end", "relative_to"):
                c[k] = dt.date.fromisoformat(c[k]) if c[k] else None
            self.claims.append(c)
        self.kind_share = {k: v / len(self.claims) for k, v in Counter(c["kind"] for c in self.claims).items()}
        self.sha = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(SEEDS_DIR.glob("*.txt")))).hexdigest()
        self._lines()
        self._names()
        self._pools()

    def _lines(self) -> None:
        """Every non-empty line of every seed with the claims whose excerpt lies inside it; which may start a
        passage (not titles, headings or datelines)."""
        banned = {t.strip() for t in self.titles + self.headings}
        self.docs = []
        by_source = defaultdict(list)
        for c in self.claims:
            by_source[c["source_id"]].append(c)
        for sid, text in self.texts.items():
            lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
            starts = [a for a, _ in lines]
            per = [[] for _ in lines]
            bad = [text[a:b].strip() in banned or not text[a:b].strip() for a, b in lines]
            for c in by_source[sid]:
                i = bisect.bisect_right(starts, c["excerpt_start"]) - 1
                if i < 0 or c["excerpt_end"] > lines[i][1]:
                    continue  # an excerpt across lines: not used
                if c["subject"] == "dateline":
                    bad[i] = True
                per[i].append(c)
            weights = [(1 + 3 * len(cs)) ** 1.5 if not b else 0 for cs, b in zip(per, bad, strict=False)]
            cum = list(itertools.accumulate(weights))
            self.docs.append({"text": text, "lines": lines, "claims": per, "ok": [not b for b in bad],
                              "weights": weights, "cum": cum})
        self.docs = [d for d in self.docs if d["cum"] and d["cum"][-1] > 0]

    def _names(self) -> None:
        """Which seed speakers get renamed per story (real-looking names), and the strings that name them."""
        vocab = set()
        for t in self.texts.values():
            vocab.update(re.findall(r"\b[a-z]+\b", t))
        self.mappable: dict[int, dict] = {}
        self.name_strings: dict[str, tuple[int, tuple[str, ...]]] = {}  # seed string -> (entity, tokens)
        for eid, e in self.entities.items():
            name = e["name"]
            toks = name.split()
            core = [t for t in toks if t not in _TITLE_WORDS]
            if e["kind"] == "person":
                if (len(core) != 2 or not all(_PERSON_TOKEN.match(t) for t in core)
                        or any(t.lower() in vocab for t in core)):
                    continue
                self.mappable[eid] = {"kind": "person", "first": core[0], "last": core[1], "style": "word"}
                allowed = set(toks)
                for s in {name, *self.aliases.get(eid, [])}:
                    st = s.split()
                    if st and all(t in allowed for t in st) and (core[0] in st or core[1] in st):
                        self.name_strings.setdefault(s, (eid, tuple(st)))
            else:
                if len(toks) != 1 or not re.fullmatch(r"[A-Z][A-Za-z]+", name) or name.lower() in vocab:
                    continue
                self.mappable[eid] = {"kind": "org", "style": "acronym" if name.isupper() else "word"}
                self.name_strings.setdefault(name, (eid, (name,)))
        alts = sorted(self.name_strings, key=len, reverse=True)
        names = "|".join(re.escape(a) for a in alts) if alts else r"(?!x)x"
        self.token_re = re.compile(rf"(?P<name>(?<![\w’']){'(?:' + names + ')'}(?!\w))|{_YEAR_RE}")
        self.generic = [eid for eid in self.entities if eid not in self.mappable]

    def _pools(self) -> None:
        """Short quotes and attribution clauses for generated sentences, and words to vary quotes with."""
        quotes, attrs, words = set(), set(), set()
        for c in self.claims:
            t = " ".join(c["text"].split())
            if c["kind"] == "quote":
                words.update(_QWORD.findall(t))
                for m in _SENT.finditer(t):
                    s = m.group().strip().strip("“”\"'")
                    if 25 <= len(s) <= 120 and "“" not in s and '"' not in s:
                        quotes.add(s)
            elif c["kind"] == "attribution" and 25 <= len(t) <= 130 and "“" not in t and '"' not in t:
                attrs.add(t.rstrip(".").rstrip())
        low_count, mid_caps = Counter(), Counter()
        for text in self.texts.values():
            low_count.update(re.findall(r"\b[a-z]+\b", text))
            mid_caps.update(re.findall(r"(?<=[a-z,] )[A-Z][a-z]+\b", text))
        for text in self.texts.values():  # plain seed sentences widen both pools
            for m in _PLAIN_SENT.finditer(text):
                sent = m.group()
                if not any(ch in sent for ch in "“”\"‘’'()[]:;@/•") and not re.search(r"\d", sent):
                    quotes.add(sent)
                    first = sent.split()[0]
                    if low_count[first.lower()] > mid_caps[first]:  # a common word, not a name
                        attrs.add(sent[0].lower() + sent[1:-1])
        self.quotes = sorted(quotes)
        self.attrs = sorted(attrs)
        from factcheck.match.context import STOPWORDS
        self.vocab = sorted(w for w in words if w not in STOPWORDS)


_SEEDS: Seeds | None = None


def seeds() -> Seeds:
    """The seeds, loaded once per process."""
    global _SEEDS
    if _SEEDS is None:
        _SEEDS = Seeds()
    return _SEEDS


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

def _add_years(d: dt.date | None, years: int) -> dt.date | None:
    """d moved by whole years (29 February becomes the 28th)."""
    if d is None or not years:
        return d
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def _add_months(d: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after d's month."""
    m = d.year * 12 + d.month - 1 + months
    return dt.date(m // 12, m % 12 + 1, 1)


def _month_end(d: dt.date) -> dt.date:
    """The last day of d's month."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _ordinal(n: int) -> str:
    """English ordinal suffix (1st, 2nd, 11th)."""
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _long_date(d: dt.date, weekday: bool = False) -> str:
    """'30 September 2020' or 'Wednesday, 30 September 2020'."""
    s = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{WEEKDAYS[d.weekday()]}, {s}" if weekday else s


def _misspell(name: str, rng: random.Random) -> str | None:
    """name with two adjacent inner letters swapped ("Marsh" -> "Mrash"), or None."""
    for _ in range(6):
        if len(name) < 4:
            return None
        i = rng.randrange(1, len(name) - 2)
        a, b = name[i], name[i + 1]
        if a != b and a.isalpha() and b.isalpha():
            return name[:i] + b + a + name[i + 2:]
    return None


_MASK80 = (1 << 80) - 1


def fingerprint(n: int, salt: int) -> str:
    """A unique, random-looking 20-hex-digit fingerprint for item n (an odd multiplier is a bijection mod 2**80)."""
    return "%020x" % ((n * 0x9E3779B97F4A7C15F39D + salt) & _MASK80)


def _relspec(c: dict):
    """How a relative date is resolved against its section's date: (precision rule, amount, amount_end)."""
    d, rel, prec = c["date"], c["relative_to"], c["date_precision"]
    if d is not None and rel is not None and prec == "month" and any(m in c["text"] for m in MONTHS):
        return ("named_month", d.month, d.year - rel.year)  # "December this year", "March of this year"
    if d is not None and rel is not None:
        if prec == "month":
            return ("month", (d.year - rel.year) * 12 + d.month - rel.month, None)
        if prec == "year":
            return ("year", d.year - rel.year, None)
        end = (c["date_end"] - rel).days if c["date_end"] else None
        return ("days", (d - rel).days, end)
    t = c["text"].lower()
    step = -1 if ("last" in t or "earlier" in t and "today" not in t and "this" not in t) else 1 if "next" in t else 0
    if "yesterday" in t:
        return ("days", -1, None)
    if "tomorrow" in t:
        return ("days", 1, None)
    if "today" in t or "tonight" in t:
        return ("days", 0, None)
    if "weekend" in t:
        return ("weekend", 0, None)
    if "week" in t:
        return ("week", 7 * step, None)
    if "month" in t:
        return ("month", step, None)
    if "year" in t:
        return ("year", step, None)
    return None


def _resolve(spec, anchor: dt.date):
    """(date, date_end) ISO strings of a relative date given its section's date."""
    if spec is None:
        return None, None
    rule, a, b = spec
    if rule == "days":
        end = (anchor + dt.timedelta(days=b)).isoformat() if b is not None else None
        return (anchor + dt.timedelta(days=a)).isoformat(), end
    if rule == "month":
        first = _add_months(anchor, a)
        return first.isoformat(), _month_end(first).isoformat()
    if rule == "year":
        return f"{anchor.year + a}-01-01", f"{anchor.year + a}-12-31"
    if rule == "named_month":
        first = dt.date(anchor.year + b, a, 1)
        return first.isoformat(), _month_end(first).isoformat()
    if rule == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(days=a)
        return monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
    sat = anchor + dt.timedelta(days=(5 - anchor.weekday()) % 7)
    return sat.isoformat(), (sat + dt.timedelta(days=1)).isoformat()


_NUMBER_WORDS = "zero one two three four five six seven eight nine ten".split()


def _number_spec(c: dict):
    """How a quantity's figure may be rescaled: ("single", scale) or ("range", i_low, i_high), else None."""
    if c["kind"] != "quantity" or not c["unit"] or c["unit"] in ("ordinal", "fraction", "ratio", "date"):
        return None
    if any(k in (c["details"] or {}) for k in ("denominator", "table_row", "unit_from")):
        return None
    nums = [float(m.group().replace(",", "")) for m in NUM_RE.finditer(c["text"])]
    if c["value"] is not None and len(nums) == 1 and nums[0]:
        scale = c["value"] / nums[0]
        for s in (1.0, 1e3, 1e6, 1e9):
            if abs(scale - s) < 1e-6 * s:
                return ("single", s)
        return None
    if c["value"] is None and c["low"] is not None and c["high"] is not None and len(nums) == 2:
        if {nums[0], nums[1]} == {c["low"], c["high"]} and nums[0] != nums[1]:
            return ("range", nums.index(c["low"]), nums.index(c["high"]))
    if not nums and c["value"] is not None and c["value"] == int(c["value"]) and 2 <= c["value"] <= 10:
        m = re.search(rf"\b{_NUMBER_WORDS[int(c['value'])]}\b", c["text"], re.I)
        if m:
            return ("word", m.start(), m.end())
    return None


def _figure(c: dict, rel_start: int, spec, factor: float):
    """((value, low, high), edits) of a quantity rescaled by factor, or None when nothing changes."""
    ms = list(NUM_RE.finditer(c["text"]))
    cap = 100.0 if c["unit"] == "%" else None
    if spec[0] == "single":
        m = ms[0]
        tok = m.group()
        shown = float(tok.replace(",", ""))
        new = _rescale(shown, factor, tok, cap)
        if new == shown:
            return None
        value = new * spec[1]
        low = value if c["low"] is not None and c["low"] == c["value"] else c["low"]
        high = value if c["high"] is not None and c["high"] == c["value"] else c["high"]
        return (value, low, high), [(rel_start + m.start(), rel_start + m.end(), _fmt(new, tok))]
    if spec[0] == "word":
        current = int(c["value"])
        new = max(2, min(10, round(current * factor)))
        if new == current:
            return None
        word = _NUMBER_WORDS[new]
        word = word.capitalize() if c["text"][spec[1]].isupper() else word
        value = float(new)
        low = value if c["low"] is not None and c["low"] == c["value"] else c["low"]
        high = value if c["high"] is not None and c["high"] == c["value"] else c["high"]
        return (value, low, high), [(rel_start + spec[1], rel_start + spec[2], word)]
    lo_m, hi_m = ms[spec[1]], ms[spec[2]]
    lo = _rescale(float(lo_m.group().replace(",", "")), factor, lo_m.group(), cap)
    hi = _rescale(float(hi_m.group().replace(",", "")), factor, hi_m.group(), cap)
    if lo >= hi or (lo, hi) == (c["low"], c["high"]):
        return None
    return (None, lo, hi), [(rel_start + lo_m.start(), rel_start + lo_m.end(), _fmt(lo, lo_m.group())),
                            (rel_start + hi_m.start(), rel_start + hi_m.end(), _fmt(hi, hi_m.group()))]


def _vary_quote(text: str, vocab: list[str], rng: random.Random) -> str:
    """The quote with one or two inner words replaced, or an adverb inserted ("give of their best")."""
    words = list(_QWORD.finditer(text))
    if len(words) < 4:
        return text
    for m in sorted(rng.sample(words, rng.choice((1, 1, 2))), key=lambda m: -m.start()):
        if rng.random() < 0.75:
            rep = rng.choice(vocab)
        else:
            rep = rng.choice(("really", "simply", "clearly", "still")) + " " + m.group()
        text = text[:m.start()] + rep + text[m.end():]
    return text


def _apply_edits(text: str, edits: list[tuple[int, int, str]], points: list[int]):
    """The text with non-overlapping edits applied, and a dict mapping each point to its new offset."""
    edits.sort()
    out, pos, shifts, ends = [], 0, [], []
    delta = 0
    for a, b, rep in edits:
        out.append(text[pos:a])
        out.append(rep)
        pos = b
        delta += len(rep) - (b - a)
        ends.append(b)
        shifts.append(delta)
    out.append(text[pos:])
    new = {}
    for p in points:
        i = bisect.bisect_right(ends, p)  # edits ending at or before p move it
        new[p] = p + (shifts[i - 1] if i else 0)
    return "".join(out), new


# ---------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------

class Telling:
    """One telling of a story: its text, claim templates (offsets relative to the text) and placements."""

    __slots__ = ("story", "index", "text", "claims", "keys", "placements", "alias")

    def __init__(self, story, index, text, claims, keys):
        """Hold the parts; placements are (source index, first claim id, claims placed)."""
        self.story, self.index, self.text, self.claims, self.keys = story, index, text, claims, keys
        self.placements: list[tuple[int, int, int]] = []
        self.alias = None  # (main, other, claim index) when this telling misspells a name


class Story:
    """A seed passage with its name mapping, year shift and tellings."""

    __slots__ = ("id", "kinds", "tellings", "alias")

    def __init__(self, sid, kinds):
        """Empty story."""
        self.id, self.kinds, self.tellings, self.alias = sid, kinds, [], None


class Builder:
    """Generates the rows and writes them to an open sqlite3 connection."""

    def __init__(self, n: int, seed: int):
        """Prepare the seeds, the random generator and the entities."""
        self.n, self.seed = n, seed
        self.sd = seeds()
        self.rng = random.Random(f"gendb:{GENERATOR_VERSION}:{seed}:{n}")
        self.stats = Counter()
        self.kinds = Counter()
        self.now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        self.ingested = self.now.strftime("%Y-%m-%d %H:%M:%S.%f")
        self.claim_salt = self.rng.getrandbits(80)
        self.flag_salt = self.rng.getrandbits(80)
        self._entities()

    # ------------------------------------------------------------------ entities

    def _entities(self) -> None:
        """Seed speakers that are not renamed (Chair, Inspectors, ...) plus generated people and organisations:
        about n/200 entities in all."""
        rng, sd = self.rng, self.sd
        self.entity_rows: list[tuple] = []
        self.alias_rows: list[tuple] = []
        self.generic_id: dict[int, int] = {}
        used: set[str] = set()

        def add(kind, name, role, aliases, first=None, last=None, style="word"):
            eid = len(self.entity_rows) + 1
            self.entity_rows.append((eid, kind, name, role))
            for a in dict.fromkeys(aliases):
                self.alias_rows.append((len(self.alias_rows) + 1, eid, a))
            used.add(name)
            return {"id": eid, "kind": kind, "name": name, "role": role, "first": first, "last": last, "style": style}

        self.ent: dict[int, dict] = {}
        for seid in sd.generic:
            e = sd.entities[seid]
            d = add(e["kind"], e["name"], e["role"], [e["name"], *sd.aliases.get(seid, [])])
            self.generic_id[seid] = d["id"]
            self.ent[d["id"]] = d
        total = max(self.n // ENTITY_EVERY, len(self.entity_rows) + 12)
        want = total - len(self.entity_rows)
        n_people = max(6, round(want * 0.65))
        lasts = list(LAST)
        while len(FIRST) * len(lasts) < n_people * 2:
            lasts.append(_pseudo_name(rng))
        pairs = set()
        self.people, self.orgs, self.acronyms = [], [], []
        while len(self.people) < n_people:
            f, l_ = rng.choice(FIRST), rng.choice(lasts)
            if (f, l_) in pairs:
                continue
            pairs.add((f, l_))
            role = rng.choice(ROLES) if rng.random() < 0.6 else None
            if role:
                role = role.format(org=rng.choice(PLACES) + " " + rng.choice(ORG_TYPES), place=rng.choice(PLACES))
            d = add("person", f"{f} {l_}", role, [f"{f} {l_}", l_], first=f, last=l_)
            self.people.append(d)
            self.ent[d["id"]] = d
        n_orgs = want - n_people
        while len(self.orgs) + len(self.acronyms) < n_orgs:
            r = rng.random()
            if r < 0.25:
                name = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVW") for _ in range(rng.choice((3, 4, 4, 5))))
                style = "acronym"
            elif r < 0.65:
                name, style = f"{rng.choice(PLACES)} {rng.choice(ORG_TYPES)}", "word"
            else:
                name, style = f"{_pseudo_name(rng)} {rng.choice(ORG_SUFFIXES)}", "word"
            if name in used:
                continue
            aliases = [name]
            if style == "word" and " " in name:
                initials = "".join(w[0] for w in name.split() if w[0].isupper())
                if len(initials) >= 2 and rng.random() < 0.4:
                    aliases.append(initials)
            d = add("org", name, None, aliases, style=style)
            (self.acronyms if style == "acronym" else self.orgs).append(d)
            self.ent[d["id"]] = d
        if not self.acronyms:
            self.acronyms = self.orgs
        self.speakers = self.people + self.orgs

    def _pool_entity(self, info: dict) -> dict:
        """A generated entity standing in for a seed speaker of the given kind/style."""
        if info["kind"] == "person":
            return self.rng.choice(self.people)
        return self.rng.choice(self.acronyms if info["style"] == "acronym" else self.orgs)

    # ------------------------------------------------------------------ stories

    def _passage(self):
        """A run of consecutive seed lines (start biased to lines with claims): (text, claims relative to it)."""
        rng, docs = self.rng, self.sd.docs
        while True:
            doc = rng.choices(docs, [len(d["lines"]) for d in docs])[0]
            weights = doc["weights"]
            i = rng.choices(range(len(weights)), cum_weights=doc["cum"])[0]
            j = i
            length = rng.randint(1, 8)
            while j + 1 < len(weights) and j + 1 - i < length and doc["ok"][j + 1]:
                j += 1
            # lines without claims are mostly left out (seed prose holds ~5 claims/KB, sources here ~10)
            keep = [k for k in range(i, j + 1) if doc["claims"][k] or k == i or rng.random() < KEEP_EMPTY_LINE]
            claims = [c for k in keep for c in doc["claims"][k]]
            if not claims:
                continue
            text = doc["text"]
            if len(keep) == j - i + 1:
                base = doc["lines"][i][0]
                return text[base:doc["lines"][j][1]], [(base, doc["lines"][j][1], 0)], claims
            pieces, out = [], 0
            for k in keep:
                a, b = doc["lines"][k]
                pieces.append((a, b, out))
                out += b - a + 2
            return "\n\n".join(text[a:b] for a, b, _ in pieces), pieces, claims

    def make_story(self, sid: int) -> Story:
        """A story with 1-5 tellings (see the module docstring)."""
        rng, sd = self.rng, self.sd
        text, pieces, seed_claims = self._passage()
        starts = [a for a, _, _ in pieces]

        def rel(p: int) -> int:
            a, _, out = pieces[bisect.bisect_right(starts, p) - 1]
            return p - a + out

        ys = rng.randint(-4, 4)
        mapping: dict[int, dict] = {}

        def entity_for(seid):
            if seid not in mapping:
                mapping[seid] = self._pool_entity(sd.mappable[seid])
            return mapping[seid]

        def name_repl(s: str) -> str:
            seid, toks = sd.name_strings[s]
            info, p = sd.mappable[seid], entity_for(seid)
            if info["kind"] == "org":
                return p["name"]
            return " ".join(p["first"] if t == info["first"] else p["last"] if t == info["last"] else t for t in toks)

        def repl(m: re.Match, names: dict | None = None) -> str:
            g = m.lastgroup
            if g == "name":
                out = name_repl(m.group())
                if names:
                    for a, b in names.items():
                        out = out.replace(a, b)
                return out
            if g == "fy":
                y = int(m.group()[:4]) + ys
                return f"{y}/{(y + 1) % 100:02d}"
            return str(int(m.group()) + ys)

        cl = [dict(c, rs=rel(c["start"]), re=rel(c["start"]) + c["end"] - c["start"], rxs=rel(c["excerpt_start"]),
                   rxe=rel(c["excerpt_start"]) + c["excerpt_end"] - c["excerpt_start"]) for c in seed_claims]
        points = sorted({p for c in cl for p in (c["rs"], c["re"], c["rxs"], c["rxe"])})
        qspans = sorted((c["rs"], c["re"]) for c in cl if c["kind"] == "quantity")
        tokens = []
        for m in sd.token_re.finditer(text):
            a, b = m.start(), m.end()
            k = bisect.bisect_right(points, a)
            if k < len(points) and points[k] < b:
                continue  # straddles a claim or excerpt boundary
            if m.lastgroup != "name" and any(s <= a and b <= e for s, e in qspans):
                continue  # a year-like number inside a figure
            tokens.append(m)
        # story-level figures
        specs = {i: _number_spec(c) for i, c in enumerate(cl)}
        base_fig = {}
        for i, spec in specs.items():
            if spec:
                f0 = pow(2.718281828, rng.uniform(-0.4, 0.4))
                got = _figure(cl[i], cl[i]["rs"], spec, f0)
                if got:
                    base_fig[i] = (f0, got)
        n_tell = rng.choices(TELLINGS, TELLING_WEIGHTS)[0]
        alias_at = rng.randrange(n_tell) if n_tell > 1 and rng.random() < ALIAS_STORY else -1
        story = Story(sid, [c["kind"] for c in cl])
        for seid in {c["speaker_entity_id"] for c in cl if c["speaker_entity_id"] in sd.mappable}:
            entity_for(seid)
        for t in range(n_tell):
            names = alias_full = None
            if t == alias_at:
                in_text = {sd.name_strings[m.group()][0] for m in tokens if m.lastgroup == "name"}
                cands = [entity_for(e) for e in sorted(in_text)]
                cands = [e for e in cands if len(e["last"] or e["name"]) >= 5]
                if cands:
                    p = rng.choice(sorted(cands, key=lambda e: e["id"]))
                    key = p["last"] or p["name"]
                    bad = _misspell(key, rng)
                    if bad:
                        names = {key: bad}
                        alias_full = p["name"]
            story.tellings.append(self._telling(story, t, text, cl, tokens, repl, names, specs, base_fig, ys,
                                                n_tell > 1, entity_for, points, alias_full))
        return story

    def _telling(self, story, t, text, cl, tokens, repl, names, specs, base_fig, ys, varies, entity_for, points,
                 alias_full=None):
        """Build one telling: edits, the new text, and claim templates with mapped offsets and values."""
        rng, sd = self.rng, self.sd
        special: list[tuple[int, int, str]] = []
        figs: dict[int, tuple] = {}
        dates: dict[int, tuple] = {}
        for i, c in enumerate(cl):
            if i in base_fig:
                f0, (fig, edits) = base_fig[i]
                if varies and rng.random() < DISJOINT_VALUE:
                    f = rng.uniform(1.3, 2.2)
                    factor = 1 / f if rng.random() < 0.5 or (c["unit"] == "%" and (fig[0] or fig[2] or 0) > 60) else f
                    got = _figure(c, c["rs"], specs[i], f0 * factor)
                    if got and got[0] != fig:
                        fig, edits = got
                        self.stats["disjoint_figures"] += 1
                figs[i] = fig
                special += [(a, b, r, i) for a, b, r in edits]
            elif (c["kind"] == "date" and not c["relative"] and c["date_precision"] == "day" and c["date"]
                  and varies and rng.random() < DATE_SHIFT):
                d = _add_years(c["date"], ys)
                new = d + dt.timedelta(days=rng.choice((-2, -1, 1, 2)))
                m = next((m for m in _DAY_RE.finditer(c["text"]) if int(m.group(1)) == d.day), None)
                if m and new.month == d.month:
                    suffix = _ordinal(new.day) if m.group(2) else ""
                    special.append((c["rs"] + m.start(), c["rs"] + m.end(), f"{new.day}{suffix}", i))
                    dates[i] = (new, None)
                    self.stats["shifted_dates"] += 1
            elif (c["kind"] == "quote" and varies and not (c["details"] or {}).get("turn")
                  and rng.random() < QUOTE_VARY
                  and bisect.bisect_right(points, c["rs"]) == bisect.bisect_left(points, c["re"])):
                # (no claim or excerpt boundary strictly inside the quote: it is replaced as a whole)
                rendered = sd.token_re.sub(lambda m: repl(m, names), c["text"])
                varied = _vary_quote(rendered, sd.vocab, rng)
                if varied != rendered:
                    special.append((c["rs"], c["re"], varied, i))
                    self.stats["varied_quotes"] += 1
        special.sort()
        kept, dropped = [], set()
        for e in special:  # claims overlapping each other: the first edit wins, the other claim keeps its seed value
            if (kept and kept[-1][1] > e[0]) or e[3] in dropped:
                dropped.add(e[3])
            else:
                kept.append(e)
        if dropped:
            kept = [e for e in kept if e[3] not in dropped]
            for i in dropped:
                figs.pop(i, None)
                dates.pop(i, None)
        special = [e[:3] for e in kept]
        s_starts = [a for a, _, _ in special]
        edits = list(special)
        for m in tokens:
            a, b = m.start(), m.end()
            k = bisect.bisect_right(s_starts, b - 1) - 1
            if k >= 0 and special[k][1] > a:
                continue  # inside (or overlapping) a figure, date or varied quote
            rep = repl(m, names)
            if rep != m.group():
                edits.append((a, b, rep))
        new_text, pos = _apply_edits(text, edits, points)
        claims, keys = [], []
        for i, c in enumerate(cl):
            ns, ne, nxs, nxe = pos[c["rs"]], pos[c["re"]], pos[c["rxs"]], pos[c["rxe"]]
            ctext = new_text[ns:ne]
            value, low, high = figs.get(i, (c["value"], c["low"], c["high"]))
            if i in dates:
                date, date_end = dates[i][0], None
            elif c["relative"]:
                date = date_end = None
            else:
                date, date_end = _add_years(c["date"], ys), _add_years(c["date_end"], ys)
            spk = c["speaker_entity_id"]
            if spk is not None:
                spk = entity_for(spk)["id"] if spk in sd.mappable else self.generic_id.get(spk)
            details = c["details"]
            if details and "label" in details:
                details = dict(details, label=sd.token_re.sub(lambda m: repl(m, names), details["label"]))
            subject = sd.token_re.sub(lambda m: repl(m, names), c["subject"]) if c["subject"] else None
            claims.append((c["kind"], ns, ne, nxs, nxe, ctext, value, low, high, c["unit"], c["qualifier"],
                           date.isoformat() if date else None, date_end.isoformat() if date_end else None,
                           c["date_precision"], int(bool(c["relative"])), _relspec(c) if c["relative"] else None,
                           subject, spk, None,
                           json.dumps(details, ensure_ascii=False) if details is not None else None))
            keys.append((value, low, high) if c["kind"] == "quantity" else
                        (date.isoformat() if date else None) if c["kind"] == "date" and not c["relative"] else
                        ctext if c["kind"] in ("quote", "attribution") else None)
        tel = Telling(story, t, new_text, claims, keys)
        if names:
            (key, bad), = names.items()
            for i, c in enumerate(claims):
                ex = new_text[c[3]:c[4]]
                if bad in ex:
                    full = alias_full if alias_full != key and alias_full.replace(key, bad) in ex else None
                    main, other = (full, full.replace(key, bad)) if full else (key, bad)
                    tel.alias = (main, other, i)
                    story.alias = tel
                    break
        return tel

    # ------------------------------------------------------------------ dense blocks

    def _sentence(self, parts, claims, start):
        """Join literal strings and (claim text, fields) pieces; record each piece as a claim of the sentence."""
        text, pos, spans = [], start, []
        for p in parts:
            if isinstance(p, str):
                text.append(p)
                pos += len(p)
            else:
                ctext, f = p
                spans.append((pos, pos + len(ctext), ctext, f))
                text.append(ctext)
                pos += len(ctext)
        for a, b, ctext, f in spans:
            claims.append((f["kind"], a, b, start, pos, ctext, f.get("value"), f.get("low"), f.get("high"),
                           f.get("unit"), f.get("qualifier"), f.get("date"), f.get("date_end"), f.get("precision"),
                           int(f.get("relative", 0)), f.get("relspec"), f.get("subject"), f.get("speaker"), None,
                           json.dumps(f["details"], ensure_ascii=False) if f.get("details") is not None else None))
        return "".join(text)

    def table_block(self, sec_date: dt.date):
        """A staff table: header line and 3-8 rows of 4 quantity claims; returns (text, claims, wrong rows)."""
        rng = self.rng
        y2 = sec_date.year - rng.randint(0, 1)
        y1 = y2 - rng.randint(2, 4)
        unit = rng.choice(("FTE", "staff", "posts", "officers"))
        header = (f"{rng.choice(('CRC', 'Area', 'Division', 'Region'))} Employed staff {unit} {y1} "
                  f"Employed staff {unit} {y2} Difference {unit} % Change")
        text = [header, "\n\n"]
        pos = len(header) + 2
        claims, wrong = [], []
        places = rng.sample(PLACES, rng.randint(3, 8))
        for place in places:
            a = rng.randint(60, 900)
            b = round(a * rng.uniform(0.45, 0.95))
            d = a - b
            pct = round(d / a * 100)
            bad = None
            if rng.random() < TABLE_ROW_WRONG:
                if rng.random() < 0.7:
                    pct = max(1, pct + rng.choice((-4, -3, -2, -1, 1, 2, 3, 4)))
                    bad = "percent_change"
                else:
                    d = d + rng.choice((-12, -5, -2, 2, 5, 12))
                    bad = "difference"
            pad = "\xa0 " * rng.randint(1, 8)
            row_start = pos
            cells = [(str(a), a, unit), (str(b), b, unit), (str(d), d, unit), (f"{pct}%", pct, "%")]
            line = place + pad
            offs = []
            for k, (s, v, u) in enumerate(cells):
                offs.append((row_start + len(line), s, v, u, k + 1))
                line += s + (" " if k < 3 else "\xa0")
            row_end = row_start + len(line) - 1
            first = len(claims)
            det = {"header": header}
            for cs, s, v, u, col in offs:
                claims.append(("quantity", cs, cs + len(s), row_start, row_end, s, float(v), None, None, u, None,
                               None, None, None, 0, None, place, None, None,
                               json.dumps({"table_row": place, "column": col, **det}, ensure_ascii=False)))
            if bad:
                wrong.append((first, place, header, bad, a, b, d, pct, len(places)))
            text.append(line + "\n")
            pos += len(line) + 1
        self.stats["tables"] += 1
        return "".join(text), claims, wrong

    def brief_block(self, kind: str, sec_date: dt.date):
        """A short news-brief paragraph of 2-5 sentences of one claim kind; returns (text, claims)."""
        rng = self.rng
        claims, out, pos = [], [], 0
        for _ in range(rng.randint(2, 5)):
            s = self._brief_sentence(kind, sec_date, claims, pos)
            out.append(s)
            pos += len(s) + 1
        self.stats["briefs"] += 1
        return " ".join(out), claims

    def _brief_sentence(self, kind, sec_date, claims, start):
        """One generated sentence with its claims."""
        rng = self.rng
        org = rng.choice(self.orgs)["name"]
        place = rng.choice(PLACES)
        if kind == "quantity":
            t = rng.randrange(5)
            unit = rng.choice(UNITS)
            n = rng.choice((rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 60000)))
            if t == 0:
                parts = [f"{org} said it supervised ", (f"{n:,} {unit}", dict(kind="quantity", value=float(n),
                         unit=unit, subject=f"{place}: {unit}")), f" in {place} last year."]
            elif t == 1:
                parts = [(f"More than {n:,} {unit}", dict(kind="quantity", value=float(n), low=float(n), unit=unit,
                          qualifier="at_least", subject=f"{place}: {unit}")),
                         f" are now managed by {org} across {place}."]
            elif t == 2:
                p = rng.randint(3, 97)
                grp, st = rng.choice(GROUPS), rng.choice(STATES)
                parts = ["Inspectors found that ", (f"around {p}%", dict(kind="quantity", value=float(p), unit="%",
                         qualifier="approx", subject=f"{grp} {st}")), f" of {grp} in {place} were {st}."]
            elif t == 3:
                x = rng.randint(3, 900)
                yrs = rng.randint(2, 10)
                parts = ["The contract is worth ", (f"£{x} million", dict(kind="quantity", value=x * 1e6, unit="GBP",
                         subject=f"contract: {org}")), " over ", (f"{yrs} years", dict(kind="quantity",
                         value=float(yrs), unit="years", subject="contract: years")), f", according to {org}."]
            else:
                lo = rng.randint(20, 90)
                hi = lo + rng.randint(5, 40)
                parts = [f"Officers in {place} now hold ", (f"{lo}-{hi} cases", dict(kind="quantity", low=float(lo),
                         high=float(hi), unit="cases", subject=f"officers in {place}: cases",
                         details={"range": True})), " each, and ", (f"{n:,} {unit}", dict(kind="quantity",
                         value=float(n), unit=unit, subject=f"{place}: {unit}")), " are waiting to be allocated."]
        elif kind == "date":
            t = rng.randrange(4)
            doc = rng.choice(DOCS)
            d = sec_date - dt.timedelta(days=rng.randint(1, 400))
            if t == 0:
                parts = [f"The {doc} was published on ", (_long_date(d), dict(kind="date", date=d.isoformat(),
                         precision="day", subject=f"{doc} was published")), f" by {org}."]
            elif t == 1:
                d2 = _add_months(sec_date, rng.randint(1, 14))
                parts = [f"{org} will launch its new {doc} in ", (f"{MONTHS[d2.month - 1]} {d2.year}",
                         dict(kind="date", date=d2.isoformat(), date_end=_month_end(d2).isoformat(),
                              precision="month", subject=f"launch its new {doc}")), "."]
            elif t == 2:
                y = sec_date.year - rng.randint(2, 8)
                parts = [f"The {place} contracts were signed in ", (str(y), dict(kind="date", date=f"{y}-01-01",
                         date_end=f"{y}-12-31", precision="year", subject=f"{place} contracts were signed")),
                         f" and {org} took over the service."]
            else:
                word, spec = rng.choice((("today", ("days", 0, None)), ("yesterday", ("days", -1, None)),
                                         ("earlier this month", ("month", 0, None)), ("last week", ("week", -7, None)),
                                         ("next month", ("month", 1, None)), ("last year", ("year", -1, None))))
                prec = {"days": "day", "month": "month", "week": "week", "year": "year"}[spec[0]]
                parts = [f"{org} published its {doc} ", (word, dict(kind="date", relative=1, relspec=spec,
                         precision=prec, subject=f"published its {doc}")), "."]
        elif kind == "quote":
            who = rng.choice(self.speakers)
            q = rng.choice(self.sd.quotes)
            if rng.random() < 0.2:
                q = _vary_quote(q, self.sd.vocab, rng)
            end = "." if q[-1] not in ".!?" else ""
            if who["kind"] == "person" and rng.random() < 0.5:
                role = f", {who['role']}" if who["role"] else ""
                parts = ["“", (q, dict(kind="quote", speaker=who["id"], details={"verb": "said", "how": "after"})),
                         f"”, said {who['name']}{role}."]
            else:
                parts = [f"{who['name']} said: “", (q + end, dict(kind="quote", speaker=who["id"],
                         details={"verb": "said", "how": "before"})), "”"]
        else:
            who = rng.choice(self.speakers)
            a = rng.choice(self.sd.attrs)
            verb = rng.choice(VERBS_ATTR)
            if rng.random() < 0.7:
                parts = [f"{who['name']} {verb} that ", (a, dict(kind="attribution", speaker=who["id"],
                         details={"verb": verb.split()[0]})), "."]
            else:
                parts = [f"According to {who['name']}, ", (a, dict(kind="attribution", speaker=who["id"],
                         details={"verb": "according to"})), "."]
        return self._sentence(parts, claims, start)

    # ------------------------------------------------------------------ sources

    def run(self, conn: sqlite3.Connection) -> dict:
        """Generate everything and insert it; return the counts."""
        rng, n = self.rng, self.n
        t0 = time.perf_counter()
        pool_target = int(n * POOL_SHARE)
        self.stories: list[Story] = []
        pool: list[Telling] = []
        made = 0
        while made < pool_target:
            st = self.make_story(len(self.stories))
            self.stories.append(st)
            pool.extend(st.tellings)
            made += sum(len(t.claims) for t in st.tellings)
        self.stats["pool_tellings"] = len(pool)
        self.stats["pool_seconds"] = round(time.perf_counter() - t0, 2)
        order: list[int] = []

        def next_telling() -> Telling:
            if not order:
                order.extend(range(len(pool)))
                rng.shuffle(order)
            return pool[order.pop()]

        self.target_kinds = {k: self.sd.kind_share.get(k, 0.0) for k in ("quantity", "date", "quote", "attribution")}
        self.arith: list[tuple] = []
        self.source_paths: list[str] = []
        self.source_ids: list[int] = []
        self.claim_id = 0
        self.section_id = 0
        self.total_chars = 0
        self.decisions: list[tuple] = []
        claim_sql = f"INSERT INTO claim ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        rows: list[tuple] = []
        counts = Counter()
        src = 0
        while self.claim_id < n:
            src_rows, sec_rows, text = self._source(src, next_telling, rows)
            counts["sections"] += len(sec_rows)
            conn.execute("INSERT INTO source (id, path, sha256, fmt, title, publisher, author, published, "
                         "published_evidence, published_start, text, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                         src_rows)
            conn.executemany("INSERT INTO section (id, source_id, ordinal, heading, dated, dateline_start, "
                             "dateline_end, start, end) VALUES (?,?,?,?,?,?,?,?,?)", sec_rows)
            if len(rows) >= 50_000:
                conn.executemany(claim_sql, rows)
                rows.clear()
            src += 1
        if rows:
            conn.executemany(claim_sql, rows)
        self.stats["claims_seconds"] = round(time.perf_counter() - t0, 2)
        conn.executemany("INSERT INTO entity (id, kind, name, role) VALUES (?,?,?,?)", self.entity_rows)
        conn.executemany("INSERT INTO alias (id, entity_id, text) VALUES (?,?,?)", self.alias_rows)
        flags, members = self._flags()
        conn.executemany("INSERT INTO flag (id, type, subject, summary, score, explanation, details, fingerprint, "
                         "status, note, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)", flags)
        conn.executemany("INSERT INTO flagmember (id, flag_id, claim_id, role) VALUES (?,?,?,?)", members)
        conn.executemany("INSERT INTO decision (at, reviewer, target, target_id, fingerprint, field, old, new, note) "
                         "VALUES (?,?,?,?,?,?,?,?,?)", self.decisions)
        return {"sources": src, "sections": counts["sections"], "entities": len(self.entity_rows),
                "claims": self.claim_id, "flags": len(flags), "members": len(members),
                "decisions": len(self.decisions), "text_mb": round(self.total_chars / MB, 1)}

    def _claim_status(self, k: int):
        """Statuses for k claims (mostly unreviewed)."""
        rng = self.rng
        out = []
        for _ in range(k):
            r = rng.random()
            if r < 0.9:
                out.append(None)
            else:
                r -= 0.9
                for s, w in CLAIM_REVIEWED.items():  # noqa: B007 (s is the status the loop stops at)
                    if r < w:
                        break
                    r -= w
                out.append(s)
        return out

    def _place(self, claims, off, src_id, sec_id, sec_date, rows, limit=None) -> int:
        """Append claim rows for templates placed at offset off; return the first claim id."""
        rng = self.rng
        first = self.claim_id + 1
        take = claims if limit is None or limit >= len(claims) else claims[:limit]
        statuses = self._claim_status(len(take))
        salt = self.claim_salt
        cid = self.claim_id
        ingested = self.ingested
        kinds = self.kinds
        for (kind, rs, re_, rxs, rxe, text, value, low, high, unit, qual, date, date_end, prec, rel, spec, subject,
             spk, qt, details), status in zip(take, statuses, strict=False):
            cid += 1
            rel_to = None
            if rel:
                rel_to = sec_date.isoformat()
                date, date_end = _resolve(spec, sec_date)
            fp = "%020x" % ((cid * 0x9E3779B97F4A7C15F39D + salt) & _MASK80)
            kinds[kind] += 1
            if status is None:
                rows.append((cid, src_id, sec_id, kind, off + rs, off + re_, text, off + rxs, off + rxe, value, low,
                             high, unit, qual, date, date_end, prec, rel, rel_to, subject, spk, qt, details, fp,
                             "unreviewed", None, 1, ingested))
            else:
                note = rng.choice(CLAIM_NOTES) if rng.random() < 0.3 else None
                at = self.now + dt.timedelta(minutes=rng.randint(5, 60 * 24 * 30))
                when = at.strftime("%Y-%m-%d %H:%M:%S.%f")
                who = rng.choice(REVIEWERS)
                self.decisions.append((when, who, "claim", cid, fp, "status", "unreviewed", status, note))
                if note:
                    self.decisions.append((when, who, "claim", cid, fp, "note", None, note, note))
                rows.append((cid, src_id, sec_id, kind, off + rs, off + re_, text, off + rxs, off + rxe, value, low,
                             high, unit, qual, date, date_end, prec, rel, rel_to, subject, spk, qt, details, fp,
                             status, note, 2 + (note is not None), when))
        self.claim_id = cid
        return first

    def _source(self, src: int, next_telling, rows):
        """Assemble one source: title, dated sections and blocks until its size; append its claim rows."""
        rng, n = self.rng, self.n
        src_id = src + 1
        size = rng.uniform(*SOURCE_CHARS)
        nsec = rng.choices((1, 2, 3, 4, 5, 6), (0.3, 0.2, 0.15, 0.15, 0.1, 0.1))[0]
        cuts = sorted(rng.uniform(0.1, 0.95) * size for _ in range(nsec - 1)) + [size]
        org = rng.choice(self.orgs)["name"]
        place = rng.choice(PLACES)
        title = rng.choice(TITLES + tuple(self.sd.titles)).format(org=org, place=place)
        parts = [title, "\n\n"]
        pos = len(title) + 2
        date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))
        sec_rows = []
        published = None
        kinds, target, total_chars = self.kinds, self.target_kinds, self.total_chars
        for k in range(nsec):
            if self.claim_id >= n:
                break
            if k:
                date = date - dt.timedelta(days=rng.randint(1, 150))
            sec_start = 0 if k == 0 else pos
            dateline = _long_date(date, weekday=rng.random() < 0.6)
            dl_start = pos
            parts += [dateline, "\n\n"]
            pos += len(dateline) + 2
            heading = rng.choice(HEADINGS + tuple(self.sd.headings[:3])).format(org=rng.choice(self.orgs)["name"],
                                                                                  place=rng.choice(PLACES))
            parts += [heading, "\n\n"]
            pos += len(heading) + 2
            self.section_id += 1
            sec_id = self.section_id
            if published is None:
                published = (date.isoformat(), dateline, dl_start)
            dl_claim = [("date", 0, len(dateline), 0, len(dateline), dateline, None, None, None, "date", None,
                         date.isoformat(), None, "day", 0, None, "dateline", None, None, None)]
            self._place(dl_claim, dl_start, src_id, sec_id, date, rows)
            while pos < cuts[k] and self.claim_id < n:
                left = n - self.claim_id
                if self.claim_id < DENSITY * (total_chars + pos):
                    have = sum(kinds.values()) or 1
                    kind = max(target, key=lambda x: target[x] - kinds[x] / have)
                    if kind == "quantity" and rng.random() < 0.6:
                        block, claims, wrong = self.table_block(date)
                        first = self._place(claims, pos, src_id, sec_id, date, rows, left)
                        for w in wrong:
                            if w[0] + 4 <= left:
                                self.arith.append((src, first + w[0], w))
                    else:
                        block, claims = self.brief_block(kind, date)
                        self._place(claims, pos, src_id, sec_id, date, rows, left)
                    what = "table" if kind == "quantity" and block.startswith(("CRC", "Area", "Div", "Reg")) else kind
                    self.stats[f"claims_{what}"] += min(left, len(claims))
                    self.stats[f"chars_{what}"] += len(block) + 2
                else:
                    tel = next_telling()
                    block = tel.text
                    first = self._place(tel.claims, pos, src_id, sec_id, date, rows, left)
                    tel.placements.append((src, first, min(left, len(tel.claims))))
                    self.stats["claims_passage"] += min(left, len(tel.claims))
                    self.stats["chars_passage"] += len(block) + 2
                parts += [block, "\n\n"]
                pos += len(block) + 2
            sec_rows.append([sec_id, src_id, k, heading, date.isoformat(), dl_start, dl_start + len(dateline),
                             sec_start, pos])
        text = "".join(parts).rstrip("\n") + "\n"
        sec_rows[-1][-1] = len(text)
        self.total_chars += len(text)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        path = f"bench/{src_id:06d}_{sha[:16]}.txt"
        self.source_paths.append(path)
        src_row = (src_id, path, sha, "txt", title, None, None, published[0], published[1], published[2], text,
                   self.ingested)
        return src_row, [tuple(r) for r in sec_rows], text

    # ------------------------------------------------------------------ flags

    def _instances(self, story: Story, j: int) -> list[tuple]:
        """(source index, claim id, telling) of every placed copy of a story's claim j."""
        return [(s, c0 + j, t) for t in story.tellings for s, c0, k in t.placements if j < k]

    def _pick(self, inst: list[tuple], k: int, key=None) -> list[tuple]:
        """Up to k instances from distinct sources (with two different keys first when key is given)."""
        rng = self.rng
        inst = inst[:]
        rng.shuffle(inst)
        out, seen = [], set()
        if key is not None:
            by = defaultdict(list)
            for x in inst:
                by[key(x)].append(x)
            groups = list(by.values())
            rng.shuffle(groups)
            for g in groups[:2]:
                for x in g:
                    if x[0] not in seen:
                        out.append(x)
                        seen.add(x[0])
                        break
            if len({key(x) for x in out}) < 2:
                return []
        for x in inst:
            if len(out) >= k:
                break
            if x[0] not in seen:
                out.append(x)
                seen.add(x[0])
        return out

    def _flags(self):
        """~3% of n flags of the five types, built from the placed tellings and the wrong table rows."""
        rng = self.rng
        total = round(FLAG_SHARE * self.n)
        cands = defaultdict(list)
        for st in self.stories:
            if not any(t.placements for t in st.tellings):
                continue
            for j, kind in enumerate(st.kinds):
                if kind == "attribution":
                    continue
                keys = {t.keys[j] for t in st.tellings if t.placements}
                if kind == "quantity" and keys != {None}:
                    if len(keys) >= 2:
                        cands["conflict"].append((st, j))
                    cands["repeat"].append((st, j))
                elif kind == "date" and None not in keys and len(keys) >= 2:
                    cands["conflict"].append((st, j))
                elif kind == "quote":
                    if len(keys) >= 2:
                        cands["quote_variant"].append((st, j))
                    else:
                        cands["repeat"].append((st, j))
            if st.alias is not None and st.alias.placements and any(
                    t.placements for t in st.tellings if t is not st.alias):
                cands["alias"].append((st, None))
        cands["arithmetic"] = list(self.arith)
        for v in cands.values():
            rng.shuffle(v)
        quota = {t: round(total * w) for t, w in FLAG_MIX.items()}
        flags, members = [], []
        made = Counter()
        builders = {"conflict": self._conflict, "quote_variant": self._quote_variant, "repeat": self._repeat,
                    "alias": self._alias, "arithmetic": self._arithmetic}
        for second in (False, True):  # the quotas first, then any type with candidates left fills the gap
            for typ in FLAG_MIX:
                while cands[typ] and len(flags) < total and (second or made[typ] < quota[typ]):
                    got = builders[typ](cands[typ].pop())
                    if got:
                        self._store_flag(typ, got, flags, members)
                        made[typ] += 1
        self.stats.update({f"flags_{k}": v for k, v in made.items()})
        return flags, members

    def _store_flag(self, typ, got, flags, members):
        """Append a flag row with its member rows, status and any decisions."""
        rng = self.rng
        subject, summary, score, explanation, details, mem = got
        fid = len(flags) + 1
        fp = fingerprint(fid, self.flag_salt)
        r = rng.random()
        status, note, version = "open", None, 1
        if r < FLAG_DECIDED["confirmed"]:
            status = "confirmed"
        elif r < FLAG_DECIDED["confirmed"] + FLAG_DECIDED["dismissed"]:
            status = "dismissed"
        if status != "open":
            who = rng.choice(REVIEWERS)
            when = (self.now + dt.timedelta(minutes=rng.randint(5, 60 * 24 * 30))).strftime("%Y-%m-%d %H:%M:%S.%f")
            self.decisions.append((when, who, "flag", fid, fp, "status", "open", status, None))
            version += 1
            if rng.random() < 0.3:
                note = rng.choice(FLAG_NOTES)
                self.decisions.append((when, who, "flag", fid, fp, "note", None, note, note))
                version += 1
            if status == "confirmed" and typ == "conflict" and rng.random() < 0.5:
                cid = mem[0][0]
                details = dict(details, correct={"claim_id": cid, "fingerprint": fingerprint(cid, self.claim_salt)})
        flags.append((fid, typ, subject[:300], summary[:500], round(score, 3), explanation,
                      json.dumps(details, ensure_ascii=False), fp, status, note, version))
        for cid, role in mem:
            members.append((len(members) + 1, fid, cid, role))

    def _speaker(self, tel: Telling, j: int) -> str:
        """The name of the speaker of a telling's claim j."""
        spk = tel.claims[j][17]
        return self.ent[spk]["name"] if spk in self.ent else "unattributed"

    def _conflict(self, cand):
        """Figures (or dates) of one story's claim that differ between tellings, from different sources."""
        st, j = cand
        inst = self._pick(self._instances(st, j), self.rng.randint(2, 5), key=lambda x: x[2].keys[j])
        if len(inst) < 2:
            return None
        paths = self.source_paths
        if st.kinds[j] == "date":
            dates = sorted({x[2].keys[j] for x in inst})
            subj = st.tellings[0].claims[j][16] or "event"
            parts = [f"{dt.date.fromisoformat(x[2].keys[j]).strftime('%-d %B %Y')} in {paths[x[0]]}" for x in inst]
            summary = " vs ".join(dt.date.fromisoformat(d).strftime("%-d %B %Y") for d in dates)
            explanation = (f"Sources date the same event differently: {'; '.join(parts)}. "
                           "Relative dates are resolved against the date of the page that uses them.")
            return (f"date the {subj}", summary, min(1.0, 0.7 + 0.1 * len(dates)), explanation,
                    {"dates": dates}, [(x[1], "value") for x in inst])
        a, b = inst[0], inst[1]
        ta, tb = a[2].claims[j], b[2].claims[j]
        subject = ta[16] or ta[9] or "figure"
        by_value = defaultdict(list)
        for x in inst:
            by_value[x[2].claims[j][5]].append(paths[x[0]])
        summary = " vs ".join(f"{v} ({', '.join(ps[:2])}{'…' if len(ps) > 2 else ''}"
                              f"{f', {len(ps)} statements' if len(ps) > 1 else ''})" for v, ps in by_value.items())
        apart = self.rng.random() < 0.15
        explanation = (f"{len(inst)} statements give {ta[9] or 'a value'} for {subject}; {ta[5]} ({paths[a[0]]}) "
                       f"and {tb[5]} ({paths[b[0]]}) cannot both hold once qualifiers and rounding are respected.")
        if apart:
            explanation += " They speak of different years, so each may have been true at its time."
        score = self.rng.uniform(0.5, 1.0) * (0.6 if apart else 1.0)
        return (subject, summary, max(0.5, score), explanation, {"dated_differently": apart, "statements": len(inst)},
                [(x[1], "value") for x in inst])

    def _quote_variant(self, cand):
        """One speaker's quote in two or more wordings, with the word diff of the first two."""
        from rapidfuzz import fuzz

        from factcheck.match.quotes import changes_in_context, word_diff, words
        st, j = cand
        inst = self._pick(self._instances(st, j), self.rng.randint(2, 5), key=lambda x: x[2].keys[j])
        if len(inst) < 2:
            return None
        a, b = inst[0], inst[1]
        wa, wb = words(a[2].claims[j][5]), words(b[2].claims[j][5])
        changes = changes_in_context(wa, wb)
        if not changes:
            return None
        speaker = self._speaker(a[2], j)
        paths = self.source_paths
        shown = "; ".join(f"'{x or '—'}' vs '{y or '—'}'" for x, y in changes[:3])
        summary = f"{speaker}: {shown}" + (f" (+{len(changes) - 3} more)" if len(changes) > 3 else "")
        sources = sorted({paths[x[0]] for x in inst})
        explanation = (f"{speaker} is quoted in near-identical words in {', '.join(sources)} "
                       f"({len(changes)} change{'s' if len(changes) != 1 else ''} between {paths[a[0]]} and "
                       f"{paths[b[0]]}: {shown}).")
        score = max(0.5, fuzz.ratio(" ".join(wa), " ".join(wb)) / 100)
        return (f"quote by {speaker}", summary, score, explanation,
                {"diff": word_diff(wa, wb), "versions": len(inst)}, [(x[1], "version") for x in inst])

    def _repeat(self, cand):
        """The same figure (or the same words) in two or more sources; copies of one telling are verbatim."""
        st, j = cand
        inst = self._instances(st, j)
        by = defaultdict(list)
        for x in inst:
            by[x[2].keys[j]].append(x)
        group = max(by.values(), key=lambda g: len({x[0] for x in g}))
        inst = self._pick(group, self.rng.randint(2, 5))
        if len(inst) < 2:
            return None
        paths = self.source_paths
        sources = sorted({paths[x[0]] for x in inst})
        first = inst[0][2].claims[j]
        roles, seen_ex = [], set()
        for x in inst:  # a passage whose excerpt another member already has word for word is a copy
            c = x[2].claims[j]
            ex = x[2].text[c[3]:c[4]]
            roles.append((x[1], "copy" if ex in seen_ex and len(ex) > 60 else "statement"))
            seen_ex.add(ex)
        copies = sum(1 for _, r in roles if r == "copy")
        score = self.rng.uniform(0.5, 1.0)
        if st.kinds[j] == "quote":
            speaker = self._speaker(inst[0][2], j)
            return (f"statement by {speaker}", f"the same words stated {len(inst)} times in {len(sources)} source(s)",
                    score, f"{speaker} is quoted word for word in {', '.join(sources)}.", {"sources": len(sources)},
                    [(cid, "statement") for cid, _ in roles])
        explanation = (f"The same figure ({first[5]}) appears in {', '.join(sources)}."
                       + (f" {copies} of the passages {'is a verbatim copy' if copies == 1 else 'are verbatim copies'}"
                          " of another, not independent corroboration." if copies else
                          " The passages are worded independently."))
        return (first[16] or first[5], f"{first[5]} stated {len(inst)} times in {len(sources)} source(s)", score,
                explanation, {"sources": len(sources), "copies": copies}, roles)

    def _alias(self, cand):
        """A name and its misspelling, one claim for each, from different sources."""
        st, _ = cand
        tel = st.alias
        main, other, j = tel.alias
        bad = self._pick([(s, c0 + j, tel) for s, c0, k in tel.placements if j < k], 1)
        good = [(s, c0 + j, t) for t in st.tellings if t is not tel for s, c0, k in t.placements if j < k]
        good = [x for x in good if main in x[2].text[x[2].claims[j][3]:x[2].claims[j][4]]]
        if not bad or not good:
            return None
        good = [x for x in good if x[0] != bad[0][0]]
        if not good:
            return None
        g = self.rng.choice(good)
        n_main = sum(len(t.placements) for t in st.tellings if t is not tel)
        n_other = len(tel.placements)
        summary = f"{main} ({n_main}×) vs {other} ({n_other}×)"
        explanation = (f"'{main}' and '{other}' look like one name written two ways (spellings one or two letters "
                       "apart); confirm to treat them as the same entity.")
        score = 0.6 + 0.2 * (n_main > 1)
        return (main, summary, score, explanation, {"variants": [main, other], "how": "spelling"},
                [(g[1], f"variant: {main}"), (bad[0][1], f"variant: {other}")])

    def _arithmetic(self, cand):
        """A table row whose difference or % change does not follow from its first two columns."""
        src, first, (_, place, header, bad, a, b, d, pct, n_rows) = cand
        computed = round((a - b) / a * 100, 4)
        if bad == "percent_change":
            rel = {"relation": "percent_change", "columns": [1, 2, 4], "computed": computed, "stated": float(pct)}
            summary = f"{place}: {a - b} / {a} = {computed:.1f}%, stated {pct}%"
            pct_s = f"{computed:.2f}".rstrip("0").rstrip(".")
            expl = (f"In table row {place}, the difference {a - b} is {pct_s}% of {a} (rounds to {round(computed)}%) "
                    f"but the row states {pct}%.")
            col, subject = 4, f"% Change in table row {place}"
        else:
            rel = {"relation": "difference", "columns": [1, 2, 3], "computed": float(a - b), "stated": float(d)}
            summary = f"{place}: {a} - {b} = {a - b}, stated {d}"
            expl = f"In table row {place}, {a} - {b} = {a - b} but the row states {d}."
            col, subject = 3, f"Difference in table row {place}"
        expl += f" {n_rows - 1} of the table's {n_rows} rows follow this rule."
        details = {"check": "table_row", "row": place, "header": header, "relations": [rel],
                   "inconsistent_columns": [col], "rows_obeying": n_rows - 1, "rows": n_rows}
        mem = [(first + k, "inconsistent" if k + 1 == col else "row_cell") for k in range(4)]
        return subject, summary, self.rng.uniform(0.9, 0.98), expl, details, mem


# ---------------------------------------------------------------------------------------------
# Build, cache, CLI
# ---------------------------------------------------------------------------------------------

def _remove(path: Path) -> None:
    """Delete a database file with its WAL/SHM/journal companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def build(path: str, n_claims: int, seed: int = 0) -> dict:
    """Create a fresh factcheck SQLite database at path with n_claims claims; return counts, seconds and MB.

    The file is built beside path under a temporary name and then moved over any existing database (whose
    -wal/-shm are deleted), so a reader that has the old file open is not disturbed."""
    t0 = time.perf_counter()
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f"{p.name}.{os.getpid()}.building")
    _remove(tmp)
    try:
        out = _build(tmp, n_claims, seed)
    except BaseException:
        _remove(tmp)
        raise
    _remove(p)
    os.replace(tmp, p)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    out["mb"] = round(sum(Path(str(p) + s).stat().st_size for s in ("", "-wal") if Path(str(p) + s).exists()) / MB, 1)
    return out


def _build(p: Path, n_claims: int, seed: int) -> dict:
    """Build the database at p (which must not exist)."""
    from factcheck.db import make_engine
    t0 = time.perf_counter()
    engine = make_engine(str(p))
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        conn.isolation_level = None
        indexes = [(name, sql) for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")]
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")
        conn.execute("PRAGMA temp_store=MEMORY")
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        builder = Builder(n_claims, seed)
        conn.execute("BEGIN")
        counts = builder.run(conn)
        t_rows = time.perf_counter() - t0
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute(f"CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
        meta = {"generator": GENERATOR_VERSION, "n_claims": n_claims, "seed": seed, "seeds_sha256": builder.sd.sha,
                "built_at": builder.ingested, **counts}
        conn.executemany(f"INSERT INTO {META_TABLE} VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()
        engine.dispose()
    out = {k: counts[k] for k in ("sources", "sections", "entities", "claims", "flags", "members")}
    out.update(seconds=None, mb=None, decisions=counts["decisions"], text_mb=counts["text_mb"],
               rows_seconds=round(t_rows, 1), stats=dict(builder.stats), kinds=dict(builder.kinds))
    return out


def check(path: str | Path) -> dict:
    """Verify a built database: every claim's text is text[start:end] inside its excerpt and its section,
    fingerprints are unique, and flag members exist (from different sources except arithmetic); counts problems."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    bad = Counter()
    sections = defaultdict(list)
    for sid, src, start, end in con.execute("SELECT id, source_id, start, end FROM section"):
        sections[src].append((start, end, sid))
    for src, text in con.execute("SELECT id, text FROM source"):
        secs = {sid: (a, b) for a, b, sid in sections[src]}
        for _cid, sec, s, e, t, xs, xe in con.execute(
                "SELECT id, section_id, start, end, text, excerpt_start, excerpt_end FROM claim WHERE source_id=?",
                (src,)):
            bad["claims"] += 1
            if text[s:e] != t:
                bad["text_mismatch"] += 1
            if not (0 <= xs <= s <= e <= xe <= len(text)):
                bad["excerpt_outside"] += 1
            a, b = secs.get(sec, (-1, -1))
            if not (a <= s and e <= b):
                bad["outside_section"] += 1
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    bad["duplicate_claim_fingerprints"] = q("SELECT count(*) - count(DISTINCT fingerprint) FROM claim")
    bad["duplicate_flag_fingerprints"] = q("SELECT count(*) - count(DISTINCT fingerprint) FROM flag")
    bad["members_missing_claim"] = q("SELECT count(*) FROM flagmember m LEFT JOIN claim c ON c.id = m.claim_id "
                                     "WHERE c.id IS NULL")
    bad["flags_sharing_a_source"] = q(
        "SELECT count(*) FROM (SELECT m.flag_id FROM flagmember m JOIN claim c ON c.id = m.claim_id "
        "JOIN flag f ON f.id = m.flag_id WHERE f.type != 'arithmetic' GROUP BY m.flag_id "
        "HAVING count(DISTINCT c.source_id) < count(*))")
    bad["flags_with_lt2_members"] = q("SELECT count(*) FROM flag f WHERE (SELECT count(*) FROM flagmember m "
                                      "WHERE m.flag_id = f.id) < 2")
    bad["foreign_key_errors"] = len(con.execute("PRAGMA foreign_key_check").fetchall())
    con.close()
    return dict(bad)


def read_meta(path: str | Path) -> dict | None:
    """The generator metadata stored in a built database, or None if it is missing or unreadable."""
    p = Path(path)
    if not p.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        try:
            rows = con.execute(f"SELECT key, value FROM {META_TABLE}").fetchall()
        finally:
            con.close()
        return {k: json.loads(v) for k, v in rows}
    except (sqlite3.Error, ValueError):
        return None


def cached(n_claims: int, seed: int = 0, folder: str = "bench/out") -> str:
    """Path of bench/out/tui_{n}.db (seed 0) or tui_{n}_s{seed}.db, built only if missing or stale."""
    base = Path(folder)
    if not base.is_absolute():
        base = ROOT / base
    name = f"tui_{n_claims}.db" if seed == 0 else f"tui_{n_claims}_s{seed}.db"
    path = base / name
    meta = read_meta(path)
    if (meta and meta.get("generator") == GENERATOR_VERSION and meta.get("n_claims") == n_claims
            and meta.get("seed") == seed and meta.get("seeds_sha256") == seeds().sha):
        return str(path)
    build(str(path), n_claims, seed)
    return str(path)


def main(argv=None) -> int:
    """CLI: build one database and print its counts and time."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--claims", type=int, default=10_000, help="number of claims (default 10000)")
    ap.add_argument("--out", help="database path (default bench/out/tui_{claims}.db)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cached", action="store_true", help="reuse bench/out/tui_{claims}.db when it is current")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--check", action="store_true", help="verify every claim's offsets after building")
    args = ap.parse_args(argv)
    if args.cached:
        t0 = time.perf_counter()
        path = cached(args.claims, args.seed)
        print(f"{path} ({time.perf_counter() - t0:.1f} s)")
        return 0
    out = args.out or str(ROOT / "bench" / "out" / f"tui_{args.claims}.db")
    res = build(out, args.claims, args.seed)
    if args.json:
        print(json.dumps({"path": out, **res}, indent=1))
        return 0
    print(f"{out}")
    print(f"  sources {res['sources']:,}  sections {res['sections']:,}  entities {res['entities']:,}  "
          f"claims {res['claims']:,}  flags {res['flags']:,}  members {res['members']:,}  "
          f"decisions {res['decisions']:,}")
    print(f"  kinds {res['kinds']}")
    print(f"  text {res['text_mb']} MB, file {res['mb']} MB, {res['seconds']} s "
          f"(rows {res['rows_seconds']} s, indexes and commit {res['seconds'] - res['rows_seconds']:.1f} s)")
    print(f"  stats {res['stats']}")
    if args.check:
        t0 = time.perf_counter()
        print(f"  check {check(out)} ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
