"""Tests for factcheck.ingest.loaders."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.ingest.loaders import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    LoadedDocument,
    LoadError,
    iter_document_paths,
    load_document,
    reflow_pdf_text,
)


def write(tmp_path, name, data: bytes):
    """Write bytes to tmp_path/name and return the path."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def load_error(path, **kwargs) -> str:
    """Load a path that must fail and return the LoadError message."""
    with pytest.raises(LoadError) as info:
        load_document(path, **kwargs)
    return str(info.value)


# --------------------------------------------------------------------------- constants


def test_constants():
    """The public constants have the documented values."""
    assert SUPPORTED_SUFFIXES == frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


# --------------------------------------------------------------------------- text


def test_txt_exact_text_keeps_crlf_and_whitespace(tmp_path):
    """Text is the decoded file byte for byte: CR LF, leading and trailing whitespace kept."""
    raw = "  Cases rose to 80.\r\nDeaths: 3 \r\n\r\n\tEnd £5 “quoted”\n".encode()
    doc = load_document(write(tmp_path, "a.txt", raw))
    assert isinstance(doc, LoadedDocument)
    assert doc.text == raw.decode("utf-8")
    assert doc.fmt == "txt"
    assert doc.encoding == "utf-8"
    assert doc.warnings == []
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert (doc.title, doc.author, doc.published) == (None, None, None)


def test_txt_utf8_bom_is_stripped_but_hash_is_of_raw_bytes(tmp_path):
    """A UTF-8 BOM is not part of the text; the hash still covers it."""
    raw = b"\xef\xbb\xbfHello\r\nworld"
    doc = load_document(write(tmp_path, "bom.txt", raw))
    assert doc.text == "Hello\r\nworld"
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_md_format(tmp_path):
    """Markdown is loaded verbatim with fmt 'md'."""
    raw = b"# Title\n\nSome *text* with 12 items.\n"
    doc = load_document(write(tmp_path, "notes.MD", raw))
    assert doc.fmt == "md"
    assert doc.text == raw.decode()


def test_utf16_with_bom(tmp_path):
    """A UTF-16 file with a BOM decodes (its NUL bytes are not taken for binary)."""
    text = "Line one\r\nrose by 5 %\n"
    doc = load_document(write(tmp_path, "u16.txt", text.encode("utf-16")))
    assert doc.text == text
    assert doc.encoding == "utf-16"
    doc_be = load_document(write(tmp_path, "u16be.txt", codecs_bom_be() + text.encode("utf-16-be")))
    assert doc_be.text == text


def codecs_bom_be() -> bytes:
    """The big-endian UTF-16 byte order mark."""
    import codecs

    return codecs.BOM_UTF16_BE


def test_cp1252_fallback_with_warning(tmp_path):
    """Bytes that are not UTF-8 but are Windows-1252 decode with a warning."""
    doc = load_document(write(tmp_path, "c.txt", b"caf\xe9 \x80 5"))
    assert doc.text == "café € 5"
    assert doc.encoding == "cp1252"
    assert "decoded as Windows-1252" in doc.warnings


def test_undecodable_text(tmp_path):
    """Bytes undefined in UTF-8 and Windows-1252 (and without NULs) cannot be decoded."""
    message = load_error(write(tmp_path, "bad.txt", b"\x81\x8d\x8f\x90\x9d" * 20))
    assert "decode" in message
    assert message == "cannot decode text: not UTF-8, UTF-16 or Windows-1252"


def test_binary_with_nul(tmp_path):
    """A PNG header with NUL bytes is reported as binary."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + b"\x00" * 64
    assert load_error(write(tmp_path, "img.txt", png)) == "binary file (not text)"


def test_binary_by_control_characters(tmp_path):
    """More than 10% control characters (no NULs) means binary."""
    raw = (b"abc\x01\x02\x03\x04" * 50)
    assert "binary" in load_error(write(tmp_path, "ctl.md", raw))


def test_few_control_characters_are_fine(tmp_path):
    """A handful of control characters (e.g. an ESC) does not make a file binary."""
    raw = b"plain text " * 20 + b"\x1b[0m\x0c page two"
    assert load_document(write(tmp_path, "log.txt", raw)).text == raw.decode()


@pytest.mark.parametrize("raw", [b"", b"   \r\n\t\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_and_whitespace_only(tmp_path, raw):
    """Zero bytes, whitespace only or a BOM only is an empty file."""
    assert load_error(write(tmp_path, "e.txt", raw)) == "empty file"


def test_empty_file_of_any_format(tmp_path):
    """A zero-byte PDF or DOCX is 'empty file', not a parse error."""
    assert load_error(write(tmp_path, "e.pdf", b"")) == "empty file"
    assert load_error(write(tmp_path, "e.docx", b"")) == "empty file"


def test_too_large_checked_before_reading(tmp_path, monkeypatch):
    """A file over max_bytes is rejected from stat() without being opened."""
    path = write(tmp_path, "big.txt", b"x" * 3000)
    opened = []
    real_open = type(path).open
    monkeypatch.setattr(type(path), "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    message = load_error(path, max_bytes=1000)
    assert "too large" in message
    assert message.startswith("file too large (")
    assert message.endswith(" MB limit)")
    assert opened == []
    assert load_document(path, max_bytes=3000).text == "x" * 3000


def test_too_large_message_format(tmp_path):
    """The size and limit are shown in whole megabytes."""
    path = write(tmp_path, "big.txt", b"y" * (3 * 1024 * 1024))
    assert load_error(path, max_bytes=1024 * 1024) == "file too large (3 MB > 1 MB limit)"


def test_unsupported_suffix(tmp_path):
    """An unknown suffix is rejected with the suffix in the message."""
    assert load_error(write(tmp_path, "sheet.xlsx", b"data")) == "unsupported file type '.xlsx'"
    assert "unsupported file type" in load_error(write(tmp_path, "README", b"data"))


def test_missing_file(tmp_path):
    """A path that does not exist is 'file not found'."""
    assert load_error(tmp_path / "nope.txt") == "file not found"


def test_directory(tmp_path):
    """A directory (even one named like a document) cannot be read."""
    (tmp_path / "dir.txt").mkdir()
    assert load_error(tmp_path / "dir.txt").startswith("cannot read file")


def test_permission_denied(tmp_path, monkeypatch):
    """An unreadable file reports permission denied (simulated: root ignores chmod)."""
    path = write(tmp_path, "secret.txt", b"hidden")

    def refuse(self, *args, **kwargs):
        """Stand-in for Path.open that always fails like a chmod 000 file."""
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "open", refuse)
    assert load_error(path) == "cannot read file: permission denied"


def test_accepts_str_path(tmp_path):
    """A str path works as well as a Path."""
    path = write(tmp_path, "s.txt", b"hello")
    assert load_document(str(path)).text == "hello"


# --------------------------------------------------------------------------- PDF


def make_pdf(paragraphs_by_page, title="Outbreak notes", author="Dr Smith") -> bytes:
    """Build a real PDF with fpdf2: one list of paragraphs per page."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_font("Helvetica", size=12)
    for paragraphs in paragraphs_by_page:
        pdf.add_page()
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(4)
    return bytes(pdf.output())


LONG = (
    "The regional clinic reported up to 80 cases in the first week of March, "
    "which officials described as the highest weekly count since records began "
    "in 2009, well above the five-year average of 35 cases."
)
SECOND = "A second paragraph says the rate fell to 3.5 per cent by April."
PAGE_TWO = (
    "On page two the ministry confirmed that 1,200 doses were delivered to the "
    "northern district and that a further 450 doses would follow within a month."
)


@pytest.fixture
def real_pdf() -> bytes:
    """A two-page PDF with a heading, a wrapped paragraph and a short one."""
    return make_pdf([["Introduction", LONG, SECOND], [PAGE_TWO]])


def test_pdf_text_is_reflowed(tmp_path, real_pdf):
    """Wrapped lines are joined into whole sentences; paragraphs stay separate."""
    doc = load_document(write(tmp_path, "report.pdf", real_pdf))
    assert doc.fmt == "pdf"
    assert "up to 80 cases" in doc.text
    assert LONG in doc.text
    assert SECOND in doc.text
    assert PAGE_TWO in doc.text
    paragraphs = doc.text.split("\n\n")
    assert paragraphs == ["Introduction", LONG, SECOND, PAGE_TWO]
    assert doc.sha256 == hashlib.sha256(real_pdf).hexdigest()


def test_pdf_metadata(tmp_path, real_pdf):
    """Title, author and creation date come from the PDF metadata."""
    doc = load_document(write(tmp_path, "report.pdf", real_pdf))
    assert doc.title == "Outbreak notes"
    assert doc.author == "Dr Smith"
    assert doc.published is not None
    assert len(doc.published) == 10 and doc.published[4] == "-" and doc.published[7] == "-"


def test_corrupt_pdf(tmp_path):
    """Garbage after a PDF header is a corrupt PDF."""
    assert load_error(write(tmp_path, "bad.pdf", b"%PDF-1.4 garbage")).startswith("corrupt PDF: ")


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9])
def test_truncated_pdf(tmp_path, real_pdf, fraction):
    """A real PDF cut short cannot be loaded."""
    cut = real_pdf[: int(len(real_pdf) * fraction)]
    assert load_error(write(tmp_path, "cut.pdf", cut))


def test_pdf_without_text(tmp_path):
    """A PDF with no text layer says so."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    path = write(tmp_path, "scan.pdf", bytes(pdf.output()))
    assert load_error(path) == "no extractable text (scanned PDF?)"


def test_encrypted_pdf(tmp_path):
    """A PDF needing a user password is refused; one with only an owner password opens."""
    from fpdf import FPDF

    def build(**passwords) -> bytes:
        """A one-line PDF encrypted with the given passwords."""
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.cell(0, 10, "Locked figure: 42 cases.")
        pdf.set_encryption(**passwords)
        return bytes(pdf.output())

    assert load_error(write(tmp_path, "locked.pdf", build(owner_password="o", user_password="u"))).startswith(
        "encrypted PDF"
    )
    doc = load_document(write(tmp_path, "open.pdf", build(owner_password="o")))
    assert "42 cases" in doc.text


def test_pdf_not_a_pdf(tmp_path):
    """A text file renamed .pdf is a corrupt PDF."""
    assert load_error(write(tmp_path, "fake.pdf", b"just some text, not a PDF")).startswith("corrupt PDF")


def test_reflow_rules():
    """The documented re-flow rule: join, dehyphenate, keep breaks after short sentence ends and bullets."""
    width_line = "x" * 60
    text = (
        f"{width_line} extra-\nordinary claim\nthat continues.\n"
        "Short end.\nNew paragraph starts here and runs on for quite some length ok\n"
        "• first bullet\n• second bullet\n\n\n  Page   two\n"
    )
    out = reflow_pdf_text(text)
    assert out.split("\n\n") == [
        f"{width_line} extraordinary claim that continues.",
        "Short end.",
        "New paragraph starts here and runs on for quite some length ok",
        "• first bullet",
        "• second bullet",
        "Page   two",
    ]


def test_reflow_keeps_hyphen_before_capital_and_joins_full_lines():
    """A hyphen before a capital stays; a full line ending a sentence joins the next."""
    text = "The anti-\nEuropean motion failed badly in the vote held last year.\nIt was close."
    assert reflow_pdf_text(text) == "The anti- European motion failed badly in the vote held last year. It was close."


def test_reflow_heading_then_paragraph():
    """A very short line without punctuation before a capitalised line is a heading."""
    text = "Results\nCases rose to 80 in March, the highest level recorded in the region so far."
    assert reflow_pdf_text(text).split("\n\n") == [
        "Results",
        "Cases rose to 80 in March, the highest level recorded in the region so far.",
    ]


# --------------------------------------------------------------------------- DOCX


def make_docx() -> bytes:
    """Build a real .docx: heading, two paragraphs, a 2x3 table, a closing paragraph."""
    import docx

    document = docx.Document()
    document.add_heading("Annual figures", level=1)
    document.add_paragraph("The service handled 316 calls in January.")
    document.add_paragraph("")
    document.add_paragraph("Of these, 155 were urgent.")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("Label", "Jan", "Feb"), ("Calls", "316", "155")], strict=False):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value
    document.add_paragraph("Closing note after the table.")
    document.core_properties.title = "Call statistics"
    document.core_properties.author = "Ops Team"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_table_in_order(tmp_path):
    """Paragraphs are blank-line separated and table rows read as two-space-joined cells, in body order."""
    raw = make_docx()
    doc = load_document(write(tmp_path, "stats.docx", raw))
    assert doc.fmt == "docx"
    assert doc.text == (
        "Annual figures\n\n"
        "The service handled 316 calls in January.\n\n"
        "Of these, 155 were urgent.\n\n"
        "Label  Jan  Feb\n"
        "Calls  316  155\n\n"
        "Closing note after the table."
    )
    assert doc.title == "Call statistics"
    assert doc.author == "Ops Team"
    assert doc.published is not None and len(doc.published) == 10
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_docx_merged_cells_appear_once(tmp_path):
    """A horizontally merged cell is read once per row."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Both"
    table.cell(0, 2).text = "C"
    for cell, value in zip(table.rows[1].cells, ("x", "1", "2"), strict=False):
        cell.text = value
    out = io.BytesIO()
    document.save(out)
    doc = load_document(write(tmp_path, "m.docx", out.getvalue()))
    assert doc.text == "Both  C\nx  1  2"


def test_corrupt_docx_random_bytes(tmp_path):
    """Bytes that are not a zip are a corrupt DOCX."""
    assert load_error(write(tmp_path, "bad.docx", bytes(range(256)) * 4)).startswith("corrupt DOCX")


def test_corrupt_docx_zip_without_document(tmp_path):
    """A zip without word/document.xml is a corrupt DOCX."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "not a word document")
    assert load_error(write(tmp_path, "empty.docx", out.getvalue())).startswith("corrupt DOCX")


def test_truncated_docx(tmp_path):
    """A real DOCX cut in half is a corrupt DOCX."""
    raw = make_docx()
    assert load_error(write(tmp_path, "cut.docx", raw[: len(raw) // 2])).startswith("corrupt DOCX")


def test_docx_not_installed(tmp_path, monkeypatch):
    """Without python-docx the error tells how to install it."""
    monkeypatch.setitem(sys.modules, "docx", None)
    message = load_error(write(tmp_path, "x.docx", b"PK\x03\x04 whatever"))
    assert message == "DOCX support not installed: pip install 'factcheck[docx]'"


# --------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Flu season report</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2023-04-05">
<script>var tracker = "SCRIPTSECRET";</script>
<style>body { color: red; }</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li><li><a href="/c">Contact</a></li></ul></nav>
<article>
<h1>Flu season report</h1>
<p>The hospital treated up to 80 cases per day during the peak of the season, according to officials.</p>
<p>Vaccination rates rose by 12 percent compared with the previous year, the ministry said in a statement.</p>
</article>
<script>document.write("SCRIPTSECRET2");</script>
<footer>Copyright 2023 Example News. All rights reserved.</footer>
</body></html>
"""


def test_html_main_text_and_metadata(tmp_path):
    """The article paragraphs are extracted, scripts are not, and metadata is read."""
    doc = load_document(write(tmp_path, "page.html", PAGE.encode("utf-8")))
    assert doc.fmt == "html"
    assert "The hospital treated up to 80 cases per day" in doc.text
    assert "Vaccination rates rose by 12 percent" in doc.text
    assert "SCRIPTSECRET" not in doc.text
    assert "color: red" not in doc.text
    assert doc.title == "Flu season report"
    assert doc.author == "Jane Doe"
    assert doc.published == "2023-04-05"
    assert doc.encoding == "utf-8"


def test_htm_cp1252_page(tmp_path):
    """An .htm page declared (or not) as Latin-1 decodes as Windows-1252."""
    body = ("<html><head><meta charset='iso-8859-1'><title>Caf\xe9</title></head>"
            "<body><p>Price \u20ac 5 at the caf\xe9 today, said the owner.</p></body></html>")
    doc = load_document(write(tmp_path, "p.htm", body.encode("cp1252")))
    assert "Price € 5" in doc.text
    assert doc.title == "Café"


def test_html_fallback_parser(tmp_path, monkeypatch):
    """When trafilatura extracts nothing, the stdlib parser gives paragraphs without scripts."""
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    doc = load_document(write(tmp_path, "page.html", PAGE.encode("utf-8")))
    paragraphs = doc.text.split("\n\n")
    assert ("The hospital treated up to 80 cases per day during the peak of the season, according to officials."
            in paragraphs)
    assert "SCRIPTSECRET" not in doc.text
    assert "color: red" not in doc.text
    assert doc.title == "Flu season report"
    assert any("full page text" in w for w in doc.warnings)


def test_html_trafilatura_crash_falls_back(tmp_path, monkeypatch):
    """An exception inside trafilatura becomes a warning, not a failure."""
    import trafilatura

    def boom(*args, **kwargs):
        raise RuntimeError("kaput")

    monkeypatch.setattr(trafilatura, "extract", boom)
    monkeypatch.setattr(trafilatura, "extract_metadata", boom)
    doc = load_document(write(tmp_path, "page.html", PAGE.encode("utf-8")))
    assert "Vaccination rates rose by 12 percent" in doc.text
    assert doc.title == "Flu season report"
    assert len(doc.warnings) >= 2


def test_html_only_script_is_empty(tmp_path):
    """A page with no visible text is an empty file."""
    raw = b"<html><head><script>var x = 1;</script></head><body>  </body></html>"
    assert load_error(write(tmp_path, "blank.html", raw)) == "empty file"


def test_html_not_installed(tmp_path, monkeypatch):
    """Without trafilatura the error tells how to install it."""
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    message = load_error(write(tmp_path, "p.html", b"<p>hello</p>"))
    assert message == "HTML support not installed: pip install 'factcheck[html]'"


# --------------------------------------------------------------------------- robustness


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)))
def test_arbitrary_bytes_only_raise_load_error(tmp_path, data, suffix):
    """Whatever the bytes, load_document returns a document or raises LoadError."""
    path = write(tmp_path, "fuzz" + suffix, data)
    try:
        doc = load_document(path)
    except LoadError as err:
        assert str(err)
    else:
        assert doc.text.strip()
        assert doc.sha256 == hashlib.sha256(data).hexdigest()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1).filter(lambda t: t.strip()))
def test_utf8_text_round_trips(tmp_path, text):
    """Any UTF-8 text without control characters comes back exactly."""
    clean = "".join(ch for ch in text if (ch >= " " and ch != "\x7f") or ch in "\t\n\r\f")
    if not clean.strip():
        return
    doc = load_document(write(tmp_path, "t.txt", clean.encode("utf-8")))
    assert doc.text == clean.removeprefix("\ufeff")


def test_mangled_pdfs_only_raise_load_error(tmp_path, real_pdf):
    """Byte-flipped real PDFs load or fail with LoadError, never anything else."""
    for i in range(0, len(real_pdf), max(1, len(real_pdf) // 40)):
        mangled = real_pdf[:i] + bytes([real_pdf[i] ^ 0x5A]) + real_pdf[i + 1 :]
        try:
            load_document(write(tmp_path, "m.pdf", mangled))
        except LoadError:
            pass


def test_nothing_is_printed(tmp_path):
    """Loading broken files prints nothing, even though the libraries log warnings."""
    bad = write(tmp_path, "bad.pdf", b"%PDF-1.4 garbage")
    html = write(tmp_path, "p.html", PAGE.encode())
    code = (
        "import sys, pathlib\n"
        "from factcheck.ingest.loaders import load_document, LoadError\n"
        "for p in sys.argv[1:]:\n"
        "    try: load_document(pathlib.Path(p))\n"
        "    except LoadError: pass\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(bad), str(html)], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == ""


# --------------------------------------------------------------------------- iter_document_paths


def test_iter_document_paths(tmp_path):
    """Recursive, sorted tree order, supported suffixes only, hidden files and folders skipped."""
    for name in [
        "b.txt",
        "a.PDF",
        "sub/z.docx",
        "sub/deeper/x.html",
        "sub/c.md",
        "sub/image.png",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.secret/y.txt",
        "notes.htm",
        "~$lock.docx",
        "data.csv",
    ]:
        write(tmp_path, name, b"x")
    (tmp_path / "empty_dir").mkdir()
    found = [p.relative_to(tmp_path).as_posix() for p in iter_document_paths(tmp_path)]
    assert found == ["a.PDF", "b.txt", "notes.htm", "sub/c.md", "sub/deeper/x.html", "sub/z.docx"]


def test_iter_document_paths_file_yields_itself(tmp_path):
    """A file root is yielded as is, even with an unsupported suffix or a hidden name."""
    csv = write(tmp_path, "data.csv", b"a,b")
    txt = write(tmp_path, ".hidden.txt", b"x")
    assert list(iter_document_paths(csv)) == [csv]
    assert list(iter_document_paths(txt)) == [txt]


def test_iter_document_paths_symlink_loop(tmp_path):
    """A symlink back to an ancestor folder does not loop forever."""
    write(tmp_path, "a/doc.txt", b"x")
    try:
        (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not supported")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_document_paths(tmp_path)]
    assert found == ["a/doc.txt"]
