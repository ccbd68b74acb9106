"""The review surface on the command line (issue 17): tables on a terminal, plain lines when piped, the status
and paging filters, `show claim` / `show flag`, versions in the JSON, help with examples, and one-line answers
for a missing database, unsupported files and URLs. Built on the small review database (tests/reviewdata.py)
and on tiny folders ingested here, not on what the matcher finds in seeds/."""

import json
import re
import sys

import pytest

from factcheck.cli import _parser, main

ANSI = re.compile(r"\x1b\[[0-9;]*m")
READ_COMMANDS = [["claims"], ["flags", "--json"], ["sources"], ["log"], ["export", "--format", "json"],
                 ["show", "claim", "1"], ["show", "flag", "1", "--json"]]


def run(capsys, *argv):
    """Run the CLI in-process; return (status, stdout, stderr)."""
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def as_json(capsys, db, *argv):
    """A listing's JSON."""
    status, out, err = run(capsys, "--db", db, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def on_terminal(monkeypatch, width: int) -> None:
    """Make standard output look like a terminal of this width (rich reads $COLUMNS)."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", str(width))


def screen(out: str) -> list[str]:
    """Terminal output as the lines a reader sees (colours stripped)."""
    return ANSI.sub("", out).splitlines()


def claim_id(capsys, db, text: str) -> int:
    """The id of the claim with this text."""
    return next(c["id"] for c in as_json(capsys, db, "claims") if c["text"] == text)


@pytest.fixture
def orphan_db(capsys, db_url, tmp_path) -> tuple[str, int]:
    """A database with one orphaned claim (reviewed, then gone from its re-ingested file); its id."""
    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("Staff in Stoke hold 90-100 cases each. Some hold up to 80 cases.\n", encoding="utf-8")
    assert run(capsys, "--db", db_url, "ingest", str(doc.parent))[0] == 0
    cid = claim_id(capsys, db_url, "up to 80 cases")
    assert run(capsys, "--db", db_url, "verdict", str(cid), "disputed", "--note", "report says 90")[0] == 0
    doc.write_text("Staff in Stoke hold 90-100 cases each.\n", encoding="utf-8")
    assert run(capsys, "--db", db_url, "ingest", str(doc.parent))[0] == 0
    return db_url, cid


# ---------------------------------------------------------------- claims: plain when piped, a table on a terminal

def test_piped_claims_are_one_plain_line_each_with_the_status(capsys, tui_db):
    status, out, _ = run(capsys, "--db", tui_db, "claims")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 27 and "\x1b" not in out
    assert all(line.split()[0].isdigit() for line in lines)  # no header, no table rule: greppable
    assert all(line.split()[2] == "unreviewed" for line in lines)
    assert any(re.search(r"council_release\.txt:\d+-\d+ +42 homes +Jane Alder: +“42 homes”", line) for line in lines)


def test_an_orphaned_claim_is_marked_not_placed_at_0_0(capsys, orphan_db):
    db, cid = orphan_db
    _, out, _ = run(capsys, "--db", db, "claims")
    line = next(ln for ln in out.splitlines() if ln.split()[0] == str(cid))
    assert " orphaned " in line and "a.txt:orphaned" in line and ":0-0" not in line


@pytest.mark.parametrize("width", [80, 140])
def test_claims_on_a_terminal_are_a_table_fitting_its_width(capsys, tui_db, monkeypatch, width):
    on_terminal(monkeypatch, width)
    status, out, _ = run(capsys, "--db", tui_db, "claims")
    lines = screen(out)
    assert status == 0 and len(lines) == 28  # a header and one line per claim: nothing wrapped
    assert lines[0].split() == ["id", "kind", "status", "speaker", "source", "text"]
    assert all(len(line) <= width for line in lines)
    quote = next(line for line in lines if "We will build 60 more" in line)
    assert quote.rstrip().endswith("…")  # the long quote is cut, not wrapped
    assert "Jane Alder" in quote and "unreviewed" in quote and "quote" in quote
    status_at = lines[0].index("status")
    assert {line[status_at:].split()[0] for line in lines[1:]} == {"unreviewed"}  # one column, aligned
    if width == 140:
        assert "council_release.txt:" in quote  # room for the whole name and the offset


def test_wider_terminals_show_more_of_the_text(capsys, tui_db, monkeypatch):
    widths = {}
    for width in (80, 140):
        on_terminal(monkeypatch, width)
        _, out, _ = run(capsys, "--db", tui_db, "claims", "--kind", "quote")
        widths[width] = max(len(line) for line in screen(out))
    assert widths[80] <= 80 < widths[140] <= 140


def test_an_orphaned_claim_on_a_terminal_shows_a_mark(capsys, orphan_db, monkeypatch):
    db, cid = orphan_db
    on_terminal(monkeypatch, 100)
    _, out, _ = run(capsys, "--db", db, "claims")
    row = next(line for line in screen(out) if line.split()[0] == str(cid))
    assert "⚠" in row and "orphaned" in row and ":0" not in row


def test_flags_and_sources_on_a_terminal_are_tables_and_plain_when_piped(capsys, tui_db, monkeypatch):
    _, plain, _ = run(capsys, "--db", tui_db, "flags")
    assert len(plain.splitlines()) == 12  # two lines per flag, as before
    on_terminal(monkeypatch, 80)
    _, out, _ = run(capsys, "--db", tui_db, "flags")
    lines = screen(out)
    assert lines[0].split() == ["id", "type", "status", "score", "n", "subject", "summary"]
    assert len(lines) == 7 and all(len(line) <= 80 for line in lines)
    assert "conflict" in lines[1]  # conflicts first
    _, out, _ = run(capsys, "--db", tui_db, "sources")
    lines = screen(out)
    assert lines[0].split() == ["id", "published", "claims", "sect", "source", "title"]
    assert len(lines) == 4 and any("gazette.txt" in line and "2024-03-13" in line for line in lines)


def test_document_text_cannot_style_or_escape_the_table(capsys, db_url, tmp_path, monkeypatch):
    doc = tmp_path / "odd.txt"
    doc.write_text("The [bold red]union[/] said 90 cases \x1b[2J were held.\n", encoding="utf-8")
    run(capsys, "--db", db_url, "ingest", str(doc))
    on_terminal(monkeypatch, 120)
    _, out, _ = run(capsys, "--db", db_url, "show", "claim", str(claim_id(capsys, db_url, "90 cases")))
    assert "[bold red]union[/]" in ANSI.sub("", out) and "\x1b[2J" not in out and "\\x1b[2J" in out


# ---------------------------------------------------------------- filters

def test_status_filter_takes_lists_repeats_and_any_case(capsys, tui_db):
    ids = [c["id"] for c in as_json(capsys, tui_db, "claims")]
    assert run(capsys, "--db", tui_db, "verdict", str(ids[0]), "Supported")[0] == 0  # any case here too
    assert run(capsys, "--db", tui_db, "verdict", str(ids[1]), "NOT-A-CLAIM")[0] == 0
    assert run(capsys, "--db", tui_db, "verdict", str(ids[2]), "disputed")[0] == 0
    got = {c["id"]: c["status"] for c in as_json(capsys, tui_db, "claims", "--status", "SUPPORTED,not_a_claim")}
    assert got == {ids[0]: "supported", ids[1]: "not_a_claim"}
    got = as_json(capsys, tui_db, "claims", "--status", "supported", "--status", "Disputed")
    assert sorted(c["id"] for c in got) == sorted([ids[0], ids[2]])
    assert len(as_json(capsys, tui_db, "claims", "--status", "unreviewed")) == 24
    _, out, _ = run(capsys, "--db", tui_db, "claims", "--status", "disputed")
    assert len(out.splitlines()) == 1 and " disputed " in out


def test_an_unknown_status_is_a_usage_error_naming_the_choices(capsys, tui_db):
    with pytest.raises(SystemExit) as exc:
        main(["--db", tui_db, "claims", "--status", "supported,maybe"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "unknown: maybe" in err and "orphaned" in err


def test_limit_and_offset_page_through_the_same_order(capsys, tui_db):
    every = [c["id"] for c in as_json(capsys, tui_db, "claims")]
    pages = [[c["id"] for c in as_json(capsys, tui_db, "claims", "--limit", "10", "--offset", str(n))]
             for n in (0, 10, 20)]
    assert pages[0] + pages[1] + pages[2] == every and [len(p) for p in pages] == [10, 10, 7]
    assert as_json(capsys, tui_db, "claims", "--offset", "27") == []
    quotes = [c["id"] for c in as_json(capsys, tui_db, "claims", "--kind", "quote")]
    assert [c["id"] for c in as_json(capsys, tui_db, "claims", "--kind", "QUOTE", "--limit", "1")] == quotes[:1]
    _, out, _ = run(capsys, "--db", tui_db, "claims", "--limit", "3", "--offset", "1")
    assert [int(line.split()[0]) for line in out.splitlines()] == every[1:4]


def test_limit_and_offset_are_applied_in_the_query(tui_db):
    from sqlalchemy import event

    from factcheck import store
    from factcheck.db import make_engine

    engine = make_engine(tui_db)
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda conn, cur, sql, *a: seen.append(sql))
    rows = list(store.iter_claims(engine, statuses=("unreviewed",), limit=2, offset=3))
    assert len(rows) == 2
    claim_sql = next(sql for sql in seen if "FROM claim" in sql)
    assert "LIMIT" in claim_sql and "OFFSET" in claim_sql and "claim.status IN" in claim_sql


def test_flags_filter_by_type_and_status_in_any_case_and_page(capsys, tui_db):
    every = as_json(capsys, tui_db, "flags")
    conflict = next(f for f in every if f["type"] == "conflict")
    assert run(capsys, "--db", tui_db, "resolve", str(conflict["id"]), "Confirmed")[0] == 0
    assert [f["id"] for f in as_json(capsys, tui_db, "flags", "--status", "CONFIRMED")] == [conflict["id"]]
    assert len(as_json(capsys, tui_db, "flags", "--status", "open")) == 5
    got = as_json(capsys, tui_db, "flags", "--type", "Conflict,repeat", "--type", "quote-variant")
    assert {f["type"] for f in got} == {"conflict", "repeat", "quote_variant"}
    assert [f["id"] for f in as_json(capsys, tui_db, "flags", "--limit", "2", "--offset", "1")] == \
        [f["id"] for f in every[1:3]]
    assert as_json(capsys, tui_db, "flags", "--type", "conflict")[0]["id"] == conflict["id"]  # the old form


def test_version_is_in_every_claim_and_flag_and_follows_decisions(capsys, tui_db):
    claims, flags = as_json(capsys, tui_db, "claims"), as_json(capsys, tui_db, "flags")
    assert {c["version"] for c in claims} == {1} and {f["version"] for f in flags} == {1}
    assert all(m["version"] == 1 for f in flags for m in f["members"])
    cid = claims[0]["id"]
    run(capsys, "--db", tui_db, "verdict", str(cid), "supported", "--expect-version", "1")
    assert next(c for c in as_json(capsys, tui_db, "claims") if c["id"] == cid)["version"] == 2
    status, _, err = run(capsys, "--db", tui_db, "verdict", str(cid), "false", "--expect-version", "1")
    assert status == 1 and len(err.splitlines()) == 1
    assert "(version 2, not 1 as expected; to decide again: --expect-version 2)" in err


# ---------------------------------------------------------------- show

def test_show_claim_piped_gives_every_field_and_marks_the_claim(capsys, tui_db):
    cid = claim_id(capsys, tui_db, "30%")
    run(capsys, "--db", tui_db, "verdict", str(cid), "false", "--note", "it is 25%", "--reviewer", "ann")
    status, out, err = run(capsys, "--db", tui_db, "show", "claim", str(cid))
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == f"claim {cid}  quantity  false  version 2"
    field = {ln.split(": ", 1)[0]: ln.split(": ", 1)[1] for ln in lines[1:] if ": " in ln}
    assert field["text"] == "30%" and field["value"] == "30 %"
    assert field["fields"] == "value 30, low -, high -, unit %, qualifier -"
    assert field["subject"] == "housed" and field["note"] == "it is 25%"
    assert field["source"].startswith("council_release.txt, line 7, column ")
    assert field["excerpt"] == "Of the 1,200 families on the waiting list, 300 were housed in 2023: «30%» of them."
    flags = [ln for ln in lines if ln.startswith("flags: ")]
    assert len(flags) == 1 and "arithmetic open" in flags[0] and "[inconsistent]" in flags[0]
    history = [ln for ln in lines if ln.startswith("history: ")]
    assert len(history) == 2 and "ann  status  unreviewed → false" in history[-1]


def test_show_claim_json_is_the_typed_view(capsys, tui_db):
    cid = claim_id(capsys, tui_db, "1,200 families")
    view = as_json(capsys, tui_db, "show", "claim", str(cid))
    assert view["id"] == cid and view["kind"] == "quantity" and view["value"] == 1200 and view["version"] == 1
    assert view["excerpt"][view["highlight"][0]:view["highlight"][1]] == "1,200 families"
    assert view["place"]["source"] in ("council_release.txt", "gazette.txt", "housing_blog.md")
    assert view["place"]["line"] >= 1 and view["place"]["orphaned"] is False
    assert view["history"] == [] and isinstance(view["flags"], list)


def test_show_claim_of_a_section_gives_the_section(capsys, tui_db):
    cid = claim_id(capsys, tui_db, "2025")
    view = as_json(capsys, tui_db, "show", "claim", str(cid))
    assert view["place"]["section"] == 1 and view["place"]["section_heading"] == "14 March 2024: sixty homes"
    assert view["speaker"] == "Jane Alder" and view["speaker_role"] == "council leader"
    _, out, _ = run(capsys, "--db", tui_db, "show", "claim", str(cid))
    assert "section 1 “14 March 2024: sixty homes”, dated 2024-03-14" in out


def test_show_an_orphaned_claim_says_where_it_was(capsys, orphan_db):
    db, cid = orphan_db
    _, out, _ = run(capsys, "--db", db, "show", "claim", str(cid))
    assert "orphaned, no longer in its text (was at offsets 49-63, status disputed)" in out
    assert "excerpt: Some hold «up to 80 cases»." in out
    assert sum(ln.startswith("history: ") for ln in out.splitlines()) == 3  # disputed, the note, orphaned


def test_show_claim_on_a_terminal_highlights_instead_of_markers(capsys, tui_db, monkeypatch):
    cid = claim_id(capsys, tui_db, "30%")
    on_terminal(monkeypatch, 100)
    _, out, _ = run(capsys, "--db", tui_db, "show", "claim", str(cid))
    assert "«" not in out and re.search(r"\x1b\[[0-9;]*7[0-9;]*m30%", out)  # reverse video on the claim
    assert all(len(line) <= 100 for line in screen(out))


def test_show_flag_text_and_json(capsys, tui_db):
    flag = next(f for f in as_json(capsys, tui_db, "flags") if f["type"] == "conflict")
    members = [m["claim_id"] for m in flag["members"]]
    run(capsys, "--db", tui_db, "resolve", str(flag["id"]), "confirmed", "--correct", str(members[1]),
        "--note", "the gazette has it right", "--reviewer", "bo")
    status, out, err = run(capsys, "--db", tui_db, "show", "flag", str(flag["id"]))
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == f"flag {flag['id']}  conflict  confirmed  score 1.00  version 2"
    assert "summary: 10 March 2024 vs 11 March 2024" in lines
    assert "note: the gazette has it right" in lines and f"correct: claim {members[1]}" in lines
    assert lines.count(f"member claim {members[0]} [value]") == 1
    assert f"member claim {members[1]} [value]  (marked correct)" in lines
    assert "excerpt: The housing report was published on «11 March 2024»." in lines
    assert sum(ln.startswith("history: ") and "bo" in ln for ln in lines) == 3  # status, note, correct
    view = as_json(capsys, tui_db, "show", "flag", str(flag["id"]))
    assert (view["status"], view["version"], view["correct_claim_id"]) == ("confirmed", 2, members[1])
    assert [m["claim_id"] for m in view["members"]] == members
    m = view["members"][0]
    assert m["excerpt"][m["highlight"][0]:m["highlight"][1]] == m["text"]
    assert m["place"]["source"] == "council_release.txt" and m["speaker"] is None
    assert len(view["history"]) == 3 and view["explanation"].startswith("Sources date")


@pytest.mark.parametrize("what", ["claim", "flag"])
def test_show_an_unknown_id_is_one_line_and_status_1(capsys, tui_db, what):
    status, out, err = run(capsys, "--db", tui_db, "show", what, "9999")
    assert status == 1 and out == "" and err == f"error: no {what} 9999\n"
    status, out, err = run(capsys, "--db", tui_db, "show", what, "9999", "--json")
    assert status == 1 and out == "" and len(err.splitlines()) == 1


# ---------------------------------------------------------------- help, missing database, restore

COMMANDS = ["ingest", "sources", "claims", "flags", "show", "match", "export", "review", "verdict", "resolve",
            "log", "backup", "restore", "db"]


def test_every_command_has_a_description_and_an_example(capsys):
    listed = _parser().format_help()
    for command in COMMANDS:
        assert command in listed
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        description = out.split("\n\n")[1]
        assert len(description.splitlines()) == 1 and description.endswith(".")
        example = out.split("example:\n", 1)[1].splitlines()[0]
        assert example.startswith("  factcheck ") and f" {command}" in example


@pytest.mark.parametrize("argv", READ_COMMANDS)
def test_a_read_command_without_a_database_says_so_and_makes_nothing(capsys, tmp_path, argv, monkeypatch):
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    db = tmp_path / "none" / "claims.db"
    db.parent.mkdir()
    status, out, err = run(capsys, "--db", str(db), *argv)
    assert status == 1 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"error: no database at {db}") and "factcheck ingest" in err
    assert list(db.parent.iterdir()) == []  # no file, no -wal, no -journal


@pytest.mark.parametrize("content", [None, b"not a backup at all"])
def test_a_failed_restore_leaves_no_database_behind(capsys, tmp_path, content):
    backup = tmp_path / "backup.gz"
    if content is not None:
        backup.write_bytes(content)
    db = tmp_path / "out" / "claims.db"
    db.parent.mkdir()
    status, _, err = run(capsys, "--db", str(db), "restore", str(backup))
    assert status == 1 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert list(db.parent.iterdir()) == []


# ---------------------------------------------------------------- ingest: unsupported files and URLs

def test_unsupported_files_in_a_folder_are_said_once_each(capsys, db_url, tmp_path):
    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "report.txt").write_text("More than 3,000 offenders were supervised in 2016.\n", encoding="utf-8")
    (folder / "x.png").write_bytes(b"\x89PNG\r\n")
    (folder / "sub" / "budget.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "README").write_text("notes\n", encoding="utf-8")
    (folder / ".hidden.csv").write_text("a,b\n", encoding="utf-8")  # hidden: not a document, not said
    (folder / "sources.toml").write_text('["report.txt"]\ntitle = "Report"\n', encoding="utf-8")
    status, out, err = run(capsys, "--db", db_url, "ingest", str(folder))
    assert status == 0, err
    skipped = sorted(ln for ln in err.splitlines() if ln.startswith("skipped: "))
    assert skipped == [f"skipped: {folder / 'README'}: unsupported file type (no extension)",
                       f"skipped: {folder / 'sub' / 'budget.xlsx'}: unsupported file type .xlsx",
                       f"skipped: {folder / 'x.png'}: unsupported file type .png"]
    assert ".hidden" not in err and "sources.toml" not in err
    assert "1 sources ingested" in out and "3 skipped (unsupported type)" in out


def test_an_unsupported_file_named_directly_is_skipped_with_status_1(capsys, db_url, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Up to 80 cases.\n", encoding="utf-8")
    sheet = tmp_path / "sheet.XLSX"
    sheet.write_bytes(b"PK\x03\x04")
    status, out, err = run(capsys, "--db", db_url, "ingest", str(sheet), str(good))
    assert status == 1  # asked for by name and not ingested; the rest still go in
    assert err.splitlines() == [f"skipped: {sheet}: unsupported file type .xlsx"]
    assert "1 sources ingested" in out


@pytest.mark.parametrize("url", ["https://example.org/report.html", "http://x.test/a.pdf", "HTTPS://X.TEST/"])
def test_a_url_given_to_ingest_is_one_line_and_nothing_is_made(capsys, tmp_path, url):
    db = tmp_path / "claims.db"
    status, out, err = run(capsys, "--db", str(db), "ingest", url)
    assert status == 1 and out == "" and len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("factcheck: ingest takes files and folders, not URLs: download it first")
    assert not db.exists()


def test_export_status_and_kind_are_read_in_any_case(capsys, tui_db):
    cid = claim_id(capsys, tui_db, "30%")
    run(capsys, "--db", tui_db, "verdict", str(cid), "false")
    _, lower, _ = run(capsys, "--db", tui_db, "export", "--format", "csv", "--status", "false", "--kind", "quantity")
    status, upper, err = run(capsys, "--db", tui_db, "export", "--format", "csv", "--status", "FALSE",
                             "--kind", "Quantity")
    assert status == 0 and upper == lower and f"claim,{cid},quantity,false" in upper, err


def test_flags_and_exports_list_a_one_source_repeat_after_every_finding_across_sources(capsys, db_url):
    import copy

    import reviewdata

    spec = copy.deepcopy(reviewdata.KELBY)
    spec["flags"].insert(0, reviewdata.SAME_SOURCE_REPEAT)  # the lowest id and the top score
    reviewdata.build(db_url, spec)
    status, out, _ = run(capsys, "--db", db_url, "flags")
    assert status == 0
    heads = [line.split()[1] for line in out.splitlines() if line[:5].strip().isdigit()]
    assert heads == ["conflict", "quote_variant", "arithmetic", "alias", "repeat", "paraphrase", "repeat"]
    summaries = [line.strip() for line in out.splitlines() if "stated 2 times" in line]
    assert summaries == ["42 homes stated 2 times in 2 sources", "2023 stated 2 times in 1 source"]
    _, out, _ = run(capsys, "--db", db_url, "flags", "--type", "repeat")
    assert [line.strip() for line in out.splitlines() if "stated" in line] == summaries
    assert [f["summary"] for f in as_json(capsys, db_url, "flags", "--type", "repeat")] == summaries
    _, out, _ = run(capsys, "--db", db_url, "export", "--format", "json")
    assert [f["summary"] for f in json.loads(out)["flags"]][-3:] == [summaries[0], spec["flags"][-1]["summary"],
                                                                   summaries[1]]
    _, out, _ = run(capsys, "--db", db_url, "export", "--format", "csv")
    assert out.index("2 times in 2 sources") < out.index("2 times in 1 source")
