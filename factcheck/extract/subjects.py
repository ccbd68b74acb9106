"""Counted nouns (units) and short subject phrases around a claim."""

from __future__ import annotations

import re

from factcheck.extract.lexicon import words

STOP = words("words", "stop_words")
# nouns that head a noun phrase although they do not end in -s
HEAD_NOUNS = words("words", "head_nouns")
_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'’-]*)")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]“”\"!?]|\s[-–—]\s|\.\s")
_WORDS = re.compile(r"[A-Za-z0-9£$€%][\w'’%.-]*")
_LEFT_STOP_TAIL = STOP | words("words", "left_stop_tail")
_RIGHT_STOP = words("words", "right_stop")


def _is_plural(word: str) -> bool:
    """Crude plural test: ends in s but not ss/us/is ("cases", "CRCs", not "status")."""
    w = word.lower()
    return len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))


def noun_chunk(text: str, pos: int, max_words: int = 4) -> tuple[str | None, int]:
    """The counted noun right after pos ("10 CRC staff seconded" -> "staff") and where its chunk ends."""
    words: list[str] = []
    end = pos
    i = pos
    for _ in range(max_words):
        m = _WORD.match(text, i)
        if not m or "\n" in text[i:m.start(1)]:
            break
        w = m.group(1)
        lw = w.lower().strip("-'’")
        if lw in STOP:
            break
        if lw.endswith(("ed", "ly", "ing")) and lw not in HEAD_NOUNS and (words or lw.endswith("ly")):
            nxt = _WORD.match(text, m.end())
            # "six Sodexo owned CRCs", "two seriously critical reports": skip the modifier, keep going
            if nxt and "\n" not in text[m.end():nxt.start(1)] and nxt.group(1).lower() not in STOP:
                i = m.end()
                continue
            break
        words.append(w.strip("-'’"))
        end = m.end(1)
        i = m.end()
        if _is_plural(w) or lw in HEAD_NOUNS:
            break
        if text[i:i + 1] in ",;:.)":
            break
    if not words:
        return None, pos
    head = words[-1]
    if head.lower().endswith(("ed", "ing")) and len(words) == 1 and head.lower() not in HEAD_NOUNS:
        return None, pos
    return head, end


def _tidy(words: list[str]) -> str | None:
    """Join words into a phrase without leading/trailing function words."""
    while words and (words[0].lower() in STOP or words[0].isdigit()):
        words = words[1:]
    while words and (words[-1].lower() in _LEFT_STOP_TAIL or words[-1].isdigit()):
        words = words[:-1]
    return " ".join(words) if words else None


def _strip_parens(s: str) -> str:
    """Drop parenthetical asides so they don't become subjects."""
    return re.sub(r"\([^()]*\)", " ", s)


def left_phrase(text: str, start: int, xs: int, max_words: int = 7) -> str | None:
    """Words before start in the same clause, tidied ("staff vacancies are running at" -> "staff vacancies")."""
    left = _strip_parens(text[xs:start])
    parts = _CLAUSE_BREAK.split(left)
    words = _WORDS.findall(parts[-1] if parts else "")
    if len(words) > 1 and words[-1].lower() == "of":  # "a national average of 75%"
        return _tidy(words[-5:-1])
    return _tidy(words[-max_words:])


def right_phrase(text: str, end: int, xe: int, max_words: int = 7) -> str | None:
    """Words after end in the same clause ("62% complied with their sentences" -> "complied with their sentences")."""
    right = text[end:xe]
    clause = _CLAUSE_BREAK.split(right)[0] if right else ""
    words = _WORDS.findall(clause)[:max_words]
    if words and words[0].lower() == "of":
        words = words[1:]
    for i, w in enumerate(words):
        if i and w.lower() in _RIGHT_STOP:
            words = words[:i]
            break
    return _tidy(words)


_NOT_NOUNS = frozenset({"%", "fraction", "ratio", "ordinal"})


def subject_for(text: str, start: int, end: int, xs: int, xe: int, unit: str | None,
                noun: bool | None = None) -> str | None:
    """A short phrase saying what the claim measures.

    noun: whether the unit reads as a counted noun or measure ("offenders", "metres"); None: guess
    (a percent, fraction, ratio, ordinal or currency code is not one).
    """
    if noun is None:
        noun = unit is not None and unit != "" and unit not in _NOT_NOUNS \
            and not (len(unit) == 3 and unit.isupper() and unit.isalpha())
    if noun:
        after = right_phrase(text, end, xe, 5)
        lead = text[end:end + 4].lower().strip()
        if after and lead.startswith("of") and unit in after.split():
            return after
        if after and lead.startswith(("of", "in", "for", "per", "across", "from")):
            return f"{unit} {text[end:end+4].strip().split()[0].lower()} {after}"
        left = left_phrase(text, start, xs, 5)
        return f"{left}: {unit}" if left else unit
    if unit in ("%", "fraction", "ratio") and text[end:end + 4].lower().startswith((" of ", " of\n")):
        return right_phrase(text, end, xe)
    left = left_phrase(text, start, xs)
    right = right_phrase(text, end, xe)
    if unit in ("%", "fraction") and right and (not left or len(left.split()) < 2):
        return right
    return left or right
