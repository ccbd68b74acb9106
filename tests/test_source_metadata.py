"""Source metadata the files do not hold: sources.toml beside the documents and .md front matter."""

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlmodel import Session, select

from factcheck.cli import main
from factcheck.db import make_engine
from factcheck.ingest.metadata import FrontMatter, clean_values, front_matter
from factcheck.models import Claim, Section, Source

BODY = "Staff in Stoke hold 90-100 cases each. Some hold up to 80 cases.\n"


def run(capsys, *argv):
    """Run the CLI in-process; return (status, stdout, stderr)."""
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def write(folder: Path, name: str, content: str) -> Path:
    """Write a UTF-8 file under folder (making its folders)."""
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(content, encoding="utf-8")
    return p


def sources(capsys, db_url) -> dict[str, dict]:
    """`sources --json` by source path."""
    status, out, err = run(capsys, "--db", db_url, "sources", "--json")
    assert status == 0, err
    return {s["source"]: s for s in json.loads(out)}


def claims(capsys, db_url, *args) -> list[dict]:
    """`claims --json` with extra arguments."""
    _, out, _ = run(capsys, "--db", db_url, "claims", "--json", *args)
    return json.loads(out)


def test_toml_per_file_entries_and_defaults(capsys, db_url, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "003_report.txt", "Probation review\n\n" + BODY)
    write(docs, "other.txt", "Another note\n\n" + BODY.replace("Stoke", "Essex"))
    write(docs, "sources.toml", """
["*"]
outlet = "Inside Time"
type = "article-newspaper"
publisher = "Inside Time Ltd"

["003_report.txt"]
title = "Transforming Rehabilitation: progress review"
author = ["Jane Doe", "John Roe"]
url = "https://example.org/report.pdf"
published = 2017-06-16
accessed = "2024-05-01"
type = "report"
""")
    status, out, err = run(capsys, "--db", db_url, "ingest", str(docs))
    assert status == 0, err
    assert "2 sources ingested" in out and "note:" not in err  # sources.toml is not a document
    by = sources(capsys, db_url)
    assert set(by) == {"003_report.txt", "other.txt"}
    rep = by["003_report.txt"]
    assert rep["title"] == "Transforming Rehabilitation: progress review"
    assert rep["author"] == "Jane Doe; John Roe"
    assert rep["url"] == "https://example.org/report.pdf"
    assert (rep["published"], rep["published_evidence"]) == ("2017-06-16", "sources.toml")
    assert rep["accessed"] == "2024-05-01"
    assert rep["type"] == "report"  # the file's own entry beats the default
    assert rep["outlet"] == "Inside Time" and rep["publisher"] == "Inside Time Ltd"  # defaults fill the rest
    assert rep["meta_evidence"] == "sources.toml"
    other = by["other.txt"]
    assert (other["outlet"], other["type"], other["title"]) == ("Inside Time", "article-newspaper", "Another note")
    assert other["accessed"] is None and other["ingested_at"]  # accessed: only what the user gave
    assert other["url"] is None and other["author"] is None and other["published"] is None
    # the old keys are all still there
    assert {"id", "source", "title", "published", "published_evidence", "sha256", "format", "sections",
            "claims"} <= set(rep)


def test_nearest_toml_wins_and_a_files_own_entry_beats_defaults(capsys, db_url, tmp_path):
    root = tmp_path / "root"
    write(root, "top.txt", "Top level\n\n" + BODY)
    write(root, "sub/deep/c.txt", "Deep file\n\n" + BODY.replace("Stoke", "Leeds"))
    write(root, "sources.toml", """
["*"]
outlet = "Root Outlet"
publisher = "Root Publisher"
type = "webpage"

["sub/deep/c.txt"]
url = "https://far.example/c"
title = "Far title"
""")
    write(root, "sub/sources.toml", """
["*"]
outlet = "Sub Outlet"
url = "https://near-default.example/"

["deep/c.txt"]
title = "Near title"
""")
    assert run(capsys, "--db", db_url, "ingest", str(root))[0] == 0
    by = sources(capsys, db_url)
    c = by["sub/deep/c.txt"]
    assert c["title"] == "Near title"  # nearest per-file entry
    assert c["url"] == "https://far.example/c"  # an entry naming the file beats a nearer blanket default
    assert c["outlet"] == "Sub Outlet"  # nearest default
    assert (c["publisher"], c["type"]) == ("Root Publisher", "webpage")  # farther default for the rest
    top = by["top.txt"]
    assert (top["outlet"], top["url"], top["title"]) == ("Root Outlet", None, "Top level")


def test_toml_beside_a_single_file_is_read(capsys, db_url, tmp_path):
    docs = tmp_path / "docs"
    f = write(docs, "a.txt", BODY)
    write(docs, "sources.toml", '["a.txt"]\nauthor = "Jane Doe"\n')
    assert run(capsys, "--db", db_url, "ingest", str(f))[0] == 0
    assert sources(capsys, db_url)["a.txt"]["author"] == "Jane Doe"
    status, out, err = run(capsys, "--db", db_url, "ingest", str(docs / "sources.toml"))
    assert status == 0 and "not ingested" in err and "error:" not in err


def test_dates_toml_date_iso_string_and_datetime(capsys, db_url, tmp_path):
    docs = tmp_path / "docs"
    for name in ("a.txt", "b.txt", "c.txt"):
        write(docs, name, f"{name} heading here\n\nMore than {len(name) * 1000} offenders were supervised.\n")
    write(docs, "sources.toml", """
["a.txt"]
published = 2017-06-16
["b.txt"]
published = "2018-01-02"
accessed = 2024-05-01T10:30:00Z
["c.txt"]
published = "2019-03-04T08:00:00+01:00"
""")
    assert run(capsys, "--db", db_url, "ingest", str(docs))[0] == 0
    by = sources(capsys, db_url)
    assert by["a.txt"]["published"] == "2017-06-16"
    assert (by["b.txt"]["published"], by["b.txt"]["accessed"]) == ("2018-01-02", "2024-05-01")
    assert by["c.txt"]["published"] == "2019-03-04"


def test_given_date_beats_the_dateline_and_dates_relative_claims(capsys, db_url, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "dated.txt", "16 June 2017\n\nThe figures were published on 10 June.\n")
    write(docs, "undated.txt", "Caseload report\n\nThe inspectorate published its report yesterday.\n")
    write(docs, "sources.toml", '["dated.txt"]\npublished = 2017-06-19\n["undated.txt"]\npublished = 2017-06-20\n')
    assert run(capsys, "--db", db_url, "ingest", str(docs))[0] == 0
    by = sources(capsys, db_url)
    assert (by["dated.txt"]["published"], by["dated.txt"]["published_evidence"]) == ("2017-06-19", "sources.toml")
    assert by["undated.txt"]["published"] == "2017-06-20"
    yesterday = [c for c in claims(capsys, db_url, "--source", "undated.txt") if c["text"] == "yesterday"]
    assert yesterday and yesterday[0]["date"] == "2017-06-19"  # resolved against the given date
    with Session(make_engine(db_url)) as s:  # a dateline in the text still dates its own section
        src = s.exec(select(Source).where(Source.path == "dated.txt")).one()
        assert [sec.dated for sec in s.exec(select(Section).where(Section.source_id == src.id))] == [
            dt.date(2017, 6, 16)]


def test_bad_toml_is_one_error_line_and_the_documents_still_go_in(capsys, db_url, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "a.txt", BODY)
    write(docs, "sub/b.txt", BODY.replace("Stoke", "Hull"))
    toml = write(docs, "sources.toml", '["a.txt"]\ntitle = "unterminated\n')
    write(docs, "sub/sources.toml", '["b.txt"]\nauthor = "Jane Doe"\n')
    status, out, err = run(capsys, "--db", db_url, "ingest", str(docs))
    assert status == 1 and "Traceback" not in err
    errors = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and str(toml) in errors[0] and "TOML" in errors[0] and "line 2" in errors[0]
    assert "2 sources ingested" in out
    by = sources(capsys, db_url)
    assert by["a.txt"]["title"] != "unterminated" and by["sub/b.txt"]["author"] == "Jane Doe"


def test_bad_date_unknown_key_and_bad_type_are_notes_and_the_rest_is_used(capsys, db_url, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "a.txt", BODY)
    toml = write(docs, "sources.toml", """
["a.txt"]
published = "16 June 2017"
accessed = 2024-02-30
auther = "Typo"
type = "newspaper"
title = 42
author = "Jane Doe"

["missing.txt"]
title = "No such file"
""".replace("2024-02-30", '"2024-02-30"'))
    status, out, err = run(capsys, "--db", db_url, "ingest", str(docs))
    assert status == 0 and "1 sources ingested" in out
    notes = [ln for ln in err.splitlines() if ln.startswith("note:")]
    assert all(str(toml) in ln for ln in notes), notes
    for part in ("bad published date '16 June 2017'", "bad accessed date '2024-02-30'", "'auther'",
                 "'newspaper' is not a CSL item type", "title must be a string", '["missing.txt"] names no file'):
        assert sum(part in ln for ln in notes) == 1, (part, notes)
    a = sources(capsys, db_url)["a.txt"]
    assert a["author"] == "Jane Doe"
    assert a["published"] is None and a["accessed"] is None and a["type"] is None


FRONT = """---
title: "Probation: a review of 2016"
author: [Jane Doe, 'Roe, John']
date: 2017-06-16
url: https://example.org/review  # canonical
outlet: Inside Time
tags: [probation]
---
# Caseloads in Stoke

Staff in Stoke hold 90-100 cases each, and 62% said workloads were too high in 2016.
"""


def test_front_matter_is_metadata_not_claims_and_offsets_still_index_the_file(capsys, db_url, tmp_path):
    f = write(tmp_path / "docs", "review.md", FRONT)
    status, _, err = run(capsys, "--db", db_url, "ingest", str(f.parent))
    assert status == 0
    assert "tags" not in err  # keys meant for other tools (tags, draft, layout) are left alone quietly
    src = sources(capsys, db_url)["review.md"]
    assert src["title"] == "Probation: a review of 2016"
    assert src["author"] == "Jane Doe; Roe, John"
    assert (src["published"], src["published_evidence"]) == ("2017-06-16", "front matter")
    assert (src["url"], src["outlet"], src["meta_evidence"]) == ("https://example.org/review", "Inside Time",
                                                                  "front matter")
    raw = f.read_bytes().decode("utf-8")
    fm_end = raw.index("# Caseloads")
    found = claims(capsys, db_url)
    assert {c["text"] for c in found} >= {"90-100 cases", "62%", "2016"}
    assert all(c["start"] >= fm_end for c in found), [c["text"] for c in found if c["start"] < fm_end]
    assert all(raw[c["start"]:c["end"]] == c["text"] for c in found)
    assert all(raw[c["excerpt_start"]:c["excerpt_end"]] == c["excerpt"] for c in found)
    with Session(make_engine(db_url)) as s:
        assert s.exec(select(Source.text)).one() == raw  # the stored text is the whole decoded file


def test_front_matter_without_title_does_not_become_the_title(capsys, db_url, tmp_path):
    f = write(tmp_path, "note.md", "---\nauthor: Jane Doe\noutlet: The Guardian\n---\n\nCaseloads in Stoke rise\n\n"
                                   "Staff hold 90-100 cases each.\n")
    run(capsys, "--db", db_url, "ingest", str(f))
    src = sources(capsys, db_url)["note.md"]
    assert src["title"] == "Caseloads in Stoke rise"
    assert (src["author"], src["outlet"]) == ("Jane Doe", "The Guardian")


def test_toml_beats_front_matter_beats_the_file(capsys, db_url, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "review.md", FRONT)
    write(docs, "page.html",
          '<html><head><title>Page title</title><meta property="og:site_name" content="The Guardian">'
          '<link rel="canonical" href="https://www.theguardian.com/society/stoke">'
          '<meta name="author" content="Alan Travis"></head><body><article><h1>Page title</h1>'
          f"<p>{BODY}</p></article></body></html>")
    write(docs, "sources.toml", '["review.md"]\ntitle = "Title from the toml"\naccessed = 2024-05-01\n'
                                '["page.html"]\ntype = "article-newspaper"\n')
    assert run(capsys, "--db", db_url, "ingest", str(docs))[0] == 0
    by = sources(capsys, db_url)
    md = by["review.md"]
    assert (md["title"], md["author"], md["accessed"]) == ("Title from the toml", "Jane Doe; Roe, John", "2024-05-01")
    assert md["meta_evidence"] == "sources.toml, front matter"
    page = by["page.html"]
    assert (page["outlet"], page["url"], page["author"]) == (
        "The Guardian", "https://www.theguardian.com/society/stoke", "Alan Travis")
    assert (page["type"], page["title"]) == ("article-newspaper", "Page title")
    assert page["meta_evidence"] == "sources.toml, html metadata"


def test_metadata_only_change_updates_in_place_and_keeps_the_verdict(capsys, db_url, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "a.txt", "Caseload report\n\n" + BODY)
    toml = write(docs, "sources.toml", '["a.txt"]\noutlet = "Inside Time"\n')
    run(capsys, "--db", db_url, "ingest", str(docs))
    before = {c["text"]: c for c in claims(capsys, db_url)}
    target = before["up to 80 cases"]
    status, out, _ = run(capsys, "--db", db_url, "verdict", str(target["id"]), "supported")
    assert status == 0 and "supported" in out
    toml.write_text('["a.txt"]\noutlet = "The Guardian"\nauthor = ["A One", "B Two"]\nurl = "https://x.example/a"\n'
                    'title = "New title"\n', encoding="utf-8")
    status, out, err = run(capsys, "--db", db_url, "ingest", str(docs))
    assert status == 0 and "0 new, 0 replaced, 1 unchanged" in out
    assert "metadata updated for 1 unchanged source: a.txt" in err
    src = sources(capsys, db_url)["a.txt"]
    assert (src["outlet"], src["author"], src["url"], src["title"]) == (
        "The Guardian", "A One; B Two", "https://x.example/a", "New title")
    after = {c["text"]: c for c in claims(capsys, db_url)}
    assert {k: (c["id"], c["status"]) for k, c in after.items()} == {
        k: (c["id"], "supported" if k == "up to 80 cases" else c["status"]) for k, c in before.items()}
    with Session(make_engine(db_url)) as s:
        assert s.exec(select(Section.heading)).all() == ["New title"]
    status, out, err = run(capsys, "--db", db_url, "ingest", str(docs))  # and then it is simply unchanged
    assert "1 unchanged" in out and "metadata updated" not in err


def test_new_date_that_redates_the_text_re_extracts_and_keeps_the_verdict(capsys, db_url, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "a.txt", "Caseload report\n\nThe inspectorate published its report yesterday. Up to 80 cases.\n")
    toml = write(docs, "sources.toml", '["a.txt"]\npublished = 2017-06-20\n')
    run(capsys, "--db", db_url, "ingest", str(docs))
    target = next(c for c in claims(capsys, db_url) if c["text"] == "yesterday")
    assert target["date"] == "2017-06-19"
    run(capsys, "--db", db_url, "verdict", str(target["id"]), "disputed")
    toml.write_text('["a.txt"]\npublished = 2017-06-23\n', encoding="utf-8")
    status, out, _ = run(capsys, "--db", db_url, "ingest", str(docs))
    assert status == 0 and "1 replaced" in out
    again = next(c for c in claims(capsys, db_url) if c["text"] == "yesterday")
    assert (again["date"], again["status"]) == ("2017-06-22", "disputed")


OLD_SOURCE_DDL = """CREATE TABLE source (
    id INTEGER NOT NULL, path VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, fmt VARCHAR NOT NULL,
    title VARCHAR, publisher VARCHAR, author VARCHAR, published DATE, published_evidence VARCHAR,
    published_start INTEGER, text TEXT NOT NULL, ingested_at DATETIME NOT NULL, PRIMARY KEY (id))"""


@pytest.mark.sqlite_only  # builds an old SQLite file with sqlite3
def test_old_schema_database_is_upgraded_and_keeps_its_rows(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.execute(OLD_SOURCE_DDL)
    con.execute("CREATE UNIQUE INDEX ix_source_path ON source (path)")
    con.execute("INSERT INTO source (id, path, sha256, fmt, title, author, published, published_evidence, text, "
                "ingested_at) VALUES (1, 'old.txt', 'abc', 'txt', 'Old title', 'Old Author', '2017-06-16', "
                "'16 June 2017', 'Old text, 12 cases.', '2024-01-02 03:04:05.000000')")
    con.commit()
    con.close()
    engine = make_engine(str(db))
    names = {c["name"] for c in inspect(engine).get_columns("source")}
    assert {"url", "outlet", "source_type", "accessed", "meta_evidence"} <= names
    make_engine(str(db))  # a second open adds nothing and does not fail
    docs = tmp_path / "docs"
    write(docs, "a.txt", BODY)
    write(docs, "sources.toml", '["a.txt"]\nurl = "https://x.example/a"\naccessed = 2024-05-01\n')
    status, out, err = run(capsys, "--db", str(db), "ingest", str(docs))
    assert status == 0 and "1 sources ingested" in out, err
    by = sources(capsys, str(db))
    assert by["a.txt"]["url"] == "https://x.example/a" and by["a.txt"]["accessed"] == "2024-05-01"
    old = by["old.txt"]
    assert (old["title"], old["author"], old["published"], old["published_evidence"], old["sha256"]) == (
        "Old title", "Old Author", "2017-06-16", "16 June 2017", "abc")
    assert old["url"] is None and old["accessed"] is None and old["meta_evidence"] is None
    with Session(make_engine(str(db))) as s:
        assert s.get(Source, 1).text == "Old text, 12 cases."
        assert s.exec(select(Claim)).all()  # the new document's claims went in beside it


def test_old_source_row_gets_metadata_without_re_extraction(capsys, db_url, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "a.txt", "Caseload report\n\n" + BODY)
    run(capsys, "--db", db_url, "ingest", str(docs))
    with make_engine(db_url).begin() as conn:  # as an older version stored it: none of the new columns set
        conn.exec_driver_sql("UPDATE source SET meta_evidence = NULL")
    status, out, _ = run(capsys, "--db", db_url, "ingest", str(docs))
    assert "1 unchanged" in out
    write(docs, "sources.toml", '["*"]\noutlet = "Inside Time"\n')
    status, out, err = run(capsys, "--db", db_url, "ingest", str(docs))
    assert "1 unchanged" in out and "metadata updated" in err
    assert sources(capsys, db_url)["a.txt"]["outlet"] == "Inside Time"


def test_front_matter_parser_edge_cases():
    notes: list[str] = []
    assert front_matter("# Title\n---\na: b\n---\n", "x.md", notes) is None  # not at the top
    assert front_matter("---\n\nJust a rule, then prose.\n\n---\n", "x.md", notes) is None
    assert front_matter("---\ntitle: never closed\n\nBody.\n", "x.md", notes) is None
    fm = front_matter("---\r\nauthor:\r\n  - Jane Doe\r\n  - \"Roe, John\"\r\ntitle: 'It''s here'\r\n---\r\nBody",
                      "x.md", notes)
    assert isinstance(fm, FrontMatter) and fm.values == {"author": ["Jane Doe", "Roe, John"], "title": "It's here"}
    assert fm.end == len("---\r\nauthor:\r\n  - Jane Doe\r\n  - \"Roe, John\"\r\ntitle: 'It''s here'\r\n---\r\n")
    assert notes == []
    front_matter("---\ntitle: ok\nnot a key line\n---\n", "x.md", notes)
    assert len(notes) == 1 and "line 3" in notes[0]
    assert clean_values({"type": "Report", "url": " https://a ", "published": "2017-06-16"}, "w", notes) == {
        "type": "report", "url": "https://a", "published": dt.date(2017, 6, 16)}
