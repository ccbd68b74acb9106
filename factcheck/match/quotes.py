"""Quote variants: the same speaker quoted in near-identical words in two places, with a word-level diff."""

from __future__ import annotations

import difflib
import re
import unicodedata
import zlib
from bisect import bisect_left
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import chain, combinations
from typing import Literal, TypedDict

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from factcheck.extract.subjects import STOP
from factcheck.match.clusters import clusters
from factcheck.match.context import Memo
from factcheck.match.events import Place, Topics
from factcheck.match.records import ClaimRecord, FlagDraft, place, stated

MIN_WORDS = 8  # shorter quotes repeat by chance, unless found whole inside a longer quote (FRAGMENT_MIN)
FRAGMENT_MIN = 4  # a quoted fragment this long, found word for word inside a longer quote elsewhere, is the same words
FRAGMENT_CONTENT_WORDS = 2  # ... and hold this many content words ("the old harbour rot", not "it is what it is")
WEAK_FRAGMENT_MIN = 5  # a fragment with one content word ("tell me where you were") needs this many words, and
WEAK_SOURCES = 3  # ... its opening held, anywhere in a quote, by no more sources than this (a rare phrase)
COMMON_SOURCES = 8  # a 4-word run quoted in more sources than this is a stock phrase, not a link
CONTAINED = 95  # partial-ratio alignment of a shorter quote (MIN_WORDS+) inside a longer one: quoted in part
SHINGLE = 4  # words per shingle for blocking
MAX_BLOCK = 50
VARIANT = 85  # rapidfuzz ratio of normalised texts at or above which two quotes are the same words, varied
PASSAGE_VARIANT = 90  # partial-ratio alignment of a quote inside an unmarked passage elsewhere
OVERLAP_MIN = 6  # words two quotes share where one starts inside the other ("… the message is clear" / "The
OVERLAP_CONTENT_WORDS = 3  # message is clear — …"): the same words quoted in part, when this many are content words
SAME_WORDS_ANY_SPEAKER = 95  # a variant this close is the same words whoever they are credited to (flagged so)
_WORD = re.compile(r"[\w’‘']+")  # an apostrophe may be typed as either curly mark
_EDGE_MARKS = "'’‘`"  # quote marks and apostrophes at a word's edges ("''A''", "‘subsidium’") are not letters
# a stretch inside quote marks: curly, straight, doubled ('' … '', `` … '') or angled; at most one line
_QUOTED = re.compile(r"(?:“|``|''|‘‘|„|«|\")([^“”\"«»\n]+?)(?:”|''|’’|»|\")")


SKETCH = 4  # shingles kept per quote (the smallest hashes): near-identical texts keep the same ones


_WORD_HASH: dict[str, int] = {}
_MASK = (1 << 61) - 1
Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]  # difflib's


class QuoteDetails(TypedDict, total=False):
    """A quote flag's details: the word diff, the versions, whether one is part of another, the sources (a
    repeat), and the speakers the words are credited to when more than one."""

    diff: list[list[str]]
    versions: int
    partial: bool
    sources: int
    speakers: list[str]


PassageChange = tuple[float, list[list[str]], list[tuple[str, str]]]  # score, word diff, changes in context


def _word_hash(w: str) -> int:
    """A stable hash of one word (crc32, cached): the same on every run, unlike hash()."""
    h = _WORD_HASH.get(w)
    if h is None:
        h = _WORD_HASH[w] = zlib.crc32(w.encode())
        if len(_WORD_HASH) > 2_000_000:
            _WORD_HASH.clear()
    return h


def shingle_keys(tokens: list[str]) -> list[int]:
    """Stable hashes of every run of SHINGLE words, combined from per-word hashes."""
    try:
        hs = list(map(_WORD_HASH.__getitem__, tokens))
    except KeyError:
        hs = [_word_hash(w) for w in tokens]
    return [(((a * 1000003 + b) * 1000003 + c) * 1000003 + d) & _MASK
            for a, b, c, d in zip(hs, hs[1:], hs[2:], hs[3:], strict=False)]


def sketch(tokens: list[str]) -> list[int]:
    """The SKETCH smallest shingle hashes of a text (a bottom-k MinHash sketch) for blocking."""
    return sorted(set(shingle_keys(tokens)))[:SKETCH]


def words(text: str) -> list[str]:
    """Lower-case words of a quote, accents folded; punctuation, quote marks and in-word hyphens dropped."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    found = (w.replace("’", "'").replace("‘", "'").strip(_EDGE_MARKS)
             for w in _WORD.findall(text.lower().replace("-", "")))
    return [w for w in found if w]


def quoted_stretches(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the stretches of a text inside quote marks (“…”, "…", ''…'', ``…'')."""
    return [m.span(1) for m in _QUOTED.finditer(text) if m.group(1).strip()]


@lru_cache(maxsize=16)
def _opcodes(a: tuple[str, ...], b: tuple[str, ...]) -> list[Opcode]:
    """difflib's opcodes from word list a to b (a flag diffs one pair up to three ways: computed once)."""
    return difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()


def word_diff(a: list[str], b: list[str]) -> list[list[str]]:
    """Word-level diff: [op, a_words, b_words] with op equal | replace | delete | insert."""
    out: list[list[str]] = []
    for op, i1, i2, j1, j2 in _opcodes(tuple(a), tuple(b)):
        out.append([op, " ".join(a[i1:i2]), " ".join(b[j1:j2])])
    return out


def changes_in_context(a: list[str], b: list[str], around: int = 1) -> list[tuple[str, str]]:
    """Each change with a word of context on either side ("give their best" vs "give of their best")."""
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in _opcodes(tuple(a), tuple(b)):
        if op == "equal":
            continue
        left_a, left_b = max(0, i1 - around), max(0, j1 - around)
        out.append((" ".join(a[left_a:i2 + around]), " ".join(b[left_b:j2 + around])))
    return out


def _speakers_compatible(a: ClaimRecord, b: ClaimRecord) -> bool:
    """Same speaker, or one unknown, or names that could be the same person (role vs name)."""
    if a.speaker_id is None or b.speaker_id is None or a.speaker_id == b.speaker_id:
        return True
    sa, sb = (a.speaker or "").lower(), (b.speaker or "").lower()
    if fuzz.token_set_ratio(sa, sb, score_cutoff=80) >= 80:
        return True
    role_like = re.compile(r"\b(?:inspector|spokes\w+|minister|secretary|chair\w*|director|chief|report)\b")
    return bool(role_like.search(sa) or role_like.search(sb))


def match_quotes(records: list[ClaimRecord], topics: Topics | None = None) -> list[FlagDraft]:
    """Quote-variant flags (near-identical wording, quoted in part, also against unmarked passages elsewhere)
    and repeat flags (identical wording) among quotes and reported statements. With topics, short fragments
    and overlapping stretches link only places that report one event."""
    qs, texts, quoted = _quoted_parts(records)
    wordings = _Wordings(texts)
    toks = wordings.toks
    blocks: dict[int, list[int]] = defaultdict(list)
    same_words: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, t in enumerate(toks):
        if len(t) < MIN_WORDS:
            continue
        if quoted[i]:
            for key in wordings.sketch(i):
                blocks[key].append(i)
        else:  # reported speech repeats only word for word: exact grouping, no fuzzy pairs
            same_words[wordings.key(i)].append(i)
    links: list[tuple[int, int, float]] = []
    for same in same_words.values():
        links += _identical_links(qs, same)
    tried: set[tuple[int, int]] = set()
    for members in blocks.values():
        links += _block_links(qs, quoted, wordings, members, tried)
    # a pair whose wordings differ may still hold one another
    links += _containment_links(qs, quoted, wordings, set(), topics)
    flags: list[FlagDraft] = []
    groups = clusters(len(qs), links)
    root_of = {m: members[0] for members, _ in groups for m in members}
    for members, best in groups:
        members = sorted(members, key=lambda m: (place(qs[m]), toks[m]))  # by place, not input order
        members = _one_per_claim(qs, members)
        if len({qs[m].id for m in members}) > 1:
            flags.append(_group_flag([qs[m] for m in members], [toks[m] for m in members], best))
    del groups
    flags += _against_passages(qs, wordings, records, root_of)
    return flags


def _quoted_parts(records: list[ClaimRecord]) -> tuple[list[ClaimRecord], list[str], list[bool]]:
    """The quotes and reported statements to compare, one entry per quoted part: a quote broken by its cue
    ("“A,” she said. “B.”", details.parts) is matched part by part, since another outlet may quote either
    part alone; reported speech holding quote marks without its quoted words stored ("called it “a war of
    choice”") also gives each quoted stretch. With each entry its text and whether its words are quoted."""
    qs: list[ClaimRecord] = []
    texts_out: list[str] = []
    quoted: list[bool] = []
    covered = _QuoteSpans(records)
    for r in records:
        d = r.details or {}
        if r.kind not in ("quote", "attribution") or d.get("turn"):
            continue
        for text, is_quoted in _entries(r, d, covered):
            qs.append(r)
            texts_out.append(text)
            quoted.append(is_quoted)
    return qs, texts_out, quoted


class _QuoteSpans:
    """Where each source's quote claims are, to tell whether a claim holds one (its quoted words then have a
    claim of their own)."""

    def __init__(self, records: list[ClaimRecord]) -> None:
        """Index the quote claims' starts by source, in order."""
        starts: dict[int, list[int]] = defaultdict(list)
        for r in records:
            if r.kind == "quote":
                starts[r.source_id].append(r.start)
        self._starts = {sid: sorted(found) for sid, found in starts.items()}

    def holds_quote(self, source_id: int, start: int, end: int) -> bool:
        """Whether a quote claim of the source starts inside [start, end) (or at its quote mark)."""
        starts = self._starts.get(source_id, [])
        k = bisect_left(starts, start - 1)
        return k < len(starts) and starts[k] < end


def _entries(r: ClaimRecord, d: dict[str, object], covered: _QuoteSpans) -> list[tuple[str, bool]]:
    """One claim's texts to compare, each with whether its words are quoted (_quoted_parts)."""
    given = d.get("parts")
    parts = given if isinstance(given, list) else []  # stored details may be anything
    texts = [p["text"] for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str) and p["text"]]
    if texts:
        return [(t, True) for t in texts]
    if quoted_words(r):
        return [(str(d.get("quote_text") or r.text), True)]
    stretches = [r.text[s:e] for s, e in quoted_stretches(r.text)
                 if not covered.holds_quote(r.source_id, r.start + s, r.start + e)]  # else the quote is a claim
    return [(r.text, False)] + [(t, True) for t in stretches]


def _one_per_claim(qs: list[ClaimRecord], members: list[int]) -> list[int]:
    """A group's entries with one per claim (its first part in the group's order)."""
    seen: set[int] = set()
    out: list[int] = []
    for m in members:
        if qs[m].id not in seen:
            seen.add(qs[m].id)
            out.append(m)
    return out


def quoted_words(r: ClaimRecord) -> bool:
    """Whether a claim's words are quoted: a quote, or an attribution holding quoted words ("called the plan
    “a disgrace”"), whose quoted words (details.quote_text) are compared like a quote's."""
    return r.kind == "quote" or (r.kind == "attribution" and bool((r.details or {}).get("quote_text")))


class _Wordings:
    """The quotes' words, each computed once per distinct text (quotes told again share their strings): word
    lists, their tuples, 4-word run keys and sketches. Shared between quotes of one text: never changed."""

    def __init__(self, texts: list[str]) -> None:
        """Split every text into words (once per distinct text)."""
        self.texts = texts
        split = Memo(words)
        self.toks = [split[t] for t in texts]
        self._keys: Memo[str, tuple[str, ...]] = Memo(lambda t: tuple(split[t]))
        # the memos' functions reach each other through locals, never through self: a lambda holding self would
        # make a reference cycle, kept with every word list until the cyclic collector runs (find_flags pauses it)
        runs: Memo[str, list[int]] = Memo(lambda t: shingle_keys(split[t]))
        self._runs = runs
        self._sketches: Memo[str, list[int]] = Memo(lambda t: sorted(set(runs[t]))[:SKETCH])
        self._fragment: Memo[str, bool] = Memo(lambda t: _fragment_ok(split[t]))
        self._held: Memo[tuple[str, str], float | None] = Memo(
            lambda pair: _contained(split[pair[0]], split[pair[1]]))
        self.split = split

    def key(self, i: int) -> tuple[str, ...]:
        """Quote i's words as a tuple (to group identical wordings)."""
        return self._keys[self.texts[i]]

    def runs(self, i: int) -> list[int]:
        """Quote i's 4-word run keys, in order (shingle_keys)."""
        return self._runs[self.texts[i]]

    def sketch(self, i: int) -> list[int]:
        """Quote i's sketch (sketch)."""
        return self._sketches[self.texts[i]]

    def contained(self, i: int, j: int) -> float | None:
        """_contained of quotes i and j (once per pair of texts)."""
        return self._held[self.texts[i], self.texts[j]]

    def fragment_ok(self, i: int) -> bool:
        """Whether quote i is long enough to be a quotation rather than a stock phrase (_fragment_ok)."""
        return self._fragment[self.texts[i]]


def _where(r: ClaimRecord) -> Place:
    """The (source, section) place of a record: two quotes in one place are never compared."""
    return r.source_id, r.section_id


def _by_text(wordings: _Wordings, members: list[int]) -> dict[tuple[str, ...], list[int]]:
    """A block's members grouped by identical wording, in block order."""
    out: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for m in members:
        out[wordings.key(m)].append(m)
    return out


def _identical_links(qs: list[ClaimRecord], same: list[int]) -> list[tuple[int, int, float]]:
    """Links among quotes of identical wording in O(n): each to the first member of another place."""
    first = same[0]
    other = next((m for m in same if _where(qs[m]) != _where(qs[first])), None)
    links: list[tuple[int, int, float]] = []
    for m in same[1:]:  # the same words, whoever they are credited to (the flag names both speakers)
        anchor = first if _where(qs[m]) != _where(qs[first]) else other
        if anchor is not None and anchor != m:
            links.append((anchor, m, 100.0))
    return links


def _representatives(qs: list[ClaimRecord], same: list[int]) -> list[int]:
    """Up to two members of one wording from different places: enough to find a cross-place pair."""
    first = same[0]
    other = next((m for m in same if _where(qs[m]) != _where(qs[first])), None)
    return [first] if other is None else [first, other]


def _block_links(qs: list[ClaimRecord], quoted: list[bool], wordings: _Wordings, members: list[int],
                 tried: set[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """Links inside one blocking key: identical wordings at any count, fuzzy pairs among distinct wordings."""
    if len(members) < 2:
        return []
    toks = wordings.toks
    groups = _by_text(wordings, members)
    links = [link for same in groups.values() if len(same) > 1 for link in _identical_links(qs, same)]
    if len(groups) > MAX_BLOCK:  # too many different wordings share this key to tell anything
        return links
    reps = [_representatives(qs, same) for same in groups.values()]
    for ra, rb in combinations(reps, 2):
        link = _variant_link(qs, quoted, toks, ra, rb, tried)
        if link:
            links.append(link)
    return links


def _variant_link(qs: list[ClaimRecord], quoted: list[bool], toks: list[list[str]], ra: list[int], rb: list[int],
                  tried: set[tuple[int, int]]) -> tuple[int, int, float] | None:
    """A fuzzy link between two different wordings, tried on a pair of their members from different places."""
    pair = next(((i, j) for i in ra for j in rb if _where(qs[i]) != _where(qs[j])), None)
    if pair is None:
        return None
    i, j = min(pair), max(pair)
    if (i, j) in tried:
        return None
    tried.add((i, j))
    a, b = qs[i], qs[j]
    score = fuzz.ratio(" ".join(toks[i]), " ".join(toks[j]), score_cutoff=VARIANT)  # 0 below it
    if score < VARIANT or (score < SAME_WORDS_ANY_SPEAKER and not _speakers_compatible(a, b)):
        return None
    if not quoted[i] or not quoted[j]:
        return None  # reported speech is paraphrase: only identical wording counts (as a repeat)
    return i, j, score


def _fragment_ok(t: list[str]) -> bool:
    """A fragment long enough to be a quotation rather than a stock phrase (a weak one only if rare, _rare)."""
    content = _content_count(t)
    if len(t) < FRAGMENT_MIN or not content:
        return False
    return content >= FRAGMENT_CONTENT_WORDS or len(t) >= WEAK_FRAGMENT_MIN


def _weak(t: list[str]) -> bool:
    """A fragment short of content words (_fragment_ok): a quotation only when its words are rare."""
    return len(t) < MIN_WORDS and _content_count(t) < FRAGMENT_CONTENT_WORDS


def _rare(qs: list[ClaimRecord], keys: dict[int, list[int]], weak: list[int]) -> set[int]:
    """The weak fragments whose opening run is held, anywhere in a quote, by WEAK_SOURCES sources or fewer."""
    openings = {keys[i][0] for i in weak}
    holders: dict[int, set[int]] = defaultdict(set)
    if openings:
        for j, runs in keys.items():
            for key in openings.intersection(runs):
                holders[key].add(qs[j].source_id)
    return {i for i in weak if len(holders[keys[i][0]]) <= WEAK_SOURCES}


def _containment_links(qs: list[ClaimRecord], quoted: list[bool], wordings: _Wordings, tried: set[tuple[int, int]],
                       topics: Topics | None = None) -> list[tuple[int, int, float]]:
    """Links between quotes of different places where one starts inside the other: quoted whole inside it
    (a 4-7 word fragment of a long quote included), or overlapping it by OVERLAP_MIN words or more. Each quote
    is indexed by its first 4-word run, and every run of every quote is looked up there (a quote that starts
    inside another starts at one of the other's runs). Openings shared by quotes in many sources (stock
    phrases) and oversized postings are skipped; short fragments and overlaps need related places."""
    toks = wordings.toks
    keys: dict[int, list[int]] = {}
    by_opening: dict[int, list[int]] = defaultdict(list)
    for i in range(len(toks)):
        if quoted[i] and wordings.fragment_ok(i):
            keys[i] = wordings.runs(i)
    weak = [i for i in keys if _weak(toks[i])]
    for i in set(weak) - _rare(qs, keys, weak):  # a phrase many sources quote: not a link
        del keys[i]
    for i, runs in keys.items():
        by_opening[runs[0]].append(i)
    common = {k for k, members in by_opening.items()
              if len(members) > MAX_BLOCK or len({qs[m].source_id for m in members}) > COMMON_SOURCES}
    usable = by_opening.keys() - common
    links: list[tuple[int, int, float]] = []
    for j, runs in keys.items():  # j: the quote that may hold the start of others
        found = usable.intersection(runs)
        for at in [at for at, key in enumerate(runs) if key in found] if found else ():
            for i in by_opening[runs[at]]:
                if i == j:
                    continue
                pair = (i, j) if i < j else (j, i)
                if pair in tried or _where(qs[i]) == _where(qs[j]):
                    continue
                tried.add(pair)
                # i starts at word at of j: held whole or near word for word (a quote of MIN_WORDS or more), or
                # overlapping it from there on (either way round when both open alike: a pair is tried once)
                held = wordings.contained(i, j) if len(toks[i]) <= len(toks[j]) or at == 0 else None
                score = held if held is not None else _overlap(toks[i], toks[j], at)
                if score is None:
                    score = _near_fragment(toks[i], toks[j], at)
                if score is None:
                    continue
                if (min(len(toks[i]), len(toks[j])) < MIN_WORDS or score < 100) and topics is not None \
                        and not topics.related(_where(qs[i]), _where(qs[j])):
                    continue  # a short fragment or a part shared by unrelated reports: a stock phrase
                links.append((pair[0], pair[1], score))
    return links


def _overlap(inner: list[str], outer: list[str], at: int) -> float | None:
    """90 when the quote inner, whose first run is found at word at of outer, shares OVERLAP_MIN words or more
    with it from there on (overlapping parts of one statement); else None."""
    shared = 0
    while shared < len(inner) and at + shared < len(outer) and inner[shared] == outer[at + shared]:
        shared += 1
    if shared >= OVERLAP_MIN and _content_count(inner[:shared]) >= OVERLAP_CONTENT_WORDS:
        return 90.0
    return None


def _near_fragment(inner: list[str], outer: list[str], at: int) -> float | None:
    """A score when the shorter of inner (opening at word at of outer) and outer's stretch from there matches
    the other word for word but for one word a letter apart ("environmentalist" / "…ists"); else None."""
    stretch = outer[at:at + len(inner)]
    short, long_ = (inner, stretch) if len(inner) <= len(stretch) else (stretch[:len(outer) - at], inner)
    if len(short) < FRAGMENT_MIN or (at and len(short) < len(inner)):
        return None
    odd = [(a, b) for a, b in zip(short, long_, strict=False) if a != b]
    if len(odd) != 1 or not _letter_apart(*odd[0]):
        return None
    return round(100 * (1 - 1 / (2 * len(short))), 1)


def _letter_apart(a: str, b: str) -> bool:
    """Two words of five letters or more, letters only, one letter apart (a spelling, plural or tense variant)."""
    return (min(len(a), len(b)) >= 5 and a.isalpha() and b.isalpha()
            and Levenshtein.distance(a, b, score_cutoff=1) <= 1)


def _content_count(t: list[str]) -> int:
    """How many of the words are content words (three letters or more, not a stop word)."""
    return sum(1 for w in t if len(w) >= 3 and w not in STOP)


def _contained(a: list[str], b: list[str]) -> float | None:
    """The score when the shorter word list is quoted inside the longer: word for word for a fragment,
    near word for word (partial ratio >= CONTAINED) for a quote of MIN_WORDS or more; else None."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if f" {' '.join(short)} " in f" {' '.join(long_)} ":
        return 100.0
    if len(short) >= MIN_WORDS:
        score = fuzz.partial_ratio(" ".join(short), " ".join(long_), score_cutoff=CONTAINED)  # 0 below it
        if score >= CONTAINED:
            return score
    return None


def _group_flag(recs: list[ClaimRecord], tks: list[list[str]], score: float) -> FlagDraft:
    """One flag for a group of quotes of the same words: a repeat if all identical, else a quote variant
    with the word diff between the two versions furthest apart."""
    if all(t == tks[0] for t in tks):
        return _flag(recs[0], recs[1], tks[0], tks[1], score, recs)
    firsts: dict[tuple[str, ...], int] = {}
    for k, t in enumerate(tks):
        firsts.setdefault(tuple(t), k)  # the first member of each distinct wording, by place
    distinct = list(firsts.values())[:MAX_BLOCK]
    pairs = [(fuzz.ratio(" ".join(tks[x]), " ".join(tks[y])), x, y) for x, y in combinations(distinct, 2)]
    _, x, y = min(pairs)  # two or more distinct wordings: never empty, whatever the group's size
    return _flag(recs[x], recs[y], tks[x], tks[y], score, recs)


def _against_passages(qs: list[ClaimRecord], wordings: _Wordings, records: list[ClaimRecord],
                      root_of: dict[int, int]) -> list[FlagDraft]:
    """Quotes that reappear, slightly changed, in an unmarked passage of another source or section
    (one flag per group of quotes and passage)."""
    toks = wordings.toks
    index: dict[int, list[int]] = defaultdict(list)
    for i, (r, t) in enumerate(zip(qs, toks, strict=False)):
        if r.kind == "quote" and len(t) >= MIN_WORDS:
            for key in wordings.sketch(i):
                index[key].append(i)
    flags: list[FlagDraft] = []
    seen: set[tuple[int, str]] = set()
    done: set[tuple[int, int]] = set()
    hits_in: Memo[str, tuple[int, ...]] = Memo(lambda excerpt: _quotes_in(excerpt, index, qs))
    changed: Memo[tuple[str, str], PassageChange | None] = Memo(  # per quote and passage
        lambda texts: _passage_change(wordings.split[texts[0]], words(texts[1])))
    # passages inside a quote or turn (their claims carry a speaker) are covered by quote-to-quote matching
    owners = [r for r in records if r.kind != "quote" and r.speaker_id is None]
    for owner in sorted(owners, key=place):  # the first passage of a source wins: by place, not input order
        if (owner.source_id, owner.excerpt) in seen:
            continue
        seen.add((owner.source_id, owner.excerpt))
        hits = hits_in[owner.excerpt]
        for i in hits:
            q = qs[i]
            if q.source_id == owner.source_id and q.section_id == owner.section_id:
                continue
            group = (root_of.get(i, i), owner.source_id)  # one flag per group of quotes and source
            if group in done:
                continue
            flag = _passage_flag(q, owner, changed[wordings.texts[i], owner.excerpt])
            if flag:
                done.add(group)
                flags.append(flag)
    return flags


def _quotes_in(excerpt: str, index: dict[int, list[int]], qs: list[ClaimRecord]) -> tuple[int, ...]:
    """The quotes two or more of whose sketch shingles a passage of MIN_WORDS or more holds, by place."""
    ex = words(excerpt)
    keys = shingle_keys(ex) if len(ex) >= MIN_WORDS else []
    found = index.keys() & keys
    if not found:
        return ()
    # counted in C: a common shingle's posting list grows with the folder, so this loop is the hot one
    hits = Counter(chain.from_iterable(map(index.__getitem__, filter(found.__contains__, keys))))
    return tuple(sorted((i for i, n in hits.items() if n >= 2), key=lambda i: place(qs[i])))


def _passage_change(tq: list[str], ex: list[str]) -> PassageChange | None:
    """How a passage holds a quote's words with small changes (not identical): the alignment score, the word
    diff and the changes in context; None when it does not."""
    qs_, xs_ = " ".join(tq), " ".join(ex)
    al = fuzz.partial_ratio_alignment(qs_, xs_, score_cutoff=PASSAGE_VARIANT)  # None below it
    if al is None or al.score < PASSAGE_VARIANT or al.score >= 100:
        return None
    # snap the aligned stretch of the passage to whole words
    start = xs_.rfind(" ", 0, al.dest_start) + 1
    end = xs_.find(" ", al.dest_end)
    tx = xs_[start:end if end != -1 else len(xs_)].split()
    if tx == tq or len(tx) < MIN_WORDS:
        return None
    changes = changes_in_context(tq, tx)
    return (al.score, word_diff(tq, tx), changes) if changes else None


def _passage_flag(q: ClaimRecord, owner: ClaimRecord, change: PassageChange | None) -> FlagDraft | None:
    """A quote_variant flag when the passage holds the quote's words with small changes (_passage_change)."""
    if change is None:
        return None
    score, diff, changes = change
    speaker = q.speaker or "the speaker"
    shown = "; ".join(f"'{x or '—'}' vs '{y or '—'}'" for x, y in changes[:3])
    return FlagDraft(
        "quote_variant", f"quote by {speaker}", f"{speaker}: {shown}", round(score / 100, 3),
        f"{speaker}'s words quoted in {q.source} reappear with changes in {owner.source} "
        f"({len(changes)} change{'s' if len(changes) != 1 else ''}: {shown}).",
        [(q.id, "version"), (owner.id, "passage")], QuoteDetails(diff=[list(d) for d in diff]))


def _aligned(ta: list[str], tb: list[str]) -> tuple[list[str], list[str]]:
    """When one version quotes more (an extra lead-in sentence), diff only the stretch both share."""
    if abs(len(ta) - len(tb)) <= max(2, min(len(ta), len(tb)) // 10):
        return ta, tb
    short, long_ = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    s, l_ = " ".join(short), " ".join(long_)
    al = fuzz.partial_ratio_alignment(s, l_)
    if al is None:
        return ta, tb
    start = l_.rfind(" ", 0, al.dest_start) + 1
    end = l_.find(" ", al.dest_end)
    trimmed = l_[start:end if end != -1 else len(l_)].split()
    return (short, trimmed) if short is ta else (trimmed, short)


def _flag(a: ClaimRecord, b: ClaimRecord, ta: list[str], tb: list[str], score: float,
          group: list[ClaimRecord] | None = None) -> FlagDraft:
    """A quote_variant (or, for identical words, repeat) flag with its word diff, for a pair or a group."""
    group = group or [a, b]
    sources = sorted({r.source for r in group})
    names = [n for n in (a.speaker, b.speaker) if n]
    speaker = max(names, key=lambda n: len(n.split())) if names else "unattributed"
    credited = _credited(group)
    also = f" The words are credited to {' and to '.join(credited)}." if credited else ""
    extra: QuoteDetails = {"speakers": credited} if credited else {}
    if ta == tb:
        return FlagDraft("repeat", f"statement by {speaker}",
                         f"the same words {stated(len(group), len(sources))}",
                         round(score / 100, 3),
                         f"{speaker} is quoted word for word in {', '.join(sources)}.{also}",
                         [(r.id, "statement") for r in group], QuoteDetails(sources=len(sources), **extra))
    full_a, full_b = ta, tb
    ta, tb = _aligned(ta, tb)
    diff = word_diff(ta, tb)
    changes = changes_in_context(ta, tb)
    shared = _shared_middle(full_a, full_b) if not _letter_variants(ta, tb) else []
    if not changes or shared:  # one version is a part of the other, or both are parts of one statement
        short, long_, s_rec, l_rec = (full_a, full_b, a, b) if len(full_a) < len(full_b) else (full_b, full_a, b, a)
        if shared and " ".join(shared) != " ".join(short):
            part = " ".join(shared)
            summary = f"{speaker}: quoted in overlapping parts, sharing '{_clip(part)}'"
            explanation = (f"{a.source} and {b.source} quote overlapping parts of what {speaker} said; "
                           f"{len(shared)} words are the same: '{_clip(part)}'.{also}")
        else:
            part = " ".join(short)
            summary = f"{speaker}: quoted in part, '{_clip(part)}' of a longer quote"
            explanation = (f"{s_rec.source} quotes {len(short)} of the {len(long_)} words {speaker} is quoted as "
                           f"saying in {l_rec.source}: '{_clip(part)}'.{also}")
        return FlagDraft("quote_variant", f"quote by {speaker}", summary, round(score / 100, 3), explanation,
                         [(r.id, "version") for r in group],
                         QuoteDetails(diff=word_diff(short, long_), versions=len(group), partial=True, **extra))
    shown = "; ".join(f"'{x or '—'}' vs '{y or '—'}'" for x, y in changes[:3])
    summary = f"{speaker}: {shown}" + (f" (+{len(changes) - 3} more)" if len(changes) > 3 else "")
    explanation = (f"{speaker} is quoted in near-identical words in {', '.join(sources)} "
                   f"({len(changes)} change{'s' if len(changes) != 1 else ''} between {a.source} and {b.source}: "
                   f"{shown}).{also}")
    return FlagDraft("quote_variant", f"quote by {speaker}", summary, round(score / 100, 3), explanation,
                     [(r.id, "version") for r in group], QuoteDetails(diff=diff, versions=len(group), **extra))


def _letter_variants(a: list[str], b: list[str]) -> bool:
    """Whether two versions of one length differ only in words a letter apart (_letter_apart)."""
    odd = [(x, y) for x, y in zip(a, b, strict=False) if x != y]
    return len(a) == len(b) and bool(odd) and all(_letter_apart(x, y) for x, y in odd)


def _shared_middle(a: list[str], b: list[str]) -> list[str]:
    """The words two versions share when they differ only before and after one common stretch of OVERLAP_MIN
    words or more (one quotes the start of a statement, the other its end); else []."""
    ops = _opcodes(tuple(a), tuple(b))
    equal = [k for k, op in enumerate(ops) if op[0] == "equal"]
    if len(equal) != 1 or len(ops) == 1:
        return []
    _, i1, i2, _, _ = ops[equal[0]]
    return a[i1:i2] if i2 - i1 >= OVERLAP_MIN else []


def _credited(group: list[ClaimRecord]) -> list[str]:
    """The different speakers the same words are credited to, when more than one (else [])."""
    names: dict[int, str] = {}
    for r in group:
        if r.speaker_id is not None and r.speaker:
            names.setdefault(r.speaker_id, r.speaker)
    distinct = sorted(set(names.values()))
    if len(distinct) < 2:
        return []
    # names that could be one person (role vs name, a surname) are not different speakers
    if all(_could_be_one(x, y) for x, y in combinations(distinct, 2)):
        return []
    return distinct


def _could_be_one(x: str, y: str) -> bool:
    """True when two speaker names could name one person: alike, the same surname, one a bare name or title,
    or one a description in common nouns ("Texas governor", "a lawyer for Mr Grimm")."""
    if any(w[:1].islower() for w in (x + " " + y).split()):
        return True
    wx, wy = x.lower().replace(".", "").split(), y.lower().replace(".", "").split()
    if not wx or not wy or wx[-1] == wy[-1] or len(wx) == 1 or len(wy) == 1:
        return True
    return fuzz.token_set_ratio(x.lower(), y.lower(), score_cutoff=80) >= 80


def _clip(text: str, limit: int = 80) -> str:
    """Text shortened to about limit characters at a word boundary."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
