"""Ingest benchmark: throughput and memory of `factcheck ingest` against quantulum3 and a read+regex floor.

What is measured (figures are printed, nothing is asserted):

* corpus      -- at least --mb MB (MB = 2**20 bytes) of .txt files of --file-kb KB each, generated from
                 seeds/*.txt with a fixed random seed: numbers, person/organisation names and dates are varied
                 so no two files are alike (the ingest pipeline skips duplicate content).  The corpus is cached
                 under --workdir with a manifest.json and reused when the parameters match; its generation
                 time is not part of any figure.
* end to end  -- the real command as a user runs it: `factcheck --db DB ingest --no-progress CORPUS` (console
                 script, default options: extraction workers, then matching) into a freshly deleted SQLite
                 file, not pinned.  Wall seconds around the command, so start-up and matching count; CPU
                 seconds and the largest process's peak RSS from RUSAGE_CHILDREN of a child that runs only
                 this command; with psutil also the whole process tree's peak summed RSS.  The command's own
                 summary lines split the time into ingest and matching.
* flat memory -- the same end-to-end run on the first files making up 1/5 of the corpus; the ratio of peak
                 RSS (full / fifth) should stay near 1.
* extraction  -- load, metadata, layout and extraction of every file (what a worker does; no database), in a
                 child pinned to one core.
* ingest_paths -- `ingest_paths(make_engine(db), [corpus])` (extract and write, no matching, one process)
                 pinned to one core: the figure the earlier versions of this benchmark reported.
* quantulum3  -- `quantulum3.parser.parse(paragraph)` over every non-empty line of the first
                 --quantulum-mb MB of the corpus, after one uncounted warm-up call, in a pinned child.
* floor       -- read every corpus file and `re.split(r"(?<=[.!?])\\s+", line)` every line, in a pinned
                 child: the cost of merely touching the text, as an upper bound.
* start-up    -- median wall time of `factcheck --version` beside `python -c pass`, run alternately.

Ratios are taken within one run (the machine is shared: absolute figures move with its load).
Run: .venv/bin/python bench/ingest.py [--mb 50] [--file-kb 50-200] [--workdir bench/corpus] [--quick] [--profile]
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

_NAME_ALTS = sorted({f"{first} {last}" for first, last in SEED_PEOPLE} | {last for _, last in SEED_PEOPLE} | {"Glenys"}
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
        for (f, last), (nf, nl) in zip(SEED_PEOPLE, people, strict=True):
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


def corpus_params(mb: float, file_bytes: tuple[int, int] = (MIN_FILE, MAX_FILE)) -> dict:
    """Parameters that identify a corpus (a cached one is reused only if all match)."""
    digest = hashlib.sha256()
    for p in sorted(SEEDS_DIR.glob("*.txt")):
        digest.update(p.read_bytes())
    return {"generator": GENERATOR_VERSION, "mb": mb, "random_seed": RANDOM_SEED,
            "file_bytes": list(file_bytes), "seeds_sha256": digest.hexdigest()}


def build_corpus(workdir: Path, mb: float, file_bytes: tuple[int, int] = (MIN_FILE, MAX_FILE)
                 ) -> tuple[Path, list[Path], int]:
    """Generate (or reuse) the corpus of files of about file_bytes (min, max) each; return its folder, its files
    in order and its total bytes."""
    params = corpus_params(mb, file_bytes)
    min_file, max_file = file_bytes
    sizes = "" if file_bytes == (MIN_FILE, MAX_FILE) else f"-kb{min_file // 1024}-{max_file // 1024}"
    cdir = workdir / f"mb{mb:g}-seed{RANDOM_SEED}{sizes}"
    tdir, manifest = cdir / "txt", cdir / "manifest.json"
    if manifest.exists():
        try:
            saved = json.loads(manifest.read_text())
            files = [tdir / name for name, _ in saved["files"]]
            sizes_ok = (f.is_file() and f.stat().st_size == size
                        for f, (_, size) in zip(files, saved["files"], strict=True))
            if saved["params"] == params and all(sizes_ok):
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
        want = rng.randint(min_file, max_file)
        parts, size = [], 0
        while size < want:
            text = Varier(rng).vary(rng.choice(seeds))
            n = len(text.encode("utf-8"))
            if parts and size >= min_file and size + n > max_file:
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


def factcheck_command() -> list[str]:
    """How a user runs factcheck from this environment: its console script, else `python -m factcheck`."""
    script = Path(sys.executable).with_name("factcheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "factcheck"]


SUMMARY_RE = re.compile(r"(\d+) sources ingested .*?, (\d+) claims in ([\d.]+) s")
FLAGS_RE = re.compile(r"(\d+) flags \(.*\) in ([\d.]+) s")


def child_e2e(params: dict) -> dict:
    """`factcheck --db DB ingest PATHS` as a user runs it (default options: extraction workers, then matching)
    into a fresh SQLite file, not pinned. Wall seconds around the command; CPU seconds and peak RSS of the
    largest process from this child's RUSAGE_CHILDREN (the command and its workers); with psutil, the peak of
    the whole process tree's summed RSS, sampled every 50 ms."""
    import resource
    import threading
    db = Path(params["db"])
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    cmd = [*factcheck_command(), "--db", str(db), "ingest", "--no-progress", *params["paths"]]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tree_peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        """Peak summed RSS of the command and its descendants."""
        try:
            import psutil
            root = psutil.Process(proc.pid)
        except Exception:  # psutil missing, or the command already gone
            return
        while not done.wait(0.05):
            try:
                procs = [root, *root.children(recursive=True)]
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            tree_peak[0] = max(tree_peak[0], total / MB)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary, flags = SUMMARY_RE.search(out), FLAGS_RE.search(out)
    return {"cmd": cmd[len(factcheck_command()):], "exit": proc.returncode, "wall_s": wall,
            "cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_mb": ru.ru_maxrss / 1024, "tree_peak_rss_mb": tree_peak[0],
            "sources": int(summary.group(1)) if summary else None,
            "claims": int(summary.group(2)) if summary else None,
            "ingest_s": float(summary.group(3)) if summary else None,
            "flags": int(flags.group(1)) if flags else None, "match_s": float(flags.group(2)) if flags else None,
            "stdout": out.strip()[-2000:], "errors": [ln for ln in err.splitlines() if ln.startswith("error")][:5],
            "db_mb": sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / MB}


def child_extract(params: dict) -> dict:
    """Extraction only, pinned to one core: load, resolve metadata, lay out and extract every file (what a
    worker process does), no database."""
    core = pin_one_core()
    from factcheck.ingest.pipeline import prepare_file
    claims = nbytes = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    for p in params["paths"]:
        prep = prepare_file(Path(p), Path(p).name, {}, extract=True)
        if prep.found is not None:
            claims += len(prep.found.claims)
        nbytes += Path(p).stat().st_size
    return {"core": core, "wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0,
            "bytes": nbytes, "claims": claims, "peak_rss_mb": peak_rss_mb()}


def startup_times(runs: int = 7) -> dict:
    """Median wall seconds of `factcheck --version` and of `python -c pass`, run alternately (same moment)."""
    version, bare = [], []
    for _ in range(runs):
        for cmd, into in ((factcheck_command() + ["--version"], version), ([sys.executable, "-c", "pass"], bare)):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            into.append(time.perf_counter() - t0)
    version.sort()
    bare.sort()
    return {"version_s": version[runs // 2], "python_s": bare[runs // 2], "runs": runs}


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
            "profile": child_profile, "e2e": child_e2e, "extract": child_extract}


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


def parse_kb(text: str) -> tuple[int, int]:
    """--file-kb MIN-MAX as bytes."""
    lo, _, hi = text.partition("-")
    return int(float(lo) * 1024), int(float(hi or lo) * 1024)


def remove_db(db: Path) -> None:
    """Delete a benchmark SQLite file and its companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the corpus, run every measurement and print/write the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=None, help="corpus size in MB (default 50, 5 with --quick)")
    ap.add_argument("--file-kb", default=f"{MIN_FILE // 1024}-{MAX_FILE // 1024}", metavar="MIN-MAX",
                    help="size of each generated file in KB (default 50-200; 10-30 gives one seed per file)")
    ap.add_argument("--workdir", default=str(ROOT / "bench" / "corpus"), help="where the corpus is cached")
    ap.add_argument("--quick", action="store_true", help="5 MB corpus and a small quantulum3 sample")
    ap.add_argument("--quantulum-mb", type=float, default=None, help="quantulum3 sample (default 1.5, quick 0.2)")
    ap.add_argument("--profile", action="store_true", help="also cProfile a ~5 MB ingest (top 15 cumulative)")
    ap.add_argument("--keep-db", action="store_true", help="keep the benchmark SQLite files in bench/out")
    ap.add_argument("--workers", type=int, default=None,
                    help="also time `ingest_paths` with N extraction workers against 1, both unpinned "
                         "(0 = skip; default 2, skipped with --quick)")
    ap.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        print(json.dumps(CHILDREN[args.child](json.loads(sys.stdin.read()))))
        return 0

    mb = args.mb if args.mb is not None else (5.0 if args.quick else 50.0)
    q_mb = args.quantulum_mb if args.quantulum_mb is not None else (0.2 if args.quick else 1.5)
    n_workers = args.workers if args.workers is not None else (0 if args.quick else 2)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    corpus_dir, files, total = build_corpus(Path(args.workdir), mb, parse_kb(args.file_kb))
    total_mb = total / MB
    fifth, fifth_bytes = first_fraction(files, 0.2)
    db_e2e, db_fifth, db_one = OUT_DIR / "ingest-e2e.db", OUT_DIR / "ingest-e2e-fifth.db", OUT_DIR / "ingest-one.db"

    log("start-up: factcheck --version against python -c pass ...")
    start = startup_times()
    log(f"end to end: `factcheck ingest` of {total_mb:.1f} MB (default options, matching included) ...")
    e2e = run_child("e2e", {"db": str(db_e2e), "paths": [str(corpus_dir)]})
    log(f"end to end on the first 1/5 ({fifth_bytes / MB:.1f} MB) ...")
    e2e_small = run_child("e2e", {"db": str(db_fifth), "paths": [str(f) for f in fifth]})
    log("extraction only, one core ...")
    ext = run_child("extract", {"paths": [str(f) for f in files]})
    log("ingest_paths (load, extract, write; no matching), one core ...")
    full = run_child("ingest", {"db": str(db_one), "paths": [str(corpus_dir)]})
    log(f"quantulum3 on a {q_mb:g} MB sample ...")
    quant = run_child("quantulum", {"paths": [str(f) for f in files], "sample_bytes": int(q_mb * MB)})
    log("read+regex floor ...")
    floor = run_child("floor", {"paths": [str(f) for f in files]})
    speedup = None
    if n_workers > 1:
        log(f"ingest_paths with 1 and {n_workers} extraction workers (all cores) ...")
        db_w = OUT_DIR / "ingest-workers.db"
        w1 = run_child("ingest", {"db": str(db_w), "paths": [str(corpus_dir)], "workers": 1})
        wn = run_child("ingest", {"db": str(db_w), "paths": [str(corpus_dir)], "workers": n_workers})
        speedup = {"workers": n_workers, "one_s": w1["wall_s"], "n_s": wn["wall_s"],
                   "speedup": w1["wall_s"] / wn["wall_s"], "same_claims": w1["claims"] == wn["claims"]}
        remove_db(db_w)
    profile = None
    if args.profile:
        sub, sub_bytes = first_fraction(files, min(1.0, 5 * MB / total))
        log(f"cProfile of a {sub_bytes / MB:.1f} MB ingest ...")
        profile = run_child("profile", {"db": str(OUT_DIR / "ingest-profile.db"), "paths": [str(f) for f in sub]})
    if not args.keep_db:
        for db in (db_e2e, db_fifth, db_one, OUT_DIR / "ingest-profile.db"):
            remove_db(db)

    e2e_mbs = total_mb / e2e["wall_s"]
    e2e_small_mbs = (fifth_bytes / MB) / e2e_small["wall_s"]
    mem_ratio = e2e["peak_rss_mb"] / e2e_small["peak_rss_mb"]
    tree_ratio = (e2e["tree_peak_rss_mb"] / e2e_small["tree_peak_rss_mb"]) if e2e_small["tree_peak_rss_mb"] else None
    ext_mbs = (ext["bytes"] / MB) / ext["wall_s"]
    ours_mbs = total_mb / full["wall_s"]
    ours_cps = full["claims"] / full["wall_s"]
    q_mbs = (quant["bytes"] / MB) / quant["wall_s"]
    q_qps = quant["quantities"] / quant["wall_s"]
    floor_mbs = (floor["bytes"] / MB) / floor["wall_s"]
    vs_quant = e2e_mbs / q_mbs
    size_ratio = total / fifth_bytes
    cores = os.cpu_count()

    def phases(r: dict) -> str:
        """Where an end-to-end run's time went, from the command's own summary lines."""
        if r["ingest_s"] is None or r["match_s"] is None:
            return "summary lines not found"
        rest = r["wall_s"] - r["ingest_s"] - r["match_s"]
        return f"ingest {r['ingest_s']:.1f} s + matching {r['match_s']:.1f} s + start-up and the rest {rest:.1f} s"

    print()
    shown_dir = corpus_dir.relative_to(ROOT) if corpus_dir.is_relative_to(ROOT) else corpus_dir
    print(f"corpus: {total_mb:.1f} MB in {len(files)} files ({shown_dir}); {cores} cores")
    print(f"end to end `factcheck ingest`  {e2e_mbs:6.2f} MB/s  ({e2e['wall_s']:.1f} s wall, "
          f"{e2e['cpu_s']:.1f} s CPU; {phases(e2e)}; {fmt_int(e2e['claims'] or 0)} claims, "
          f"{fmt_int(e2e['flags'] or 0)} flags)")
    print(f"  peak RSS: largest process {e2e['peak_rss_mb']:.0f} MB, whole tree {e2e['tree_peak_rss_mb']:.0f} MB "
          f"(shared pages counted per process)")
    print(f"end to end, first 1/5         {e2e_small_mbs:6.2f} MB/s  ({fifth_bytes / MB:.1f} MB, "
          f"{e2e_small['wall_s']:.1f} s; {phases(e2e_small)}); peak RSS {e2e_small['peak_rss_mb']:.0f} MB, "
          f"tree {e2e_small['tree_peak_rss_mb']:.0f} MB"
          f"  -> {size_ratio:.1f}x corpus: memory {mem_ratio:.2f}x"
          + (f" (tree {tree_ratio:.2f}x)" if tree_ratio else ""))
    print(f"extraction only, one core     {ext_mbs:6.2f} MB/s  ({ext['wall_s']:.1f} s wall, {ext['cpu_s']:.1f} s CPU, "
          f"{fmt_int(ext['claims'])} claims; load, metadata, layout, extract; no database)")
    print(f"ingest_paths, one core        {ours_mbs:6.2f} MB/s  {fmt_int(ours_cps):>8} claims/s  peak RSS "
          f"{full['peak_rss_mb']:.0f} MB  ({full['wall_s']:.1f} s; extract and write, no matching)")
    k = full.get("kinds", {})
    by_kind = ", ".join(f"{kind} {fmt_int(n)}" for kind, n in sorted(k.get("by_kind", {}).items()))
    print(f"  claims: {by_kind}; {fmt_int(k.get('with_speaker', 0))} with a speaker, "
          f"{fmt_int(k.get('entities', 0))} speaking entities")
    print(f"quantulum3 (sample, one core) {q_mbs:6.3f} MB/s  {fmt_int(q_qps):>8} quantities/s   "
          f"({quant['bytes'] / MB:.2f} MB, {quant['paragraphs']:,} paragraphs, {quant['wall_s']:.1f} s)")
    print(f"read+regex floor, one core    {floor_mbs:6.1f} MB/s  ({floor['wall_s']:.2f} s, "
          f"{fmt_int(floor['sentences'])} sentences)")
    print(f"start-up: `factcheck --version` {start['version_s'] * 1000:.0f} ms vs `python -c pass` "
          f"{start['python_s'] * 1000:.0f} ms (median of {start['runs']})")
    print(f"ratios (same run): end to end = {vs_quant:.1f}x quantulum3, {e2e_mbs / floor_mbs:.1%} of the floor; "
          f"extraction only = {ext_mbs / q_mbs:.1f}x quantulum3; ingest_paths one core = {ours_mbs / q_mbs:.1f}x")
    flat = "flat" if mem_ratio <= 1.25 else ("mostly flat" if mem_ratio <= 1.5 else "GROWS")
    print(f"targets: end to end >= 1.5 MB/s [{'PASS' if e2e_mbs >= 1.5 else 'FAIL'}], >= 20x quantulum3 "
          f"[{'PASS' if vs_quant >= 20 else 'FAIL'}], flat memory [{mem_ratio:.2f}x, {flat}], --version < 150 ms "
          f"[{'PASS' if start['version_s'] < 0.15 else 'FAIL'}]")
    if speedup:
        print(f"ingest_paths --workers {speedup['workers']}: {speedup['n_s']:.1f} s vs {speedup['one_s']:.1f} s with 1 "
              f"({total_mb / speedup['n_s']:.2f} vs {total_mb / speedup['one_s']:.2f} MB/s) -> speed-up "
              f"{speedup['speedup']:.2f}x on {cores} cores; same claims: {speedup['same_claims']}")

    for label, r in (("end to end", e2e), ("end to end 1/5", e2e_small)):
        if r["exit"] != 0 or r["errors"]:
            print(f"PROBLEMS in {label}: exit {r['exit']}; first errors: {r['errors']}")
    if full["problems"]:
        print(f"PROBLEMS in ingest_paths: {len(full['problems'])} file(s), first few:")
        for path, reason in full["problems"][:5]:
            print(f"  {path}: {reason}")
    if full["duplicates"] or full["notes_total"]:
        print(f"  note: ingest_paths: {full['duplicates']} duplicate file(s) skipped, {full['notes_total']} note(s)"
              + (f", first: {full['notes'][0][:160]}" if full["notes"] else ""))
    if e2e["claims"] is not None and e2e["claims"] != full["claims"]:
        print(f"  note: end to end stored {e2e['claims']:,} claims, ingest_paths {full['claims']:,}")
    for label, r in (("end to end", e2e), ("extraction", ext), ("ingest_paths", full), ("floor", floor)):
        print_child_noise(label, r)
    for w in quant["warnings"]:
        print(f"  note: quantulum3 warned: {w[:160]}")
    if profile:
        print(f"\ncProfile of a {profile['bytes'] / MB:.1f} MB ingest ({profile['seconds']:.1f} s under the profiler):")
        print(profile["stats"])

    def kept(r: dict) -> dict:
        """A child's figures without its stderr."""
        return {k: v for k, v in r.items() if k != "stderr"}

    out = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "corpus": {"dir": str(corpus_dir), "mb": total_mb, "bytes": total, "files": len(files),
                   "params": corpus_params(mb, parse_kb(args.file_kb))},
        "end_to_end": {"mb_per_s": e2e_mbs, **kept(e2e)},
        "end_to_end_fifth": {"mb_per_s": e2e_small_mbs, "files": len(fifth), "corpus_bytes": fifth_bytes,
                             **kept(e2e_small)},
        "memory_ratio": mem_ratio, "tree_memory_ratio": tree_ratio, "corpus_size_ratio": size_ratio,
        "extraction_only": {"mb_per_s": ext_mbs, **kept(ext)},
        "factcheck": {"mb_per_s": ours_mbs, "claims_per_s": ours_cps, **kept(full)},
        "quantulum3": {"mb_per_s": q_mbs, "quantities_per_s": q_qps, **kept(quant)},
        "floor": {"mb_per_s": floor_mbs, **kept(floor)},
        "startup": start,
        "workers": speedup,
        "end_to_end_vs_quantulum3": vs_quant, "extraction_vs_quantulum3": ext_mbs / q_mbs,
        "end_to_end_fraction_of_floor": e2e_mbs / floor_mbs,
        "targets": {"end_to_end_1_5_mb_per_s": e2e_mbs >= 1.5, "twenty_x_quantulum3": vs_quant >= 20,
                    "memory_ratio": mem_ratio, "version_under_150_ms": start["version_s"] < 0.15},
    }
    if profile:
        out["profile"] = profile["stats"]
    out_path = OUT_DIR / ("ingest-quick.json" if args.quick else "ingest.json")
    out_path.write_text(json.dumps(out, indent=2))
    print(f"figures written to {out_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
