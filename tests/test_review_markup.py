"""Document text in the review TUI is plain text: Rich markup in it is shown, never read; control characters
are shown escaped; search treats % and _ literally."""

from __future__ import annotations

import asyncio

import pytest
import reviewdata
from rich.text import Text
from test_review import settle

from factcheck import store
from factcheck.db import make_engine
from factcheck.match.quotes import word_diff, words
from factcheck.review.app import ReviewApp
from factcheck.review.render import clean, excerpt_text
from factcheck.review.screens.claims import ClaimsScreen
from factcheck.review.screens.flag_detail import FlagDetailScreen
from factcheck.review.screens.source import SourceScreen
from factcheck.review.widgets.member_card import MemberCard
from factcheck.review.widgets.source_chunk import SourceChunk
from factcheck.store import ClaimQuery

QUOTE = ("“[the council] built 42 homes [sic] in Kelby last year [/b] and we will build [b]more\x1b]0;pwned\x07 "
         "homes\x1b[2J next year for the 12% of families waiting.”")
DOCS = {
    "a[i].txt": f"Report [/b] on [i]homes\n\nThe council leader Jane Alder said: {QUOTE}\n",
    "b.txt": "Blog\n\nThe council leader Jane Alder said: " + QUOTE.replace("next year", "this year") + "\n",
}


def _sentence(name: str) -> str:
    """The one sentence of a document after its title: the quote and the figures in it."""
    return DOCS[name].split("\n\n", 1)[1].rstrip("\n")


def _quote(name: str) -> str:
    """The quoted words of a document."""
    return _sentence(name).split("“", 1)[1].rstrip("”")


def _claims(name: str, prefix: str) -> list[dict]:
    """A document's claims as the extractor would store them: the quote and the figures and date inside it."""
    sentence = _sentence(name)
    return [
        {"key": f"{prefix}_quote", "kind": "quote", "find": _quote(name), "excerpt": sentence, "speaker": "alder",
         "details": {"verb": "said", "how": "before", "speaker_from": "quote"}},
        {"key": f"{prefix}_homes", "kind": "quantity", "find": "42 homes", "excerpt": sentence, "value": 42,
         "unit": "homes", "subject": "built: homes", "speaker": "alder"},
        {"key": f"{prefix}_year", "kind": "date", "find": "last year", "excerpt": sentence, "subject": "Kelby",
         "date_precision": "year", "relative": True, "speaker": "alder"},
        {"key": f"{prefix}_share", "kind": "quantity", "find": "12%", "excerpt": sentence, "value": 12, "unit": "%",
         "subject": "families waiting.", "speaker": "alder"},
    ]


MARKUP = {  # written directly (tests/reviewdata.py): what the matcher makes of these texts does not matter here
    "entities": {"alder": {"name": "Jane Alder", "kind": "person", "role": "council leader"}},
    "sources": [
        {"path": "a[i].txt", "title": "Report [/b] on [i]homes", "text": DOCS["a[i].txt"],
         "sections": [(None, None, None)], "claims": _claims("a[i].txt", "a")},
        {"path": "b.txt", "title": None, "text": DOCS["b.txt"], "sections": [(None, None, None)],
         "claims": _claims("b.txt", "b")},
    ],
    "flags": [
        {"type": "quote_variant", "subject": "quote by Jane Alder", "score": 0.98,
         "summary": "Jane Alder: 'next year' vs 'this year'",
         "explanation": "Jane Alder is quoted in near-identical words in a[i].txt, b.txt.",
         "details": {"diff": word_diff(words(_quote("a[i].txt")), words(_quote("b.txt"))), "versions": 2},
         "members": [("a_quote", "version"), ("b_quote", "version")]},
        {"type": "repeat", "subject": "built: [b]homes", "score": 1.0, "summary": "42 homes stated 2 times [/b]",
         "explanation": "The same figure (42 homes) appears in a[i].txt, b.txt.", "details": {"sources": 2},
         "members": [("a_homes", "statement"), ("b_homes", "statement")]},
    ],
}


@pytest.fixture
def markup_db(db_url) -> str:
    """A database of two sources whose text, title and file name carry markup and control characters."""
    reviewdata.build(db_url, MARKUP)
    return db_url


def shown(widget) -> str:
    """The plain text a widget renders (a Group of Texts, a Text or a Content)."""
    r = widget.render()
    parts = getattr(r, "renderables", [r])
    return "\n".join(p.plain if isinstance(p, Text) else str(p) for p in parts)


def cells(table) -> str:
    """Every cell of a DataTable as the plain text it shows (cells must be Text, never markup strings)."""
    out = []
    for key in table.rows:
        for cell in table.get_row(key):
            assert isinstance(cell, Text), f"cell {cell!r} would be read as markup"
            out.append(cell.plain)
    return "\n".join(out)


def run(db: str, body, size=(260, 50), reviewer="tester [/b]") -> None:
    """Drive the real app headlessly, bounded in time."""
    async def go():
        app = ReviewApp(make_engine(db), reviewer, db)
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await asyncio.wait_for(body(app, pilot), timeout=60)
            assert app.is_running
    asyncio.run(go())


def test_clean_escapes_controls_but_keeps_newline_and_tab():
    assert clean("a\x1b[2Jb\x9b\x07\n\tc\udc80") == "a\\x1b[2Jb\\x9b\\x07\n\tc\\udc80"
    t = excerpt_text("x\x1b[31my [sic] z", 6, 13)
    assert t.plain == "“x\\x1b[31my [sic] z”" and t.plain[t.spans[0].start:t.spans[0].end] == "y [sic]"


def test_markup_in_documents_is_shown_in_the_claims_table_search_and_source(markup_db):
    async def body(app, pilot):
        await pilot.press("C")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ClaimsScreen) and app.is_running
        table = cells(screen.table)
        assert "[the council] built 42 homes [sic]" in table and "[/b]" in table
        assert "\x1b" not in table and "\\x1b" in table
        await pilot.press("slash", "left_square_bracket", "slash", "b", "right_square_bracket")
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert app.is_running and screen.query_state.text == "[/b]"
        assert "“[/b]”" in shown(screen.summary)
        assert "[/b]" in cells(screen.table) and screen.table.row_count >= 1
        await pilot.press("enter")  # from the search line to the table
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, SourceScreen) and app.is_running
        text = "".join(shown(c) for c in app.screen.query(SourceChunk))
        assert "[the council] built 42 homes [sic]" in text and "[b]more" in text
        assert "\x1b" not in text and "\x07" not in text and "\\x1b]0;pwned\\x07" in text
        assert "Report [/b] on [i]homes" in shown(app.screen.head) and "a[i].txt" in shown(app.screen.head)
        assert "\x1b" not in shown(app.screen.status)
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press(*"checked", "space", "left_square_bracket", "slash", "i", "right_square_bracket", "enter")
        await settle(app, pilot)  # the saved note is echoed in a notification: no markup read there either
        assert "[/i]" in shown(app.screen.status)
    run(markup_db, body)


def test_empty_result_echoes_the_search_as_typed(markup_db):
    async def body(app, pilot):
        await pilot.press("C")
        await settle(app, pilot)
        await pilot.press("slash", *"nothing", "left_square_bracket", "slash", "b", "right_square_bracket", "enter")
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert app.is_running and "“nothing[/b]”" in shown(app.screen.empty)
    run(markup_db, body)


def test_flag_queue_and_detail_show_markup_as_text(markup_db):
    async def body(app, pilot):
        table = cells(app.screen.table)
        assert "quote by Jane Alder" in table and "built: [b]homes" in table and "42 homes stated 2 times [/b]" in table
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FlagDetailScreen) and app.is_running
        cards = "".join(shown(c) for c in app.screen.query(MemberCard))
        assert "[the council] built 42 homes [sic]" in cards and "\x1b" not in cards
        assert "Report [/b] on [i]homes" in cards
        assert "\x1b" not in shown(app.screen.head)
    run(markup_db, body)


@pytest.mark.parametrize("word", ["%", "_", "12%", "1_%", "2_", "%families", "homes"])
def test_search_treats_percent_and_underscore_literally(markup_db, word):
    engine = make_engine(markup_db)
    every = store.claim_page(engine, ClaimQuery(), limit=1000)
    literal = {r["id"] for r in every
               if any(word.lower() in (r.get(k) or "").lower() for k in ("text", "subject", "speaker"))}
    assert {r["id"] for r in store.claim_page(engine, ClaimQuery(text=word), limit=1000)} == literal
    assert store.count_claims(engine, ClaimQuery(text=word)) == len(literal)
    assert len(literal) < len(every)  # "%" is not a wildcard that matches every claim
