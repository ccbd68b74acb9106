"""Source metadata a file does not hold: ``sources.toml`` beside the documents and .md front matter.

``sources.toml`` (in the folder of a document or any parent folder up to the folder given to ingest)
holds one table per file, keyed by the file's path relative to the toml's folder, plus an optional
``["*"]`` table of defaults for every file under that folder::

    ["*"]
    outlet = "Inside Time"
    type = "article-newspaper"

    ["003_report.pdf"]
    title = "Transforming Rehabilitation: progress review"
    author = ["Jane Doe", "John Roe"]     # stored as "Jane Doe; John Roe"
    publisher = "HM Inspectorate of Probation"
    url = "https://example.org/report.pdf"
    published = 2017-06-16                # TOML date or ISO string
    accessed = 2024-05-01
    type = "report"                       # a CSL item type, stored as Source.source_type

For each key the first of these that gives it wins: the file's own table in the nearest toml, in the
next toml up, ...; then the ``["*"]`` table of the nearest toml, the next one up, ... (an entry that
names the file always beats a blanket default). The result wins over front matter, which wins over
what the file itself says (HTML metadata, PDF/DOCX properties, the detected title and dateline).

Front matter is a leading ``---`` line, ``key: value`` lines and a closing ``---`` line, with the same
keys; values are plain or quoted scalars, ``[A, B]`` lists or ``- item`` lines under an empty key.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

MetaValue = str | dt.date  # a checked metadata value: text, or a date for published and accessed
FrontValue = str | list[str] | None  # a front matter value as written: a scalar, a list of them, or empty

TOML_NAME = "sources.toml"
FROM_TOML = "sources.toml"
FROM_FRONT_MATTER = "front matter"
KEYS = ("title", "author", "publisher", "outlet", "url", "published", "accessed", "type")
_TEXT_KEYS = frozenset({"title", "publisher", "outlet", "url", "type"})
_DATE_KEYS = frozenset({"published", "accessed"})

# CSL 1.0.2 item types (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types).
CSL_TYPES = frozenset("""
article article-journal article-magazine article-newspaper bill book broadcast chapter classic collection
dataset document entry entry-dictionary entry-encyclopedia event figure graphic hearing interview
legal_case legislation manuscript map motion_picture musical_score pamphlet paper-conference patent
performance periodical personal_communication post post-weblog regulation report review review-book
software song speech standard thesis treaty webpage
""".split())

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?\Z")


def _quoted(key: str) -> str:
    """A table name as written in TOML: ["003_report.pdf"]."""
    return "[" + json.dumps(key, ensure_ascii=False) + "]"


def parse_date(value: object) -> dt.date | None:
    """A date from a TOML date/datetime or an ISO string (YYYY-MM-DD, optionally with a time); else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


FRONT_MATTER_ALIASES = {"date": "published", "authors": "author", "link": "url", "site": "outlet"}


def front_matter_values(values: Mapping[str, object]) -> dict[str, object]:
    """Front matter keys as metadata keys: static-site names mapped (date → published), others dropped
    silently, since front matter usually carries keys for other tools (tags, draft, layout)."""
    out: dict[str, object] = {}
    for key, value in values.items():
        k = str(key).lower()
        k = FRONT_MATTER_ALIASES.get(k, k) if k not in KEYS else k
        if k in KEYS and k not in out:
            out[k] = value
    return out


def clean_values(raw: Mapping[str, object], where: str, notes: list[str]) -> dict[str, MetaValue]:
    """Check one table of metadata: known keys, strings, dates, a CSL type. Returns key -> value
    (dates as dt.date, author as "A; B"); every problem becomes one note and that key is ignored."""
    out: dict[str, MetaValue] = {}
    unknown = [k for k in raw if str(k).lower() not in KEYS]
    if unknown:
        listed = ", ".join(repr(k) for k in unknown)
        notes.append(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {listed} ignored "
                     f"(known: {', '.join(KEYS)})")
    for key, value in raw.items():
        key = str(key).lower()
        if key not in KEYS or value is None:
            continue
        if key in _DATE_KEYS:
            date = parse_date(value)
            if date is None:
                notes.append(f"{where}: bad {key} date {_show(value)} ignored (use YYYY-MM-DD)")
            else:
                out[key] = date
        elif key == "author":
            given = value if isinstance(value, list) else [value]
            strings = [n for n in given if isinstance(n, str)]
            if len(strings) != len(given):
                notes.append(f"{where}: author must be a string or a list of strings, ignored")
                continue
            names = [" ".join(n.split()) for n in strings if n.strip()]
            if names:
                out["author"] = "; ".join(names)
        elif not isinstance(value, str):
            notes.append(f"{where}: {key} must be a string, not {_show(value)}, ignored")
        elif key == "type":
            csl = value.strip().lower()
            if csl not in CSL_TYPES:
                notes.append(f"{where}: type {value!r} is not a CSL item type "
                             f"(e.g. article-newspaper, report, hearing, webpage), ignored")
            else:
                out["type"] = csl
        elif value.strip():
            out[key] = value.strip() if key == "url" else " ".join(value.split())
    return out


def _show(value: object) -> str:
    """A short repr of a value for a note."""
    text = repr(value.isoformat() if isinstance(value, (dt.date, dt.time)) else value)
    return text if len(text) <= 60 else text[:59] + "…"


# --------------------------------------------------------------------------- sources.toml


@dataclass(slots=True)
class TomlMetadata:
    """One parsed sources.toml: per-file tables (by posix path relative to its folder) and defaults."""

    folder: Path
    files: dict[str, dict[str, MetaValue]] = field(default_factory=dict)
    defaults: dict[str, MetaValue] = field(default_factory=dict)


def read_toml(path: Path, notes: list[str]) -> TomlMetadata:
    """Parse and check one sources.toml; raise ValueError (a short reason) when it cannot be read at all."""
    try:
        raw = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise ValueError(f"cannot read file: {(exc.strerror or str(exc)).lower()}") from None
    except UnicodeDecodeError:
        raise ValueError("not valid TOML: not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"not valid TOML: {exc}") from None
    except RecursionError:  # the parser recurses once per nested array or inline table
        raise ValueError("not valid TOML for factcheck: nested too deeply") from None
    meta = TomlMetadata(path.parent)
    for key, table in raw.items():
        where = f"{path}: {_quoted(key)}"
        if not isinstance(table, dict):
            notes.append(f"{path}: {key!r} is not a table; write [\"file name\"] or [\"*\"] headers, ignored")
            continue
        values = clean_values(table, where, notes)
        if key == "*":
            meta.defaults = values
            continue
        rel = PurePosixPath(key.replace("\\", "/"))
        rel_key = rel.as_posix().removeprefix("./")
        if rel.is_absolute() or ".." in rel.parts or not (meta.folder / rel_key).is_file():
            notes.append(f"{where} names no file in {meta.folder}, ignored")
            continue
        meta.files[rel_key] = values
    return meta


class MetadataFinder:
    """Finds and caches the sources.toml files of one ingest run; problems are reported once each."""

    def __init__(self, note: Callable[[str], object], problem: Callable[[str, str], object]) -> None:
        """note(text) records a note line; problem(path, reason) records an error line."""
        self._note = note
        self._problem = problem
        self._cache: dict[Path, TomlMetadata | None] = {}

    def _toml_in(self, folder: Path) -> TomlMetadata | None:
        """The parsed sources.toml of a folder (None when there is none or it is broken)."""
        if folder not in self._cache:
            path = folder / TOML_NAME
            meta = None
            if path.is_file():
                notes: list[str] = []
                try:
                    meta = read_toml(path, notes)
                except ValueError as exc:
                    self._problem(str(path), f"{exc}; its metadata is not used")
                for n in notes:
                    self._note(n)
            self._cache[folder] = meta
        return self._cache[folder]

    def for_file(self, path: Path, root: Path) -> dict[str, MetaValue]:
        """Merged sources.toml values for path: its own tables nearest first, then defaults nearest first."""
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            parts = (path.name,)
            root = path.parent
        # (toml, the file's path relative to the toml's folder), nearest folder first
        chain: list[tuple[TomlMetadata, str]] = []
        for depth in range(len(parts) - 1, -1, -1):
            toml = self._toml_in(root.joinpath(*parts[:depth]))
            if toml is not None:
                chain.append((toml, "/".join(parts[depth:])))
        layers = [toml.files.get(rel, {}) for toml, rel in chain] + [toml.defaults for toml, _ in chain]
        merged: dict[str, MetaValue] = {}
        for layer in layers:
            for key, value in layer.items():
                merged.setdefault(key, value)
        return merged


# --------------------------------------------------------------------------- front matter

_FM_OPEN = re.compile(r"---[ \t]*\r?\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_FM_KEY = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*\r?$")
_FM_ITEM = re.compile(r"[ \t]*-[ \t]+(.*?)[ \t]*\r?$")
FRONT_MATTER_MAX_CHARS = 20_000


@dataclass(slots=True)
class FrontMatter:
    """Front matter of a Markdown file: its raw values and where it ends ([0, end) of the text)."""

    values: dict[str, FrontValue]
    end: int


def _scalar(text: str) -> str | None:
    """A plain or quoted YAML-like scalar; None for empty, ~ and null."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            quoted: str = json.loads(text)  # a JSON string literal
            return quoted
        except ValueError:
            return text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    text = re.sub(r"\s+#.*\Z", "", text)  # a comment after a plain value
    return None if text in ("", "~", "null", "Null", "NULL") else text


def _split_flow_list(inner: str) -> list[str]:
    """Items of a flow list body ("A, 'B, Jr', C"), commas inside quotes kept."""
    items: list[str] = []
    current: list[str] = []
    quote: str | None = None
    for ch in inner:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = None
        elif ch in "\"'" and not "".join(current).strip():
            quote = ch
            current.append(ch)
        elif ch == ",":
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [s for s in items if s.strip()]


def _value(text: str) -> FrontValue:
    """A scalar or, for "[A, B]", a list of scalars."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return [v for v in (_scalar(s) for s in _split_flow_list(text[1:-1])) if v is not None]
    return _scalar(text)


def front_matter(text: str, where: str, notes: list[str]) -> FrontMatter | None:
    """Parse a leading front matter block; None when the text does not start with one.

    A block must open with a "---" line, close with a "---" (or "...") line within the first
    FRONT_MATTER_MAX_CHARS characters, and its first non-blank line must be "key: value"; a lone
    "---" rule at the top of a document is not front matter. Lines not understood become one note."""
    opening = _FM_OPEN.match(text)
    if not opening:
        return None
    closing = _FM_CLOSE.search(text, opening.end(), min(len(text), FRONT_MATTER_MAX_CHARS))
    if not closing:
        return None
    body = text[opening.end():closing.start()]
    lines = body.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is not None and not _FM_KEY.fullmatch(first):
        return None
    values: dict[str, FrontValue] = {}
    bad: list[int] = []
    key = None
    for n, line in enumerate(lines, start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _FM_KEY.fullmatch(line)
        if m and not line[:1].isspace():
            key = m.group(1)
            values[key] = _value(m.group(2) or "")
            continue
        item = _FM_ITEM.fullmatch(line)
        if key is not None and (item or line[:1].isspace()):
            current = values.get(key)
            if item and (current is None or isinstance(current, list)):  # "- item" under "key:"
                value = _scalar(item.group(1))
                values[key] = (current or []) + ([value] if value is not None else [])
            continue  # any other indented continuation (YAML this parser does not read): ignored
        bad.append(n)
    if bad:
        notes.append(f"{where}: front matter line{'s' if len(bad) > 1 else ''} "
                     f"{', '.join(map(str, bad))} not understood (want key: value), ignored")
    end = closing.end()
    if text.startswith("\n", end):
        end += 1
    elif text.startswith("\r\n", end):
        end += 2
    return FrontMatter(values, end)


def blank(text: str, end: int) -> str:
    """text with [0, end) turned into spaces (line breaks kept), so offsets stay the same."""
    return re.sub(r"[^\r\n]", " ", text[:end]) + text[end:]


# --------------------------------------------------------------------------- precedence


@dataclass(slots=True)
class Resolved:
    """Metadata of one document after precedence: what goes on its Source row (title and published
    also feed the layout, which may still find them in the text)."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    outlet: str | None = None
    url: str | None = None
    source_type: str | None = None
    accessed: dt.date | None = None
    published: tuple[dt.date, str] | None = None  # a date given by the user, with where from
    evidence: str | None = None  # comma-separated origins that supplied something, strongest first

    def columns(self) -> dict[str, str | dt.date | None]:
        """The Source columns this sets directly (title and published go through the layout)."""
        return {"author": self.author, "publisher": self.publisher, "outlet": self.outlet, "url": self.url,
                "source_type": self.source_type, "accessed": self.accessed, "meta_evidence": self.evidence}


def resolve(layers: Sequence[tuple[str, Mapping[str, MetaValue]]]) -> Resolved:
    """Merge (origin, values) layers, strongest first: for each key the first layer that gives it wins."""
    out = Resolved()
    used: list[str] = []
    for key in KEYS:
        for origin, values in layers:
            value = values.get(key)
            if value is None:
                continue
            if key == "published":
                assert isinstance(value, dt.date)  # clean_values made it one
                out.published = (value, origin)
            elif key == "type":
                assert isinstance(value, str)
                out.source_type = value
            else:
                setattr(out, key, value)
            if origin not in used:
                used.append(origin)
            break
    order = [origin for origin, _ in layers]
    out.evidence = ", ".join(sorted(used, key=order.index)) or None
    return out


# ---------------------------------------------------------------- a plain text's headline

HEAD_LINES = 8  # non-empty lines at the top of a text looked at for its headline
HEAD_CHARS = 3000  # ... within this many characters
BODY_CHARS = 4000  # the text after a line read to tell whether the line says what the document is about
MIN_HEADLINE_WORDS = 3  # content words a later line needs to win over the first ('Share This Post' has two)
ABOUT_MARGIN = 0.4  # a later line must be this much more about the body than the first to win
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@cache
def _stop_words() -> frozenset[str]:
    """The function words of the extractor's lexicon (factcheck/extract/data/words.json)."""
    from importlib import resources

    with resources.files("factcheck.extract").joinpath("data/words.json").open(encoding="utf-8") as fh:
        return frozenset(w.lower() for w in json.load(fh)["stop_words"])


def _content_words(line: str, stop: frozenset[str]) -> set[str]:
    """The line's content words, lower-cased (three letters or more, no function words)."""
    return {w for w in (m.group().lower().strip("'’-") for m in _WORD.finditer(line)) if len(w) >= 3 and w not in stop}


def _aboutness(line: str, after: str, stop: frozenset[str]) -> float:
    """The share of a line's content words that the text after it uses again (what a headline does)."""
    words = _content_words(line, stop)
    return len(words & _content_words(after, stop)) / len(words) if words else 0.0


def headline(text: str, is_dateline: Callable[[str], bool], max_words: int = 25) -> str | None:
    """The headline of a plain text, not its masthead or site banner. Of the title-like lines at the top (2 to
    max_words words, not a dateline), a line repeated there is a banner. The first other line wins, unless the
    later line most about what the text says (the share of its content words the text after it uses again; one
    of MIN_HEADLINE_WORDS content words or more, not a sentence ending in a full stop) beats it by ABOUT_MARGIN."""
    top: list[tuple[str, int]] = []
    for m in re.finditer(r"[^\n]*", text[:HEAD_CHARS]):
        line = " ".join(m.group().split())
        if line:
            top.append((line, m.end()))
        if len(top) >= HEAD_LINES:
            break
    counts: dict[str, int] = {}
    for line, _ in top:
        counts[line.casefold()] = counts.get(line.casefold(), 0) + 1
    candidates = [(line, end) for line, end in top
                  if 2 <= len(line.split()) <= max_words and not is_dateline(line) and counts[line.casefold()] == 1]
    if not candidates:  # no title-like line at the top: the first one further down, as it is
        return next((line[:300] for line in (" ".join(m.group().split()) for m in re.finditer(r"[^\n]*", text[:5000]))
                     if 2 <= len(line.split()) <= max_words and not is_dateline(line)), None)
    stop = _stop_words()
    scores = [_aboutness(line, text[end:end + BODY_CHARS], stop) for line, end in candidates]
    able = [i for i, (line, _) in enumerate(candidates)
            if len(_content_words(line, stop)) >= MIN_HEADLINE_WORDS and not line.endswith(".")]
    best = max(able, key=lambda i: (scores[i], -i), default=0)  # the most about the text; the earliest of equals
    if scores[best] >= scores[0] + ABOUT_MARGIN:
        return candidates[best][0][:300]
    return candidates[0][0][:300]
