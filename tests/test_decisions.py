"""Review decisions as a reviewer meets them: verdicts, flag resolutions, the audit log, undo, stale edits."""

import json

import pytest

from factcheck import decisions
from factcheck.cli import main
from factcheck.db import make_engine
from factcheck.decisions import NotFound, StaleVersion, decide_claim, decide_flag, history, item_state, undo


def run(capsys, *argv):
    """Run the CLI in-process; return (status, stdout, stderr)."""
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def claims(capsys, db) -> dict[int, dict]:
    """`claims --json` by id."""
    status, out, err = run(capsys, "claims", "--json", "--db", db)
    assert status == 0, err
    return {c["id"]: c for c in json.loads(out)}


def flags(capsys, db, type_=None) -> list[dict]:
    """`flags --json` (optionally one type)."""
    status, out, err = run(capsys, "flags", "--json", "--db", db, *(["--type", type_] if type_ else []))
    assert status == 0, err
    return json.loads(out)


def log(capsys, db, *extra) -> list[dict]:
    """`log --json` with extra arguments."""
    status, out, err = run(capsys, "log", "--json", "--db", db, *extra)
    assert status == 0, err
    return json.loads(out)


def a_claim(capsys, db) -> int:
    """The id of some unreviewed claim."""
    return next(c["id"] for c in claims(capsys, db).values() if c["status"] == "unreviewed")


def conflict(capsys, db) -> dict:
    """The first conflict flag of the seeds, with at least two member statements."""
    found = [f for f in flags(capsys, db, "conflict") if len({m["claim_id"] for m in f["members"]}) >= 2]
    assert found, "the seeds should give at least one conflict"
    return found[0]


def test_verdict_changes_status_and_logs_the_reviewer(capsys, review_db):
    cid = a_claim(capsys, review_db)
    status, out, err = run(capsys, "verdict", str(cid), "supported", "--reviewer", "alice", "--db", review_db)
    assert status == 0, err
    assert out.splitlines()[0] == f"claim {cid}: unreviewed → supported (alice)"
    assert claims(capsys, review_db)[cid]["status"] == "supported"
    (entry,) = log(capsys, review_db)
    assert (entry["reviewer"], entry["target"], entry["target_id"]) == ("alice", "claim", cid)
    assert (entry["field"], entry["old"], entry["new"]) == ("status", "unreviewed", "supported")
    status, out, _ = run(capsys, "log", "--db", review_db)
    assert status == 0 and f"alice  claim {cid}  status  unreviewed → supported" in out


def test_reviewer_comes_from_the_environment(capsys, review_db, monkeypatch):
    monkeypatch.setenv("FACTCHECK_REVIEWER", "bob")
    cid = a_claim(capsys, review_db)
    status, out, _ = run(capsys, "verdict", str(cid), "false", "--db", review_db)
    assert status == 0 and out.startswith(f"claim {cid}: unreviewed → false (bob)")
    assert log(capsys, review_db)[0]["reviewer"] == "bob"
    assert decisions.reviewer_name("carol") == "carol"  # an explicit name beats the environment


def test_reviewer_falls_back_to_login_name_then_unknown(monkeypatch):
    monkeypatch.delenv("FACTCHECK_REVIEWER", raising=False)
    monkeypatch.setattr(decisions.getpass, "getuser", lambda: "dora")
    assert decisions.reviewer_name() == "dora"

    def no_user():
        raise OSError("no login name")

    monkeypatch.setattr(decisions.getpass, "getuser", no_user)
    assert decisions.reviewer_name() == "unknown"


def test_note_is_set_shown_and_cleared(capsys, review_db):
    cid = a_claim(capsys, review_db)
    status, out, _ = run(capsys, "verdict", str(cid), "disputed", "--note", "the report says 95",
                         "--reviewer", "alice", "--db", review_db)
    assert status == 0 and "  note: the report says 95" in out
    assert claims(capsys, review_db)[cid]["note"] == "the report says 95"
    status, out, _ = run(capsys, "verdict", str(cid), "disputed", "--note", "", "--reviewer", "alice",
                         "--db", review_db)
    assert status == 0
    after = claims(capsys, review_db)[cid]
    assert (after["status"], after["note"]) == ("disputed", None)
    fields = [(e["field"], e["old"], e["new"]) for e in log(capsys, review_db, "--claim", str(cid))]
    assert fields == [("note", "the report says 95", None), ("note", None, "the report says 95"),
                      ("status", "unreviewed", "disputed")]


def test_same_verdict_twice_writes_nothing(capsys, review_db):
    cid = a_claim(capsys, review_db)
    run(capsys, "verdict", str(cid), "supported", "--reviewer", "alice", "--db", review_db)
    status, out, _ = run(capsys, "verdict", str(cid), "supported", "--reviewer", "alice", "--db", review_db)
    assert status == 0 and "nothing changed" in out
    assert len(log(capsys, review_db)) == 1


@pytest.mark.parametrize("argv, message", [
    (["verdict", "999999", "supported"], "no claim with id 999999"),
    (["resolve", "999999", "confirmed"], "no flag with id 999999"),
])
def test_unknown_id_is_one_error_line(capsys, review_db, argv, message):
    status, out, err = run(capsys, *argv, "--reviewer", "alice", "--db", review_db)
    assert status == 1 and out == ""
    assert err.splitlines() == [f"error: {message}"]
    assert log(capsys, review_db) == []


def test_bad_status_is_refused_with_the_valid_ones(capsys, review_db):
    with pytest.raises(SystemExit):
        main(["verdict", "1", "maybe", "--db", review_db])
    assert "supported" in capsys.readouterr().err
    with pytest.raises(decisions.DecisionError, match="not_a_claim"):
        decide_claim(make_engine(review_db), 1, status="maybe", reviewer="alice")


def test_resolve_conflict_with_the_correct_statement(capsys, review_db):
    flag = conflict(capsys, review_db)
    right = flag["members"][1]
    status, out, err = run(capsys, "resolve", str(flag["id"]), "confirmed", "--correct", str(right["claim_id"]),
                           "--note", "the press release says so", "--reviewer", "alice", "--db", review_db)
    assert status == 0, err
    assert out.splitlines()[0] == f"flag {flag['id']}: open → confirmed (alice)"
    assert f"correct: claim {right['claim_id']}" in out
    (after,) = [f for f in flags(capsys, review_db, "conflict") if f["id"] == flag["id"]]
    assert (after["status"], after["note"]) == ("confirmed", "the press release says so")
    assert after["details"]["correct"] == {"claim_id": right["claim_id"], "fingerprint": right["fingerprint"]}
    entries = {e["field"]: e for e in log(capsys, review_db, "--flag", str(flag["id"]))}
    assert set(entries) == {"status", "note", "correct"}
    assert (entries["correct"]["old"], entries["correct"]["new"]) == (None, str(right["claim_id"]))
    assert item_state(make_engine(review_db), "flag", flag["id"])["correct"] == right["claim_id"]


def test_resolve_with_a_claim_outside_the_flag_is_refused(capsys, review_db):
    flag = conflict(capsys, review_db)
    members = {m["claim_id"] for m in flag["members"]}
    outsider = next(cid for cid in claims(capsys, review_db) if cid not in members)
    status, out, err = run(capsys, "resolve", str(flag["id"]), "confirmed", "--correct", str(outsider),
                           "--reviewer", "alice", "--db", review_db)
    assert status == 1 and out == ""
    assert err.splitlines() == [f"error: claim {outsider} is not a statement of flag {flag['id']}"]
    (after,) = [f for f in flags(capsys, review_db, "conflict") if f["id"] == flag["id"]]
    assert after["status"] == "open" and "correct" not in after["details"]
    assert log(capsys, review_db) == []


def test_clearing_the_correct_statement(capsys, review_db):
    engine = make_engine(review_db)
    flag = conflict(capsys, review_db)
    cid = flag["members"][0]["claim_id"]
    decide_flag(engine, flag["id"], correct_claim_id=cid, reviewer="alice")
    applied = decide_flag(engine, flag["id"], correct_claim_id=None, reviewer="alice")
    assert (applied.old, applied.new) == ({"correct": cid}, {"correct": None})
    assert item_state(engine, "flag", flag["id"])["correct"] is None


def test_stale_version_is_refused_and_nothing_is_written(capsys, review_db):
    engine = make_engine(review_db)
    cid = a_claim(capsys, review_db)
    loaded = item_state(engine, "claim", cid)["version"]
    decide_claim(engine, cid, status="disputed", note="x", reviewer="bob", expected_version=loaded)
    before = history(engine)
    with pytest.raises(StaleVersion) as info:
        decide_claim(engine, cid, status="supported", reviewer="alice", expected_version=loaded)
    assert info.value.current["status"] == "disputed" and info.value.current["note"] == "x"
    assert info.value.current["version"] == loaded + 1 and info.value.current["by"] == "bob"
    assert f"claim {cid} changed since you loaded it (by bob at " in str(info.value)
    assert "now disputed, note 'x'" in str(info.value)
    assert history(engine) == before
    assert claims(capsys, review_db)[cid]["status"] == "disputed"


def test_undo_restores_and_the_log_only_grows(capsys, review_db):
    engine = make_engine(review_db)
    cid = a_claim(capsys, review_db)
    applied = decide_claim(engine, cid, status="false", note="wrong year", reviewer="alice")
    assert applied.old == {"status": "unreviewed", "note": None}
    assert applied.new == {"status": "false", "note": "wrong year"}
    assert len(applied.decision_ids) == 2
    logged = [e["id"] for e in history(engine)]
    back = undo(engine, applied, reviewer="alice")
    restored = claims(capsys, review_db)[cid]
    assert (restored["status"], restored["note"]) == ("unreviewed", None)
    after = history(engine)
    assert [e["id"] for e in after][len(back.decision_ids):] == logged  # old entries all still there
    assert len(after) == len(logged) + 2
    assert all(e["note"].startswith("undo: ") for e in after[:2])
    assert back.version == applied.version + 1


def test_undo_a_flag_decision_restores_the_correct_statement(capsys, review_db):
    engine = make_engine(review_db)
    flag = conflict(capsys, review_db)
    first, second = flag["members"][0]["claim_id"], flag["members"][1]["claim_id"]
    decide_flag(engine, flag["id"], status="confirmed", correct_claim_id=first, reviewer="alice")
    applied = decide_flag(engine, flag["id"], correct_claim_id=second, note="no, this one", reviewer="bob")
    undo(engine, applied, reviewer="bob")
    state = item_state(engine, "flag", flag["id"])
    assert (state["status"], state["note"], state["correct"]) == ("confirmed", None, first)


def test_undo_after_someone_else_changed_it_is_refused(capsys, review_db):
    engine = make_engine(review_db)
    cid = a_claim(capsys, review_db)
    applied = decide_claim(engine, cid, status="supported", reviewer="alice")
    decide_claim(engine, cid, note="looked again", reviewer="bob")
    before = history(engine)
    with pytest.raises(StaleVersion) as info:
        undo(engine, applied, reviewer="alice")
    assert info.value.current["by"] == "bob" and info.value.current["note"] == "looked again"
    assert history(engine) == before
    assert claims(capsys, review_db)[cid]["status"] == "supported"


def test_undo_walks_back_through_ones_own_decisions_newest_first(capsys, review_db):
    engine = make_engine(review_db)
    cid = a_claim(capsys, review_db)
    first = decide_claim(engine, cid, status="supported", reviewer="alice")
    second = decide_claim(engine, cid, status="false", note="wrong year", reviewer="alice")
    undo(engine, second, reviewer="alice")
    assert (item_state(engine, "claim", cid)["status"], item_state(engine, "claim", cid)["note"]) == ("supported", None)
    undo(engine, first, reviewer="alice")  # the later version came from alice's own undo: not someone else's change
    assert item_state(engine, "claim", cid)["status"] == "unreviewed"
    assert [e["reviewer"] for e in history(engine, "claim", cid)] == ["alice"] * 6


def test_undo_of_an_older_decision_while_a_later_one_of_ones_own_stands_is_refused(capsys, review_db):
    engine = make_engine(review_db)
    cid = a_claim(capsys, review_db)
    first = decide_claim(engine, cid, status="supported", reviewer="alice")
    decide_claim(engine, cid, status="false", reviewer="alice")
    with pytest.raises(StaleVersion, match="changed since your decision"):
        undo(engine, first, reviewer="alice")  # would silently throw away the later verdict
    assert item_state(engine, "claim", cid)["status"] == "false"


def test_undo_after_someone_else_changed_it_and_changed_it_back_is_still_refused(capsys, review_db):
    engine = make_engine(review_db)
    cid = a_claim(capsys, review_db)
    mine = decide_claim(engine, cid, status="supported", reviewer="alice")
    decide_claim(engine, cid, note="checked", reviewer="bob")
    decide_claim(engine, cid, note="", reviewer="bob")
    with pytest.raises(StaleVersion, match="changed by someone else since your decision .by bob"):
        undo(engine, mine, reviewer="alice")
    assert item_state(engine, "claim", cid)["status"] == "supported"


def test_unknown_item_raises_not_found(review_db):
    engine = make_engine(review_db)
    with pytest.raises(NotFound):
        decide_claim(engine, 999999, status="false", reviewer="alice")
    with pytest.raises(NotFound):
        item_state(engine, "flag", 999999)


def test_decisions_survive_rematching(capsys, review_db):
    engine = make_engine(review_db)
    flag = conflict(capsys, review_db)
    right = flag["members"][-1]
    decide_flag(engine, flag["id"], status="confirmed", note="checked", correct_claim_id=right["claim_id"],
                reviewer="alice")
    version = item_state(engine, "flag", flag["id"])["version"]
    cid = a_claim(capsys, review_db)
    decide_claim(engine, cid, status="unverifiable", note="no source", reviewer="alice")
    status, _, err = run(capsys, "match", "--db", review_db)
    assert status == 0, err
    (again,) = [f for f in flags(capsys, review_db, "conflict")
                if {m["fingerprint"] for m in f["members"]} == {m["fingerprint"] for m in flag["members"]}]
    assert (again["status"], again["note"]) == ("confirmed", "checked")
    assert again["details"]["correct"] == {"claim_id": right["claim_id"], "fingerprint": right["fingerprint"]}
    assert item_state(engine, "flag", again["id"])["version"] == version
    assert len(log(capsys, review_db, "--flag", str(again["id"]))) == 3
    kept = claims(capsys, review_db)[cid]
    assert (kept["status"], kept["note"]) == ("unverifiable", "no source")


def test_log_filters_and_limits(capsys, review_db):
    engine = make_engine(review_db)
    cid = a_claim(capsys, review_db)
    flag = conflict(capsys, review_db)
    decide_claim(engine, cid, status="supported", reviewer="alice")
    decide_flag(engine, flag["id"], status="dismissed", reviewer="bob")
    assert [e["target"] for e in log(capsys, review_db)] == ["flag", "claim"]
    assert [e["target"] for e in log(capsys, review_db, "--claim", str(cid))] == ["claim"]
    assert len(log(capsys, review_db, "--limit", "1")) == 1
    status, out, _ = run(capsys, "log", "--flag", "999999", "--db", review_db)
    assert status == 0 and out.strip() == "No decisions on flag 999999."


def test_two_writers_cannot_both_win(capsys, review_db, monkeypatch):
    """Another process commits between our read and our write: the guarded update refuses ours."""
    mine, theirs = make_engine(review_db), make_engine(review_db)
    cid = a_claim(capsys, review_db)
    read = decisions._row
    interleaved = []

    def read_then_other_writer_commits(conn, target, target_id):
        row = read(conn, target, target_id)
        if not interleaved:
            interleaved.append(target_id)  # before the call: the other writer reads through here too
            decide_claim(theirs, target_id, status="false", reviewer="bob")
        return row

    monkeypatch.setattr(decisions, "_row", read_then_other_writer_commits)
    with pytest.raises(StaleVersion) as info:
        decide_claim(mine, cid, status="supported", reviewer="alice")
    assert info.value.current["status"] == "false" and info.value.current["by"] == "bob"
    assert [e["reviewer"] for e in history(mine)] == ["bob"]
