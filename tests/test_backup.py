"""`factcheck backup FILE` / `factcheck restore FILE`: every row of every table survives, on SQLite and PostgreSQL."""

import gzip
import json

import pytest
from sqlalchemy import select

from factcheck import backup as fb
from factcheck.cli import main
from factcheck.db import head_revision, make_engine
from factcheck.decisions import decide_claim, decide_flag, undo


def run(capsys, *argv):
    """Run the CLI in-process; return (status, stdout, stderr)."""
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def cli_json(capsys, db, *argv):
    """A `--json` command's output, parsed."""
    status, out, err = run(capsys, *argv, "--json", "--db", db)
    assert status == 0, err
    return json.loads(out)


def dump(db) -> dict[str, list[dict]]:
    """Every row of every table, all columns, in primary key order."""
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            return {t.name: [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                    for t in fb.tables()}
    finally:
        engine.dispose()


def seeded_with_decisions(capsys, db, seeds_dir) -> None:
    """The seeds ingested, then verdicts, notes, a flag resolved with its correct statement, an undo."""
    status, _, err = run(capsys, "--db", db, "ingest", str(seeds_dir))
    assert status == 0, err
    claims = cli_json(capsys, db, "claims")
    ids = [c["id"] for c in claims]
    for args in (["verdict", str(ids[0]), "supported", "--note", "checked against the report", "--reviewer", "alice"],
                 ["verdict", str(ids[1]), "false", "--reviewer", "bob"],
                 ["verdict", str(ids[1]), "disputed", "--note", "ünïcode “quotes” and a\nnewline", "--reviewer", "bob"],
                 ["verdict", str(ids[2]), "not_a_claim", "--reviewer", "carol"],
                 ["verdict", str(ids[0]), "supported", "--note", "", "--reviewer", "alice"]):
        status, _, err = run(capsys, "--db", db, *args)
        assert status == 0, err
    conflict = next(f for f in cli_json(capsys, db, "flags", "--type", "conflict")
                    if len({m["claim_id"] for m in f["members"]}) >= 2)
    right = conflict["members"][1]["claim_id"]
    status, _, err = run(capsys, "--db", db, "resolve", str(conflict["id"]), "confirmed", "--correct", str(right),
                         "--note", "the later report is right", "--reviewer", "dora")
    assert status == 0, err
    engine = make_engine(db)
    try:
        other = next(f for f in cli_json(capsys, db, "flags") if f["id"] != conflict["id"])
        applied = decide_flag(engine, other["id"], status="dismissed", reviewer="erin")
        undo(engine, applied, reviewer="erin")  # an undo: two more log rows, back to open
        decide_flag(engine, other["id"], note="looked at twice", reviewer="erin")
        done = decide_claim(engine, ids[3], status="unverifiable", note="no source", reviewer="frank")
        undo(engine, done, reviewer="frank")
    finally:
        engine.dispose()


def assert_same_database(capsys, a, b) -> None:
    """Every row of every table equal, and the commands that read them print the same."""
    da, db_ = dump(a), dump(b)
    for table in da:
        assert len(da[table]) == len(db_[table]), table
        assert da[table] == db_[table], table
    for argv in (["claims"], ["flags"], ["log"], ["sources"]):
        assert cli_json(capsys, a, *argv) == cli_json(capsys, b, *argv), argv


def test_backup_and_restore_keep_every_row(capsys, any_db_url, make_db_url, seeds_dir, tmp_path):
    seeded_with_decisions(capsys, any_db_url, seeds_dir)
    before = dump(any_db_url)
    assert all(before[t] for t in ("source", "section", "entity", "alias", "claim", "flag", "flagmember", "decision"))
    assert {d["field"] for d in before["decision"]} == {"status", "note", "correct"}
    assert any(d["note"] and d["note"].startswith("undo: ") for d in before["decision"])

    file = tmp_path / "backup.jsonl.gz"
    status, out, err = run(capsys, "--db", any_db_url, "backup", str(file))
    assert status == 0, err
    assert out.startswith(f"wrote {file}: 5 source, ") and f"{len(before['decision'])} decision" in out
    lines = [json.loads(line) for line in gzip.open(file, "rt", encoding="utf-8")]
    header, trailer = lines[0], lines[-1]
    assert header["format"] == "factcheck-backup" and header["version"] == 1
    assert header["schema"] == head_revision()
    assert set(header["tables"]) == {t.name for t in fb.tables()}
    assert header["counts"] == {t: len(rows) for t, rows in before.items()} == trailer["counts"]
    assert trailer["end"] is True and len(lines) == 2 + sum(header["counts"].values())
    assert dump(any_db_url) == before  # a backup only reads

    targets = [make_db_url("sqlite"), make_db_url("postgresql")]  # SQLite and PostgreSQL from either
    for target in filter(None, targets):
        status, out, err = run(capsys, "--db", target, "restore", str(file))
        assert status == 0, err
        assert out.startswith(f"restored {file}: 5 source, ")
        assert_same_database(capsys, any_db_url, target)
        again = tmp_path / "again.jsonl.gz"  # the restored database backs up to the same rows
        assert run(capsys, "--db", target, "backup", str(again))[0] == 0
        assert [json.loads(line) for line in gzip.open(again, "rt", encoding="utf-8")][1:] == lines[1:]

        # the restored database works: new decisions take the next ids, and undo still finds its rows
        cid = next(c["id"] for c in cli_json(capsys, target, "claims") if c["status"] == "unreviewed")
        status, out, err = run(capsys, "--db", target, "verdict", str(cid), "supported", "--reviewer", "gina")
        assert status == 0, err
        assert out.startswith(f"claim {cid}: unreviewed → supported (gina)")
        newest = cli_json(capsys, target, "log", "--limit", "1")[0]
        assert newest["id"] == max(d["id"] for d in before["decision"]) + 1
        assert (newest["target_id"], newest["new"], newest["reviewer"]) == (cid, "supported", "gina")
        # a new document gets new ids in every table (PostgreSQL: the sequences were moved past the restored ids)
        extra = tmp_path / f"new_{target.rsplit('/', 1)[-1]}"
        extra.mkdir()
        (extra / "new.txt").write_text("On 3 May 2021 the council said 4,500 homes were empty. \"We need 300 more "
                                       "staff,\" said Jo Bloggs, the chair.\n", encoding="utf-8")
        status, out, err = run(capsys, "--db", target, "ingest", str(extra))
        assert status == 0 and "1 new" in out, err
        after = dump(target)
        for table in ("source", "section", "claim", "entity", "alias"):
            new_ids = {r["id"] for r in after[table]} - {r["id"] for r in before[table]}
            assert new_ids and min(new_ids) > max(r["id"] for r in before[table]), table


def test_restore_refuses_a_database_with_data_unless_forced(capsys, any_db_url, make_db_url, seeds_dir, tmp_path):
    seeded_with_decisions(capsys, any_db_url, seeds_dir)
    file = tmp_path / "b.gz"
    assert run(capsys, "--db", any_db_url, "backup", str(file))[0] == 0
    saved = dump(any_db_url)
    cid = cli_json(capsys, any_db_url, "claims")[5]["id"]
    assert run(capsys, "--db", any_db_url, "verdict", str(cid), "false", "--reviewer", "zed")[0] == 0
    changed = dump(any_db_url)

    status, out, err = run(capsys, "--db", any_db_url, "restore", str(file))
    assert (status, out) == (1, "")
    assert len(err.splitlines()) == 1 and err.startswith("error: the database is not empty (5 source, ")
    assert "--force" in err
    assert dump(any_db_url) == changed

    status, out, err = run(capsys, "--db", any_db_url, "restore", "--force", str(file))
    assert status == 0, err
    assert dump(any_db_url) == saved  # the later verdict is gone: everything was replaced

    # a non-empty SQLite file restored from the same backup twice over
    target = make_db_url("sqlite")
    assert run(capsys, "--db", target, "restore", str(file))[0] == 0
    assert run(capsys, "--db", target, "restore", "--force", str(file))[0] == 0
    assert dump(target) == saved


def _rewrite(src, dst, edit) -> None:
    """Copy a backup's lines through edit(list of lines) into a new gzip file."""
    lines = gzip.open(src, "rt", encoding="utf-8").read().splitlines(keepends=True)
    with gzip.open(dst, "wt", encoding="utf-8") as f:
        f.writelines(edit(lines))


def _bad_date(lines):
    """The first section row with a date that is not one."""
    out = []
    for line in lines:
        item = json.loads(line)
        if isinstance(item, list) and item[0] == "source" and not any("not-a-date" in x for x in out):
            cols = json.loads(lines[0])["columns"]["source"]
            item[1][cols.index("published")] = "not-a-date"
            line = json.dumps(item) + "\n"
        out.append(line)
    return out


def _duplicate_id(lines):
    """A claim row twice (counts adjusted, so only the database can tell)."""
    header, trailer = json.loads(lines[0]), json.loads(lines[-1])
    header["counts"]["claim"] += 1
    trailer["counts"]["claim"] += 1
    at = next(i for i, line in enumerate(lines) if line.startswith('["claim"'))
    return [json.dumps(header) + "\n", *lines[1:at + 1], lines[at], *lines[at + 1:-1], json.dumps(trailer) + "\n"]


DAMAGE = {
    "cut in the middle": lambda b: b[: len(b) // 2],
    "cut near the end": lambda b: b[:-12],
    "flipped byte": lambda b: b[:200] + bytes([b[200] ^ 0xFF]) + b[201:],
    "not gzip, not json": lambda b: b"PK\x03\x04 something else entirely\n",
    "empty": lambda b: b"",
}
EDITS = {
    "no end marker": lambda lines: lines[:-1],
    "lines lost before the end": lambda lines: lines[:-40] + lines[-1:],
    "not a factcheck header": lambda lines: ['{"format": "other"}\n', *lines[1:]],
    "newer format": lambda lines: [lines[0].replace('"version": 1', '"version": 99'), *lines[1:]],
    "newer schema": lambda lines: [json.dumps({**json.loads(lines[0]), "schema": "9999_from_the_future"}) + "\n",
                                   *lines[1:]],
    "unknown table": lambda lines: [*lines[:3], '["nosuch", [1]]\n', *lines[3:]],
    "half a line": lambda lines: [*lines[:5], lines[5][: len(lines[5]) // 2] + "\n", *lines[6:]],
    "a bad date": _bad_date,
    "a duplicated id": _duplicate_id,
}


@pytest.mark.parametrize("damage", [*DAMAGE, *EDITS])
def test_damaged_backup_is_refused_and_nothing_is_written(capsys, db_url, make_db_url, seeds_dir, tmp_path, damage):
    seeded_with_decisions(capsys, db_url, seeds_dir)
    good = tmp_path / "good.gz"
    assert run(capsys, "--db", db_url, "backup", str(good))[0] == 0
    bad = tmp_path / "bad.gz"
    if damage in DAMAGE:
        bad.write_bytes(DAMAGE[damage](good.read_bytes()))
    else:
        _rewrite(good, bad, EDITS[damage])

    empty = make_db_url("sqlite")
    status, out, err = run(capsys, "--db", empty, "restore", str(bad))
    assert (status, out) == (1, ""), err
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert not any(dump(empty).values())

    saved = dump(db_url)  # --force onto a full database: a damaged file replaces nothing
    status, out, err = run(capsys, "--db", db_url, "restore", "--force", str(bad))
    assert (status, out) == (1, "") and len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert dump(db_url) == saved


def test_backup_to_an_unwritable_place_is_one_error_line(capsys, review_db, tmp_path):
    status, out, err = run(capsys, "--db", review_db, "backup", str(tmp_path / "no" / "such" / "dir" / "b.gz"))
    assert (status, out) == (1, "") and len(err.splitlines()) == 1 and err.startswith("error: ")
    assert not (tmp_path / "no").exists()
    status, _, err = run(capsys, "--db", review_db, "restore", str(tmp_path / "missing.gz"))
    assert status == 1 and err.startswith("error: ") and "No such file" in err


def test_restore_of_an_empty_database_backup(capsys, db_url, make_db_url, tmp_path):
    file = tmp_path / "empty.gz"
    status, out, err = run(capsys, "--db", db_url, "backup", str(file))
    assert status == 0, err
    assert "no rows (0 rows)" in out
    target = make_db_url("sqlite")
    status, out, err = run(capsys, "--db", target, "restore", str(file))
    assert status == 0 and out == f"restored {file}: no rows (0 rows)\n", err
