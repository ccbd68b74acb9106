"""Every command, the review app included, on SQLite and on PostgreSQL (any_db_url), with the same results."""

from __future__ import annotations

import asyncio
import json

import pytest
from dbcounts import stored_flags
from sqlalchemy.engine import make_url

from factcheck.cli import main
from factcheck.db import make_engine


def cli(capsys, *argv) -> tuple[int, str, str]:
    """Run the CLI in-process; (status, stdout, stderr)."""
    capsys.readouterr()
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def cli_json(capsys, db: str, *argv):
    """A command's --json output, parsed."""
    status, out, err = cli(capsys, "--db", db, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def comparable(sources: list[dict], claims: list[dict], flags: list[dict]) -> dict:
    """What the seeds give, apart from ids and ingest times: claims are named by their fingerprints."""
    fp = {c["id"]: c["fingerprint"] for c in claims}

    def claim(c: dict) -> dict:
        return {k: v for k, v in c.items() if k not in ("id", "section_id", "claim_id")}

    def flag(f: dict) -> dict:
        details = dict(f["details"])
        if "correct" in details:
            details["correct"] = {**details["correct"], "claim_id": fp[details["correct"]["claim_id"]]}
        return {**{k: v for k, v in f.items() if k != "id"}, "details": details,
                "members": [{**claim(m), "claim": fp[m["claim_id"]]} for m in f["members"]]}

    return {"sources": [{k: v for k, v in s.items() if k not in ("id", "ingested_at")} for s in sources],
            "claims": [claim(c) for c in claims], "flags": [flag(f) for f in flags]}


def seeds_output(capsys, db: str) -> dict:
    """sources, claims and flags --json of a database, comparable across databases."""
    return comparable(cli_json(capsys, db, "sources"), cli_json(capsys, db, "claims"), cli_json(capsys, db, "flags"))


def test_seeds_give_the_same_sources_claims_and_flags_on_every_database(any_db_url, seeds_dir, tmp_path, capsys):
    reference = str(tmp_path / "reference.db")
    for db in (reference, any_db_url):
        status, out, err = cli(capsys, "--db", db, "ingest", seeds_dir)
        assert status == 0 and "5 sources ingested" in out, err
    assert cli(capsys, "--db", any_db_url, "match")[0] == 0  # new flag ids (PostgreSQL never reuses them)
    expected, got = seeds_output(capsys, reference), seeds_output(capsys, any_db_url)
    assert len(got["claims"]) > 400 and len(got["flags"]) == stored_flags(reference) >= 10
    assert got["sources"] == expected["sources"]
    assert got["claims"] == expected["claims"]
    assert got["flags"] == expected["flags"]


def _odd_time_zone(url: str) -> None:
    """Give a PostgreSQL database a server time zone far from UTC (times must still come back in UTC)."""
    if "://" not in url:
        return
    engine = make_engine(url, migrate=False)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"ALTER DATABASE \"{make_url(url).database}\" SET timezone TO 'Asia/Kathmandu'")
    engine.dispose()


def test_every_command_on_every_database(any_db_url, seeds_dir, tmp_path, capsys):
    db = any_db_url
    _odd_time_zone(db)
    assert cli(capsys, "--db", db, "ingest", seeds_dir)[0] == 0
    assert len(cli_json(capsys, db, "sources")) == 5

    quotes = cli_json(capsys, db, "claims", "--kind", "quote", "--source", "003_b1866")
    assert quotes and {c["kind"] for c in quotes} == {"quote"} and {c["source"] for c in quotes} == {
        "003_b1866b0f00dbf4d8.txt"}
    assert cli_json(capsys, db, "claims", "--kind", "quote", "--source", "003_B1866") == quotes  # any case
    assert cli_json(capsys, db, "claims", "--source", "003%") == []  # % is a character, not a wildcard
    assert cli_json(capsys, db, "claims", "--speaker", "Dame Glenys")

    (conflict,) = cli_json(capsys, db, "flags", "--type", "conflict")
    claim_id = quotes[0]["id"]
    status, out, err = cli(capsys, "--db", db, "verdict", claim_id, "supported", "--note", "checked",
                           "--reviewer", "alice")
    assert status == 0 and f"claim {claim_id}: unreviewed → supported (alice)" in out, err
    right = conflict["members"][1]["claim_id"]
    status, out, err = cli(capsys, "--db", db, "resolve", conflict["id"], "confirmed", "--correct", right,
                           "--reviewer", "bob")
    assert status == 0 and f"correct: claim {right}" in out, err

    assert cli(capsys, "--db", db, "match")[0] == 0  # flags get new ids; decisions follow their fingerprints
    (again,) = cli_json(capsys, db, "flags", "--type", "conflict")
    assert again["status"] == "confirmed" and again["details"]["correct"]["claim_id"] == right

    log = cli_json(capsys, db, "log")
    assert [(e["reviewer"], e["field"]) for e in log] == [("bob", "correct"), ("bob", "status"),
                                                          ("alice", "note"), ("alice", "status")]
    assert all(e["at"].endswith("+00:00") for e in log)  # UTC whatever the server's time zone
    assert len(cli_json(capsys, db, "log", "--flag", again["id"])) == 2
    assert len(cli_json(capsys, db, "log", "--claim", claim_id, "--limit", "1")) == 1
    status, out, _ = cli(capsys, "--db", db, "log")
    assert status == 0 and "bob  flag" in out

    for fmt in ("markdown", "html", "json", "csl-json", "bibtex", "claimreview", "csv"):
        target = tmp_path / f"export.{fmt}"
        status, _, err = cli(capsys, "--db", db, "export", "--format", fmt, "-o", target)
        assert status == 0 and target.stat().st_size > 100, (fmt, err)
    data = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    (flag,) = [f for f in data["flags"] if f["type"] == "conflict"]
    assert flag["reviewer"] == "bob" and flag["correct_claim_id"] == right  # found after the re-match
    assert "Confirmed (by bob" in (tmp_path / "export.markdown").read_text(encoding="utf-8")

    status, out, _ = cli(capsys, "--db", db, "db", "current")
    assert status == 0 and "up to date" in out


async def _settle(app, pilot, rounds: int = 4) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def test_review_app_on_every_database(any_db_url):
    """The app on the small database of tests/reviewdata.py, written into SQLite and PostgreSQL alike."""
    import reviewdata

    from factcheck import decisions
    from factcheck.review.app import ReviewApp
    from factcheck.review.screens.claims import ClaimsScreen
    from factcheck.review.screens.flags import FlagsScreen
    from factcheck.review.screens.source import SourceScreen

    reviewdata.build(any_db_url)
    engine = make_engine(any_db_url)

    async def main_():
        app = ReviewApp(engine, "tester", any_db_url)
        async with app.run_test(size=(120, 40)) as pilot:
            await _settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, FlagsScreen)
            n = reviewdata.N_FLAGS
            assert f"{n} of {n} flags open" in str(screen.summary.render())
            fid = int(screen.table.current_key)
            await pilot.press("c")
            await _settle(app, pilot)
            assert decisions.item_state(engine, "flag", fid)["status"] == "confirmed"
            await pilot.press("u")
            await _settle(app, pilot)
            assert decisions.item_state(engine, "flag", fid)["status"] == "open"

            await pilot.press("C")
            await _settle(app, pilot)
            assert isinstance(app.screen, ClaimsScreen)
            assert app.screen.count == reviewdata.N_CLAIMS
            await pilot.press("slash", *"kind:quote source:GAZETTE alder", "enter")
            await _settle(app, pilot)
            rows = list(app.screen.rows.values())
            assert rows and {r["kind"] for r in rows} == {"quote"}
            assert {r["source"] for r in rows} == {"gazette.txt"}
            cid = int(app.screen.table.current_key)
            await pilot.press("d")  # a verdict moves on to the next claim
            await _settle(app, pilot)
            assert decisions.item_state(engine, "claim", cid)["status"] == "disputed"
            shown = int(app.screen.table.current_key)
            await pilot.press("g")
            await _settle(app, pilot)
            assert isinstance(app.screen, SourceScreen) and app.screen.claim_id == shown
        return app

    asyncio.run(main_())
    assert [e["reviewer"] for e in decisions.history(engine)] == ["tester"] * 3


def test_unreachable_server_is_one_line_without_the_password(capsys):
    pytest.importorskip("psycopg")
    status, out, err = cli(capsys, "--db", "postgresql+psycopg://someone:secret@127.0.0.1:1/nowhere", "sources")
    assert status == 2 and out == "" and err.startswith("error: cannot open database")
    assert len(err.strip().splitlines()) == 1 and "secret" not in err
