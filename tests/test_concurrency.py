"""Several reviewers on one database at once (separate processes, SQLite and PostgreSQL): no lost update.

A decision made against the version a reviewer loaded is refused with the fresh state when someone else changed
the item meanwhile; under sustained contention every applied decision is in the audit log, and replaying the log
gives exactly the stored state.
"""

import json
import multiprocessing
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from factcheck.cli import main
from factcheck.db import make_engine
from factcheck.decisions import (
    CLAIM_STATUSES,
    FLAG_STATUSES,
    UNSET,
    NotFound,
    StaleVersion,
    decide_claim,
    decide_flag,
    item_state,
)
from factcheck.models import Decision, Flag

SPAWN = multiprocessing.get_context("spawn")  # fresh interpreters: nothing shared but the database
STRESS_WRITERS = 4
STRESS_SECONDS = 3.0
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _ingested(url: str, capsys) -> None:
    """The seeds ingested into the fresh database."""
    assert main(["--db", url, "ingest", str(SEEDS)]) == 0
    capsys.readouterr()


def _cli_json(capsys, url: str, *argv):
    """A `--json` command's output, parsed."""
    status = main([*argv, "--json", "--db", url])
    out = capsys.readouterr()
    assert status == 0, out.err
    return json.loads(out.out)


def _conflict_with_members(capsys, url: str) -> dict:
    """A flag with at least two member statements (so a correct one can be chosen)."""
    return next(f for f in _cli_json(capsys, url, "flags") if len({m["claim_id"] for m in f["members"]}) >= 2)


def _decide(engine, target: str, item_id: int, version: int, reviewer: str, status=None, note=None, correct=UNSET):
    """decide_claim or decide_flag against the version the caller loaded."""
    if target == "claim":
        return decide_claim(engine, item_id, status=status, note=note, reviewer=reviewer, expected_version=version)
    return decide_flag(engine, item_id, status=status, note=note, correct_claim_id=correct, reviewer=reviewer,
                       expected_version=version)


# --- two reviewers, one item -----------------------------------------------------------------------------------


def _race_worker(url, target, item_id, status, note, reviewer, barrier, results) -> None:
    """Load the item, wait until the other reviewer has loaded it too, then decide against the loaded version."""
    engine = make_engine(url)
    try:
        loaded = item_state(engine, target, item_id)["version"]
        barrier.wait(timeout=120)
        try:
            applied = _decide(engine, target, item_id, loaded, reviewer, status=status, note=note)
            results.put({"reviewer": reviewer, "loaded": loaded, "applied": applied.version})
        except StaleVersion as exc:
            results.put({"reviewer": reviewer, "loaded": loaded, "stale": str(exc), "current": exc.current})
    except BaseException as exc:  # noqa: BLE001 - reported to the test, which fails on it
        results.put({"reviewer": reviewer, "error": repr(exc)})
    finally:
        engine.dispose()


@pytest.mark.parametrize("target", ["claim", "flag"])
def test_two_processes_deciding_on_the_same_version_one_wins(capsys, any_db_url, target):
    _ingested(any_db_url, capsys)
    if target == "claim":
        item_id = _cli_json(capsys, any_db_url, "claims")[0]["id"]
        rounds = [{"ann": "supported", "ben": "false"}, {"ann": "disputed", "ben": "unverifiable"}]
    else:
        item_id = _conflict_with_members(capsys, any_db_url)["id"]
        rounds = [{"ann": "confirmed", "ben": "dismissed"}, {"ann": "open", "ben": "open"}]
    for round_, wanted in enumerate(rounds):  # the second round starts from the version the first one left
        notes = {r: f"by {r} in round {round_}" for r in wanted}
        engine = make_engine(any_db_url)
        before = item_state(engine, target, item_id)
        before_log = _log_of(engine, target, before["fingerprint"])
        engine.dispose()
        barrier, results = SPAWN.Barrier(2), SPAWN.Queue()
        procs = [SPAWN.Process(target=_race_worker, args=(any_db_url, target, item_id, wanted[r], notes[r], r, barrier,
                                                             results))
                 for r in wanted]
        for p in procs:
            p.start()
        outcome = [results.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert not [o for o in outcome if "error" in o], outcome
        assert {o["loaded"] for o in outcome} == {before["version"]}  # both loaded the same version
        winners = [o for o in outcome if "applied" in o]
        losers = [o for o in outcome if "stale" in o]
        assert len(winners) == 1 and len(losers) == 1, outcome
        win, lose = winners[0], losers[0]
        assert win["applied"] == before["version"] + 1
        # the loser is told who changed it and what it is now, and holds the fresh state
        assert lose["stale"].startswith(f"{target} {item_id} changed since you loaded it (by {win['reviewer']} at ")
        assert f"now {wanted[win['reviewer']]}, note '{notes[win['reviewer']]}'" in lose["stale"]
        cur = lose["current"]
        assert (cur["status"], cur["note"], cur["version"], cur["by"]) == (
            wanted[win["reviewer"]], notes[win["reviewer"]], before["version"] + 1, win["reviewer"])
        engine = make_engine(any_db_url)
        after = item_state(engine, target, item_id)
        log = _log_of(engine, target, after["fingerprint"])
        engine.dispose()
        assert {k: after[k] for k in ("status", "note", "version", "by")} == {
            k: cur[k] for k in ("status", "note", "version", "by")}
        assert {d["reviewer"] for d in log} - {"ann", "ben"} == set()
        changed = 2 if before["status"] != wanted[win["reviewer"]] else 1  # status (if it changed) and note
        assert [d["reviewer"] for d in log[-changed:]] == [win["reviewer"]] * changed  # only the winner's
        assert len(log) == len(before_log) + changed


def test_cli_expect_version_refuses_a_stale_decision(capsys, any_db_url):
    _ingested(any_db_url, capsys)
    cid = _cli_json(capsys, any_db_url, "claims")[1]["id"]
    flag = _conflict_with_members(capsys, any_db_url)
    cmd = [sys.executable, "-m", "factcheck", "--db", any_db_url]
    # two reviewers in two processes, both sure the claim is still at version 1
    procs = {who: subprocess.Popen([*cmd, "verdict", str(cid), status, "--expect-version", "1", "--reviewer", who],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for who, status in (("ann", "supported"), ("ben", "disputed"))}
    done = {who: (p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for who, p in procs.items()}
    assert sorted(code for code, _, _ in done.values()) == [0, 1], done
    winner = next(who for who, (code, _, _) in done.items() if code == 0)
    loser = next(who for who in done if who != winner)
    won_status = "supported" if winner == "ann" else "disputed"
    assert done[winner][1].startswith(f"claim {cid}: unreviewed → {won_status} ({winner})")
    code, out, err = done[loser]
    assert out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"error: claim {cid} changed since you loaded it (by {winner} at ")
    assert f": now {won_status}, no note (version 2, not 1 as expected; to decide again: --expect-version 2)" in err

    # the loser decides again on the fresh version: accepted
    status = main(["--db", any_db_url, "verdict", str(cid), "false", "--expect-version", "2", "--reviewer", loser])
    out = capsys.readouterr()
    assert status == 0 and out.out.startswith(f"claim {cid}: {won_status} → false ({loser})"), out.err

    # resolve takes it too; a stale one changes nothing
    status = main(["--db", any_db_url, "resolve", str(flag["id"]), "confirmed", "--expect-version", "7"])
    out = capsys.readouterr()
    assert status == 1 and out.err.startswith(f"error: flag {flag['id']} changed since you loaded it: now open")
    assert out.err.rstrip().endswith("(version 1, not 7 as expected; to decide again: --expect-version 1)")
    status = main(["--db", any_db_url, "resolve", str(flag["id"]), "confirmed", "--expect-version", "1",
                   "--reviewer", "cat"])
    out = capsys.readouterr()
    assert status == 0 and out.out.startswith(f"flag {flag['id']}: open → confirmed (cat)"), out.err
    assert [e["reviewer"] for e in _cli_json(capsys, any_db_url, "log")] == ["cat", loser, winner]


# --- sustained contention ----------------------------------------------------------------------------------------


def _stress_worker(url, items, seconds, seed, reviewer, out_path, ready, go) -> None:
    """For a bounded time: load a random item, decide something random against the loaded version; on
    StaleVersion decide the same again against the fresh version. Writes what was applied to out_path."""
    rng = random.Random(seed)
    applied, stale, errors, noops = [], 0, [], 0
    engine = make_engine(url)
    ready.release()
    go.wait(timeout=120)
    deadline = time.monotonic() + seconds
    i = 0
    try:
        while time.monotonic() < deadline:
            i += 1
            target, item_id, members = rng.choice(items)
            version = item_state(engine, target, item_id)["version"]
            status = rng.choice(CLAIM_STATUSES if target == "claim" else FLAG_STATUSES)
            note = rng.choice([None, "", f"{reviewer} #{i}"])
            correct = rng.choice([UNSET, None, *members]) if target == "flag" else UNSET
            for _attempt in range(50):
                try:
                    a = _decide(engine, target, item_id, version, reviewer, status=status, note=note, correct=correct)
                except StaleVersion as exc:
                    stale += 1
                    version = exc.current["version"]  # what a reviewer does after reading the fresh state
                    continue
                if a.decision_ids:
                    applied.append({"target": a.target, "id": a.target_id, "decision_ids": a.decision_ids,
                                    "old": a.old, "new": a.new, "version": a.version})
                else:
                    noops += 1
                break
    except Exception as exc:  # noqa: BLE001 - e.g. "database is locked": reported to the test
        errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"applied": applied, "stale": stale, "noops": noops, "errors": errors, "loops": i}, f)


def _log_of(engine, target: str, fingerprint: str) -> list[dict]:
    """The item's Decision rows, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(Decision).where(Decision.target == target, Decision.fingerprint == fingerprint)
                            .order_by(Decision.id))
        return [dict(r._mapping) for r in rows]


def _text(v):
    """A value as the audit log stores it."""
    return None if v is None else str(v)


def test_writers_under_contention_lose_no_update(capsys, any_db_url, tmp_path):
    _ingested(any_db_url, capsys)
    claim_ids = [c["id"] for c in _cli_json(capsys, any_db_url, "claims")[:3]]
    conflict = _conflict_with_members(capsys, any_db_url)
    other = next(f for f in _cli_json(capsys, any_db_url, "flags") if f["id"] != conflict["id"])
    items = [("claim", cid, []) for cid in claim_ids] + [
        ("flag", f["id"], sorted({m["claim_id"] for m in f["members"]})) for f in (conflict, other)]
    engine = make_engine(any_db_url)
    initial = {(t, i): item_state(engine, t, i) for t, i, _ in items}
    assert all(s["version"] == 1 and s["note"] is None for s in initial.values())

    ready, go = SPAWN.Semaphore(0), SPAWN.Event()
    outs = [tmp_path / f"writer{n}.json" for n in range(STRESS_WRITERS)]
    procs = [SPAWN.Process(target=_stress_worker, args=(any_db_url, items, STRESS_SECONDS, 1000 + n, f"w{n}",
                                                       str(outs[n]), ready, go)) for n in range(STRESS_WRITERS)]
    for p in procs:
        p.start()
    for _ in procs:
        assert ready.acquire(timeout=120)
    go.set()  # all start writing together
    for p in procs:
        p.join(timeout=STRESS_SECONDS + 120)
        assert p.exitcode == 0
    results = [json.loads(o.read_text()) for o in outs]
    errors = [e for r in results for e in r["errors"]]
    assert errors == [], errors
    applied = [a for r in results for a in r["applied"]]
    assert all(r["applied"] for r in results)  # every writer got decisions through
    print(f"\n{'postgresql' if '://' in any_db_url else 'sqlite'}: {len(applied)} applied, "
          f"{sum(r['stale'] for r in results)} stale, "
          f"{sum(r['noops'] for r in results)} no-ops in {sum(r['loops'] for r in results)} attempts")

    all_logged = set()
    for target, item_id, _ in items:
        final = item_state(engine, target, item_id)
        mine = sorted((a for a in applied if (a["target"], a["id"]) == (target, item_id)), key=lambda a: a["version"])
        log = _log_of(engine, target, final["fingerprint"])
        all_logged |= {d["id"] for d in log}

        # each applied decision moved the item one version on from a version nobody else moved it from
        assert [a["version"] for a in mine] == list(range(2, final["version"] + 1))
        # every applied decision is in the log, and the log holds nothing else (one row per changed field)
        assert sorted(i for a in mine for i in a["decision_ids"]) == [d["id"] for d in log]
        assert sum(len(a["new"]) for a in mine) == len(log)
        assert [a["decision_ids"] for a in mine] == sorted(a["decision_ids"] for a in mine)  # log order = versions
        by_id = {d["id"]: d for d in log}
        for a in mine:
            assert sorted(by_id[i]["field"] for i in a["decision_ids"]) == sorted(a["new"])
            assert len({by_id[i]["reviewer"] for i in a["decision_ids"]}) == 1

        # what each writer saw as "old" is what the one before it left
        fields = ("status", "note", "correct") if target == "flag" else ("status", "note")
        state = {k: initial[(target, item_id)][k] for k in fields}
        for a in mine:
            assert a["old"] == {k: state[k] for k in a["old"]}, a
            state.update(a["new"])
        assert state == {k: final[k] for k in fields}

        # replaying the audit log from the initial state gives exactly the stored state
        state = {k: _text(initial[(target, item_id)][k]) for k in fields}
        for d in log:
            assert d["old"] == state[d["field"]], d
            state[d["field"]] = d["new"]
        assert state == {k: _text(final[k]) for k in fields}
        assert (final["by"] is None) == (not log) and (not log or final["by"] == log[-1]["reviewer"])

    with engine.connect() as conn:  # no decision on anything else, none unaccounted for
        assert {d for (d,) in conn.execute(select(Decision.id))} == all_logged
    engine.dispose()


# --- a reviewer and a matching run -------------------------------------------------------------------------------

# `factcheck match` in a child process that pauses inside store_flags, after it has read the reviewers' decisions
# to carry over and before it deletes the old flags (the first `delete` it builds), holding the write lock on the
# flags, and goes on only when told so on its standard input.
MATCH_WITH_A_PAUSE = r"""
import sys
import factcheck.match.store as ms
real, paused = ms.delete, []
def delete(*a, **k):
    if not paused:
        paused.append(1)
        print("paused", flush=True)
        assert sys.stdin.readline() == "go\n"
    return real(*a, **k)
ms.delete = delete
from factcheck.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _watch_flag_writes(engine, started_writing) -> None:
    """Call started_writing() when a decision's UPDATE of a flag has started running in the database: on SQLite
    when SQLite begins executing it (its trace callback, before the statement asks for the write lock), on
    PostgreSQL just before it is sent (the caller then waits for the server to show it waiting for the lock)."""
    def is_flag_update(sql: str) -> bool:
        return sql.lstrip().upper().startswith("UPDATE FLAG ")

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn, cursor, statement, parameters, context, executemany):
        if not is_flag_update(statement):
            return
        if engine.dialect.name == "sqlite":
            cursor.connection.set_trace_callback(lambda sql: is_flag_update(sql) and started_writing())
        else:
            started_writing()

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, parameters, context, executemany):
        if engine.dialect.name == "sqlite" and is_flag_update(statement):
            cursor.connection.set_trace_callback(None)


def _waiting_for_a_lock(url: str, decision: threading.Thread) -> None:
    """On PostgreSQL, return once the server shows an UPDATE of flag waiting for a lock (or the decision ended)."""
    admin = make_engine(url, migrate=False)
    try:
        with admin.connect() as conn:
            while decision.is_alive() and not conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query ILIKE 'UPDATE flag %'")).scalar():
                time.sleep(0.01)  # polling the server's own view: how long it takes does not matter
    finally:
        admin.dispose()


def test_a_decision_during_matching_is_not_lost(capsys, any_db_url):
    """A reviewer decides while a matching run is between reading the decisions to carry over and replacing the
    flags: the decision reads the flag as it was before matching, and its write is under way while matching waits
    at that point (no sleep: the matcher goes on only once the write has started, or on PostgreSQL once the
    server shows it waiting for the matcher's lock). It must be refused or survive in the rebuilt flag."""
    _ingested(any_db_url, capsys)
    flag = _conflict_with_members(capsys, any_db_url)
    engine = make_engine(any_db_url)
    fp = item_state(engine, "flag", flag["id"])["fingerprint"]
    proc = subprocess.Popen([sys.executable, "-c", MATCH_WITH_A_PAUSE, "--db", any_db_url, "match"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    writing, wake, outcome = threading.Event(), threading.Event(), {}

    def decide() -> None:
        try:  # refused (changed, or the flag was rebuilt under a new id) is fine; applied and then lost is not
            outcome["applied"] = decide_flag(engine, flag["id"], status="confirmed", note="decided while matching ran",
                                             reviewer="ann", expected_version=1, expected_fingerprint=fp)
        except (StaleVersion, NotFound):
            outcome["applied"] = None
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcome["error"] = repr(exc)
        finally:
            wake.set()  # never leave the test waiting

    try:
        assert proc.stdout.readline() == "paused\n", proc.stderr.read()
        _watch_flag_writes(engine, lambda: (writing.set(), wake.set()))
        decision = threading.Thread(target=decide)
        decision.start()
        wake.wait()  # the decision's write has started, or the decision ended without one
        write_started = writing.is_set() and "applied" not in outcome and "error" not in outcome
        if engine.dialect.name == "postgresql":
            _waiting_for_a_lock(any_db_url, decision)
        proc.stdin.write("go\n")
        proc.stdin.flush()
        decision.join()
        assert proc.wait(timeout=120) == 0, proc.stderr.read()
    finally:
        proc.kill()
        proc.communicate()
    assert "error" not in outcome, outcome
    assert write_started, "the decision never got to write while matching was paused"
    applied = outcome["applied"]
    with engine.connect() as conn:
        fid = conn.execute(select(Flag.id).where(Flag.fingerprint == fp)).scalar_one()
    now = item_state(engine, "flag", fid)
    log = _log_of(engine, "flag", fp)
    engine.dispose()
    state = {"status": "open", "note": None}  # replaying the log gives the stored state
    for d in log:
        state[d["field"]] = d["new"]
    assert state == {"status": now["status"], "note": now["note"]}
    if applied is not None:
        assert (now["status"], now["note"]) == ("confirmed", "decided while matching ran")
