"""Alias flags anchored at the name mentions: every mention with exact offsets, acronyms defined in
parentheses linked to documents using only the acronym, apostrophes normalised, real different words kept apart."""

from __future__ import annotations

import asyncio
import re

import pytest
from rich.text import Text
from test_match import flags_for

from factcheck.db import make_engine
from factcheck.match.acronyms import find_definitions
from factcheck.match.spelling import name_variant
from factcheck.review.app import ReviewApp
from factcheck.review.render import HIGHLIGHT
from factcheck.review.screens.flag_detail import FlagDetailScreen
from factcheck.review.widgets.member_card import MemberCard

HARBOUR_A = ("Kelby Harbour Trust annual notes\n\n"
             "The Kelby Harbour Trust said it moored 40 boats in 2020. A spokesman for Kelby Harbour Trust said: "
             "“We expect the same next year.”\n\nKelby Harbour Trust thanks its volunteers.\n")
HARBOUR_B = "Local news\n\nKelby Harbor Trust moored 38 boats last year, the Kelby Harbor Trust's manager said.\n"


def _one(flags: list[dict], variants: set[str]) -> dict:
    """The alias flag whose variants are these."""
    found = [f for f in flags if set(f["details"]["variants"]) == variants]
    assert len(found) == 1, [f["details"]["variants"] for f in flags]
    return found[0]


def test_alias_flag_lists_every_mention_at_its_exact_place(tmp_path, capsys, db_url):
    docs = {"a.txt": HARBOUR_A, "b.txt": HARBOUR_B}
    flag = _one(flags_for(tmp_path, capsys, db_url, docs, "alias"), {"Kelby Harbour Trust", "Kelby Harbor Trust"})
    mentions = flag["details"]["mentions"]
    for m in mentions:
        assert docs[m["source"].rsplit("/", 1)[-1]][m["start"]:m["end"]] == m["text"]
    expected = {(name, spelling): len(re.findall(spelling, docs[name]))
                for name in docs for spelling in ("Kelby Harbour Trust", "Kelby Harbor Trust")}
    got = {(m["source"].rsplit("/", 1)[-1], m["text"]): 0 for m in mentions}
    for m in mentions:
        got[(m["source"].rsplit("/", 1)[-1], m["text"])] += 1
    assert got == {k: n for k, n in expected.items() if n}  # the title and the closing line too: 4 + 2
    assert any(m["claim_id"] is None for m in mentions)  # the title holds no claim, and is still listed
    assert flag["summary"] == "Kelby Harbour Trust (4×) vs Kelby Harbor Trust (2×)"
    held = {m["claim_id"] for m in mentions if m["claim_id"]}
    assert {m["claim_id"] for m in flag["members"]} <= held  # each statement shown holds a mention
    assert {m["role"] for m in flag["members"]} == {"variant: Kelby Harbour Trust", "variant: Kelby Harbor Trust"}
    for member in flag["members"]:
        for lo, hi in member["mention_spans"]:
            assert member["excerpt"][lo:hi] in ("Kelby Harbour Trust", "Kelby Harbor Trust")


def test_acronym_defined_in_parentheses_links_a_document_using_only_the_acronym(tmp_path, capsys, db_url):
    docs = {
        "report.txt": "Leak report\n\nThe Northshire Water Regulator (NWR) found 120 leaks in Kelby in 2020.\n",
        "blog.txt": "Blog\n\nThe NWR counted 95 leaks in Marston, up from 60.\n",
        "press.txt": "Press\n\nNWR (Northshire Water Regulator) staff inspected 14 pumping stations.\n",
    }
    flags = flags_for(tmp_path, capsys, db_url, docs, "alias")
    flag = _one(flags, {"NWR", "Northshire Water Regulator"})
    assert flag["details"]["how"] == "acronym"
    texts = {(m["source"].rsplit("/", 1)[-1], m["text"]) for m in flag["details"]["mentions"]}
    assert texts == {("report.txt", "NWR"), ("report.txt", "Northshire Water Regulator"), ("blog.txt", "NWR"),
                     ("press.txt", "NWR"), ("press.txt", "Northshire Water Regulator")}
    for m in flag["details"]["mentions"]:
        assert docs[m["source"].rsplit("/", 1)[-1]][m["start"]:m["end"]] == m["text"]
    assert "blog.txt" in {m["source"].rsplit("/", 1)[-1] for m in flag["members"]}
    assert "1 other document(s) use only 'NWR'" in flag["explanation"]


def test_acronym_alone_in_one_document_is_not_flagged(tmp_path, capsys, db_url):
    doc = "Report\n\nThe Northshire Water Regulator (NWR) found 120 leaks. The NWR will report again in 2022.\n"
    assert flags_for(tmp_path, capsys, db_url, {"a.txt": doc}, "alias") == []


@pytest.mark.parametrize("text, acronym, expansion", [
    ("the Department for Education (DfE) said", "DfE", "Department for Education"),
    ("HM Inspectorate of Probation (HMIP) found", "HMIP", "HM Inspectorate of Probation"),
    ("the Kelby Re-offending Board (KRB) met", "KRB", "Kelby Re-offending Board"),
    ("KRB (Kelby Re-offending Board) met", "KRB", "Kelby Re-offending Board"),
    ("the PowerPoint Users Group (PPUG) met", "PPUG", "PowerPoint Users Group"),
])
def test_acronym_initials_skip_function_words_and_read_hyphenated_words(text, acronym, expansion):
    assert [(d.acronym, d.expansion) for d in find_definitions(text)] == [(acronym, expansion)]


@pytest.mark.parametrize("text", ["sales rose in June (JUN)", "the Kelby Harbour Trust (NWR) said",
                                  "CRC (October 2017) figures", "the chief executive (CEO) said"])
def test_parentheses_that_do_not_spell_the_acronym_define_nothing(text):
    assert find_definitions(text) == []


def test_apostrophes_are_normalised_before_comparing(tmp_path, capsys, db_url):
    docs = {"a.txt": "A\n\nKelby Citizen’s Advice Bureau helped 300 people in 2020.\n",
            "b.txt": "B\n\nKelby Citizen's Advice Bureau helped 280 people in 2019.\n",
            "c.txt": "C\n\nKelby Citizen's Advise Bureau helped 310 people in 2021.\n"}
    flags = flags_for(tmp_path, capsys, db_url, docs, "alias")
    assert len(flags) == 1  # the curly and the straight apostrophe are one spelling, not a variant
    flag = _one(flags, {"Kelby Citizen's Advice Bureau", "Kelby Citizen's Advise Bureau"})
    written = {m["text"] for m in flag["details"]["mentions"]}
    assert written == {"Kelby Citizen’s Advice Bureau", "Kelby Citizen's Advice Bureau",
                       "Kelby Citizen's Advise Bureau"}
    assert flag["details"]["counts"] == {"Kelby Citizen's Advice Bureau": 2, "Kelby Citizen's Advise Bureau": 1}


def test_weekdays_names_and_adjective_noun_pairs_are_not_aliases(tmp_path, capsys, db_url):
    a = ("A\n\nThe Tuesday Club raised 40 pounds. The Canada Fund gave 12 grants. The Nation Party won 3 seats. "
         "John Reed said 5 depots will close.\n")
    b = ("B\n\nThe Thursday Club raised 35 pounds. The Canadian Fund gave 9 grants. The National Party won 7 seats. "
         "Joan Reed said 2 depots will open.\n")
    assert flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "alias") == []


@pytest.mark.parametrize("a, b, how", [
    ("Russia Today Group", "Russian Today Group", None),  # a country and its adjective
    ("Britain Council", "British Council", None),
    ("Europe Office", "European Office", None),
    ("Tuesday Club", "Thursday Club", None),
    ("NPS", "NHS", None),  # two bodies one letter apart; a transposed acronym is a slip
    ("MTC", "MCT", "spelling"),
    ("Grobiwell and Sheallezain", "Grobiwell and Sheallezian", "spelling"),  # two letters swapped is a slip
    ("Kelby Harbour Trust", "Kelby Harbor Trust", "spelling"),
])
def test_name_variant_rules(a, b, how):
    assert name_variant(a, b) == how


def test_flag_detail_highlights_the_names_in_each_statement(tui_db):
    """In the TUI, an alias flag's statements show the names themselves highlighted, not only the claim."""
    async def main():
        app = ReviewApp(make_engine(tui_db), "tester", tui_db)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(4):
                await pilot.pause()
                await app.workers.wait_for_complete()
            screen = app.screen
            while screen.type_filter != "alias":
                await pilot.press("t")
                await app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.press("enter")
            for _ in range(4):
                await pilot.pause()
                await app.workers.wait_for_complete()
            assert isinstance(app.screen, FlagDetailScreen)
            detail = app.screen.detail
            assert detail["type"] == "alias"
            head = str(app.screen.head.render())
            assert "2 mentions in 2 documents; 2 in the statements below, highlighted" in head
            variants = set(detail["details"]["variants"])
            cards = list(app.screen.query(MemberCard))
            assert len(cards) == 2
            seen = []
            for card in cards:
                excerpt = next(r for r in card.render().renderables if isinstance(r, Text) and r.plain.startswith("“"))
                marked = {excerpt.plain[s.start:s.end] for s in excerpt.spans if s.style == HIGHLIGHT}
                assert marked and marked <= variants, (marked, variants)
                seen.append(marked)
            assert seen == [{"Kelby Harbour Trust"}, {"Kelby Harbor Trust"}]  # each statement's own spelling
    asyncio.run(main())
