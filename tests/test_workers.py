"""`ingest --workers N`: extraction in worker processes gives the same database as one process."""

from __future__ import annotations

import json
import shutil

from factcheck.cli import main


def dump(db: str, capsys) -> tuple[list, list]:
    """Claims and flags as the CLI prints them."""
    capsys.readouterr()
    assert main(["--db", db, "claims", "--json"]) == 0
    claims = json.loads(capsys.readouterr().out)
    assert main(["--db", db, "flags", "--json"]) == 0
    return claims, json.loads(capsys.readouterr().out)


def test_two_workers_store_exactly_what_one_process_stores(tmp_path, seeds_dir, capsys):
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    assert main(["--db", one, "ingest", str(folder)]) == 1
    err_one = capsys.readouterr().err
    assert main(["--db", two, "ingest", str(folder), "--workers", "2"]) == 1
    err_two = capsys.readouterr().err
    assert err_one == err_two and err_two.count("error:") == 1 and "broken.pdf" in err_two
    assert dump(one, capsys) == dump(two, capsys)
    assert main(["--db", two, "ingest", str(folder), "--workers", "2"]) == 1
    assert "0 new, 0 replaced, 5 unchanged" in capsys.readouterr().out


def test_workers_reingest_a_changed_file_and_keep_verdicts(tmp_path, seeds_dir, capsys):
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    db = str(tmp_path / "claims.db")
    assert main(["--db", db, "ingest", str(folder), "--workers", "2"]) == 0
    claims, _ = dump(db, capsys)
    target = next(c for c in claims if c["source"].startswith("001") and c["kind"] == "quantity")
    assert main(["--db", db, "verdict", str(target["id"]), "supported"]) == 0
    path = folder / target["source"]
    path.write_text("Updated.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--db", db, "ingest", str(folder), "--workers", "2"]) == 0
    assert "1 replaced, 4 unchanged" in capsys.readouterr().out
    claims, _ = dump(db, capsys)
    assert next(c for c in claims if c["id"] == target["id"])["status"] == "supported"


def test_the_worker_pool_runs_and_stores_what_one_process_stores(tmp_path, seeds_dir, capsys, monkeypatch):
    import factcheck.ingest.pipeline as pipeline
    import factcheck.ingest.workers as workers

    monkeypatch.setattr(workers, "usable_cores", lambda: 2)  # two cores even where the tests get one
    pools = []
    real = pipeline.in_order

    def spy(fn, items, n, fallback):
        pools.append(n)
        return real(fn, items, n, fallback)

    monkeypatch.setattr(pipeline, "in_order", spy)
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    one, default = str(tmp_path / "one.db"), str(tmp_path / "default.db")
    assert main(["--db", one, "ingest", str(folder), "--workers", "1"]) == 0
    out_one = capsys.readouterr().out
    assert pools == []
    assert main(["--db", default, "ingest", str(folder), "--workers", "2"]) == 0
    out_default = capsys.readouterr().out
    assert pools == [2]  # two extraction processes
    assert out_one.split(" in ")[0] == out_default.split(" in ")[0]  # the summary, timings aside
    assert dump(one, capsys) == dump(default, capsys)
    listed = []
    for db in (one, default):
        assert main(["--db", db, "sources", "--json"]) == 0
        listed.append([{k: v for k, v in row.items() if k != "ingested_at"}
                       for row in json.loads(capsys.readouterr().out)])
    assert listed[0] == listed[1]


def _square_or_die(n: int) -> int:
    """n squared, computed in a worker; 3 kills the worker process (a crash the pool cannot survive)."""
    import os

    if n == 3:
        os._exit(1)
    return n * n


def test_in_order_keeps_the_order_and_survives_a_dead_worker():
    from factcheck.ingest.workers import in_order

    items = list(range(20))
    here = []

    def fallback(n: int) -> int:
        here.append(n)
        return -n * n

    out = list(in_order(_square_or_die, items, 2, fallback))
    assert len(out) == 20 and 3 in here  # the item whose worker died, and those after, are done here
    assert out == [n * n if n not in here else -n * n for n in items]
    assert here == sorted(here) and here[-1] == 19


def test_in_order_submits_a_bounded_window_ahead():
    from factcheck.ingest import workers

    taken = []

    def items():
        for n in range(50):
            taken.append(n)
            yield n

    class Listed(list):
        def __iter__(self):
            return items()

    gen = workers.in_order(abs, Listed(), 2, abs)
    assert next(gen) == 0
    assert len(taken) <= 2 * (workers.AHEAD + 1) + 1  # not the whole list
    assert list(gen) == list(range(1, 50))
    gen.close()
