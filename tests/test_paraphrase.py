"""Paraphrase flags: the same point made in other words by two outlets, through the real ingest; and the tier
skipped, with nothing else changed, when the optional wordllama package cannot be imported."""

import importlib.util
import sys

import pytest
from test_match import flags_for

from factcheck.cli import main
from factcheck.match import paraphrase

HAS_WORDLLAMA = importlib.util.find_spec("wordllama") is not None
needs_model = pytest.mark.skipif(not HAS_WORDLLAMA, reason="the optional wordllama package (extra 'semantic') "
                                                           "is not installed: paraphrases are not looked for")

PRESS = ("Kelby harbour warning\n\nPUBLISHED: 10 May 2022\n\n"
         "The Kelby Harbour Board said on Tuesday that the old Marston pier must be closed to the public before "
         "the winter storms arrive, because its timber supports have rotted badly.\n\n"
         "Harbour master Alys Penrose said the board had spent £2 million on dredging the Kelby channel in 2021.\n")
NEWS = ("Marston pier to shut\n\nPUBLISHED: 11 May 2022\n\n"
        "Rotten timber supports mean the old Marston pier has to shut to visitors ahead of the winter storms, "
        "the Kelby Harbour Board announced on Tuesday.\n\n"
        "Harbour master Alys Penrose told reporters that dredging the Kelby channel cost the board £2 million "
        "in 2021.\n")

STORM_A = ("Storm damage at Marston\n\nPUBLISHED: 3 April 2022\n\n"
           "The Kelby Harbour Board said 40 fishing boats were wrecked in the March storm at the Marston marina, "
           "leaving many crews without work.\n")
STORM_B = ("Marston marina counts the cost\n\nPUBLISHED: 4 April 2022\n\n"
           "The March storm at the Marston marina wrecked 65 fishing boats and left many crews without work, "
           "the Kelby Harbour Board said.\n")

UNRELATED = ("Orchard show\n\nPUBLISHED: 12 May 2022\n\n"
             "The Dunmere Apple Society said on Monday that 300 growers will enter the autumn cider contest, "
             "which the society has held every year since 1987.\n")


@pytest.fixture
def no_wordllama(monkeypatch):
    """wordllama made unimportable for the test (the model cache cleared before and after)."""
    paraphrase.load_model.cache_clear()
    monkeypatch.setitem(sys.modules, "wordllama", None)
    yield
    paraphrase.load_model.cache_clear()


@needs_model
def test_same_point_in_other_words_is_one_paraphrase_flag_naming_both(tmp_path, capsys, db_url):
    flags = flags_for(tmp_path, capsys, db_url, {"press.txt": PRESS, "news.txt": NEWS}, "paraphrase")
    assert len(flags) == 1
    flag = flags[0]
    assert {m["source"] for m in flag["members"]} == {"press.txt", "news.txt"}
    assert {m["role"] for m in flag["members"]} == {"statement"}
    assert "press.txt" in flag["summary"] and "news.txt" in flag["summary"]
    assert "other words" in flag["summary"]
    assert "pier" in flag["explanation"] and "timber" in flag["explanation"]
    assert flag["details"]["sources"] == 2 and flag["details"]["similarity"] > 0
    assert "_" not in flag["explanation"]  # words for a reader, no internal tokens


@needs_model
def test_similar_sentence_with_a_different_number_is_no_paraphrase(tmp_path, capsys, db_url):
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": STORM_A, "b.txt": STORM_B})
    assert [f for f in flags if f["type"] == "paraphrase"] == []


@needs_model
def test_unrelated_sentences_are_no_paraphrase(tmp_path, capsys, db_url):
    flags = flags_for(tmp_path, capsys, db_url, {"press.txt": PRESS, "show.txt": UNRELATED}, "paraphrase")
    assert flags == []


@needs_model
def test_the_same_words_are_not_a_paraphrase():
    a = _statement("The pier must close before the winter storms.", 1)
    b = _statement("The pier must close before the winter storms!", 2)
    assert paraphrase.decide(a, b, 0.99, paraphrase.Rarity([a.plain, b.plain])) is None


def _statement(text: str, source_id: int):
    """The one statement of a made-up claim sentence."""
    from factcheck.match.records import ClaimRecord
    rec = ClaimRecord(id=source_id, source_id=source_id, source=f"{source_id}.txt", kind="quantity", text=text[:5],
                      excerpt=text)
    return paraphrase.statements([rec])[0]


def test_a_different_number_for_the_same_thing_is_decided_against():
    a = _statement("The storm at the Marston marina wrecked 40 fishing boats and left many crews idle.", 1)
    same = _statement("Many crews are idle after 40 fishing boats were wrecked by the storm at Marston marina.", 2)
    other = _statement("Many crews are idle after 65 fishing boats were wrecked by the storm at Marston marina.", 3)
    rarity = paraphrase.Rarity([a.plain, same.plain, other.plain, {"pier"}, {"orchard"}, {"cider"}])
    assert paraphrase.decide(a, same, 0.8, rarity) is not None
    assert paraphrase.decide(a, other, 0.8, rarity) is None


def test_numbers_must_agree():
    assert paraphrase.numbers_in("40 boats, £2,000 and two crews") == {"40", "2000", "two"}
    assert not paraphrase._numbers_agree(frozenset({"40"}), frozenset({"65"}))
    assert paraphrase._numbers_agree(frozenset({"40"}), frozenset())
    assert paraphrase._numbers_agree(frozenset({"40"}), frozenset({"40", "2021"}))


def test_without_wordllama_ingest_works_and_nothing_else_changes(tmp_path, capsys, db_url, no_wordllama):
    docs = {"press.txt": PRESS, "news.txt": NEWS, "a.txt": STORM_A, "b.txt": STORM_B}
    assert paraphrase.unavailable_reason() is not None
    without = flags_for(tmp_path, capsys, db_url, docs)
    assert [f for f in without if f["type"] == "paraphrase"] == []
    assert main(["--db", db_url, "match"]) == 0
    out = capsys.readouterr().out
    assert "note: paraphrases not looked for" in out and "Traceback" not in out
    if HAS_WORDLLAMA:  # with the model, the other flags are exactly the same
        paraphrase.load_model.cache_clear()
        sys.modules.pop("wordllama", None)
        assert main(["--db", db_url, "match"]) == 0
        capsys.readouterr()
        main(["--db", db_url, "flags", "--json"])
        import json
        with_model = json.loads(capsys.readouterr().out)
        assert _others(with_model) == _others(without)


def _others(flags: list[dict]) -> list[tuple]:
    """The non-paraphrase flags, as (type, summary, member claim ids)."""
    return sorted((f["type"], f["summary"], tuple(sorted(m["claim_id"] for m in f["members"])))
                  for f in flags if f["type"] != "paraphrase")
