"""Attributed claims of one document: direct quotes, reported speech and transcript turns, with speakers."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from factcheck.extract.entities import TITLES, Entities, EntityRecord, FEMALE_NAMES, MALE_NAMES, is_org_name
from factcheck.extract.quotes import QuoteSpan, quote_spans
from factcheck.extract.sentences import SentenceIndex
from factcheck.extract.speech import (
    ACCORDING,
    PASSIVE,
    QUOTE_VERBS,
    REPORT_VERBS,
    REPORTED,
    SENTENCE_SUBJECT,
    SpeakerResolver,
    appositive_role,
    colon_label_before,
    participle_before,
    speaker_after,
    speaker_before,
)
from factcheck.extract.turns import find_turns
from factcheck.extract.types import ClaimDraft

_PREPOSITIONS = frozenset("in of for at from with on to into about over under between across".split())
MIN_QUOTE_WORDS = 4  # shorter quoted fragments are speech only when a speaker is attached right there
_VERB_HIT = re.compile(rf"\b(?:{REPORT_VERBS}|accused)\b|\baccording\s+to\b", re.I)
_FIRST_NAMES = "|".join(sorted((FEMALE_NAMES | MALE_NAMES), key=len, reverse=True))
# people worth tracking for pronouns: titled names, or a known first name followed by a surname
_PERSON_MENTION = re.compile(
    rf"\b(?:(?P<title>{TITLES})\.?[ \t]+(?P<tname>[A-Z][\w’'-]+(?:[ \t]+[A-Z][\w’'-]+){{0,2}})"
    rf"|(?P<first>(?i:{_FIRST_NAMES}))[ \t]+(?P<last>[A-Z][\w’'-]+(?:-[A-Z][\w’'-]+)?))\b"
    r"(?P<app>\s*,\s*(?P<role>[^,\n“”\"]{3,90}?)\s*,)?"
)
_PERSONISH = re.compile(rf"(?:(?:{TITLES})\.?\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{1,2}}")
_CONTENT_LEAD = re.compile(
    r"(?:\s*,?\s*(?:in\s+a\s+(?:statement|letter|report|tweet|post|blog(?:\s+post)?|interview|speech)"
    r"|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today|last\s+\w+|this\s+week"
    r"|on\s+\w+\s+\w+)\s*,?)*\s*(?:that\b|[:,])?\s*"
)
_JOIN_NEXT = re.compile(r"(?:\s*,[^“”\"\n]{1,100}?)?\s*,\s*([“\"‘])")
_ACRONYM_DEF = re.compile(r"\b((?:HM\s+|Her\s+Majesty['’]s\s+)?[A-Z][\w’'&-]+(?:\s+(?:of|for|and|the|&|on)?\s*[A-Z][\w’'&-]+)+)\s+\(([A-Z][A-Za-z]{1,7})\)")
_TITLE_WORDS = re.compile(r"^(?:[A-Z0-9][\w’'-]*|of|the|and|a|an|in|on|for|to|at|&|with)(?:\s+|$)")


@dataclass
class Attributions:
    """What attribution extraction found in a document."""

    claims: list[ClaimDraft] = field(default_factory=list)
    entities: list[EntityRecord] = field(default_factory=list)
    spoken: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, entity key) spans of speech


def _is_title(words: str) -> bool:
    """A quoted title or name ("Time to Act", "8 Reasons Postcard") rather than speech."""
    s = words.strip(" .,!?")
    toks = s.split()
    if not toks or len(toks) > 8 or words.rstrip().endswith((".", "?", "!")):
        return False
    caps = sum(1 for t in toks if t[:1].isupper() or t[:1].isdigit())
    return caps >= max(2, len(toks) - 1)


class _Run:
    """State of one attribution pass over a document."""

    def __init__(self, text: str, sentences: SentenceIndex):
        """Prepare the entity register and resolver."""
        self.text, self.sentences = text, sentences
        self.ents = Entities()
        self.resolver = SpeakerResolver(self.ents, text)
        self.out = Attributions()
        self.events: list[tuple[int, EntityRecord]] = []  # (position, speaker) of every attribution so far

    def note_people(self, upto: int, state: dict) -> None:
        """Register titled or first-named people mentioned before upto (for pronouns and surnames)."""
        mentions = state["mentions"]
        while state["i"] < len(mentions) and mentions[state["i"]].start() < upto:
            m = mentions[state["i"]]
            state["i"] += 1
            role = m.group("role") if m.group("app") and appositive_role(m.group("app") or "") else None
            if m.group("title"):
                name = m.group("tname")
                if is_org_name(name):
                    continue
                self.ents.add_person(name, m.group("title"), role, m.start())
            else:
                name = f"{m.group('first')} {m.group('last')}"
                if not is_org_name(name):
                    self.ents.add_person(name, None, role, m.start())

    def speaker_of(self, m: re.Match[str], group: str, pos: int) -> EntityRecord | None:
        """Resolve the speaker group of a match, with an appositive role when there is one."""
        phrase = m.group(group)
        if not phrase:
            return None
        role = None
        app = re.search(r",\s*([^,]{2,90}?)\s*,\s*$", self.text[m.end(group):m.start(group.replace("s", "v"))]) \
            if group in ("s", "s2") and m.groupdict().get(group.replace("s", "v")) else None
        if app:
            inner = app.group(1).strip()
            if _PERSONISH.fullmatch(inner) and (
                    phrase[:1].islower() or re.match(r"(?i:the|a|an|its|their|his|her)\s", phrase)):
                return self.resolver.resolve(inner, pos, phrase)  # role first, name in the commas
            role = appositive_role(inner)
        return self.resolver.resolve(phrase, pos, role)

    def last_speaker_near(self, pos: int, window: int = 400) -> EntityRecord | None:
        """The speaker of the latest attribution within window characters before pos (same or previous paragraph)."""
        for p, rec in reversed(self.events):
            if p < pos and pos - p <= window and "\n\n\n" not in self.text[p:pos]:
                return rec
            if p < pos - window:
                break
        return None

    def add(self, kind: str, s: int, e: int, speaker: EntityRecord | None, xs: int, xe: int, **details) -> None:
        """Record an attributed claim."""
        key = speaker.key if speaker is not None else None
        draft = ClaimDraft(kind=kind, start=s, end=e, text=self.text[s:e], excerpt_start=min(xs, s),
                           excerpt_end=max(xe, e), unit=None, extra={k: v for k, v in details.items() if v})
        draft.extra["speaker_key"] = key
        self.out.claims.append(draft)
        if speaker is not None:
            self.events.append((s, speaker))
            self.out.spoken.append((s, e, key))


def find_attributions(text: str, sentences: SentenceIndex) -> Attributions:
    """Quotes, reported speech and transcript turns in text, each with its speaker entity."""
    run = _Run(text, sentences)
    state = {"mentions": list(_PERSON_MENTION.finditer(text)), "i": 0}
    for m in _ACRONYM_DEF.finditer(text):  # "HM Inspectorate of Probation (HMIP)": one entity, two names
        rec = run.ents.lookup(m.group(2)) or run.ents.add_org(m.group(1), m.start())
        run.ents._index(rec, m.group(1))
        run.ents._index(rec, m.group(2))
    turns = find_turns(text)
    turn_spans = [(t.start, t.end) for t in turns]
    events: list[tuple[int, str, object]] = [(t.label_start, "turn", t) for t in turns]
    events += [(q.start, "quote", q) for q in quote_spans(text)]
    events += [(m.start(), "verb", m) for m in _VERB_HIT.finditer(text)]
    events.sort(key=lambda e: (e[0], e[1] != "turn"))
    prev_quote: tuple[QuoteSpan, EntityRecord | None] | None = None
    pending_join: dict | None = None
    quoted: list[tuple[int, int]] = []
    for pos, what, obj in events:
        run.note_people(pos + 1, state)
        if what == "turn":
            _turn(run, obj)
        elif what == "quote":
            if _inside(pos, turn_spans):
                continue
            prev_quote, pending_join = _quote(run, obj, prev_quote, pending_join, quoted)
        else:
            if _inside(pos, turn_spans):
                continue
            _reported(run, obj, quoted)
    run.out.entities = run.ents.records
    for c in run.out.claims:  # merged role entities point at their named holder
        key = c.extra.get("speaker_key")
        if key is not None:
            c.extra["speaker_key"] = run.ents.canonical(run.ents.records[key]).key
    run.out.spoken = [(s, e, run.ents.canonical(run.ents.records[k]).key) for s, e, k in run.out.spoken]
    return run.out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether pos falls inside any of the sorted spans."""
    starts = [s for s, _ in spans]
    i = bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _turn(run: _Run, turn) -> None:
    """One claim per paragraph of a transcript turn, spoken by the label's speaker."""
    speaker = run.resolver.resolve(turn.speaker, turn.label_start)
    for i, (s, e) in enumerate(turn.paragraphs):
        run.add("quote", s, e, speaker, s, e, turn=True, label=turn.speaker, question=turn.question,
                continues_turn=i > 0)


def _quote(run: _Run, q: QuoteSpan, prev, pending_join, quoted):
    """Classify one quoted span and attribute it; returns the new (previous quote, pending join) state."""
    text = run.text
    words = text[q.inner_start:q.inner_end]
    n_words = len(words.split())
    speaker: EntityRecord | None = None
    how = None
    verb = None
    after = speaker_after(text, q.end)
    before = speaker_before(text, q.start)
    if q.continues_previous and prev is not None and prev[0].continued:
        speaker, how = prev[1], "continued"
    elif pending_join is not None and pending_join["next_start"] == q.start:
        speaker, how = pending_join["speaker"], "broken"
    elif after is not None:
        group = "s1" if after.group("s1") else "s2"
        speaker, how, verb = run.speaker_of(after, group, q.start), "after", after.group("v1") or after.group("v2")
    elif before is not None:
        speaker, how, verb = run.speaker_of(before, "s", before.start()), "before", before.group("v")
    elif (label := colon_label_before(text, q.start)) is not None:
        speaker, how, verb = run.resolver.resolve(label.group("s"), label.start()), "label", None
    else:
        xs0, _ = run.sentences.around(q.start, q.end)
        part = participle_before(text, q.start, xs0)
        if part is not None:
            subject = part.group("s") if part.group("s") else None
            if subject is None:
                m = SENTENCE_SUBJECT.match(text, xs0, part.start() + 1)
                subject = m.group("s") if m else None
            if subject:
                speaker, how, verb = run.resolver.resolve(subject, xs0), "participle", "saying"
    direct = how is not None and speaker is not None
    if not direct:
        if n_words < MIN_QUOTE_WORDS or _is_title(words):
            return (q, None), None  # scare quotes, titles: not speech
        xs, _ = run.sentences.around(q.start, q.end)
        speaker = _speaker_in_sentence(run, xs, q.start)
        how = "reported" if speaker is not None else None
        if speaker is None and text[xs:q.start].strip() == "":
            speaker = run.last_speaker_near(q.start)  # a quote paragraph right after an attribution
            how = "nearby" if speaker is not None else None
    xs, xe = run.sentences.around(q.start, q.end)
    if how == "after" and after is not None:
        xe = max(xe, run.sentences.around(after.end() - 1, after.end())[1])
    if how == "broken" and pending_join is not None:
        first = pending_join["claim"]
        first.end = q.inner_end
        first.text = text[first.start:first.end]
        first.excerpt_end = max(first.excerpt_end, xe)
        first.extra["parts"] = [first.extra.get("quote_text") or "", words]
        first.extra["quote_text"] = " ".join(p for p in first.extra["parts"] if p)
        quoted.append((q.start, q.end))
        return (q, speaker), None
    run.add("quote", q.inner_start, q.inner_end, speaker, xs, xe, verb=verb, how=how,
            quote_text=words, continued=q.continued, continues_previous=q.continues_previous)
    quoted.append((q.start, q.end))
    join = None
    if how == "after" and after is not None:
        m = _JOIN_NEXT.match(text, after.end(), min(len(text), after.end() + 120))
        if m:  # “…,” she said, “…”: the next quote is the second half of this one
            join = {"next_start": m.start(1), "speaker": speaker, "claim": run.out.claims[-1]}
    return (q, speaker), join


def _speaker_in_sentence(run: _Run, xs: int, upto: int) -> EntityRecord | None:
    """The speaker of a reporting clause earlier in the same sentence ("X said the two organisations “…”")."""
    best = REPORTED.search(run.text, xs, upto)
    if best is None:
        acc = None
        for m in ACCORDING.finditer(run.text, xs, upto):
            acc = m
        return run.resolver.resolve(acc.group("s"), acc.start()) if acc else None
    return run.speaker_of(best, "s", best.start())


def _reported(run: _Run, hit: re.Match[str], quoted: list[tuple[int, int]]) -> None:
    """Reported speech around one reporting-verb hit: "The Inspector said that …", "according to X, …"."""
    text = run.text
    p = hit.start()
    xs, xe = run.sentences.around(p, hit.end())
    if any(s <= p < e for s, e in quoted[-8:]):
        return  # the verb is inside a quote: not the author's attribution
    if hit.group(0).lower().startswith("according"):
        m = ACCORDING.match(text, p)
        if not m:
            return
        speaker = run.resolver.resolve(m.group("s"), p)
        if speaker is None:
            return
        if p - xs > 10:  # "CONTENT, according to X."
            cs, ce = xs, p
        else:  # "According to X, CONTENT."
            cs, ce = m.end(), xe
        _emit_reported(run, cs, ce, speaker, xs, xe, "according to")
        return
    match = None
    for m in REPORTED.finditer(text, max(xs, p - 250), min(xe, hit.end() + 80)):
        if m.start("v") == p:
            match = m
            break
    if match is None:
        if PASSIVE.search(text, max(xs, p - 30), min(xe, hit.end() + 12)) and not _already(run, xs):
            # no agent named: in a piece about a report, the report is the likeliest source
            _emit_reported(run, xs, xe, run.resolver.report_author_before(p), xs, xe, "passive")
        return
    before_word = re.search(r"(\w+)\s*$", text[max(xs, match.start() - 20):match.start()])
    if before_word and before_word.group(1).lower() in _PREPOSITIONS:
        speaker = None  # "… services in Suffolk say …": the real subject is longer than a name
    else:
        speaker = run.speaker_of(match, "s", match.start())
        if speaker is None:
            return
    cs = match.end()
    lead = _CONTENT_LEAD.match(text, cs, xe)
    cs = lead.end() if lead else cs
    if text[cs:cs + 1] in "“\"‘'":
        run.events.append((p, speaker))
        return  # direct speech: the quote claim carries it
    _emit_reported(run, cs, xe, speaker, xs, xe, re.sub(r"\s+", " ", match.group("v").lower()))


def _already(run: _Run, xs: int) -> bool:
    """Whether this sentence already has an attribution claim."""
    return any(c.kind == "attribution" and c.excerpt_start == xs for c in run.out.claims[-4:])


def _emit_reported(run: _Run, cs: int, ce: int, speaker, xs: int, xe: int, verb: str) -> None:
    """Store one reported-speech claim with its content span trimmed."""
    text = run.text
    while ce > cs and (text[ce - 1].isspace() or text[ce - 1] in ".;:,"):
        ce -= 1
    while cs < ce and (text[cs].isspace() or text[cs] in ",;:"):
        cs += 1
    if ce - cs < 8 or _already(run, xs):
        return
    run.add("attribution", cs, ce, speaker, xs, xe, verb=verb)
