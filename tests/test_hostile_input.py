"""A corpus of hostile files, generated here, goes through `factcheck ingest` in a child process.

Every bad file gets exactly one `error: PATH: reason` line naming it, every good file is stored, nothing
looks like a traceback, the child's peak memory stays bounded and the run ends; a second run with the bad
files still present changes nothing already stored.
"""

from __future__ import annotations

import io
import json
import math
import os
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from childproc import Run, item_line
from childproc import run_cli as run_child

from factcheck.ingest.loaders import LoadError, display_path, iter_document_paths, load_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOOD_SEEDS = ["000_a7169dbeeddd8cc3.txt", "002_1a12966d222f4539.txt", "004_5b41bd4cd0bad817.txt"]

# Bounded, not tuned: before the zip/PDF/HTML guards this corpus took 4.3 GB; with them 300-420 MB depending on
# the installed lxml/pypdf versions. The limit sits well above that spread and far below the unguarded figure.
PEAK_RSS_LIMIT_MB = 1024
RUN_TIMEOUT = 600  # seconds; generous: the point is that the run ends, not how fast
HUGE_LINE_BYTES = 200 * 1024 * 1024
LONG_LINE_BYTES = 400 * 1024  # under the size limit, but one line without a sentence end
BOMB_BYTES = 2 * 1024 * 1024 * 1024
NESTED_DIVS = 100_000
# figures no float can hold (they used to stop the whole document: OverflowError in extraction)
HUGE_FIGURES = ("The debt was 1" + "0" * 400 + " pounds, up " + "9" * 350 + "% on £1" + "0" * 300 + "bn and 1"
                + "0" * 300 + " million people.\n")
TEXT_OPS = b"BT /F1 12 Tf 72 712 Td (Cases: 42) Tj ET\n"  # one line of page content, repeated by a PDF bomb

TRACEBACK_MARKS = ("Traceback (most recent call last)", 'File "', "RecursionError", "MemoryError", "Segmentation")


# --------------------------------------------------------------------------- building the corpus


def _pdf(lines: list[str]) -> bytes:
    """A real PDF with fpdf2, one paragraph per line."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 6, line)
        pdf.ln(4)
    return bytes(pdf.output())


def _docx(paragraphs: list[str]) -> bytes:
    """A real DOCX with python-docx."""
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(entries: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip file written by hand from (name, method, compressed bytes, crc32, uncompressed size) entries,
    so an entry's stream can be built without running the compressor over gigabytes."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, method, data, crc, usize in entries:
        raw = name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), usize, len(raw), 0))
        out.write(raw + data)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(data), usize,
                                  len(raw), 0, 0, 0, 0, 0, offset) + raw)
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central.getvalue()),
                          start, 0))
    return out.getvalue()


def _deflated(name: str, data: bytes) -> tuple[str, int, bytes, int, int]:
    """A zip entry compressed with raw deflate."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return name, zipfile.ZIP_DEFLATED, c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def zip_bomb_docx(size: int = BOMB_BYTES, declared: int | None = None) -> bytes:
    """A DOCX-shaped zip (the parts of a real one) whose word/document.xml inflates to `size` zero bytes
    from about size/1000 bytes. The deflate stream is one fully-flushed 1 MB block repeated, so it is built
    in well under a second. The directory declares `declared` as the uncompressed size (default: the truth)."""
    chunk = 1 << 20
    zeros = bytes(chunk)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, dictionary reset: repeatable
    stream = block * (size // chunk) + c.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(size // chunk):
        crc = zlib.crc32(zeros, crc)
    with zipfile.ZipFile(io.BytesIO(_docx(["A real paragraph."]))) as real:
        parts = [_deflated(i.filename, real.read(i)) for i in real.infolist() if i.filename != "word/document.xml"]
    return _zip(parts + [("word/document.xml", zipfile.ZIP_DEFLATED, stream, crc,
                          size if declared is None else declared)])


def long_item_line(size: int = LONG_LINE_BYTES) -> bytes:
    """One line of `size` bytes with a number every few words and no sentence end."""
    return item_line(size).encode()


def charset_page(charset: str, n: int) -> bytes:
    """A UTF-8 page whose <meta charset> names a codec that is not a page encoding."""
    return (f'<html><head><meta charset="{charset}"><title>Caf\u00e9 {n}</title></head><body><article><p>'
            f"{sentence(n)}</p></article></body></html>").encode()


def write_huge_line(path: Path, size: int = HUGE_LINE_BYTES) -> None:
    """A text file of `size` bytes on a single line (a 1 MB chunk written repeatedly: fast, no newline)."""
    chunk = (b"The figure was 42 per cent and rising; " * 30000)[: 1 << 20]
    with path.open("wb") as fh:
        for _ in range(size // len(chunk)):
            fh.write(chunk)
        fh.write(chunk[: size % len(chunk)])


def _flate_bomb(size: int, pattern: bytes = b"\0") -> bytes:
    """A zlib stream (PDF /FlateDecode) inflating to `size` bytes of `pattern`, built like zip_bomb_docx."""
    chunk = (pattern * ((1 << 20) // len(pattern) + 1))[: 1 << 20]
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(size // len(chunk)):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + block * (size // len(chunk)) + c.flush(zlib.Z_FINISH) + adler.to_bytes(4, "big")


def pdf_bomb(*streams: bytes) -> bytes:
    """A PDF (with a correct xref table) with one page per FlateDecode content stream given."""
    n = len(streams)
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(n)).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", b"<< /Font << /F1 3 0 R >> >>"]
    for i, stream in enumerate(streams):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources 4 0 R >>"
                    % (6 + 2 * i))
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for i, obj in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def nested_html(depth: int, text: str = "Deep text: 42 cases were confirmed.") -> bytes:
    """`depth` nested <div>s around one sentence."""
    return ("<html><body>" + "<div>" * depth + text + "</div>" * depth + "</body></html>").encode()


def attribute_flood_html(n: int = 300_000) -> bytes:
    """One paragraph whose tag has n distinct attributes (libxml2 needs minutes for it)."""
    attrs = " ".join(f"a{i}=1" for i in range(n))
    return f"<html><body><p {attrs}>The board said 17 schools closed in 2019.</p></body></html>".encode()


def many_parts_zip(n: int) -> bytes:
    """A zip with n tiny members (each a Python object once the directory is read)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for i in range(n):
            zf.writestr(f"p/{i}", b"")
    return out.getvalue()


def bzip2_docx() -> bytes:
    """A real DOCX re-packed with bzip2 (Word never writes that; bzip2 chunks inflate without bound)."""
    src = zipfile.ZipFile(io.BytesIO(_docx(["Packed with bzip2: 5 cases."])))
    out = io.BytesIO()
    with src, zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info))
    return out.getvalue()


@dataclass
class Corpus:
    """The generated folder: what must be stored (stored name -> a warning it must print, or ''), what must be
    refused (path -> accepted reason parts) and folders skipped without an error (a symlink loop)."""

    root: Path
    good: dict[str, str] = field(default_factory=dict)
    bad: dict[Path, tuple[str, ...]] = field(default_factory=dict)
    skipped: list[Path] = field(default_factory=list)
    big: list[Path] = field(default_factory=list)

    def add_good(self, name: str, data: bytes, note: str = "") -> Path:
        """A file that must be stored under `name` (relative to root), printing `note` if given."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.good[name] = note
        return path

    def add_bad(self, name: str, data: bytes | None, *reasons: str) -> Path:
        """A file that must be refused with a reason containing one of `reasons`."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            path.write_bytes(data)
        self.bad[path] = reasons
        return path


def sentence(n: int) -> str:
    """Distinct content per good file (identical content would be skipped as a duplicate)."""
    return f"The council said on 3 March 2021 that {n} new homes were built, up {n % 17 + 2}% on the year.\n"


ODD_NAMES = ["two  spaces.txt", "new\nline.txt", "tab\there.md", "quote\"s 'and' `ticks`.txt", "ünïcödé ☃ 日本語.txt",
             "-leading-dash.txt", "--help.md", "100% %s %n %%.txt", "back\\slash.txt", "semi;colon $(echo no) *.txt",
             "  leading space.txt", "trailing dot..txt", "ｗｉｄｅ.txt", "carriage\rreturn.txt", "zero\u200bwidth.md"]


def build_corpus(root: Path) -> Corpus:
    """Good seed files plus every hostile kind of file, under root."""
    corpus = Corpus(root)
    for name in GOOD_SEEDS:
        corpus.add_good(f"seeds/{name}", (SEEDS / name).read_bytes())
    for i, name in enumerate(ODD_NAMES):
        corpus.add_good(f"names/{name}", sentence(100 + i).encode())
    corpus.add_good("names/folder.txt/inside a folder named like a file.md", sentence(150).encode())

    # text encodings that must still go in
    corpus.add_good("enc/utf16-le-bom.txt", ("\ufeff" + sentence(201)).encode("utf-16-le"))
    corpus.add_good("enc/utf16-be-bom.txt", ("\ufeff" + sentence(202)).encode("utf-16-be"))
    corpus.add_good("enc/utf8-bom.md", b"\xef\xbb\xbf" + sentence(203).encode())
    corpus.add_good("enc/invalid-utf8-but-cp1252.txt", sentence(204).encode() + b"caf\xe9 \x80 \xff\xfe\n",
                    "decoded as Windows-1252")
    corpus.add_good("enc/late-nul.txt", (sentence(205) * 200).encode() + b"\x00\x00 after the sample\n",
                    "removed 2 NUL characters")
    corpus.add_good("enc/overflowing-numbers.txt", (sentence(206) + HUGE_FIGURES).encode())
    corpus.add_good("enc/utf32-le-bom.txt", ("\ufeff" + sentence(207)).encode("utf-32-le"))
    corpus.add_good("enc/utf32-be-bom.md", ("\ufeff" + sentence(208)).encode("utf-32-be"))
    corpus.add_good("enc/long-line-no-sentence-end.txt", long_item_line())
    corpus.add_good("formats/ok.pdf", _pdf([sentence(301), "A second paragraph with 7 cases in 2019."]))
    corpus.add_good("formats/ok.docx", _docx([sentence(302), "Another paragraph: 12 schools closed."]))
    corpus.add_good("formats/ok.html", f"<html><head><title>Ok</title></head><body><article><p>{sentence(303)}"
                                       f"</p><p>{sentence(304)}</p></article></body></html>".encode())

    # HTML: malformed (unclosed tags nest past libxml2's limit, stray closers, NULs after the first 8 KB),
    # deeply nested, a tag flood, one tag with 300,000 attributes
    junk = "<div><p>filler <b>bold <i>italic " * 400
    corpus.add_good("html/malformed-late-nul.html",
                    (f"<html><body><div><p>{sentence(305)}<table><tr><td>cell <span>" + junk + "</table></i>"
                     "<p>more \x00 text \x00\x00 with NULs</p><<>>><!-- unterminated comment").encode(),
                    "removed 3 NUL characters")
    corpus.add_good("html/nested-1000.html", nested_html(1000, sentence(306)), "nested deeper than 255 elements")
    corpus.add_good(f"html/nested-{NESTED_DIVS}.html", nested_html(NESTED_DIVS, sentence(307)),
                    "page has over 100,000 tags")
    corpus.add_good("html/attribute-flood.html", attribute_flood_html())
    corpus.add_bad("html/nul-early-malformed.html", b"<html><body><p>unclosed <b>bold \x00\x00<div<<p>>\x00" * 50,
                   "binary file")
    corpus.add_bad("html/only-script.html", b"<html><script>var x = 1;</script></html>", "empty file")
    # HTML that is not: a PDF under a page's name (read as the PDF it is), charsets that are not text encodings
    corpus.add_good("html/pdf-renamed.html", _pdf([sentence(308)]), "content is PDF, not HTML")
    for i, charset in enumerate(("base64", "rot13", "zlib", "unicode_escape", "cp037")):
        corpus.add_good(f"html/meta-charset-{charset}.html", charset_page(charset, 310 + i))

    rnd = random.Random(20240601)
    # binary and undecodable text
    corpus.add_bad("bad/binary.txt", rnd.randbytes(64 * 1024), "binary file (not text)")
    corpus.add_bad("bad/png-renamed.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rnd.randbytes(2000), "binary file")
    corpus.add_bad("bad/zip-renamed.txt", many_parts_zip(3), "binary file")
    corpus.add_bad("bad/gif-renamed.pdf", b"GIF89a" + rnd.randbytes(2000), "corrupt PDF: the content is a GIF image")
    corpus.add_bad("bad/text-then-binary.txt", (sentence(1) * 200).encode() + bytes(range(32)) * 4000,
                   "binary file")
    corpus.add_bad("bad/undecodable.txt", b"\x81\x8d\x8f\x90\x9d" * 200, "cannot decode text")
    corpus.add_bad("bad/utf16-bom-lone-surrogate.txt",
                   b"\xff\xfe" + "Some text ".encode("utf-16-le") + b"\x00\xd8" + "more text".encode("utf-16-le"),
                   "invalid UTF-16 after a byte order mark (illegal UTF-16 surrogate")
    corpus.add_bad("bad/utf16-bom-odd-length.txt", b"\xfe\xff" + "odd".encode("utf-16-be") + b"\x00",
                   "invalid UTF-16 after a byte order mark (truncated data")
    # empty in every format, and as good as empty
    for suffix in (".txt", ".md", ".html", ".pdf", ".docx"):
        corpus.add_bad(f"bad/empty{suffix}", b"", "empty file")
    corpus.add_bad("bad/whitespace-and-bom.md", b" \r\n\t\n \xef\xbb\xbf\xe2\x80\x8b", "empty file")
    corpus.add_bad("bad/bom-only.txt", b"\xef\xbb\xbf", "empty file")
    # too big: a 200 MB single line (refused from its size alone)
    huge = corpus.add_bad("bad/huge-single-line.txt", None, "file too large (200 MB > 50 MB limit)")
    write_huge_line(huge)
    corpus.big.append(huge)
    # PDF: truncated, garbage, decompression bombs (2 GB of zeros; 70 MB of text operators)
    whole = _pdf([sentence(401)] * 30)
    corpus.add_bad("pdf/truncated.pdf", whole[: len(whole) // 2], "corrupt PDF")
    corpus.add_bad("pdf/not-a-pdf.pdf", b"%PDF-1.7\n" + rnd.randbytes(3000), "corrupt PDF")
    corpus.add_bad("pdf/bomb-zeros.pdf", pdf_bomb(_flate_bomb(BOMB_BYTES)), "decompression bomb?")
    corpus.add_bad("pdf/bomb-text.pdf", pdf_bomb(_flate_bomb(15 << 20, TEXT_OPS)),
                   "decompression bomb?")
    # DOCX: not a zip, truncated, zip bombs (honest and lying directory), billion laughs, odd zips
    corpus.add_bad("docx/not-a-zip.docx", b"This is plain text pretending to be a Word document.\n" * 20,
                   "corrupt DOCX: BadZipFile")
    real_docx = _docx([sentence(402)] * 20)
    corpus.add_bad("docx/truncated.docx", real_docx[: len(real_docx) // 2], "corrupt DOCX")
    corpus.add_bad("docx/zip-bomb.docx", zip_bomb_docx(), "zip bomb? word/document.xml would expand to 2.0 GB")
    corpus.add_bad("docx/zip-bomb-lying-size.docx", zip_bomb_docx(256 * 1024 * 1024, declared=4096),
                   "corrupt DOCX: BadZipFile: Bad CRC-32 for file 'word/document.xml'")
    billion = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
               + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
               + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               '<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>').encode()
    with zipfile.ZipFile(io.BytesIO(real_docx)) as real:
        parts = [_deflated(i.filename, real.read(i) if i.filename != "word/document.xml" else billion)
                 for i in real.infolist()]
    corpus.add_bad("docx/billion-laughs.docx", _zip(parts), "corrupt DOCX")
    corpus.add_bad("docx/many-parts.docx", many_parts_zip(10_001), "more than 10,000 parts")
    corpus.add_bad("docx/bzip2.docx", bzip2_docx(), "compression method 12")
    # bad content under odd names: the error line must still be one line naming the file
    corpus.add_bad("names/-rf --no-preserve-root.docx", b"not a zip", "corrupt DOCX")
    corpus.add_bad("names/100%d\r\x1b[31mred.txt", bytes(range(256)), "binary file")
    corpus.add_bad("names/ünï ☃ binary.pdf", b"%PDF-1.4 garbage", "corrupt PDF")
    # links: a dangling one, a file link pointing at itself, a folder link back to its parent (a loop),
    # and a named pipe with a document suffix (opening it would block forever)
    corpus.add_good("links/inside.txt", sentence(500).encode())
    links = root / "links"
    (links / "dangling.txt").symlink_to(links / "no-such-target.txt")
    corpus.bad[links / "dangling.txt"] = ("no such file or folder", "broken symbolic link")
    (links / "self-loop.txt").symlink_to(links / "self-loop.txt")
    corpus.bad[links / "self-loop.txt"] = ("no such file or folder", "symbolic link loop")
    (links / "a").symlink_to(links, target_is_directory=True)
    corpus.skipped.append(links / "a")
    os.mkfifo(links / "pipe.txt")
    corpus.bad[links / "pipe.txt"] = ("not a regular file (named pipe)",)
    return corpus


# --------------------------------------------------------------------------- running the command line

def run_cli(args: list[str], timeout: float = RUN_TIMEOUT) -> Run:
    """Run factcheck in a child process (childproc.run_cli) with this suite's timeout."""
    return run_child(args, timeout)


def json_of(db: str, command: str) -> list[dict]:
    """`factcheck --db DB COMMAND --json`, parsed (in process: only ingest needs measuring)."""
    from contextlib import redirect_stdout

    from factcheck.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--db", db, command, "--json"]) == 0
    return json.loads(out.getvalue())


@dataclass
class Hostile:
    """The corpus and what two ingest runs over it did."""

    corpus: Corpus
    db: str
    first: Run
    second: Run
    before: dict[str, list[dict]]
    after: dict[str, list[dict]]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    """Build the corpus, ingest it twice (snapshotting sources, claims and flags after each run)."""
    base = tmp_path_factory.mktemp("hostile")
    corpus = build_corpus(base / "corpus")
    db = str(base / "claims.db")
    try:
        first = run_cli(["--db", db, "ingest", "--no-progress", str(corpus.root)])
        before = {c: json_of(db, c) for c in ("sources", "claims", "flags")}
        second = run_cli(["--db", db, "ingest", "--no-progress", str(corpus.root)])
        after = {c: json_of(db, c) for c in ("sources", "claims", "flags")}
    finally:
        for big in corpus.big:  # 200 MB: do not leave it behind in the kept pytest folders
            big.unlink(missing_ok=True)
    return Hostile(corpus, db, first, second, before, after)


def error_lines(stderr: str) -> list[str]:
    """The `error: ` lines (split on newlines only: a carriage return in a file name is not a line end)."""
    return [line for line in stderr.split("\n") if line.startswith("error: ")]


def shown(path: Path) -> tuple[str, ...]:
    """How a path may appear in a message: as is, or escaped onto one line by display_path."""
    return tuple(dict.fromkeys([str(path), display_path(path)]))


# --------------------------------------------------------------------------- the corpus through the CLI


def test_bad_files_get_one_clear_line_each(hostile):
    """Exactly one `error: PATH: reason` line per bad file, naming it, with the expected reason; nothing else
    is an error, and the run exits with status 1."""
    run = hostile.first
    assert run.returncode == 1, run.stderr[-2000:]
    lines = error_lines(run.stderr)
    unexplained = list(lines)
    for path, reasons in hostile.corpus.bad.items():
        mine = [(line, f"error: {p}: ") for line in lines for p in shown(path) if line.startswith(f"error: {p}: ")]
        assert len(mine) == 1, (path, mine)
        line, head = mine[0]
        reason = line[len(head):]
        assert any(r in reason for r in reasons), (path, reason, reasons)
        assert len(reason) <= 200, reason
        unexplained.remove(line)
    assert unexplained == []
    assert f"; {len(hostile.corpus.bad)} files failed" in run.stdout


def test_no_traceback_and_only_error_and_note_lines(hostile):
    """Nothing on stderr but `error:` and `note:` lines; no traceback anywhere."""
    for run in (hostile.first, hostile.second):
        for mark in TRACEBACK_MARKS:
            assert mark not in run.stderr and mark not in run.stdout, mark
        odd = [line for line in run.stderr.split("\n") if line and not line.startswith(("error: ", "note: "))]
        assert odd == []


def test_symlink_loop_is_not_an_error(hostile):
    """The folder link back to its parent is skipped (the walk ends), and is not reported as a bad file."""
    for loop in hostile.corpus.skipped:
        assert not [line for line in error_lines(hostile.first.stderr) if any(p in line for p in shown(loop))]
    assert not [s for s in hostile.before["sources"] if s["source"].startswith("links/a/")]


def test_every_good_file_is_stored(hostile):
    """The seeds, the oddly named files, the odd encodings and the malformed-but-readable pages all go in,
    under their names relative to the folder given, and nothing else does."""
    stored = {s["source"] for s in hostile.before["sources"]}
    assert stored == set(hostile.corpus.good)
    seeds = {s["source"]: s for s in hostile.before["sources"] if s["source"].startswith("seeds/")}
    assert all(s["claims"] > 0 for s in seeds.values())
    assert f"{len(hostile.corpus.good)} sources ingested ({len(hostile.corpus.good)} new" in hostile.first.stdout


def test_readable_oddities_say_what_was_done(hostile):
    """Files that went in only after something was dropped or a fallback was used print a note saying so."""
    notes = [line for line in hostile.first.stderr.split("\n") if line.startswith("note: ")]
    for name, note in hostile.corpus.good.items():
        if note:
            path = hostile.corpus.root / name
            assert any(line.startswith(f"note: {p}: ") and note in line for line in notes for p in shown(path)), name


def test_html_fallbacks_keep_the_deep_text(hostile):
    """The pages too deep or too big for trafilatura still give their text through the plain parser."""
    claims = {}
    for c in hostile.before["claims"]:
        claims.setdefault(c["source"], []).append(c)
    for name, n in (("html/nested-1000.html", 306), (f"html/nested-{NESTED_DIVS}.html", 307),
                    ("html/attribute-flood.html", None), ("html/malformed-late-nul.html", 305)):
        texts = " ".join(c["text"] for c in claims.get(name, []))
        assert (str(n) if n else "17") in texts, name


def test_long_line_and_mislabelled_pages_go_in_whole(hostile):
    """The 400 KB line gives a claim per figure, each with an excerpt of at most a window around it (not the
    line); the renamed PDF and the pages with a bogus <meta charset> keep their text."""
    claims = {}
    for c in hostile.before["claims"]:
        claims.setdefault(c["source"], []).append(c)
    long_line = claims["enc/long-line-no-sentence-end.txt"]
    assert len(long_line) > 10_000
    assert max(len(c["excerpt"]) - len(c["text"]) for c in long_line) <= 1000
    assert all(c["text"] in c["excerpt"] for c in long_line)
    charsets = ("base64", "rot13", "zlib", "unicode_escape", "cp037")
    for name, n in [("html/pdf-renamed.html", 308)] + [(f"html/meta-charset-{cs}.html", 310 + i)
                                                       for i, cs in enumerate(charsets)]:
        assert f"{n} new homes" in " ".join(c["excerpt"] for c in claims.get(name, [])), name


def test_memory_stays_bounded(hostile):
    """The whole run (a 2 GB zip bomb, 2 GB and 15 MB PDF bombs, a 200 MB line, a 400 KB line of numbers without a
    sentence end, a 100,000-deep page and a tag with 300,000 attributes among it) peaks under PEAK_RSS_LIMIT_MB."""
    assert hostile.first.peak_rss_mb < PEAK_RSS_LIMIT_MB, f"peak RSS {hostile.first.peak_rss_mb:.0f} MB"
    assert hostile.second.peak_rss_mb < PEAK_RSS_LIMIT_MB, f"peak RSS {hostile.second.peak_rss_mb:.0f} MB"


def test_rerun_with_bad_files_present_changes_nothing(hostile):
    """A second ingest of the same folder reports the same bad files, stores nothing new and changes no
    source, claim or flag."""
    assert hostile.second.returncode == 1
    assert sorted(error_lines(hostile.second.stderr)) == sorted(error_lines(hostile.first.stderr))
    n = len(hostile.corpus.good)
    assert f"0 sources ingested (0 new, 0 replaced, {n} unchanged)" in hostile.second.stdout
    assert hostile.after == hostile.before


# --------------------------------------------------------------------------- the loaders, in process


def test_zip_bomb_refused_from_the_directory_alone(tmp_path, monkeypatch):
    """The 2 GB zip bomb is refused from the declared sizes, without opening (inflating) any part."""
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bomb_docx())

    def no_inflating(*args, **kwargs):
        raise AssertionError("a part was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    with pytest.raises(LoadError) as info:
        load_document(path)
    assert str(info.value) == "zip bomb? word/document.xml would expand to 2.0 GB (from 2 MB; limit 50 MB)"


def test_lying_zip_directory_costs_no_memory(tmp_path):
    """A part that inflates far past its declared size is caught while being read in small chunks: Python
    allocations stay far below the 256 MB it would expand to."""
    import tracemalloc

    path = tmp_path / "liar.docx"
    path.write_bytes(zip_bomb_docx(256 * 1024 * 1024, declared=4096))
    tracemalloc.start()
    try:
        with pytest.raises(LoadError) as info:
            load_document(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Bad CRC-32" in str(info.value)
    assert peak < 32 * 1024 * 1024, peak


def test_docx_part_over_the_limit_at_a_normal_ratio(tmp_path):
    """A big but ordinary document part is 'too large', not a bomb."""
    rnd = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rnd.choice(letters) for _ in range(rnd.randint(2, 9))) for _ in range(400_000)]
    path = tmp_path / "long.docx"
    path.write_bytes(_docx([" ".join(words[i:i + 100]) for i in range(0, len(words), 100)]))
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(LoadError) as info:
        load_document(path, max_bytes=2 * 1024 * 1024)
    assert str(info.value).startswith("DOCX too large: word/document.xml would expand to ")
    assert str(info.value).endswith("(limit 2 MB)")


def test_walk_reports_a_folder_loop_once_and_yields_broken_links(tmp_path):
    """iter_document_paths ends on a symlink loop, tells on_skip about it (and about a second link to a folder
    already walked) once each, and yields broken, looping and non-regular entries for load_document to explain."""
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "doc.txt").write_text("Rates rose 3% in 2020.")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    (tmp_path / "other").symlink_to(tmp_path / "d", target_is_directory=True)
    (tmp_path / "d" / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "d" / "me.txt").symlink_to(tmp_path / "d" / "me.txt")
    os.mkfifo(tmp_path / "d" / "pipe.html")
    skipped: list[tuple[str, str]] = []

    def rel(p: Path) -> str:
        """The path relative to tmp_path."""
        return p.relative_to(tmp_path).as_posix()

    found = [rel(p) for p in iter_document_paths(tmp_path, lambda p, why: skipped.append((rel(p), why)))]
    assert found == ["d/doc.txt", "d/gone.md", "d/me.txt", "d/pipe.html"]
    assert skipped == [("d/loop", "symbolic link loop (leads back to an enclosing folder), skipped"),
                       ("other", "folder already walked through another link, skipped")]
    reasons = {}
    for name in found[1:]:
        with pytest.raises(LoadError) as info:
            load_document(tmp_path / name)
        reasons[name] = str(info.value)
    assert reasons == {"d/gone.md": "broken symbolic link (its target does not exist)",
                       "d/me.txt": "symbolic link loop (the link leads back to itself)",
                       "d/pipe.html": "cannot read file: not a regular file (named pipe)"}


def test_display_path_is_one_printable_line():
    """Control characters and undecodable file-system bytes are escaped; everything else is kept."""
    assert display_path("a b/ünï ☃ 100%.txt") == "a b/ünï ☃ 100%.txt"
    assert display_path(Path("evil\nname\r\x1b[31m.txt")) == "evil\\nname\\r\\x1b[31m.txt"
    assert display_path(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"
    assert display_path(b"tab\there") == "tab\\there"
    assert "\n" not in display_path("".join(map(chr, range(0, 0x110000, 97))))


def test_text_nuls_binary_tails_and_invisible_text(tmp_path):
    """A few NULs past the sample are removed with a warning; a text header glued to binary data is binary;
    whitespace, BOMs and zero-width spaces alone are an empty file."""
    path = tmp_path / "late.txt"
    path.write_bytes(b"Plain words. " * 1000 + b"\x00tail\x00")
    doc = load_document(path)
    assert "\x00" not in doc.text and doc.text.endswith("tail")
    assert doc.warnings == ["removed 2 NUL characters"]
    path.write_bytes(b"Plain words. " * 1000 + bytes(range(1, 32)) * 2000)
    with pytest.raises(LoadError, match=r"^binary file \(not text\)$"):
        load_document(path)
    path.write_bytes("\ufeff \u200b\n\u2060\t".encode())
    with pytest.raises(LoadError, match="^empty file$"):
        load_document(path)
    path.write_bytes(("\ufeffUTF-16 with a NUL\x00 inside").encode("utf-16-le"))
    assert load_document(path).text == "UTF-16 with a NUL inside"


def test_html_that_would_defeat_trafilatura(tmp_path):
    """Deep nesting and tag floods go to the plain parser with a note; a tag with 300,000 attributes keeps
    its text (its attributes are dropped before any parser sees them)."""
    path = tmp_path / "p.html"
    path.write_bytes(nested_html(1000).replace(b"<html>", b'<html><head><title>Deep page</title>'
                                                         b'<meta name="author" content="Jo Bloggs"></head>'))
    doc = load_document(path)
    assert doc.text == "Deep text: 42 cases were confirmed."
    assert doc.warnings == ["page nested deeper than 255 elements; used the full page text"]
    assert (doc.title, doc.author) == ("Deep page", "Jo Bloggs")  # the metadata is still read
    path.write_bytes(b"<p>Tag 1." * 120_000)
    doc = load_document(path)
    assert doc.text.startswith("Tag 1.\n\nTag 1.")
    assert doc.warnings == ["page has over 100,000 tags (120,000); used the full page text"]
    path.write_bytes(attribute_flood_html())
    assert load_document(path).text == "The board said 17 schools closed in 2019."


def test_pdf_bombs_name_the_limit(tmp_path):
    """A stream inflating past PDF_MAX_STREAM_BYTES, or a page with more tokens than PDF_MAX_PAGE_TOKENS, is
    named as such; a bomb page among good ones is skipped with a warning and the rest goes in."""
    path = tmp_path / "bomb.pdf"
    for stream, why in ((_flate_bomb(256 << 20), "Limit reached while decompressing"),
                        (_flate_bomb(15 << 20, TEXT_OPS), "Reached maximum number of tokens per stream")):
        path.write_bytes(pdf_bomb(stream))
        with pytest.raises(LoadError) as info:
            load_document(path)
        assert str(info.value).startswith("PDF over the safety limits (decompression bomb?): LimitReachedError: " + why)
    good = zlib.compress(b"BT /F1 12 Tf 72 712 Td (The clinic saw 80 cases in March 2020.) Tj ET")
    path.write_bytes(pdf_bomb(good, _flate_bomb(15 << 20, TEXT_OPS), good))
    doc = load_document(path)
    assert doc.text.count("The clinic saw 80 cases in March 2020.") == 2
    assert len(doc.warnings) == 1 and doc.warnings[0].startswith("page 2 skipped: over the safety limits (")


def test_overflowing_figures_are_not_claims():
    """Numbers beyond a float's range give no quantity claim (instead of OverflowError in extraction or an
    infinite value that matching cannot compare); the rest of the document is still extracted."""
    from factcheck.extract.document import SectionSpan, extract_document

    text = "Officials said 42 cases were recorded. " + HUGE_FIGURES
    claims = extract_document(text, [SectionSpan(0, len(text), None)]).claims
    values = [c.value for c in claims if c.kind == "quantity"]
    assert 42.0 in values
    assert all(v is None or math.isfinite(v) for c in claims for v in (c.value, c.low, c.high))


# --------------------------------------------------------------------------- needing pipeline.py / cli.py

def _ingest(db_url: str, *paths: Path, capsys) -> tuple[int, str, str]:
    """Ingest in process; (exit status, stdout, stderr)."""
    from factcheck.cli import main

    code = main(["--db", db_url, "ingest", "--no-progress", *map(str, paths)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_odd_bad_file_names_print_on_one_line(tmp_path, db_url, capsys):
    """`error: .../evil\\nname.pdf: corrupt PDF: ...` is one line, and a name that is not UTF-8 prints as
    `bad-\\xff.pdf` (today: two lines, and a UnicodeEncodeError on a strict stream). Fix: in
    cli._print_problems print `display_path(prob.path)` (from factcheck.ingest.loaders) instead of
    `prob.path`; notes likewise (they start with a path too)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "evil\nname.pdf").write_bytes(b"%PDF-1.4 garbage")
    try:
        with open(os.path.join(os.fsencode(docs), b"bad-\xff.pdf"), "wb") as fh:
            fh.write(b"%PDF-1.4 garbage")
    except OSError:
        pytest.skip("the file system refuses non-UTF-8 names")
    code, _, err = _ingest(db_url, docs, capsys=capsys)
    assert code == 1
    lines = err.split("\n")
    assert lines[0].startswith(f"error: {docs}/bad-\\xff.pdf: corrupt PDF")
    assert lines[1].startswith(f"error: {docs}/evil\\nname.pdf: corrupt PDF")
    assert lines[2:] == [""]


def test_file_name_with_undecodable_bytes_is_stored(tmp_path, db_url, capsys):
    """A file whose name is not UTF-8 goes in (today: 'internal error, not stored: UnicodeEncodeError').
    Fix: in pipeline.expand_paths store `name.encode("utf-8", "surrogateescape").decode("utf-8",
    "backslashreplace")`; the file is still read through its real path."""
    docs = tmp_path / "docs"
    docs.mkdir()
    try:
        with open(os.path.join(os.fsencode(docs), b"caf\xe9.txt"), "wb") as fh:
            fh.write(b"The caf\xc3\xa9 served 120 meals on 2 May 2021.\n")
    except OSError:
        pytest.skip("the file system refuses non-UTF-8 names")
    code, out, err = _ingest(db_url, docs, capsys=capsys)
    assert (code, err) == (0, "")


def test_broken_link_says_so(tmp_path, db_url, capsys):
    """A dangling link reads `broken symbolic link (its target does not exist)`, not `no such file or
    folder`. Fix: in pipeline.ingest_paths skip the early `no such file or folder` problem when
    `path.is_symlink()` (load_document then says what is wrong with the link)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "gone.txt").symlink_to(docs / "nowhere.txt")
    code, _, err = _ingest(db_url, docs, capsys=capsys)
    assert code == 1
    assert err == f"error: {docs}/gone.txt: broken symbolic link (its target does not exist)\n"


def test_folder_loop_is_a_note(tmp_path, db_url, capsys):
    """A folder link back to an enclosing folder prints one note. Fix: pipeline.expand_paths calls
    `iter_document_paths(root, on_skip=lambda p, why: notes.append(f"{p}: {why}"))` and ingest_paths
    puts those notes into report.notes."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Rates rose 3% in 2020.")
    (docs / "loop").symlink_to(docs, target_is_directory=True)
    code, _, err = _ingest(db_url, docs, capsys=capsys)
    assert code == 0
    assert err == f"note: {docs}/loop: symbolic link loop (leads back to an enclosing folder), skipped\n"
