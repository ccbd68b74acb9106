"""Hostile text, generated here: long lines without sentence ends, files whose bytes are not what their name
says, page charsets that are not text encodings, UTF-32 with a byte order mark.

A line of 400 KB without a sentence end used to cost time and memory with the square of its length (every
claim's excerpt was the whole line, and the subject finder rescanned it per number): 200 KB took 2 minutes and
1.4-2.8 GB to ingest, 400 KB passed 10 GB. Memory is measured in child processes; nothing here is timed
(speed is for the bench scripts), the timeouts only make sure a run ends.
"""

from __future__ import annotations

import codecs
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import childproc
import pytest

from factcheck.extract.document import extract_document
from factcheck.extract.sentences import EXCERPT_PAD
from factcheck.ingest.loaders import LoadError, load_document

ROOT = Path(__file__).resolve().parent.parent
LINE_BYTES = 400 * 1024
# traced Python memory of extracting a 400 KB line and holding every excerpt: a base plus, per claim, its object
# and a window of text (measured: 9-12 MB for 10,000-20,000 claims, 140 MB for the 90,000 cells of one row;
# before excerpts were windows, holding them took gigabytes)
EXTRACT_BASE_MB = 16
PER_CLAIM_BYTES = 2 * EXCERPT_PAD + 1024
EXTRACT_ADDRESS_SPACE = 1 << 30  # the child is stopped with MemoryError long before it can hurt the machine
INGEST_PEAK_RSS_MB = 400  # whole `factcheck ingest` of a 400 KB line (about 150 MB, 80 of them imports)
TIMEOUT = 600  # seconds; generous: the point is that the run ends


def item_line(size: int = LINE_BYTES) -> str:
    """One line of `size` characters with a number every few words and no sentence end."""
    return childproc.item_line(size)


def repeated(unit: str, size: int = LINE_BYTES) -> str:
    """unit repeated into one line of `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


HOSTILE_LINES = {
    "items": "item_line()",
    "quotes": "repeated('“These are the words of it, don’t you see” said Jane Smith and it\\'s 4 o\\'clock; ')",
    "apostrophes": "repeated('‘it\\'s a don\\'t and 5 can\\'t won\\'t, ')",
    "reported": "repeated('the report found that 12 schools said 40% were closed, according to the council, ')",
    "table row": "'Total ' + ' '.join(str(i) for i in range(90_000))",
}

CHILD = """
import json, resource, sys, tracemalloc
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
sys.path.insert(0, {tests!r})
from test_hostile_text import item_line, repeated
from factcheck.extract.document import extract_document
text = {expr}
tracemalloc.start()
claims = extract_document(text).claims
excerpts = [text[c.excerpt_start:c.excerpt_end] for c in claims]  # what storing and matching hold
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({{"peak_mb": peak / 2**20, "claims": len(claims), "longest": max(map(len, excerpts))}}))
"""


def run_child(code: str) -> subprocess.CompletedProcess:
    """Run Python code in a child process from the repository root, with a generous timeout."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT)


@pytest.mark.parametrize("name", list(HOSTILE_LINES))
def test_long_line_extraction_memory_is_flat(name):
    """Extracting a 400 KB line (numbers, quotes, apostrophes, reported speech or one huge table row) and holding
    every claim's excerpt stays under a base and a window's worth per claim: excerpts are not the line."""
    code = CHILD.format(limit=EXTRACT_ADDRESS_SPACE, tests=str(ROOT / "tests"), expr=HOSTILE_LINES[name])
    done = run_child(code)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["claims"] > 1000, result
    assert result["longest"] <= 2 * EXCERPT_PAD + 100, result
    assert result["peak_mb"] < EXTRACT_BASE_MB + result["claims"] * PER_CLAIM_BYTES / 2**20, result


def test_long_line_ingest_peak_rss_is_bounded(tmp_path):
    """`factcheck ingest` of a 400 KB line without sentence ends stores it and peaks under INGEST_PEAK_RSS_MB
    of resident memory (the child's own high-water mark, VmHWM)."""
    path = tmp_path / "long line.txt"
    path.write_text(item_line())
    done = childproc.run_cli(["--db", str(tmp_path / "claims.db"), "ingest", "--no-progress", str(path)], TIMEOUT)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "1 sources ingested (1 new" in done.stdout, done.stdout
    assert done.peak_rss_mb < INGEST_PEAK_RSS_MB, f"peak RSS {done.peak_rss_mb:.0f} MB"


# --------------------------------------------------------------------------- excerpts


def _check_excerpts(text: str) -> list:
    """Extract text; every excerpt holds its claim, is bounded by EXCERPT_PAD and starts and ends on a word."""
    claims = extract_document(text).claims
    for c in claims:
        assert c.excerpt_start <= c.start and c.end <= c.excerpt_end, c
        assert c.start - c.excerpt_start <= EXCERPT_PAD and c.excerpt_end - c.end <= EXCERPT_PAD, c
        assert c.excerpt_start in (0, c.start) or text[c.excerpt_start - 1].isspace(), c
        assert c.excerpt_end in (c.end, len(text)) or text[c.excerpt_end].isspace(), c
    return claims


def test_long_line_excerpts_are_windows_within_the_line():
    """On a 100 KB line every claim is found, and its excerpt is a window around it cut at word boundaries."""
    text = item_line(100 * 1024)
    claims = _check_excerpts(text)
    assert len([c for c in claims if c.kind == "quantity"]) > 3000
    middle = [c for c in claims if c.start > 50_000][0]
    assert middle.excerpt_end - middle.excerpt_start > EXCERPT_PAD  # a window, not just the claim


def test_long_table_row_excerpts_are_windows():
    """The cells of a table row of 20,000 numbers each get a bounded excerpt inside the row."""
    text = "Region  2019  2020\n" + "Total " + " ".join(str(i) for i in range(20_000)) + "\n"
    claims = _check_excerpts(text)
    assert len(claims) > 10_000


def test_normal_sentences_keep_their_whole_excerpt():
    """A sentence of ordinary length is the excerpt of each of its claims, as before."""
    first = "The council said 42 new homes were built in 2021, up 7% on the year before."
    second = ("Inspectors found that " + "the service had many long and winding problems, " * 6
              + "and 12 staff had left.")
    text = f"{first} {second}\n"
    claims = _check_excerpts(text)
    for c in claims:
        sentence = first if c.start < len(first) else second
        assert text[c.excerpt_start:c.excerpt_end] == sentence, (c.text, text[c.excerpt_start:c.excerpt_end])


def test_a_long_sentence_is_cut_on_both_sides():
    """In a sentence far longer than the window a claim's excerpt is the window, not the sentence."""
    filler = "word " * 400
    text = f"The start {filler}then 42 cases {filler}and the end.\n"
    [claim] = [c for c in _check_excerpts(text) if c.value == 42]
    assert 0 < claim.excerpt_start and claim.excerpt_end < len(text) - 2


# --------------------------------------------------------------------------- what the bytes are


def _pdf(line: str) -> bytes:
    """A real one-page PDF with fpdf2."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 6, line)
    return bytes(pdf.output())


def _docx(line: str) -> bytes:
    """A real DOCX with python-docx."""
    import docx

    document = docx.Document()
    document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write data to tmp_path/name."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("suffix", [".html", ".txt", ".md"])
def test_pdf_renamed_is_loaded_as_pdf(tmp_path, suffix):
    """A PDF under a text or web-page name is read as the PDF it is, with a note saying so."""
    doc = load_document(_write(tmp_path, f"report{suffix}", _pdf("The council built 42 homes in 2021.")))
    assert doc.fmt == "pdf"
    assert "42 homes" in doc.text
    assert any("content is PDF" in w for w in doc.warnings), doc.warnings


def test_docx_renamed_is_loaded_as_docx(tmp_path):
    """A Word document named .html is read as DOCX."""
    doc = load_document(_write(tmp_path, "minutes.html", _docx("The board closed 17 schools.")))
    assert doc.fmt == "docx" and "17 schools" in doc.text


@pytest.mark.parametrize("name, data, reason", [
    ("archive.txt", None, "binary file (not text)"),
    ("image.html", b"\x89PNG\r\n\x1a\n" + b"IHDR" * 50, "binary file (not text)"),
    ("image.pdf", b"GIF89a" + b"x" * 200, "corrupt PDF: the content is a GIF image"),
    ("archive.docx", b"\x1f\x8b\x08" + b"x" * 200, "corrupt DOCX: the content is a gzip archive"),
], ids=["zip-as-txt", "png-as-html", "gif-as-pdf", "gzip-as-docx"])
def test_renamed_non_documents_are_refused(tmp_path, name, data, reason):
    """An image or archive under a document's name is refused with one clear reason."""
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("notes.txt", "42 cases")
        data = out.getvalue()
    with pytest.raises(LoadError) as err:
        load_document(_write(tmp_path, name, data))
    assert str(err.value) == reason


def test_text_that_mentions_a_pdf_header_stays_text(tmp_path):
    """"%PDF-" inside a text file does not make it a PDF."""
    doc = load_document(_write(tmp_path, "notes.txt", b"A PDF starts with %PDF-1.7 and that is 1 fact.\n"))
    assert doc.fmt == "txt" and doc.warnings == []


# --------------------------------------------------------------------------- charsets and byte order marks

PAGE = ('<html><head><meta charset="{cs}"><title>Caf\u00e9 report</title></head><body><p>The board said 17 '
        'schools closed in 2019, caf\u00e9 owners said.</p></body></html>')


@pytest.mark.parametrize("charset", ["base64", "rot13", "zlib", "hex", "bz2", "unicode_escape",
                                     "raw_unicode_escape", "punycode", "utf-7", "cp037", "cp500", "cp1140"])
def test_meta_charset_that_is_not_a_page_encoding_is_ignored(tmp_path, charset):
    """A <meta charset> naming a codec that is not a character set for pages (a transform, an escape scheme,
    an EBCDIC code page) is ignored: the page is decoded by detection, title and text intact."""
    doc = load_document(_write(tmp_path, "page.html", PAGE.format(cs=charset).encode("utf-8")))
    assert doc.encoding == "utf-8"
    assert doc.title == "Caf\u00e9 report"
    assert "17 schools" in doc.text and "caf\u00e9" in doc.text


def test_real_meta_charset_is_still_used(tmp_path):
    """A real page charset (KOI8-R) is used."""
    page = PAGE.format(cs="koi8-r").replace("Caf\u00e9", "\u041a\u0430\u0444\u0435").replace("caf\u00e9", "\u043a")
    doc = load_document(_write(tmp_path, "page.html", page.encode("koi8-r")))
    assert doc.encoding == "koi8-r" and doc.title == "\u041a\u0430\u0444\u0435 report"


def test_title_has_no_control_characters(tmp_path):
    """Control characters in a <title> (C0 and C1) do not reach the stored title."""
    page = "<html><head><title>A\x01 title\x85 with\x9b controls\x1b[31m</title></head><body><p>17 schools closed."
    doc = load_document(_write(tmp_path, "page.html", (page + "</p></body></html>").encode("utf-8")))
    assert doc.title and not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in doc.title), repr(doc.title)
    assert doc.title.startswith("A title with controls")


@pytest.mark.parametrize("encoding, bom", [("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE)],
                         ids=["le", "be"])
@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_utf32_with_a_bom_is_decoded(tmp_path, encoding, bom, suffix):
    """UTF-32 text (either byte order) with its byte order mark is decoded, the mark dropped."""
    body = "The council said 42 homes were built in caf\u00e9 country.\n"
    if suffix == ".html":
        body = f"<html><body><p>{body}</p></body></html>"
    doc = load_document(_write(tmp_path, f"wide{suffix}", bom + body.encode(encoding)))
    assert doc.encoding == "utf-32"
    assert "42 homes were built in caf\u00e9 country." in doc.text and "\ufeff" not in doc.text


def test_utf16_le_starting_with_a_nul_is_still_utf16(tmp_path):
    """FF FE 00 00 is also a UTF-16 LE BOM and a NUL: when the rest is not UTF-32 it is read as UTF-16."""
    doc = load_document(_write(tmp_path, "u16.txt", b"\xff\xfe\x00\x00" + "Hello 42 there".encode("utf-16-le")))
    assert doc.encoding == "utf-16" and doc.text == "Hello 42 there"


def test_invalid_utf32_after_its_bom_says_so(tmp_path):
    """A UTF-32 BE byte order mark followed by units that are not characters is refused with the reason."""
    with pytest.raises(LoadError) as err:
        load_document(_write(tmp_path, "bad32.txt", codecs.BOM_UTF32_BE + b"\x7f\xff\xff\xff" * 4))
    assert str(err.value).startswith("cannot decode text: invalid UTF-32 after a byte order mark")
