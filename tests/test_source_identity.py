"""A source is its file, not the name it was given: two folders holding files of one name, the same folder reached
by several routes, moved files, databases from before locations, and commands that must leave nothing behind."""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
from pathlib import Path

import pytest
from childproc import cli, without_root_writes

from factcheck.cli import main

# Two reports of one figure that disagree (the matcher flags them as a conflict), saved under the same file name.
FIRST = ("Harbour update\n\nThe Tolland ferry terminal handles 240 sailings across the Ormsby routes each week, "
         "the port authority said.\n")
SECOND = ("Ormsby news\n\nThe Tolland ferry terminal handles 180 sailings across the Ormsby routes each week, "
          "according to the crew union.\n")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command line in this process; exit status, stdout, stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def as_json(capsys, db: str, *argv: str):
    """A --json listing as Python data."""
    status, out, err = run(capsys, "--db", db, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def two_batches(root: Path) -> tuple[Path, Path]:
    """batch1/article.txt and batch2/article.txt: different files with the same name."""
    for folder, text in (("batch1", FIRST), ("batch2", SECOND)):
        (root / folder).mkdir(parents=True)
        (root / folder / "article.txt").write_text(text, encoding="utf-8")
    return root / "batch1", root / "batch2"


def figure_claim(capsys, db: str, source: str) -> dict:
    """The sailings figure of one source."""
    return next(c for c in as_json(capsys, db, "claims", "--kind", "quantity", "--source", source)
                if "sailings" in c["text"])


def assert_both_kept_with_a_conflict(capsys, db: str, root: Path) -> list[dict]:
    """Two sources, told apart by their folder, with their full locations, and the conflict between them."""
    sources = as_json(capsys, db, "sources")
    assert sorted(s["source"] for s in sources) == ["batch1/article.txt", "batch2/article.txt"]
    assert {s["location"] for s in sources} == {str((root / b / "article.txt").resolve()) for b in ("batch1", "batch2")}
    conflicts = as_json(capsys, db, "flags", "--type", "conflict")
    assert len(conflicts) == 1
    assert {m["source"] for m in conflicts[0]["members"]} == {"batch1/article.txt", "batch2/article.txt"}
    assert {m["location"] for m in conflicts[0]["members"]} == {s["location"] for s in sources}
    return sources


def test_two_folders_one_after_the_other_keep_both_and_the_verdict(tmp_path, capsys, db_url):
    batch1, batch2 = two_batches(tmp_path)
    assert run(capsys, "--db", db_url, "ingest", str(batch1))[0] == 0
    claim = figure_claim(capsys, db_url, "article.txt")
    assert claim["source"] == "article.txt"  # unique: the short name
    assert run(capsys, "--db", db_url, "verdict", str(claim["id"]), "supported", "--reviewer", "ana")[0] == 0

    status, out, _ = run(capsys, "--db", db_url, "ingest", str(batch2))
    assert status == 0 and "1 new, 0 replaced" in out
    assert_both_kept_with_a_conflict(capsys, db_url, tmp_path)
    again = figure_claim(capsys, db_url, "batch1/article.txt")
    assert (again["id"], again["status"]) == (claim["id"], "supported")
    assert again["location"] == str((batch1 / "article.txt").resolve())


def test_two_folders_in_one_command_keep_both(tmp_path, capsys, db_url):
    batch1, batch2 = two_batches(tmp_path)
    status, out, _ = run(capsys, "--db", db_url, "ingest", str(batch1), str(batch2))
    assert status == 0 and "2 new" in out
    assert_both_kept_with_a_conflict(capsys, db_url, tmp_path)
    claims = as_json(capsys, db_url, "claims")
    assert {c["source"] for c in claims} == {"batch1/article.txt", "batch2/article.txt"}
    assert all(c["location"].endswith("/article.txt") for c in claims)


def test_the_same_folder_three_ways_from_two_working_directories_is_one_set(tmp_path, capsys, db_url, monkeypatch,
                                                                            seeds_dir):
    docs = tmp_path / "work" / "seeds"
    shutil.copytree(seeds_dir, docs)
    db = db_url if "://" in db_url else str(Path(db_url).resolve())
    monkeypatch.chdir(tmp_path / "work")
    assert run(capsys, "--db", db, "ingest", "seeds")[0] == 0
    first = as_json(capsys, db, "sources")
    for where, given in ((tmp_path / "work", "./seeds/"), (tmp_path, str(docs)), (docs, "."), (tmp_path, "work/seeds")):
        monkeypatch.chdir(where)
        status, out, _ = run(capsys, "--db", db, "ingest", given)
        assert status == 0 and f"0 new, 0 replaced, {len(first)} unchanged" in out, (where, given, out)
    assert as_json(capsys, db, "sources") == first
    assert all(s["source"] == Path(s["location"]).name for s in first)


def test_a_moved_file_keeps_its_source_and_verdict(tmp_path, capsys, db_url):
    batch1, _ = two_batches(tmp_path)
    assert run(capsys, "--db", db_url, "ingest", str(batch1))[0] == 0
    claim = figure_claim(capsys, db_url, "article.txt")
    run(capsys, "--db", db_url, "verdict", str(claim["id"]), "disputed", "--note", "check", "--reviewer", "ana")
    archive = tmp_path / "archive" / "2024"
    archive.mkdir(parents=True)
    (batch1 / "article.txt").rename(archive / "article.txt")

    status, out, _ = run(capsys, "--db", db_url, "ingest", str(tmp_path / "archive"))
    assert status == 0 and "0 new" in out and "1 moved" in out
    [source] = as_json(capsys, db_url, "sources")
    assert source["source"] == "2024/article.txt" and source["location"] == str((archive / "article.txt").resolve())
    moved = figure_claim(capsys, db_url, "article.txt")
    assert (moved["id"], moved["status"], moved["note"]) == (claim["id"], "disputed", "check")
    log = as_json(capsys, db_url, "log")
    assert log[0]["target"] == "source" and log[0]["field"] == "location" and log[0]["reviewer"] == "factcheck"
    assert log[0]["new"] == source["location"]


def test_a_copy_of_a_stored_file_is_skipped_as_a_duplicate(tmp_path, capsys, db_url):
    batch1, _ = two_batches(tmp_path)
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(batch1 / "article.txt", copy / "same.txt")
    status, _, err = run(capsys, "--db", db_url, "ingest", str(batch1), str(copy))
    assert status == 0 and "same content as article.txt, skipped" in err
    assert len(as_json(capsys, db_url, "sources")) == 1


def test_a_changed_version_is_logged_so_orphans_can_be_explained(tmp_path, capsys, db_url):
    batch1, _ = two_batches(tmp_path)
    assert run(capsys, "--db", db_url, "ingest", str(batch1))[0] == 0
    claim = figure_claim(capsys, db_url, "article.txt")
    run(capsys, "--db", db_url, "verdict", str(claim["id"]), "supported", "--reviewer", "ana")
    (batch1 / "article.txt").write_text(FIRST.replace("240 sailings", "260 sailings"), encoding="utf-8")
    status, out, _ = run(capsys, "--db", db_url, "ingest", str(batch1))
    assert status == 0 and "1 replaced" in out
    log = as_json(capsys, db_url, "log")
    by_target = {(e["target"], e["field"]): e for e in log if e["reviewer"] == "factcheck"}
    new_version = by_target[("source", "sha256")]
    assert "1 orphaned" in new_version["note"] and new_version["old"] != new_version["new"]
    assert by_target[("claim", "status")]["new"] == "orphaned"


def _downgrade_to_0002(url: str) -> None:
    """Take a database back to the schema of revision 0002 (sources known by their relative path only)."""
    from alembic import command

    from factcheck.db import alembic_config, make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    engine.dispose()


def test_a_database_from_revision_0002_keeps_ids_claims_verdicts_and_flags(tmp_path, capsys, db_url, seeds_dir):
    docs = tmp_path / "seeds"
    shutil.copytree(seeds_dir, docs)
    assert run(capsys, "--db", db_url, "ingest", str(docs))[0] == 0
    claim = as_json(capsys, db_url, "claims", "--kind", "quote")[0]
    run(capsys, "--db", db_url, "verdict", str(claim["id"]), "false", "--reviewer", "ana")
    flag = as_json(capsys, db_url, "flags")[0]
    run(capsys, "--db", db_url, "resolve", str(flag["id"]), "confirmed", "--reviewer", "ana")
    _downgrade_to_0002(db_url)

    def state():
        sources = [(s["id"], s["source"], s["sha256"], s["claims"]) for s in as_json(capsys, db_url, "sources")]
        claims = [(c["id"], c["start"], c["status"]) for c in as_json(capsys, db_url, "claims")]
        flags = sorted((f["type"], f["status"], tuple(sorted(m["claim_id"] for m in f["members"])))
                       for f in as_json(capsys, db_url, "flags"))
        return sources, claims, flags

    before = state()  # opening upgrades to the newest revision: nothing is lost
    assert [s["location"] for s in as_json(capsys, db_url, "sources")] == [None] * len(before[0])
    status, out, _ = run(capsys, "--db", db_url, "ingest", str(docs))  # the same files find their sources
    assert status == 0 and "0 new" in out
    assert state() == before
    assert all(s["location"] for s in as_json(capsys, db_url, "sources"))
    assert next(c for c in as_json(capsys, db_url, "claims") if c["id"] == claim["id"])["status"] == "false"
    members = sorted(m["claim_id"] for m in flag["members"])  # matching may give flags new ids (PostgreSQL does)
    assert [f["status"] for f in as_json(capsys, db_url, "flags")
            if sorted(m["claim_id"] for m in f["members"]) == members] == ["confirmed"]


def test_an_old_database_takes_a_changed_file_of_the_same_name_as_its_new_version(tmp_path, capsys, db_url):
    batch1, batch2 = two_batches(tmp_path)
    assert run(capsys, "--db", db_url, "ingest", str(batch1))[0] == 0
    claim = figure_claim(capsys, db_url, "article.txt")
    run(capsys, "--db", db_url, "verdict", str(claim["id"]), "supported", "--reviewer", "ana")
    _downgrade_to_0002(db_url)
    (batch1 / "article.txt").write_text("Note added on top.\n\n" + FIRST, encoding="utf-8")
    status, out, _ = run(capsys, "--db", db_url, "ingest", str(batch1))
    assert status == 0 and "0 new, 1 replaced" in out
    kept = figure_claim(capsys, db_url, "article.txt")
    assert (kept["id"], kept["status"]) == (claim["id"], "supported")
    status, out, _ = run(capsys, "--db", db_url, "ingest", str(batch2))  # a different text: a new source
    assert status == 0 and "1 new" in out
    assert len(as_json(capsys, db_url, "sources")) == 2


@pytest.mark.parametrize("argv", [["claims"], ["claims", "--json"], ["flags"], ["sources", "--json"], ["log"],
                                  ["export", "--format", "markdown"], ["verdict", "1", "supported"], ["match"]])
def test_a_read_command_in_an_empty_folder_says_so_and_makes_no_file(tmp_path, argv):
    r = cli(*argv, cwd=tmp_path)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: no database at claims.db")
    assert list(tmp_path.iterdir()) == []


def test_db_current_on_no_database_makes_no_file(tmp_path):
    r = cli("db", "current", cwd=tmp_path)
    assert r.returncode == 0 and "revision (none)" in r.stdout and list(tmp_path.iterdir()) == []


def test_a_failed_restore_leaves_no_file_it_made(tmp_path):
    (tmp_path / "backup.gz").write_bytes(b"not a backup at all")
    r = cli("--db", "new.db", "restore", "backup.gz", cwd=tmp_path)
    assert r.returncode == 1 and r.stderr.startswith("error:") and "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.gz"]


def _db_state(path: Path) -> tuple:
    """Integrity, and what a reader sees: sources, claims with their verdicts."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (conn.execute("PRAGMA integrity_check").fetchone()[0],
                conn.execute("SELECT id, path, sha256 FROM source ORDER BY id").fetchall(),
                conn.execute("SELECT id, status, note FROM claim ORDER BY id").fetchall(),
                conn.execute("SELECT count(*) FROM decision").fetchone()[0])
    finally:
        conn.close()


def _big_document(folder: Path) -> Path:
    """A document with a few thousand figures: its transaction needs far more room than the limit leaves."""
    folder.mkdir()
    lines = [f"In ward {i} the council counted {i * 7 + 3} households and {i * 5 + 1} empty homes in 2023."
             for i in range(4000)]
    (folder / "census.txt").write_text("Census notes\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.sqlite_only
def test_ingest_on_a_full_disk_stores_nothing_half_written(tmp_path):
    batch1, _ = two_batches(tmp_path)
    db = tmp_path / "claims.db"
    assert cli("--db", str(db), "ingest", str(batch1), cwd=tmp_path).returncode == 0
    assert cli("--db", str(db), "verdict", "1", "supported", "--reviewer", "ana", cwd=tmp_path).returncode == 0
    before = _db_state(db)
    big = _big_document(tmp_path / "big")
    limit = db.stat().st_size + 16 * 1024  # bytes any one file may grow to: the claims do not fit

    def full_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    r = cli("--db", str(db), "ingest", "--no-progress", str(big), cwd=tmp_path, preexec_fn=full_disk)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert errors and all(str(big / "census.txt") in e or "database" in e for e in errors), r.stderr
    assert _db_state(db) == before


@pytest.mark.sqlite_only
def test_ingest_into_a_read_only_database_says_so_and_changes_nothing(tmp_path):
    batch1, batch2 = two_batches(tmp_path)
    db = tmp_path / "claims.db"
    assert cli("--db", str(db), "ingest", str(batch1), cwd=tmp_path).returncode == 0
    before = _db_state(db)
    os.chmod(db, 0o444)
    r = cli("--db", str(db), "ingest", "--no-progress", str(batch2), cwd=tmp_path, preexec_fn=without_root_writes)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and ("read" in lines[0] or "open" in lines[0]), r.stderr
    os.chmod(db, 0o644)
    assert _db_state(db) == before
