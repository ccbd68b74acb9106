"""People and organisations named in a document, and resolving later mentions back to them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from factcheck.extract.lexicon import alternation, load, words
from factcheck.extract.wordtrie import trie_pattern

TITLE_WORDS = words("people", "titles")
TITLES = trie_pattern(TITLE_WORDS)  # a regex alternation of the titles
FEMALE_TITLES = words("people", "female_titles")
MALE_TITLES = words("people", "male_titles")
ORG_WORDS = words("organisations", "org_words") | words("organisations", "document_words")
ROLE_WORDS = words("roles", "role_words")
FEMALE_NAMES = words("people", "female_names")
MALE_NAMES = words("people", "male_names")

_CAP = r"(?:[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)*|[A-Z]{2,6}s?|Mc[A-Z][a-z]+|O['’][A-Z][a-z]+)"
_PARTICLE = r"(?:de|del|della|van|von|der|den|da|di|du|le|la|bin|al|ibn)"
PERSON_RE = re.compile(
    rf"\b(?:(?P<title>{TITLES})\.?\s+)?(?P<name>{_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP}){{0,3}})"
)
_CAP_RUN = re.compile(rf"{_CAP}(?:\s+(?:of|for|and|the|&|on|in)?\s*{_CAP})*")
PRONOUNS: dict[str, str] = load("people")["pronouns"]
_NOT_NAMES = words("words", "not_names")


@dataclass
class EntityRecord:
    """One person or organisation within a document, with every way it was written."""

    key: int
    kind: str  # "person" | "org"
    name: str  # canonical (fullest) form
    role: str | None = None
    gender: str | None = None  # "f" | "m" | None
    aliases: set[str] = field(default_factory=set)
    last_seen: int = -1


def gender_of(title: str | None, first: str | None) -> str | None:
    """Grammatical gender from a title or a common first name, if either tells."""
    t = (title or "").lower().rstrip(".")
    if t in FEMALE_TITLES:
        return "f"
    if t in MALE_TITLES:
        return "m"
    f = (first or "").lower()
    if f in FEMALE_NAMES:
        return "f"
    if f in MALE_NAMES:
        return "m"
    return None


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def clean_phrase(s: str) -> str:
    """Single-spaced phrase without surrounding punctuation or a leading article."""
    s = " ".join(s.split()).strip(" ,.;:()\"'“”‘’")
    return _ARTICLE.sub("", s) if s[:1] in "TtAa" else s


def is_org_name(name: str) -> bool:
    """Whether a capitalised name reads as an organisation (keyword or acronym)."""
    toks = [t.lower().strip("’'s") for t in name.split()]
    if any(t in ORG_WORDS for t in toks):
        return True
    return any(re.fullmatch(r"[A-Z]{2,6}s?", t) and t.lower().rstrip("s") not in ROLE_WORDS for t in name.split())


class Entities:
    """The entity register of one document: adds names, resolves mentions, tracks who was last named."""

    def __init__(self) -> None:
        """Start empty."""
        self.records: list[EntityRecord] = []
        self._by_alias: dict[str, EntityRecord] = {}

    def _index(self, rec: EntityRecord, alias: str) -> None:
        """Remember an alias (case-insensitive) for a record."""
        alias = clean_phrase(alias)
        if not alias:
            return
        rec.aliases.add(alias)
        self._by_alias.setdefault(alias.lower(), rec)

    def add_person(self, name: str, title: str | None = None, role: str | None = None, pos: int = 0) -> EntityRecord:
        """Register a person (merging with an earlier mention of the same person)."""
        name = clean_phrase(name)
        full = f"{title} {name}" if title else name
        rec = self.lookup(full) or self.lookup(name) or self._surname_match(name, title)
        parts = name.split()
        if rec is None:
            rec = EntityRecord(len(self.records), "person", full, gender=gender_of(title, parts[0] if parts else None))
            self.records.append(rec)
        elif len(full.split()) > len(rec.name.split()):
            rec.name = full  # keep the fullest form as canonical
        rec.gender = rec.gender or gender_of(title, parts[0] if len(parts) > 1 else None)
        for alias in {full, name}:
            self._index(rec, alias)
        if len(parts) >= 2:
            self._index(rec, parts[-1])  # "Stacey"
            if title:
                self._index(rec, f"{title} {parts[0]}")  # "Dame Glenys"
                self._index(rec, f"{title} {parts[-1]}")  # "Dr Nair"
        if role:
            self.set_role(rec, role)
        rec.last_seen = max(rec.last_seen, pos)
        return rec

    def add_org(self, name: str, pos: int = 0) -> EntityRecord:
        """Register an organisation."""
        name = clean_phrase(name)
        rec = self.lookup(name)
        if rec is None:
            rec = EntityRecord(len(self.records), "org", name)
            self.records.append(rec)
        self._index(rec, name)
        rec.last_seen = max(rec.last_seen, pos)
        return rec

    def add_role(self, role: str, pos: int = 0) -> EntityRecord:
        """An unnamed speaker known only by role ("the Inspector"), unless a named person holds that role."""
        role = clean_phrase(role)
        rec = self.by_role(role)
        if rec is None:
            rec = EntityRecord(len(self.records), "person", role[:1].upper() + role[1:], role=role)
            self.records.append(rec)
            self._index(rec, role)
        rec.last_seen = max(rec.last_seen, pos)
        return rec

    def set_role(self, rec: EntityRecord, role: str) -> None:
        """Attach a role to a person; role phrases become aliases ("HM Chief Inspector of Probation")."""
        role = clean_phrase(role)
        if not role or len(role.split()) > 10:
            return
        rec.role = rec.role or role
        self._index(rec, role)
        # a role-only entity created earlier ("the Inspector") merges into the named holder
        for other in list(self.records):
            if other is not rec and other.role and other.name == other.role[:1].upper() + other.role[1:] \
                    and _role_matches(other.role, role):
                rec.aliases |= other.aliases
                for a in other.aliases:
                    self._by_alias[a.lower()] = rec
                other.name = rec.name
                other.kind = "merged"

    def _surname_match(self, name: str, title: str | None) -> EntityRecord | None:
        """An earlier person whose surname or first name equals this one-word mention."""
        if len(name.split()) != 1:
            return None
        for rec in reversed(self.records):
            if rec.kind == "person" and name.lower() in {a.lower() for a in rec.aliases}:
                return rec
        return None

    def lookup(self, mention: str) -> EntityRecord | None:
        """The entity a mention names exactly (case-insensitive alias match)."""
        rec = self._by_alias.get(clean_phrase(mention).lower())
        return rec

    def by_role(self, role: str) -> EntityRecord | None:
        """The most recent entity whose role matches ("the chief inspector" ~ "HM Chief Inspector of Probation")."""
        best = None
        for rec in self.records:
            if rec.kind != "merged" and rec.role and _role_matches(role, rec.role):
                if best is None or rec.last_seen > best.last_seen:
                    best = rec
        return best

    def last(self, kind: str = "person", gender: str | None = None, before: int | None = None) -> EntityRecord | None:
        """The most recently mentioned entity of a kind (and compatible gender), for pronouns."""
        cands = [r for r in self.records if r.kind == kind and (before is None or r.last_seen <= before)]
        if gender in ("f", "m"):
            matching = [r for r in cands if r.gender in (gender, None)]
            cands = matching or cands
        return max(cands, key=lambda r: r.last_seen, default=None)

    def touch(self, rec: EntityRecord, pos: int) -> None:
        """Mark an entity as mentioned at pos."""
        rec.last_seen = max(rec.last_seen, pos)

    def canonical(self, rec: EntityRecord) -> EntityRecord:
        """Follow merges to the entity that stands for rec."""
        if rec.kind == "merged":
            found = self.lookup(rec.name)
            if found is not None and found is not rec:
                return found
        return rec


_ROLE_CORE = re.compile(rf"\b({alternation(load('roles')['role_cores'])})\b", re.I)


@lru_cache(maxsize=4096)
def _role_cores(phrase: str) -> frozenset[str]:
    """The office words a role phrase holds ("HM Chief Inspector of Probation" -> {"chief inspector"})."""
    return frozenset(m.group(1).lower().replace("  ", " ") for m in _ROLE_CORE.finditer(phrase))


@lru_cache(maxsize=16384)
def _role_matches(a: str, b: str) -> bool:
    """Whether two role phrases name the same office ("the Inspector" ~ "HM Chief Inspector of Probation")."""
    ca, cb = _role_cores(a), _role_cores(b)
    if not ca or not cb:
        return clean_phrase(a).lower() == clean_phrase(b).lower()
    short = {c.split()[-1] for c in ca} & {c.split()[-1] for c in cb}
    return bool(ca & cb) or bool(short and (ca <= {"inspector"} or cb <= {"inspector"}))


def looks_like_name(s: str) -> bool:
    """Whether s is a plausible proper name (capitalised, not a function word)."""
    first = s.split()[0].lower() if s.split() else ""
    return bool(s) and s[0].isupper() and first not in _NOT_NAMES
