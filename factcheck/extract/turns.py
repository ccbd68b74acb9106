"""Transcript turns: paragraphs opening with a speaker label ("David Hood: …", "Q37 Andy Slaughter: …")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extract.entities import TITLES
from factcheck.extract.sentences import trim_span

LABEL_RE = re.compile(
    rf"^[ \t]*(?:(?P<q>Q\d{{1,4}})[ \t]+)?(?P<label>(?:(?:{TITLES})\.?[ \t]+)?"
    rf"[A-Z][\w’'.-]*(?:[ \t]+[A-Z][\w’'.-]*){{0,3}}"
    r"(?:[ \t]+\([^()\n]{1,40}\))?)[ \t]*:[ \t]+(?=\S)",
    re.M,
)
_NOT_LABELS = re.compile(r"^(?:Note|Update|Source|Photo|Picture|Image|Editor|Warning|Read\s+more|See|Tel|Email|"
                         r"Web|Website|Contact|Address|Subject|Re|Fax|Ref|Tags?|Categories|Posted|Published|"
                         r"Updated|Share|Comments?|Annex|Appendix|Section|Part|Chapter|Table|Figure)\b", re.I)


@dataclass(slots=True)
class Turn:
    """One speaker's turn: the label, the spoken text's span (which may run over several paragraphs)."""

    speaker: str
    question: str | None
    label_start: int
    start: int
    end: int
    paragraphs: list[tuple[int, int]]


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Non-empty lines in [start, end) as (start, end), trimmed."""
    out = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        s, e = trim_span(text, start + m.start(), start + m.end())
        if e > s:
            out.append((s, e))
    return out


def find_turns(text: str, start: int = 0, end: int | None = None) -> list[Turn]:
    """Transcript turns in [start, end): needs two speakers, one of them speaking twice (or numbered questions)."""
    end = len(text) if end is None else end
    labels = [m for m in LABEL_RE.finditer(text, start, end)
              if not _NOT_LABELS.match(m.group("label")) and _has_words(text, m.end())]
    names = [m.group("label") for m in labels]
    dialogue = len(set(names)) >= 2 and (len(names) > len(set(names)) or any(m.group("q") for m in labels))
    if not dialogue:  # a transcript has speakers taking turns (a name comes back) or numbered questions
        return []
    turns: list[Turn] = []
    for i, m in enumerate(labels):
        stop = labels[i + 1].start() if i + 1 < len(labels) else end
        paras = _paragraphs(text, m.end(), stop)
        kept: list[tuple[int, int]] = []
        for s, e in paras:
            if kept and _ends_turn(text[s:e]):
                break
            kept.append((s, e))
        if not kept:
            continue
        label = re.sub(r"\s*\([^()]*\)\s*$", "", m.group("label")).strip()
        turns.append(Turn(label, m.group("q"), m.start(), kept[0][0], kept[-1][1], kept))
    return turns


_LETTER = re.compile(r"[^\W\d_]")


def _has_words(text: str, pos: int) -> bool:
    """Whether the line from pos holds a word: "Clinton: 1,769." is a row of figures, not a speaker's turn."""
    e = text.find("\n", pos)
    return _LETTER.search(text, pos, len(text) if e == -1 else e) is not None


def _ends_turn(paragraph: str) -> bool:
    """A line that closes a transcript excerpt rather than continuing the speaker's answer (a rule such as
    "___." or "***" holds no word)."""
    p = paragraph.strip()
    return not _LETTER.search(p) or bool(re.match(r"^(?:To be continued|--+|\*\*\*|Ends\.?$)", p, re.I)) or (
        len(p.split()) <= 6 and not p.endswith((".", "?", "!", "”", '"')) and p[:1].isupper()
    )
