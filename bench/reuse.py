"""Passage-reuse benchmark: time and memory of `match_reuse` on a synthetic corpus with planted copies.

What is measured (figures are printed, nothing is asserted):

* corpus   -- N documents (default 2,000) of about --kb KB (default 5) of generated prose: sentences of 8-30
              words drawn from a Zipf-distributed vocabulary of 30,000 made-up words and 150 common English
              function words (so chance 5-word repeats of common words do occur). A share of documents
              (--copy-share, default 0.1) copies one passage of 30-150 words from an earlier document, with
              about one word in 40 changed; a third of the copied passages are copied again by a second
              document. Every document in --footer-share (0.3) carries one 60-word footer (boilerplate).
              One claim record per sentence (members need claims). Fixed random seed.
* timing   -- `match_reuse(records, texts)` alone in this process pinned to one core, after generation;
              MB/s = text megabytes (UTF-8) / seconds; peak RSS growth during matching.
* recall   -- planted copies found: a planted (source, copy) pair counts when a flag names both with the
              copy's span overlapping the planted one; false flags match no planted pair; split: planted
              copies found as two or more flags.

Run: .venv/bin/python bench/reuse.py [--docs 2000] [--kb 5] [--core N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from benchlib import peak_rss_mb, pin_one_core  # noqa: E402

FUNCTION_WORDS = ("the of and to a in that is was he for it with as his on be at by i this had not are but from "
                  "or have an they which one you were her all she there would their we him been has when who will "
                  "more no if out so said what up its about into than them can only other new some could time "
                  "these two may then do first any my now such like our over man me even most made after also "
                  "did many before must through back years where much your way well down should because each "
                  "just those people how too little state good very make world still own see men work long get "
                  "here between both life being under never day same another know while last might us great old "
                  "year off come since against go came right used take three").split()


@dataclass
class Planted:
    """A passage copied from one document into another: word ranges in both."""

    original: int
    copy: int
    copy_start: int  # character offsets in the copy
    copy_end: int


def vocabulary(rnd: random.Random, n: int) -> list[str]:
    """Made-up words, function words first (the most frequent under Zipf)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    made = {"".join(rnd.choice(letters) for _ in range(rnd.randint(3, 10))) for _ in range(n)}
    return FUNCTION_WORDS + sorted(made)


def sentences(rnd: random.Random, words: list[str], cum_weights: list[float], chars: int) -> list[str]:
    """Generated sentences adding up to about chars characters."""
    out, size = [], 0
    while size < chars:
        ws = rnd.choices(words, cum_weights=cum_weights, k=rnd.randint(8, 30))
        s = " ".join(ws).capitalize() + "."
        out.append(s)
        size += len(s) + 1
    return out


def changed(rnd: random.Random, passage: str, words: list[str]) -> str:
    """A passage with about one word in 40 replaced."""
    ws = passage.split(" ")
    for _ in range(max(1, len(ws) // 40)):
        k = rnd.randrange(len(ws))
        ws[k] = rnd.choice(words[150:])
    return " ".join(ws)


def build(n_docs: int, kb: float, copy_share: float, footer_share: float, seed: int = 7):
    """The corpus: SourceTexts, one claim record per sentence, and the planted copies."""
    from factcheck.match.records import ClaimRecord
    from factcheck.match.reuse import SectionSpan, SourceText
    rnd = random.Random(seed)
    words = vocabulary(rnd, 30000)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))  # cumulative
    footer = " ".join(rnd.choices(words, cum_weights=weights, k=60)).capitalize() + "."
    texts, planted, bodies = [], [], []
    for _ in range(n_docs):
        bodies.append(sentences(rnd, words, weights, int(kb * 1024)))
    copiers = rnd.sample(range(1, n_docs), int(copy_share * n_docs))
    inserts: dict[int, tuple[int, str, int]] = {}
    for c in copiers:
        orig = rnd.randrange(0, c)
        body = bodies[orig]
        k = rnd.randrange(0, max(1, len(body) - 12))
        passage = " ".join(body[k:k + 12])  # enough sentences for the longest passage
        passage = " ".join(passage.split(" ")[:rnd.randint(30, 150)])
        inserts[c] = (orig, changed(rnd, passage, words), rnd.randrange(0, len(bodies[c])))
    for c in list(inserts)[: len(inserts) // 3]:  # copied again by a second document
        orig, passage, _ = inserts[c]
        other = rnd.randrange(c + 1, n_docs) if c + 1 < n_docs else None
        if other is not None and other not in inserts:
            inserts[other] = (c, passage, rnd.randrange(0, len(bodies[other])))
    records, rid = [], 0
    for d in range(n_docs):
        parts = list(bodies[d])
        if d in inserts:
            orig, passage, at = inserts[d]
            parts.insert(at, passage)
        if rnd.random() < footer_share:
            parts.append(footer)
        text, pos, starts = "", 0, []
        for p in parts:
            starts.append(pos)
            text += p + "\n\n"
            pos = len(text)
        if d in inserts:
            s = starts[inserts[d][2]]
            planted.append(Planted(inserts[d][0], d, s, s + len(inserts[d][1])))
        name = f"doc{d:05d}.txt"
        texts.append(SourceText(d + 1, name, text, dt.date(2020, 1, 1) + dt.timedelta(days=d),
                                [SectionSpan(d + 1, 0, len(text))]))
        for s in starts:
            rid += 1
            records.append(ClaimRecord(id=rid, source_id=d + 1, source=name, kind="quantity", text="x",
                                       excerpt="x", start=s, end=s + 5, section_id=d + 1))
    return texts, records, planted


def _covers(flag, p: Planted) -> bool:
    """True when a flag names a planted copy's original and its copy, the copy's span overlapping the plant."""
    c = flag.details["copy"]
    spans = {x["source_id"]: (x["start"], x["end"]) for x in [c["earliest"], *c["copies"]]}
    s = spans.get(p.copy + 1)
    return (p.original + 1) in spans and s is not None and s[0] < p.copy_end and p.copy_start < s[1]


def recall(flags, planted: list[Planted]) -> tuple[int, int, int]:
    """Planted copies found; flags matching no planted copy (false); planted copies found as 2+ flags (split)."""
    hits = [[i for i, f in enumerate(flags) if _covers(f, p)] for p in planted]
    matched = {i for h in hits for i in h}
    return sum(1 for h in hits if h), len(flags) - len(matched), sum(1 for h in hits if len(h) > 1)


def main(argv: list[str] | None = None) -> int:
    """Generate, time match_reuse, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--kb", type=float, default=5)
    ap.add_argument("--copy-share", type=float, default=0.1)
    ap.add_argument("--footer-share", type=float, default=0.3)
    ap.add_argument("--core", default=None)
    args = ap.parse_args(argv)
    core = pin_one_core(args.core)
    from factcheck.match.reuse import match_reuse
    t0 = time.perf_counter()
    texts, records, planted = build(args.docs, args.kb, args.copy_share, args.footer_share)
    mb = sum(len(t.text.encode()) for t in texts) / 1e6
    print(f"generated {len(texts):,} documents, {mb:.1f} MB, {len(records):,} claims, {len(planted)} planted copies "
          f"in {time.perf_counter() - t0:.1f} s (core {core})")
    gc.collect()
    before = peak_rss_mb()
    t0 = time.perf_counter()
    flags = match_reuse(records, texts)
    seconds = time.perf_counter() - t0
    found, false, split = recall(flags, planted)
    print(f"match_reuse: {seconds:.2f} s = {mb / seconds:.2f} MB/s; peak RSS {peak_rss_mb():.0f} MB "
          f"(+{peak_rss_mb() - before:.0f} MB while matching); {len(flags)} flags; planted copies found "
          f"{found}/{len(planted)}; flags matching no planted copy {false}; planted copies split over 2+ flags {split}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
