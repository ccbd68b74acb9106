"""The command line as a user runs it: ingest, idempotence, bad files, JSON shapes, --db."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.cli import main

CLAIM_KEYS = {"id", "kind", "source", "start", "end", "text", "excerpt", "value", "low", "high", "unit",
              "qualifier", "date", "speaker", "subject", "status"}
SOURCE_KEYS = {"id", "source", "title", "published", "sha256", "sections", "claims"}


def run(capsys, *argv):
    """Run the CLI in-process; return (status, stdout, stderr)."""
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def write(folder: Path, name: str, content) -> Path:
    """Write a text or bytes file under folder."""
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def test_ingest_seeds_prints_summary_and_json_shapes(capsys, db_url, seeds_dir):
    status, out, err = run(capsys, "--db", db_url, "ingest", str(seeds_dir))
    assert status == 0, err
    assert "5 sources ingested" in out and "claims" in out and " s" in out
    _, out, _ = run(capsys, "--db", db_url, "sources", "--json")
    sources = json.loads(out)
    assert len(sources) == 5 and all(SOURCE_KEYS <= set(s) for s in sources)
    by_name = {s["source"]: s for s in sources}
    assert by_name["000_a7169dbeeddd8cc3.txt"]["published"] == "2017-06-19"
    assert by_name["002_1a12966d222f4539.txt"]["published"] == "2017-06-16"
    assert by_name["003_b1866b0f00dbf4d8.txt"]["sections"] == 5
    _, out, _ = run(capsys, "--db", db_url, "claims", "--json", "--kind", "quantity", "--source", "002")
    claims = json.loads(out)
    assert claims and all(CLAIM_KEYS <= set(c) for c in claims)
    assert {c["kind"] for c in claims} == {"quantity"}
    assert {c["source"] for c in claims} == {"002_1a12966d222f4539.txt"}


def test_ingest_twice_adds_nothing(capsys, db_url, seeds_dir):
    run(capsys, "--db", db_url, "ingest", str(seeds_dir))
    _, before, _ = run(capsys, "--db", db_url, "claims", "--json")
    status, out, _ = run(capsys, "--db", db_url, "ingest", str(seeds_dir))
    assert status == 0 and "0 new" in out and "5 unchanged" in out
    _, after, _ = run(capsys, "--db", db_url, "claims", "--json")
    assert json.loads(before) == json.loads(after)


def test_changed_file_replaces_old_version_and_keeps_decisions(capsys, db_url, tmp_path):
    folder = tmp_path / "docs"
    write(folder, "a.txt", "Staff in Stoke hold 90-100 cases each. Some hold up to 80 cases.\n")
    run(capsys, "--db", db_url, "ingest", str(folder))
    from sqlmodel import Session, select

    from factcheck.db import make_engine
    from factcheck.models import Claim

    engine = make_engine(db_url)
    with Session(engine) as s:  # a reviewer marks one claim (the review commands come later)
        c = s.exec(select(Claim).where(Claim.text == "up to 80 cases")).one()
        c.status, c.note = "supported", "checked against the report"
        s.add(c)
        s.commit()
    write(folder, "a.txt", "Staff in Stoke hold 90-100 cases each. Some hold up to 80 cases.\nAbout 62% agreed.\n")
    status, out, _ = run(capsys, "--db", db_url, "ingest", str(folder))
    assert status == 0 and "1 replaced" in out
    _, out, _ = run(capsys, "--db", db_url, "claims", "--json")
    claims = json.loads(out)
    assert [c["text"] for c in claims] == ["90-100 cases", "up to 80 cases", "About 62%"]
    assert claims[1]["status"] == "supported"
    _, out, _ = run(capsys, "--db", db_url, "sources", "--json")
    assert len(json.loads(out)) == 1


def test_bad_files_get_one_line_each_and_the_rest_go_in(capsys, db_url, tmp_path):
    folder = tmp_path / "mixed"
    write(folder, "good.txt", "More than 3,000 offenders were supervised in 2016.\n")
    write(folder, "empty.txt", "")
    write(folder, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    write(folder, "undecodable.txt", b"\x81\x8d\x8f\x90\x9d" * 40)
    write(folder, "broken.pdf", b"%PDF-1.4\n garbage that is not a pdf")
    write(folder, "broken.docx", b"PK\x03\x04 not really a zip")
    status, out, err = run(capsys, "--db", db_url, "ingest", str(folder))
    assert status == 1
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(lines) == 5
    for name, reason in [("empty.txt", "empty"), ("binary.txt", "binary"), ("undecodable.txt", "decode"),
                         ("broken.pdf", "PDF"), ("broken.docx", "DOCX")]:
        assert any(name in ln and reason in ln for ln in lines), (name, lines)
    assert "Traceback" not in err
    assert "1 sources ingested" in out
    _, out, _ = run(capsys, "--db", db_url, "claims", "--json")
    assert [c["text"] for c in json.loads(out)] == ["More than 3,000 offenders", "2016"]


def test_huge_file_is_refused_with_its_size(capsys, db_url, tmp_path):
    big = write(tmp_path, "big.txt", "The figure was 12 cases. " * 60000)
    status, _, err = run(capsys, "--db", db_url, "ingest", "--max-mb", "1", str(big))
    assert status == 1 and "big.txt" in err and "too large" in err


def test_a_failure_mid_ingest_keeps_what_was_stored(capsys, db_url, tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    write(folder, "a.txt", "Up to 80 cases.\n")
    write(folder, "b.txt", "Around 70 cases.\n")
    run(capsys, "--db", db_url, "ingest", str(folder / "a.txt"))
    import factcheck.ingest.pipeline as pipeline

    real = pipeline._claim_rows

    def explode(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk on fire")  # after the source row was inserted in this transaction

    monkeypatch.setattr(pipeline, "_claim_rows", explode)
    status, _, err = run(capsys, "--db", db_url, "ingest", str(folder / "b.txt"))
    assert status == 1 and "b.txt" in err and "disk on fire" in err and "Traceback" not in err
    monkeypatch.undo()
    _, out, _ = run(capsys, "--db", db_url, "sources", "--json")
    assert [s["source"] for s in json.loads(out)] == ["a.txt"]  # no half-stored b.txt, a.txt intact


def test_db_from_environment_and_sqlalchemy_url(capsys, tmp_path, monkeypatch, seeds_dir):
    path = tmp_path / "env.db"
    monkeypatch.setenv("FACTCHECK_DB", str(path))
    status, _, _ = run(capsys, "ingest", str(seeds_dir / "000_a7169dbeeddd8cc3.txt"))
    assert status == 0 and path.exists()
    monkeypatch.delenv("FACTCHECK_DB")
    _, out, _ = run(capsys, "--db", f"sqlite:///{path}", "sources", "--json")
    assert [s["source"] for s in json.loads(out)] == ["000_a7169dbeeddd8cc3.txt"]


def test_bad_database_url_is_one_line_not_a_traceback(capsys):
    status, _, err = run(capsys, "--db", "nosuchdialect://x/y", "sources")
    assert status == 2 and err.startswith("error: cannot open database") and "Traceback" not in err


def test_empty_database_says_what_to_do(capsys, db_url):
    from factcheck.db import make_engine

    make_engine(db_url).dispose()  # an empty database (made by another command)
    _, out, _ = run(capsys, "--db", db_url, "claims")
    assert "factcheck ingest" in out


def test_python_dash_m_and_console_script(tmp_path, seeds_dir):
    env = {k: v for k, v in os.environ.items() if k != "FACTCHECK_DB"}
    db = str(tmp_path / "m.db")
    r = subprocess.run([sys.executable, "-m", "factcheck", "--db", db, "ingest", str(seeds_dir)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "5 sources ingested" in r.stdout


def test_claim_text_is_exact_slice_of_file(capsys, db_url, tmp_path):
    text = "Line one\r\nThe report, published 16 June 2017, found 62% complied.\r\n“Up to 80 cases”, she said.\r\n"
    f = write(tmp_path, "crlf.txt", text.encode("utf-8"))
    run(capsys, "--db", db_url, "ingest", str(f))
    _, out, _ = run(capsys, "--db", db_url, "claims", "--json")
    raw = f.read_bytes().decode("utf-8")
    claims = json.loads(out)
    assert sorted(c["kind"] for c in claims) == ["attribution", "date", "quantity", "quantity", "quote"]
    assert all(raw[c["start"]:c["end"]] == c["text"] for c in claims)


def test_speaker_filter_is_fuzzy_and_case_insensitive(capsys, seeded_db):
    _, out, _ = run(capsys, "--db", seeded_db, "claims", "--json", "--speaker", "glenys stacy")
    claims = json.loads(out)
    assert claims and {c["speaker"] for c in claims} == {"Dame Glenys Stacey"}
    assert {"quote", "attribution"} <= {c["kind"] for c in claims}
    _, out, _ = run(capsys, "--db", seeded_db, "claims", "--json", "--speaker", "Dame Glenys")
    assert {c["id"] for c in json.loads(out)} == {c["id"] for c in claims}
    _, out, _ = run(capsys, "--db", seeded_db, "claims", "--json", "--speaker", "nobody at all like this")
    assert json.loads(out) == []


def test_every_quote_in_the_transcript_has_its_turn_speaker(capsys, seeded_db):
    _, out, _ = run(capsys, "--db", seeded_db, "claims", "--json", "--kind", "quote", "--source", "003")
    turns = [c for c in json.loads(out) if c["details"].get("turn")]
    assert len(turns) > 40
    assert {c["speaker"] for c in turns} >= {"Chair", "David Hood", "Suki Binning", "Adam Hart", "Trevor Shortt",
                                             "Andy Slaughter", "Richard Burgon"}
    assert all(c["speaker"] == c["details"]["label"] or c["speaker"].endswith(c["details"]["label"]) for c in turns)


@pytest.mark.sqlite_only  # builds an old SQLite file with sqlite3
def test_a_database_from_another_schema_is_one_line_not_a_traceback(capsys, tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE claim (id INTEGER PRIMARY KEY, kind TEXT)")  # an older, narrower table
    con.commit()
    con.close()
    status, _, err = run(capsys, "--db", str(path), "claims", "--json")
    assert status == 2 and err.startswith("error: database:") and "Traceback" not in err


def test_claims_json_is_streamed_as_the_same_array(capsys, seeded_db, monkeypatch):
    from factcheck import store
    from factcheck.db import make_engine

    engine = make_engine(seeded_db)
    every = store.list_claims(engine)
    assert list(store.iter_claims(engine, batch=7)) == every  # batches of any size give the same claims
    monkeypatch.setattr(store, "list_claims", lambda *a, **k: pytest.fail("claims built the whole list"))
    _, out, _ = run(capsys, "--db", seeded_db, "claims", "--json")
    assert out == json.dumps(every, ensure_ascii=False, indent=1) + "\n"  # element by element, the same text
    _, out, _ = run(capsys, "--db", seeded_db, "claims", "--json", "--source", "no such source")
    assert out == "[]\n"
    _, out, _ = run(capsys, "--db", seeded_db, "claims", "--source", "no such source")
    assert out == "No claims match.\n"
