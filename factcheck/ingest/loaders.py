"""Load documents (text, Markdown, HTML, PDF, DOCX) into plain text plus metadata.

Every failure surfaces as :class:`LoadError` with a short human reason; nothing is printed.

PDF re-flow rule (see :func:`reflow_pdf_text`): page texts are joined with a blank line,
lines are stripped, and blank lines are paragraph breaks.  Inside a run of non-blank
lines, with W the length of the run's longest line, each line break becomes

1. nothing, when the line ends with ``<letter>-`` and the next starts lowercase
   (the hyphen is dropped: ``"extra-\\nordinary"`` -> ``"extraordinary"``);
2. a paragraph break (``"\\n\\n"``) when the next line starts with a bullet or list marker;
3. a paragraph break when the line is short (under 70% of W), ends a sentence
   (``. ! ? :`` possibly followed by a closing quote or bracket) and the next line starts
   with a capital letter, digit or opening quote;
4. a paragraph break when the line is very short (under 50% of W), has no closing
   punctuation at all (a heading) and the next line starts capitalised;
5. otherwise a single space.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import pathlib
import re
import stat
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Callable, Iterator

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_SAMPLE_BYTES = 8192
_MB = 1024 * 1024
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# Keep the format libraries' log records off stderr unless the application configures logging.
for _name in ("pypdf", "trafilatura", "htmldate", "courlan", "justext", "docx"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


class LoadError(Exception):
    """A file that cannot be ingested; str(err) is a short human reason, e.g. 'binary file (not text)'."""


@dataclass(slots=True)
class LoadedDocument:
    """The extracted text of one file, with its hash, format and metadata."""

    text: str
    sha256: str
    fmt: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    url: str | None = None  # HTML: the canonical link (or og:url / twitter:url)
    outlet: str | None = None  # HTML: the site name (og:site_name, else from the title or host name)
    meta_origin: str | None = None  # what title/author/date/url/outlet were read from: "html metadata", ...


# --------------------------------------------------------------------------- public API


def load_document(path: pathlib.Path, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Read one file and return its text and metadata; raise LoadError for anything unusable."""
    path = pathlib.Path(path)
    _check_file(path, max_bytes)
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(f"unsupported file type '{path.suffix or '(none)'}'")
    data = _read_bytes(path, max_bytes)
    if not data:
        raise LoadError("empty file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = loader(data)
    except LoadError:
        raise
    except Exception as exc:  # a bug or an unexpected library failure must still be a LoadError
        raise LoadError(f"cannot load file: {_short_reason(exc)}") from exc
    if not doc.text.strip():
        raise LoadError("empty file")
    doc.sha256 = _sha256(data)
    return doc


def iter_document_paths(root: pathlib.Path) -> Iterator[pathlib.Path]:
    """Yield supported, non-hidden files under root in sorted tree order; a non-directory yields itself."""
    root = pathlib.Path(root)
    if not root.is_dir():
        yield root
        return
    yield from _walk(root, set())


# --------------------------------------------------------------------------- reading


def _check_file(path: pathlib.Path, max_bytes: int) -> None:
    """stat() the path: it must exist, be a regular file and be no larger than max_bytes."""
    try:
        st = path.stat()
    except OSError as exc:
        raise _os_error(exc) from None
    except ValueError:  # e.g. an embedded NUL in the path
        raise LoadError("cannot read file: invalid path") from None
    if stat.S_ISDIR(st.st_mode):
        raise LoadError("cannot read file: is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise LoadError("cannot read file: not a regular file")
    if st.st_size > max_bytes:
        raise LoadError(_too_large(st.st_size, max_bytes))


def _read_bytes(path: pathlib.Path, max_bytes: int) -> bytes:
    """Read the whole file once, never more than max_bytes + 1 bytes."""
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise _os_error(exc) from None
    if len(data) > max_bytes:  # the file grew between stat() and read()
        raise LoadError(_too_large(len(data), max_bytes))
    return data


def _os_error(exc: OSError) -> LoadError:
    """Translate an OSError from stat/open/read into a short LoadError."""
    if isinstance(exc, FileNotFoundError):
        return LoadError("file not found")
    if isinstance(exc, PermissionError):
        return LoadError("cannot read file: permission denied")
    if isinstance(exc, IsADirectoryError):
        return LoadError("cannot read file: is a directory")
    return LoadError(f"cannot read file: {(exc.strerror or str(exc)).lower()}")


def _too_large(size: int, limit: int) -> str:
    """Format the 'file too large' reason."""
    return f"file too large ({size / _MB:.0f} MB > {limit / _MB:.0f} MB limit)"


def _sha256(data: bytes) -> str:
    """Hex sha256 of the raw bytes."""
    return hashlib.sha256(data).hexdigest()


def _short_reason(exc: BaseException, limit: int = 100) -> str:
    """A one-line, bounded description of an exception."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    reason = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


# --------------------------------------------------------------------------- plain text


def _load_txt(data: bytes) -> LoadedDocument:
    """Decode a .txt file exactly (no newline or whitespace changes)."""
    return _load_plain(data, "txt")


def _load_md(data: bytes) -> LoadedDocument:
    """Decode a .md file exactly (no newline or whitespace changes)."""
    return _load_plain(data, "md")


def _load_plain(data: bytes, fmt: str) -> LoadedDocument:
    """Shared text decoding for .txt and .md."""
    text, encoding, notes = _decode_text(data)
    return LoadedDocument(text=text, sha256="", fmt=fmt, encoding=encoding, warnings=notes)


def _decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Decode bytes as UTF-16 (with BOM), UTF-8 (BOM stripped) or Windows-1252; reject binary."""
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
        else:
            if _is_binary_text(text[:_SAMPLE_BYTES]):
                raise LoadError("binary file (not text)")
            return text, "utf-16", []
    if _is_binary_bytes(data[:_SAMPLE_BYTES]):
        raise LoadError("binary file (not text)")
    try:
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        return data.decode("utf-8-sig"), encoding, []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252", ["decoded as Windows-1252"]
    except UnicodeDecodeError:
        raise LoadError("cannot decode text: not UTF-8, UTF-16 or Windows-1252") from None


def _is_binary_bytes(sample: bytes) -> bool:
    """True when a byte sample has a NUL or more than 10% control bytes."""
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if (b < 0x20 or b == 0x7F) and b not in _ALLOWED_CONTROLS)
    return bool(sample) and controls > 0.10 * len(sample)


def _is_binary_text(sample: str) -> bool:
    """True when a decoded sample has more than 10% control characters (NUL included)."""
    controls = sum(1 for ch in sample if (ch < " " or ch == "\x7f") and ch not in "\t\n\r\f")
    return bool(sample) and controls > 0.10 * len(sample)


# --------------------------------------------------------------------------- HTML

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)
_DROPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "title"})


def _load_html(data: bytes) -> LoadedDocument:
    """Extract the main text of a web page with trafilatura, falling back to a plain text dump; title,
    author, date, canonical URL and site name come from trafilatura's metadata extraction."""
    try:
        import trafilatura
    except ImportError:
        raise LoadError("HTML support not installed: pip install 'factcheck[html]'") from None
    html, encoding, notes = _decode_html(data)
    text, meta = _trafilatura_extract(trafilatura, html, notes)
    fallback = None
    if not text or not text.strip():
        fallback = _parse_html(html)
        text = fallback.text()
        notes.append("main-text extraction found nothing; used the full page text")
    title = _clean(getattr(meta, "title", None))
    if title is None:
        title = (fallback or _parse_html(html)).title()
    return LoadedDocument(
        text=text,
        sha256="",
        fmt="html",
        title=title,
        author=_clean(getattr(meta, "author", None)),
        published=_clean(getattr(meta, "date", None)),
        encoding=encoding,
        warnings=notes,
        url=_clean(getattr(meta, "url", None)),
        outlet=_clean(getattr(meta, "sitename", None)),
        meta_origin="html metadata",
    )


def _trafilatura_extract(trafilatura, html: str, notes: list[str]):
    """Run trafilatura's text and metadata extraction, turning its failures into warnings."""
    text = meta = None
    try:
        text = trafilatura.extract(
            html,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            with_metadata=False,
        )
    except Exception as exc:
        notes.append(f"main-text extraction failed ({_short_reason(exc)})")
    try:
        meta = trafilatura.extract_metadata(html)
    except Exception as exc:
        notes.append(f"metadata extraction failed ({_short_reason(exc)})")
    return text, meta


def _decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """Decode HTML bytes using a BOM, the meta charset, UTF-8, then Windows-1252."""
    if data.startswith(_UTF16_BOMS):
        return _decode_text(data)
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    else:
        if _is_binary_bytes(data[:_SAMPLE_BYTES]):
            raise LoadError("binary file (not text)")
        declared = _declared_charset(data[:4096])
        candidates = ([declared] if declared else []) + ["utf-8"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding, []
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("cp1252"), "cp1252", ["decoded as Windows-1252"]
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        return text, "cp1252", ["decoded as Windows-1252 with undecodable bytes replaced"]


def _declared_charset(head: bytes) -> str | None:
    """The codec named by a <meta charset>, mapping Latin-1/ASCII to Windows-1252 as browsers do."""
    match = _META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return None if name.startswith("utf-16") else name


class _HtmlText(HTMLParser):
    """Stdlib fallback: visible text with block elements as paragraph breaks."""

    def __init__(self) -> None:
        """Start with no paragraphs."""
        super().__init__(convert_charrefs=True)
        self._paragraphs: list[str] = []
        self._current: list[str] = []
        self._title: list[str] = []
        self._dropped: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        """Enter a dropped element or break the paragraph at a block element."""
        if tag in _DROPPED_TAGS:
            self._dropped.append(tag)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs) -> None:
        """Treat a self-closing block tag (e.g. <br/>) as a paragraph break."""
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        """Leave a dropped element or end the paragraph at a block element."""
        if tag in _DROPPED_TAGS:
            if tag in self._dropped:
                while self._dropped and self._dropped.pop() != tag:
                    pass
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        """Collect visible text (and the <title> text separately)."""
        if self._dropped:
            if self._dropped[-1] == "title":
                self._title.append(data)
            return
        self._current.append(data)

    def _flush(self) -> None:
        """Close the current paragraph, collapsing whitespace."""
        paragraph = " ".join("".join(self._current).split())
        if paragraph:
            self._paragraphs.append(paragraph)
        self._current = []

    def text(self) -> str:
        """The collected paragraphs separated by blank lines."""
        self._flush()
        return "\n\n".join(self._paragraphs)

    def title(self) -> str | None:
        """The document's <title>, if any."""
        return _clean(" ".join("".join(self._title).split()))


def _parse_html(html: str) -> _HtmlText:
    """Feed the whole page to the stdlib fallback parser."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return parser


# --------------------------------------------------------------------------- PDF

_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})
_BULLET = re.compile(r"^(?:[•·▪◦‣●○■□–—*-]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s)")
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")
_CAPITALISED = re.compile(r"^[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ]")
_HYPHENATED = re.compile(r"[^\W\d_]-$")


def _load_pdf(data: bytes) -> LoadedDocument:
    """Extract and re-flow the text of a PDF with pypdf, plus its title, author and creation date."""
    try:
        from pypdf import PdfReader
    except ImportError:
        raise LoadError("PDF support not installed: pip install pypdf") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        _open_encrypted(reader)
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(f"corrupt PDF: {_short_reason(exc)}") from None
    text = reflow_pdf_text("\n\n".join(pages).translate(_LIGATURES))
    if not text.strip():
        raise LoadError("no extractable text (scanned PDF?)")
    title, author, published = _pdf_metadata(reader)
    return LoadedDocument(text=text, sha256="", fmt="pdf", title=title, author=author, published=published,
                          meta_origin="document metadata")


def _open_encrypted(reader) -> None:
    """Decrypt with the empty password, or raise LoadError('encrypted PDF')."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except Exception as exc:
        if type(exc).__name__ == "DependencyError":
            raise LoadError("encrypted PDF (AES needs: pip install cryptography)") from None
        raise LoadError("encrypted PDF") from None
    if not opened:  # PasswordType.NOT_DECRYPTED == 0
        raise LoadError("encrypted PDF")


def _pdf_metadata(reader) -> tuple[str | None, str | None, str | None]:
    """Title, author and ISO creation date from the PDF's document information, each optional."""
    try:
        meta = reader.metadata
    except Exception:
        return None, None, None
    if meta is None:
        return None, None, None
    return (
        _safe(lambda: _clean(meta.title)),
        _safe(lambda: _clean(meta.author)),
        _safe(lambda: _iso_date(meta.creation_date)),
    )


def reflow_pdf_text(text: str) -> str:
    """Join hard-wrapped PDF lines into paragraphs separated by blank lines (rule in the module docstring)."""
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*(?:\n[ \t]*)+", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            paragraphs.extend(_reflow_block(lines))
    return "\n\n".join(paragraphs)


def _reflow_block(lines: list[str]) -> list[str]:
    """Re-flow one run of non-blank lines into one or more paragraphs."""
    width = max(len(line) for line in lines)
    paragraphs: list[str] = []
    current = lines[0]
    for prev, line in zip(lines, lines[1:]):
        joint = _line_joint(prev, line, width)
        if joint == "\n\n":
            paragraphs.append(current)
            current = line
        elif joint == "":
            current = current[:-1] + line
        else:
            current = current + " " + line
    paragraphs.append(current)
    return paragraphs


def _line_joint(prev: str, line: str, width: int) -> str:
    """What replaces the break between prev and line: '' (dehyphenate), ' ' or '\\n\\n'."""
    if _HYPHENATED.search(prev) and line[:1].islower():
        return ""
    if _BULLET.match(line):
        return "\n\n"
    capitalised = bool(_CAPITALISED.match(line))
    if capitalised and len(prev) < 0.7 * width and _SENTENCE_END.search(prev):
        return "\n\n"
    if capitalised and len(prev) < 0.5 * width and prev[-1:].isalnum():
        return "\n\n"
    return " "


# --------------------------------------------------------------------------- DOCX


def _load_docx(data: bytes) -> LoadedDocument:
    """Extract paragraphs and tables (in body order) of a Word document with python-docx."""
    try:
        import docx
    except ImportError:
        raise LoadError("DOCX support not installed: pip install 'factcheck[docx]'") from None
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = [_docx_block_text(item) for item in document.iter_inner_content()]
    except Exception as exc:
        raise LoadError(f"corrupt DOCX: {_short_reason(exc)}") from None
    text = "\n\n".join(block for block in blocks if block.strip())
    title, author, published = _docx_metadata(document)
    return LoadedDocument(text=text, sha256="", fmt="docx", title=title, author=author, published=published,
                          meta_origin="document metadata")


def _docx_block_text(item) -> str:
    """A paragraph's text, or a table as one line per row with cells joined by two spaces."""
    if hasattr(item, "rows"):
        return "\n".join(line for line in (_docx_row_text(row) for row in item.rows) if line)
    return item.text


def _docx_row_text(row) -> str:
    """One table row: distinct cells (merged cells once), each flattened to one line."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    return "  ".join(cells).strip()


def _docx_metadata(document) -> tuple[str | None, str | None, str | None]:
    """Title, author and ISO creation date from the DOCX core properties, each optional."""
    try:
        props = document.core_properties
    except Exception:
        return None, None, None
    return (
        _safe(lambda: _clean(props.title)),
        _safe(lambda: _clean(props.author)),
        _safe(lambda: _iso_date(props.created)),
    )


# --------------------------------------------------------------------------- helpers


def _clean(value) -> str | None:
    """A stripped string, or None for missing/blank values."""
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def _iso_date(value) -> str | None:
    """An ISO date (YYYY-MM-DD) from a datetime/date, or None."""
    if value is None:
        return None
    date = value.date() if hasattr(value, "date") and callable(value.date) else value
    return date.isoformat()


def _safe(getter: Callable[[], str | None]) -> str | None:
    """Call a metadata getter, treating any failure as missing metadata."""
    try:
        return getter()
    except Exception:
        return None


# --------------------------------------------------------------------------- directory walk


def _walk(directory: pathlib.Path, visited: set[tuple[int, int]]) -> Iterator[pathlib.Path]:
    """Depth-first, name-sorted walk yielding supported files; follows symlinks without looping."""
    try:
        st = directory.stat()
        key = (st.st_dev, st.st_ino)
        if key in visited:
            return
        visited.add(key)
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name.startswith("~$"):
            continue
        path = directory / entry.name
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
        except OSError:
            continue
        if is_dir:
            yield from _walk(path, visited)
        elif is_file and path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path


_LOADERS: dict[str, Callable[[bytes], LoadedDocument]] = {
    ".txt": _load_txt,
    ".md": _load_md,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}
