"""Text from documents, file names and reviewers reaches the terminal printable: no raw escape sequences, no
forged lines; JSON stays exact JSON; reviewer names are validated."""

import json

import pytest
from sqlalchemy import insert, update

from factcheck import decisions
from factcheck.cli import main
from factcheck.db import make_engine
from factcheck.labels import json_text, printable
from factcheck.models import Claim, Decision, Entity, Flag, Source, utcnow

TITLE = "\x1b]0;pwned\x07"  # OSC: retitles the terminal
CLEAR = "\x1b[2J"  # CSI: clears the screen
CSI8 = "\x9b31m"  # the 8-bit (C1) CSI: red text
NASTY = f"{TITLE}{CLEAR}{CSI8}"
RAW = ("\x1b", "\x07", "\x9b")
DOC = ("A\x1b]0;pwned\x07 report\n\n"
       "Staff in Stoke hold 90 cases each \x1b[2J, the union said. In 2016, \x9b31m 3,000 offenders were seen.\n"
       'Dr Ann Smith said: "We need more staff \x1b[2J now."\n')


def run(capsys, *argv):
    """Run the CLI in-process; return (status, stdout, stderr)."""
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def raw_controls(text: str) -> list[str]:
    """The raw ESC, BEL and C1 CSI characters in text."""
    return [ch for ch in text if ch in RAW]


def strings(value) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings(v))]
    return [s for v in value for s in strings(v)] if isinstance(value, list) else []


@pytest.fixture
def planted(capsys, db_url, tmp_path) -> str:
    """A database whose source file name and text carry OSC, CSI and C1 CSI sequences, as do (planted
    straight in the tables, as an old or hostile database could hold them) a title, a unit, a speaker, a
    flag's subject, summary and note and a logged reviewer name."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / f"a{NASTY}.txt").write_text(DOC, encoding="utf-8")
    (folder / "b.txt").write_text("Staff in Stoke hold 95 cases each. In 2016, 3,000 offenders were seen.\n",
                                  encoding="utf-8")
    status, _, err = run(capsys, "--db", db_url, "ingest", str(folder))
    assert status == 0, err
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(update(Source).values(title=f"Title {NASTY}"))
        conn.execute(update(Claim).values(unit=f"cases{NASTY}", subject=f"subj{NASTY}"))
        conn.execute(update(Entity).values(name=Entity.name + f"{NASTY}\nSmith"))
        conn.execute(update(Flag).values(subject=f"sub{NASTY}", summary=f"sum{NASTY}", note=f"n{NASTY}"))
        conn.execute(insert(Decision).values(at=utcnow(), reviewer=f"mallory{NASTY}\n2026-01-01 00:00  admin",
                                             target="claim", target_id=1, field="note", old=f"o{NASTY}",
                                             new=f"x{NASTY}\ny", note=f"x{NASTY}\ny"))
    engine.dispose()
    return db_url


def test_printable_escapes_controls_but_keeps_tabs_and_text():
    assert printable("a\x1b[2Jb\tc") == "a\\x1b[2Jb\tc"
    assert printable("line\nnext\r") == "line\\nnext\\r"
    assert printable("\x07\x00\x7f\x85\x9b") == "\\x07\\x00\\x7f\\x85\\x9b"
    assert printable("Zoë – 50 % “quoted” 日本") == "Zoë – 50 % “quoted” 日本"
    assert printable(None) == ""


def test_json_text_is_exact_json_without_raw_controls():
    value = [{"t": f"a{NASTY}\n\x00\x7f\x85é", "k\x9b": 1}]
    text = json_text(value)
    assert raw_controls(text) == [] and "\x85" not in text and "\x7f" not in text
    assert json.loads(text) == value
    assert text == json.dumps(value, ensure_ascii=False, indent=1).replace("\x7f", "\\u007f") \
        .replace("\x85", "\\u0085").replace("\x9b", "\\u009b")


@pytest.mark.parametrize("command", ["sources", "claims", "flags", "log"])
def test_listings_print_no_raw_escape_sequences(capsys, planted, command):
    status, out, err = run(capsys, "--db", planted, command)
    assert status == 0, err
    assert out.strip() and raw_controls(out) == []
    assert "\\x1b]0;pwned\\x07" in out or "\\x1b[2J" in out  # shown, escaped, not dropped


def test_each_entry_stays_on_its_own_lines(capsys, planted):
    _, out, _ = run(capsys, "--db", planted, "log")
    assert len(out.splitlines()) == 1  # the one planted entry: its reviewer's newline forges no second line
    assert "mallory\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\n2026-01-01 00:00  admin" in out
    _, out, _ = run(capsys, "--db", planted, "claims", "--kind", "quote")
    assert out and all(line.split()[0].isdigit() for line in out.splitlines())  # speaker "Ann\nSmith" forges nothing
    _, out, _ = run(capsys, "--db", planted, "sources")
    assert len(out.splitlines()) == 2


@pytest.mark.parametrize("command", ["sources", "claims", "flags", "log"])
def test_json_output_is_exact_and_carries_no_raw_controls(capsys, planted, command):
    status, out, err = run(capsys, "--db", planted, command, "--json")
    assert status == 0, err
    assert raw_controls(out) == []
    rows = json.loads(out)
    assert rows and any(NASTY in s for s in strings(rows))  # the exact strings survive


def test_verdict_and_resolve_show_a_hostile_note_escaped(capsys, planted):
    status, out, err = run(capsys, "--db", planted, "verdict", "1", "supported", "--note", f"see{NASTY}\nfake",
                           "--reviewer", "alice")
    assert status == 0, err
    assert raw_controls(out) == [] and "see\\x1b]0;pwned" in out and "\\nfake" in out
    _, out, _ = run(capsys, "--db", planted, "flags", "--json")
    flag = json.loads(out)[0]
    status, out, err = run(capsys, "--db", planted, "resolve", str(flag["id"]), "dismissed", "--note", NASTY,
                           "--reviewer", "alice")
    assert status == 0, err
    assert raw_controls(out) == [] and "\\x9b31m" in out


def test_a_stale_refusal_shows_an_old_reviewer_name_escaped(capsys, planted):
    engine = make_engine(planted)
    with engine.begin() as conn:  # a decision by a badly named reviewer, from before names were checked
        conn.execute(insert(Decision).values(at=utcnow(), reviewer=f"eve{NASTY}", target="claim", target_id=1,
                                             fingerprint=decisions.item_state(engine, "claim", 1)["fingerprint"],
                                             field="status", old="unreviewed", new="false"))
    status, _, err = run(capsys, "--db", planted, "verdict", "1", "supported", "--expect-version", "99",
                         "--reviewer", "alice")
    assert status == 1 and raw_controls(err) == [] and "eve\\x1b]0;pwned" in err


@pytest.mark.parametrize("name", ["alice\n2026-01-01 00:00  admin  claim 1", "bob\x1b[2J", "carol\x9b31m",
                                  "tab\there", "x" * 101, "da\u2028ve", "eve\u202e"])
def test_a_bad_reviewer_name_is_refused_with_one_line(capsys, planted, name):
    before = decisions.history(make_engine(planted))
    status, out, err = run(capsys, "--db", planted, "verdict", "1", "false", "--reviewer", name)
    assert status == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: reviewer name") and raw_controls(err) == []
    assert "--reviewer" in err
    assert decisions.history(make_engine(planted)) == before  # nothing written


def test_a_bad_reviewer_from_the_environment_or_login_is_refused(capsys, planted, monkeypatch):
    monkeypatch.setenv("FACTCHECK_REVIEWER", "mallory\nadmin")
    status, _, err = run(capsys, "--db", planted, "resolve", "1", "dismissed")
    assert status == 1 and len(err.splitlines()) == 1 and "$FACTCHECK_REVIEWER" in err
    monkeypatch.delenv("FACTCHECK_REVIEWER")
    monkeypatch.setattr(decisions.getpass, "getuser", lambda: "root\x1b[2J")
    with pytest.raises(decisions.DecisionError, match="login name"):
        decisions.reviewer_name()


def test_good_reviewer_names_pass_and_the_core_checks_them_too(planted):
    assert decisions.reviewer_name("  Zoë O'Brien-Łukasz  ") == "Zoë O'Brien-Łukasz"
    assert decisions.reviewer_name("x" * 100) == "x" * 100
    engine = make_engine(planted)
    with pytest.raises(decisions.DecisionError, match="reviewer name"):
        decisions.decide_claim(engine, 1, status="false", reviewer="a\nb")
    with pytest.raises(decisions.DecisionError, match="reviewer name"):
        decisions.decide_claim(engine, 1, status="false", reviewer="   ")
