"""Attacks on the database side of ingest: hostile metadata files, two ingests at once, a damaged file, a
read-only folder, and a schema newer than the code. Each ends in one clear line, never a traceback."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from childproc import cli, without_root_writes


def _docs(folder: Path, n: int) -> Path:
    """n small documents, each with a figure of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"note{i:02}.txt").write_text(f"Depot note {i}\n\nThe Alder depot runs {i + 10} buses on route "
                                                f"{i}, the manager said.\n", encoding="utf-8")
    return folder


def test_a_deeply_nested_sources_toml_is_one_line_and_the_documents_go_in(tmp_path):
    docs = _docs(tmp_path / "docs", 2)
    (docs / "sources.toml").write_text('["note00.txt"]\nx = ' + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    r = cli("--db", "c.db", "ingest", "--no-progress", str(docs), cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert [line for line in r.stderr.splitlines() if line.startswith("error:")] == [
        f"error: {docs / 'sources.toml'}: not valid TOML for factcheck: nested too deeply; its metadata is not used"]
    assert "2 new" in r.stdout


def test_two_ingests_of_the_same_new_files_at_once_both_succeed(tmp_path, seeds_dir):
    docs = _docs(tmp_path / "docs", 40)
    for f in seeds_dir.iterdir():
        shutil.copy(f, docs / f.name)
    env = {k: v for k, v in os.environ.items() if k != "FACTCHECK_DB"}
    argv = [sys.executable, "-m", "factcheck", "--db", str(tmp_path / "c.db"), "ingest", "--no-progress", str(docs)]
    procs = [subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    for status, _out, err in results:
        assert status == 0 and "error" not in err and "UNIQUE" not in err, err
    r = cli("--db", "c.db", "sources", "--json", cwd=tmp_path)
    assert len(json.loads(r.stdout)) == 45


def _damage(db: Path) -> None:
    """Random bytes over pages in the middle of a SQLite file (as a failing disk or a bad copy leaves it)."""
    size = db.stat().st_size
    rng = random.Random(7)
    with db.open("r+b") as f:
        for offset in range(size // 3, 2 * size // 3, 8192):
            f.seek(offset)
            f.write(bytes(rng.randrange(256) for _ in range(1024)))


@pytest.mark.sqlite_only
def test_a_damaged_database_refuses_writes_in_one_line(tmp_path, seeds_dir):
    db = tmp_path / "c.db"
    assert cli("--db", str(db), "ingest", str(seeds_dir), cwd=tmp_path).returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _damage(db)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"  # the damage is real
    except sqlite3.DatabaseError:  # so real that SQLite will not even check it
        pass
    finally:
        conn.close()
    for argv in (["ingest", str(seeds_dir)], ["verdict", "1", "supported"], ["match"]):
        r = cli("--db", str(db), *argv, cwd=tmp_path)
        lines = r.stderr.splitlines()
        assert r.returncode == 2 and len(lines) == 1 and "damaged" in lines[0] and "Traceback" not in r.stderr, argv


@pytest.mark.sqlite_only
def test_a_database_in_a_read_only_folder_can_still_be_read(tmp_path, seeds_dir):
    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "claims.db"
    assert cli("--db", str(db), "ingest", str(seeds_dir), cwd=tmp_path).returncode == 0
    os.chmod(db, 0o444)
    os.chmod(folder, 0o555)
    try:
        for argv in (["sources", "--json"], ["claims", "--json"], ["flags", "--json"], ["log"],
                     ["export", "--format", "json"]):
            r = cli("--db", str(db), *argv, cwd=tmp_path, preexec_fn=without_root_writes)
            assert r.returncode == 0 and r.stderr == "", (argv, r.stderr)
        assert len(json.loads(cli("--db", str(db), "sources", "--json", cwd=tmp_path,
                                  preexec_fn=without_root_writes).stdout)) == 5
        r = cli("--db", str(db), "ingest", str(seeds_dir), cwd=tmp_path, preexec_fn=without_root_writes)
        assert r.returncode != 0 and len(r.stderr.splitlines()) == 1 and r.stderr.startswith("error:"), r.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["claims.db"]
    finally:
        os.chmod(folder, 0o755)


@pytest.mark.sqlite_only
def test_db_current_says_a_newer_schema_is_refused_not_upgraded(tmp_path):
    db = tmp_path / "c.db"
    assert cli("--db", str(db), "db", "upgrade", cwd=tmp_path).returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    r = cli("--db", str(db), "db", "current", cwd=tmp_path)
    assert "newer than this factcheck" in r.stdout and "will be upgraded" not in r.stdout
    r = cli("--db", str(db), "sources", cwd=tmp_path)
    assert r.returncode == 2 and "9999" in r.stderr and len(r.stderr.splitlines()) == 1
