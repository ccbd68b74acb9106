"""The citations appendix (Markdown, HTML) and the JSON and CSV data exports, through the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from dbcounts import stored_flags

from factcheck import decisions
from factcheck.cli import main
from factcheck.db import make_engine


def export(db: str, *args: str, capsys) -> str:
    """Run `factcheck export` and return what it printed."""
    assert main(["--db", db, "export", *args]) == 0
    return capsys.readouterr().out


def flag_of(db: str, type_: str) -> dict:
    """The first flag of a type, with members."""
    from factcheck.store import list_flags

    return list_flags(make_engine(db), type_)[0]


@pytest.fixture
def reviewed_db(review_db):
    """The seeds with a few verdicts, notes and a settled conflict."""
    engine = make_engine(review_db)
    conflict = flag_of(review_db, "conflict")
    right = next(m for m in conflict["members"] if m["text"] == "16 June 2017")
    wrong = next(m for m in conflict["members"] if m["text"] == "Today")
    decisions.decide_claim(engine, right["claim_id"], status="supported", note="cover of the report", reviewer="alice")
    decisions.decide_claim(engine, wrong["claim_id"], status="false", reviewer="bob")
    decisions.decide_flag(engine, conflict["id"], status="confirmed", note="report dated 16 June 2017",
                          correct_claim_id=right["claim_id"], reviewer="alice")
    return review_db, right, wrong, conflict


def stored_claims(db: str) -> int:
    """How many claims the database holds."""
    from sqlalchemy import func, select

    from factcheck.db import make_engine
    from factcheck.models import Claim

    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Claim)).scalar_one()
    finally:
        engine.dispose()


def test_appendix_lists_reviewed_claims_with_source_number_location_verdict_and_note(reviewed_db, capsys):
    db, right, wrong, _ = reviewed_db
    md = export(db, "--format", "markdown", capsys=capsys)
    refs = dict(re.findall(r"^(\d+)\. .*`\[([^\]]+)\]`$", md, flags=re.M))
    claims_part = md.split("## Claims")[1].split("## Contradictions")[0]
    assert "**16 June 2017**" in claims_part and "**Supported**" in claims_part
    assert "Note: cover of the report" in claims_part and "reviewed by alice" in claims_part
    assert "**False**" in claims_part and "reviewed by bob" in claims_part
    number = next(n for n, path in refs.items() if path == right["source"])
    assert f"[{number}], section 1 (16 June 2017), paragraph" in claims_part
    assert claims_part.count("claim ") == 2  # only reviewed claims by default
    assert f"2 of {stored_claims(db)} claims" in md


def test_contradictions_show_resolution_marked_statement_and_open_flags(reviewed_db, capsys):
    db, right, _, conflict = reviewed_db
    md = export(db, "--format", "markdown", capsys=capsys)
    part = md.split("## Contradictions and checks")[1]
    first = part.split("### 2.")[0]
    assert "Conflicting values" in first and "**Resolution:** Confirmed (by alice" in first
    assert "**Note:** report dated 16 June 2017" in first
    assert first.count("✔ marked right") == 1
    assert "~~service~~ **served**" in part  # the quote variant's word diff
    assert "Open — not yet resolved" in part  # open flags are listed as open
    assert "Arithmetic that does not add up" in part


def test_filters_status_kind_source_and_group_by_subject(reviewed_db, capsys):
    db, right, wrong, _ = reviewed_db
    only_false = export(db, "--format", "json", "--status", "false", capsys=capsys)
    assert [c["id"] for c in json.loads(only_false)["claims"]] == [wrong["claim_id"]]
    quotes = json.loads(export(db, "--format", "json", "--kind", "quote", capsys=capsys))["claims"]
    assert quotes and {c["kind"] for c in quotes} == {"quote"}
    one = json.loads(export(db, "--format", "json", "--source", right["source"], capsys=capsys))
    assert {c["source"] for c in one["claims"]} == {right["source"]}
    number = next(s["number"] for s in one["sources"] if s["path"] == right["source"])
    assert all(any(m["source_number"] == number for m in f["members"]) for f in one["flags"])
    by_subject = export(db, "--format", "markdown", "--status", "all", "--group-by", "subject", capsys=capsys)
    headings = re.findall(r"^### (?!\d+\.)(.+)$", by_subject.split("## Contradictions")[0], flags=re.M)
    assert len(headings) > 20 and headings == sorted(headings, key=str.lower)


def test_json_and_csv_hold_every_claim_and_flag(review_db, capsys):
    doc = json.loads(export(review_db, "--format", "json", capsys=capsys))
    n = stored_claims(review_db)  # whatever the extractor finds in the seeds: the export holds all of it
    assert len(doc["claims"]) == doc["total_claims"] == n and len(doc["flags"]) == stored_flags(review_db)
    assert ({"excerpt", "value", "unit", "speaker", "status", "paragraph", "line", "source_number"}
            <= set(doc["claims"][0]))
    rows = list(csv.DictReader(io.StringIO(export(review_db, "--format", "csv", capsys=capsys))))
    assert sum(r["record"] == "claim" for r in rows) == n
    assert sum(r["record"] == "flag" for r in rows) == stored_flags(review_db)
    conflict = next(r for r in rows if r["record"] == "flag" and r["kind"] == "conflict")
    assert len(conflict["member_claim_ids"].split()) == 6


def test_csv_cells_cannot_become_formulas(review_db, capsys):
    engine = make_engine(review_db)
    decisions.decide_claim(engine, 5, status="disputed", note='=HYPERLINK("http://evil.example","x")', reviewer="@x")
    rows = list(csv.DictReader(io.StringIO(export(review_db, "--format", "csv", capsys=capsys))))
    row = next(r for r in rows if r["record"] == "claim" and r["id"] == "5")
    assert row["note"].startswith("'=HYPERLINK") and row["reviewer"] == "'@x"
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values() if v)


class _Tags(HTMLParser):
    """Collects start tags and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_escapes_document_text(tmp_path, db_url, capsys):
    doc = tmp_path / "docs" / "hostile.txt"
    doc.parent.mkdir()
    doc.write_text('<script>alert("x")</script> Evil & Co\n\nThe council said it spent £5 million '
                   '<img src=x onerror=alert(1)> on 40 new homes in 2019.\n', encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(doc.parent)]) == 0
    out = export(db_url, "--format", "html", "--status", "all", capsys=capsys)
    parser = _Tags()
    parser.feed(out)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert '<script>alert("x")</script>' in "".join(parser.text)  # shown as text
    assert "<style>" in out and "<link" not in out and "src=" not in out.replace("&lt;img src=x", "")  # no fetches
    md = export(db_url, "--format", "markdown", "--status", "all", capsys=capsys)
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_markdown_escapes_markup_in_document_text(tmp_path, db_url, capsys):
    doc = tmp_path / "notes.txt"
    doc.write_text("The *board* said [it](http://x) spent £5 million | on 40 `homes` in 2019 # today.\n",
                   encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(doc)]) == 0
    md = export(db_url, "--format", "markdown", "--status", "all", capsys=capsys)
    assert r"\*board\*" in md and r"\[it\]" in md and r"\|" in md and r"\`homes\`" in md


def test_output_file_and_bad_options(reviewed_db, tmp_path, capsys):
    db = reviewed_db[0]
    target = tmp_path / "appendix.html"
    assert main(["--db", db, "export", "--format", "html", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert capsys.readouterr().out == ""
    assert main(["--db", db, "export", "--format", "markdown", "--status", "great"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown status or kind: great" in err
    assert main(["--db", db, "export", "--format", "markdown", "-o", str(tmp_path / "no" / "x.md")]) == 1
    assert "error:" in capsys.readouterr().err


def test_empty_database_exports_say_so(db_url, capsys):
    from factcheck.db import make_engine

    make_engine(db_url).dispose()  # an empty database (a missing one is an error: test_source_identity)
    md = export(db_url, "--format", "markdown", capsys=capsys)
    assert "No claims match" in md and "No conflicting values" in md
    assert json.loads(export(db_url, "--format", "json", capsys=capsys))["claims"] == []
