"""Ingest a corpus with Dask: extraction is a pure function of one document, so it maps over a bag.

Each task loads, extracts and writes one document to the shared database in its own transaction
(the same code `factcheck ingest` runs); matching then runs once over everything. On a real cluster
point `--scheduler` at it and `--db` at the team's PostgreSQL; with no scheduler a LocalCluster of
`--workers` processes on this machine is started.

    python examples/dask_ingest.py CORPUS --db postgresql+psycopg://user@host/claims [--scheduler tcp://host:8786]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def ingest_one(job: tuple[str, str, dict, str]) -> dict:
    """Task: prepare, extract and store one document; returns its outcome as plain data."""
    from factcheck.db import make_engine
    from factcheck.ingest.pipeline import IngestReport, prepare_file, write_prepared

    path, name, toml_values, db = job
    report = IngestReport()
    engine = _engine(db, make_engine)
    write_prepared(engine, prepare_file(Path(path), name, toml_values, extract=True), report)
    return {"name": name, "added": report.added, "replaced": report.replaced, "unchanged": report.unchanged,
            "claims": report.claims, "problems": [f"{p.path}: {p.reason}" for p in report.problems],
            "notes": report.notes}


_ENGINES: dict = {}


def _engine(db: str, make_engine):
    """One engine per worker process and database (connection pools are per process)."""
    if db not in _ENGINES:
        _ENGINES[db] = make_engine(db)
    return _ENGINES[db]


def jobs_for(paths: list[str], db: str) -> list[tuple[str, str, dict, str]]:
    """(path, stored name, sources.toml metadata, database) for every document under paths."""
    from factcheck.ingest.metadata import TOML_NAME, MetadataFinder
    from factcheck.ingest.pipeline import _root_of, expand_paths

    notes: list[str] = []
    finder = MetadataFinder(notes.append, lambda p, r: notes.append(f"error: {p}: {r}"))
    out = []
    for path, name in expand_paths(paths):
        if path.exists() and path.name != TOML_NAME:
            out.append((str(path), name, finder.for_file(path, _root_of(path, name)), db))
    for n in notes:
        print(n, file=sys.stderr)
    return out


def run(paths: list[str], db: str, scheduler: str | None = None, workers: int = 2) -> dict:
    """Map ingest_one over a Dask bag of documents, then match once; returns totals."""
    import dask.bag as dbag
    from dask.distributed import Client, LocalCluster

    from factcheck.db import make_engine
    from factcheck.match.store import run_matching

    make_engine(db).dispose()  # create or migrate the schema once, before the workers write
    jobs = jobs_for(paths, db)
    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                  dashboard_address=None)
    with Client(scheduler or cluster):
        results = dbag.from_sequence(jobs, npartitions=max(1, min(len(jobs), workers * 4))).map(ingest_one).compute()
    if cluster is not None:
        cluster.close()
    for r in results:
        for p in r["problems"]:
            print(f"error: {p}", file=sys.stderr)
    found = run_matching(make_engine(db))
    return {"documents": len(results), "added": sum(r["added"] for r in results),
            "replaced": sum(r["replaced"] for r in results), "claims": sum(r["claims"] for r in results),
            "problems": sum(len(r["problems"]) for r in results), "flags": found.total}


def main() -> int:
    """Command line for the example."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--db", required=True, help="SQLAlchemy URL (PostgreSQL for several machines) or SQLite path")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster here)")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    args = ap.parse_args()
    totals = run(args.paths, args.db, args.scheduler, args.workers)
    print(", ".join(f"{v} {k}" for k, v in totals.items()))
    return 1 if totals["problems"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
