"""Each supported format goes through ingest end to end, with offsets into the stored text."""

import json

import docx
from fpdf import FPDF
from sqlmodel import Session, select

from factcheck.cli import main
from factcheck.db import make_engine
from factcheck.models import Claim, Source

SENTENCE = "On average staff in Stoke hold 90-100 cases each, and 62% said workloads were too high."


def _make_pdf(path):
    """A real two-paragraph PDF with hard-wrapped lines."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(60, 6, SENTENCE)  # narrow cell: the sentence wraps over several lines
    pdf.ln(6)
    pdf.multi_cell(0, 6, "Published 16 June 2017.")
    pdf.output(str(path))


def _make_docx(path):
    """A real Word document with a paragraph and a table."""
    d = docx.Document()
    d.core_properties.title = "Staffing report"
    d.add_paragraph(SENTENCE)
    table = d.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("Region", "Before", "After"), ("Essex", "279", "167")], strict=False):
        for cell, value in zip(row.cells, cells, strict=False):
            cell.text = value
    d.save(str(path))


def _make_html(path):
    """A web page with boilerplate around the article."""
    path.write_text(
        "<html><head><title>Stoke caseloads</title></head><body><nav>Home | About | 24 links</nav>"
        f"<article><h1>Stoke caseloads</h1><p>{SENTENCE}</p><p>More than 3,000 offenders are supervised "
        "across the two counties, according to the inspectorate.</p></article>"
        "<script>var x = 12345;</script><footer>Call 0790 4184195</footer></body></html>",
        encoding="utf-8",
    )


def test_pdf_docx_html_and_md_are_ingested_with_exact_offsets(tmp_path, db_url, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    _make_pdf(folder / "report.pdf")
    _make_docx(folder / "report.docx")
    _make_html(folder / "page.html")
    (folder / "notes.md").write_text(f"# Notes\n\n- {SENTENCE}\n", encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "4 sources ingested" in out
    with Session(make_engine(db_url)) as s:
        sources = {src.path: src for src in s.exec(select(Source))}
        assert set(sources) == {"report.pdf", "report.docx", "page.html", "notes.md"}
        for src in sources.values():
            claims = s.exec(select(Claim).where(Claim.source_id == src.id)).all()
            texts = {c.text for c in claims}
            assert {"90-100 cases", "62%"} <= texts, (src.path, texts)
            for c in claims:
                assert src.text[c.start:c.end] == c.text
        assert "12345" not in sources["page.html"].text  # scripts are not content
        assert sources["report.docx"].title == "Staffing report"
        assert sources["page.html"].title == "Stoke caseloads"
        docx_claims = {c.text: c for c in s.exec(select(Claim).where(Claim.source_id == sources["report.docx"].id))}
        assert docx_claims["279"].subject.startswith("Essex")
    main(["--db", db_url, "claims", "--json", "--source", "report.pdf"])
    pdf_claims = json.loads(capsys.readouterr().out)
    assert any(c["kind"] == "date" and c["date"] == "2017-06-16" for c in pdf_claims)
