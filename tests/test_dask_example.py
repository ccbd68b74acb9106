"""The Dask example (examples/dask_ingest.py) on a LocalCluster: the same claims and flags as `ingest`."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from factcheck.cli import main

pytest.importorskip("distributed", reason="dask[distributed] is in the test extra")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dask_ingest.py"


def load_example():
    """Import the example script as a module."""
    spec = importlib.util.spec_from_file_location("dask_ingest", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def comparable(db: str, capsys) -> tuple[list, list]:
    """Claims and flags without database ids (documents may be written in another order)."""
    capsys.readouterr()
    assert main(["--db", db, "claims", "--json"]) == 0
    claims = sorted((c["source"], c["start"], c["end"], c["kind"], c["value"], c["date"], c["speaker"])
                    for c in json.loads(capsys.readouterr().out))
    assert main(["--db", db, "flags", "--json"]) == 0
    flags = sorted((f["type"], tuple(sorted((m["source"], m["start"]) for m in f["members"])))
                   for f in json.loads(capsys.readouterr().out))
    return claims, flags


def test_dask_local_cluster_ingest_matches_the_command(any_db_url, seeds_dir, tmp_path, capsys):
    totals = load_example().run([str(seeds_dir)], any_db_url, workers=2)
    assert totals["documents"] == 5 and totals["added"] == 5 and totals["problems"] == 0
    plain = str(tmp_path / "plain.db")
    assert main(["--db", plain, "ingest", str(seeds_dir)]) == 0
    assert comparable(any_db_url, capsys) == comparable(plain, capsys)
