"""Re-ingesting edited seeds: verdicts, notes and flag resolutions stay with claims that are still there."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from factcheck import decisions
from factcheck.cli import main
from factcheck.db import make_engine


def cli_json(capsys, *args) -> list[dict]:
    """Run a listing command with --json."""
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def corpus(tmp_path, seeds_dir, db_url, capsys):
    """The seeds copied to a folder of their own, ingested, with reviewers' decisions on them."""
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    assert main(["--db", db_url, "ingest", str(folder)]) == 0
    capsys.readouterr()
    return folder


def claims_by_id(capsys, db):
    """Every claim keyed by id."""
    return {c["id"]: c for c in cli_json(capsys, "--db", db, "claims")}


def pick(claims, source_prefix, kind, ok=lambda c: True):
    """The first claim of a kind in a source that passes ok()."""
    return next(c for c in claims.values() if c["source"].startswith(source_prefix) and c["kind"] == kind and ok(c))


def test_verdicts_follow_claims_through_edits_and_vanished_ones_are_orphaned(corpus, db_url, capsys):
    engine = make_engine(db_url)
    before = claims_by_id(capsys, db_url)
    path = next(corpus.glob("002_*"))
    text = path.read_text(encoding="utf-8")
    qty = pick(before, "002", "quantity", lambda c: len(c["excerpt"]) > 80 and c["excerpt"].count(c["text"]) == 1)
    quote = pick(before, "002", "quote", lambda c: len(c["text"].split()) >= 12)
    gone = pick(before, "002", "date", lambda c: c["id"] not in (qty["id"], quote["id"]) and not c["relative"])
    for c, status, note in ((qty, "supported", "checked"), (quote, "disputed", None), (gone, "false", "wrong day")):
        decisions.decide_claim(engine, c["id"], status=status, note=note, reviewer="alice")

    # the edit: a note on top (every offset moves), a word changed next to the figure, a word in the quote,
    # and the paragraph holding the date removed
    words = [w for w in re.findall(r"[A-Za-z]{5,}", qty["excerpt"]) if w not in qty["text"]]
    text = text.replace(qty["excerpt"], qty["excerpt"].replace(words[-1], "Reportedly", 1), 1)
    qwords = quote["text"].split()
    changed_quote = " ".join(qwords[:6] + [qwords[6] + "ly"] + qwords[7:])
    text = text.replace(quote["text"], changed_quote, 1)
    para_start = text.rfind("\n", 0, text.index(gone["excerpt"])) + 1
    para_end = text.find("\n", text.index(gone["excerpt"]) + len(gone["excerpt"]))
    text = text[:para_start] + text[para_end + 1:]
    path.write_text("Editor's note: this story was updated.\n\n" + text, encoding="utf-8")

    assert main(["--db", db_url, "ingest", str(corpus)]) == 0
    capsys.readouterr()
    after = claims_by_id(capsys, db_url)
    new_text = path.read_text(encoding="utf-8")
    for c, status, note in ((qty, "supported", "checked"), (quote, "disputed", None)):
        now = after[c["id"]]  # same id, same verdict, offsets into the new text
        assert (now["status"], now["note"]) == (status, note)
        assert new_text[now["start"]:now["end"]] == now["text"]
        assert now["start"] > c["start"]
    orphan = after[gone["id"]]
    assert orphan["status"] == "orphaned" and orphan["note"] == "wrong day"
    assert gone["text"] in orphan["excerpt"]  # where it was, kept
    log = decisions.history(engine, "claim", gone["id"])
    assert log[0]["reviewer"] == "factcheck" and (log[0]["old"], log[0]["new"]) == ("false", "orphaned")
    assert any(e["reviewer"] == "alice" for e in log)  # its history is still there

    # putting the paragraph back brings the verdict back
    path.write_text(path.read_text(encoding="utf-8").replace("Editor's note: this story was updated.\n\n", "")
                    + "\n" + gone["excerpt"] + "\n", encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(corpus)]) == 0
    capsys.readouterr()
    back = claims_by_id(capsys, db_url)[gone["id"]]
    assert back["status"] == "false" and back["note"] == "wrong day"


def test_a_changed_figure_does_not_inherit_the_old_verdict(corpus, db_url, capsys):
    engine = make_engine(db_url)
    before = claims_by_id(capsys, db_url)
    qty = pick(before, "002", "quantity", lambda c: re.fullmatch(r"\d+%?", c["text"]) is not None)
    decisions.decide_claim(engine, qty["id"], status="supported", reviewer="alice")
    path = next(corpus.glob("002_*"))
    number = re.search(r"\d+", qty["text"]).group()
    path.write_text(path.read_text(encoding="utf-8").replace(qty["excerpt"], qty["excerpt"].replace(
        qty["text"], qty["text"].replace(number, str(int(number) + 7), 1), 1), 1), encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(corpus)]) == 0
    capsys.readouterr()
    after = claims_by_id(capsys, db_url)
    assert after[qty["id"]]["status"] == "orphaned"
    new = [c for c in after.values() if c["source"] == qty["source"] and c["value"] == qty["value"] + 7]
    assert new and all(c["status"] == "unreviewed" for c in new)


def test_flag_resolutions_survive_a_reingest_that_moves_everything(corpus, db_url, capsys):
    engine = make_engine(db_url)
    conflict = cli_json(capsys, "--db", db_url, "flags", "--type", "conflict")[0]
    variant = cli_json(capsys, "--db", db_url, "flags", "--type", "quote_variant")[0]
    right = conflict["members"][2]["claim_id"]
    decisions.decide_flag(engine, conflict["id"], status="confirmed", correct_claim_id=right, note="16 June",
                          reviewer="alice")
    decisions.decide_flag(engine, variant["id"], status="dismissed", reviewer="bob")
    for path in corpus.glob("00*"):
        path.write_text("Archived copy.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(corpus)]) == 0
    capsys.readouterr()
    flags = cli_json(capsys, "--db", db_url, "flags")
    again = next(f for f in flags if f["type"] == "conflict")
    assert (again["status"], again["note"]) == ("confirmed", "16 June")
    assert again["details"]["correct"]["claim_id"] == right
    assert next(f for f in flags if f["type"] == "quote_variant" and f["summary"] == variant["summary"])["status"] \
        == "dismissed"
