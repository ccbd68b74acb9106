"""What the checks before a write cost: `factcheck verdict` (quick_check of the SQLite file, then one decision)
against `factcheck sources` (open and read, no check) on generated databases of growing size, and the
quick_check alone. Figures are printed, nothing is asserted.

Run: .venv/bin/python bench/writecheck.py [--claims 10000,100000,1000000]
Databases come from bench/gendb.py (cached under bench/out/).
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def database(claims: int) -> Path:
    """A generated database of that many claims (built once, then reused)."""
    out = HERE / "out" / f"tui_{claims}.db"
    subprocess.run([sys.executable, str(HERE / "gendb.py"), "--claims", str(claims), "--cached"], check=True,
                   stdout=subprocess.DEVNULL)
    return out


def seconds(argv: list[str], repeat: int = 3) -> float:
    """Best wall time of a factcheck command over a few runs."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "factcheck", *argv], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t0)
    return best


def quick_check_seconds(db: Path) -> float:
    """PRAGMA quick_check(3) alone, as `factcheck` runs it before writes."""
    conn = sqlite3.connect(db)
    try:
        t0 = time.perf_counter()
        conn.execute("PRAGMA quick_check(3)").fetchall()
        return time.perf_counter() - t0
    finally:
        conn.close()


def main() -> int:
    """Print, per database size: file size, quick_check, sources (baseline), verdict, and verdict/sources."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", default="10000,100000,1000000")
    args = ap.parse_args()
    print(f"{'claims':>9} {'MB':>7} {'quick_check s':>14} {'sources s':>10} {'verdict s':>10} {'ratio':>6}")
    for n in (int(x) for x in args.claims.split(",")):
        db = database(n)
        qc = quick_check_seconds(db)
        base = seconds(["--db", str(db), "sources", "--json"])
        write = seconds(["--db", str(db), "verdict", "1", "supported", "--reviewer", "bench"])
        print(f"{n:>9} {db.stat().st_size / 2**20:>7.0f} {qc:>14.3f} {base:>10.3f} {write:>10.3f} {write / base:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
