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

A file is loaded by what its bytes are (see :func:`sniff`): a PDF or DOCX under another name is read as one,
with a note, and an image or archive under a document's name is refused. A ``<meta charset>`` is used only
when it names a page encoding (not base64, rot13, an escape scheme or an EBCDIC code page); UTF-32 and UTF-16
are recognised by their byte order marks. Titles and other metadata never keep control characters.

Hostile input is refused or defused before it can cost much time or memory: files over ``max_bytes`` by
stat() alone; text with NUL bytes or too many control characters as binary (a few NULs past the first 8 KB
are removed with a warning); web pages with too many tags, oversized tags or nesting deeper than the HTML
parser takes go to the plain stdlib parser; a DOCX whose zip directory promises more than ``max_bytes`` per
part (or twice that in all), uses another compression than deflate, or whose parts do not inflate to exactly
their declared sizes is refused before python-docx reads it. In a folder walk, a symbolic link back to an
enclosing folder is skipped (reported through ``on_skip``) and broken or looping file links are yielded so
that loading them says what is wrong.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import logging
import os
import pathlib
import re
import stat
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt
    import zipfile

    from pypdf import PdfReader

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_SAMPLE_BYTES = 8192
_MB = 1024 * 1024
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # checked first: FF FE 00 00 starts like FF FE
_WIDE_BOMS = _UTF32_BOMS + _UTF16_BOMS
_GB = 1024 * _MB
# bytes that are not control characters: deleting them from data leaves the control bytes
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not ((b < 0x20 or b == 0x7F) and b not in _ALLOWED_CONTROLS))
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # C0 and C1 controls: never part of a title or a name
# nothing to read: whitespace, byte order marks / zero-width no-break spaces, zero-width spaces and joiners
_BLANK = re.compile("[\\s\ufeff\u200b-\u200d\u2060]*")

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
    size = _check_file(path, max_bytes)
    if path.suffix.lower() not in _LOADERS:
        raise LoadError(f"unsupported file type '{path.suffix or '(none)'}'")
    data = _read_bytes(path, max_bytes, size)
    if not data:
        raise LoadError("empty file")
    loader, note = _loader_for(path.suffix.lower(), data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = loader(data, max_bytes)
    except LoadError:
        raise
    except RecursionError:
        raise LoadError("cannot load file: structure nested too deeply") from None
    except MemoryError:
        raise LoadError("cannot load file: out of memory") from None
    except Exception as exc:  # a bug or an unexpected library failure must still be a LoadError
        raise LoadError(f"cannot load file: {_short_reason(exc)}") from exc
    if _BLANK.fullmatch(doc.text):
        raise LoadError("empty file")
    if note:
        doc.warnings.insert(0, note)
    doc.sha256 = _sha256(data)
    return doc


def unsupported_reason(path: pathlib.Path) -> str | None:
    """Why no loader reads a file of this name ('unsupported file type .png'), or None when one does."""
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    return f"unsupported file type {suffix or '(no extension)'}"


SILENT_NAMES = frozenset({"sources.toml"})  # not documents, and not to be reported as skipped: read as metadata


def iter_document_paths(root: pathlib.Path,
                        on_skip: Callable[[pathlib.Path, str], None] | None = None,
                        on_unsupported: Callable[[pathlib.Path], None] | None = None) -> Iterator[pathlib.Path]:
    """Yield supported, non-hidden files under root in sorted tree order; a non-directory yields itself.

    Entries with a supported suffix that are not regular files (broken or looping symbolic links, named
    pipes) are yielded too, so that load_document can say what is wrong with them. Folders that are not
    walked - a symbolic link back to an enclosing folder, a second link to a folder already walked, a
    folder that cannot be read - are passed to on_skip(path, reason) once each, if given. Files no loader reads
    (unsupported_reason) are passed to on_unsupported(path), if given, but hidden files (".name"), Office lock
    files ("~$name") and sources.toml are passed over without a word: they are not documents."""
    root = pathlib.Path(root)
    if not root.is_dir():
        yield root
        return
    yield from _walk(root, set(), frozenset(), on_skip or (lambda path, reason: None),
                     on_unsupported or (lambda path: None))


def display_path(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A path as one printable line: control characters (newline, tab, ESC...) and undecodable bytes from
    the file system become backslash escapes, so an odd file name cannot break a one-line message."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif "\udc80" <= ch <= "\udcff":  # a byte that was not valid in the file system encoding
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


# --------------------------------------------------------------------------- reading


def _check_file(path: pathlib.Path, max_bytes: int) -> int:
    """stat() the path: it must exist, be a regular file and be no larger than max_bytes; returns its size."""
    try:
        st = path.stat()
    except OSError as exc:
        raise _link_error(path) or _os_error(exc) from None
    except ValueError:  # e.g. an embedded NUL in the path
        raise LoadError("cannot read file: invalid path") from None
    if stat.S_ISDIR(st.st_mode):
        raise LoadError("cannot read file: is a directory")
    if not stat.S_ISREG(st.st_mode):
        kind = ("named pipe" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
                else "device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "special file")
        raise LoadError(f"cannot read file: not a regular file ({kind})")
    if st.st_size > max_bytes:
        raise LoadError(_too_large(st.st_size, max_bytes))
    return st.st_size


def _read_bytes(path: pathlib.Path, max_bytes: int, size: int | None = None) -> bytes:
    """Read the whole file once, never more than max_bytes + 1 bytes. With the size stat() gave, the read
    asks for just that (plus one byte to notice growth), not for a max_bytes buffer."""
    try:
        with path.open("rb") as fh:
            want = max_bytes + 1 if size is None else min(size, max_bytes) + 1
            data = fh.read(want)
            if len(data) == want <= max_bytes:  # the file grew between stat() and read()
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise _os_error(exc) from None
    if len(data) > max_bytes:  # the file grew between stat() and read()
        raise LoadError(_too_large(len(data), max_bytes))
    return data


def _link_error(path: pathlib.Path) -> LoadError | None:
    """When stat() failed on a symbolic link: a LoadError saying the link is broken or loops, else None."""
    try:
        if not stat.S_ISLNK(os.lstat(path).st_mode):
            return None
    except (OSError, ValueError):
        return None
    try:
        os.stat(path)
    except FileNotFoundError:
        return LoadError("broken symbolic link (its target does not exist)")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LoadError("symbolic link loop (the link leads back to itself)")
        return None
    return None


def _os_error(exc: OSError) -> LoadError:
    """Translate an OSError from stat/open/read into a short LoadError."""
    if isinstance(exc, FileNotFoundError):
        return LoadError("file not found")
    if isinstance(exc, PermissionError):
        return LoadError("cannot read file: permission denied")
    if isinstance(exc, IsADirectoryError):
        return LoadError("cannot read file: is a directory")
    if exc.errno == errno.ELOOP:
        return LoadError("symbolic link loop (the link leads back to itself)")
    return LoadError(f"cannot read file: {(exc.strerror or str(exc)).lower()}")


def _too_large(size: int, limit: int) -> str:
    """Format the 'file too large' reason."""
    return f"file too large ({size / _MB:.0f} MB > {limit / _MB:.0f} MB limit)"


def _size(n: int) -> str:
    """A byte count for a message: '2.0 GB', '120 MB', '512 KB'."""
    if n >= _GB:
        return f"{n / _GB:.1f} GB"
    if n >= _MB:
        return f"{n / _MB:.0f} MB"
    return f"{max(1, round(n / 1024))} KB"


def _sha256(data: bytes) -> str:
    """Hex sha256 of the raw bytes."""
    return hashlib.sha256(data).hexdigest()


def _short_reason(exc: BaseException, limit: int = 100) -> str:
    """A one-line, bounded description of an exception."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    reason = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


# --------------------------------------------------------------------------- what the bytes are

# magic numbers of formats that are not documents (a renamed image or archive is refused by name)
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"), (b"\x1f\x8b", "gzip archive"), (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"), (b"\xfd7zXZ\x00", "xz archive"), (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document (.doc/.xls/.ppt)"), (b"\x7fELF", "executable"),
    (b"OggS\x00", "Ogg media"), (b"ID3\x03", "MP3 audio"), (b"ID3\x04", "MP3 audio"),
    (b"\x00\x00\x01\x00", "icon image"), (b"II*\x00", "TIFF image"), (b"MM\x00*", "TIFF image"),
)
_FORMAT_NAMES = {".pdf": "PDF", ".docx": "DOCX", ".html": "HTML", ".htm": "HTML", ".txt": "text", ".md": "Markdown"}


def sniff(data: bytes) -> str | None:
    """What the bytes are by their magic number: ".pdf", ".docx", another format's name, or None (text)."""
    if data.startswith(b"%PDF-") or (b"%PDF-" in data[:1024] and b"%%EOF" in data[-1024:]):
        return ".pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ".docx" if b"word/document.xml" in data else "zip archive"
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[data[8:12]]
    if data.startswith(b"BZh") and data[4:10] == b"1AY&SY":  # block size digit, then the block magic
        return "bzip2 archive"
    return next((name for magic, name in _MAGIC if data.startswith(magic)), None)


def _loader_for(suffix: str, data: bytes) -> tuple[Callable[[bytes, int], LoadedDocument], str | None]:
    """The loader for what the bytes are (with a note when that is not what the suffix says); a renamed
    image, archive or other non-document is refused (by name when it poses as a PDF or DOCX)."""
    kind = sniff(data)
    if kind is None or kind == suffix:
        return _LOADERS[suffix], None
    if kind in _LOADERS:
        return _LOADERS[kind], (f"content is {_FORMAT_NAMES[kind]}, not {_FORMAT_NAMES[suffix]} as the name says: "
                                f"loaded as {_FORMAT_NAMES[kind]}")
    if kind == "zip archive" and suffix == ".docx":
        return _LOADERS[suffix], None  # the DOCX loader says what is missing
    if suffix in (".pdf", ".docx"):
        raise LoadError(f"corrupt {_FORMAT_NAMES[suffix]}: the content is a {kind}")
    raise LoadError("binary file (not text)")


# --------------------------------------------------------------------------- plain text


def _load_txt(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Decode a .txt file exactly (no newline or whitespace changes)."""
    return _load_plain(data, "txt")


def _load_md(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Decode a .md file exactly (no newline or whitespace changes)."""
    return _load_plain(data, "md")


def _load_plain(data: bytes, fmt: str) -> LoadedDocument:
    """Shared text decoding for .txt and .md."""
    text, encoding, notes = _decode_text(data)
    return LoadedDocument(text=text, sha256="", fmt=fmt, encoding=encoding, warnings=notes)


def _decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Decode bytes as UTF-32 or UTF-16 (with BOM), UTF-8 (BOM stripped) or Windows-1252; reject binary. A
    few NUL characters past the binary test's sample are removed with a warning."""
    if data.startswith(_UTF32_BOMS):
        decoded = _decode_utf32(data)
        if decoded is not None:
            return decoded
    if data.startswith(_UTF16_BOMS):
        return _decode_utf16(data)
    _check_not_binary(data)
    try:
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        return _without_nuls(data.decode("utf-8-sig"), encoding, [])
    except UnicodeDecodeError:
        pass
    try:
        return _without_nuls(data.decode("cp1252"), "cp1252", ["decoded as Windows-1252"])
    except UnicodeDecodeError:
        raise LoadError("cannot decode text: not UTF-8, UTF-16 or Windows-1252") from None


def _decode_utf16(data: bytes) -> tuple[str, str, list[str]]:
    """Decode text that starts with a UTF-16 byte order mark (the BOM is dropped)."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise LoadError(f"cannot decode text: invalid UTF-16 after a byte order mark ({exc.reason} at byte "
                        f"{exc.start + 2})") from None
    return _wide_text(text, "utf-16")


def _decode_utf32(data: bytes) -> tuple[str, str, list[str]] | None:
    """Decode text that starts with a UTF-32 byte order mark (dropped); None when it is not UTF-32 but may be
    UTF-16 (FF FE 00 00 is also a UTF-16 BOM and a NUL)."""
    try:
        text = data.decode("utf-32")
    except UnicodeDecodeError as exc:
        if data.startswith(_UTF16_BOMS):
            return None
        raise LoadError(f"cannot decode text: invalid UTF-32 after a byte order mark ({exc.reason} at byte "
                        f"{exc.start + 4})") from None
    return _wide_text(text, "utf-32")


def _wide_text(text: str, encoding: str) -> tuple[str, str, list[str]]:
    """Check text decoded from UTF-16/32 for binary content, then drop its NULs."""
    if _is_binary_text(text[:_SAMPLE_BYTES]) or _is_binary_text(text, count=True):
        raise LoadError("binary file (not text)")
    return _without_nuls(text, encoding, [])


def _check_not_binary(data: bytes) -> None:
    """Raise LoadError('binary file (not text)') for a NUL or >10% control bytes in the first 8 KB, or for
    more than 10% control bytes in the whole file (a text header glued to binary data)."""
    if _is_binary_bytes(data[:_SAMPLE_BYTES]):
        raise LoadError("binary file (not text)")
    if len(data) > _SAMPLE_BYTES and len(data.translate(None, _NOT_CONTROL_BYTES)) > 0.10 * len(data):
        raise LoadError("binary file (not text)")


def _without_nuls(text: str, encoding: str, notes: list[str]) -> tuple[str, str, list[str]]:
    """Remove NUL characters (no database text column takes them everywhere) with a warning."""
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        notes.append(f"removed {nuls} NUL character{'s' * (nuls > 1)}")
    return text, encoding, notes


def _is_binary_bytes(sample: bytes) -> bool:
    """True when a byte sample has a NUL or more than 10% control bytes."""
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if (b < 0x20 or b == 0x7F) and b not in _ALLOWED_CONTROLS)
    return bool(sample) and controls > 0.10 * len(sample)


def _is_binary_text(sample: str, count: bool = False) -> bool:
    """True when decoded text has more than 10% control characters (NUL included); count=True counts with
    a regular expression (for whole texts), else character by character (for the 8 KB sample)."""
    if count:
        controls = len(sample) - len(_CONTROL_CHARS.sub("", sample))
    else:
        controls = sum(1 for ch in sample if (ch < " " or ch == "\x7f") and ch not in "\t\n\r\f")
    return bool(sample) and controls > 0.10 * len(sample)


# --------------------------------------------------------------------------- HTML

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd details div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)
_DROPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "title"})

# Limits beyond which trafilatura (lxml) is not used on a page, because it would cost far more time or
# memory than the page is worth (about 1.5 KB and 0.1 ms per element) or silently lose text:
MAX_HTML_TAGS = 100_000  # more "<" than this: a tag flood
MAX_TAG_CHARS = 4096  # a longer tag keeps only its name (libxml2 is quadratic in the attributes of one tag)
MAX_HTML_DEPTH = 255  # libxml2's HTML parser drops whatever is nested deeper than this
_LONG_TAG = re.compile(rf"<[A-Za-z][^<>]{{{MAX_TAG_CHARS},}}")
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9:_-]{0,63}")


def _load_html(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Extract the main text of a web page with trafilatura, falling back to a plain text dump; title,
    author, date, canonical URL and site name come from trafilatura's metadata extraction. Pages too
    big, too deep or too odd for trafilatura (see MAX_HTML_TAGS...) get the plain dump, with a warning."""
    try:
        import trafilatura
    except ImportError:
        raise LoadError("HTML support not installed: pip install 'factcheck[html]'") from None
    html, encoding, notes = _decode_html(data)
    html = _shorten_long_tags(html)
    too_hard, metadata_ok = _html_too_hard(html)
    if too_hard is None:
        text, meta = _trafilatura_extract(trafilatura, html, notes)
    else:  # a deep page's <head> still has its title, author and date; a tag flood is not parsed again
        text, meta = None, _trafilatura_metadata(trafilatura, html, notes) if metadata_ok else None
    fallback = None
    if not text or not text.strip():
        fallback = _parse_html(html)
        text = fallback.text()
        notes.append(f"{too_hard or 'main-text extraction found nothing'}; used the full page text")
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


def _trafilatura_extract(trafilatura: ModuleType, html: str, notes: list[str]) -> tuple[str | None, object]:
    """Run trafilatura's text and metadata extraction, turning its failures into warnings."""
    text: str | None = None
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
    return text, _trafilatura_metadata(trafilatura, html, notes)


def _trafilatura_metadata(trafilatura: ModuleType, html: str, notes: list[str]) -> object:
    """trafilatura's metadata of a page, or None with a warning when it fails."""
    try:
        return trafilatura.extract_metadata(html)
    except Exception as exc:
        notes.append(f"metadata extraction failed ({_short_reason(exc)})")
        return None


def _shorten_long_tags(html: str) -> str:
    """Cut every tag longer than MAX_TAG_CHARS down to its bare name (attributes are not text; a tag with
    100,000 attributes takes libxml2 minutes and the stdlib parser gigabytes)."""
    if len(html) < MAX_TAG_CHARS:
        return html

    def bare(match: re.Match[str]) -> str:
        """'<name' plus a closing '>' unless one follows."""
        tag = _TAG_NAME.match(html, match.start() + 1)
        assert tag is not None  # _LONG_TAG matches '<' and a letter
        name = tag.group()
        return f"<{name}" + ("" if html.startswith(">", match.end()) else ">")

    return _LONG_TAG.sub(bare, html)


def _html_too_hard(html: str) -> tuple[str | None, bool]:
    """(why trafilatura should not extract the main text of this page, or None; whether its metadata
    extraction may still run). A tag flood is not parsed at all; a page nested deeper than libxml2 keeps
    (libxml2's own verdict: a quick parse with lxml, whose error log says so) would silently lose text."""
    tags = html.count("<")
    if tags > MAX_HTML_TAGS:
        return f"page has over {MAX_HTML_TAGS:,} tags ({tags:,})", False
    try:
        from lxml import etree

        parser = etree.HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True)
        etree.fromstring(html, parser)
        errors = parser.error_log.filter_from_errors()
    except Exception:
        return None, True  # trafilatura will meet the same problem and say so
    if any("Excessive depth" in e.message for e in errors):
        return f"page nested deeper than {MAX_HTML_DEPTH} elements", True
    return None, True


def _decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """Decode HTML bytes using a BOM, the meta charset, UTF-8, then Windows-1252 (NULs removed)."""
    if data.startswith(_WIDE_BOMS):
        return _decode_text(data)
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    else:
        _check_not_binary(data)
        declared = _declared_charset(data[:4096])
        candidates = ([declared] if declared else []) + ["utf-8"]
    for encoding in candidates:
        try:
            return _without_nuls(data.decode(encoding), encoding, [])
        except UnicodeDecodeError:
            continue
    try:
        return _without_nuls(data.decode("cp1252"), "cp1252", ["decoded as Windows-1252"])
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        return _without_nuls(text, "cp1252", ["decoded as Windows-1252 with undecodable bytes replaced"])


def _declared_charset(head: bytes) -> str | None:
    """The codec named by a <meta charset>, mapping Latin-1/ASCII to Windows-1252 as browsers do; None
    (detect instead) unless it is a text encoding that reads the page's ASCII markup as ASCII."""
    match = _META_CHARSET.search(head)
    if not match:
        return None
    try:
        info = codecs.lookup(match.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None
    if info.name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    return info.name if _is_page_encoding(info) else None


# text codecs that no web page is in: escapes and transforms, not character sets (UTF-7: refused by browsers)
_NOT_PAGE_ENCODINGS = frozenset({"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined", "utf-7",
                                 "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
_ASCII_PROBE = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def _is_page_encoding(info: codecs.CodecInfo) -> bool:
    """Whether a codec can be a page's charset: a text encoding (not base64, rot13, zlib...), not an escape
    scheme, and one that decodes ASCII as ASCII (EBCDIC code pages such as cp037 turn markup into controls)."""
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_ENCODINGS:
        return False
    try:
        return info.decode(_ASCII_PROBE)[0] == _ASCII_PROBE.decode("ascii")
    except Exception:  # a codec that cannot even decode ASCII
        return False


class _HtmlText(HTMLParser):
    """Stdlib fallback: visible text with block elements as paragraph breaks."""

    def __init__(self) -> None:
        """Start with no paragraphs."""
        super().__init__(convert_charrefs=True)
        self._paragraphs: list[str] = []
        self._current: list[str] = []
        self._title: list[str] = []
        self._dropped: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Enter a dropped element or break the paragraph at a block element."""
        if tag in _DROPPED_TAGS:
            self._dropped.append(tag)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
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


# Tighter than pypdf's own limits (75 MB per stream, 2,000,000 tokens per content stream, about 380 MB of
# memory for one hostile page): what one stream may inflate to, and how many tokens one page may have.
PDF_MAX_STREAM_BYTES = 16 * _MB
PDF_MAX_PAGE_TOKENS = 500_000
_PDF_LIMITS = {
    "zlib_maximum_output_length": PDF_MAX_STREAM_BYTES, "lzw_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "run_length_maximum_output_length": PDF_MAX_STREAM_BYTES, "brotli_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "array_based_stream_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "stream_parsing_work_maximum_count": PDF_MAX_PAGE_TOKENS,
}


def _pdf_limits() -> AbstractContextManager[object]:
    """A context applying _PDF_LIMITS where this pypdf has them (pypdf.apply_configuration, pypdf >= 6.4);
    older versions keep their built-in limits."""
    import contextlib

    import pypdf

    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:
        return contextlib.nullcontext()
    current = pypdf.get_configuration()
    limits: AbstractContextManager[object] = apply(**{k: v for k, v in _PDF_LIMITS.items() if hasattr(current, k)})
    return limits


def _is_limit(exc: BaseException) -> bool:
    """True for pypdf's LimitReachedError (a stream or structure over its safety limits)."""
    return type(exc).__name__ == "LimitReachedError"


def _load_pdf(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Extract and re-flow the text of a PDF with pypdf, plus its title, author and creation date. A page
    over the safety limits (see _PDF_LIMITS) is skipped with a warning; if no page has text, that is the reason."""
    try:
        from pypdf import PdfReader
    except ImportError:
        raise LoadError("PDF support not installed: pip install pypdf") from None
    notes: list[str] = []
    over: BaseException | None = None
    try:
        with _pdf_limits():
            reader = PdfReader(io.BytesIO(data))
            _open_encrypted(reader)
            pages = []
            for number, page in enumerate(reader.pages, 1):
                try:
                    pages.append(page.extract_text() or "")
                except Exception as exc:
                    if not _is_limit(exc):
                        raise
                    over = exc
                    notes.append(f"page {number} skipped: over the safety limits ({_short_reason(exc)})")
            title, author, published = _pdf_metadata(reader)
    except LoadError:
        raise
    except Exception as exc:
        if _is_limit(exc):
            raise LoadError(f"PDF over the safety limits (decompression bomb?): {_short_reason(exc)}") from None
        raise LoadError(f"corrupt PDF: {_short_reason(exc)}") from None
    text, _, notes = _without_nuls(reflow_pdf_text("\n\n".join(pages).translate(_LIGATURES)), "", notes)
    if not text.strip():
        if over is not None:
            raise LoadError(f"PDF over the safety limits (decompression bomb?): {_short_reason(over)}")
        raise LoadError("no extractable text (scanned PDF?)")
    return LoadedDocument(text=text, sha256="", fmt="pdf", title=title, author=author, published=published,
                          warnings=notes, meta_origin="document metadata")


def _open_encrypted(reader: PdfReader) -> None:
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


def _pdf_metadata(reader: PdfReader) -> tuple[str | None, str | None, str | None]:
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
    for prev, line in zip(lines, lines[1:], strict=False):
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


ZIP_MAX_PARTS = 10_000  # a DOCX has tens of parts; each directory entry becomes a Python object
ZIP_BOMB_RATIO = 100  # a part that inflates more than this is called a zip bomb (XML: 5-20x, zeros: 1000x)
_ZIP_READ_CHUNK = 1 << 16


def _load_docx(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Extract paragraphs and tables (in body order) of a Word document with python-docx, once the zip
    has been checked (see _check_zip)."""
    try:
        import docx
    except ImportError:
        raise LoadError("DOCX support not installed: pip install 'factcheck[docx]'") from None
    _check_zip(data, max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = [_docx_block_text(item) for item in document.iter_inner_content()]
    except Exception as exc:
        raise LoadError(f"corrupt DOCX: {_short_reason(exc)}") from None
    text = "\n\n".join(block for block in blocks if block.strip())
    title, author, published = _docx_metadata(document)
    return LoadedDocument(text=text, sha256="", fmt="docx", title=title, author=author, published=published,
                          meta_origin="document metadata")


def _check_zip(data: bytes, max_bytes: int) -> None:
    """Refuse a DOCX zip before python-docx inflates it: too many parts, a part (or all of them) declared
    larger than max_bytes (2 x max_bytes in all), a compression other than stored or deflate (bzip2 and
    LZMA chunks inflate without bound), or a part that does not inflate to its declared size and CRC
    (read in 64 KB chunks, so a lying directory costs no memory)."""
    import zipfile

    if data.count(b"PK\x01\x02") > ZIP_MAX_PARTS:
        raise LoadError(f"corrupt DOCX: more than {ZIP_MAX_PARTS:,} parts in the zip")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            _check_zip_sizes(infos, max_bytes)
            for info in infos:
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise LoadError(f"corrupt DOCX: {_member(info)} uses compression method {info.compress_type}, "
                                    "not deflate")
                with zf.open(info) as part:
                    while part.read(_ZIP_READ_CHUNK):
                        pass
    except LoadError:
        raise
    except Exception as exc:  # BadZipFile (bad CRC, truncated), encrypted parts, zlib errors...
        raise LoadError(f"corrupt DOCX: {_short_reason(exc)}") from None


def _check_zip_sizes(infos: list[zipfile.ZipInfo], max_bytes: int) -> None:
    """The size checks of _check_zip, from the zip directory alone."""
    for info in infos:
        if info.file_size > max_bytes:
            raise LoadError(_zip_too_big(_member(info), info.file_size, info.compress_size, max_bytes))
    total = sum(info.file_size for info in infos)
    if total > 2 * max_bytes:
        raise LoadError(_zip_too_big(f"its {len(infos)} parts", total, sum(i.compress_size for i in infos),
                                     2 * max_bytes))


def _zip_too_big(what: str, size: int, packed: int, limit: int) -> str:
    """'zip bomb? word/document.xml would expand to 2.0 GB' (or 'DOCX too large: ...' at a normal ratio)."""
    if size > ZIP_BOMB_RATIO * max(packed, 1):
        return f"zip bomb? {what} would expand to {_size(size)} (from {_size(packed)}; limit {_size(limit)})"
    return f"DOCX too large: {what} would expand to {_size(size)} (limit {_size(limit)})"


def _member(info: zipfile.ZipInfo) -> str:
    """A zip member's name for a message: printable, at most 60 characters."""
    name = display_path(info.filename)
    return name if len(name) <= 60 else name[:59] + "…"


def _docx_block_text(item: Any) -> str:  # a python-docx Paragraph or Table (the library is untyped)
    """A paragraph's text, or a table as one line per row with cells joined by two spaces."""
    if hasattr(item, "rows"):
        return "\n".join(line for line in (_docx_row_text(row) for row in item.rows) if line)
    text: str = item.text
    return text


def _docx_row_text(row: Any) -> str:
    """One table row: distinct cells (merged cells once), each flattened to one line."""
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    return "  ".join(cells).strip()


def _docx_metadata(document: Any) -> tuple[str | None, str | None, str | None]:
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


def _clean(value: object) -> str | None:
    """A stripped string on one line, without control characters, or None for missing/blank values."""
    if value is None:
        return None
    value = " ".join(_ANY_CONTROL.sub(" ", str(value)).split())
    return value or None


def _iso_date(value: dt.date | None) -> str | None:
    """An ISO date (YYYY-MM-DD) from a datetime/date, or None."""
    if value is None:
        return None
    date = value.date() if hasattr(value, "date") and callable(value.date) else value
    iso: str = date.isoformat()
    return iso


def _safe(getter: Callable[[], str | None]) -> str | None:
    """Call a metadata getter, treating any failure as missing metadata."""
    try:
        return getter()
    except Exception:
        return None


# --------------------------------------------------------------------------- directory walk


def _walk(directory: pathlib.Path, visited: set[tuple[int, int]], ancestors: frozenset[tuple[int, int]],
          on_skip: Callable[[pathlib.Path, str], None],
          on_unsupported: Callable[[pathlib.Path], None]) -> Iterator[pathlib.Path]:
    """Depth-first, name-sorted walk yielding supported entries; follows symlinks without looping (a folder
    is walked once; a link back to an enclosing folder or to one walked already is passed to on_skip)."""
    try:
        st = directory.stat()
    except OSError as exc:
        on_skip(directory, f"cannot read folder: {(exc.strerror or str(exc)).lower()}")
        return
    key = (st.st_dev, st.st_ino)
    if key in ancestors:
        on_skip(directory, "symbolic link loop (leads back to an enclosing folder), skipped")
        return
    if key in visited:
        on_skip(directory, "folder already walked through another link, skipped")
        return
    visited.add(key)
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        on_skip(directory, f"cannot read folder: {(exc.strerror or str(exc)).lower()}")
        return
    inside = ancestors | {key}
    for entry in entries:
        if entry.name.startswith(".") or entry.name.startswith("~$"):
            continue
        path = directory / entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:  # a link that loops: not a folder we can walk
            is_dir = False
        if is_dir:
            yield from _walk(path, visited, inside, on_skip, on_unsupported)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path  # regular file, or a broken/looping link or pipe that load_document will explain
        elif entry.name not in SILENT_NAMES:
            on_unsupported(path)


_LOADERS: dict[str, Callable[[bytes, int], LoadedDocument]] = {
    ".txt": _load_txt,
    ".md": _load_md,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}
