"""Large groups: a quote syndicated to many outlets, and a failing matcher that must not wedge later runs."""

import json
import time

import pytest

from factcheck.cli import main
from factcheck.db import make_engine
from factcheck.dbstate import matching_pending
from factcheck.match import quantities, quotes
from factcheck.match.records import ClaimRecord

QUOTE = ("Jane Alder, the council leader, said: “We will build four hundred new homes in Kelby before the end "
         "of next year and every one of them will be affordable.”\n")
VARIANT = QUOTE.replace("every one of them", "most of them")


def _write(folder, docs: dict[str, str]) -> None:
    """Write name -> text files into folder."""
    folder.mkdir(exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")


def _syndicated(n: int) -> dict[str, str]:
    """n outlets carrying the same press line, and one variant whose file sorts after them all."""
    docs = {f"outlet{k:03d}.txt": f"Outlet {k}\n\n{QUOTE}" for k in range(n)}
    docs["zz-variant.txt"] = f"Late outlet\n\n{VARIANT}"
    return docs


def _flags(db_url, capsys) -> list[dict]:
    """The stored flags as JSON."""
    capsys.readouterr()
    assert main(["--db", db_url, "flags", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("n", [35, 70])
def test_quote_carried_by_many_sources_and_a_late_variant(tmp_path, capsys, db_url, n):
    _write(tmp_path / "docs", _syndicated(n))
    t0 = time.perf_counter()
    assert main(["--db", db_url, "ingest", str(tmp_path / "docs")]) == 0
    assert time.perf_counter() - t0 < 120
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error:" not in err
    variants = [f for f in _flags(db_url, capsys) if f["type"] == "quote_variant"]
    assert len(variants) == 1
    assert len(variants[0]["members"]) == n + 1  # every outlet and the variant: one group at any size
    assert "most of" in variants[0]["summary"]
    assert not matching_pending(make_engine(db_url))


def _quote(i: int, text: str, source_id: int) -> ClaimRecord:
    """A bare quote record in its own source."""
    return ClaimRecord(id=i, source_id=source_id, source=f"s{source_id:04d}", kind="quote", text=text,
                       excerpt=text, details={"quote_text": text})


def test_group_flag_any_size_picks_a_differing_pair():
    same = "we will build four hundred new homes in kelby before the end of next year"
    recs = [_quote(i, same, i) for i in range(200)] + [_quote(999, same.replace("four", "five"), 999)]
    t0 = time.perf_counter()
    flags = [f for f in quotes.match_quotes(recs) if f.type == "quote_variant"]
    assert time.perf_counter() - t0 < 20
    assert len(flags) == 1 and len(flags[0].members) == 201
    assert ["replace", "four", "five"] in flags[0].details["diff"]


def _figure(i: int, value: float, source_id: int) -> ClaimRecord:
    """A bare quantity record."""
    return ClaimRecord(id=i, source_id=source_id, source=f"s{source_id}", kind="quantity", text=f"{value} cases",
                       excerpt=f"There were {value} cases in Kelby last year according to the regional office.",
                       value=value, unit="cases")


def test_clash_found_beyond_the_first_fifty_statements_of_one_place():
    recs = [_figure(i, 80, 1) for i in range(60)] + [_figure(100 + i, 120, 1) for i in range(60)]
    recs.append(_figure(999, 120, 2))
    a, b = quantities._clashing_pair(recs)
    assert (a.value, b.value) == (80, 120) and b.source_id == 2


def test_copies_found_at_any_group_size():
    recs = [_figure(i, 80, i) for i in range(120)]
    assert quantities._copies(recs) == {r.id for r in recs[1:]}


def test_failing_matcher_gives_one_error_line_and_later_runs_work(tmp_path, capsys, db_url, monkeypatch):
    _write(tmp_path / "docs", {"a.txt": f"A\n\n{QUOTE}", "b.txt": f"B\n\n{VARIANT}"})
    assert main(["--db", db_url, "ingest", str(tmp_path / "docs")]) == 0
    before = _flags(db_url, capsys)
    assert before

    def boom(records, texts=None):
        """A matcher with a bug."""
        raise ValueError("min() arg is an empty sequence")

    monkeypatch.setattr("factcheck.match.store.find_flags", boom)
    _write(tmp_path / "more", {"c.txt": f"C\n\n{QUOTE}"})
    main(["--db", db_url, "ingest", str(tmp_path / "more")])
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: matching failed") and "ValueError" in lines[0]
    assert "Traceback" not in err
    assert _flags(db_url, capsys) == before  # existing flags intact
    assert matching_pending(make_engine(db_url))  # retried next run
    assert main(["--db", db_url, "match"]) == 1
    assert capsys.readouterr().err.startswith("error: matching failed")
    monkeypatch.undo()
    assert main(["--db", db_url, "ingest", str(tmp_path / "more")]) == 0  # the next run retries and works
    err = capsys.readouterr().err
    assert "error" not in err
    after = _flags(db_url, capsys)
    assert any(len(f["members"]) == 3 for f in after)
    assert not matching_pending(make_engine(db_url))
    assert main(["--db", db_url, "sources", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
