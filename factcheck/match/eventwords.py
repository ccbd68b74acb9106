"""The event a date belongs to, read from its sentence: the verb or event noun governing it, and its words.

"The fire started on Tuesday 12 March" dates a start ("start", with the event noun "fire"); "the report was
published on 16 June" dates a publication. The head is the nearest verb (a past or -ing form, an irregular
past, or a base form after a modal) or event noun in the date's clause, before the date or, when the clause
opens with the date ("On Sunday, the council voted"), after it. Light verbs ("took place", "was scheduled")
are skipped for the next head. Heads are compared by a suffix-rule lemma and synonym classes kept as data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from factcheck.match.context import COMMON_CAPS, STOPWORDS, content_words, proper_nouns

_DATA = json.loads((Path(__file__).parent / "data" / "events.json").read_text(encoding="utf-8"))
_TOKEN = re.compile(r"[A-Za-z][A-Za-z’'-]*|[;:—–]")
CLAUSE_END = frozenset(";:—–")
LEFT_WINDOW = 8  # words before a date searched for its head
RIGHT_WINDOW = 8  # words after it, when nothing before it in its clause names the event
MODALS = frozenset("will would shall should can could may might must to".split())
VERB_STOPWORDS = frozenset("was were had did made said told got been".split())  # stopwords that are verbs
DETERMINERS = frozenset("the a an this that its his her their our my your whose".split())


def _doubled(base: str) -> str:
    """'stopp' -> 'stop' (a consonant doubled before -ed/-ing), 'call' stays."""
    if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsaeiouz":
        return base[:-1]
    return base


_LEMMA_OF: dict[str, str] = {}


def lemma(word: str) -> str:
    """A suffix-rule lemma key shared by a word's forms: published/publishes/publishing -> 'publish',
    issued/issue -> 'issu', ruling/ruled/rule -> 'rul', announcement/announced -> 'announc' (cached)."""
    got = _LEMMA_OF.get(word)
    if got is None:
        if len(_LEMMA_OF) > 1_000_000:
            _LEMMA_OF.clear()
        got = _LEMMA_OF[word] = _lemma(word)
    return got


def _lemma(word: str) -> str:
    """lemma, worked out."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = IRREGULAR.get(w, w)
    if len(w) > 4 and w.endswith("ied"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("ed"):
        w = _doubled(w[:-2])
    elif len(w) > 5 and w.endswith("ing"):
        w = _doubled(w[:-3])
    elif len(w) > 7 and w.endswith("ment"):
        w = w[:-4]
    elif len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith(("ches", "shes", "sses", "xes", "zes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


IRREGULAR: dict[str, str] = _DATA["irregular_past"]
LIGHT = frozenset(lemma(w) for w in _DATA["light_verbs"])
SPEECH = frozenset(lemma(w) for w in _DATA["speech_verbs"])
NOT_HEADS = frozenset(_DATA["not_heads"])
EVENT_NOUNS = frozenset(lemma(w) for w in _DATA["event_nouns"])
SYNONYM: dict[str, str] = {lemma(w): lemma(cls[0]) for cls in _DATA["synonyms"] for w in cls}
BOUND_WORDS = frozenset(_DATA["bound_words"])
START_WORDS = frozenset(_DATA["start_words"])
IRREALIS = frozenset(_DATA["irrealis_words"])
IRREALIS_WINDOW = 4  # words before an event's head searched for a modal or "expected to"
DATE_WORDS = frozenset(w for w in COMMON_CAPS if w not in STOPWORDS) | {"today", "yesterday", "tomorrow"}


@dataclass(frozen=True, slots=True)
class Event:
    """The event a date is the date of: its head (a verb's or noun's lemma class), the noun it names, the
    surface word, how the date relates to it ("at", or "start" for "since"), and its sentence's words."""

    head: str
    noun: str | None
    word: str
    noun_word: str | None
    relation: str
    speech: bool
    irrealis: bool
    names: frozenset[str]
    words: frozenset[str]

    @property
    def heads(self) -> frozenset[str]:
        """The head and the event noun (either can name the event to another sentence)."""
        return frozenset(h for h in (self.head, self.noun) if h)


def _cls(key: str) -> str:
    """A lemma's synonym class ('releas' -> 'publish')."""
    return SYNONYM.get(key, key)


def _is_verb(tokens: list[str], k: int) -> bool:
    """A verb-like token: an irregular past, a past or -ing form, or a lower-case word after a modal."""
    t = tokens[k]
    low = t.lower()
    if t[0].isupper() and k > 0 or low in NOT_HEADS or low in STOPWORDS - VERB_STOPWORDS:
        return False
    if low in IRREGULAR or (len(low) > 4 and low.endswith("ed")) or (len(low) > 5 and low.endswith("ing")):
        return True
    return k > 0 and tokens[k - 1].lower() in MODALS and low.isalpha()


def is_event_noun(token: str) -> bool:
    """A noun naming an event ('report', 'inspection', 'fire')."""
    low = token.lower()
    return low not in NOT_HEADS and lemma(low) in EVENT_NOUNS


def _search(tokens: list[str], order: Iterable[int], want: Callable[[list[str], int], bool]) -> int | None:
    """The first index in order whose token passes want, stopping at a clause boundary; light verbs skipped."""
    for k in order:
        if tokens[k] in CLAUSE_END:
            return None
        if want(tokens, k):
            if want is _verb_at and _cls(lemma(tokens[k])) in LIGHT:
                continue
            return k
    return None


def _verb_at(tokens: list[str], k: int) -> bool:
    """Whether token k is a verb (for _search)."""
    return _is_verb(tokens, k)


def _noun_at(tokens: list[str], k: int) -> bool:
    """Whether token k is an event noun, not part of a name ('State of the Union'), for _search."""
    return not (k > 0 and tokens[k][0].isupper()) and is_event_noun(tokens[k])


def _around(tokens: list[str], first: int, after: int, want: Callable[[list[str], int], bool]) -> int | None:
    """The nearest matching token before the date in its clause, else after it."""
    left = _search(tokens, range(first - 1, max(-1, first - 1 - LEFT_WINDOW), -1), want)
    if left is not None:
        return left
    return _search(tokens, range(after, min(len(tokens), after + RIGHT_WINDOW)), want)


def _relation(before: str | None) -> str | None:
    """How the date relates to its event from the word before it: 'at', 'start' ('since'), None (a bound)."""
    if before in BOUND_WORDS:
        return None
    return "start" if before in START_WORDS else "at"


def _irrealis(tokens: list[str], head: int, date: int) -> bool:
    """A planned or possible event: a modal, 'to' or 'expected' just before its head or between it and the date."""
    lo, hi = (max(0, head - IRREALIS_WINDOW), head) if head < date else (date, head)
    between = tokens[head + 1:date] if head < date else []
    return any(t.lower() in IRREALIS for t in tokens[lo:hi]) or any(
        t.lower() in IRREALIS and t.lower() != "to" for t in between)


def _attributive(before: str | None, after: str | None) -> bool:
    """A date naming which thing, not when: 'the 2012 election', "its June report"."""
    return before in DETERMINERS and after is not None and after.isalpha() and after.islower() \
        and after not in STOPWORDS


def event_of(excerpt: str, date_text: str) -> Event | None:
    """The event a date (date_text, inside excerpt) is the date of, or None when none is named, when the
    date is a bound ('by June', 'until 2019') or names which thing it is ('the 2012 election')."""
    pos = excerpt.find(date_text)
    if pos < 0 or not date_text.strip():
        return None
    spans = [(m.start(), m.group(0)) for m in _TOKEN.finditer(excerpt)]
    tokens = [t for _, t in spans]
    first = next((k for k, (s, _) in enumerate(spans) if s >= pos), len(spans))
    after = next((k for k, (s, _) in enumerate(spans) if s >= pos + len(date_text)), len(spans))
    before_word = tokens[first - 1].lower() if first > 0 else None
    after_word = tokens[after] if after < len(tokens) else None
    relation = _relation(before_word)
    if relation is None or _attributive(before_word, after_word):
        return None
    v = _around(tokens, first, after, _verb_at)
    n = _around(tokens, first, after, _noun_at)
    if v is None and n is None:
        return None
    verb = _cls(lemma(tokens[v])) if v is not None else None
    noun = _cls(lemma(tokens[n])) if n is not None else None
    names = frozenset(proper_nouns(excerpt))
    heads = {verb, noun}
    words = frozenset(w for w in content_words(excerpt) - DATE_WORDS - content_words(date_text) - names
                      if _cls(lemma(w)) not in heads)
    noun_word = tokens[n].lower() if n is not None and noun != verb else None
    k = v if v is not None else n
    head = verb or noun
    assert k is not None and head is not None  # a verb or a noun was found (checked above)
    return Event(head, noun if verb and noun != verb else None, tokens[k].lower(),
                 noun_word if verb else None, relation, verb in SPEECH, _irrealis(tokens, k, first), names, words)


def agree(a: Event, b: Event) -> bool:
    """Two events with the same head, or a noun-headed one whose noun is the other's event noun."""
    if a.relation != b.relation:
        return False
    if a.head == b.head:
        return True
    return (a.noun is None and a.head in b.heads) or (b.noun is None and b.head in a.heads)


def describe_event(e: Event) -> str:
    """A short label: 'published (report)', 'fire'."""
    return f"{e.word} ({e.noun_word})" if e.noun_word else e.word
