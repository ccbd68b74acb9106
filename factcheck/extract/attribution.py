"""Attributed claims of one document: direct quotes, reported speech and transcript turns, with speakers."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import TypedDict

from factcheck.extract.dates import NUMBER_WORDS, VOCAB, WEEKDAYS
from factcheck.extract.entities import (
    FEMALE_NAMES,
    MALE_NAMES,
    TITLE_WORDS,
    TITLES,
    Entities,
    EntityRecord,
    is_org_name,
)
from factcheck.extract.lexicon import alternation, inflections, words
from factcheck.extract.quotes import QuoteSpan, quote_spans
from factcheck.extract.sentences import SentenceIndex
from factcheck.extract.speech import (
    ACCORDING,
    CUE_AFTER_CONTENT,
    NAMING_BEFORE,
    NON_CONTENT_OBJECTS,
    OBJECT_VERBS,
    PARTITIVE,
    PASSIVE,
    REPORT_VERB_FORMS,
    REPORT_VERBS,
    REPORTED,
    SENTENCE_SUBJECT,
    SPEAKER_TAILS,
    SUBJECT_BEFORE_VERB,
    SpeakerResolver,
    appositive_role,
    colon_label_before,
    gerund_cues,
    participle_before,
    speaker_after,
    speaker_before,
    speaker_starts,
)
from factcheck.extract.turns import Turn, find_turns
from factcheck.extract.types import ClaimDraft
from factcheck.extract.wordtrie import trie_pattern

_NEWLINE = re.compile("\n")
_FIRST_WORD = re.compile(r"[A-Za-z]+")
_AND_BEFORE = re.compile(r"\band[ \t]+(?:then[ \t]+|also[ \t]+|later[ \t]+)?$")
# "… since announcing his candidacy and suggested that …": a second verb of saying, joined by "and"/"but" and
# followed by its own "that" or quote (or after ", but"), or any past-tense verb with its own "that" ("but
# lamented that"), starts another clause of the same speaker; the first content ends there
_THAN_AFTER = re.compile(r"[ \t]+than\b")  # "said more than 1,300 emails …": a figure, not "said more"
_NEXT_CUE_IN_CONTENT = re.compile(
    rf"[ \t]*,?[ \t]+(?:and|but)[ \t]+(?:then[ \t]+|also[ \t]+|later[ \t]+)?(?:{REPORT_VERBS})[ \t]+(?:that\b|[:“\"])"
    rf"|[ \t]*,[ \t]*but[ \t]+(?:then[ \t]+|also[ \t]+|later[ \t]+)?(?:{REPORT_VERBS})\b"  # ", but cautioned …"
    r"|[ \t]*,?[ \t]+(?:and|but)[ \t]+(?:then[ \t]+|also[ \t]+|later[ \t]+)?[a-z]{3,}ed[ \t]+that\b")  # "lamented that"
# a common-noun phrase opening with an article, a possessive pronoun or a name's possessive ("Sanders’s aide")
_DETERMINER_START = re.compile(
    r"(?i:the|a|an|its|their|his|her)\s|[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*){0,3}['’]s?\s+[a-z]")
_NAME_AFTER_ROLE = re.compile(r"[ \t]*,[ \t]*([^,.\n“”\"]{2,60}?)[ \t]*(?=[,.;!?]|$)")
_CONTRACTION_BEFORE = re.compile(r"\b(?i:he|she|it|they|we|i|you|who)['’](?:s|ve|d)[ \t]+$")  # "He's said"
_POSSESSIVE_BEFORE = re.compile(r"(?:\w['’]s?|\b(?:his|her|its|their|our|my|your))[ \t]+$")
# "the five states", "3 reports": after a plural number, a third-person "-s" form is a noun, not a verb
_PLURAL_COUNT_BEFORE = re.compile(r"(?:\d|\b(?i:" + "|".join(w for w in NUMBER_WORDS if NUMBER_WORDS[w] > 1)
                                  + r"))[ \t]+$")
# what joins two clauses right before a later attribution that starts inside a content
_CLAUSE_JOIN_BEFORE = re.compile(r"(?:[,;—–]|\band|\bbut|\bwhile|\bwhereas)[ \t]*$")
# the rest of the listener (capitalised words, "on Saturday", "in an interview"), then "that"
# "told The Washington Post he was …", "told the AP they would …": a named listener, then a clause with its own
# subject pronoun is what was said
_NAMED_LISTENER_THEN_SUBJECT = re.compile(
    r"[ \t]+(?:the[ \t]+)?[A-Z][\w’'&.-]*(?:[ \t]+[A-Z][\w’'&.-]*){0,4}[ \t]+(?P<c>(?:he|she|they|we|I|it)\b)")
_THAT_AFTER_OBJECT = re.compile(r"(?:[ \t]+(?:[A-Z][\w’'&.-]*|of|on|in|at|for|and|during|after|before|last|this|an?|"
                                r"the(?=[ \t]+[A-Z])|interview|statement|newspaper|radio|television|show))*?"
                                r"(?:[ \t]+(?!(?:the|a|an|this|these|that|those|his|her|its|their|our)\b)"
                                r"[a-z][\w’'-]*){0,2}?"
                                r"[ \t]+(?:that[ \t]+|(?=(?:if|whether|of)[ \t]))")
_PREPOSITIONS = frozenset("in of for at from with on to into about over under between across".split())
MIN_QUOTE_WORDS = 4  # shorter quoted fragments are speech only when a speaker is attached right there


def _verb_hit_pattern() -> re.Pattern[str]:
    """Reporting verbs as one factored regex (single words as a trie, then multi-word verbs as a trie)."""
    single = {v for v in REPORT_VERB_FORMS if re.fullmatch(r"[a-z]+", v)}
    multi = {" ".join(v.split()) for v in REPORT_VERB_FORMS} - single
    single |= {"accused"}
    phrases = multi | {"according to"}
    multi_trie = trie_pattern(phrases).replace(re.escape(" "), r"\s+")  # a word trie with any run of spaces
    return re.compile(rf"\b(?:{trie_pattern(single)}\b|{multi_trie}\b)")  # one boundary test per position


# lower-case pattern, scanned over a lower-cased copy of the text (much faster than re.I)
_VERB_HIT = _verb_hit_pattern()
_TITLE_SET = TITLE_WORDS
_FIRST_NAME_SET = FEMALE_NAMES | MALE_NAMES
# a capitalised word and the capitalised words after it; Python decides if the first is a title or first name
_CAP_WORD = re.compile(r"[A-Z](?<!\w.)[a-z]{1,12}\b")  # = \b[A-Z]...: the boundary after the capital, for a fast scan
_PERSON_AT = re.compile(
    r"(?P<head>[A-Z][a-z]{1,12})\.?[ \t]+(?P<rest>[A-Z][\w’'-]+(?:[ \t]+[A-Z][\w’'-]+){0,2})(?P<app>)(?P<role>)"
)


_APP_AFTER = re.compile(r"[ \t]*,[ \t]*([^,\n“”\"]{3,90}?)[ \t]*,")


def _person_mentions(text: str) -> list[tuple[int, str, str, str | None]]:
    """(start, head, rest, appositive) for titled or first-named people ("Dame Glenys Stacey, HM Chief
    Inspector of Probation,"): capitalised words checked against the title and first-name sets first."""
    out = []
    last_end = -1
    for w in _CAP_WORD.finditer(text):
        if w.start() < last_end:
            continue
        word = w.group()
        if word in _TITLE_SET or word.lower() in _FIRST_NAME_SET:
            m = _PERSON_AT.match(text, w.start())
            if m and word not in _TITLE_SET and text[w.end():w.end() + 1] == ".":
                continue  # "… Paul D. Ryan. He's said": a first name ending a sentence starts no name
            if m:
                app = _APP_AFTER.match(text, m.end())
                out.append((m.start(), m.group("head"), m.group("rest"), app.group(1) if app else None))
                last_end = m.end()
    return out
_ACRONYM_PAREN = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
_NAME_BEFORE_PAREN = re.compile(
    r"((?:HM\s+|Her\s+Majesty['’]s\s+)?[A-Z][\w’'&-]+(?:\s+(?:of|for|and|the|&|on)?\s*[A-Z][\w’'&-]+)+)\s+$"
)
_PERSONISH = re.compile(rf"(?:(?:{TITLES})\.?\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{1,2}}")
_WEEKDAY = trie_pattern({w.capitalize() for w in WEEKDAYS if len(w) > 3})
_PART_OF_DAY = trie_pattern(VOCAB["parts_of_day"])
# what may stand between a verb of saying and its content: "in a statement", "on Tuesday", "Tuesday night", ","
_CONTENT_LEAD = re.compile(
    r"(?:\s*,?\s*(?:in\s+a\s+(?:statement|letter|report|tweet|post|blog(?:\s+post)?|interview|speech)"
    rf"|(?:on\s+)?(?:{_WEEKDAY})(?:\s+(?:{_PART_OF_DAY}))?\b|yesterday|today|last\s+\w+|this\s+week"
    r"|on\s+\w+\s+\w+)\s*,?)*\s*(?:that\b|[:,])?\s*"
)
# a cue clause may name a show or a paper in quotes, capitalised ("said on ABC’s “This Week” on Sunday")
_TITLE_IN_CUE = r"(?:[^“”\"\n]|“[A-Z0-9][^“”\n]{0,39}”|\"[A-Z0-9][^\"\n]{0,39}\")"
_JOIN_NEXT = re.compile(  # the cue's own words first: "told The Times in 2012, “…", "said at a rally, “…"
    rf"(?:[ \t]+[^“”\"\n,.!?;:]{{1,80}}?)?(?:\s*,{_TITLE_IN_CUE}{{1,100}}?)?\s*(?:,|,?[ \t]+(?:and|but))[ \t]*"
    r"(''|[“\"‘])")
# “A,” said the aide, a former minister. “B.”: the cue clause ends its sentence and the next one, on the same
# line or opening the next paragraph, is a quote with no cue of its own: one attribution in two parts
_JOIN_NEXT_SENTENCE = re.compile(
    rf"{_TITLE_IN_CUE}{{0,200}}?(?:[.!?]|(?<=[.!?][”\"]))(?:[ \t]+|[ \t]*\n\s*)"  # or on “Meet the Press.”
    r"(?:[A-Z][a-z]+,?[ \t]+(?:[a-z]+,?[ \t]+){0,2})?(''|[“\"‘])")
_TITLE_WORDS = re.compile(r"^(?:[A-Z0-9][\w’'-]*|of|the|and|a|an|in|on|for|to|at|&|with)(?:\s+|$)")


@dataclass
class Attributions:
    """What attribution extraction found in a document."""

    claims: list[ClaimDraft] = field(default_factory=list)
    entities: list[EntityRecord] = field(default_factory=list)
    spoken: list[tuple[int, int, int | None]] = field(default_factory=list)  # (start, end, entity key) spans of speech
    spoken_from: dict[tuple[int, int], str] = field(default_factory=dict)  # span -> quote | turn | reported


def _breaks_a_sentence(toks: list[str]) -> bool:
    """Whether a word before the last ends a sentence ("Like Elmtown. Or Ridgeway"): then the words are speech,
    not a title ("Dr. No", "Mr. Smith Goes to Washington" have abbreviations, not sentence ends)."""
    return any(t[-1:] in ".?!" and len(t.strip(".?!")) > 3 and not t.isupper() for t in toks[:-1])


def _is_title(words: str) -> bool:
    """A quoted title or name ("Time to Act", "8 Reasons Postcard") rather than speech."""
    s = words.strip(" .,!?")
    toks = s.split()
    if not toks or len(toks) > 8 or words.rstrip().endswith((".", "?", "!")) or _breaks_a_sentence(toks):
        return False
    caps = sum(1 for t in toks if t[:1].isupper() or t[:1].isdigit())
    return caps >= max(2, len(toks) - 1)


_NAME_POSITION = re.compile(r"(?:['’]s|\b(?i:of|on|in|at|to|from|told|called|titled|entitled))[ \t]*$")


def _names_something(text: str, q: QuoteSpan, words: str) -> bool:
    """A quoted title or name in a speaker's sentence: every word capitalised but the short function words, no
    sentence ending, and either two words or more or a possessive, preposition or telling verb right before it
    ("hosts of “Morning Joe,”", "told “Good Morning America”", "Fox News’s “Hannity,”")."""
    s = words.strip(" ,;:")
    toks = s.split()
    if not toks or len(toks) > 8 or s.endswith((".", "?", "!", "…")) or not toks[0][:1].isupper() or s.isupper() \
            or _breaks_a_sentence(toks):
        return False
    if not all(t[:1].isupper() or t[:1].isdigit() or _TITLE_WORDS.fullmatch(t) for t in toks):
        return False
    return len(toks) >= 2 or _NAME_POSITION.search(text, max(0, q.start - 12), q.start) is not None


class TextSpan(TypedDict):
    """A stretch of the text as stored in a claim's details."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class _MentionCursor:
    """The titled or first-named people mentions of a document, and how many are registered so far."""

    mentions: list[tuple[int, str, str, str | None]]
    i: int = 0


@dataclass(slots=True)
class _Join:
    """A quote whose next quote may be its second half (“…,” she said, “…”)."""

    next_start: int
    speaker: EntityRecord | None
    claim: ClaimDraft
    next_sentence: bool


_Event = Turn | QuoteSpan | tuple[int, int, int, int] | re.Match[str]  # what a position in the document holds


def _span(text: str, start: int, end: int) -> TextSpan | None:
    """A stretch of the text as stored in details ({start, end, text}), None when empty."""
    return {"start": start, "end": end, "text": text[start:end]} if end > start else None


class _Run:
    """State of one attribution pass over a document."""

    def __init__(self, text: str, sentences: SentenceIndex):
        """Prepare the entity register and resolver."""
        self.text, self.sentences = text, sentences
        self.ents = Entities()
        self.resolver = SpeakerResolver(self.ents, text)
        self.out = Attributions()
        self.events: list[tuple[int, EntityRecord | None]] = []  # (position, speaker) of every attribution so far
        self._newlines: array[int] | None = None
        self.verb_starts: list[int] | None = None  # where every reporting-verb hit starts (lower-cased scan)

    def note_people(self, upto: int, state: _MentionCursor) -> None:
        """Register titled or first-named people mentioned before upto (for pronouns and surnames)."""
        mentions = state.mentions
        while state.i < len(mentions) and mentions[state.i][0] < upto:
            start, head, rest, app = mentions[state.i]
            state.i += 1
            role = appositive_role(app) if app else None
            if head in _TITLE_SET:
                if not is_org_name(rest):
                    self.ents.add_person(rest, head, role, start)
            elif head.lower() in _FIRST_NAME_SET:
                name = f"{head} {rest.split()[0]}"
                if not is_org_name(name):
                    self.ents.add_person(name, None, role, start)

    def speaker_of(self, m: re.Match[str], group: str, pos: int) -> EntityRecord | None:
        """Resolve the speaker group of a match, with an appositive role when there is one."""
        phrase = m.group(group)
        if not phrase:
            return None
        role = None
        app = re.search(r",\s*([^,]{2,90}?)\s*,\s*$", self.text[m.end(group):m.start(group.replace("s", "v"))]) \
            if group in ("s", "s2") and m.groupdict().get(group.replace("s", "v")) else None
        if app is None and group == "s1":  # "said the firm’s chief, Jo Hart." : the name in commas after the verb
            app = _NAME_AFTER_ROLE.match(self.text, m.end(group), m.end(group) + 80)
        if app:
            inner = app.group(1).strip()
            if _PERSONISH.fullmatch(inner) and (phrase[:1].islower() or _DETERMINER_START.match(phrase)):
                return self.resolver.resolve(inner, pos, phrase)  # role first, name in the commas
            role = appositive_role(inner)
        return self.resolver.resolve(phrase, pos, role)

    def last_speaker_near(self, pos: int, window: int = 600) -> EntityRecord | None:
        """The speaker of the latest attribution before pos in the same paragraph, or in the paragraph just
        above when that one hands over (ends with a colon or a closing quote)."""
        para_start = self.line_start(pos)
        prev_end = para_start - 1
        while prev_end > 0 and self.text[prev_end - 1].isspace():
            prev_end -= 1
        prev_start = self.line_start(max(prev_end, 0))
        hands_over = prev_end > 0 and self.text[prev_end - 1] in ":”\""
        for p, rec in reversed(self.events):
            if p >= pos:
                continue
            if p >= para_start or (hands_over and p >= prev_start):
                return rec
            if p < pos - window or p < prev_start:
                break
        return None

    def line_start(self, pos: int) -> int:
        """Where the line holding pos starts (newlines indexed once, so a long line is not rescanned)."""
        if self._newlines is None:
            self._newlines = array("q", (m.start() for m in _NEWLINE.finditer(self.text)))
        i = bisect_right(self._newlines, pos - 1)
        return self._newlines[i - 1] + 1 if i else 0

    def add(self, kind: str, s: int, e: int, speaker: EntityRecord | None, xs: int, xe: int, **details: object) -> None:
        """Record an attributed claim."""
        key = speaker.key if speaker is not None else None
        draft = ClaimDraft(kind=kind, start=s, end=e, text=self.text[s:e], excerpt_start=min(xs, s),
                           excerpt_end=max(xe, e), unit=None, extra={k: v for k, v in details.items() if v})
        draft.extra["speaker_key"] = key
        self.out.claims.append(draft)
        if speaker is not None:
            how = "turn" if details.get("turn") else "quote" if kind == "quote" else "reported"
            draft.extra["speaker_from"] = how
            self.events.append((s, speaker))
            self.out.spoken.append((s, e, key))
            self.out.spoken_from[(s, e)] = how
        elif kind == "attribution" or details.get("cue"):  # cued, speaker unresolved ("they said …"): not the source's
            how = "quote" if kind == "quote" else "reported"
            draft.extra["speaker_from"] = how
            self.out.spoken.append((s, e, None))
            self.out.spoken_from[(s, e)] = how


def find_attributions(text: str, sentences: SentenceIndex) -> Attributions:
    """Quotes, reported speech and transcript turns in text, each with its speaker entity."""
    run = _Run(text, sentences)
    state = _MentionCursor(_person_mentions(text))
    for m in _ACRONYM_PAREN.finditer(text):  # "HM Inspectorate of Probation (HMIP)": one entity, two names
        full = _NAME_BEFORE_PAREN.search(text, max(0, m.start() - 80), m.start())
        if full:
            rec = run.ents.lookup(m.group(1)) or run.ents.add_org(full.group(1), full.start())
            run.ents._index(rec, full.group(1))
            run.ents._index(rec, m.group(1))
    turns = find_turns(text)
    turn_spans = [(t.start, t.end) for t in turns]
    turn_starts = [s for s, _ in turn_spans]
    events: list[tuple[int, str, _Event]] = [(t.label_start, "turn", t) for t in turns]
    events += [(q.start, "quote", q) for q in quote_spans(text)]
    events += [(b[0], "block", b) for b in _block_quote_candidates(text)]
    lowered = text.lower()
    hay = lowered if len(lowered) == len(text) else text
    verbs = [(m.start(), "verb", m) for m in _VERB_HIT.finditer(hay)]
    run.verb_starts = [pos for pos, _, _ in verbs] if hay is lowered else None
    events += verbs
    events += [(m.start("v"), "gerund", m) for m in gerund_cues(text)]
    events += [(m.start(), "evidential", m) for m in _EVIDENTIAL.finditer(text)]
    first = len(text) - len(text.lstrip())
    head = _HEADLINE_LABEL.match(text, first) or _HEADLINE_SAYS.match(text, first)
    if head is not None and not any(t.label_start <= head.start() < t.end for t in turns):
        events.append((head.start(), "headline", head))  # (a transcript's first turn is a turn)
    events.sort(key=lambda e: (e[0], e[1] != "turn"))
    prev_quote: tuple[QuoteSpan, EntityRecord | None] | None = None
    pending_join: _Join | None = None
    quoted: list[tuple[int, int]] = []
    for pos, tag, obj in events:
        run.note_people(pos + 1, state)
        if isinstance(obj, Turn):
            _turn(run, obj)
        elif isinstance(obj, QuoteSpan):
            if _inside(pos, turn_spans, turn_starts):
                continue
            waiting = pending_join if pending_join is not None and obj.start < pending_join.next_start else None
            prev_quote, pending_join = _quote(run, obj, prev_quote, pending_join, quoted)
            pending_join = pending_join or waiting  # a quoted title inside the cue ("said on “This Week”") waits
        elif isinstance(obj, tuple):
            if not _inside(pos, turn_spans, turn_starts):
                _block_quote(run, obj, quoted)
        elif tag == "gerund":
            if not _inside(pos, turn_spans, turn_starts):
                _gerund(run, obj, quoted)
        elif tag == "evidential":
            if not _inside(pos, turn_spans, turn_starts):
                _evidential(run, obj, quoted)
        elif tag == "headline":
            if not _inside(pos, turn_spans, turn_starts):
                _headline(run, obj)
        else:
            if _inside(pos, turn_spans, turn_starts):
                continue
            _reported(run, obj, quoted)
    _end_before_next_attribution(run)
    run.out.entities = run.ents.records
    for c in run.out.claims:  # merged role entities point at their named holder
        key = c.extra.get("speaker_key")
        if key is not None:
            c.extra["speaker_key"] = run.ents.canonical(run.ents.records[key]).key
    run.out.spoken = [(s, e, None if k is None else run.ents.canonical(run.ents.records[k]).key)
                      for s, e, k in run.out.spoken]
    return run.out


def _end_before_next_attribution(run: _Run) -> None:
    """A reported content ends where another attribution's clause begins inside it, after a comma or "and"
    ("… makes recommendations on cases, Lewandowski said he does not …"); a clause right after "that" or at the
    content's start is reported within it, and stays."""
    clauses = sorted(p for p in map(_clause_start, run.out.claims) if p is not None)
    for c in run.out.claims:
        if c.kind == "attribution":
            i = bisect_right(clauses, c.start)
            if i < len(clauses) and clauses[i] < c.end:
                _cut_before_clause(run, c, clauses[i])


def _clause_start(c: ClaimDraft) -> int | None:
    """Where an attribution's own clause starts: its speaker phrase, else its cue (None for neither)."""
    for part in (c.extra.get("speaker_mention"), c.extra.get("cue")):
        if part is not None:
            return int(part["start"])
    return None


def _cut_before_clause(run: _Run, c: ClaimDraft, clause: int) -> bool:
    """End claim c's content before another attribution's clause starting inside it at `clause`, when a comma,
    "and", "but" or "while" joins the two; True when cut."""
    text, out = run.text, run.out
    join = _CLAUSE_JOIN_BEFORE.search(text, c.start, clause)
    if join is None:
        return False
    ce = join.start()
    while ce > c.start and (text[ce - 1].isspace() or text[ce - 1] in ".;:,"):
        ce -= 1
    if ce - c.start < 8:
        return False
    old = (c.start, c.end)
    c.end, c.text = ce, text[c.start:ce]
    if old in out.spoken_from:
        out.spoken_from[(c.start, ce)] = out.spoken_from.pop(old)
        out.spoken = [(s, ce if (s, e) == old else e, k) for s, e, k in out.spoken]
    return True


def _overlaps_earlier(run: _Run, xs: int, cs: int, ce: int, clause: int) -> bool:
    """Whether an attribution already stored for this sentence covers most of [cs, ce) (the same speech found
    from another cue); one whose content runs on into this attribution's clause is first cut short there."""
    for c in run.out.claims[-4:]:
        if c.kind != "attribution" or c.excerpt_start != xs:
            continue
        if c.start < clause < c.end:
            _cut_before_clause(run, c, clause)
        shared = min(c.end, ce) - max(c.start, cs)
        if shared > 0 and shared >= 0.5 * min(c.end - c.start, ce - cs):
            return True
    return False


_INTRO_LINE = re.compile(r"^[^\n]{12,400}:[ \t\xa0]*$", re.M)
_QUOTE_MARKS = "“”\"‘’'"


def _block_quote_candidates(text: str) -> list[tuple[int, int, int, int]]:
    """(start, end, intro_start, intro_end): a paragraph without quote marks right after a line ending in a colon."""
    out = []
    for m in _INTRO_LINE.finditer(text):
        i = m.end()
        while i < len(text) and text[i].isspace():
            i += 1
        e = text.find("\n", i)
        e = len(text) if e == -1 else e
        para = text[i:e].rstrip()
        if len(para.split()) < 8 or para[:1] in _QUOTE_MARKS or para[:1] in "•-*" or para.endswith(":"):
            continue
        if any(ch in para for ch in "“”\""):
            continue
        out.append((i, i + len(para), m.start(), m.end()))
    return out


def _block_quote(run: _Run, block: tuple[int, int, int, int], quoted: list[tuple[int, int]]) -> None:
    """A paragraph quoted without marks after "She concludes …:" — a quote only when the intro names a speaker."""
    s, e, intro_start, intro_end = block
    xs, _ = run.sentences.around(intro_end - 1, intro_end)
    speaker = _speaker_in_sentence(run, max(xs, intro_start), intro_end)
    if speaker is None:
        return
    run.add("quote", s, e, speaker, s, e, how="block", quote_text=run.text[s:e])
    quoted.append((s, e))


def _inside(pos: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether pos falls inside any of the sorted spans (starts: their start offsets)."""
    i = bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


# a headline led by who says it: "Senator Lee: Plan Will Fail.", "Poll: Voters Back the Levy." (the document's
# first line; a label in capitals, "UPDATE:", "WATCH:", is a rubric, not a speaker)
_HEADLINE_LABEL = re.compile(
    r"(?P<s>(?!(?:[A-Z]{2,}[ \t]*)+:)[A-Z][\w’'.&-]*(?:[ \t]+[\w’'.&-]+){0,5})[ \t]*:[ \t]+"
    r"(?P<c>[^\s“\"‘'][^\n]{7,200}?)[ \t]*(?:(?<=[”\"’'])|[.!?]?)[ \t]*$", re.M)


# a headline in title case with its verb capitalised: "County Officials Say Bridge Will Reopen."
_HEADLINE_SAYS = re.compile(
    r"(?P<s>[A-Z][\w’'.&-]*(?:[ \t]+[A-Z][\w’'.&-]*){0,5})[ \t]+"
    r"(?P<v>" + trie_pattern({v.capitalize() for v in REPORT_VERB_FORMS if v.isalpha()}) + r")[ \t]+"
    r"(?P<c>[^\n]{7,200}?)[ \t]*(?:(?<=[”\"’'])|[.!?]?)[ \t]*$", re.M)


_HEADLINE_RUBRICS = words("speech", "headline_rubrics")


def _headline(run: _Run, m: re.Match[str]) -> None:
    """The document's headline when a name and a colon lead it: the name says the rest of the line."""
    text = run.text
    cs, ce = m.span("c")
    label = text[m.start("s"):m.end("s")].rstrip()
    if label.endswith((".", ",")) or label.split()[-1].lower() in _HEADLINE_RUBRICS:
        return  # "The Latest:", "Live Update:": a section's name
    while ce > cs and text[ce - 1] in ".!?" and text[ce - 2:ce - 1] not in "”\"’'":
        ce -= 1
    speaker = run.resolver.resolve(m.group("s"), m.start("s"))
    verb = m.group("v").lower() if "v" in m.re.groupindex else ":"
    cue = _span(text, *m.span("v")) if verb != ":" else _span(text, m.end("s"), cs)
    run.add("attribution", cs, ce, speaker, m.start(), m.end(), verb=verb, how="headline",
            speaker_mention=_span(text, *m.span("s")), cue=cue)


def _turn(run: _Run, turn: Turn) -> None:
    """One claim per paragraph of a transcript turn, spoken by the label's speaker."""
    speaker = run.resolver.resolve(turn.speaker, turn.label_start)
    for i, (s, e) in enumerate(turn.paragraphs):
        run.add("quote", s, e, speaker, s, e, turn=True, label=turn.speaker, question=turn.question,
                continues_turn=i > 0)


def _quote(run: _Run, q: QuoteSpan, prev: tuple[QuoteSpan, EntityRecord | None] | None, pending_join: _Join | None,
           quoted: list[tuple[int, int]]) -> tuple[tuple[QuoteSpan, EntityRecord | None], _Join | None]:
    """Classify one quoted span and attribute it; returns the new (previous quote, pending join) state."""
    text = run.text
    words = text[q.inner_start:q.inner_end]
    n_words = len(words.split())
    speaker: EntityRecord | None = None
    how = None
    verb = None
    mention = cue = None  # where the speaker and the cue are written, when next to the quote
    after = speaker_after(text, q.end)
    before = speaker_before(text, q.start)
    if q.continues_previous and prev is not None and prev[0].continued:
        speaker, how = prev[1], "continued"
    elif pending_join is not None and pending_join.next_start == q.start and not (
            pending_join.next_sentence and (after is not None or before is not None)):
        speaker, how = pending_join.speaker, "broken"
    elif after is not None:
        group = "s1" if after.group("s1") else "s2"
        speaker, how, verb = run.speaker_of(after, group, q.start), "after", after.group("v1") or after.group("v2")
        mention, cue = _span(text, *after.span(group)), _span(text, *after.span("v1" if after.group("v1") else "v2"))
    elif before is not None:
        speaker, how, verb = run.speaker_of(before, "s", before.start()), "before", before.group("v")
        mention, cue = _span(text, *before.span("s")), _span(text, *before.span("v"))
    elif (label := colon_label_before(text, q.start)) is not None:
        speaker, how, verb = run.resolver.resolve(label.group("s"), label.start()), "label", None
        mention = _span(text, *label.span("s"))
    else:
        xs0, _ = run.sentences.sentence(q.start, q.end)  # anchored matches only: the whole sentence is cheap
        part = participle_before(text, q.start, xs0)
        if part is not None:
            subject = part.group("s") if part.group("s") else None
            if subject is not None:
                mention = _span(text, *part.span("s"))
            else:  # the sentence's subject, after a fronted phrase ("At a news conference, Trump …") if need be
                for st in _clause_starts(text, xs0, part.start()):
                    m = SENTENCE_SUBJECT.match(text, st, part.start() + 1)
                    if m and run.resolver.resolve(m.group("s"), st) is not None:
                        subject, mention = m.group("s"), _span(text, *m.span("s"))
                        break
            if subject:
                speaker, how, verb = run.resolver.resolve(subject, xs0), "participle", "saying"
    direct = how is not None and speaker is not None
    # “…,” he said: speech with its cue, even when "he" is unresolved, and the part after it
    cued = (how == "after" and after is not None) or how == "broken"
    if (direct or cued) and how in ("after", "before") and _names_something(text, q, words):
        return (q, None), None  # “Morning Joe,” / told “Fox and Friends”: a show or title, not speech
    if not direct and not cued and _naming(run, q, quoted):
        return (q, None), None
    if not direct:
        if not cued and (n_words < MIN_QUOTE_WORDS or _is_title(words)):
            return (q, None), None  # scare quotes, titles: not speech
        xs, _ = run.sentences.around(q.start, q.end)
        speaker = _speaker_in_sentence(run, xs, q.start)
        if not cued:
            how = "reported" if speaker is not None else None
        if speaker is None and text[xs:q.start].strip() == "":
            speaker = run.last_speaker_near(q.start)  # a quote paragraph right after an attribution
            if not cued:
                how = "nearby" if speaker is not None else None
    xs, xe = run.sentences.around(q.start, q.end)
    if how == "after" and after is not None:
        xe = max(xe, run.sentences.around(after.end() - 1, after.end())[1])
    if how == "broken" and pending_join is not None:
        first = pending_join.claim
        parts = first.extra.get("parts") or [_span(text, first.start, first.end)]
        parts.append(_span(text, q.inner_start, q.inner_end))
        first.extra["parts"] = parts  # each quoted part with its offsets; the claim covers them all
        first.end = q.inner_end
        first.text = text[first.start:first.end]
        first.excerpt_end = max(first.excerpt_end, xe)
        first.extra["quote_text"] = " ".join(p["text"] for p in parts if p)
        if speaker is not None:  # figures in the second part are the speaker's too
            run.out.spoken.append((q.inner_start, q.inner_end, speaker.key))
        quoted.append((q.start, q.end))
        return (q, speaker), None
    run.add("quote", q.inner_start, q.inner_end, speaker, xs, xe, verb=verb, how=how,
            quote_text=words, continued=q.continued, continues_previous=q.continues_previous,
            speaker_mention=mention if speaker is not None or cued else None,
            cue=cue if speaker is not None or cued else None)
    quoted.append((q.start, q.end))
    if how == "after" and after is not None:  # the cue is this quote's: "…,” Lee said during the visit" reports nothing
        quoted.append((q.end, after.end()))
    elif how == "before" and before is not None:
        quoted.append((before.start(), q.start))
    join: _Join | None = None
    if how == "after" and after is not None:
        limit = min(len(text), after.end() + 240)
        m = _JOIN_NEXT.match(text, after.end(), limit)
        if m:  # “…,” she said, “…”: the next quote is the second half of this one
            join = _Join(m.start(1), speaker, run.out.claims[-1], next_sentence=False)
        else:
            m = _JOIN_NEXT_SENTENCE.match(text, after.end(), limit)
            if m:  # “…,” she said. “…”: the next sentence goes on quoting her
                join = _Join(m.start(1), speaker, run.out.claims[-1], next_sentence=True)
    return (q, speaker), join


def _naming(run: _Run, q: QuoteSpan, quoted: list[tuple[int, int]]) -> bool:
    """"X called the plan “a disgrace”", "…, describing it as “historic”": the naming verb's object and the
    quoted words are one attribution, spoken by the verb's subject (the phrase before it, else the sentence's
    subject). True when one was stored."""
    text = run.text
    xs, xe = run.sentences.around(q.start, q.end)
    m = NAMING_BEFORE.search(text, max(xs, q.start - 120), q.start)
    if m is None:
        return False
    if any(c.kind == "attribution" and c.start <= q.start and q.end <= c.end + 1 for c in run.out.claims[-4:]):
        return True  # reported speech read from the same verb already holds these words
    v = m.start("v")
    speaker = None
    if _may_have_speaker(text, xs, v):  # candidates in order, until one reads as the verb's subject and resolves
        for cand in speaker_starts(text, max(xs, v - 160), v):
            rep = SUBJECT_BEFORE_VERB.match(text, cand, v)
            if rep is not None:
                speaker = run.resolver.resolve(rep.group("s"), cand)
                if speaker is not None:
                    mention = _span(text, *rep.span("s"))
                    break
    if speaker is None:
        subj = SENTENCE_SUBJECT.match(text, xs, v)
        if subj is None:
            return False
        mention = _span(text, *subj.span("s"))
        speaker = run.resolver.resolve(subj.group("s"), xs)
    if speaker is None:
        return False
    start = m.start("obj") if m.group("obj") else q.start
    run.add("attribution", start, q.end, speaker, xs, xe, verb=m.group("v").lower(), how="naming",
            quote_text=text[q.inner_start:q.inner_end], speaker_mention=mention, cue=_span(text, *m.span("v")))
    quoted.append((q.start, q.end))
    return True


def _speaker_in_sentence(run: _Run, xs: int, upto: int) -> EntityRecord | None:
    """The speaker of a reporting clause earlier in the same sentence ("X said the two organisations “…”")."""
    starts = run.verb_starts
    if starts is not None and (bisect_left(starts, xs) == len(starts) or starts[bisect_left(starts, xs)] >= upto):
        return None  # no reporting verb (nor "according to") in the stretch: neither pattern can match
    best = REPORTED.search(run.text, xs, upto)
    if best is None:
        acc = None
        for m in ACCORDING.finditer(run.text, xs, upto):
            acc = m
        return run.resolver.resolve(acc.group("s"), acc.start()) if acc else None
    return run.speaker_of(best, "s", best.start())


# "Asked whether …", "When asked by reporters why …", "After being asked about …": a question put to someone
# unnamed (or named by "by"), opening its clause; the content is the question, up to the clause's end
_ASKED_OPENING = re.compile(
    r"(?i:(?:but|and|yet|so)[ \t]+)?(?i:when|after[ \t]+being|once|if|while|before[ \t]+being)?")
_ASKED_QUESTION = re.compile(
    r"(?:[ \t]+by[ \t]+(?P<by>[^,.;:!?“”\"\n]{2,60}?))?(?:[ \t]+(?:at|during|in|on)[ \t]+[^,.;:!?“”\"\n]{2,60}?)?"
    r"[ \t]+(?P<c>(?:whether|if|why|how|what|who|when|where|which|about)\b[^,.;:!?“”\"\n]{3,200})")


def _asked_question(run: _Run, hit: re.Match[str], xs: int, xe: int) -> bool:
    """A question put to someone, opening its clause ("Asked whether he would resign, the minister …"): stored as
    an attribution (speaker: the asker after "by", else none). True when one was stored."""
    text = run.text
    p = hit.start()
    k = text.rfind(",", xs, p)
    before = text[max(xs, k + 1):p].strip(" \t\n,;:—–-“\"(")
    if _ASKED_OPENING.fullmatch(before) is None:
        return False  # "The senator asked whether …": an ordinary subject, read as reported speech
    m = _ASKED_QUESTION.match(text, hit.end(), xe)
    if m is None:
        return False
    speaker = run.resolver.resolve(m.group("by"), m.start("by")) if m.group("by") else None
    _emit_reported(run, m.start("c"), m.end("c"), speaker, xs, xe, "asked",
                   _span(text, *m.span("by")) if m.group("by") else None, _span(text, p, hit.end()))
    return True


_EVIDENTIAL = re.compile(  # "Sanders appears to lead", "the race seemed to be hers to lose" (speech.json)
    r"\b(?:" + alternation([f for lemma in words("speech", "evidential_verb_lemmas")
                            for f in (lemma, *inflections(lemma, {}))]) + r")[ \t]+(?:to|that)\b")
_CLAUSE_OPENER = re.compile(r"^(?:(?i:but|and|yet|so|while|although|though|because|as|since|if|even\s+if|"
                            r"whereas|despite\s+the\s+fact\s+that|given\s+that|now\s+that)[ \t,]+)+")


def _evidential(run: _Run, m: re.Match[str], quoted: list[tuple[int, int]]) -> None:
    """How a thing looks to the writer ("Sanders appears to have a slight lead"): the clause, its subject included,
    is an attribution nobody named makes (the source's own), unless someone is quoted or reported there."""
    text = run.text
    p = m.start()
    if any(s <= p < e for s, e in quoted[-8:]) or _already(run, run.sentences.around(p, m.end())[0]):
        return
    xs, xe = run.sentences.around(p, m.end())
    cs = max(xs, text.rfind(",", xs, p) + 1)
    while cs < p and text[cs].isspace():
        cs += 1
    opener = _CLAUSE_OPENER.match(text, cs, p)
    cs = opener.end() if opener else cs
    if not text[cs:p].strip() or text[cs:p].strip().lower() in ("it", "there"):
        return  # no subject of its own ("…, appears to …"), or an empty "it": the clause is someone's elsewhere
    _emit_reported(run, cs, xe, None, xs, xe, m.group().split()[0].lower(), None, _span(text, p, m.end()))


def _reported(run: _Run, hit: re.Match[str], quoted: list[tuple[int, int]]) -> None:
    """Reported speech around one reporting-verb hit: "The Inspector said that …", "according to X, …"."""
    text = run.text
    p = hit.start()
    xs, xe = run.sentences.around(p, hit.end())
    if hit.group(0).lower() == "asked" and _asked_question(run, hit, xs, xe):
        return  # "Asked whether he would resign, …": the question is the attribution
    if not text[p:hit.end()].islower() and not text[p:hit.end()].startswith("According"):
        return  # "Said" at a sentence start, "Found" in a heading: not a reporting clause
    if any(s <= p < e for s, e in quoted[-8:]):
        return  # the verb is inside a quote: not the author's attribution
    if _POSSESSIVE_BEFORE.search(text, max(xs, p - 12), p) and not _CONTRACTION_BEFORE.search(text, max(xs, p - 12), p):
        return  # "Clinton's reported contributions", "their proposed rule": a participle before a noun
    if text[hit.end() - 1] == "s" and _PLURAL_COUNT_BEFORE.search(text, max(xs, p - 12), p):
        return  # "each of the five states": a plural noun
    if hit.group(0).lower().startswith("according"):
        m = ACCORDING.match(text, p)
        if not m:
            return
        speaker = run.resolver.resolve(m.group("s"), p)  # None: a source named but not an entity ("sources")
        if p - xs > 10:  # "CONTENT, according to X."
            cs, ce = xs, p
        else:  # "According to X, CONTENT."
            cs, ce = m.end(), xe
        _emit_reported(run, cs, ce, speaker, xs, xe, "according to", _span(text, *m.span("s")),
                       _span(text, p, m.start("s")))
        return
    if _content_before_cue(run, hit, xs, xe):
        return
    if _relative_speaker(run, hit, xs, xe):
        return
    match = None
    if not _may_have_speaker(text, xs, p):
        if _coordinated(run, hit, xs, xe):
            return  # "The agency said it hired no staff this year and suggested that …": the subject far back
        if PASSIVE.search(text, max(xs, p - 30), min(xe, hit.end() + 12)) and not _already(run, xs):
            _emit_reported(run, xs, xe, run.resolver.report_author_before(p), xs, xe, "passive")
        return
    ws = max(xs, p - 160)
    if ws > xs:  # start the window at a word boundary
        k = text.find(" ", ws, p)
        ws = k + 1 if k != -1 else ws
    endpos = min(xe, hit.end() + 50)
    for cand in speaker_starts(text, ws, p):  # anchored tries at plausible phrase starts, leftmost first
        m = REPORTED.match(text, cand, endpos)
        if m is not None and m.start("v") == p:
            match = m
            break
    if match is None and _coordinated(run, hit, xs, xe):
        return
    if match is None:
        if PASSIVE.search(text, max(xs, p - 30), min(xe, hit.end() + 12)) and not _already(run, xs):
            # no agent named: in a piece about a report, the report is the likeliest source
            _emit_reported(run, xs, xe, run.resolver.report_author_before(p), xs, xe, "passive")
        return
    before_word = re.search(r"(\w+)\s*$", text[max(xs, match.start() - 20):match.start()])
    mention: TextSpan | None = _span(text, *match.span("s"))
    unresolved = False  # a speaker phrase is written but names no entity known ("they" with no antecedent)
    if before_word and before_word.group(1).lower() in _PREPOSITIONS and not PARTITIVE.match(match.group("s")):
        speaker = None  # "… services in Suffolk say …": the real subject is longer than a name, from its clause start
        k = max(text.rfind(",", max(xs, match.start() - 80), match.start()) + 1, xs, match.start() - 80)
        while text[k].isspace():
            k += 1
        mention = _span(text, k, match.end("s"))
    else:
        speaker = run.speaker_of(match, "s", match.start())
        unresolved = speaker is None
    cs = match.end()
    if match.group("obj") and re.sub(r"\s+", " ", match.group("v").lower()) not in OBJECT_VERBS:
        cs = match.start("obj")  # "said the standard of …": no object after "said", it is the content
    if re.sub(r"\s+", " ", match.group("v").lower()) in OBJECT_VERBS:
        cs = _after_listener(text, cs, xe) or cs
    lead = _CONTENT_LEAD.match(text, cs, xe)
    cs = lead.end() if lead else cs
    if text[cs:cs + 1] in "“\"‘'" and not _words_after_quote(text, cs, xe):
        if not unresolved:
            run.events.append((p, speaker))
        return  # direct speech: the quote claim carries it
    first = _FIRST_WORD.match(text, cs, xe)
    if first and first.group().lower() in NON_CONTENT_OBJECTS and not _THAN_AFTER.match(text, first.end()):
        return  # "said nothing about it", "said little": an object, not something said
    _emit_reported(run, cs, xe, speaker, xs, xe, re.sub(r"\s+", " ", match.group("v").lower()),
                   mention, _span(text, *match.span("v")))


_CLOSING = {"“": "”", "\"": "\"", "‘": "’", "'": "'"}
_CLAUSE_WORDS = re.compile(r"[ \t]*[^\W\d_][\w’'-]*(?:[ \t]+[\w’'-]+){2}")  # three words go on after the quote


_NEXT_QUOTE_OPENS = re.compile(r"[ \t]+(?:''|[“\"‘])[^\W\d_]")


def _words_after_quote(text: str, cs: int, xe: int) -> bool:
    """Whether a content that opens with a quote goes on after it in unquoted words ("says “the wind is at our
    backs” despite his loss …"): then the content is the whole clause, the quote one part of it."""
    mark = text[cs]
    if mark == "'" and text.startswith("''", cs):
        close = text.find("''", cs + 2, xe)
        width = 2
    else:
        close = text.find(_CLOSING[mark], cs + 1, xe)
        width = 1
    if close == -1 or text[close - 1] in ",.!?…":
        return False  # “…,” she added / “… win.”: the quote ends a sentence or hands over to a cue
    if _NEXT_QUOTE_OPENS.match(text, close + width, xe):
        return True  # “wind farmers” “do a great job”: two quoted parts of one content
    return _CLAUSE_WORDS.match(text, close + width, xe) is not None


def _clause_starts(text: str, xs: int, upto: int) -> list[int]:
    """Where the sentence's subject may start before upto: the sentence start and after each of its first two
    commas (a fronted phrase: "At a news conference, Trump …"), spaces skipped."""
    starts, k = [xs], xs
    while len(starts) < 3 and (k := text.find(",", k, upto)) != -1:
        k += 1
        starts.append(k)
    out = []
    for st in starts:
        while st < upto and text[st].isspace():
            st += 1
        out.append(st)
    return out


def _gerund(run: _Run, m: re.Match[str], quoted: list[tuple[int, int]]) -> None:
    """"Trump echoed Putin's view, saying the region wanted to join Russia": the content after a participle of
    saying, spoken by the sentence's subject (after a fronted phrase if need be)."""
    text, v = run.text, m.start("v")
    if any(s <= v < e for s, e in quoted[-8:]):
        return  # inside a quote
    cs = m.end()
    if text[cs:cs + 1] in "“\"‘'" and not _words_after_quote(text, cs, len(text)):
        return  # ", saying: “…”": the quote claim carries it
    xs, xe = run.sentences.around(v, m.end())
    if xe - cs < 8 or any(c.kind == "attribution" and c.start <= cs < c.end for c in run.out.claims[-4:]):
        return
    for st in _clause_starts(text, xs, m.start()):
        subj = SENTENCE_SUBJECT.match(text, st, m.start() + 1)
        if subj is None:
            continue
        speaker = run.resolver.resolve(subj.group("s"), st)
        if speaker is not None:
            _emit_reported(run, cs, xe, speaker, xs, xe, m.group("v").lower(), _span(text, *subj.span("s")),
                           _span(text, *m.span("v")))
            return


def _after_listener(text: str, cs: int, xe: int) -> int | None:
    """Where the content starts after a listener ("told The Post on Saturday that …", "asked voters whether …",
    "told the AP he would …"), or None when no "that", "if", "whether", "of" or subject pronoun follows it."""
    that = _THAT_AFTER_OBJECT.match(text, cs, min(xe, cs + 120))
    if that:
        return that.end()
    named = _NAMED_LISTENER_THEN_SUBJECT.match(text, cs, min(xe, cs + 120))
    return named.start("c") if named else None


_ONE_CLAUSE_AFTER_SUBJECT = re.compile(r"(?:[ \t]*,[^,;:.!?“”\"\n]{1,80},)?[^,;:.!?“”\"\n]*$")


def _coordinated(run: _Run, hit: re.Match[str], xs: int, xe: int) -> bool:
    """"He toured the plant and told workers that …": a verb of saying joined by "and" to the sentence's first
    verb shares its subject (the sentence subject); True when an attribution was stored."""
    text, p = run.text, hit.start()
    if not _AND_BEFORE.search(text, max(xs, p - 6), p):
        return False
    speaker = subject = None
    for st in _clause_starts(text, xs, p):
        subject = SENTENCE_SUBJECT.match(text, st, p)
        if subject is None or subject.end() >= p - 5 or not _ONE_CLAUSE_AFTER_SUBJECT.match(text, subject.end(), p):
            continue  # a comma ends the subject's clause, unless it opens an appositive ("Ann Lee, a nurse, …")
        speaker = run.resolver.resolve(subject.group("s"), st)
        if speaker is not None:
            break
    if speaker is None or subject is None:
        return False
    cs = hit.end()
    verb = re.sub(r"\s+", " ", hit.group(0).lower())
    if verb in OBJECT_VERBS:
        after = _after_listener(text, cs, xe)
        if after is None:
            return False  # "and asked the board": no content follows
        cs = after
    _emit_reported(run, cs, xe, speaker, xs, xe, verb, _span(text, *subject.span("s")), _span(text, p, hit.end()))
    return True


_WHO_BEFORE = re.compile(r",[ \t]+who[ \t]+(?:(?:has|had|have|also|later|once|previously|then)[ \t]+){0,2}$")


def _relative_speaker(run: _Run, hit: re.Match[str], xs: int, xe: int) -> bool:
    """"Juanita Brody, who said the firm misled her, sued …": the speaker is the name before ", who"; the content
    runs to the comma that closes the relative clause; True when an attribution was stored."""
    text, p = run.text, hit.start()
    rel = _WHO_BEFORE.search(text, max(xs, p - 40), p)
    if rel is None or re.sub(r"\s+", " ", hit.group(0).lower()) in OBJECT_VERBS:
        return False
    for cand in speaker_starts(text, max(xs, rel.start() - 80), rel.start()):
        m = SENTENCE_SUBJECT.fullmatch(text, cand, rel.start())
        if m is not None:
            break
    else:
        return False
    speaker = run.resolver.resolve(m.group("s"), cand)
    if speaker is None:
        return False
    cs = hit.end()
    lead = _CONTENT_LEAD.match(text, cs, xe)
    cs = lead.end() if lead else cs
    if text[cs:cs + 1] in "“\"‘'":
        return False  # direct speech: the quote claim carries it
    close = text.find(",", cs, xe)
    _emit_reported(run, cs, close if close != -1 else xe, speaker, xs, xe, re.sub(r"\s+", " ", hit.group(0).lower()),
                   _span(text, cand, rel.start()), _span(text, p, hit.end()))
    return True


def _content_before_cue(run: _Run, hit: re.Match[str], xs: int, xe: int) -> bool:
    """"The plan will fail, the minister said." / "…, said the minister on Tuesday.": when the cue closes the
    sentence after a comma, the content is the sentence up to that comma; True when one was stored."""
    text = run.text
    k = text.rfind(",", xs, hit.start())
    if k == -1 or k - xs < 20 or hit.start() - k > 160:
        return False
    m = CUE_AFTER_CONTENT.match(text, k, xe)
    if m is None:
        return False
    group, verb = ("s", "v") if m.group("v") else ("s2", "v2")
    if m.start(verb) != hit.start() or text[xs:k].lstrip()[:1] in _QUOTE_MARKS:
        return False  # another verb's clause, or a quote ending at the cue (the quote claim carries it)
    speaker = run.speaker_of(m, group, m.start(group))
    if speaker is None:
        return False
    _emit_reported(run, xs, k, speaker, xs, xe, re.sub(r"\s+", " ", m.group(verb).lower()),
                   _span(text, *m.span(group)), _span(text, *m.span(verb)))
    return True



def _may_have_speaker(text: str, xs: int, p: int) -> bool:
    """Cheap check before the full pattern: can the words right before a verb hold a speaker phrase?
    (a capitalised word, a number, a pronoun or role word, or an appositive's comma within the last seven words)"""
    tail = text[max(xs, p - 80):p]
    words = tail.split()[-7:]
    for w in words:
        if w[:1].isupper() or w[:1].isdigit() or w.endswith((",", ")")) or w.strip(",()").lower() in SPEAKER_TAILS:
            return True
    return False


def _already(run: _Run, xs: int) -> bool:
    """Whether this sentence already has an attribution claim."""
    return any(c.kind == "attribution" and c.excerpt_start == xs for c in run.out.claims[-4:])


_QUOTE_REACH = 1500  # characters within which a quote opened in a content must close, on its line


def _close_open_quote(text: str, cs: int, ce: int) -> int:
    """The content's end moved past the closing mark of a quote it opens but does not close (a sentence break
    inside the quote: "said that “they do a great job. And it is so important.”"); unchanged otherwise."""
    part = text[cs:ce]
    if part.count("“") > part.count("”"):
        close = text.find("”", ce, min(len(text), ce + _QUOTE_REACH))
    elif part.count('"') % 2 == 1:
        close = text.find('"', ce, min(len(text), ce + _QUOTE_REACH))
    else:
        return ce
    if close == -1 or "\n" in text[ce:close]:
        return ce
    return close + 1


def _emit_reported(run: _Run, cs: int, ce: int, speaker: EntityRecord | None, xs: int, xe: int, verb: str,
                   mention: TextSpan | None = None, cue: TextSpan | None = None) -> None:
    """Store one reported-speech claim with its content span trimmed (and where its speaker and cue are written)."""
    text = run.text
    while ce > cs and (text[ce - 1].isspace() or text[ce - 1] in ".;:,"):
        ce -= 1
    while cs < ce and (text[cs].isspace() or text[cs] in ",;:"):
        cs += 1
    nxt = _NEXT_CUE_IN_CONTENT.search(text, cs, ce)
    if nxt is not None:
        ce = nxt.start()
    ce = _close_open_quote(text, cs, ce)
    clause = next((p["start"] for p in (mention, cue) if p is not None), cs)
    if ce - cs < 8 or _overlaps_earlier(run, xs, cs, ce, clause):
        return
    run.add("attribution", cs, ce, speaker, xs, xe, verb=verb,
            speaker_mention=mention, cue=cue)
