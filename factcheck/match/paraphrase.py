"""Paraphrases: the same point made in other words in two places.

Statements are the sentences that carry claims (each record's excerpt, once per place). When the optional
`wordllama` package is installed (its 16 MB embedding model ships inside the wheel and is loaded strictly
offline), statements of related places (Topics) are embedded and pairs whose cosine similarity is high are
proposed; the evidence then decides: shared content words (rapidfuzz over them), the same numbers (a different
number is a conflict's business, not a paraphrase), shared names, and no flag already linking the two. Without
the package the tier is skipped and every other flag is unchanged.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import json
import re
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz

from factcheck.match.context import Rarity, content_words, proper_nouns
from factcheck.match.events import SAME_TOPIC, Place, Topics, place_of
from factcheck.match.records import ClaimRecord, FlagDraft, place

_DATA = json.loads((Path(__file__).parent / "data" / "paraphrase.json").read_text(encoding="utf-8"))
GENERIC_WORDS = frozenset(_DATA["generic_words"])  # words too general to show two statements share a point

COSINE = 0.40  # embedding similarity at or above which two statements are proposed as one point
TOP_K = 5  # proposals kept per statement (nearest first): near-linear in the number of statements
MIN_WORDS = 4  # content words a statement needs to make a point of its own
MIN_SHARED = 3  # content words, names aside, two statements must share
MIN_SPECIFIC = 2  # ... of which this many are not among the folder's most common words
COMMON_SHARE = 0.05  # a word in more than this share of the statements is common ("report", "service")
SHARED_WEIGHT = 0.35  # rarity-weighted share of the shorter statement's words the other must also use
WORDING = 60  # rapidfuzz token-set ratio of the two content-word lists, at least
MIN_PHRASE = 3  # words in a run both sentences use for the explanation to quote it
SAME_WORDS = 90  # rapidfuzz ratio of the two sentences at or above which they are copies, not other words
MAX_GROUP = 4  # statements in one paraphrase flag at most (a point made in more places is listed by pairs)
MAX_PLACE_STATEMENTS = 400  # statements of one place compared (a place holding more is cut, in text order)
PLACE_KEYS = 6  # heaviest terms of a place's topic vector used to find related places in a large folder
MAX_PLACE_BLOCK = 60  # a term shared by more places than this says nothing about which are related
ALL_PLACE_PAIRS = 300  # up to this many places every pair is tried for relatedness
BLOCK_CELLS = 1 << 22  # similarity cells computed at once (4 M floats: 16 MB)
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_NUMBER_WORDS = frozenset(_DATA["number_words"])
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'-]*")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘']?[A-Z])")


@dataclass(slots=True)
class Statement:
    """One sentence (excerpt) of one place, with the claims it carries and what decides a paraphrase."""

    text: str
    place: Place
    records: list[ClaimRecord] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    plain: set[str] = field(default_factory=set)  # content words written in lower case: not names
    numbers: frozenset[str] = frozenset()
    names: set[str] = field(default_factory=set)  # names the sentence is about (its speakers' names aside)


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
def load_model():
    """The wordllama model, loaded once per process from the package folder, never downloading; or None."""
    folder = model_folder()
    if folder is None:
        return None
    try:
        from wordllama import WordLlama
        return WordLlama.load(cache_dir=folder, disable_download=True)
    except Exception:  # a broken or partial install: the tier is skipped, matching goes on
        return None


def unavailable_reason() -> str | None:
    """Why the paraphrase tier cannot run here (in words for the user), or None when it can."""
    if model_folder() is None:
        return "paraphrases not looked for: the optional wordllama package is not installed " \
               "(pip install 'factcheck[semantic]')"
    if load_model() is None:
        return "paraphrases not looked for: the wordllama package is installed but its model did not load"
    return None


# --- statements --------------------------------------------------------------------------------------------


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a sentence states, as digits without separators, and number words ("two", "third")."""
    found = {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}
    found |= {w.lower() for w in _WORD.findall(text) if w.lower() in _NUMBER_WORDS}
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


def plain_words(text: str) -> set[str]:
    """Roots of the content words written in lower case (names and capitalised openings left out)."""
    lower = " ".join(w for w in _WORD.findall(text) if not w[0].isupper())
    return {root(w) for w in content_words(lower) - GENERIC_WORDS}


def sentences(text: str) -> list[str]:
    """The sentences of an excerpt (a quote may hold several), whitespace collapsed."""
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]


def statements(records: list[ClaimRecord]) -> list[Statement]:
    """Claim-carrying sentences, one per place and wording, each with the claims whose excerpt holds it, in
    place order; sentences too short to make a point of their own are left out."""
    by_key: dict[tuple[Place, str], Statement] = {}
    per_place: dict[Place, int] = {}
    split: dict[str, list[str]] = {}
    for r in sorted(records, key=place):
        where = place_of(r)
        if r.excerpt not in split:
            split[r.excerpt] = sentences(r.excerpt)
        for text in split[r.excerpt]:
            st = by_key.get((where, text))
            if st is None:
                if per_place.get(where, 0) >= MAX_PLACE_STATEMENTS:
                    continue
                words = content_words(text) - GENERIC_WORDS
                if len(words) < MIN_WORDS:
                    continue
                per_place[where] = per_place.get(where, 0) + 1
                st = by_key[(where, text)] = Statement(text, where, [], words, plain_words(text), numbers_in(text),
                                                       proper_nouns(text) - _speaker_names(r))
            if not st.records or st.records[-1].id != r.id:
                st.records.append(r)
    return list(by_key.values())


# --- proposals ---------------------------------------------------------------------------------------------


def related_place_pairs(places: list[Place], topics: Topics) -> list[tuple[Place, Place]]:
    """Pairs of different places that report one event, alike in their own right (a place's nearest
    neighbour in a small folder is not enough: a point made again about another event is no paraphrase);
    every pair tried in a small folder, else pairs sharing one of their heaviest topic terms (blocked)."""
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
        for term in sorted(vector, key=lambda t: (-vector[t], t))[:PLACE_KEYS]:
            index.setdefault(term, []).append(p)
    seen: set[tuple[Place, Place]] = set()
    for members in index.values():
        if 2 <= len(members) <= MAX_PLACE_BLOCK:
            for a, b in combinations(members, 2):
                seen.add((a, b))
    return sorted(seen, key=lambda ab: (ab[0][0], ab[0][1] or -1, ab[1][0], ab[1][1] or -1))


def propose(stmts: list[Statement], vectors, topics: Topics) -> list[tuple[int, int, float]]:
    """Statement pairs of related places whose embeddings are alike (cosine >= COSINE), each statement's
    TOP_K nearest only; vectors are unit rows, compared by matrix products place pair by place pair."""
    import numpy as np

    rows: dict[Place, list[int]] = {}
    for i, st in enumerate(stmts):
        rows.setdefault(st.place, []).append(i)
    best: dict[int, list[tuple[float, int]]] = {}
    for pa, pb in related_place_pairs(list(rows), topics):
        ia, ib = np.array(rows[pa]), np.array(rows[pb])
        step = max(1, BLOCK_CELLS // len(ib))
        for s in range(0, len(ia), step):
            block = ia[s:s + step]
            sims = vectors[block] @ vectors[ib].T
            for x, y in zip(*np.nonzero(sims >= COSINE)):
                i, j, score = int(block[x]), int(ib[y]), float(sims[x, y])
                best.setdefault(i, []).append((score, j))
                best.setdefault(j, []).append((score, i))
    pairs: dict[tuple[int, int], float] = {}
    for i, near in best.items():
        for score, j in sorted(near, key=lambda sj: (-sj[0], sj[1]))[:TOP_K]:
            pairs[(min(i, j), max(i, j))] = score
    return sorted(((i, j, s) for (i, j), s in pairs.items()), key=lambda t: (t[0], t[1]))


# --- decision ----------------------------------------------------------------------------------------------


def decide(a: Statement, b: Statement, similarity: float, rarity: Rarity) -> Evidence | None:
    """The evidence that two proposed statements make one point in other words, or None: enough specific
    words in common, worded differently, no number in one that the other contradicts."""
    if fuzz.ratio(a.text.lower(), b.text.lower()) >= SAME_WORDS:
        return None  # the same words: a repeat or a copy, flagged as such elsewhere
    if not _numbers_agree(a.numbers, b.numbers):
        return None  # a different number for the same thing: a conflict or two facts, never a paraphrase
    plain = a.plain & b.plain
    if len(plain) < MIN_SHARED:
        return None  # names alone (a speaker, a place) do not make two sentences one point
    common = max(2.0, COMMON_SHARE * rarity.n)
    if sum(1 for w in plain if rarity.df.get(w, 0) <= common) < MIN_SPECIFIC:
        return None  # only the folder's everyday words in common: the same topic, not the same point
    if a.names and b.names and not a.names & b.names:
        return None  # about differently named subjects
    overlap = containment(a.plain, b.plain, rarity)
    if overlap < SHARED_WEIGHT:
        return None
    wording = fuzz.token_set_ratio(" ".join(sorted(a.plain)), " ".join(sorted(b.plain)))
    if wording < WORDING:
        return None
    return Evidence(round(similarity, 3), round(overlap, 3), rarity.rarest(plain)[:6],
                    sorted(a.numbers & b.numbers), sorted(a.names & b.names), shared_phrases(a.text, b.text))


def containment(a: set[str], b: set[str], rarity: Rarity) -> float:
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
    stmts = statements(records)
    if len(stmts) < 2:
        return []
    vectors = model.embed([st.text for st in stmts], norm=True)
    rarity = Rarity([st.plain for st in stmts])
    linked = _linked_claims(earlier)
    links: list[tuple[int, int, Evidence]] = []
    for i, j, similarity in propose(stmts, vectors, topics):
        if _already_linked(stmts[i], stmts[j], linked):
            continue
        evidence = decide(stmts[i], stmts[j], similarity, rarity)
        if evidence is not None:
            links.append((i, j, evidence))
    return [_flag([stmts[m] for m in group], evidence) for group, evidence in capped_groups(links, [st.place for st in stmts])]


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
    """Links grouped strongest first; a statement joins a group only when linked to every member of another
    place (one weak link does not chain two points together; two sentences of one place are never compared)
    and while the group has fewer than MAX_GROUP statements; each group with its strongest link's evidence."""
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
        members = groups[root]
        if len(members) < MAX_GROUP and all((new, m) in linked or places[new] == places[m] for m in members):
            members.append(new)
            group_of[new] = root
    return [(sorted(members), best[root]) for root, members in sorted(groups.items(), key=lambda kv: sorted(kv[1]))]


def _clip(text: str, limit: int = 90) -> str:
    """Text shortened to about limit characters at a word boundary."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def surface_words(text: str, keys: list[str], key) -> list[str]:
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
    return FlagDraft("paraphrase", subject, f"the same point in other words in {where}",
                     round((ev.similarity + ev.overlap) / 2, 3), explanation, members,
                     {"similarity": ev.similarity, "shared_words": words, "shared_numbers": ev.shared_numbers,
                      "shared_names": names, "sources": len(sources), "statements": len(group)})
