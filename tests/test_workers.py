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
