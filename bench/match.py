"""Matching benchmark: time and memory of `find_flags` on 10k, 100k and 1M synthetic claims, beside naive all-pairs.

What is measured (figures are printed, nothing is asserted):

* claim sets -- the seeds are ingested once into a temporary SQLite file and loaded with `load_records`
                (~400 ClaimRecords).  A claim set of N records is made of "stories": a story is a run of
                6-30 consecutive seed records of one section, with its own mapping of every name
                (capitalised token / acronym) to a generated pseudo-name, ~70% of its content words to
                other seed words, years shifted, and new figures.  Each story is told 1-5 times
                ("tellings"), each telling a new section of a random synthetic source (N/300 sources),
                keeping ~85% of the story's records; in a telling a figure is the story's (a repeat) or,
                ~15% of the time, one disjoint from it (a conflict), a day-precision date is sometimes a
                day off, a quote has a word or two changed ~25% of the time, and ~10% of stories misspell
                one name in one telling (an alias).  Every record's text stays inside its excerpt and
                context.  Strings are shared between the records of a story wherever they are equal.
                The name pool has max(3000, N/16) names by default (`--names` fixes it), so a name is
                used by about as many stories at 100k as at 1M.  Fixed random seed; generation is timed
                separately and is not part of any figure.
* factcheck  -- for each size, in its own child process pinned to one core: generate the set, gc, then
                time `find_flags(records)` alone.  Reported: seconds, flags by type, RSS just before
                matching and the child's peak RSS (ru_maxrss) right after it; growth = peak - before.
* naive      -- the same 10k set in a pinned child: `rapidfuzz.fuzz.ratio` of every excerpt against every
                excerpt (10k x 10k = 100M scores, `process.extract` row by row in C, score_cutoff 80).
                Its time over ours on 10k is the speed-up; x (1M/10k)^2 projects naive on 1M.
* blocks     -- after timing, the blocking keys each matcher builds are recounted (sizes, how many are
                skipped as too common, candidate pairs), to show where work grows with N.  With --stages
                each stage find_flags runs (topics, each matcher and check, paraphrases) is also timed on
                its own, with its peak RSS (the high-water mark reset before each stage); with --profile
                find_flags on 100k is cProfiled.
* noise      -- the parent samples the child's share of its core and the other cores' load; a note is
                printed when the machine was not quiet (timings are then inflated).

Run: .venv/bin/python bench/match.py [--sizes 10000,100000,1000000] [--quick] [--stages] [--profile] [--core N]
Results go to bench/out/match.json (bench/out/match-quick.json with --quick).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402
from benchlib import machine, peak_rss_mb  # noqa: E402

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from factcheck.match.context import COMMON_CAPS, STOPWORDS  # noqa: E402
from factcheck.match.records import ClaimRecord  # noqa: E402

SEEDS_DIR = ROOT / "seeds"
OUT_DIR = ROOT / "bench" / "out"
MB = 1024 * 1024
RANDOM_SEED = 20170616
RECORDS_PER_SOURCE = 300
CONTENT_SWAP = 0.7  # share of a story's content words replaced by other seed words
KEEP_IN_TELLING = 0.85  # share of a story's records each telling keeps
TELLINGS = (1, 2, 3, 4, 5)
TELLING_WEIGHTS = (0.35, 0.30, 0.20, 0.10, 0.05)
DISJOINT_VALUE = 0.15  # a telling's figure contradicts the story's
DATE_SHIFT_TELLING = 0.12  # a telling's section is dated a day off ("today" becomes another day)
DATE_SHIFT_RECORD = 0.10  # an absolute day-precision date is a day or two off
QUOTE_VARY = 0.25  # a quote has a word or two changed
ALIAS_STORY = 0.10  # one telling of the story misspells one name
NAIVE_CUTOFF = 80

# ---------------------------------------------------------------------------------------------
# Seed records and the vocabulary they give
# ---------------------------------------------------------------------------------------------

MONTHS = ("January February March April May June July August September October November December").split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
# Capitalised words in the seeds that are not names (sentence openers, titles, generic institutions).
KEEP_CAPS = frozenset(MONTHS + WEEKDAYS + """
Above Academic Accounts Act Additionally Agreement Annex Audit Black Bolstered Centres Chair Citizen Click
Commenting Commissioners Committees Covid Cross Dame Decisions Department Departments Director Editors Eight
Final Foreword General Hears Hot Judicial Labour Lady League Lists Majesty Meanwhile Metropolitan Minister
Ministry Moreover Mr Mutual Northern Notified Numerous Offence Official Overview Penal Postcard Prime Publishers
Quarter Related Search Secondly Secretary Select Southern Statement Subsequently Surely Surveys Unfortunately
University Whilst Yeah Brexit Integrated Intervention Insight Supporting Registration Reading Strategic Star
""".split())
KEEP_ACRONYMS = frozenset("CRC FTE UK EU HM HQ HR IT MP MD CEO AGM TR".split())
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_PROTECT_RE = re.compile(  # words the matchers key on: keep them so dates keep their events, quotes their roles
    r"^(?:publish\w*|releas\w*|launch\w*|issu\w*|announc\w*|unveil\w*|held|opened|closed|began|started|ended|"
    r"signed|approved|submitted|report|review|inspection|study|survey|findings|statement|press|strategy|plan|"
    r"policy|conference|meeting|event|consultation|inquiry|audit|figures|data|results|letter|budget|bill|"
    r"contract|inspector|spokes\w+|minister|secretary|chair\w*|director|chief|half|third|quarter|"
    r"hundred|thousand|million|billion|thirty|forty|fifty|percent|cent)s?$")
SLOT_RE = re.compile(r"\b(?:19|20)\d\d\b|\b[A-Z]{2,6}\b|\b[A-Z][a-z]+(?:[A-Z][a-z]+)*\b|\b[a-z]{4,}\b")
_URL_RE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\S+\.(?:org|com|uk|gov)\S*")
NUM_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_DAY_RE = re.compile(r"\b(\d{1,2})(st|nd|rd|th)?\b")
_QWORD_RE = re.compile(r"\b[a-z]{3,}\b")


def log(msg: str) -> None:
    """Progress line on stderr."""
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def ingest_seeds(db_path: Path) -> dict:
    """Ingest seeds/*.txt once into a fresh SQLite file; return what went in."""
    from factcheck.db import make_engine
    from factcheck.ingest.pipeline import ingest_paths
    engine = make_engine(str(db_path))
    report = ingest_paths(engine, [SEEDS_DIR])
    engine.dispose()
    return {"sources": report.sources, "claims": report.claims}


def load_seed_records(db_path: str) -> list[ClaimRecord]:
    """The seed claims as ClaimRecords, exactly as matching would load them."""
    from factcheck.db import make_engine
    from factcheck.match.store import load_records
    engine = make_engine(db_path)
    records = load_records(engine)
    engine.dispose()
    return records


def classify_tokens(seeds: list[ClaimRecord]) -> tuple[dict[str, str], list[str]]:
    """Which tokens a story may rewrite (name / acronym / year / content word) and the content-word vocabulary."""
    texts = {s for r in seeds for s in (r.text, r.excerpt, r.context, r.subject or "", r.speaker or "")}
    lower_vocab = set()
    for t in texts:
        lower_vocab.update(re.findall(r"\b[a-z]+\b", _URL_RE.sub(" ", t)))
    protected = set(NUMBER_WORDS) | set(STOPWORDS)
    for r in seeds:
        if r.unit:
            protected.update(w.lower() for w in re.findall(r"[A-Za-z]+", r.unit))
        if r.kind in ("quantity", "date"):  # keep figures' and dates' own wording ("approximately", "earlier")
            protected.update(w.lower() for w in re.findall(r"[A-Za-z]+", r.text))
    units = {r.unit for r in seeds if r.unit}
    kinds: dict[str, str] = {}
    for t in texts:
        for m in SLOT_RE.finditer(t):
            tok = m.group()
            if tok in kinds or tok in units:
                continue
            if tok[0].isdigit():
                if 1990 <= int(tok) <= 2030:
                    kinds[tok] = "year"
            elif tok.isupper():
                if tok not in KEEP_ACRONYMS and tok.lower() not in lower_vocab and len(tok) >= 3:
                    kinds[tok] = "acronym"
            elif tok[0].isupper():
                low = tok.lower()
                if low not in lower_vocab and low not in COMMON_CAPS and tok not in KEEP_CAPS:
                    kinds[tok] = "name"
            elif tok not in protected and not _PROTECT_RE.match(tok):
                kinds[tok] = "word"
    vocab = sorted(t for t, k in kinds.items() if k == "word")
    return kinds, vocab


# ---------------------------------------------------------------------------------------------
# Name pools
# ---------------------------------------------------------------------------------------------

_ONSETS = "b br c ch cr d dr f fr g gr h j k l m n p pr r s sh st t tr v w z bl cl fl gl pl sl th".split()
_MIDS = "b d f g k l m n p r s t v z ll nn rr st nd rd ld nt rk sk".split()
_VOWELS = "a e i o u a e o ai ea ou".split()
_ENDS = ("- - - ton ley ford by well wick more ham son stone field worth ridge land er an el in en ard ock is "
         "ia ine ow ett").split()


def _pseudo_name(rng: random.Random) -> str:
    """A pronounceable capitalised pseudo-name ("Brandeley", "Thoskiford")."""
    parts = [rng.choice(_ONSETS), rng.choice(_VOWELS), rng.choice(_MIDS), rng.choice(_VOWELS)]
    if rng.random() < 0.3:
        parts += [rng.choice(_MIDS), rng.choice(_VOWELS)]
    end = rng.choice(_ENDS)
    if end != "-":
        parts.append(end)
    return "".join(parts).capitalize()


def make_pool(count: int, seed: int, acronyms: bool = False) -> list[str]:
    """`count` distinct names (or acronyms), no two alias-like (same initial, <= 2 edits); pools share prefixes."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
    cutoff = 1 if acronyms else 2
    tries = 0
    while len(out) < count:
        tries += 1
        if tries > 50 * count + 1000:
            raise RuntimeError(f"could not draw {count} distinct {'acronyms' if acronyms else 'names'}")
        if acronyms:
            cand = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVW") for _ in range(rng.choice((3, 4, 4, 5))))
            key = cand
        else:
            cand = _pseudo_name(rng)
            key = cand.lower()
        if key in seen or key in STOPWORDS or key in COMMON_CAPS:
            continue
        clash = False
        for length in range(len(key) - cutoff, len(key) + cutoff + 1):
            bucket = buckets.get((key[0], length))
            if bucket and process.extractOne(key, bucket, scorer=OSA.distance, score_cutoff=cutoff) is not None:
                clash = True
                break
        if clash:
            continue
        seen.add(key)
        buckets[(key[0], len(key))].append(key)
        out.append(cand)
    return out


# ---------------------------------------------------------------------------------------------
# Templates (seed records split into literal text and rewritable tokens) and figures
# ---------------------------------------------------------------------------------------------

def split_slots(s: str, kinds: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(literals, tokens) with literals[0] + tok[0] + literals[1] + ... == s; tokens are the rewritable ones."""
    lits, toks, pos = [], [], 0
    for m in SLOT_RE.finditer(s):
        tok = m.group()
        if tok not in kinds:
            continue
        lits.append(s[pos:m.start()])
        toks.append(tok)
        pos = m.end()
    lits.append(s[pos:])
    return tuple(lits), tuple(toks)


def _number_spec(r: ClaimRecord) -> tuple | None:
    """How a quantity's figure may be rewritten ("single" / "range" / "word" spec), or None to leave it alone."""
    if r.kind != "quantity" or not r.unit or r.unit in ("ordinal", "fraction", "ratio", "date"):
        return None
    if any(k in (r.details or {}) for k in ("denominator", "table_row", "unit_from")):
        return None  # ratios, table cells and enumeration parts stay as they are (tables keep adding up)
    nums = [float(m.group().replace(",", "")) for m in NUM_RE.finditer(r.text)]
    if r.value is not None and len(nums) == 1 and nums[0]:
        scale = r.value / nums[0]
        for s in (1.0, 1e3, 1e6, 1e9):
            if abs(scale - s) < 1e-6 * s:
                return ("single", s)
        return None
    if r.value is None and r.low is not None and r.high is not None and len(nums) == 2:
        if {nums[0], nums[1]} == {r.low, r.high}:
            return ("range", nums.index(r.low), nums.index(r.high))
        return None
    if not nums and r.value is not None and r.value == int(r.value) and 2 <= r.value <= 10:
        word = [w for w, i in NUMBER_WORDS.items() if i == int(r.value)][0]
        if re.search(rf"\b{word}\b", r.text, re.I):
            return ("word", word)
    return None


class Template:
    """One seed record with its strings pre-split for rewriting."""

    __slots__ = ("rec", "index", "text", "excerpt", "context", "subject", "speaker", "number", "turn")

    def __init__(self, rec: ClaimRecord, index: int, split):
        """Split the record's strings (identical strings share one split, so stories share their rewrites)."""
        self.rec, self.index = rec, index
        self.text, self.excerpt, self.context = split(rec.text), split(rec.excerpt), split(rec.context)
        self.subject = split(rec.subject) if rec.subject else None
        self.speaker = split(rec.speaker) if rec.speaker else None
        self.number = _number_spec(rec)
        self.turn = bool((rec.details or {}).get("turn"))


def _step(tok: str) -> float:
    """Rounding step a figure is written to ("3,000" -> 1000, "62" -> 1, "0.5" -> 0.1)."""
    if "." in tok:
        return 10.0 ** -len(tok.split(".")[1])
    digits = tok.replace(",", "")
    zeros = len(digits) - len(digits.rstrip("0"))
    return 10.0 ** min(zeros, len(digits) - 1)


def _fmt(x: float, tok: str) -> str:
    """x written in the style of tok (thousands commas, same number of decimals)."""
    dec = len(tok.split(".")[1]) if "." in tok else 0
    return f"{x:,.{dec}f}" if "," in tok else f"{x:.{dec}f}"


def _rescale(x: float, factor: float, tok: str, cap: float | None) -> float:
    """x times factor, rounded to tok's step, at least one step, at most cap."""
    step = _step(tok)
    y = max(step, round(x * factor / step) * step)
    if cap is not None:
        y = min(y, cap)
    return round(y, 6)


class Figure:
    """A quantity's rewritable state: value/low/high and its text."""

    __slots__ = ("value", "low", "high", "text")

    def __init__(self, value, low, high, text):
        """Hold the four fields."""
        self.value, self.low, self.high, self.text = value, low, high, text


def rewrite_figure(t: Template, fig: Figure, factor: float) -> Figure | None:
    """The figure scaled by factor (rounded like the original), or None when nothing would change."""
    spec, r = t.number, t.rec
    cap = 100.0 if r.unit == "%" else None
    matches = list(NUM_RE.finditer(fig.text))
    if spec[0] == "single":
        if len(matches) != 1:
            return None
        m = matches[0]
        tok, scale = m.group(), spec[1]
        shown = float(tok.replace(",", ""))
        new = _rescale(shown, factor, tok, cap)
        if new == shown:
            return None
        value = new * scale
        low = value if fig.low is not None and fig.low == fig.value else fig.low
        high = value if fig.high is not None and fig.high == fig.value else fig.high
        text = fig.text[:m.start()] + _fmt(new, tok) + fig.text[m.end():]
        return Figure(value, low, high, text)
    if spec[0] == "range":
        if len(matches) != 2:
            return None
        lo_m, hi_m = matches[spec[1]], matches[spec[2]]
        lo = _rescale(float(lo_m.group().replace(",", "")), factor, lo_m.group(), cap)
        hi = _rescale(float(hi_m.group().replace(",", "")), factor, hi_m.group(), cap)
        if lo >= hi or (lo, hi) == (fig.low, fig.high):
            return None
        text = fig.text
        for m, v in sorted(((lo_m, lo), (hi_m, hi)), key=lambda p: -p[0].start()):
            text = text[:m.start()] + _fmt(v, m.group()) + text[m.end():]
        return Figure(None, lo, hi, text)
    # ("word", word): small counts written as words
    current = int(fig.value)
    new = max(2, min(10, round(current * factor)))
    if new == current:
        new = current + 1 if factor >= 1 and current < 10 else max(2, current - 1)
    if new == current:
        return None
    old_word = [w for w, i in NUMBER_WORDS.items() if i == current][0]
    m = re.search(rf"\b{old_word}\b", fig.text, re.I)
    if not m:
        return None
    word = [w for w, i in NUMBER_WORDS.items() if i == new][0]
    word = word.capitalize() if m.group()[0].isupper() else word
    return Figure(float(new), fig.low, fig.high, fig.text[:m.start()] + word + fig.text[m.end():])


def disjoint_figure(t: Template, base: Figure, rng: random.Random) -> Figure | None:
    """A figure the matcher must find incompatible with base (retries a few factors), or None."""
    from factcheck.match.values import interval, overlaps
    r = t.rec

    def iv(f: Figure):
        """The interval the matcher gives figure f."""
        probe = ClaimRecord(0, 0, "", "quantity", f.text, "", value=f.value, low=f.low, high=f.high,
                            unit=r.unit, qualifier=r.qualifier, details=r.details)
        return interval(probe)

    base_iv = iv(base)
    for _ in range(4):
        factor = rng.uniform(1.3, 2.2)
        if rng.random() < 0.5 or (r.unit == "%" and (base.value or base.high or 0) > 60):
            factor = 1 / factor
        cand = rewrite_figure(t, base, factor)
        if cand is not None and base_iv is not None and not overlaps(base_iv, iv(cand)):
            return cand
    return None


def shift_years(d: dt.date | None, years: int) -> dt.date | None:
    """d moved by whole years (29 February becomes the 28th)."""
    if d is None or not years:
        return d
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def vary_quote(text: str, vocab: list[str], rng: random.Random) -> str:
    """The quote with one or two words replaced, dropped or padded ("give their best" -> "give of their best")."""
    words = list(_QWORD_RE.finditer(text))
    if len(words) < 4:
        return text
    for m in sorted(rng.sample(words, rng.choice((1, 1, 2))), key=lambda m: -m.start()):
        op = rng.random()
        if op < 0.6:
            rep = rng.choice(vocab)
        elif op < 0.8:
            rep = "really " + m.group()
        else:
            rep = ""
        end = m.end() + (1 if not rep and m.end() < len(text) and text[m.end()] == " " else 0)
        text = text[:m.start()] + rep + text[end:]
    return text


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------

class Generator:
    """Builds N ClaimRecords from the seed records by telling "stories" (see the module docstring)."""

    def __init__(self, seeds: list[ClaimRecord], n: int, names: int | None = None, seed: int = RANDOM_SEED):
        """Split the seeds into templates, draw the name pools and prepare the synthetic sources."""
        self.n = n
        self.rng = random.Random(seed * 1_000_003 + n)
        self.kinds, self.vocab = classify_tokens(seeds)
        splits: dict[str, tuple] = {}

        def split(s: str):
            """One shared split per distinct string."""
            got = splits.get(s)
            if got is None:
                got = splits[s] = split_slots(s, self.kinds)
            return got

        self.templates = [Template(r, i, split) for i, r in enumerate(seeds)]
        sections: dict[tuple, list[Template]] = defaultdict(list)
        for t in self.templates:
            sections[(t.rec.source_id, t.rec.section_id)].append(t)
        self.sections = list(sections.values())
        self.section_weights = [len(s) for s in self.sections]
        self.n_names = names if names else max(3000, n // 16)
        self.names = make_pool(self.n_names, RANDOM_SEED + 1)
        self.acronyms = make_pool(max(300, self.n_names // 8), RANDOM_SEED + 2, acronyms=True)
        self.n_sources = max(1, round(n / RECORDS_PER_SOURCE))
        self.source_paths = [f"synthetic/src{i:05d}.txt" for i in range(self.n_sources)]
        self.next_section = 0
        self.source_end = [0] * self.n_sources  # characters used so far in each synthetic source
        self.stats = Counter()
        self.trace: dict[int, tuple[int, int]] | None = None  # id(record) -> (story, seed index), when wanted

    def _new_token(self, tok: str, year_shift: int) -> str:
        """A story's rewrite of one token."""
        kind, rng = self.kinds[tok], self.rng
        if kind == "year":
            return str(int(tok) + year_shift)
        if kind == "name":
            return self.names[rng.randrange(self.n_names)]
        if kind == "acronym":
            return self.acronyms[rng.randrange(len(self.acronyms))]
        return self.vocab[rng.randrange(len(self.vocab))] if rng.random() < CONTENT_SWAP else tok

    def _renderer(self, mapping: dict[str, str], year_shift: int):
        """A function rendering split strings through mapping (drawing new tokens), one result per split."""
        cache: dict[int, str] = {}
        new_token = self._new_token

        def render(segs):
            """The rewritten string for one split (None stays None)."""
            if segs is None:
                return None
            key = id(segs)
            s = cache.get(key)
            if s is None:
                lits, toks = segs
                if not toks:
                    s = lits[0]
                else:
                    parts = [lits[0]]
                    for tok, lit in zip(toks, lits[1:], strict=False):
                        v = mapping.get(tok)
                        if v is None:
                            v = mapping[tok] = new_token(tok, year_shift)
                        parts.append(v)
                        parts.append(lit)
                    s = "".join(parts)
                cache[key] = s
            return s
        return render

    def _misspelt(self, mapping: dict[str, str]) -> dict[str, str] | None:
        """A copy of mapping with one name transposed inside ("Brandeley" -> "Brnadeley"), or None."""
        names = [tok for tok, v in mapping.items() if self.kinds[tok] in ("name", "acronym") and len(v) >= 5]
        if not names:
            return None
        tok = self.rng.choice(sorted(names))
        v = mapping[tok]
        for _ in range(5):
            i = self.rng.randrange(1, len(v) - 2)
            if v[i] != v[i + 1]:
                out = dict(mapping)
                out[tok] = v[:i] + v[i + 1] + v[i] + v[i + 2:]
                return out
        return None

    def generate(self) -> list[ClaimRecord]:
        """N records, sorted by source and section (as `load_records` returns them), ids 1..N."""
        out: list[ClaimRecord] = []
        story = 0
        while len(out) < self.n:
            self._story(story, out)
            story += 1
        del out[self.n:]
        out.sort(key=lambda r: (r.source_id, r.section_id))
        for i, r in enumerate(out, 1):
            r.id = i
        self.stats["stories"] = story
        return out

    def _story(self, story: int, out: list[ClaimRecord]) -> None:
        """Tell one story 1-5 times, appending its records to out."""
        rng = self.rng
        section = rng.choices(self.sections, self.section_weights)[0]
        size = min(len(section), rng.randint(6, 30))
        start = rng.randrange(0, len(section) - size + 1)
        chunk = section[start:start + size]
        lo = min(t.rec.start for t in chunk)
        span = (lo, max(t.rec.end for t in chunk) - lo + 500)
        year_shift = rng.randint(-5, 5)
        mapping: dict[str, str] = {}
        render = self._renderer(mapping, year_shift)
        for t in chunk:  # draw the story's mapping in template order (deterministic)
            for segs in (t.context, t.excerpt, t.text, t.subject, t.speaker):
                render(segs)
        base_fig: dict[int, Figure] = {}
        for t in chunk:
            if t.number is not None:
                r = t.rec
                fig = Figure(r.value, r.low, r.high, render(t.text))
                new = rewrite_figure(t, fig, math.exp(rng.uniform(-0.4, 0.4)))
                base_fig[t.index] = new or fig
        dates: dict[dt.date, dt.date] = {}

        def story_date(d):
            """A seed date moved into the story's years (one object per distinct date)."""
            if d is None:
                return None
            got = dates.get(d)
            if got is None:
                got = dates[d] = shift_years(d, year_shift)
            return got

        tellings = rng.choices(TELLINGS, TELLING_WEIGHTS)[0]
        alias_telling = rng.randrange(tellings) if rng.random() < ALIAS_STORY else -1
        subs: dict[tuple, tuple[str, str]] = {}
        for k in range(tellings):
            renders = render
            variant = 0
            if k == alias_telling:
                other = self._misspelt(mapping)
                if other is not None:
                    renders = self._renderer(other, year_shift)
                    variant = 1
                    self.stats["alias_tellings"] += 1
            self._telling(story, chunk, span, renders, variant, base_fig, story_date, subs, out)

    def _telling(self, story, chunk, span, render, variant, base_fig, story_date, subs, out) -> None:
        """One telling of a story: a new section of a random source, with its own small variations."""
        rng = self.rng
        source_id = rng.randrange(self.n_sources)
        source = self.source_paths[source_id]
        shift = self.source_end[source_id] - span[0]  # the section's place in its source's text
        self.source_end[source_id] += span[1]
        self.next_section += 1
        section_id = self.next_section
        day_shift = rng.choice((-1, 1)) if rng.random() < DATE_SHIFT_TELLING else 0
        kept = [t for t in chunk if rng.random() < KEEP_IN_TELLING] or [chunk[0]]
        for t in kept:
            r = t.rec
            text0 = render(t.text)
            text, value, low, high, date = text0, r.value, r.low, r.high, story_date(r.date)
            section_date = story_date(r.section_date)
            if day_shift and section_date is not None:
                section_date = section_date + dt.timedelta(days=day_shift)
            if r.kind == "quantity" and t.number is not None:
                fig = base_fig[t.index]
                if rng.random() < DISJOINT_VALUE:
                    fig = disjoint_figure(t, fig, rng) or fig
                    self.stats["disjoint_figures"] += fig is not base_fig[t.index]
                text, value, low, high = fig.text, fig.value, fig.low, fig.high
            elif r.kind == "date" and date is not None and r.date_precision == "day":
                if r.relative:
                    if day_shift:
                        date = date + dt.timedelta(days=day_shift)
                elif rng.random() < DATE_SHIFT_RECORD:
                    new = date + dt.timedelta(days=rng.choice((-2, -1, 1, 2)))
                    m = next((m for m in _DAY_RE.finditer(text0) if int(m.group(1)) == date.day), None)
                    if m and new.month == date.month:
                        ends = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}
                        suffix = ends.get(new.day, "th") if m.group(2) else ""
                        text = text0[:m.start()] + f"{new.day}{suffix}" + text0[m.end():]
                        date = new
                        self.stats["shifted_dates"] += 1
            elif r.kind == "quote" and not t.turn and rng.random() < QUOTE_VARY:
                text = vary_quote(text0, self.vocab, rng)
                self.stats["varied_quotes"] += text != text0
            excerpt, context = render(t.excerpt), render(t.context)
            if text != text0:
                key = (variant, t.index, text)
                got = subs.get(key)
                if got is None:
                    if text0 in excerpt and text0 in context:
                        got = (excerpt.replace(text0, text, 1), context.replace(text0, text, 1))
                    else:  # cannot place the new text: keep the rendered one
                        got = (excerpt, context)
                        self.stats["text_not_placed"] += 1
                    subs[key] = got
                excerpt, context = got
                if excerpt is render(t.excerpt):
                    text, value, low, high = text0, r.value, r.low, r.high
            rec = ClaimRecord(
                id=0, source_id=source_id, source=source, kind=r.kind, text=text, excerpt=excerpt,
                start=r.start + shift, end=r.end + shift, section_id=section_id, section_date=section_date, value=value,
                low=low, high=high, unit=r.unit, qualifier=r.qualifier, date=date,
                date_end=story_date(r.date_end), date_precision=r.date_precision, relative=r.relative,
                subject=render(t.subject), speaker_id=None if r.speaker_id is None else story * 100 + r.speaker_id,
                speaker=render(t.speaker), fingerprint="", details=r.details, context=context,
            )
            out.append(rec)
            if self.trace is not None:
                self.trace[id(rec)] = (story, t.index)


def build_records(db_path: str, n: int, names: int | None) -> tuple[list[ClaimRecord], dict]:
    """Generate the N-record claim set; return it and how it was made (with its generation time)."""
    t0 = time.perf_counter()
    seeds = load_seed_records(db_path)
    gen = Generator(seeds, n, names)
    t1 = time.perf_counter()
    records = gen.generate()
    t2 = time.perf_counter()
    bad = sum(1 for r in records if r.text not in r.excerpt or r.text not in r.context)
    info = {"seed_records": len(seeds), "names": gen.n_names, "acronyms": len(gen.acronyms),
            "sources": gen.n_sources, "sections": gen.next_section, "setup_s": t1 - t0, "generate_s": t2 - t1,
            "text_outside_excerpt_or_context": bad, "by_kind": dict(Counter(r.kind for r in records)),
            "distinct_excerpts": len({id(r.excerpt) for r in records}),
            "distinct_contexts": len({id(r.context) for r in records}), **gen.stats}
    return records, info


# ---------------------------------------------------------------------------------------------
# Child processes (one measurement each, pinned to one core, JSON on stdout)
# ---------------------------------------------------------------------------------------------

def pin_one_core() -> int | None:
    """Pin this process to one core ($BENCH_MATCH_CORE, else the lowest allowed); return it."""
    return benchlib.pin_one_core(os.environ.get("BENCH_MATCH_CORE"))


def current_rss_mb() -> float:
    """This process's resident set size now, in MB."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB
    except OSError:
        import psutil
        return psutil.Process().memory_info().rss / MB


class _Timeout(Exception):
    """Raised by SIGALRM when matching runs past its limit."""


def _on_alarm(signum, frame):
    """SIGALRM handler: stop the matcher."""
    raise _Timeout()


def summarise_flags(flags) -> dict:
    """Flags by type, with conflicts split into figures and dates and repeats into figures and quotes."""
    by_type = Counter(f.type for f in flags)
    date_conflicts = sum(1 for f in flags if f.type == "conflict" and "dates" in (f.details or {}))
    quote_repeats = sum(1 for f in flags if f.type == "repeat" and f.subject.startswith(("quote by", "statement by")))
    biggest = max((len(f.members) for f in flags), default=0)
    return {"by_type": dict(by_type), "date_conflicts": date_conflicts, "quote_repeats": quote_repeats,
            "largest_flag_members": biggest, "total": len(flags)}


def child_match(params: dict) -> dict:
    """Generate one claim set, then time `find_flags` on it alone; report flags and memory."""
    core = pin_one_core()
    from factcheck.match.engine import find_flags
    code = matcher_fingerprint()
    records, info = build_records(params["db"], params["n"], params.get("names"))
    log(f"{params['n']:,}: generated in {info['generate_s']:.1f} s ({info['stories']:,} stories), matching ...")
    gc.collect()
    rss_before, peak_before = current_rss_mb(), peak_rss_mb()
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(int(params["timeout"]))
    t0 = time.perf_counter()
    timed_out = False
    try:
        flags = find_flags(records)
    except _Timeout:
        flags, timed_out = [], True
    seconds = time.perf_counter() - t0
    signal.alarm(0)
    peak = peak_rss_mb()
    rss_after = current_rss_mb()
    result = {"core": core, "n": len(records), "seconds": seconds, "timed_out": timed_out,
              "rss_before_mb": rss_before, "peak_before_mb": peak_before, "peak_rss_mb": peak,
              "rss_after_mb": rss_after, "generation": info, "flags": summarise_flags(flags),
              "matcher_sources_sha1": code}
    log(f"{params['n']:,}: find_flags {seconds:.1f} s{' (TIMED OUT)' if timed_out else ''}, peak RSS {peak:.0f} MB")
    del flags
    if params.get("stages") and not timed_out:
        result["stages"] = time_stages(records)
    if params.get("diag", True) and not timed_out:
        gc.collect()
        t1 = time.perf_counter()
        result["blocks"] = block_stats(records)
        result["blocks"]["seconds"] = time.perf_counter() - t1
    return result


def _reset_peak() -> bool:
    """Reset this process's peak RSS (VmHWM) so a stage's own peak can be read; False where Linux cannot."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _hwm_mb() -> float | None:
    """This process's peak RSS since the last reset (VmHWM), in MB, or None."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def time_stages(records: list[ClaimRecord]) -> dict:
    """Time each stage find_flags runs, one at a time (after the measured run), in find_flags' order: the
    topics (built once and shared, as find_flags shares them), each matcher and check, and paraphrases last
    (given the earlier flags, as find_flags gives them). Each stage's peak RSS is read after resetting the
    process's high-water mark: peak is that stage's highest RSS, growth its peak over the RSS it started at."""
    from factcheck.match import engine
    out: dict[str, dict] = {}
    earlier: list = []
    state: dict = {}

    def stage(name: str, fn) -> None:
        """Run one stage, timed, with its memory."""
        gc.collect()
        before = current_rss_mb()
        reset = _reset_peak()
        gc.disable()  # as find_flags runs its stages
        t0 = time.perf_counter()
        try:
            got = fn()
        finally:
            seconds = time.perf_counter() - t0
            gc.enable()
        peak = _hwm_mb() if reset else None
        out[name] = {"seconds": seconds, "flags": len(got) if isinstance(got, list) else 0,
                     "rss_before_mb": before, "peak_rss_mb": peak,
                     "growth_mb": None if peak is None else peak - before}
        if isinstance(got, list):
            earlier.extend(got)
        log(f"  {name}: {seconds:.1f} s" + ("" if peak is None else f", peak {peak:.0f} MB (+{peak - before:.0f})"))

    def topics() -> None:
        """The Topics every matcher shares."""
        state["topics"] = engine.Topics(records)

    stage("topics", topics)
    t = state["topics"]
    for name, fn in (("quantities", lambda: engine.match_quantities(records, t)),
                     ("dates", lambda: engine.match_dates(records, t)),
                     ("quotes", lambda: engine.match_quotes(records, t)),
                     ("aliases", lambda: engine.match_aliases(records, None)),
                     ("arithmetic", lambda: engine.check_arithmetic(records)),
                     ("reuse", lambda: engine.match_reuse(records, [])),
                     ("paraphrase", lambda: engine.match_paraphrases(records, t, list(earlier)))):
        stage(name, fn)
    del earlier[:]
    state.clear()
    return out


def matcher_fingerprint() -> str:
    """Short hash of the matcher's sources (factcheck/match, factcheck/checks), to tell runs of different code apart."""
    import hashlib
    h = hashlib.sha1()
    for folder in ("match", "checks"):
        for f in sorted((ROOT / "factcheck" / folder).glob("*.py")):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def block_stats(records: list[ClaimRecord]) -> dict:
    """Recount each matcher's blocking keys (count, sizes, skipped as too common, pairs kept); errors are reported."""
    from factcheck.match import aliases, dates, quantities, quotes
    from factcheck.match.values import interval, unit_key

    def summary(blocks, max_block: int | None) -> dict:
        """Sizes of the blocks with two or more members, against the matcher's limit (None: no limit)."""
        sizes = [len(m) for m in blocks.values() if len(m) >= 2]
        limit = max_block if max_block is not None else math.inf
        kept = [s for s in sizes if s <= limit]
        worst = max(blocks.items(), key=lambda kv: len(kv[1]), default=(None, []))
        return {"blocks": len(sizes), "kept": len(kept), "skipped": len(sizes) - len(kept),
                "max_block": max_block, "largest": len(worst[1]), "largest_key": str(worst[0])[:80],
                "pairs_in_kept": sum(s * (s - 1) // 2 for s in kept),
                "members_of_skipped": sum(s for s in sizes if s > limit)}

    def quantity_blocks() -> dict:
        """Quantities: (unit, name) and (unit, subject word) keys."""
        qs = [r for r in records if r.kind == "quantity" and unit_key(r) is not None and interval(r) is not None]
        feats = quantities._Features(qs)
        blocks: dict[tuple, list[int]] = defaultdict(list)
        key_names = getattr(quantities, "KEY_NAMES", None)  # newer matchers key on the rarest few names only
        for i, r in enumerate(qs):
            uk = unit_key(r)
            names = feats.names[i]
            if key_names is not None:
                names = sorted(names, key=feats.rarity.weight, reverse=True)[:key_names]
            for w in names:
                blocks[(uk, "n", w)].append(i)
            for w in feats.subjects[i]:
                blocks[(uk, "s", w)].append(i)
        return {"records": len(qs), **summary(blocks, quantities.MAX_BLOCK)}

    def quote_blocks() -> dict:
        """Quotes (and reported speech): 4-word shingles every 2 words; and the uncapped passage index."""
        qrecs = [r for r in records if r.kind in ("quote", "attribution") and not (r.details or {}).get("turn")]
        blocks: dict[tuple, list[int]] = defaultdict(list)
        index: dict[tuple, int] = Counter()
        for i, r in enumerate(qrecs):
            t = quotes.words(r.details.get("quote_text") or r.text)
            if len(t) >= quotes.MIN_WORDS:
                for k in range(0, len(t) - quotes.SHINGLE + 1, 2):
                    blocks[tuple(t[k:k + quotes.SHINGLE])].append(i)
                if r.kind == "quote":
                    for sh in {tuple(t[k:k + quotes.SHINGLE]) for k in range(len(t) - quotes.SHINGLE + 1)}:
                        index[sh] += 1
        out = {"records": len(qrecs), **summary(blocks, quotes.MAX_BLOCK)}
        if index:
            sh, most = max(index.items(), key=lambda kv: kv[1])
            out["passage_index"] = {"shingles": len(index), "largest": most, "largest_key": " ".join(sh),
                                    "over_50": sum(1 for v in index.values() if v > 50)}
        return out

    def date_blocks() -> dict:
        """Dates: (event head, name of the sentence) keys, as match_dates builds them."""
        items = dates._dated_events(records)  # the matcher's own dated events and (head, name) blocks
        return {"records": len(items), **summary(dates._blocks(items), dates.MAX_BLOCK)}

    def alias_blocks() -> dict:
        """Aliases: distinct names keyed by (tokens, initial, length/4) and (tokens, last initial)."""
        names, seen = set(), set()
        for r in records:
            key = (r.source_id, r.excerpt)
            if key in seen:
                continue
            seen.add(key)
            for m in aliases._NAME.finditer(r.excerpt):
                name = aliases._norm(m.group(0))
                if name:
                    names.add(name)
        blocks: dict[tuple, list[str]] = defaultdict(list)
        for name in names:
            toks = name.split()
            blocks[(len(toks), toks[0][:1].lower(), len(name) // 4)].append(name)
            blocks[(len(toks), toks[-1][:1].lower(), "last")].append(name)
        return {"names": len(names), **summary(blocks, aliases.MAX_BLOCK)}

    out = {}
    for name, fn in (("quantities", quantity_blocks), ("quotes", quote_blocks), ("dates", date_blocks),
                     ("aliases", alias_blocks)):
        try:
            out[name] = fn()
        except Exception as exc:  # the matcher changed under the recount
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
        gc.collect()
    return out


def child_profile(params: dict) -> dict:
    """cProfile `find_flags` on one generated claim set; return the top functions as text."""
    import cProfile
    import io
    import pstats
    pin_one_core()
    from factcheck.match.engine import find_flags
    code = matcher_fingerprint()
    records, _ = build_records(params["db"], params["n"], params.get("names"))
    gc.collect()
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    flags = find_flags(records)
    prof.disable()
    seconds = time.perf_counter() - t0
    text = io.StringIO()
    stats = pstats.Stats(prof, stream=text)
    stats.sort_stats("cumulative").print_stats(params.get("top", 15))
    text.write("\n--- by own time (tottime) ---\n")
    stats.sort_stats("tottime").print_stats(params.get("top", 15))
    return {"n": len(records), "seconds": seconds, "flags": len(flags), "stats": text.getvalue(),
            "matcher_sources_sha1": code}


def child_naive(params: dict) -> dict:
    """rapidfuzz fuzz.ratio of every excerpt of the set (or a sample of it) against every other; time it."""
    core = pin_one_core()
    from rapidfuzz import fuzz, process
    records, _ = build_records(params["db"], params["n"], params.get("names"))
    excerpts = [r.excerpt for r in records]
    if params.get("sample") and params["sample"] < len(excerpts):
        excerpts = random.Random(RANDOM_SEED).sample(excerpts, params["sample"])
    del records
    gc.collect()
    hits = 0
    t0 = time.perf_counter()
    for q in excerpts:
        hits += len(process.extract(q, excerpts, scorer=fuzz.ratio, processor=None, limit=None,
                                    score_cutoff=params["cutoff"]))
    seconds = time.perf_counter() - t0
    n = len(excerpts)
    return {"core": core, "n": n, "pairs": n * n, "seconds": seconds, "pairs_per_s": n * n / seconds,
            "hits_off_diagonal": hits - n, "cutoff": params["cutoff"], "peak_rss_mb": peak_rss_mb()}


CHILDREN = {"match": child_match, "naive": child_naive, "profile": child_profile}


def run_child(mode: str, params: dict, wall_limit: float, rss_limit_mb: float) -> dict:
    """Run one measurement in a fresh interpreter (stderr shown live); kill it past wall_limit s or rss_limit_mb."""
    import psutil
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", mode],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    watch = psutil.Process(proc.pid)
    t0 = time.perf_counter()
    payload = json.dumps(params)
    psutil.cpu_percent(percpu=True)
    busy: list[float] = []  # per second: the busiest core among those the child is not pinned to
    try:
        return _watch(proc, watch, payload, busy, mode, t0, wall_limit, rss_limit_mb)
    finally:
        if proc.poll() is None:  # we are being stopped: take the child with us
            proc.kill()
            proc.wait()


def _watch(proc, watch, payload, busy, mode, t0, wall_limit, rss_limit_mb) -> dict:
    """Poll a running child once a second for memory, time and the other cores' load; return its result."""
    import psutil
    peak_seen, killed, stdout = 0.0, None, ""
    share: list[float] = []
    watch.cpu_percent()
    while True:
        try:
            out, _ = proc.communicate(payload, timeout=1.0) if payload is not None else proc.communicate(timeout=1.0)
            stdout += out or ""
            break
        except subprocess.TimeoutExpired:
            payload = None
        try:
            pinned = set(watch.cpu_affinity())
            per_core = psutil.cpu_percent(percpu=True)
            others = [p for c, p in enumerate(per_core) if c not in pinned]
            if others and len(pinned) == 1:
                busy.append(max(others))
                share.append(watch.cpu_percent())  # the child's own share of its core (contention shows here)
            rss = watch.memory_info().rss / MB
        except psutil.Error:
            continue
        peak_seen = max(peak_seen, rss)
        if rss > rss_limit_mb:
            killed = f"memory: RSS {rss:.0f} MB passed the {rss_limit_mb:.0f} MB limit"
        elif time.perf_counter() - t0 > wall_limit:
            killed = f"time: still running after {wall_limit:.0f} s"
        if killed:
            proc.kill()
            proc.communicate()
            log(f"{mode} child killed ({killed})")
            return {"killed": killed, "wall_s": time.perf_counter() - t0, "rss_seen_mb": peak_seen}
    if proc.returncode != 0:
        return {"killed": f"exit status {proc.returncode}", "wall_s": time.perf_counter() - t0,
                "rss_seen_mb": peak_seen}
    result = json.loads(stdout.strip().splitlines()[-1])
    result["child_wall_s"] = time.perf_counter() - t0
    result["other_cores_busy_pct"] = sum(busy) / len(busy) if busy else None
    result["own_core_share_pct"] = sum(share[1:]) / len(share[1:]) if len(share) > 1 else None
    return result


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

def size_label(n: int) -> str:
    """10000 -> "10k", 1000000 -> "1M"."""
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def human_seconds(s: float) -> str:
    """Seconds as a reader would say them ("38.1 s", "12 min", "4.4 days")."""
    if s < 120:
        return f"{s:.1f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 2 * 86400:
        return f"{s / 3600:.1f} hours"
    if s < 2 * 365 * 86400:
        return f"{s / 86400:.1f} days"
    return f"{s / (365 * 86400):.1f} years"


def fmt_mem(mb: float) -> str:
    """MB below 1 GB, else GB with one decimal."""
    return f"{mb:.0f} MB" if mb < 1024 else f"{mb / 1024:.1f} GB"


def block_line(name: str, v: dict) -> str:
    """One matcher's block figures, short."""
    if "error" in v:
        return f"{name} (recount failed: {v['error'][:60]})"
    line = (f"{name} {v['kept']:,} / {v['skipped']:,} (> {v['max_block']}), {v['largest']:,} "
            f"[{v['largest_key'][:40]}], {v['pairs_in_kept']:,}")
    if "passage_index" in v:
        p = v["passage_index"]
        line += f", passage index largest {p['largest']:,} [{p['largest_key'][:30]}]"
    return line


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, ingest the seeds, run every measurement and print/write the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=None, help="claim-set sizes, comma-separated (default 10000,100000,1000000)")
    ap.add_argument("--quick", action="store_true", help="10k and 100k only, naive baseline on a 3,000-excerpt sample")
    ap.add_argument("--names", type=int, default=None, help="fixed name-pool size (default max(3000, N/16))")
    ap.add_argument("--naive-sample", type=int, default=None,
                    help="excerpts in the naive baseline (default 10,000; 3,000 quick)")
    ap.add_argument("--profile", action="store_true", help="also cProfile find_flags on the 100k set (top 15)")
    ap.add_argument("--no-blocks", action="store_true", help="skip the block recount after each timed run")
    ap.add_argument("--stages", action="store_true", help="also time each matcher on its own after each timed run")
    ap.add_argument("--timeout", type=float, default=600, help="seconds find_flags may run per size (default 600)")
    ap.add_argument("--core", type=int, default=None, help="core to pin the children to (default the lowest allowed)")
    ap.add_argument("--max-rss-gb", type=float, default=12, help="kill a child whose RSS passes this (default 12)")
    ap.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        print(json.dumps(CHILDREN[args.child](json.loads(sys.stdin.read()))))
        return 0
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))  # so a stopped run stops its child too

    if args.core is not None:
        os.environ["BENCH_MATCH_CORE"] = str(args.core)  # children inherit it
    sizes = [int(s) for s in (args.sizes or ("10000,100000" if args.quick else "10000,100000,1000000")).split(",")]
    naive_n = 10_000
    sample = args.naive_sample or (3000 if args.quick else naive_n)
    rss_limit = args.max_rss_gb * 1024
    wall_limit = args.timeout + 1200  # generation, gc and the block recount come on top of matching
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    code = matcher_fingerprint()
    tmp = Path(tempfile.mkdtemp(prefix="bench-match-"))
    try:
        db = tmp / "seeds.db"
        seeded = ingest_seeds(db)
        log(f"seeds ingested: {seeded['claims']} claims from {seeded['sources']} sources")
        runs: dict[int, dict] = {}
        for n in sizes:
            log(f"{n:,} records ...")
            runs[n] = run_child("match", {"db": str(db), "n": n, "names": args.names, "timeout": args.timeout,
                                          "diag": not args.no_blocks, "stages": args.stages}, wall_limit, rss_limit)
        log(f"naive all-pairs on {sample:,} excerpts of the {naive_n:,} set ...")
        naive = run_child("naive", {"db": str(db), "n": naive_n, "names": args.names, "sample": sample,
                                    "cutoff": NAIVE_CUTOFF}, wall_limit, rss_limit)
        profile = None
        if args.profile:
            log("cProfile of find_flags on 100,000 records ...")
            profile = run_child("profile", {"db": str(db), "n": 100_000, "names": args.names},
                                wall_limit, rss_limit)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"{'size':9} {'seconds':>8}   {'flags (conflict/repeat/quote_variant/alias)':44} "
          f"{'peak RSS':>9}   {'RSS growth':>10}")
    for n, r in runs.items():
        if "killed" in r:
            print(f"{size_label(n):9} {'-':>8}   {'killed: ' + r['killed']:44}")
            continue
        f = r["flags"]["by_type"]
        flags = "/".join(f"{f.get(t, 0):,}" for t in ("conflict", "repeat", "quote_variant", "alias"))
        secs = f"{r['seconds']:.1f}" + ("+" if r["timed_out"] else "")
        print(f"{size_label(n):9} {secs:>8}   {flags:44} {fmt_mem(r['peak_rss_mb']):>9}   "
              f"{fmt_mem(r['peak_rss_mb'] - r['rss_before_mb']):>10}")
    ok = {n: r for n, r in runs.items() if "killed" not in r and not r["timed_out"]}
    parts = []
    if 10_000 in ok and 100_000 in ok:
        growth = ok[100_000]["seconds"] / ok[10_000]["seconds"]
        parts.append(f"growth 10k -> 100k: {growth:.1f}x (target <= 12x per 10x)")
    if 100_000 in ok and 1_000_000 in ok:
        growth = ok[1_000_000]["seconds"] / ok[100_000]["seconds"]
        parts.append(f"growth 100k -> 1M: {growth:.1f}x (target <= 12x per 10x)")
    if 1_000_000 in ok:
        parts.append(f"1M in {ok[1_000_000]['seconds']:.1f} s (target < 60 s)")
        parts.append(f"memory {fmt_mem(ok[1_000_000]['peak_rss_mb'])} (target < 4 GB)")
    elif len(ok) >= 2 and not (10_000 in ok and 100_000 in ok and max(ok) == 100_000):
        a, b = sorted(ok)[-2:]
        parts.append(f"growth {size_label(a)} -> {size_label(b)}: {ok[b]['seconds'] / ok[a]['seconds']:.1f}x "
                     f"for {b / a:.0f}x the claims")
    if parts:
        print("      ".join(parts))
    staged = [n for n in sorted(ok) if "stages" in ok[n]]
    if len(staged) >= 2:
        a, b = staged[-2:]
        print(f"stage growth {size_label(a)} -> {size_label(b)} ({b / a:.0f}x the claims): " + ", ".join(
            f"{k} {v['seconds'] / max(ok[a]['stages'][k]['seconds'], 1e-9):.1f}x"
            + (" (faster than linear)" if v["seconds"] / max(ok[a]["stages"][k]["seconds"], 1e-9) > 1.2 * b / a
               and v["seconds"] > 0.5 else "")
            for k, v in ok[b]["stages"].items() if k in ok[a]["stages"]))
    naive_10k_s = None
    if "killed" in naive:
        print(f"naive all-pairs: killed ({naive['killed']})")
    else:
        scale = (naive_n / naive["n"]) ** 2
        naive_10k_s = naive["seconds"] * scale
        measured = (f"{naive['seconds']:.1f} s" if naive["n"] == naive_n else
                    f"{naive['seconds']:.1f} s on {naive['n']:,} excerpts -> {naive_10k_s:.1f} s for 10k "
                    f"(x{scale:.1f})")
        places = 0 if naive["pairs"] >= 1e7 else 1
        line = (f"naive all-pairs rapidfuzz on 10k: {measured} ({naive['pairs'] / 1e6:.{places}f}M pairs, "
                f"{naive['pairs_per_s'] / 1e6:.1f}M pairs/s)")
        if naive_n in ok:
            line += f" -> matcher is {naive_10k_s / ok[naive_n]['seconds']:.0f}x faster"
        line += f"; naive 1M would take ~{human_seconds(naive_10k_s * (1_000_000 / naive_n) ** 2)}"
        print(line)

    print()
    for n, r in runs.items():
        if "killed" in r:
            continue
        g, f = r["generation"], r["flags"]
        print(f"{size_label(n)}: generated in {g['generate_s']:.1f} s (not timed): {g['stories']:,} stories, "
              f"{g['sources']:,} sources, {g['sections']:,} sections, {g['names']:,} names; kinds "
              + ", ".join(f"{k} {v:,}" for k, v in sorted(g["by_kind"].items()))
              + f"; {g['distinct_excerpts']:,} excerpt / {g['distinct_contexts']:,} context strings")
        print(f"     RSS before matching {fmt_mem(r['rss_before_mb'])} (peak during generation "
              f"{fmt_mem(r['peak_before_mb'])}); conflicts on dates {f['date_conflicts']:,}, repeats of quotes "
              f"{f['quote_repeats']:,}; largest flag {f['largest_flag_members']} members; core {r['core']}"
              + (f"; text outside excerpt/context: {g['text_outside_excerpt_or_context']}"
                 if g["text_outside_excerpt_or_context"] else ""))
        if "stages" in r:
            print("     stages timed alone (seconds, flags, peak RSS / growth in the stage): " + ", ".join(
                f"{k} {v['seconds']:.1f} s ({v['flags']:,} flags"
                + (f", {fmt_mem(v['peak_rss_mb'])} / +{fmt_mem(v['growth_mb'])}" if v.get("peak_rss_mb") else "")
                + ")" for k, v in r["stages"].items()))
        if "blocks" in r:
            print("     blocks (kept / skipped as too common, largest, pairs in kept blocks): " + "; ".join(
                block_line(name, v) for name, v in r["blocks"].items() if isinstance(v, dict)))
    if profile:
        if "killed" in profile:
            print(f"\ncProfile run killed ({profile['killed']})")
        else:
            print(f"\ncProfile of find_flags on {profile['n']:,} records "
                  f"({profile['seconds']:.1f} s under the profiler):")
            print(profile["stats"])

    out = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(), "matcher_sources_sha1": code, "seed": RANDOM_SEED, "seed_claims": seeded["claims"],
        "sizes": {str(n): r for n, r in runs.items()},
        "naive": naive, "naive_10k_seconds": naive_10k_s,
    }
    if naive_10k_s and naive_n in ok:
        out["speedup_vs_naive_10k"] = naive_10k_s / ok[naive_n]["seconds"]
        out["naive_1m_projected_seconds"] = naive_10k_s * (1_000_000 / naive_n) ** 2
    if 100_000 in ok and 1_000_000 in ok:
        out["growth_100k_to_1m"] = ok[1_000_000]["seconds"] / ok[100_000]["seconds"]
    if profile:
        out["profile"] = profile
    out_path = OUT_DIR / ("match-quick.json" if args.quick else "match.json")
    out_path.write_text(json.dumps(out, indent=2, default=str))
    labelled = [(size_label(n), r) for n, r in runs.items()] + [("naive", naive)]
    labelled += [("profile", profile)] if profile else []
    noisy = {label: r for label, r in labelled if "killed" not in r and
             ((r.get("other_cores_busy_pct") or 0) > 30 or (r.get("own_core_share_pct") or 100) < 85)}
    if noisy:
        shares = ", ".join(f"{k} {r.get('own_core_share_pct') or 0:.0f}% / {r.get('other_cores_busy_pct') or 0:.0f}%"
                           for k, r in noisy.items())
        print(f"note: the machine was not quiet during some runs (child's share of its own core / busiest other "
              f"core): {shares}; those timings may be inflated")
    ran = {f"{size_label(n)}": r.get("matcher_sources_sha1") for n, r in runs.items() if "killed" not in r}
    if profile and "killed" not in profile:
        ran["profile"] = profile.get("matcher_sources_sha1")
    if len(set(ran.values()) | {code, matcher_fingerprint()}) > 1:
        print("note: factcheck/match or factcheck/checks changed while the benchmark ran; matcher sources per run: "
              + ", ".join(f"{k} {v}" for k, v in ran.items()) + f" (now {matcher_fingerprint()})")
    print(f"matcher sources {code}; figures written to {out_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
