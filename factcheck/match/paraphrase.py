"""Paraphrases: the same point made in other words in two places.

Statements are the sentences that carry claims (each record's excerpt, split into sentences, once per place).
Pairs of statements from places reporting one event (Topics, alike in their own right) are first kept only
when their words could make them one point (shared uncommon words, two wordings, numbers that agree: cheap,
necessary conditions). When the optional `wordllama` package is installed (its 16 MB embedding model ships
inside the wheel and is loaded strictly offline) those pairs are embedded and the alike ones (cosine, each
statement's nearest few) proposed; the evidence then decides: content words in common beyond the folder's
everyday words and the story's own subject (rapidfuzz over them), the same numbers, a name in common, no
earlier flag linking the two. Without the package the tier is skipped and every other flag is unchanged.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from rapidfuzz import fuzz

from factcheck.match.context import STOPWORDS, Memo, Rarity, content_words, proper_nouns
from factcheck.match.events import SAME_TOPIC, Place, Topics, place_of
from factcheck.match.records import ClaimRecord, FlagDraft, place

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from tokenizers import Tokenizer

_DATA = json.loads((Path(__file__).parent / "data" / "paraphrase.json").read_text(encoding="utf-8"))
GENERIC_WORDS = frozenset(_DATA["generic_words"])  # words too general to show two statements share a point

COSINE = 0.50  # embedding similarity at or above which two statements are proposed as one point
TOP_K = 5  # proposals kept per statement (nearest first): near-linear in the number of statements
MIN_WORDS = 4  # content words (names aside) a statement needs to make a point of its own
MIN_SHARED = 3  # content words, names aside, two statements must share
MIN_SPECIFIC = 2  # ... of which this many are not among the folder's most common words
COMMON_SHARE = 0.05  # a word in more than this share of the statements is common ("report", "service")
TOPIC_SHARE = 0.15  # a word in this share of the other statements of the two places is their event's topic
SHARED_WEIGHT = 0.35  # rarity-weighted share of the shorter statement's words the other must also use
WORDING = 60  # rapidfuzz token-set ratio of the two content-word lists, at least
MIN_PHRASE = 3  # words in a run both sentences use for the explanation to quote it
SAME_WORDS = 90  # rapidfuzz ratio of the two sentences at or above which they are copies, not other words
MAX_GROUP = 4  # statements in one paraphrase flag at most (a point made in more places is listed by pairs)
MAX_PLACE_STATEMENTS = 400  # statements of one place compared (a place holding more is cut, in text order)
PLACE_KEYS = 4  # heaviest terms of a place's topic vector used to find related places in a large folder
MAX_PLACE_BLOCK = 60  # a term shared by more places than this says nothing about which are related
ALL_PLACE_PAIRS = 300  # up to this many places every pair is tried for relatedness
EMBED_CHUNK = 2048  # sentences tokenized and pooled at once (their token vectors: about 60 MB)
PAIR_CHUNK = 1 << 15  # candidate pairs whose cosine is computed at once (two 32 MB slices of vectors)
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_NUMBER_WORD = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(_DATA["number_words"], key=len, reverse=True))
                          + r")(?![\w-])", re.I)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'-]*")
_LOWER_WORD = re.compile(r"(?<![A-Za-z0-9’'-])[a-z][A-Za-z’'-]*")  # a word written in lower case
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘']?[A-Z])")


@dataclass(slots=True)
class Statement:
    """One sentence (excerpt) of one place, with the claims it carries and what decides a paraphrase."""

    text: str
    place: Place
    records: list[ClaimRecord] = field(default_factory=list)
    plain: frozenset[str] = frozenset()  # roots of the content words written in lower case: not names
    numbers: frozenset[str] | None = None  # read when the statement is first decided on
    names: set[str] | None = None  # names the sentence is about (its speakers' names aside), read likewise


class ParaphraseDetails(TypedDict):
    """A paraphrase flag's details: how alike the statements are and what they share."""

    similarity: float
    shared_words: list[str]
    shared_numbers: list[str]
    shared_names: list[str]
    sources: int
    statements: int


@dataclass(slots=True)
class Evidence:
    """Why two statements make the same point."""

    similarity: float
    overlap: float
    shared_words: list[str]
    shared_numbers: list[str]
    shared_names: list[str]
    phrases: list[str]


# --- the optional model ------------------------------------------------------------------------------------


def model_folder() -> Path | None:
    """The installed wordllama package's folder (its weights and tokenizer live there), or None."""
    try:
        spec = importlib.util.find_spec("wordllama")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent


@functools.lru_cache(maxsize=1)
def load_model() -> Any:  # a WordLlama model (the library ships no types), or None
    """The wordllama model, loaded once per process from the package folder, never downloading; or None."""
    folder = model_folder()
    if folder is None:
        return None
    try:
        from wordllama import WordLlama
        return WordLlama.load(cache_dir=folder, disable_download=True)
    except Exception:  # a broken or partial install: the tier is skipped, matching goes on
        return None


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Tokenizer:
    """A copy of the model's tokenizer without padding (sentences are pooled one by one, not as a padded batch)."""
    from tokenizers import Tokenizer
    tok = Tokenizer.from_str(load_model().tokenizer.to_str())
    tok.no_padding()
    return tok


def embed(texts: list[str]) -> npt.NDArray[np.float32]:
    """Unit vectors of the texts: the mean of their tokens' wordllama embeddings (as WordLlama.embed pools
    them), computed over the unpadded tokens chunk by chunk, so that cost follows the number of tokens."""
    import numpy as np

    table = load_model().embedding
    out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for s in range(0, len(texts), EMBED_CHUNK):
        encoded = _tokenizer().encode_batch(texts[s:s + EMBED_CHUNK], add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.int64, count=len(encoded))
        ids = np.fromiter((t for e in encoded for t in e.ids), dtype=np.int64, count=int(lengths.sum()))
        if not len(ids):
            continue
        np.clip(ids, 0, table.shape[0] - 1, out=ids)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        nonempty = lengths > 0
        out[s:s + len(encoded)][nonempty] = np.add.reduceat(table[ids], starts[nonempty], axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    unit: npt.NDArray[np.float32] = out / np.maximum(norms, 1e-12)
    return unit


def unavailable_reason() -> str | None:
    """Why the paraphrase tier cannot run here (in words for the user), or None when it can."""
    if model_folder() is None:
        return "paraphrases not looked for: the optional wordllama package is not installed " \
               "(pip install 'factcheck[semantic]')"
    if load_model() is None:
        return "paraphrases not looked for: the wordllama package is installed but its model did not load"
    return None


# --- statements --------------------------------------------------------------------------------------------


_NUMBERS_IN: dict[str, frozenset[str]] = {}


def _cached_numbers(text: str) -> frozenset[str]:
    """numbers_in(text), computed once per distinct sentence (one sentence is told in many places)."""
    got = _NUMBERS_IN.get(text)
    if got is None:
        if len(_NUMBERS_IN) > 500_000:
            _NUMBERS_IN.clear()
        got = _NUMBERS_IN[text] = numbers_in(text)
    return got


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a sentence states, as digits without separators, and number words ("two", "third")."""
    found = {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}
    found.update(w.lower() for w in _NUMBER_WORD.findall(text))
    return frozenset(found)


def root(word: str) -> str:
    """A content word's root, inflections cut ("protecting", "protected" -> "protect"; "poorly" -> "poor"),
    so that a point restated in another form of the same words is recognised."""
    for suffix in ("ing", "ed", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[:-len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def _speaker_names(r: ClaimRecord) -> set[str]:
    """The words of a claim's speaker's name, lower-cased ("dame", "glenys", "stacey")."""
    return proper_nouns(r.speaker) if r.speaker else set()


_ROOT_OF: dict[str, str | None] = {}


def _token_root(token: str) -> str | None:
    """A lower-case token's root, or None for a stop word, a generic word or a number (cached)."""
    got = _ROOT_OF.get(token, "")
    if got != "":
        return got
    found = content_words(token) - GENERIC_WORDS if token[0].isalpha() else set()
    word = found.pop() if len(found) == 1 else None
    got = root(word) if word and word not in STOPWORDS and word not in GENERIC_WORDS else None
    if len(_ROOT_OF) > 2_000_000:
        _ROOT_OF.clear()
    _ROOT_OF[token] = got
    return got


def plain_words(text: str) -> set[str]:
    """Roots of the content words written in lower case (names and capitalised openings left out)."""
    known = _ROOT_OF.get
    out: set[str] = set()
    for w in _LOWER_WORD.findall(text):
        r = known(w, "")
        if r == "":
            r = _token_root(w)
        if r is not None:
            out.add(r)
    return out


def sentences(text: str) -> list[str]:
    """The sentences of an excerpt (a quote may hold several), whitespace collapsed."""
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]


def statements(records: list[ClaimRecord]) -> list[Statement]:
    """Claim-carrying sentences, one per place and wording, each with the claims whose excerpt holds it, in
    place order; sentences too short to make a point of their own are left out."""
    by_key: dict[tuple[Place, str], Statement] = {}
    per_place: dict[Place, int] = {}
    split: dict[str, list[str]] = {}
    words_of: dict[str, frozenset[str]] = {}
    for r in sorted(records, key=place):
        where = place_of(r)
        if r.excerpt not in split:
            split[r.excerpt] = sentences(r.excerpt)
        for text in split[r.excerpt]:
            st = by_key.get((where, text))
            if st is None:
                if per_place.get(where, 0) >= MAX_PLACE_STATEMENTS:
                    continue
                words = words_of.get(text)
                if words is None:
                    words = words_of[text] = frozenset(plain_words(text))
                if len(words) < MIN_WORDS:
                    continue
                per_place[where] = per_place.get(where, 0) + 1
                st = by_key[(where, text)] = Statement(text, where, [], words)
            if not st.records or st.records[-1].id != r.id:
                st.records.append(r)
    return list(by_key.values())


def _read(st: Statement) -> Statement:
    """The statement with its numbers and names read (once)."""
    if st.names is None:
        st.numbers = _numbers_of(st)
        st.names = proper_nouns(st.text) - _speaker_names(st.records[0])
    return st


def _numbers_of(st: Statement) -> frozenset[str]:
    """The statement's numbers (read once)."""
    if st.numbers is None:
        st.numbers = _cached_numbers(st.text)
    return st.numbers


# --- proposals ---------------------------------------------------------------------------------------------


def _place_order(p: Place) -> tuple[int, int]:
    """A sort key for places (a source without sections has section None)."""
    return p[0], -1 if p[1] is None else p[1]


def related_place_pairs(places: list[Place], topics: Topics) -> list[tuple[Place, Place]]:
    """Pairs of different places that report one event, alike in their own right (a place's nearest
    neighbour in a small folder is not enough: a point made again about another event is no paraphrase);
    every pair tried in a small folder, else pairs sharing one of their heaviest topic terms (blocked)."""
    pairs: Iterable[tuple[Place, Place]]
    if len(places) <= ALL_PLACE_PAIRS:
        pairs = combinations(places, 2)
    else:
        pairs = _blocked_place_pairs(places, topics)
    return [(a, b) for a, b in pairs if topics.related(a, b) and topics.similarity(a, b) >= SAME_TOPIC]


def _blocked_place_pairs(places: list[Place], topics: Topics) -> list[tuple[Place, Place]]:
    """Place pairs sharing a heavy topic term held by at most MAX_PLACE_BLOCK places."""
    index: dict[str, list[Place]] = {}
    for p in places:
        vector = topics.vectors.get(p, {})
        if len(vector) > PLACE_KEYS:  # only terms at least as heavy as the PLACE_KEYS-th heaviest can be among them
            cut = sorted(vector.values(), reverse=True)[PLACE_KEYS - 1]
            top = [(-v, t) for t, v in vector.items() if v >= cut]
        else:
            top = [(-v, t) for t, v in vector.items()]
        for _, term in sorted(top)[:PLACE_KEYS]:  # heaviest first, ties by term
            index.setdefault(term, []).append(p)
    seen: set[tuple[Place, Place]] = set()
    for members in index.values():
        if 2 <= len(members) <= MAX_PLACE_BLOCK:
            for a, b in combinations(members, 2):
                seen.add((a, b))
    return sorted(seen, key=lambda ab: (_place_order(ab[0]), _place_order(ab[1])))


def worded_pairs(stmts: list[Statement], pairs: list[tuple[Place, Place]], rarity: Rarity) -> list[tuple[int, int]]:
    """Statement pairs of related places that could be paraphrases by their words alone: MIN_SPECIFIC
    uncommon words and MIN_SHARED words in common, not the same sentence, no number in disagreement. These
    are necessary for a paraphrase, cheap to check, and spare embedding sentences that could never be one."""
    rows: dict[Place, list[int]] = {}
    for i, st in enumerate(stmts):
        rows.setdefault(st.place, []).append(i)
    limit = common_limit(rarity)
    df = rarity.df
    # statements of one wording share their words' frozenset: its uncommon words are picked once
    specific_of: Memo[frozenset[str], frozenset[str]] = Memo(
        lambda plain: frozenset(w for w in plain if df.get(w, 0) <= limit))
    specific = [specific_of[st.plain] for st in stmts]
    del specific_of
    partners: dict[Place, list[Place]] = {}  # each place's index is built once, for all the places paired with it
    for pa, pb in pairs:
        partners.setdefault(pb, []).append(pa)
    out: set[tuple[int, int]] = set()
    for pb, pas in partners.items():
        index: dict[str, list[int]] = {}
        for j in rows.get(pb, ()):
            for w in specific[j]:
                index.setdefault(w, []).append(j)
        if not index:
            continue
        for pa in pas:
            for i in rows.get(pa, ()):
                hits: dict[int, int] = {}
                for w in specific[i]:
                    for j in index.get(w, ()):
                        hits[j] = hits.get(j, 0) + 1
                for j, n in hits.items():
                    if n >= MIN_SPECIFIC and _may_be_one_point(stmts[i], stmts[j]):
                        out.add((i, j) if i < j else (j, i))
    return sorted(out)


def _may_be_one_point(a: Statement, b: Statement) -> bool:
    """The cheap necessary conditions: enough words in common, two wordings, numbers that agree."""
    return (len(a.plain & b.plain) >= MIN_SHARED and a.text != b.text
            and _numbers_agree(_numbers_of(a), _numbers_of(b)))


def common_limit(rarity: Rarity) -> float:
    """How many statements may use a word before it is an everyday word of the folder ("report", "service");
    in a small folder, no fewer than every place making one point."""
    return max(MAX_GROUP + 1.0, COMMON_SHARE * rarity.n)


def propose(candidates: list[tuple[int, int]], vectors: npt.NDArray[np.float32],
            row_of: dict[int, int]) -> list[tuple[int, int, float]]:
    """The candidate pairs whose embeddings are alike (cosine >= COSINE), each statement's TOP_K nearest only;
    vectors are unit rows (row_of maps a statement to its row), compared in chunks."""
    import numpy as np

    best: dict[int, list[tuple[float, int]]] = {}
    for s in range(0, len(candidates), PAIR_CHUNK):
        chunk = candidates[s:s + PAIR_CHUNK]
        left = vectors[[row_of[i] for i, _ in chunk]]
        right = vectors[[row_of[j] for _, j in chunk]]
        sims = np.einsum("ij,ij->i", left, right)
        for (i, j), score in zip(chunk, sims.tolist(), strict=False):
            if score >= COSINE:
                best.setdefault(i, []).append((score, j))
                best.setdefault(j, []).append((score, i))
    found: dict[tuple[int, int], float] = {}
    for i, near in best.items():
        for score, j in sorted(near, key=lambda sj: (-sj[0], sj[1]))[:TOP_K]:
            found[(min(i, j), max(i, j))] = score
    return sorted(((i, j, s) for (i, j), s in found.items()), key=lambda t: (t[0], t[1]))


# --- decision ----------------------------------------------------------------------------------------------


class PlaceWords:
    """How many statements of each place use each word: a word most of two reports use is their topic."""

    def __init__(self, stmts: list[Statement]) -> None:
        """Count words per place."""
        self.counts: dict[Place, Counter[str]] = defaultdict(Counter)
        self.sizes: Counter[Place] = Counter()
        for st in stmts:
            self.counts[st.place].update(st.plain)
            self.sizes[st.place] += 1

    def topic(self, word: str, a: Place, b: Place) -> bool:
        """True when, besides the two statements compared, TOPIC_SHARE of the two places' statements use word
        (the story's subject, "subpoenas", "marriage": shared by its different points)."""
        others = self.counts[a][word] + self.counts[b][word] - 2
        return others >= max(1.0, TOPIC_SHARE * (self.sizes[a] + self.sizes[b]))


def decide(a: Statement, b: Statement, similarity: float, rarity: Rarity,
           topics_of: PlaceWords | None = None) -> Evidence | None:
    """The evidence that two proposed statements make one point in other words, or None: enough specific
    words in common, worded differently, no number in one that the other contradicts."""
    a, b = _read(a), _read(b)
    numbers_a, numbers_b, names_a, names_b = a.numbers, b.numbers, a.names, b.names
    assert numbers_a is not None and numbers_b is not None and names_a is not None and names_b is not None  # read
    if fuzz.ratio(a.text.lower(), b.text.lower()) >= SAME_WORDS:
        return None  # the same words: a repeat or a copy, flagged as such elsewhere
    if not _numbers_agree(numbers_a, numbers_b):
        return None  # a different number for the same thing: a conflict or two facts, never a paraphrase
    plain = a.plain & b.plain
    if len(plain) < MIN_SHARED:
        return None  # names alone (a speaker, a place) do not make two sentences one point
    common = common_limit(rarity)
    specific = [w for w in plain if rarity.df.get(w, 0) <= common
                and (topics_of is None or not topics_of.topic(w, a.place, b.place))]
    if len(specific) < MIN_SPECIFIC:
        return None  # only everyday words or the story's own subject in common: the same topic, not one point
    if not names_a & names_b:
        return None  # no name in common (speakers aside): more often two points of one story than one point
    overlap = containment(a.plain, b.plain, rarity)
    if overlap < SHARED_WEIGHT:
        return None
    wording = fuzz.token_set_ratio(" ".join(sorted(a.plain)), " ".join(sorted(b.plain)))
    if wording < WORDING:
        return None
    return Evidence(round(similarity, 3), round(overlap, 3), rarity.rarest(plain)[:6],
                    sorted(numbers_a & numbers_b), sorted(names_a & names_b), shared_phrases(a.text, b.text))


def containment(a: AbstractSet[str], b: AbstractSet[str], rarity: Rarity) -> float:
    """The rarity-weighted share of the shorter statement's words that the other also uses (0..1)."""
    weight = rarity.weight
    smaller = min(sum(map(weight, a)), sum(map(weight, b)))
    return sum(map(weight, a & b)) / smaller if smaller else 0.0


def _numbers_agree(na: frozenset[str], nb: frozenset[str]) -> bool:
    """True unless both state numbers and neither's numbers are all in the other's."""
    return not na or not nb or na <= nb or nb <= na


def shared_phrases(a: str, b: str, limit: int = 3) -> list[str]:
    """Runs of MIN_PHRASE or more words both sentences use, holding a content word, longest first (as in a)."""
    wa, wb = _WORD.findall(a), _WORD.findall(b)
    la, lb = [w.lower().replace("’", "'") for w in wa], [w.lower().replace("’", "'") for w in wb]
    runs = []
    for m in difflib.SequenceMatcher(a=la, b=lb, autojunk=False).get_matching_blocks():
        phrase = wa[m.a:m.a + m.size]
        if m.size >= MIN_PHRASE and content_words(" ".join(phrase)) - GENERIC_WORDS:
            runs.append((m.size, m.a, " ".join(phrase)))
    return [p for _, _, p in sorted(runs, key=lambda r: (-r[0], r[1]))[:limit]]


# --- flags -------------------------------------------------------------------------------------------------


def match_paraphrases(records: list[ClaimRecord], topics: Topics, earlier: list[FlagDraft]) -> list[FlagDraft]:
    """Paraphrase flags: statements of related places making one point in other words, not already linked
    by an earlier flag. Nothing when the optional model is not installed."""
    model = load_model()
    if model is None:
        return []
    try:
        return _match_paraphrases(records, topics, earlier)
    finally:
        _NUMBERS_IN.clear()  # the sentences' numbers are read once per run, not kept after it


def _match_paraphrases(records: list[ClaimRecord], topics: Topics, earlier: list[FlagDraft]) -> list[FlagDraft]:
    """match_paraphrases once the model is known to be there."""
    stmts = statements(records)
    if len(stmts) < 2:
        return []
    rarity = Rarity([st.plain for st in stmts])
    pairs = related_place_pairs(sorted({st.place for st in stmts}, key=_place_order), topics)
    linked = _linked_claims(earlier)
    candidates = [(i, j) for i, j in worded_pairs(stmts, pairs, rarity)
                  if not _already_linked(stmts[i], stmts[j], linked)]
    if not candidates:
        return []
    # one sentence told in many places is embedded once: a row per distinct text, each statement mapped to it
    rows: dict[str, int] = {}
    row_of = {i: rows.setdefault(stmts[i].text, len(rows)) for i in sorted({i for pair in candidates for i in pair})}
    vectors = embed(list(rows))
    del rows
    links: list[tuple[int, int, Evidence]] = []
    place_words = PlaceWords(stmts)
    for i, j, similarity in propose(candidates, vectors, row_of):
        evidence = decide(stmts[i], stmts[j], similarity, rarity, place_words)
        if evidence is not None:
            links.append((i, j, evidence))
    groups = capped_groups(links, [st.place for st in stmts])
    return [_flag([stmts[m] for m in group], evidence) for group, evidence in groups]


def _linked_claims(flags: list[FlagDraft]) -> dict[int, set[int]]:
    """Each claim id's earlier flags (by index)."""
    out: dict[int, set[int]] = {}
    for k, f in enumerate(flags):
        for cid, _ in f.members:
            out.setdefault(cid, set()).add(k)
    return out


def _already_linked(a: Statement, b: Statement, linked: dict[int, set[int]]) -> bool:
    """True when an earlier flag holds a claim of each statement (a repeat, a quote variant, a conflict)."""
    flags_a = set().union(*(linked.get(r.id, set()) for r in a.records))
    return bool(flags_a) and any(linked.get(r.id, set()) & flags_a for r in b.records)


def capped_groups(links: list[tuple[int, int, Evidence]], places: list[Place]) -> list[tuple[list[int], Evidence]]:
    """Links grouped strongest first; a statement joins a group only when linked to every member (one weak
    link does not chain two points together), from a place the group does not hold yet (a report makes its
    point once; its other sentences are other points), while the group has fewer than MAX_GROUP statements;
    each group with its strongest link's evidence."""
    linked = {(i, j) for i, j, _ in links} | {(j, i) for i, j, _ in links}
    group_of: dict[int, int] = {}
    groups: dict[int, list[int]] = {}
    best: dict[int, Evidence] = {}
    for i, j, ev in sorted(links, key=lambda t: (-(t[2].similarity + t[2].overlap), t[0], t[1])):
        gi, gj = group_of.get(i), group_of.get(j)
        if gi is not None and gj is not None:
            continue  # both already placed: two groups are never merged
        if gi is None and gj is None:
            groups[i], best[i] = [i, j], ev
            group_of[i] = group_of[j] = i
            continue
        root, new = (gi, j) if gi is not None else (gj, i)
        assert root is not None  # one of the two is placed (checked above)
        members = groups[root]
        if len(members) < MAX_GROUP and all((new, m) in linked and places[new] != places[m] for m in members):
            members.append(new)
            group_of[new] = root
    return [(sorted(members), best[root]) for root, members in sorted(groups.items(), key=lambda kv: sorted(kv[1]))]


def _clip(text: str, limit: int = 90) -> str:
    """Text shortened to about limit characters at a word boundary."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def surface_words(text: str, keys: list[str], key: Callable[[str], str]) -> list[str]:
    """The words of text as written whose key (a root, a lower-cased name) is among keys, in keys' order."""
    written: dict[str, str] = {}
    for w in _WORD.findall(text):
        k = key(w)
        if k in keys and k not in written:
            written[k] = w.strip("’'")
    return [written[k] for k in keys if k in written]


def _word_key(word: str) -> str:
    """A written word's root, as decide compares words ("" for a stop word)."""
    found = content_words(word)
    return root(next(iter(found))) if found else ""


def _name_key(word: str) -> str:
    """A written name's key, as proper_nouns gives it."""
    low = word.lower()
    return low[:-2] if low.endswith(("'s", "’s")) else low


def _restated(a: Statement, b: Statement) -> bool:
    """True when the shorter sentence is found nearly word for word inside the longer one."""
    short, long_ = sorted((a.text.lower(), b.text.lower()), key=len)
    return fuzz.partial_ratio(short, long_) >= 95


def _flag(group: list[Statement], ev: Evidence) -> FlagDraft:
    """One paraphrase flag: the statements, what they share in words, and how alike they are."""
    group = sorted(group, key=lambda st: place(st.records[0]))
    first = group[0]
    sources = sorted({st.records[0].source for st in group})
    where = " and ".join(sources) if len(sources) > 1 else f"{len(group)} sections of {sources[0]}"
    quoted = " / ".join(f"{st.records[0].source}: '{_clip(st.text)}'" for st in group)
    words = surface_words(first.text, ev.shared_words, _word_key)
    names = surface_words(first.text, ev.shared_names, _name_key)
    each = "both" if len(group) == 2 else "all"
    if ev.phrases:
        common = f"{each} say " + ", ".join(f"'{_clip(p, 70)}'" for p in ev.phrases)
    else:
        common = f"{each} speak of " + ", ".join(words[:5])
    also = [f"give {', '.join(ev.shared_numbers)}" if ev.shared_numbers else "",
            f"name {', '.join(names[:4])}" if names else ""]
    also_text = " and ".join(x for x in also if x)
    how = ("made again, nearly word for word inside a longer sentence," if len(group) == 2 and _restated(*group)
           else "made in other words")
    explanation = (f"The same point is {how} in {where} ({quoted}); {common}"
                   + (f"; {each} {also_text}" if also_text else "") + ".")
    subject = ", ".join(_clip(p, 60) for p in ev.phrases[:2]) if ev.phrases else ", ".join(words[:3])
    members = [(r.id, "statement") for st in group for r in sorted(st.records, key=place)]
    details: ParaphraseDetails = {"similarity": ev.similarity, "shared_words": words,
                                  "shared_numbers": ev.shared_numbers, "shared_names": names,
                                  "sources": len(sources), "statements": len(group)}
    return FlagDraft("paraphrase", subject, f"the same point in other words in {where}",
                     round((ev.similarity + ev.overlap) / 2, 3), explanation, members, details)
