"""Exports against hostile input: Markdown escaping (file names too), one URL check for every format, the CSV
formula guard, and the streamed JSON / CSV exports (the same bytes as the whole-document renderers)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from factcheck import decisions
from factcheck.cli import main
from factcheck.db import make_engine
from factcheck.export import bibtex, claimreview, csl, csv_table, export_chunks, json_data
from factcheck.export.citations import reference_parts, reference_text, web_url
from factcheck.export.data import ExportData, ExportFilter, load_export, stream_export
from factcheck.export.markdown import code, esc, line_start
from factcheck.store import exports as store_exports

HOSTILE_NAME = "a\n\n<img src=x onerror=alert(1)>\n\n`b`<script src=x>\r.txt"  # '/' cannot be in a file name


def export(db: str, *args: str, capsys) -> str:
    """What `factcheck export ARGS` prints."""
    assert main(["--db", db, "export", *args]) == 0
    return capsys.readouterr().out


def rendered(markdown: str) -> str:
    """The HTML a CommonMark renderer (raw HTML allowed, as most are) makes of the Markdown."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(markdown)


# --- 7. Markdown -----------------------------------------------------------------------------------------------


def test_hostile_file_name_and_text_reach_no_live_html_in_the_markdown(tmp_path, db_url, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / HOSTILE_NAME).write_text("<script>alert(3)</script>\n\nThe council said it spent £5 million on 40 new "
                                     "homes in 2019 <img src=y onerror=alert(4)>.\n", encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(docs)]) == 0
    capsys.readouterr()
    md = export(db_url, "--format", "markdown", "--status", "all", capsys=capsys)
    html = rendered(md).lower()
    assert "<img" not in html and "<script" not in html
    assert "onerror=alert(1)" in html  # shown as text, not dropped
    refs = md.split("## Sources", 1)[1].split("## Claims", 1)[0]
    assert len([line for line in refs.splitlines() if line.strip()]) == 1  # the reference stays on one line


def test_code_span_only_for_text_it_can_hold_literally():
    assert code("reports/suffolk.txt") == "`reports/suffolk.txt`"
    for hostile in ("a`b", "a\nb", "a\rb", "a\x00b", " lead", "a\u2028b"):
        out = code(hostile)
        assert not out.startswith("`") and "\n" not in out and "\r" not in out and "\x00" not in out
    assert esc("x\x1b[31my\x00") == "x\ufffd\\[31my\ufffd"
    assert line_start("- item") == "\\- item" and line_start("1. one") == "1\\. one" and line_start("===") == "\\==="


def test_markdown_fields_from_the_database_are_escaped(tmp_path, db_url, capsys):
    doc = tmp_path / "notes.txt"
    doc.write_text("The council said it spent £5 million on 40 new homes in 2019.\n", encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(doc)]) == 0
    capsys.readouterr()
    claim = json.loads(export(db_url, "--format", "json", capsys=capsys))["claims"][0]
    decisions.decide_claim(make_engine(db_url), claim["id"], status="supported",
                           note="<script>alert(1)</script>\n<img src=x onerror=alert(2)>",
                           reviewer="<img src=z onerror=alert(3)> # heading")
    md = export(db_url, "--format", "markdown", capsys=capsys)
    html = rendered(md).lower()
    assert "<img" not in html and "<script" not in html and html.count("<h1") == 1  # the appendix's own title


# --- 8. one URL check ------------------------------------------------------------------------------------------

BAD_URLS = ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd", "vbscript:x", "mailto:a@b.c", "doi:10.1000/182", "urn:isbn:0451450523",
            "https://exa\nmple.org/", "http:///no-host", "//example.org/x", "java\tscript:alert(1)")


@pytest.mark.parametrize("url", BAD_URLS)
def test_web_url_refuses_what_is_not_http(url):
    assert web_url(url) is None


def test_web_url_keeps_http_and_https():
    for url in ("https://example.org/a?b=1&c=<2>#x", "HTTP://EXAMPLE.ORG", "https://example.org/a b{c}"):
        assert web_url(url) == url


def _source(url: str) -> dict:
    """A numbered source as every citation export sees it."""
    return {"id": 1, "path": "r.txt", "title": "Report", "author": None, "publisher": "Napo", "outlet": None,
            "url": url, "published": "2020-01-02", "accessed": "2024-01-01", "type": None, "format": "txt",
            "sha256": None, "sections": 1, "turns": 0, "number": 1, "csl_type": "webpage", "key": "napo2020report",
            "reference": ""}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"])
def test_refused_url_is_left_out_of_every_format(url):
    src = _source(url)
    claim = {"id": 7, "kind": "quantity", "source_id": 1, "status": "false", "text": "£5 million", "excerpt": "£5m",
             "reviewer": "alice", "decided_at": "2024-01-02T00:00:00+00:00", "source": "r.txt"}
    data = ExportData([src], [claim], [], ExportFilter(("all",)))
    assert "URL" not in json.loads(csl.render(data))[0]
    bib = bibtex.render(data)
    assert "url" not in bib and "howpublished" not in bib and url.split(":")[0] not in bib
    node = json.loads(claimreview.render(data))["@graph"][0]
    assert "url" not in node["itemReviewed"]["appearance"]
    assert all(style != "url" for _, style in reference_parts(src)) and url not in reference_text(src)


def test_refused_url_from_sources_toml_reaches_no_export(tmp_path, db_url, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.txt").write_text("The council said it spent £5 million on 40 new homes in 2019.\n",
                                     encoding="utf-8")
    (docs / "sources.toml").write_text('["report.txt"]\ntitle = "Report"\nurl = "javascript:alert(document.cookie)"\n',
                                       encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(docs)]) == 0
    capsys.readouterr()
    claim = json.loads(export(db_url, "--format", "json", capsys=capsys))["claims"][0]
    assert main(["--db", db_url, "verdict", str(claim["id"]), "supported", "--reviewer", "alice"]) == 0
    capsys.readouterr()
    for fmt in ("markdown", "html", "json", "csv", "csl-json", "bibtex", "claimreview"):
        assert "javascript" not in export(db_url, "--format", fmt, capsys=capsys).lower(), fmt


# --- 9. CSV formula guard --------------------------------------------------------------------------------------

FORMULAS = ("=1+1", "  =1+1", "\t=1+1", "\r=1", "\n=1", " \t\r\n@SUM(A1)", "  +1", "   -1", "\u3000=1", "\xa0=1",
            "＝1+1", "  ＋1", "－1", "＠SUM(A1)", "\t", "\rx")


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_guard_looks_past_leading_whitespace_and_at_full_width_signs(text):
    assert csv_table.cell(text) == "'" + text


@pytest.mark.parametrize("text", ["plain", "  plain", "a=1", "5 = five", ""])
def test_csv_guard_leaves_other_text_alone(text):
    assert csv_table.cell(text) == text


def test_csv_cells_with_spaces_before_a_formula_are_guarded(review_db, capsys):
    decisions.decide_claim(make_engine(review_db), 5, status="disputed", note='   =HYPERLINK("http://e.x","x")',
                           reviewer="＠x")
    rows = list(csv.DictReader(io.StringIO(export(review_db, "--format", "csv", capsys=capsys))))
    row = next(r for r in rows if r["record"] == "claim" and r["id"] == "5")
    assert row["note"] == '\'   =HYPERLINK("http://e.x","x")' and row["reviewer"] == "'＠x"
    assert all(not v.lstrip().startswith(csv_table.FORMULA_START) for r in rows for v in r.values() if v)


# --- 15. streamed json and csv ---------------------------------------------------------------------------------

FILTERS = [ExportFilter(("all",)), ExportFilter(("false", "open")), ExportFilter(("all",), ("quote",)),
           ExportFilter(("all",), (), "suffolk"), ExportFilter(("supported",), ("quantity",), "no-such-source")]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.describe())
def test_streamed_json_and_csv_are_the_same_bytes_as_the_whole_document(review_db, monkeypatch, filters):
    engine = make_engine(review_db)
    decisions.decide_claim(engine, 3, status="false", note="=cmd", reviewer="bob")
    monkeypatch.setattr(store_exports, "BATCH", 7)  # many batches, a source change inside one
    monkeypatch.setattr(json_data, "GROUP", 5)
    when = dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc)
    whole = load_export(engine, filters)
    whole.generated_at = when
    for module in (json_data, csv_table):
        with stream_export(engine, filters) as streamed:
            streamed.generated_at = when
            pieces = list(module.chunks(streamed))
        assert "".join(pieces) == module.render(whole), module.__name__
    assert len(whole.claims) < 8 or len(pieces) > 1


def test_export_chunks_come_before_every_claim_is_read(review_db, monkeypatch):
    monkeypatch.setattr(store_exports, "BATCH", 10)
    monkeypatch.setattr(json_data, "GROUP", 10)
    shaped = []
    real = store_exports.export_claim
    monkeypatch.setattr(store_exports, "export_claim", lambda *a: shaped.append(1) or real(*a))
    chunks = export_chunks(make_engine(review_db), "json")
    next(chunks)  # the head
    next(chunks)  # the first group of claims
    assert 0 < len(shaped) <= 20
    rest = "".join(chunks)
    assert rest.endswith("]}\n") and len(shaped) > 20
