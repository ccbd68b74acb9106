"""Killing `factcheck ingest` (SIGKILL) at any point leaves a consistent database; ingesting again completes the job.

The ingest runs in a child process. Deterministic kill points come from a small wrapper around the CLI that
replaces one pipeline or matching function with one that SIGKILLs its own process at its n-th call (before or
after doing its work): between documents, inside a document's transaction, inside the matching transaction, after
matching. A few more runs are killed from outside after delays spread over a clean run. Nothing is timed: after
every kill only the state is checked, against a clean single ingest of the same corpus.
"""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factcheck.db import make_engine
from factcheck.decisions import decide_claim
from factcheck.models import Alias, Claim, Decision, Entity, Flag, FlagMember, Section, Source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
COPIES = 6  # 5 seeds x 6 = 30 documents

# Runs the CLI; FC_TEST_KILL=point:n makes the process SIGKILL itself at the n-th call of that point's function.
KILLER = r"""
import os, signal, sys
import factcheck.ingest.pipeline as pl, factcheck.match.store as ms
POINTS = {  # name: (module, function (the first one it has), kill before the call rather than after it)
    "load": (pl, ["load_document"], True),        # before reading the n-th file
    "entities": (pl, ["store_entities"], False),  # in the n-th stored document's transaction: source, sections in
    "claims": (pl, ["bulk_insert"], False),       # in the n-th stored document's transaction: claims in, uncommitted
    "stored": (pl, ["write_prepared", "ingest_file"], False),  # right after the n-th file was committed (or skipped)
    "flags": (ms, ["flag_fingerprint"], True),    # in the matching transaction: old flags deleted, n-1 new ones in
    "matching": (ms, ["run_matching"], True),     # every document stored, matching not started
    "matched": (ms, ["run_matching"], False),     # matching committed, the process not finished
}
point, _, n = os.environ.get("FC_TEST_KILL", "").partition(":")
if point:
    mod, names, before = POINTS[point]
    name = next((f for f in names if hasattr(mod, f)), None)
    if name is None:
        sys.exit(f"kill point {point}: {mod.__name__} has none of {names}; update the test's POINTS")
    real, calls = getattr(mod, name), [0]
    def wrapped(*a, **k):
        calls[0] += 1
        if before and calls[0] == int(n or 1):
            os.kill(os.getpid(), signal.SIGKILL)
        out = real(*a, **k)
        if not before and calls[0] == int(n or 1):
            os.kill(os.getpid(), signal.SIGKILL)
        return out
    setattr(mod, name, wrapped)
from factcheck.cli import main
sys.exit(main(sys.argv[1:]))
"""

PLACES = ["Suffolk", "Derbyshire", "London", "Wales"]
OTHER_PLACES = ["Norfolk", "Cumbria", "Kent", "Devon", "Essex", "Dorset"]
PEOPLE = ["Glenys", "David", "Suki", "Hart", "Hood"]
OTHER_PEOPLE = ["Morag", "Pritam", "Ines", "Okafor", "Lund", "Beaumont"]


def _variant(text: str, k: int) -> str:
    """Copy k of a seed: other places and people, numbers moved on by k (years kept, so dates stay dates)."""
    if k == 0:
        return text
    for i, name in enumerate(PLACES):
        text = text.replace(name, OTHER_PLACES[(i + k) % len(OTHER_PLACES)])
    for i, name in enumerate(PEOPLE):
        text = text.replace(name, OTHER_PEOPLE[(i + k) % len(OTHER_PEOPLE)])
    return re.sub(r"\d+", lambda m: m.group() if re.fullmatch(r"(19|20)\d\d", m.group()) else str(int(m.group()) + k),
                  text)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """~30 documents that all differ: the seeds and varied copies of them."""
    folder = tmp_path_factory.mktemp("corpus")
    for k in range(COPIES):
        for seed in sorted(SEEDS.glob("*.txt")):
            (folder / f"{seed.stem}_v{k}.txt").write_text(_variant(seed.read_text(encoding="utf-8"), k),
                                                          encoding="utf-8")
    assert len({p.read_bytes() for p in folder.iterdir()}) == 5 * COPIES
    return folder


def ingest(url: str, folder: Path, kill: str | None = None, after: float | None = None, *extra: str) -> int:
    """Run `factcheck ingest` in a child process (its own process group), killed at a point (FC_TEST_KILL) or,
    with all its processes, after a delay; its exit code."""
    env = {k: v for k, v in os.environ.items() if k != "FC_TEST_KILL"}
    # every run hashes strings alike: which flags matching finds still depends on set order (ties among equally
    # rare names in match/quantities.py candidate_pairs), and this test compares runs, not the matcher
    env["PYTHONHASHSEED"] = "0"
    if kill:
        env["FC_TEST_KILL"] = kill
    if kill and kill.startswith("load:"):  # files are read in the extraction workers: count the reads in one process
        extra = ("--workers", "1", *extra)
    proc = subprocess.Popen([sys.executable, "-c", KILLER, "--db", url, "ingest", "--no-progress", *extra, str(folder)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        if after is not None:
            try:
                proc.wait(timeout=after)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the whole ingest, worker processes too, like a power cut
        _, err = proc.communicate(timeout=300)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # nothing of it outlives the test
        except ProcessLookupError:
            pass
    assert proc.returncode in (0, -signal.SIGKILL), err
    return proc.returncode


def snapshot(url: str) -> dict:
    """What an ingest leaves, independent of ids: per source its hash, sections and claim fingerprints; the flags."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            sources = {}
            for sid, path, sha, text in conn.execute(select(Source.id, Source.path, Source.sha256, Source.text)):
                sections = [tuple(r) for r in conn.execute(select(Section.start, Section.end, Section.dated)
                                                           .where(Section.source_id == sid).order_by(Section.ordinal))]
                fps = sorted(fp for (fp,) in conn.execute(select(Claim.fingerprint).where(Claim.source_id == sid)))
                sources[path] = {"sha256": sha, "sections": sections, "claims": fps, "length": len(text)}
            flags = sorted((t, fp, n) for t, fp, n in conn.execute(
                select(Flag.type, Flag.fingerprint, func.count(FlagMember.id))
                .join(FlagMember, FlagMember.flag_id == Flag.id, isouter=True).group_by(Flag.id)))
            decisions = conn.execute(select(func.count()).select_from(Decision)).scalar_one()
    finally:
        engine.dispose()
    return {"sources": sources, "flags": flags, "decisions": decisions}


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict:
    """A clean single ingest of the corpus (and how long the child process took, for the timed kills)."""
    url = str(tmp_path_factory.mktemp("reference") / "claims.db")
    t0 = time.monotonic()
    assert ingest(url, corpus) == 0
    seconds = time.monotonic() - t0
    ref = snapshot(url)
    assert len(ref["sources"]) == 5 * COPIES and ref["flags"]
    assert all(s["claims"] for s in ref["sources"].values())
    return {**ref, "seconds": seconds, "url": url}


def assert_consistent(url: str, reference: dict, *, also: tuple[dict, ...] = (),
                      flags_from: tuple | None = None) -> dict:
    """The database after a kill: intact, every row's references resolve, sections tile each source's text, every
    stored source is complete (equal to how a clean ingest of its file stores it: reference or one of also), and
    the flags are all or nothing (one of flags_from; default: none or the reference's). Returns the snapshot."""
    if flags_from is None:
        flags_from = ([], reference["flags"])
    if "://" not in url:
        con = sqlite3.connect(url)  # WAL recovery happens here, as it would for the next factcheck command
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            con.close()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            def orphans(child, parent_col, parent_id, nullable=False):
                stmt = (select(func.count()).select_from(child)
                        .where(~parent_col.in_(select(parent_id))))
                if nullable:
                    stmt = stmt.where(parent_col.is_not(None))
                return conn.execute(stmt).scalar_one()

            assert orphans(Claim, Claim.source_id, Source.id) == 0
            assert orphans(Claim, Claim.section_id, Section.id, nullable=True) == 0
            assert orphans(Claim, Claim.speaker_entity_id, Entity.id, nullable=True) == 0
            assert orphans(Section, Section.source_id, Source.id) == 0
            assert orphans(FlagMember, FlagMember.claim_id, Claim.id) == 0
            assert orphans(FlagMember, FlagMember.flag_id, Flag.id) == 0
            assert orphans(Alias, Alias.entity_id, Entity.id) == 0
            wrong_section = conn.execute(
                select(func.count()).select_from(Claim).join(Section, Section.id == Claim.section_id)
                .where(Section.source_id != Claim.source_id)).scalar_one()
            assert wrong_section == 0
            empty_flags = conn.execute(select(func.count()).select_from(Flag).where(
                ~Flag.id.in_(select(FlagMember.flag_id)))).scalar_one()
            assert empty_flags == 0 or not flags_from
    finally:
        engine.dispose()
    snap = snapshot(url)
    for path, src in snap["sources"].items():
        starts = [s for s, _, _ in src["sections"]]
        ends = [e for _, e, _ in src["sections"]]
        assert starts and starts[0] == 0 and starts[1:] == ends[:-1] and ends[-1] == src["length"], path
        assert src in [r["sources"].get(path) for r in (reference, *also)], \
            f"{path} is stored incompletely or differently from a clean ingest"
    if flags_from:
        assert snap["flags"] in flags_from, "flags half stored"
    return snap


def assert_complete(url: str, reference: dict) -> None:
    """The database equals a clean single ingest: same sources, sections, claims and flags."""
    snap = assert_consistent(url, reference)
    assert snap["sources"].keys() == reference["sources"].keys()
    assert snap["sources"] == reference["sources"]
    assert Counter(t for t, _, _ in snap["flags"]) == Counter(t for t, _, _ in reference["flags"])
    assert snap["flags"] == reference["flags"]


KILL_POINTS = ["load:2", "claims:1", "entities:9", "stored:24", "claims:30", "matching:1", "matched:1"]
BOTH_DATABASES = ["claims:17", "stored:24", "flags:6"]  # the same on PostgreSQL too (any_db_url)


def _killed_then_completed(url: str, corpus: Path, reference: dict, kill: str) -> None:
    """Kill a first ingest at a point; check what it left; ingest again; check it equals a clean ingest."""
    assert ingest(url, corpus, kill=kill) == -signal.SIGKILL  # the kill point was reached
    snap = assert_consistent(url, reference)
    stored = len(snap["sources"])
    point, n = kill.split(":")
    expected = {"load": int(n) - 1, "entities": int(n) - 1, "claims": int(n) - 1,
                "stored": int(n)}.get(point, 5 * COPIES)
    assert stored == expected  # what was committed before the kill is kept, the document in flight is not
    if point in ("matching", "flags"):
        assert snap["flags"] == []  # the matching transaction never committed
    if point == "matched":
        assert snap["flags"] == reference["flags"]
    assert ingest(url, corpus) == 0
    assert_complete(url, reference)


@pytest.mark.parametrize("kill", KILL_POINTS)
def test_ingest_killed_at_a_point_leaves_a_consistent_database(db_url, corpus, reference, kill):
    _killed_then_completed(db_url, corpus, reference, kill)


@pytest.mark.parametrize("kill", BOTH_DATABASES)
def test_ingest_killed_at_a_point_on_either_database(any_db_url, corpus, reference, kill):
    _killed_then_completed(any_db_url, corpus, reference, kill)


def test_ingest_killed_again_and_again_still_completes(db_url, corpus, reference):
    for kill in ("claims:4", "stored:5", "flags:3"):  # each run gets a bit further (counts are per run)
        assert ingest(db_url, corpus, kill=kill) == -signal.SIGKILL
        assert_consistent(db_url, reference)
    assert ingest(db_url, corpus) == 0
    assert_complete(db_url, reference)


@pytest.mark.parametrize("fraction,workers", [(0.2, 1), (0.5, 2), (0.85, 1)])
def test_ingest_killed_after_a_delay_leaves_a_consistent_database(db_url, corpus, reference, fraction, workers):
    # may finish first, or be killed before it starts writing: nothing is timed, only the state checked
    ingest(db_url, corpus, None, reference["seconds"] * fraction, "--workers", str(workers))
    assert_consistent(db_url, reference)
    assert ingest(db_url, corpus) == 0
    assert_complete(db_url, reference)


def _fill(folder: Path, corpus: Path, full: bool) -> Path:
    """Make folder hold half of the corpus, or (full) the whole corpus with the first document of that half
    edited: the same folder growing and changing, as a user's does between two ingests (a source is its file's
    location, so the claims' fingerprints of the two runs are comparable only for the same folder)."""
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    names = sorted(p.name for p in corpus.iterdir())
    for name in names if full else names[::2]:
        text = (corpus / name).read_text(encoding="utf-8")
        (folder / name).write_text(text + ("\nAn added line: 42 more staff left in 2019.\n" if full and name == names[0]
                                           else ""), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def two_runs(corpus, tmp_path_factory) -> tuple[Path, Path, dict]:
    """The folder the runs ingest, the corpus, and a clean ingest of the folder when it holds the whole corpus."""
    folder = _fill(tmp_path_factory.mktemp("two_runs") / "docs", corpus, full=True)
    clean = str(tmp_path_factory.mktemp("clean_full") / "claims.db")
    assert ingest(clean, folder) == 0
    return folder, corpus, snapshot(clean)


@pytest.mark.parametrize("kill", ["claims:1", "stored:1", "matching:1"])
def test_second_ingest_killed_keeps_the_first_and_the_decisions(db_url, two_runs, kill):
    """A database in use: half the corpus ingested and a verdict given; then the whole corpus (one document
    edited, so it is replaced) is ingested and killed. The earlier state and the verdict survive; again: done."""
    folder, corpus, expected = two_runs
    assert ingest(db_url, _fill(folder, corpus, full=False)) == 0
    first = snapshot(db_url)
    full = _fill(folder, corpus, full=True)
    edited = sorted(p.name for p in full.iterdir())[0]
    engine = make_engine(db_url)
    with engine.connect() as conn:
        cid = conn.execute(select(Claim.id).join(Source, Source.id == Claim.source_id)
                           .where(Source.path == edited).order_by(Claim.id).limit(1)).scalar_one()
    decide_claim(engine, cid, status="supported", note="kept across crashes", reviewer="rita")
    engine.dispose()

    assert ingest(db_url, full, kill=kill) == -signal.SIGKILL
    # every source as the first run stored it or as the second stores it; flags not checked: between storing
    # documents and matching them the flags of a replaced document are stale, crash or not
    snap = assert_consistent(db_url, first, also=(expected,), flags_from=())
    assert snap["sources"].keys() >= first["sources"].keys()
    if kill == "claims:1":  # killed while replacing the edited document: the old version is still there
        assert snap["sources"] == first["sources"]

    assert ingest(db_url, full) == 0
    final = assert_consistent(db_url, expected)
    assert final["sources"] == expected["sources"]
    assert final["flags"] == expected["flags"]
    engine = make_engine(db_url)
    with engine.connect() as conn:
        kept_claims = conn.execute(select(Claim.status, Claim.note).join(Source, Source.id == Claim.source_id)
                                   .where(Source.path == edited, Claim.status != "unreviewed")).all()
    engine.dispose()
    assert [tuple(r) for r in kept_claims] == [("supported", "kept across crashes")]
