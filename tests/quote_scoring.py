"""Scoring of quote extraction against hand-annotated passages (used by tests and bench/quotes.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "quotes_annotated.json"


@dataclass
class Score:
    """Counts behind quote F1 and speaker accuracy."""

    gold: int = 0
    found: int = 0
    matched: int = 0
    speaker_total: int = 0
    speaker_right: int = 0
    reported_gold: int = 0
    reported_found: int = 0
    reported_speaker_right: int = 0
    turns_gold: int = 0
    turns_right: int = 0
    false_quotes: int = 0
    misses: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Matched predicted quotes over predicted quotes."""
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        """Matched gold quotes over gold quotes."""
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        """Share of matched quotes with a named speaker whose speaker is right."""
        return self.speaker_right / self.speaker_total if self.speaker_total else 0.0


def load_passages() -> list[dict]:
    """The annotated passages."""
    return json.loads(DATA.read_text(encoding="utf-8"))["passages"]


def gold_spans(text: str, quote: dict) -> list[tuple[int, int]]:
    """(start, end) of a gold quote in text (first part to last part for broken quotes); a quote running
    over several paragraphs counts once per paragraph, as factcheck and the seeds' gold both split it."""
    parts = quote.get("parts") or [quote["text"]]
    start = text.index(parts[0])
    end = text.index(parts[-1], start) + len(parts[-1])
    if not quote.get("multi_paragraph"):
        return [(start, end)]
    spans = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        while s < e and text[s] in " “\"‘":
            s += 1
        spans.append((s, e))
    return spans


def overlaps_half(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Overlap covers at least half of both spans."""
    ov = min(a[1], b[1]) - max(a[0], b[0])
    return ov > 0 and ov * 2 >= (a[1] - a[0]) and ov * 2 >= (b[1] - b[0])


def same_speaker(gold: str | None, predicted: set[str]) -> bool:
    """Whether a predicted speaker (its names and aliases, lower-case) is the gold speaker."""
    if not gold:
        return not predicted
    g = gold.lower()
    g_tokens = set(re.findall(r"[a-z’']+", g)) - {"the", "a", "an", "of", "for", "dr", "mr", "mrs", "ms"}
    for name in predicted:
        if name == g or name in g or g in name:
            return True
        n_tokens = set(re.findall(r"[a-z’']+", name))
        if g_tokens and len(g_tokens & n_tokens) >= max(1, min(2, len(g_tokens) - 1)):
            return True
    return False


def score(predict) -> Score:
    """Score predict(text) -> [(kind, start, end, speaker names set, details)] over every passage."""
    sc = Score()
    for p in load_passages():
        text = p["text"]
        preds = predict(text)
        quotes = [x for x in preds if x[0] == "quote" and not x[4].get("turn")]
        gold = [(q, span) for q in p["quotes"] for span in gold_spans(text, q)]
        sc.gold += len(gold)
        sc.found += len(quotes)
        used: set[int] = set()
        for q, span in gold:
            hit = next((i for i, x in enumerate(quotes) if i not in used and overlaps_half(span, (x[1], x[2]))), None)
            if hit is None:
                sc.misses.append((p["id"], "missed quote", q["text"][:60]))
                continue
            used.add(hit)
            sc.matched += 1
            if q.get("named_in_text") and q.get("speaker"):
                sc.speaker_total += 1
                if same_speaker(q["speaker"], quotes[hit][3]):
                    sc.speaker_right += 1
                else:
                    sc.misses.append((p["id"], "speaker", q["speaker"], sorted(quotes[hit][3])[:3]))
        for i, x in enumerate(quotes):
            if i not in used:
                sc.misses.append((p["id"], "extra quote", text[x[1]:x[2]][:60]))
        for nq in p.get("not_quotes", []):
            s = text.index(nq)
            if any(overlaps_half((s, s + len(nq)), (x[1], x[2])) for x in quotes):
                sc.false_quotes += 1
        reported = [x for x in preds if x[0] == "attribution"]
        for r in p.get("reported", []):
            sc.reported_gold += 1
            s = text.index(r["content"])
            hit = next((x for x in reported if overlaps_half((s, s + len(r["content"])), (x[1], x[2]))), None)
            if hit is None:
                sc.misses.append((p["id"], "missed reported", r["content"][:60]))
                continue
            sc.reported_found += 1
            if same_speaker(r["speaker"], hit[3]):
                sc.reported_speaker_right += 1
            else:
                sc.misses.append((p["id"], "reported speaker", r["speaker"], sorted(hit[3])[:3]))
        turns = [x for x in preds if x[4].get("turn") and not x[4].get("continues_turn")]
        for t in p.get("turns") or []:
            sc.turns_gold += 1
            s = text.index(t["text_start"])
            hit = next((x for x in turns if x[1] == s), None)
            if hit is not None and same_speaker(t["speaker"], hit[3]):
                sc.turns_right += 1
            else:
                sc.misses.append((p["id"], "turn", t["speaker"], hit and sorted(hit[3])[:2]))
    return sc


def factcheck_predict(text: str):
    """Our extractor as a predict function for score()."""
    from factcheck.extract.document import extract_document

    ex = extract_document(text)
    names = {e.key: {e.name.lower(), *(a.lower() for a in e.aliases)} for e in ex.entities}
    return [(c.kind, c.start, c.end, names.get(c.extra.get("speaker_key"), set()), c.extra)
            for c in ex.claims if c.kind in ("quote", "attribution")]


_BARE = re.compile(r"[“\"]([^“”\"\n]+)[”\"]")


def bare_regex_predict(text: str):
    """Baseline: every stretch between double quotation marks is a quote, with no speaker."""
    return [("quote", m.start(1), m.end(1), set(), {}) for m in _BARE.finditer(text)]
