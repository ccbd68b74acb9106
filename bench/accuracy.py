"""Accuracy benchmark: the real `factcheck` pipeline on the public development corpora, scored by their scorer.

What is measured (scores are printed, nothing is asserted):

* quantities -- every CQE sentence (cqe_quantities.jsonl) as its own .txt, ingested into one fresh SQLite
                database; `claims --json --kind quantity` mapped back to the sentence by file name; value =
                the claim's value (a range "low-high", an open bound its bound; a change both its values),
                unit = the claim's unit (a normalised unit field when claims carry one); `score.py quantities`.
* dates      -- every TimeBank article (timebank.jsonl) as a .txt, its `dct` given as `published` in a
                sources.toml; `claims --json --kind date`; span offsets and the value at the claim's
                precision (day YYYY-MM-DD, month YYYY-MM, year YYYY, else null), dates with a time of day left
                out (TimeML's TIME type); `score.py timex`.
* quotes     -- every PolNeAR article (polnear_train.jsonl) as a .txt; `claims --json`, kinds quote and
                attribution; content span and speaker; `score.py quotes`, twice: every claim as stored, and
                with quotes nested inside an attribution of the same document folded into it (PolNeAR's
                unit is one attribution: a quoted phrase inside reported speech is part of it); then the folded
                predictions that hold quoted words against the direct gold alone (the direct-quote F1: score.py's
                own direct line counts every prediction in its precision).
* repeats    -- all BASIL articles (basil_2010_2014.jsonl, keyed by cluster and position) in one database,
                published date and outlet in a sources.toml; `flags --json`; every repeat, quote_variant and
                conflict flag split by cluster into groups; `score.py repeats` against the silver pairs.

The dev-set text is read from --devsets at run time and written only under a temporary folder (or --keep
DIR); nothing is downloaded. Every claim's text is checked against the gold text at its offsets.
Run: .venv/bin/python bench/accuracy.py [--part quantities|dates|quotes|repeats|all] [--limit N] [--keep DIR]
Exit status 0 whatever the scores; 1 when a part failed to run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEVSETS = Path(__file__).resolve().parents[2] / "shared" / "devsets"
PARTS = ("quantities", "dates", "quotes", "repeats")
GROUP_FLAGS = ("repeat", "quote_variant", "conflict")
QUOTE_MARKS = "\"“”‘’«»"


class BenchError(Exception):
    """A step that failed to run (not a low score)."""


# ---------------------------------------------------------------------------------------------
# Running the CLI and the scorer
# ---------------------------------------------------------------------------------------------

def log(msg: str) -> None:
    """Progress line on stderr."""
    print(f"[accuracy] {msg}", file=sys.stderr, flush=True)


def factcheck_cmd() -> list[str]:
    """The factcheck CLI of this interpreter's venv (else of the repository's .venv, else `python -m`)."""
    for cand in (Path(sys.executable).parent / "factcheck", ROOT / ".venv" / "bin" / "factcheck"):
        if cand.exists():
            return [str(cand)]
    return [sys.executable, "-m", "factcheck"]


def run_cli(db: Path, *args: str, ok_codes: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
    """Run `factcheck --db DB ARGS...`; raise BenchError on an unexpected exit status."""
    cmd = factcheck_cmd() + ["--db", str(db), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode not in ok_codes:
        raise BenchError(f"`factcheck {' '.join(args)}` exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return proc


def ingest(db: Path, folder: Path) -> float:
    """Ingest a folder into db with the CLI; print its summary lines; return the wall seconds."""
    t0 = time.perf_counter()
    proc = run_cli(db, "ingest", str(folder), "--no-progress", ok_codes=(0, 1))
    seconds = time.perf_counter() - t0
    for line in proc.stdout.strip().splitlines():
        print(f"  ingest: {line}")
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    notes = [line for line in lines if line.startswith("note:")]
    problems = [line for line in lines if not line.startswith("note:")]
    for line in notes[:5]:
        print(f"  ingest {line[:200]}")
    if problems or proc.returncode:
        print(f"  WARNING: ingest exited {proc.returncode} with {len(problems)} problem line(s), first few:")
        for line in problems[:5]:
            print(f"    {line[:200]}")
    return seconds


def read_json(db: Path, *args: str) -> list[dict]:
    """One `factcheck ... --json` listing, parsed."""
    out = run_cli(db, *args, "--json").stdout
    try:
        return json.loads(out)
    except json.JSONDecodeError as exc:
        raise BenchError(f"`factcheck {' '.join(args)} --json` printed no JSON ({exc}): {out[:300]!r}") from exc


def score(devsets: Path, mode: str, gold: Path, pred: Path) -> dict:
    """Run score.py MODE GOLD PRED, pass its output through, and return it parsed."""
    proc = subprocess.run([sys.executable, str(devsets / "score.py"), mode, str(gold), str(pred)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchError(f"score.py {mode} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    print(proc.stdout.rstrip())
    return json.loads(proc.stdout)


# ---------------------------------------------------------------------------------------------
# Documents, metadata and predictions on disk
# ---------------------------------------------------------------------------------------------

def load_jsonl(path: Path, limit: int | None) -> list[dict]:
    """The first `limit` records of a JSON-lines file (all when limit is None)."""
    if not path.exists():
        raise BenchError(f"no dev set at {path} (give --devsets PATH)")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def write_doc(folder: Path, name: str, text: str) -> None:
    """Write text as UTF-8 exactly (no newline translation), so stored offsets equal the gold offsets."""
    with (folder / name).open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def part_corpus(work: Path, part: str, texts: dict[str, str]) -> tuple[Path, Path]:
    """A new documents folder for one part holding a .txt per name, and the path of the part's database."""
    docs = work / part / "docs"
    docs.mkdir(parents=True)
    for name, text in texts.items():
        write_doc(docs, name, text)
    return docs, work / part / "claims.db"


def write_toml(folder: Path, meta: dict[str, dict[str, str]]) -> None:
    """A sources.toml with one table per file name (string values; JSON escapes are valid TOML)."""
    lines = []
    for name, fields in meta.items():
        lines.append(f"[{json.dumps(name)}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in fields.items() if value]
        lines.append("")
    (folder / "sources.toml").write_text("\n".join(lines), encoding="utf-8")


def write_jsonl(path: Path, rows: list[dict]) -> None:
    """One JSON object per line."""
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def file_name(claim: dict) -> str:
    """The document file a claim (or flag member) came from: its location's name, else its shown name."""
    return Path(claim.get("location") or claim["source"]).name


def by_file(claims: list[dict]) -> dict[str, list[dict]]:
    """Claims grouped by document file name, in offset order."""
    out: dict[str, list[dict]] = {}
    for c in sorted(claims, key=lambda c: (c["start"], c["end"])):
        out.setdefault(file_name(c), []).append(c)
    return out


def share_duplicates(grouped: dict[str, list[dict]], texts: dict[str, str]) -> int:
    """Give a document ingest skipped as a duplicate (same text) the claims of the copy stored; return how many."""
    stored = {texts[name]: name for name in grouped if name in texts}
    shared = 0
    for name, text in texts.items():
        if name not in grouped and text in stored:
            grouped[name] = grouped[stored[text]]
            shared += 1
    if shared:
        print(f"  note: {shared} document(s) identical to another were skipped by ingest; they get its claims")
    return shared


def check_offsets(label: str, claims: list[dict], texts: dict[str, str]) -> int:
    """Count claims whose text is not the gold text at their offsets; warn loudly about them."""
    bad = [c for c in claims if file_name(c) in texts
           and texts[file_name(c)][c["start"]:c["end"]] != c["text"]]
    unknown = sorted({file_name(c) for c in claims} - set(texts))
    if bad:
        c = bad[0]
        got = texts[file_name(c)][c["start"]:c["end"]]
        print(f"  WARNING: {label}: {len(bad)} of {len(claims)} claims do NOT index the gold text "
              f"(offsets will not line up); first: {file_name(c)} [{c['start']}:{c['end']}] "
              f"claim {c['text'][:60]!r} vs text {got[:60]!r}")
    if unknown:
        print(f"  WARNING: {label}: claims from {len(unknown)} unknown file(s), e.g. {unknown[:3]}")
    if not bad and not unknown:
        print(f"  offsets: {label}: all {len(claims)} claim texts equal the gold text at their offsets")
    return len(bad)


def part_header(name: str, corpus: str, n: int, unit: str) -> None:
    """The heading of one part."""
    print(f"\n== {name}: {corpus}, {n} {unit} ==")


# ---------------------------------------------------------------------------------------------
# quantities
# ---------------------------------------------------------------------------------------------

def plain(x: float) -> str:
    """A number written without an exponent (score.py reads ranges with a digits-only pattern)."""
    s = format(Decimal(repr(float(x))), "f")
    return s[:-2] if s.endswith(".0") else s


def quantity_value(c: dict):
    """The claim's value; a range as 'low-high' (score.py's range form); an open bound as that bound."""
    if c.get("value") is not None:
        return c["value"]
    low, high = c.get("low"), c.get("high")
    if low is not None and high is not None:
        return f"{plain(low)}-{plain(high)}"
    return low if low is not None else high


def quantity_values(c: dict) -> list:
    """The values a claim states: one, or both ends of a change ("rose from 5% to 7%": details.change)."""
    change = (c.get("details") or {}).get("change")
    if change and change.get("from") is not None:
        return [change["from"], quantity_value(c)]
    return [quantity_value(c)]


def quantity_unit(c: dict) -> str | None:
    """A normalised unit when the claim carries one, else its unit."""
    details = c.get("details") or {}
    for key in ("normalized_unit", "normalised_unit", "unit_normalized", "unit_normalised"):
        if c.get(key) or details.get(key):
            return c.get(key) or details.get(key)
    return c.get("unit")


def run_quantities(devsets: Path, work: Path, limit: int | None) -> dict:
    """CQE sentences: ingest, map quantity claims back to sentences, score."""
    gold_path = devsets / "cqe_quantities.jsonl"
    rows = load_jsonl(gold_path, limit)
    part_header("quantities", gold_path.name, len(rows), "sentences")
    names = {f"q{i:05d}.txt": r for i, r in enumerate(rows)}
    docs, db = part_corpus(work, "quantities", {name: r["text"] for name, r in names.items()})
    seconds = ingest(db, docs)
    claims = read_json(db, "claims", "--kind", "quantity")
    texts = {n: r["text"] for n, r in names.items()}
    check_offsets("quantities", claims, texts)
    grouped = by_file(claims)
    share_duplicates(grouped, texts)
    pred = [{"id": r["id"], "quantities": [{"value": v, "unit": quantity_unit(c)}
                                           for c in grouped.get(name, []) for v in quantity_values(c)]}
            for name, r in names.items()]
    pred_path = work / "quantities" / "pred.jsonl"
    write_jsonl(pred_path, pred)
    gold_path_used = limited_gold(gold_path, rows, work / "quantities")
    print(f"  ingest {seconds:.1f} s, {len(claims)} quantity claims; score.py quantities:")
    res = score(devsets, "quantities", gold_path_used, pred_path)
    return {"part": "quantities", "docs": len(rows), "ingest_s": seconds,
            "line": f"P {res['precision']:.3f} R {res['recall']:.3f} F1 {res['f1']:.3f}  "
                    f"unit-match {fmt(res.get('unit_match_rate_on_value_matches'))}"}


def limited_gold(gold_path: Path, rows: list[dict], folder: Path) -> Path:
    """The gold file itself, or (with --limit) a copy of just the records taken, under the temporary folder."""
    with gold_path.open(encoding="utf-8") as fh:
        total = sum(1 for line in fh if line.strip())
    if len(rows) == total:
        return gold_path
    path = folder / f"gold-first-{len(rows)}.jsonl"
    write_jsonl(path, rows)
    return path


def fmt(x) -> str:
    """A score to three places, or '-'."""
    return "-" if x is None else f"{x:.3f}"


# ---------------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------------

def date_value(c: dict) -> str | None:
    """The claim's date at its precision: YYYY-MM-DD, YYYY-MM or YYYY; a span that is one whole month/year alike."""
    d, end, prec = c.get("date"), c.get("date_end"), c.get("date_precision")
    if not d:
        return None
    if prec == "day" or (end is None and prec is None):
        return d[:10]
    if prec == "month":
        return d[:7]
    if prec == "year":
        return d[:4]
    if end and d[:4] == end[:4] and d[5:10] == "01-01" and end[5:10] == "12-31":
        return d[:4]
    if end and d[:7] == end[:7] and d[8:10] == "01" and _last_day(end[:10]):
        return d[:7]
    return None


def _last_day(iso: str) -> bool:
    """Whether an ISO date is the last day of its month."""
    day = dt.date.fromisoformat(iso)
    return (day + dt.timedelta(days=1)).month != day.month


def run_dates(devsets: Path, work: Path, limit: int | None) -> dict:
    """TimeBank articles dated by their dct: ingest, date claims with spans and values, score."""
    gold_path = devsets / "timebank.jsonl"
    rows = load_jsonl(gold_path, limit)
    part_header("dates", gold_path.name, len(rows), "articles")
    names = {f"t{i:05d}.txt": r for i, r in enumerate(rows)}
    docs, db = part_corpus(work, "dates", {name: r["text"] for name, r in names.items()})
    write_toml(docs, {name: {"published": r["dct"][:10]} for name, r in names.items() if r.get("dct")})
    seconds = ingest(db, docs)
    claims = read_json(db, "claims", "--kind", "date")
    texts = {n: r["text"] for n, r in names.items()}
    grouped = by_file(claims)
    first = min(grouped, default=None)
    if first and check_offsets(f"dates, first document with dates ({first})", grouped[first], texts):
        print("  WARNING: the stored text of the first document differs from the gold text: spans will not line up!")
    check_offsets("dates", claims, texts)
    share_duplicates(grouped, texts)
    # a date with a time of day ("Thursday evening", "10 p.m. Wednesday") is a TIMEX3 of type TIME, not DATE
    pred = [{"doc_id": r["doc_id"], "dates": [{"start": c["start"], "end": c["end"], "value": date_value(c)}
                                              for c in grouped.get(name, []) if c.get("date_precision") != "time"]}
            for name, r in names.items()]
    pred_path = work / "dates" / "pred.jsonl"
    write_jsonl(pred_path, pred)
    precisions = count_by(claims, "date_precision")
    print(f"  ingest {seconds:.1f} s, {len(claims)} date claims (precision: {precisions}); score.py timex:")
    res = score(devsets, "timex", limited_gold(gold_path, rows, work / "dates"), pred_path)
    return {"part": "dates", "docs": len(rows), "ingest_s": seconds,
            "line": f"span P {res['precision']:.3f} R {res['recall']:.3f} F1 {res['f1']:.3f}  "
                    f"value acc {fmt(res.get('value_acc_on_matched_calendar'))}  value F1 {fmt(res.get('value_f1'))}"}


def count_by(items: list[dict], key: str) -> str:
    """'a 3, b 2' counts of one field, most common first."""
    counts: dict[str, int] = {}
    for it in items:
        counts[str(it.get(key))] = counts.get(str(it.get(key)), 0) + 1
    return ", ".join(f"{k} {n}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1])) or "none"


# ---------------------------------------------------------------------------------------------
# quotes
# ---------------------------------------------------------------------------------------------

def quote_pred(c: dict) -> dict:
    """One predicted attribution: content span, speaker, and whether it holds quoted words. The speaker is
    the phrase written next to the cue (details.speaker_mention: "Suckling, who heads the centre, said"
    gives "Suckling"), as the annotators mark a speaker span; else the canonical speaker (a quote that goes
    on from an earlier one)."""
    direct = c["kind"] == "quote" or any(m in c["text"] for m in QUOTE_MARKS)
    mention = (c.get("details") or {}).get("speaker_mention") or {}
    return {"start": c["start"], "end": c["end"], "speaker": mention.get("text") or c.get("speaker"), "direct": direct}


def fold_nested(claims: list[dict]) -> list[dict]:
    """Drop quote claims lying inside an attribution claim of the same document (one attribution, one unit)."""
    spans = [(c["start"], c["end"]) for c in claims if c["kind"] == "attribution"]
    return [c for c in claims if c["kind"] != "quote"
            or not any(s - 1 <= c["start"] and c["end"] <= e + 1 for s, e in spans)]


def run_quotes(devsets: Path, work: Path, limit: int | None) -> list[dict]:
    """PolNeAR articles: ingest, quote and attribution claims as attributions, score as stored and folded."""
    gold_path = devsets / "polnear_train.jsonl"
    rows = load_jsonl(gold_path, limit)
    part_header("quotes", gold_path.name, len(rows), "articles")
    names = {f"a{i:05d}.txt": r for i, r in enumerate(rows)}
    docs, db = part_corpus(work, "quotes", {name: r["text"] for name, r in names.items()})
    seconds = ingest(db, docs)
    claims = [c for c in read_json(db, "claims") if c["kind"] in ("quote", "attribution")]
    texts = {n: r["text"] for n, r in names.items()}
    check_offsets("quotes", claims, texts)
    grouped = by_file(claims)
    share_duplicates(grouped, texts)
    gold = limited_gold(gold_path, rows, work / "quotes")
    n_gold = sum(len(r["quotes"]) for r in rows)
    print(f"  ingest {seconds:.1f} s, {len(claims)} claims ({count_by(claims, 'kind')}), "
          f"{n_gold} gold attributions, {sum(c.get('speaker') is not None for c in claims)} claims with a speaker")
    out = []
    folded_pred: list[dict] = []
    for label, pick in (("as stored", lambda cs: cs), ("nested quotes folded", fold_nested)):
        pred = [{"doc_id": r["doc_id"], "quotes": [quote_pred(c) for c in pick(grouped.get(name, []))]}
                for name, r in names.items()]
        pred_path = work / "quotes" / f"pred-{label.split()[0]}.jsonl"
        write_jsonl(pred_path, pred)
        print(f"  score.py quotes, {label} ({sum(len(p['quotes']) for p in pred)} predictions):")
        res = score(devsets, "quotes", gold, pred_path)
        a, d = res["all"], res["direct_only"]
        out.append({"part": f"quotes ({label})", "docs": len(rows), "ingest_s": seconds,
                    "line": f"all P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f}  direct R "
                            f"{d['recall']:.3f}  speaker {fmt(a['speaker_acc'])} "
                            f"(non-pronoun {fmt(a['speaker_acc_non_pronoun'])})"})
        folded_pred = pred
    out.append(score_direct(devsets, work, rows, folded_pred, seconds))
    return out


def score_direct(devsets: Path, work: Path, rows: list[dict], pred: list[dict], seconds: float) -> dict:
    """Direct quotes alone: the folded predictions that hold quoted words against the gold attributions whose
    content holds a quotation mark (score.py's direct_only line counts every prediction in its precision)."""
    gold_path = work / "quotes" / "gold-direct.jsonl"
    write_jsonl(gold_path, [{**r, "quotes": [q for q in r["quotes"] if q.get("direct")]} for r in rows])
    pred_path = work / "quotes" / "pred-direct.jsonl"
    write_jsonl(pred_path, [{**p, "quotes": [q for q in p["quotes"] if q["direct"]]} for p in pred])
    print(f"  score.py quotes, direct quotes only ({sum(len(p['quotes']) for p in pred)} predictions before the cut):")
    a = score(devsets, "quotes", gold_path, pred_path)["all"]
    return {"part": "quotes (direct only)", "docs": len(rows), "ingest_s": seconds,
            "line": f"direct P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f}  speaker "
                    f"{fmt(a['speaker_acc'])} (non-pronoun {fmt(a['speaker_acc_non_pronoun'])})"}


# ---------------------------------------------------------------------------------------------
# repeats
# ---------------------------------------------------------------------------------------------

def basil_docs(clusters: list[dict]) -> dict[str, tuple[str, dict]]:
    """File name -> (cluster id, document), keyed by cluster and position (document ids repeat)."""
    return {f"c{ci:03d}_{pos}.txt": (cl["cluster_id"], doc)
            for ci, cl in enumerate(clusters) for pos, doc in enumerate(cl["docs"])}


def flag_groups(flags: list[dict], files: dict[str, tuple[str, dict]]) -> tuple[dict[str, list[dict]], int]:
    """Repeat/quote-variant/conflict flags as score.py groups per cluster; also how many flags span clusters."""
    groups: dict[str, list[dict]] = {}
    spanning = 0
    for f in flags:
        if f["type"] not in GROUP_FLAGS:
            continue
        per_cluster: dict[str, list[dict]] = {}
        for m in f["members"]:
            if file_name(m) in files:
                cluster, doc = files[file_name(m)]
                per_cluster.setdefault(cluster, []).append({"doc": doc["id"], "start": m["start"], "end": m["end"]})
        spanning += len(per_cluster) > 1
        for cluster, members in per_cluster.items():
            if len({m["doc"] for m in members}) > 1:
                groups.setdefault(cluster, []).append({"type": f["type"], "members": members})
    return groups, spanning


def print_date_flags(flags: list[dict]) -> str:
    """List every date conflict and repeat (its dates and each member's sentence) so each can be judged."""
    dated = [f for f in flags if f["type"] in ("conflict", "repeat")
             and any(m.get("kind") == "date" and m.get("role") != "anchor" for m in f["members"])]
    counts = count_by(dated, "type") or "none"
    print(f"  date flags: {counts}")
    for f in dated:
        print(f"    {f['type']}: {f['subject']} | {f['summary']}")
        for m in f["members"]:
            if m.get("role") != "anchor":
                excerpt = " ".join((m.get("excerpt") or "").split())[:220]
                print(f"      {file_name(m)} {m.get('date')} {m.get('text')!r}: {excerpt}")
    return counts


def run_repeats(devsets: Path, work: Path, limit: int | None) -> dict:
    """BASIL articles in one database: ingest, flags by cluster as groups, score against the silver pairs."""
    clusters = load_jsonl(devsets / "basil_2010_2014.jsonl", limit)
    files = basil_docs(clusters)
    part_header("repeats", "basil_2010_2014.jsonl", len(files), f"articles in {len(clusters)} clusters")
    docs, db = part_corpus(work, "repeats", {name: doc["text"] for name, (_, doc) in files.items()})
    write_toml(docs, {name: {"published": (doc.get("date") or "")[:10], "outlet": doc.get("source") or ""}
                      for name, (_, doc) in files.items()})
    seconds = ingest(db, docs)
    flags = read_json(db, "flags")
    members = [m for f in flags for m in f["members"]]
    check_offsets("repeats (flag members)", members, {n: d["text"] for n, (_, d) in files.items()})
    groups, spanning = flag_groups(flags, files)
    print(f"  ingest {seconds:.1f} s, {len(flags)} flags: {count_by(flags, 'type')}; "
          f"{spanning} repeat/quote_variant/conflict flag(s) join documents of different clusters")
    date_counts = print_date_flags(flags)
    group_types = count_by([g for gs in groups.values() for g in gs], "type")
    print(f"  {sum(len(g) for g in groups.values())} within-cluster groups for score.py ({group_types})")
    pred_path = work / "repeats" / "pred.jsonl"
    write_jsonl(pred_path, [{"cluster_id": c, "groups": g} for c, g in groups.items()])
    silver = limited_silver(devsets / "basil_2010_2014_silver_repeats.json", clusters, work / "repeats")
    print("  score.py repeats:")
    res = score(devsets, "repeats", silver, pred_path)
    q, n = res["repeated_quotes"], res["repeated_quantities"]
    return {"part": "repeats", "docs": len(files), "ingest_s": seconds,
            "line": f"quote pairs {q['linked']}/{q['of']} (R {fmt(q['recall'])})  figures {n['linked']}/{n['of']} "
                    f"(R {fmt(n['recall'])})  flags {count_by(flags, 'type')}  date flags {date_counts}"}


def limited_silver(path: Path, clusters: list[dict], folder: Path) -> Path:
    """The silver file itself, or (with --limit) a copy holding only the clusters taken."""
    silver = json.loads(path.read_text(encoding="utf-8"))
    taken = {c["cluster_id"] for c in clusters}
    kept = [c for c in silver["clusters"] if c["cluster_id"] in taken]
    if len(kept) == len(silver["clusters"]):
        return path
    out = folder / "silver-limited.json"
    out.write_text(json.dumps(dict(silver, clusters=kept)), encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

RUNNERS = {"quantities": run_quantities, "dates": run_dates, "quotes": run_quotes, "repeats": run_repeats}


def print_summary(rows: list[dict], failed: list[str], wall: float) -> None:
    """The closing table: one line per scored run, then what failed."""
    print(f"\n== summary ({wall:.0f} s) ==")
    width = max([len(r["part"]) for r in rows] + [10])
    print(f"{'part':<{width}}  {'docs':>5}  {'ingest':>7}  scores")
    for r in rows:
        print(f"{r['part']:<{width}}  {r['docs']:>5}  {r['ingest_s']:>6.1f}s  {r['line']}")
    for name in failed:
        print(f"{name:<{width}}  FAILED (see above)")


def run_parts(parts: list[str], devsets: Path, work: Path, limit: int | None) -> tuple[list[dict], list[str]]:
    """Run each part; a part that fails is reported and the others still run."""
    rows, failed = [], []
    for name in parts:
        log(f"{name} ...")
        try:
            res = RUNNERS[name](devsets, work, limit)
            rows.extend(res if isinstance(res, list) else [res])
        except (BenchError, OSError, KeyError, ValueError) as exc:
            print(f"  FAILED: {name}: {type(exc).__name__}: {exc}")
            failed.append(name)
    return rows, failed


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the chosen parts in a temporary folder (or --keep DIR), print the scores."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=PARTS + ("all",), default="all")
    ap.add_argument("--limit", type=int, default=None, help="only the first N records/articles of each corpus")
    ap.add_argument("--devsets", type=Path, default=DEFAULT_DEVSETS, help="folder of the dev sets and score.py")
    ap.add_argument("--keep", type=Path, default=None, help="keep documents, databases and predictions in DIR")
    args = ap.parse_args(argv)
    parts = list(PARTS) if args.part == "all" else [args.part]
    devsets = args.devsets.resolve()
    if not (devsets / "score.py").exists():
        print(f"error: no score.py in {devsets} (give --devsets PATH)", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    if args.keep:
        work = args.keep.resolve()
        for name in parts:
            shutil.rmtree(work / name, ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        rows, failed = run_parts(parts, devsets, work, args.limit)
        print(f"\nkept in {work}")
    else:
        with tempfile.TemporaryDirectory(prefix="factcheck-accuracy-") as tmp:
            rows, failed = run_parts(parts, devsets, Path(tmp), args.limit)
    print_summary(rows, failed, time.perf_counter() - t0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
