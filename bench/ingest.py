"""Ingest benchmark: throughput and memory of `factcheck` ingest against quantulum3 and a read+regex floor.

What is measured (figures are printed, nothing is asserted):

* corpus      -- at least --mb MB (MB = 2**20 bytes) of .txt files generated from seeds/*.txt with a fixed
                 random seed: numbers, person/organisation names and dates are varied so no two files
                 are alike (the ingest pipeline skips duplicate content).  The corpus is cached under
                 --workdir with a manifest.json and reused when the parameters match; its generation
                 time is not part of any figure.
* factcheck   -- `ingest_paths(make_engine(db), [corpus])` into a freshly deleted SQLite file, in a
                 child process pinned to one core (the target is ">= 1 MB/s on one core").  Wall
                 seconds are taken around `ingest_paths`; MB/s = corpus bytes / seconds; claims/s =
                 report.claims / seconds; peak RSS = the child's own ru_maxrss (interpreter,
                 SQLAlchemy and the extractors included; "baseline" is ru_maxrss just before ingest).
* flat memory -- the same child ingest on the first files making up 1/5 of the corpus; the ratio of
                 peak RSS (full / fifth) should stay near 1.
* quantulum3  -- `quantulum3.parser.parse(paragraph)` over every non-empty line of the first
                 --quantulum-mb MB of the corpus, after one uncounted warm-up call, in a pinned child.
* floor       -- read every corpus file and `re.split(r"(?<=[.!?])\\s+", line)` every line, in a pinned
                 child: the cost of merely touching the text, as an upper bound.

Run: .venv/bin/python bench/ingest.py [--mb 50] [--workdir bench/corpus] [--quick] [--profile]
Results also go to bench/out/ingest.json (bench/out/ingest-quick.json with --quick).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import machine, peak_rss_mb, pin_one_core  # noqa: E402

SEEDS_DIR = ROOT / "seeds"
OUT_DIR = ROOT / "bench" / "out"
MB = 1024 * 1024
GENERATOR_VERSION = 1
RANDOM_SEED = 20170616
MIN_FILE, MAX_FILE = 50 * 1024, 200 * 1024

# ---------------------------------------------------------------------------------------------
# Corpus generation
# ---------------------------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH = "(?:" + "|".join(MONTHS) + ")"
_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"

# People named in the seeds (first, last) and invented stand-ins; seed people are in the pool too.
SEED_PEOPLE = [("Glenys", "Stacey"), ("Ian", "Lawrence"), ("David", "Hood"), ("Suki", "Binning"),
               ("Adam", "Hart"), ("Trevor", "Shortt"), ("Andy", "Slaughter"), ("Justin", "Russell"),
               ("Richard", "Burgon"), ("Tania", "Bassett"), ("David", "Gauke")]
PEOPLE_POOL = SEED_PEOPLE + [
    ("Helen", "Marsh"), ("Oliver", "Pratt"), ("Priya", "Nandra"), ("Gareth", "Lloyd"), ("Fiona", "Kerr"),
    ("Samuel", "Okafor"), ("Margaret", "Doyle"), ("Rajesh", "Kapoor"), ("Claire", "Whitfield"),
    ("Thomas", "Beecham"), ("Aisha", "Rahman"), ("Neil", "Cartwright"), ("Joanna", "Frost"),
    ("Martin", "Ellery"), ("Bronwen", "Price"), ("Kwame", "Mensah"), ("Lucy", "Harrow"),
    ("Patrick", "Dunne"), ("Eleanor", "Voss"), ("Graham", "Tilling"),
]
# Organisations named in the seeds, each with the pool it is swapped within.
_PROVIDERS = ["Sodexo", "Interserve", "Seetec", "MTC", "Working Links", "Nacro", "People Plus", "Ingeus",
              "Serco", "G4S", "Capita", "Amey", "Mitie", "Catch22", "Shaw Trust"]
_UNIONS = ["Napo", "Unison", "PCS", "Unite", "GMB"]
SEED_ORGS = {name: _PROVIDERS for name in _PROVIDERS[:8]} | {"Napo": _UNIONS}

_NAME_ALTS = sorted({f"{f} {last}" for f, last in SEED_PEOPLE} | {last for _, last in SEED_PEOPLE} | {"Glenys"}
                    | set(SEED_ORGS), key=len, reverse=True)

TOKEN_RE = re.compile(
    rf"(?P<dateline>\b{_WEEKDAY},?\s+\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b)"
    rf"|(?P<dmy>\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b)"
    rf"|(?P<mdy>\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b)"
    rf"|(?P<my>\b{_MONTH}\s+\d{{4}}\b)"
    r"|(?P<protect>https?://\S+|Covid-?19|\d+noon)"
    r"|(?P<fy>\b(?:19|20)\d\d/\d\d\b)"
    r"|(?P<time>\b\d{1,2}:\d{2}(?:\s?[ap]m)?)"
    r"|(?P<name>\b(?:" + "|".join(re.escape(n) for n in _NAME_ALTS) + r")\b)"
    r"|(?P<ordinal>\b\d+(?:st|nd|rd|th)\b)"
    r"|(?P<year>\b(?:19[5-9]\d|20[0-4]\d)\b)"
    r"|(?P<pct>\d+(?:\.\d+)?(?=\s?%))"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
)
_DATE_PARTS = re.compile(rf"(?:({_WEEKDAY})(,?\s+))?(?:(\d{{1,2}})(st|nd|rd|th)?(\s+))?({_MONTH})"
                         rf"(?:(\s+)(\d{{1,2}})(st|nd|rd|th)?)?(,?\s+)(\d{{4}})")


def ordinal_suffix(n: int) -> str:
    """English ordinal suffix for n (1st, 2nd, 3rd, 11th, ...)."""
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


class Varier:
    """Rewrites one seed text with its own date shift, name mapping and random numbers."""

    def __init__(self, rng: random.Random):
        """Draw this variation's date shift and name/organisation mapping from rng."""
        self.rng = rng
        self.shift = dt.timedelta(days=rng.randint(-1500, 1500))
        self.year_shift = round(self.shift.days / 365.25)
        people = rng.sample(PEOPLE_POOL, len(SEED_PEOPLE))
        self.names: dict[str, str] = {}
        for (f, last), (nf, nl) in zip(SEED_PEOPLE, people, strict=False):
            self.names[f"{f} {last}"] = f"{nf} {nl}"
            self.names.setdefault(last, nl)
            if f == "Glenys":
                self.names["Glenys"] = nf
        for org, pool in SEED_ORGS.items():
            self.names[org] = rng.choice(pool)

    def vary(self, text: str) -> str:
        """The varied text: every date, name and number token replaced."""
        return TOKEN_RE.sub(self._replace, text)

    def _replace(self, m: re.Match) -> str:
        """Replacement for one token, by the kind of token matched."""
        kind, tok = m.lastgroup, m.group()
        if kind in ("dateline", "dmy", "mdy", "my"):
            return self._date(tok)
        if kind == "protect":
            return tok
        if kind == "name":
            return self.names.get(tok, tok)
        if kind == "fy":
            y = int(tok[:4]) + self.year_shift
            return f"{y}/{(y + 1) % 100:02d}"
        if kind == "time":
            return self._time(tok)
        if kind == "ordinal":
            n = self._scale(int(tok[:-2]), minimum=1)
            return f"{n}{ordinal_suffix(n)}"
        if kind == "year":
            return str(int(tok) + self.year_shift)
        if kind == "pct":
            return self._number(tok, cap=100.0)
        return self._number(tok)

    def _date(self, tok: str) -> str:
        """Shift a full date, dateline or month-year by this variation's offset, keeping its layout."""
        p = _DATE_PARTS.fullmatch(tok)
        if not p:
            return tok
        wd, wsep, d1, suf1, dsep, month, msep, d2, suf2, ysep, year = p.groups()
        day = d1 or d2
        try:
            base = dt.date(int(year), MONTHS.index(month) + 1, int(day) if day else 15)
            new = base + self.shift
        except (ValueError, OverflowError):
            return tok
        out = f"{WEEKDAYS[new.weekday()]}{wsep}" if wd else ""
        if d1:
            out += f"{new.day}{ordinal_suffix(new.day) if suf1 else ''}{dsep}"
        out += MONTHS[new.month - 1]
        if d2:
            out += f"{msep}{new.day}{ordinal_suffix(new.day) if suf2 else ''}"
        return out + f"{ysep}{new.year}"

    def _time(self, tok: str) -> str:
        """A random valid time in the same format (12-hour when am/pm follows)."""
        hh, rest = tok.split(":", 1)
        suffix = rest[2:]
        hour = self.rng.randint(1, 12) if suffix else self.rng.randint(0, 23)
        width = len(hh) if not suffix else 1
        return f"{hour:0{width}d}:{self.rng.randint(0, 59):02d}{suffix}"

    def _scale(self, value: float, minimum: float = 0.0) -> float:
        """value times a random factor in [0.5, 1.5]."""
        return max(minimum, round(value * self.rng.uniform(0.5, 1.5)))

    def _number(self, tok: str, cap: float | None = None) -> str:
        """A random number of similar magnitude in the same format (separators, decimals, leading 0)."""
        digits = tok.replace(",", "")
        if len(digits) > 1 and digits[0] == "0" and "." not in digits:
            return "0" + "".join(self.rng.choice("0123456789") for _ in digits[1:])
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        value = float(digits)
        new = value * self.rng.uniform(0.5, 1.5) if value else self.rng.uniform(0, 2)
        if cap is not None and value <= cap:
            new = min(new, cap)
        if decimals:
            return f"{new:,.{decimals}f}" if "," in tok else f"{new:.{decimals}f}"
        n = max(1 if value >= 1 else 0, round(new))
        return f"{n:,}" if "," in tok else str(n)


def load_seeds() -> list[str]:
    """The seed documents' texts, in name order."""
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]


def corpus_params(mb: float) -> dict:
    """Parameters that identify a corpus (a cached one is reused only if all match)."""
    digest = hashlib.sha256()
    for p in sorted(SEEDS_DIR.glob("*.txt")):
        digest.update(p.read_bytes())
    return {"generator": GENERATOR_VERSION, "mb": mb, "random_seed": RANDOM_SEED,
            "file_bytes": [MIN_FILE, MAX_FILE], "seeds_sha256": digest.hexdigest()}


def build_corpus(workdir: Path, mb: float) -> tuple[Path, list[Path], int]:
    """Generate (or reuse) the corpus; return its folder, its files in order and its total bytes."""
    params = corpus_params(mb)
    cdir = workdir / f"mb{mb:g}-seed{RANDOM_SEED}"
    tdir, manifest = cdir / "txt", cdir / "manifest.json"
    if manifest.exists():
        try:
            saved = json.loads(manifest.read_text())
            files = [tdir / name for name, _ in saved["files"]]
            if saved["params"] == params and all(
                    f.is_file() and f.stat().st_size == size
                    for f, (_, size) in zip(files, saved["files"], strict=False)):
                return tdir, files, saved["bytes"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    if tdir.exists():
        shutil.rmtree(tdir)
    tdir.mkdir(parents=True)
    rng = random.Random(RANDOM_SEED)
    seeds = load_seeds()
    target, total, files, listing = mb * MB, 0, [], []
    t0 = time.perf_counter()
    while total < target:
        want = rng.randint(MIN_FILE, MAX_FILE)
        parts, size = [], 0
        while size < want:
            text = Varier(rng).vary(rng.choice(seeds))
            n = len(text.encode("utf-8"))
            if parts and size >= MIN_FILE and size + n > MAX_FILE:
                break
            parts.append(text)
            size += n + 2
        path = tdir / f"doc_{len(files):05d}.txt"
        path.write_text("\n\n".join(parts), encoding="utf-8", newline="")
        nbytes = path.stat().st_size
        files.append(path)
        listing.append([path.name, nbytes])
        total += nbytes
    manifest.write_text(json.dumps({"params": params, "bytes": total, "files": listing}, indent=0))
    log(f"generated {total / MB:.1f} MB in {len(files)} files in {time.perf_counter() - t0:.1f} s -> {tdir}")
    return tdir, files, total


# ---------------------------------------------------------------------------------------------
# Child processes (one measurement each, pinned to one core, JSON on stdout)
# ---------------------------------------------------------------------------------------------

def child_ingest(params: dict) -> dict:
    """Ingest params['paths'] into a fresh SQLite file params['db']; time it and report peak RSS.
    params['workers'] (default 1) extraction processes; with any 'workers' given the process is not pinned."""
    workers = params.get("workers")
    core = pin_one_core() if workers is None else None
    db = Path(params["db"])
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    from factcheck.db import make_engine
    from factcheck.ingest.pipeline import ingest_paths
    engine = make_engine(str(db))
    baseline = peak_rss_mb()
    t0 = time.perf_counter()
    report = ingest_paths(engine, params["paths"], workers=workers or 1)
    wall = time.perf_counter() - t0
    kinds = claim_breakdown(engine)
    engine.dispose()
    return {"core": core, "wall_s": wall, "report_s": report.seconds, "claims": report.claims, "kinds": kinds,
            "sources": report.sources, "sections": report.sections, "bytes": report.bytes,
            "duplicates": report.duplicates, "unchanged": report.unchanged,
            "problems": [[p.path, p.reason] for p in report.problems],
            "notes": report.notes[:20], "notes_total": len(report.notes),
            "baseline_rss_mb": baseline, "peak_rss_mb": peak_rss_mb(),
            "db_mb": sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / MB}


def claim_breakdown(engine) -> dict:
    """Claims per kind, how many carry a speaker, and how many speaking entities were stored."""
    from sqlalchemy import func, select

    from factcheck.models import Claim, Entity
    with engine.connect() as conn:
        kinds = dict(conn.execute(select(Claim.kind, func.count()).group_by(Claim.kind)).all())
        spoken = conn.execute(select(func.count()).where(Claim.speaker_entity_id.is_not(None))).scalar_one()
        entities = conn.execute(select(func.count()).select_from(Entity)).scalar_one()
    return {"by_kind": kinds, "with_speaker": spoken, "entities": entities}


def child_profile(params: dict) -> dict:
    """cProfile an ingest of params['paths']; return the top functions by cumulative time as text."""
    import cProfile
    import io
    import pstats
    pin_one_core()
    db = Path(params["db"])
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    from factcheck.db import make_engine
    from factcheck.ingest.pipeline import ingest_paths
    engine = make_engine(str(db))
    prof = cProfile.Profile()
    prof.enable()
    report = ingest_paths(engine, params["paths"])
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(params.get("top", 15))
    out.write("\n--- by own (tottime) ---\n")
    stats.sort_stats("tottime").print_stats(params.get("top", 15))
    return {"bytes": report.bytes, "claims": report.claims, "seconds": report.seconds, "stats": out.getvalue()}


def child_quantulum(params: dict) -> dict:
    """Parse every non-empty line of the first params['sample_bytes'] of the corpus with quantulum3."""
    core = pin_one_core()
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from quantulum3 import parser
        parser.parse("The CRC supervises more than 3,000 offenders; 62% complied at a cost of £294 million.")
    paragraphs, nbytes = [], 0
    for p in params["paths"]:
        for line in Path(p).read_text(encoding="utf-8").splitlines():
            if nbytes >= params["sample_bytes"]:
                break
            if line.strip():
                paragraphs.append(line)
                nbytes += len(line.encode("utf-8")) + 1
    quantities = 0
    t0 = time.perf_counter()
    for para in paragraphs:
        quantities += len(parser.parse(para))
    wall = time.perf_counter() - t0
    return {"core": core, "wall_s": wall, "bytes": nbytes, "paragraphs": len(paragraphs),
            "quantities": quantities, "peak_rss_mb": peak_rss_mb(),
            "warnings": sorted({str(w.message).splitlines()[0] for w in caught})}


def child_floor(params: dict) -> dict:
    """Read every corpus file and regex-split every line into sentences; time it."""
    core = pin_one_core()
    split = re.compile(r"(?<=[.!?])\s+").split
    nbytes = sentences = 0
    t0 = time.perf_counter()
    for p in params["paths"]:
        with open(p, encoding="utf-8") as fh:
            text = fh.read()
        nbytes += len(text.encode("utf-8"))
        for line in text.splitlines():
            sentences += len(split(line))
    wall = time.perf_counter() - t0
    return {"core": core, "wall_s": wall, "bytes": nbytes, "sentences": sentences}


CHILDREN = {"ingest": child_ingest, "quantulum": child_quantulum, "floor": child_floor,
            "profile": child_profile}


def run_child(mode: str, params: dict) -> dict:
    """Run one measurement in a fresh interpreter; return its JSON result (stderr kept as 'stderr')."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", mode],
                          input=json.dumps(params), capture_output=True, text=True, cwd=ROOT, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} child failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["stderr"] = proc.stderr.strip()
    return result


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

def log(msg: str) -> None:
    """Progress line on stderr."""
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def first_fraction(files: list[Path], fraction: float) -> tuple[list[Path], int]:
    """The leading files holding at least fraction of the corpus bytes, and their byte count."""
    total = sum(f.stat().st_size for f in files)
    out, n = [], 0
    for f in files:
        if n >= total * fraction:
            break
        out.append(f)
        n += f.stat().st_size
    return out, n


def fmt_int(n: float) -> str:
    """Integer with thousands separators."""
    return f"{round(n):,}"


def print_child_noise(label: str, result: dict) -> None:
    """Show anything a child wrote to stderr (warnings are worth knowing about)."""
    if result.get("stderr"):
        lines = result["stderr"].splitlines()
        print(f"  note: {label} wrote {len(lines)} line(s) to stderr, first: {lines[0][:160]}")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the corpus, run every measurement and print/write the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=None, help="corpus size in MB (default 50, 5 with --quick)")
    ap.add_argument("--workdir", default=str(ROOT / "bench" / "corpus"), help="where the corpus is cached")
    ap.add_argument("--quick", action="store_true", help="5 MB corpus and a small quantulum3 sample")
    ap.add_argument("--quantulum-mb", type=float, default=None, help="quantulum3 sample (default 1.5, quick 0.2)")
    ap.add_argument("--profile", action="store_true", help="also cProfile a ~5 MB ingest (top 15 cumulative)")
    ap.add_argument("--keep-db", action="store_true", help="keep the benchmark SQLite files in bench/out")
    ap.add_argument("--workers", type=int, default=2,
                    help="also time `ingest --workers N` against 1 worker, both unpinned (0 = skip; default 2)")
    ap.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        print(json.dumps(CHILDREN[args.child](json.loads(sys.stdin.read()))))
        return 0

    mb = args.mb if args.mb is not None else (5.0 if args.quick else 50.0)
    q_mb = args.quantulum_mb if args.quantulum_mb is not None else (0.2 if args.quick else 1.5)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    corpus_dir, files, total = build_corpus(Path(args.workdir), mb)
    total_mb = total / MB
    fifth, fifth_bytes = first_fraction(files, 0.2)
    db_full, db_fifth = OUT_DIR / "ingest-full.db", OUT_DIR / "ingest-fifth.db"

    log(f"factcheck ingest of {total_mb:.1f} MB ...")
    full = run_child("ingest", {"db": str(db_full), "paths": [str(corpus_dir)]})
    log(f"factcheck ingest of the first 1/5 ({fifth_bytes / MB:.1f} MB) ...")
    small = run_child("ingest", {"db": str(db_fifth), "paths": [str(f) for f in fifth]})
    log(f"quantulum3 on a {q_mb:g} MB sample ...")
    quant = run_child("quantulum", {"paths": [str(f) for f in files], "sample_bytes": int(q_mb * MB)})
    log("read+regex floor ...")
    floor = run_child("floor", {"paths": [str(f) for f in files]})
    speedup = None
    if args.workers and args.workers > 1:
        log(f"ingest with 1 and {args.workers} extraction workers (all cores) ...")
        db_w = OUT_DIR / "ingest-workers.db"
        w1 = run_child("ingest", {"db": str(db_w), "paths": [str(corpus_dir)], "workers": 1})
        wn = run_child("ingest", {"db": str(db_w), "paths": [str(corpus_dir)], "workers": args.workers})
        speedup = {"workers": args.workers, "one_s": w1["wall_s"], "n_s": wn["wall_s"],
                   "speedup": w1["wall_s"] / wn["wall_s"], "same_claims": w1["claims"] == wn["claims"]}
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(db_w) + suffix).unlink(missing_ok=True)
    profile = None
    if args.profile:
        sub, sub_bytes = first_fraction(files, min(1.0, 5 * MB / total))
        log(f"cProfile of a {sub_bytes / MB:.1f} MB ingest ...")
        profile = run_child("profile", {"db": str(OUT_DIR / "ingest-profile.db"), "paths": [str(f) for f in sub]})
    if not args.keep_db:
        for db in (db_full, db_fifth, OUT_DIR / "ingest-profile.db"):
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(db) + suffix).unlink(missing_ok=True)

    ours_mbs = total_mb / full["wall_s"]
    ours_cps = full["claims"] / full["wall_s"]
    small_mbs = (fifth_bytes / MB) / small["wall_s"]
    mem_ratio = full["peak_rss_mb"] / small["peak_rss_mb"]
    growth_full = full["peak_rss_mb"] - full["baseline_rss_mb"]
    growth_small = small["peak_rss_mb"] - small["baseline_rss_mb"]
    q_mbs = (quant["bytes"] / MB) / quant["wall_s"]
    q_qps = quant["quantities"] / quant["wall_s"]
    floor_mbs = (floor["bytes"] / MB) / floor["wall_s"]
    vs_quant = ours_mbs / q_mbs
    vs_floor = ours_mbs / floor_mbs
    size_ratio = total / fifth_bytes

    print()
    shown_dir = corpus_dir.relative_to(ROOT) if corpus_dir.is_relative_to(ROOT) else corpus_dir
    print(f"corpus: {total_mb:.1f} MB in {len(files)} files ({shown_dir})")
    print(f"factcheck ingest      {ours_mbs:6.2f} MB/s  {fmt_int(ours_cps):>8} claims/s  "
          f"peak RSS {full['peak_rss_mb']:.0f} MB"
          f"   ({full['wall_s']:.1f} s, {fmt_int(full['claims'])} claims, {full['sources']} sources, "
          f"{fmt_int(full['sections'])} sections)")
    k = full.get("kinds", {})
    by_kind = ", ".join(f"{kind} {fmt_int(n)}" for kind, n in sorted(k.get("by_kind", {}).items()))
    print(f"  attribution included: {by_kind}; {fmt_int(k.get('with_speaker', 0))} claims with a speaker, "
          f"{fmt_int(k.get('entities', 0))} speaking entities")
    print(f"factcheck ingest 1/5  {small_mbs:6.2f} MB/s  {fmt_int(small['claims'] / small['wall_s']):>8} claims/s  "
          f"peak RSS {small['peak_rss_mb']:.0f} MB"
          f"   ({fifth_bytes / MB:.1f} MB, {small['wall_s']:.1f} s)  -> memory ratio {size_ratio:.1f}x corpus: "
          f"{mem_ratio:.2f}x")
    print(f"  RSS before ingest (imports + engine): {full['baseline_rss_mb']:.0f} MB; growth during ingest "
          f"{growth_full:.0f} MB (full) vs {growth_small:.0f} MB (1/5)")
    print(f"quantulum3 (sample)   {q_mbs:6.3f} MB/s  {fmt_int(q_qps):>8} quantities/s   ({quant['bytes'] / MB:.2f} MB, "
          f"{quant['paragraphs']:,} paragraphs, {quant['wall_s']:.1f} s)  -> factcheck is {vs_quant:.1f}x quantulum3")
    print(f"read+regex floor      {floor_mbs:6.1f} MB/s  "
          f"({floor['wall_s']:.2f} s, {fmt_int(floor['sentences'])} sentences)"
          f"  -> factcheck runs at {vs_floor:.1%} of the floor")
    flat = "flat" if mem_ratio <= 1.25 else ("mostly flat" if mem_ratio <= 1.5 else "GROWS")
    print(f"targets: >= 1 MB/s on one core [{'PASS' if ours_mbs >= 1 else 'FAIL'}], "
          f">= 20x quantulum3 [{'PASS' if vs_quant >= 20 else 'FAIL'}], flat memory [{mem_ratio:.2f}x, {flat}]")
    print(f"(one core each: ingest on core {full['core']}, quantulum3 on core {quant['core']}; MB = 2^20 bytes)")
    if speedup:
        print(f"ingest --workers {speedup['workers']}: {speedup['n_s']:.1f} s vs {speedup['one_s']:.1f} s "
              f"with 1 worker "
              f"({total_mb / speedup['n_s']:.2f} vs {total_mb / speedup['one_s']:.2f} MB/s) -> speed-up "
              f"{speedup['speedup']:.2f}x on {os.cpu_count()} cores; same claims: {speedup['same_claims']}")

    for label, r in (("full ingest", full), ("1/5 ingest", small)):
        if r["problems"]:
            print(f"PROBLEMS in {label}: {len(r['problems'])} file(s), first few:")
            for path, reason in r["problems"][:5]:
                print(f"  {path}: {reason}")
        if r["duplicates"] or r["notes_total"]:
            print(f"  note: {label}: {r['duplicates']} duplicate file(s) skipped, {r['notes_total']} note(s)"
                  + (f", first: {r['notes'][0][:160]}" if r["notes"] else ""))
        if r["bytes"] and r["bytes"] != (total if r is full else fifth_bytes):
            print(f"  note: {label}: report.bytes = {r['bytes']:,} but the files hold "
                  f"{total if r is full else fifth_bytes:,} bytes")
        print_child_noise(label, r)
    for w in quant["warnings"]:
        print(f"  note: quantulum3 warned: {w[:160]}")
    print_child_noise("floor", floor)
    if profile:
        print(f"\ncProfile of a {profile['bytes'] / MB:.1f} MB ingest ({profile['seconds']:.1f} s under the profiler):")
        print(profile["stats"])

    out = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "corpus": {"dir": str(corpus_dir), "mb": total_mb, "bytes": total, "files": len(files),
                   "params": corpus_params(mb)},
        "factcheck": {"mb_per_s": ours_mbs, "claims_per_s": ours_cps,
                      **{k: v for k, v in full.items() if k != "stderr"}},
        "factcheck_fifth": {"mb_per_s": small_mbs, "files": len(fifth), "corpus_bytes": fifth_bytes,
                            **{k: v for k, v in small.items() if k != "stderr"}},
        "memory_ratio": mem_ratio, "corpus_size_ratio": size_ratio,
        "quantulum3": {"mb_per_s": q_mbs, "quantities_per_s": q_qps,
                       **{k: v for k, v in quant.items() if k != "stderr"}},
        "floor": {"mb_per_s": floor_mbs, **{k: v for k, v in floor.items() if k != "stderr"}},
        "workers": speedup,
        "factcheck_vs_quantulum3": vs_quant, "factcheck_fraction_of_floor": vs_floor,
        "targets": {"one_mb_per_s": ours_mbs >= 1, "twenty_x_quantulum3": vs_quant >= 20, "memory_ratio": mem_ratio},
    }
    if profile:
        out["profile"] = profile["stats"]
    out_path = OUT_DIR / ("ingest-quick.json" if args.quick else "ingest.json")
    out_path.write_text(json.dumps(out, indent=2))
    print(f"figures written to {out_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
