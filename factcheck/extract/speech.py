"""Who says so: speaker phrases next to quotes, reporting verbs, and resolving speakers to entities."""

from __future__ import annotations

import re
from bisect import bisect_right

from factcheck.extract.dates import MONTHS, NUMBER_WORDS, WEEKDAYS
from factcheck.extract.entities import (
    PRONOUNS,
    ROLE_WORDS,
    TITLES,
    Entities,
    EntityRecord,
    clean_phrase,
    is_org_name,
    looks_like_name,
)
from factcheck.extract.lexicon import alternation, gerund, inflections, load, words
from factcheck.extract.wordtrie import trie_pattern

_SPEECH = load("speech")
# verbs that attach a speaker to a quote: the listed forms and every verb of saying in its inflected forms
_QUOTE_VERB_FORMS = list(_SPEECH["quote_verbs"]) + [
    form for lemma in _SPEECH["quote_verb_lemmas"] for form in inflections(lemma, _SPEECH["irregular_past"])]
QUOTE_VERBS = alternation(_QUOTE_VERB_FORMS)
# reporting verbs that introduce reported speech (content follows, usually after "that"): the listed forms only,
# since manner-of-speaking verbs ("barked", "fumed") attach quotes rather than report content; belief verbs in
# every form; stance verbs ("opposed the plan", "planned to …") in the past form only, the others being nouns too
_REPORT_VERB_GROUPS: list[list[str]] = [
    list(_SPEECH["quote_verbs"]), list(_SPEECH["report_verbs"]),
    [f for lemma in _SPEECH["belief_verb_lemmas"] for f in (lemma, *inflections(lemma, _SPEECH["irregular_past"]))]
    + [inflections(lemma, _SPEECH["irregular_past"])[1] for lemma in _SPEECH["stance_verb_lemmas"]]
    + [" ".join((form, *rest)) for verb, *rest in (v.split() for v in _SPEECH["prepositional_cue_lemmas"])
       for form in (verb, *inflections(verb, _SPEECH["irregular_past"]))]
    + [f"{be} {adjective} that" for adjective in _SPEECH["belief_adjectives"]
       for be in ("is", "are", "was", "were", "be", "been", "remains", "remained")]]
REPORT_VERB_FORMS = [form for group in _REPORT_VERB_GROUPS for form in group]  # every form, single-spaced phrases
REPORT_VERBS = "|".join(alternation(group) for group in _REPORT_VERB_GROUPS)  # the groups tried in this order
# adverbs between the speaker and the verb ("Lee however said", "she has long argued", "he repeatedly said")
_ADVERB = r"(?:" + alternation(_SPEECH["adverbs_before_verb"]) + r"|[a-z]{2,}ly)\b"
# a time between the speaker and the verb ("Clinton on Tuesday said", "Trump earlier Tuesday backed", "a poll in
# March found", "the White House on Monday also urged")
_DAY_OR_MONTH = alternation([w.capitalize() for w in (*WEEKDAYS, *MONTHS)])
_TIME_ADJUNCT = (rf"(?:(?:on|in|earlier|late|early|last|this|next)\s+)?(?:{_DAY_OR_MONTH}|yesterday|today|tonight)"
                 r"(?:\s+(?:morning|afternoon|evening|night))?\s+")
_AUX = (rf"(?:{_TIME_ADJUNCT})?(?:(?:has|have|had|will|would|may|might|could|should|must|did|does|do)\s+"
        rf"(?:{_ADVERB}\s+)?(?:been\s+)?)?(?:{_ADVERB}\s+){{0,2}}")
_CAP = r"[A-Z][\w’'.&-]*"
_ROLE_PHRASE = (
    r"(?:(?i:the|a|an|another|one)\s+)(?:[\w’'-]+\s+){0,4}?(?i:spokes(?:man|woman|person)|"
    + trie_pattern(ROLE_WORDS)
    + r"|inspectors?|report|review|study|survey|research|analysis|investigation|inquiry|audit|source|official|"
      r"resident|witness|worker|member|officer|user|campaigner|expert|critic|victim|neighbour|parent|student)s?\b"
    r"(?:[ \t]+(?:for|of|at|from|with)[ \t]+(?:the[ \t]+)?(?:" + _CAP
    + r"(?:[ \t]+(?:of|for|and|&|the)?[ \t]*" + _CAP + r")*))?"
)
_NAME_PHRASE = (
    rf"(?:(?:{TITLES})\.?[ \t]+)?{_CAP}(?:(?<![a-z]{{2}}\.)[ \t]+"  # a word ending a sentence ends the name
    rf"(?:(?:de|van|von|der|da|di|le|la|al|of|for|and|&)[ \t]+)?{_CAP}){{0,6}}"
    r"(?:['’]s?[ \t]+(?:own[ \t]+)?(?:report|research|survey|study|review|analysis)"
    r"(?:[ \t]+(?:into|on|of|about)[ \t]+[a-z][\w ,’'-]{1,50}?)?)?"
)
_PRONOUN = r"\b(?:(?i:he|she|they|it|we)|I)\b"  # "He" opening a sentence too (also before "'s said")
# "local government secretary", "committee chairman Paul Greaves" (no article)
_BARE_ROLE = (r"(?:[a-z][\w’'-]*[ \t]+){0,3}(?:" + trie_pattern(ROLE_WORDS)
              + r")\b(?:[ \t]+" + _NAME_PHRASE + r")?")
# "White House press secretary Josh Earnest", "Daily News opinion editor Josh Greenman": an organisation's
# name, then role words, then the person's name
_ORG_ROLE_NAME = (r"(?:(?!(?:The|A|An|This|That|These|Those|His|Her|Its|Their|Our|My)\b)" + _CAP
                  + r"[ \t]+){1,4}(?:[a-z][\w’'-]*[ \t]+){0,3}(?:"
                  + trie_pattern(ROLE_WORDS) + r")[ \t]+" + _NAME_PHRASE)
# "The developer, Moorland Estates, said": a common-noun phrase whose name follows in commas
# ("Sanders’s campaign manager, Jeff Weaver, said": a name's possessive in the determiner's place)
_NP_BEFORE_NAME = (r"(?:(?:(?i:the|a|an|its|their|his|her)|" + _CAP + r"(?:[ \t]+" + _CAP + r"){0,3}['’]s?)[ \t]+"
                   r"(?:[\w’'-]+[ \t]+){0,3}?[a-z][\w’'-]+(?=[ \t]*,[ \t]*[A-Z]))")
SPEAKER = rf"(?:{_PRONOUN}|{_ROLE_PHRASE}|{_ORG_ROLE_NAME}|{_NP_BEFORE_NAME}|{_NAME_PHRASE}|{_BARE_ROLE})"
# "registered voters", "O’Malley’s campaign", "Sanders’ aides", "the real estate magnate", "a new poll": any
# noun phrase as the subject of a verb of saying (tried after the named and role forms; subject position only)
_NP_EXCLUDED = trie_pattern(_SPEECH["speaker_np_excluded_words"])
_NP_WORD = rf"(?:(?!(?:{_NP_EXCLUDED})\b)[a-z][\w’'-]*|\d+-[a-z][\w’'-]*)"  # "the 46-year-old"
_NP_LEAD = (r"(?:(?:(?i:" + trie_pattern(_SPEECH["speaker_np_determiners"]) + r"))[ \t]+"
            rf"|{_CAP}(?:[ \t]+{_CAP}){{0,3}}['’]s?[ \t]+|(?:{_CAP}[ \t]+){{1,2}})")
_COMMON_NP = (rf"(?:{_NP_LEAD}(?:{_NP_WORD}[ \t]+){{0,3}}{_NP_WORD}"
              rf"|(?:{_NP_WORD}[ \t]+){{0,3}}(?![a-z]+ly\b){_NP_WORD})")  # no bare adverb: "and publicly apologised"
_LED_NP = rf"{_NP_LEAD}(?:{_NP_WORD}[ \t]+){{0,3}}{_NP_WORD}"  # with a determiner or a name before the noun
# "most said", "many say": a quantifier standing alone as the subject
_QUANTIFIER = r"(?i:" + alternation(_SPEECH["quantifier_pronouns"]) + r")\b"
# "52 percent of registered voters say", "half of voters say", "a majority of Americans say": a share of a group
_PARTITIVE = (r"(?:(?i:a|the)[ \t]+)?(?:\d[\d,.]*(?:[ \t]*%|[ \t]+percent|[ \t]+per[ \t]+cent)?|" + _QUANTIFIER + r")"
              r"[ \t]+of[ \t]+(?:(?i:the|those|these|all|its|their)[ \t]+)?"
              rf"(?:(?:{_CAP}|{_NP_WORD})[ \t]+){{0,3}}(?:{_NP_WORD}|{_CAP})")
PARTITIVE = re.compile(_PARTITIVE)
# "about four out of 10 voters", "one in five parents", "nearly 6 in 10 Republicans": a proportion of a group
_COUNT = r"(?:\d[\d,.]*|(?i:" + trie_pattern(NUMBER_WORDS) + r"))"
_PROPORTION = (r"(?:(?i:about|nearly|almost|roughly|some|just|over|under|more[ \t]+than|fewer[ \t]+than|less[ \t]+than)"
               rf"[ \t]+)?{_COUNT}[ \t]+(?:out[ \t]+of|in)[ \t]+{_COUNT}[ \t]+(?:(?:{_CAP}|{_NP_WORD})[ \t]+){{0,2}}"
               rf"(?:{_NP_WORD}|{_CAP})")
SUBJECT = rf"(?:{SPEAKER}|{_PARTITIVE}|{_PROPORTION}|{_COMMON_NP}|{_QUANTIFIER})"
COMMON_NP = re.compile(_COMMON_NP)
NON_CONTENT_OBJECTS = frozenset(_SPEECH["non_content_objects"])  # "said nothing": no content follows
# ", the council's chief executive," / ", 54, from Paisley,"
_APPOSITIVE = r"(?:\s*,(?:\s*(?:[^,“”\"\n]|“[^”\n]{1,40}”){1,150}?\s*,){1,4})?"
_PAREN = r"(?:\s*\([^()\n]{1,60}\))?"
_I = re.I
# ", saying: “", ", telling reporters: “": a verb of saying as a participle, perhaps with its listener (naming
# participles, ", calling the vote “a farce”", are attributions of their own: see attribution._naming)
PARTICIPLE_FORMS = frozenset(gerund(lemma, _SPEECH["irregular_past"]) for lemma in _SPEECH["quote_verb_lemmas"])
_PARTICIPLES = alternation(PARTICIPLE_FORMS)
# "…, saying that the plan will fail": a verb of saying as a participle after the main clause reports what the
# sentence's subject said
GERUND_CUE = re.compile(rf"(?:,[ \t]+|\b(?:by|in|of|after|before|while|when|without)[ \t]+)"
                        rf"(?:also[ \t]+|then[ \t]+|later[ \t]+|[a-z]{{2,}}ly[ \t]+)?"
                        rf"(?P<v>{_PARTICIPLES})\b[ \t]+(?:that[ \t]+)?")  # ", saying", "by saying"
_ING_END = re.compile(r"ing\b")  # a literal: the scan skips ahead fast
_GERUND_REACH = 64  # characters a gerund cue starts at most before its participle (", " or "without ", an adverb)


def gerund_cues(text: str) -> list[re.Match[str]]:
    """The matches of GERUND_CUE.finditer(text), tried only just before a participle of a verb of saying (one
    fast scan for words ending in "ing"): far cheaper than trying the pattern at every position."""
    out: list[re.Match[str]] = []
    last_end = 0
    for m in _ING_END.finditer(text):
        e = m.end()
        s = e - 3
        while s > 0 and "a" <= text[s - 1] <= "z":
            s -= 1
        if s < last_end or text[s:e] not in PARTICIPLE_FORMS:
            continue
        cue = GERUND_CUE.search(text, max(last_end, s - _GERUND_REACH), min(len(text), e + _GERUND_REACH))
        if cue is not None and cue.start("v") == s:
            out.append(cue)
            last_end = cue.end()
    return out
PARTICIPLE_BEFORE = re.compile(
    rf"(?:(?P<s>{_NAME_PHRASE})\s+)?(?:{_PARTICIPLES})(?:\s+[^:“”\"\n]{{1,60}}?)?(?:\s+that)?\s*[:,]?\s*$"
)
# a subject ending right before a verb (matched with the verb's start as endpos): "Last September, Beck| called"
SUBJECT_BEFORE_VERB = re.compile(rf"(?P<s>{SUBJECT}){_PAREN}{_APPOSITIVE}\s+{_AUX}$")
SENTENCE_SUBJECT = re.compile(rf"(?P<s>{SPEAKER})")  # used with .match(text, sentence_start): "^" would fail mid-line

_NAMING_FORMS = [f for lemma in _SPEECH["naming_verb_lemmas"]
                 for f in (lemma, *inflections(lemma, _SPEECH["irregular_past"]),
                           (lemma[:-1] if lemma.endswith("e") else lemma) + "ing")]
# "called the protester “…”", "describing it as “…”": a naming verb, its object (a few words), then the quote;
# anchored at the quote's opening mark
NAMING_BEFORE = re.compile(
    r"\b(?P<v>" + alternation(_NAMING_FORMS) + r")[ \t]+"
    r"(?P<obj>(?:[^.,;:!?“”\"\n]{1,80}?(?:,[^.,;:!?“”\"\n]{1,60},[^.,;:!?“”\"\n]{0,60}?)?[ \t]+)??)"
    r"(?:as[ \t]+)?$")  # "called Clinton, his rival, an ISIS “co-founder”"


# after a quote, a noun phrase with a determiner or a name before it is a speaker: before the verb ("…,” the
# businessman replied"), or after it when the clause ends there ("…,” said the businessman.", "…,” added a local
# Democrat, who …"); a name may carry lowercase premodifiers ("said former Vermont governor Howard Dean")
_PREMODIFIED_NAME = rf"(?:{_NP_WORD}[ \t]+){{1,3}}(?:{_ORG_ROLE_NAME}|{_NAME_PHRASE})"  # "state Sen. Jason Holsman"
_NP_AFTER_VERB = (rf"{_PREMODIFIED_NAME}"
                  r"|(?:(?i:" + trie_pattern([*_SPEECH["speaker_np_determiners"], "one", "another"]) + r"))[ \t]+"
                  rf"(?:{_CAP}[ \t]+){{0,3}}(?:{_NP_WORD}[ \t]+){{0,3}}(?:{_NP_WORD}|{_CAP})"
                  rf"(?=[ \t]*(?:[,.;:!?)”\"]|$)|[ \t]+(?:{_NP_EXCLUDED})\b)")
AFTER_QUOTE = re.compile(
    rf"[ \t,.!?;:—–-]*(?:(?P<v1>{QUOTE_VERBS})[ \t]+(?P<s1>{SPEAKER}|{_NP_AFTER_VERB})"
    rf"|(?P<s2>{SPEAKER}|{_PREMODIFIED_NAME}|{_LED_NP}){_PAREN}{_APPOSITIVE}\s+{_AUX}(?P<v2>{QUOTE_VERBS}))\b"
)
BEFORE_QUOTE = re.compile(
    rf"(?P<s>{SUBJECT}){_PAREN}{_APPOSITIVE}\s+{_AUX}(?P<v>{QUOTE_VERBS})"
    r"(?:\s+(?:to\s+)?(?:reporters|journalists|MPs|the\s+[\w ]{1,30}?|him|her|them|us|me|[A-Z][\w ]{0,30}?))?"
    r"(?:\s+(?:that|how|in\s+a\s+statement|on\s+\w+|yesterday|today|last\s+\w+))?\s*[:,]?\s*$"
)
REPORTED = re.compile(  # starts at a word's start, also when searched from inside a word
    rf"(?<![\w’'-])(?P<s>{SUBJECT}){_PAREN}{_APPOSITIVE}(?:['’](?:s|ve|d))?\s+{_AUX}(?P<v>{REPORT_VERBS})\b"
    r"(?P<obj>\s+(?:the\s+[\w ]{1,40}?|him|her|them|us|me|reporters|journalists|MPs|[A-Z][\w]+(?:\s+[A-Z][\w]+){0,3}))?"
    r"(?=\s+\S|\s*[:,])"
)
# "The plan will fail, the minister said." / "…, said the minister on Tuesday.": the cue closes the sentence
# and the content is what comes before its comma (matched from that comma)
CUE_AFTER_CONTENT = re.compile(
    rf",[ \t]*(?:(?P<s>{SUBJECT}){_PAREN}{_APPOSITIVE}\s+{_AUX}(?P<v>{REPORT_VERBS})"
    rf"|(?P<v2>{REPORT_VERBS})[ \t]+(?P<s2>{SPEAKER}){_APPOSITIVE}(?:[ \t]*,[ \t]*[^,.\n“”\"]{{1,60}}?)?)\b"
    r"(?:[ \t]+(?:reporters|journalists|him|her|them|us|me|the[ \t]+[\w ]{1,30}?|"  # the listener of "told"
    r"[A-Z][\w’'.&-]*(?:[ \t]+[A-Z][\w’'.&-]*){0,4}))?"
    r"(?:[ \t]+(?:on[ \t]+\w+|yesterday|today|last[ \t]+\w+|this[ \t]+\w+|in[ \t]+an?[ \t]+(?:statement|interview)))?"
    r"[ \t]*[.!?]?[”\"’']?[ \t]*$")
ACCORDING = re.compile(rf"\baccording\s+to\s+(?P<s>{SUBJECT})", _I)
PASSIVE = re.compile(  # "it was announced", "X is expected to …": a passive of saying or believing (speech.json)
    r"\b(?:(?:has|have|had)\s+(?:also\s+)?been|was|were|is|are|isn['’]t|aren['’]t|wasn['’]t|weren['’]t)\s+"
    rf"(?:also\s+|not\s+|widely\s+|generally\s+)?(?:{alternation(_SPEECH['passive_cues'])})\b",
    _I,
)
OBJECT_VERBS = words("speech", "object_verbs")
_LEADING_NOISE = re.compile(r"^(?:(?:" + alternation(load("speech")["leading_connectives"]) + r")[ ,]+)+")
_SPOKES_FOR = re.compile(r"spokes(?:man|woman|person)\s+(?:for|of|at|from)\s+(?:the\s+)?(?P<org>.+)$", _I)
_ORG_SPOKES = re.compile(r"^(?:the|a|an)\s+(?P<org>.+?)\s+spokes(?:man|woman|person)$", _I)
_BY_ORG = re.compile(r"\bby\s+(?P<org>(?:the\s+)?[A-Z][\w’'&-]*(?:\s+(?:of|for|and|&|the)?\s*[A-Z][\w’'&-]*)*)")
_REPORT_WORDS = re.compile(rf"\b(?:{alternation(sorted(words('organisations', 'document_words')))})\b", _I)
_POSSESSIVE_RESEARCH = re.compile(r"^(?P<org>.+?)['’]s?\s+(?:own\s+)?(?:report|research|survey|study|review)$", _I)


_TITLE_START = re.compile(rf"(?:{TITLES})\b")  # a title as a whole word
_TITLED_NAME = re.compile(rf"(?P<t>{TITLES})\.?\s+(?P<rest>.+)$")


def _pronoun_kind(word: str) -> tuple[str, str | None]:
    """Entity kind and gender a pronoun refers to."""
    g = PRONOUNS.get(word.lower(), "any")
    if g == "org":
        return "org", None
    if g == "any":
        return "any", None
    return "person", g


def split_name_and_role(phrase: str) -> tuple[str, str | None]:
    """"Napo General Secretary Ian Lawrence" -> ("Ian Lawrence", "Napo General Secretary"); also the reverse order."""
    toks = phrase.split()
    role_idx = [i for i, t in enumerate(toks) if t.lower().strip(",") in ROLE_WORDS]
    if not role_idx or len(toks) < 2 or (len(toks) < 3 and toks[0][:1].isupper()):
        return phrase, None
    last = role_idx[-1]
    if last < len(toks) - 1:  # role words first, name after: "Chief Inspector of Probation Dame Glenys Stacey"
        rest = toks[last + 1:]
        if rest and rest[0].lower() in ("of", "for", "at"):
            # "Chief Inspector of Probation Dame Glenys Stacey": skip the office's object up to a title/name
            for j in range(1, len(rest)):
                if re.fullmatch(TITLES, rest[j].rstrip(".")) or (j + 1 < len(rest) and rest[j][0].isupper()
                                                                 and rest[j + 1][0].isupper() and j >= 2):
                    return " ".join(rest[j:]), " ".join(toks[:last + 1] + rest[:j])
            return phrase, None
        return " ".join(rest), " ".join(toks[:last + 1])
    first = role_idx[0]
    if first >= 2:  # name first, role after: "Ian Lawrence Napo General Secretary"
        return " ".join(toks[:2]), " ".join(toks[2:])
    return phrase, None


class SpeakerResolver:
    """Turns speaker phrases into entities of one document."""

    def __init__(self, ents: Entities, text: str = ""):
        """Resolve against this document's entity register (text: the document, for report authors)."""
        self.ents = ents
        self.text = text
        self.report_author: EntityRecord | None = None
        self._authors: list[tuple[int, int, str]] | None = None
        self._author_starts: list[int] = []  # "a report by HMIP found …" -> later "the report" = HMIP

    def resolve(self, phrase: str, pos: int, role: str | None = None) -> EntityRecord | None:
        """The entity a speaker phrase refers to, registering new names as it goes."""
        ents = self.ents
        raw = _LEADING_NOISE.sub("", " ".join(phrase.split()).strip(" ,"))
        if not raw:
            return None
        low = raw.lower()
        if low in PRONOUNS:
            kind, gender = _pronoun_kind(low)
            if low in ("i", "we"):
                return None
            if kind == "any":
                return ents.last("org", before=pos) if low == "they" else None
            return ents.last(kind, gender, before=pos)
        m = _SPOKES_FOR.search(raw) or _ORG_SPOKES.match(raw)
        if m:
            org = clean_phrase(re.split(r",|\bwhich\b|\bwho\b", m.group("org"))[0])
            return ents.add_org(org[:1].upper() + org[1:], pos) if org else None
        m = _POSSESSIVE_RESEARCH.match(raw)
        if m and looks_like_name(m.group("org")):
            return self._named(m.group("org"), pos, role)
        if _REPORT_WORDS.search(low) and re.match(r"(?:the|a|an|this|that|its|their|his|her)\b", low):
            by = _BY_ORG.search(raw)
            if by:
                author = ents.lookup(clean_phrase(by.group("org"))) or ents.add_org(clean_phrase(by.group("org")), pos)
                self.report_author = ents.canonical(author)
                return self.report_author
            earlier = self.report_author_before(pos)
            if earlier is not None:
                return earlier
            return ents.lookup("the report") or ents.add_org("the report", pos)
        if re.match(r"(?:the|a|an|another|one)\s", low):
            rest = raw.split(None, 1)[1]
            if rest[:1].isupper() and rest.split()[-1].lower() not in ROLE_WORDS and not _REPORT_WORDS.search(rest):
                return ents.lookup(rest) or ents.add_org(rest, pos)  # "The Scottish Fishermen’s Alliance"
            rec = ents.by_role(raw) or ents.lookup(raw)
            if rec is not None:
                ents.touch(rec, pos)
                return ents.canonical(rec)
            if re.search(r"\binspectors\b", low):
                return ents.lookup(clean_phrase(raw)) or ents.add_role(clean_phrase(raw).lower(), pos)
            return ents.add_role(clean_phrase(raw), pos)
        if not looks_like_name(raw):
            known = ents.lookup(raw) if raw[:1].isupper() else None
            if known is not None:  # "May said …" after "Theresa May": a surname that is also a common word
                ents.touch(known, pos)
                return ents.canonical(known)
            name, embedded = split_name_and_role(raw)
            if embedded and looks_like_name(name):
                return self._named(name, pos, role or embedded)
            if raw.split()[-1].lower() in ROLE_WORDS:
                return ents.by_role(raw) or ents.add_role(clean_phrase(raw), pos)
            if PARTITIVE.fullmatch(raw) or COMMON_NP.fullmatch(raw) and raw.split()[-1][:1].islower():
                return ents.lookup(raw) or ents.add_org(raw, pos)  # "registered voters", "O’Malley’s campaign"
            return None
        return self._named(raw, pos, role)

    def report_author_before(self, pos: int) -> EntityRecord | None:
        """Who wrote "the report": the last "report … by X" / "X published a … report" before pos."""
        if self.report_author is not None:
            return self.report_author
        if self._authors is None:
            self._authors = self._find_authors()
            self._author_starts = [a[0] for a in self._authors]
        i = bisect_right(self._author_starts, pos) - 1
        while i >= 0 and self._authors[i][1] > pos:
            i -= 1
        if i < 0 or pos - self._authors[i][0] > 5000:
            return None
        start, _, name = self._authors[i]
        rec = self.ents.lookup(name) or self.ents.add_org(name, start)
        return self.ents.canonical(rec)

    def _find_authors(self) -> list[tuple[int, int, str]]:
        """(start, end, author) of every "report … by X" / "X published a … report" in the text."""
        text = self.text
        found = [(m.start(), m.end(), clean_phrase(m.group("a"))) for m in _REPORT_BY.finditer(text)]
        for m in _PUBLISHED_REPORT.finditer(text):
            b = _RUN_BEFORE.search(text, max(0, m.start() - 80), m.start())
            if b:
                found.append((b.start(), m.end(), clean_phrase(b.group("b"))))
        return sorted(found)

    def _named(self, raw: str, pos: int, role: str | None) -> EntityRecord | None:
        """A capitalised speaker: person, organisation or role, split from any role words around it."""
        ents = self.ents
        known = ents.lookup(raw)
        if known is not None:
            if role and known.kind == "person":
                ents.set_role(known, role)
            ents.touch(known, pos)
            return ents.canonical(known)
        name, embedded_role = split_name_and_role(raw)
        role = role or embedded_role
        if embedded_role is None and all(t.lower() in ROLE_WORDS or t.lower() in ("of", "for", "hm")
                                         for t in raw.split()):
            return ents.by_role(raw) or ents.add_role(raw, pos)
        if is_org_name(name) and not _TITLE_START.match(name):  # "Sen. Ann Lee", not "Senate …"
            return ents.add_org(name, pos)
        title = None
        tm = _TITLED_NAME.match(name)
        if tm:
            title, name = tm.group("t"), tm.group("rest")
        if len(name.split()) == 1 and title is None:
            rec = ents.lookup(name)
            if rec is not None:
                ents.touch(rec, pos)
                return ents.canonical(rec)
            return ents.add_org(name, pos)  # a lone unknown capitalised word: "Napo has called on ..."
        return ents.add_person(name, title, role, pos)


_ORG_RUN = r"(?:the\s+)?[A-Z][\w’'&-]*(?:[ \t]+(?:of|for|and|&)?[ \t]*[A-Z][\w’'&-]*)*"
# both start with a literal word, so the scan is fast: "report … by X" and "X (today) published a … report"
_REPORT_BY = re.compile(rf"report\b[^.\n]{{0,80}}?\bby\s+(?P<a>{_ORG_RUN})")
_PUBLISHED_REPORT = re.compile(r"published[ \t]+(?:a|an|its|the)[ \t]+[^.\n]{0,40}?\breport\b")
_RUN_BEFORE = re.compile(rf"(?P<b>{_ORG_RUN})[ \t]+(?:today[ \t]+|has[ \t]+)?$")


SPEAKER_TAILS = frozenset(PRONOUNS) | ROLE_WORDS | words("roles", "speaker_tails") | frozenset(
    _SPEECH["quantifier_pronouns"])
_WORD_IN_WINDOW = re.compile(r"[\w’'.&-]+")
# words that open a fronted phrase or a clause, never a speaker phrase: connectives, prepositions, subordinators,
# weekday and month names (not "May")
_NOT_STARTS = frozenset(w.lower() for w in (*_SPEECH["leading_connectives"], *_SPEECH["not_speaker_starts"])) | \
    (frozenset(MONTHS) - {"may"}) | frozenset(WEEKDAYS)  # "May said …": a surname as often as a month
_STARTERS = frozenset("the a an another one its their his her he she they it we i those these all both several about "
                      "nearly almost roughly some".split())


def speaker_starts(text: str, ws: int, p: int) -> list[int]:
    """Where a speaker phrase could begin before p: capitalised words, numbers, articles, pronouns, up to three
    words before a role word ("committee chairman"), and the word after one that opens a fronted phrase ("And on
    Tuesday, Kevin Brady said": never at "And", "on" or "Tuesday")."""
    if 0 < ws < p and not text[ws - 1].isspace():  # a window opening inside a word starts after it
        k = text.find(" ", ws, p)
        ws = k + 1 if k != -1 else p
    words = [(w.start(), w.group()) for w in _WORD_IN_WINDOW.finditer(text, ws, p)]
    starts: set[int] = set()
    opening: set[int] = set()
    after_opening: set[int] = set()
    previous_opens = False
    for i, (start, token) in enumerate(words):
        low = token.lower()
        opens = low in _NOT_STARTS
        if opens:
            opening.add(start)
        elif previous_opens:
            after_opening.add(start)  # "And surveys say"
        previous_opens = opens
        first = token[0]
        if first.isupper() or first.isdigit() or low in _STARTERS:
            starts.add(start)
        elif low in SPEAKER_TAILS:  # role words are speaker tails too
            starts.update(x for x, _ in words[max(0, i - 3):i + 1])
    return sorted((starts - opening) | after_opening)


def appositive_role(text: str) -> str | None:
    """The role in ", the council's chief executive," if it reads as one."""
    inner = text.strip(" ,")
    if inner and any(w.lower().strip(".,’'s") in ROLE_WORDS for w in inner.split()) and len(inner.split()) <= 10:
        return inner
    return None


def speaker_after(text: str, end: int, limit: int = 160) -> re.Match[str] | None:
    """A speaker attribution right after a closing quote mark ("…,” said Jane Doe" / "…,” she added)."""
    return AFTER_QUOTE.match(text, end, min(len(text), end + limit))


COLON_BEFORE = re.compile(rf"(?:^|(?<=[\n.!?]\s))[\s\-–•*]*(?P<s>{_NAME_PHRASE}){_PAREN}\s*:\s*$", re.M)


LABEL_LIMIT = 300  # a speaker label is a name: a longer stretch before the colon is not one


def line_start_within(text: str, pos: int, limit: int) -> tuple[int, bool]:
    """(start of the line holding pos, True) when it is within limit characters, else (pos - limit, False)."""
    lo = max(0, pos - limit)
    k = text.rfind("\n", lo, pos)
    if k != -1 or lo == 0:
        return k + 1, True
    return lo, False


def colon_label_before(text: str, start: int) -> re.Match[str] | None:
    """A name and a colon opening the line right before a quote ("Minister: “We are ready”")."""
    line_start, _ = line_start_within(text, start, LABEL_LIMIT)
    return COLON_BEFORE.search(text, line_start, start)


def participle_before(text: str, start: int, xs: int) -> re.Match[str] | None:
    """"…, saying: “" / "…, with General Secretary Ian Lawrence saying: “" right before a quote."""
    return PARTICIPLE_BEFORE.search(text, max(xs, start - 240), start)


QUOTE_VERB_WORDS = frozenset(v.split()[0] for v in _QUOTE_VERB_FORMS)
_WORDS_RE = re.compile(r"[a-z]+")


def _verb_near_end(text: str, end: int, span: int = 70) -> bool:
    """Whether a speech verb appears in the last span characters before end (cheap pre-check)."""
    return not QUOTE_VERB_WORDS.isdisjoint(_WORDS_RE.findall(text[max(0, end - span):end].lower()))


def _leftmost(pattern: re.Pattern[str], text: str, ws: int, end: int) -> re.Match[str] | None:
    """Like pattern.search(text, ws, end) for speaker patterns, but tried only where a speaker phrase can start."""
    if ws > 0 and not text[ws - 1].isspace():  # begin at a word boundary
        k = text.find(" ", ws, end)
        ws = k + 1 if k != -1 else ws
    for cand in speaker_starts(text, ws, end):
        if _PREPOSITION_BEFORE.search(text, max(ws, cand - 12), cand):
            continue  # "On the show, Sen. Ann Lee said": the object of a preposition is not the speaker
        m = pattern.match(text, cand, end)
        if m is not None:
            return m
    return None


_PREPOSITION_BEFORE = re.compile(
    r"\b(?i:in|on|at|of|for|from|with|to|into|about|over|under|after|before|during|since|by)[ \t]+$")


def speaker_before(text: str, start: int, limit: int = 240) -> re.Match[str] | None:
    """A speaker attribution right before an opening quote mark ("Jane Doe said: “"), or ending the
    paragraph above when the quote opens its own paragraph ("Jane Doe said:" / "“…")."""
    line_start, whole = line_start_within(text, start, limit)
    if whole and text[line_start:start].strip() == "":
        prev_end = line_start - 1
        while prev_end > 0 and text[prev_end - 1].isspace():
            prev_end -= 1
        if prev_end > 0 and text[prev_end - 1] == ":" and _verb_near_end(text, prev_end):
            return _leftmost(BEFORE_QUOTE, text, line_start_within(text, prev_end, limit)[0], prev_end)
        return None
    if not _verb_near_end(text, start):
        return None
    return _leftmost(BEFORE_QUOTE, text, line_start, start)
