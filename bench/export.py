"""Export speed: every format on a generated database of 100k claims, against a raw read of the same rows.

    .venv/bin/python bench/export.py [--claims 100000] [--repeat 3]

Prints seconds per format (the full `export` call: load, shape, render) for the default selection
(reviewed claims for the appendix, every claim for json/csv) and for `--status all`, the output size,
and the ratio to a baseline measured in the same run: reading every claim row and its source text
with plain sqlite3. Target: under 5 s per format. Asserts nothing.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gendb  # noqa: E402
from benchlib import machine, peak_rss_mb  # noqa: E402

from factcheck.db import make_engine  # noqa: E402
from factcheck.export import FORMATS, export  # noqa: E402
from factcheck.export.data import ExportFilter  # noqa: E402


def raw_read(path: str) -> float:
    """Seconds to fetch every claim row and every source text with sqlite3 (the floor)."""
    t = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("SELECT * FROM claim").fetchall()
    con.execute("SELECT id, text FROM source").fetchall()
    con.close()
    return time.perf_counter() - t


def best(fn, repeat: int) -> tuple[float, object]:
    """Fastest of repeat runs and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    """Build or reuse the database, time each format, print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    db = gendb.cached(args.claims)
    engine = make_engine(db)
    floor, _ = best(lambda: raw_read(db), args.repeat)
    print(f"factcheck export on {args.claims:,} claims ({Path(db).name}); {machine()}")
    print(f"baseline: raw sqlite3 read of every claim row and source text: {floor:.2f} s\n")
    print(f"{'format':12} {'selection':22} {'seconds':>8} {'x raw read':>10} {'output':>10}")
    slowest = 0.0
    for fmt in FORMATS:
        for label, filters in (("default", ExportFilter()), ("--status all", ExportFilter(("all",)))):
            if label == "--status all" and fmt in ("json", "csv"):
                continue  # their default is already every claim
            seconds, text = best(lambda fmt=fmt, filters=filters: export(engine, fmt, filters), args.repeat)
            slowest = max(slowest, seconds)
            print(f"{fmt:12} {label:22} {seconds:8.2f} {seconds / floor:10.1f} {len(text.encode()) / 1e6:8.1f} MB")
    print(f"\nslowest format: {slowest:.2f} s (target < 5 s); peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
