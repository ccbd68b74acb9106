"""The review TUI driven headlessly with Pilot on the small database of tests/reviewdata.py (tui_db): known
sources, claims and flags written directly, so what the matcher finds in seeds/ never changes these tests."""

from __future__ import annotations

import asyncio
import copy

import pytest
import reviewdata
from reviewdata import N_CLAIMS, N_FLAGS

from factcheck import decisions
from factcheck.db import make_engine
from factcheck.review.app import ReviewApp
from factcheck.review.render import STATUS_MARKS, status_label
from factcheck.review.screens.claims import ClaimsScreen
from factcheck.review.screens.flag_detail import FlagDetailScreen
from factcheck.review.screens.flags import FlagsScreen
from factcheck.review.screens.help import HelpScreen
from factcheck.review.screens.source import SourceScreen
from factcheck.review.widgets.date_timeline import DateTimeline
from factcheck.review.widgets.member_card import MemberCard
from factcheck.review.widgets.source_chunk import SourceChunk
from factcheck.vocabulary import FLAG_QUEUE_TYPES


async def settle(app, pilot, rounds: int = 4) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def make_app(db: str, reviewer: str = "tester") -> ReviewApp:
    """The real app on a database file."""
    return ReviewApp(make_engine(db), reviewer, db)


def flag_row(db: str, flag_id: int) -> dict:
    """A flag's stored state."""
    return decisions.item_state(make_engine(db), "flag", flag_id)


def claim_state(db: str, claim_id: int) -> dict:
    """A claim's stored state."""
    return decisions.item_state(make_engine(db), "claim", claim_id)


def screen_lines(app) -> list[str]:
    """What the terminal shows, line by line (as tmux capture-pane would give it)."""
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def summary_text(screen) -> str:
    """The plain text of a screen's summary line."""
    return str(screen.summary.render())


@pytest.fixture
def run(tui_db):
    """Run an async test body against the app on a private copy of the test database."""
    def runner(body, size=(120, 40), reviewer="tester"):
        async def main():
            app = make_app(tui_db, reviewer)
            async with app.run_test(size=size) as pilot:
                await settle(app, pilot)
                await body(app, pilot)
            return app
        return asyncio.run(main())
    return runner


def test_flag_queue_opens_first_with_conflicts_on_top_and_open_count(run, tui_db):
    async def body(app, pilot):
        screen = app.screen
        assert isinstance(screen, FlagsScreen)
        types = [screen.rows[int(k.value)]["type"] for k in screen.table.rows]
        assert types == ["conflict", "quote_variant", "arithmetic", "alias", "repeat", "paraphrase"]
        order = [FLAG_QUEUE_TYPES.index(t) for t in types]
        assert order == sorted(order)
        assert f"{N_FLAGS} of {N_FLAGS} flags open" in summary_text(screen)
    run(body)


def test_open_flag_confirm_and_undo_write_at_once_and_log(run, tui_db):
    async def body(app, pilot):
        fid = int(app.screen.table.current_key)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FlagDetailScreen)
        cards = app.screen.query(MemberCard)
        assert len(cards) >= 2
        assert all(c.member["excerpt"] for c in cards)
        await pilot.press("c")
        await settle(app, pilot)
        assert flag_row(tui_db, fid)["status"] == "confirmed"  # no save step
        await pilot.press("u")
        await settle(app, pilot)
        assert flag_row(tui_db, fid)["status"] == "open"
        log = decisions.history(make_engine(tui_db), "flag", fid)
        assert [(e["old"], e["new"]) for e in log] == [("confirmed", "open"), ("open", "confirmed")]
        assert {e["reviewer"] for e in log} == {"tester"}
    run(body)


def test_mark_which_statement_of_a_conflict_is_right(run, tui_db):
    async def body(app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        detail = app.screen.detail
        assert detail["type"] == "conflict"
        await pilot.press("2")
        await settle(app, pilot)
        assert flag_row(tui_db, detail["id"])["correct"] == detail["members"][1]["claim_id"]
        cards = list(app.screen.query(MemberCard))
        assert cards[1].has_class("correct") and "marked right" in cards[1].border_title
    run(body)


def test_decision_in_queue_moves_to_next_flag(run, tui_db):
    async def body(app, pilot):
        table = app.screen.table
        first = int(table.current_key)
        await pilot.press("x")
        await settle(app, pilot)
        assert flag_row(tui_db, first)["status"] == "dismissed"
        assert int(table.current_key) != first
        assert f"{N_FLAGS - 1} of {N_FLAGS} flags open" in summary_text(app.screen)
    run(body)


def test_filter_flags_by_type_and_status(run, tui_db):
    async def body(app, pilot):
        await pilot.press("t")  # conflicts only
        await settle(app, pilot)
        assert {r["type"] for r in app.screen.rows.values()} == {"conflict"}
        await pilot.press("t")  # quote variants
        await settle(app, pilot)
        assert {r["type"] for r in app.screen.rows.values()} == {"quote_variant"}
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("S", "S")  # status: open, then confirmed
        await settle(app, pilot)
        rows = list(app.screen.rows.values())
        assert len(rows) == 1 and rows[0]["status"] == "confirmed"
        assert "status: confirmed" in summary_text(app.screen)
    run(body)


def test_claims_search_filters_and_verdict(run, tui_db):
    async def body(app, pilot):
        await pilot.press("C")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ClaimsScreen)
        total = screen.count
        assert total == N_CLAIMS
        await pilot.press("slash")
        await pilot.press(*"kind:quote Alder")
        await pilot.press("enter")
        await settle(app, pilot)
        rows = list(screen.rows.values())
        assert len(rows) == 2 and all(r["kind"] == "quote" and r["speaker"] == "Jane Alder" for r in rows)
        assert screen.count == len(rows) < total
        cid = int(screen.table.current_key)
        await pilot.press("d")
        await settle(app, pilot)
        assert claim_state(tui_db, cid)["status"] == "disputed"
        await pilot.press("up", "e")
        await settle(app, pilot)
        await pilot.press(*"checked against the report", "enter")
        await settle(app, pilot)
        assert claim_state(tui_db, cid)["note"] == "checked against the report"
    run(body)


def test_claims_kind_filter_and_sort(run):
    async def body(app, pilot):
        await pilot.press("C")
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("t")  # quantities
        await settle(app, pilot)
        assert {r["kind"] for r in screen.rows.values()} == {"quantity"}
        await pilot.press("o", "o")  # sort: kind, then value
        await settle(app, pilot)
        assert screen.query_state.sort == "value"
        values = [screen.rows[int(k.value)]["value"] for k in screen.table.rows]
        values = [v for v in values if v is not None]
        assert values == sorted(values)
        await pilot.press("O")
        await settle(app, pilot)
        values = [v for v in (screen.rows[int(k.value)]["value"] for k in screen.table.rows) if v is not None]
        assert values == sorted(values, reverse=True)
    run(body)


def test_open_source_from_a_claim_and_step_through_claims(run, tui_db):
    async def body(app, pilot):
        await pilot.press("C")
        await settle(app, pilot)
        await pilot.press("down", "down", "g")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        first = screen.claim_id
        claim = screen.current_claim()
        chunk = next(c for c in screen.query(SourceChunk) if c.holds(claim["start"]))
        assert "▶" in str(chunk.render())
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert screen.claim_id != first
        await pilot.press("s")
        await settle(app, pilot)
        assert claim_state(tui_db, screen.claim_id)["status"] == "supported"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimsScreen)
    run(body)


def test_flag_member_opens_its_source_at_the_claim(run):
    async def body(app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        card = app.screen.focused_card()
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.claim_id == card.claim_id
        assert app.screen.view["source"] == card.member["source"]
    run(body)


def test_decision_on_an_item_someone_else_changed_is_refused(run, tui_db):
    async def body(app, pilot):
        fid = int(app.screen.table.current_key)
        other = make_engine(tui_db)
        decisions.decide_flag(other, fid, status="dismissed", note="not a conflict", reviewer="bob")
        await pilot.press("c")
        await settle(app, pilot)
        state = flag_row(tui_db, fid)
        assert state["status"] == "dismissed" and state["note"] == "not a conflict"
        assert any("changed since" in n.message for n in app._notifications)
        assert app.screen.rows[fid]["status"] == "dismissed"  # the fresh state is shown
    run(body)


def test_help_lists_keys_and_quit_leaves(run):
    async def body(app, pilot):
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, FlagsScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    run(body)


def test_command_palette_offers_screen_actions(run):
    async def body(app, pilot):
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Confirm", "Dismiss", "Type filter", "Claims", "Undo", "Quit"} <= titles
    run(body)


def test_empty_database_says_how_to_ingest(db_url):
    async def main():
        app = make_app(db_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert app.screen.empty.display and not app.screen.table.display
            assert "factcheck ingest" in str(app.screen.empty.render())
            await pilot.press("C")
            await settle(app, pilot)
            assert "factcheck ingest" in str(app.screen.empty.render())
    asyncio.run(main())


def test_statements_side_by_side_when_wide_and_stacked_at_80_columns(tui_db):
    async def main(size):
        app = make_app(tui_db)
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("down", "enter")  # a quote variant: two statements
            await settle(app, pilot)
            return app.screen.members.has_class("side-by-side")
    assert asyncio.run(main((160, 45)))
    assert not asyncio.run(main((80, 24)))


def test_a_failing_query_is_one_line_on_screen_and_the_app_goes_on(run, tui_db):
    async def body(app, pilot):
        other = make_engine(tui_db)
        with other.begin() as conn:
            conn.exec_driver_sql("DROP TABLE flagmember")  # the database breaks under the running app
        other.dispose()
        await pilot.press("enter")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("database:") and "flagmember" in m for m in messages)
        assert app.is_running
        await pilot.press("escape", "C")
        await settle(app, pilot)
        assert app.screen.table.row_count > 0  # the rest still works
    run(body)


def test_filter_keys_keep_working_when_a_filter_matches_nothing(run):
    async def body(app, pilot):
        await pilot.press("C")
        await settle(app, pilot)
        screen = app.screen
        seen = []
        for _ in range(len(("all", "unreviewed", "supported", "disputed", "false", "unverifiable", "not_a_claim",
                            "orphaned"))):
            await pilot.press("S")
            await settle(app, pilot)
            seen.append(screen.query_state.status)
        assert "orphaned" in seen and screen.query_state.status is None  # round again: the keys never went astray
        assert screen.search.value == "" and screen.table.row_count > 0
        assert app.focused is screen.table
    run(body)


def test_repeated_undo_walks_back_through_your_own_decisions_one_at_a_time(run, tui_db):
    async def body(app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        fid, second = app.screen.detail["id"], app.screen.detail["members"][1]["claim_id"]
        for key in ("c", "2", "x"):  # confirm, mark statement 2 right, then dismiss after all
            await pilot.press(key)
            await settle(app, pilot)
        state = flag_row(tui_db, fid)
        assert (state["status"], state["correct"]) == ("dismissed", second)
        await pilot.press("u")
        await settle(app, pilot)
        assert (flag_row(tui_db, fid)["status"], flag_row(tui_db, fid)["correct"]) == ("confirmed", second)
        await pilot.press("u")
        await settle(app, pilot)
        assert (flag_row(tui_db, fid)["status"], flag_row(tui_db, fid)["correct"]) == ("confirmed", None)
        await pilot.press("u")
        await settle(app, pilot)
        assert flag_row(tui_db, fid)["status"] == "open"
        assert status_label("open").plain in str(app.screen.head.render())  # the screen shows it too
        assert not [n for n in app._notifications if n.severity == "error"]
        await pilot.press("u")
        await settle(app, pilot)
        assert app._notifications and list(app._notifications)[-1].message == "Nothing to undo."
    run(body)


def test_undo_is_refused_only_when_someone_else_changed_the_item(run, tui_db):
    async def body(app, pilot):
        first = int(app.screen.table.current_key)
        await pilot.press("c")  # confirm the first flag, the cursor moves on
        await settle(app, pilot)
        second = int(app.screen.table.current_key)
        await pilot.press("x")
        await settle(app, pilot)
        decisions.decide_flag(make_engine(tui_db), first, note="seen it", reviewer="bob")
        await pilot.press("u")  # the second flag: only mine since
        await settle(app, pilot)
        assert flag_row(tui_db, second)["status"] == "open"
        await pilot.press("u")  # the first: bob wrote a note on it since
        await settle(app, pilot)
        assert flag_row(tui_db, first)["status"] == "confirmed"
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "someone else" in errors[0] and "by bob" in errors[0]
        assert app.screen.rows[first]["note"] == "seen it"  # the fresh state is shown
    run(body)


def test_queue_rows_start_with_what_disagrees_and_are_cut_at_the_end(run):
    async def body(app, pilot):
        screen = app.screen
        what = {screen.rows[int(k.value)]["type"]: screen.table.get_cell(k, "what").plain for k in screen.table.rows}
        assert what["conflict"].startswith("10 March 2024 vs 11 March 2024 — ")
        assert what["quote_variant"].startswith("'60 more homes' vs '60 new homes' — ")  # the speaker after
        assert what["arithmetic"].startswith("300 / 1,200 = 25%, stated 30% — ")
        assert all(w.endswith("…") for w in what.values() if len(w) >= 36)  # cut at the end, not the start
        lines = screen_lines(app)
        assert any("10 March 2024 vs 11 March 2024 — " in line for line in lines)
        assert any("'60 more homes' vs '60 new homes'" in line for line in lines)
        assert all(len(line) <= 80 for line in lines)
    run(body, size=(80, 24))


@pytest.mark.parametrize("size", [(80, 24), (140, 40)], ids=["80x24", "140x40"])
def test_status_words_are_shown_whole_after_a_decision(run, tui_db, size):
    async def body(app, pilot):
        await pilot.press("c", "x")  # confirm the first flag, dismiss the second
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
        assert status_label("confirmed").plain in text and status_label("dismissed").plain in text
        await pilot.press("C")
        await settle(app, pilot)
        await pilot.press("v", "n", "f")
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
        for status in ("unverifiable", "not_a_claim", "false"):
            assert status_label(status).plain in text
    run(body, size=size)


def test_every_status_has_its_own_mark():
    assert len(set(STATUS_MARKS.values())) == len(STATUS_MARKS)
    assert STATUS_MARKS["false"] != STATUS_MARKS["dismissed"]


def test_counts_are_pluralised(run):
    async def body(app, pilot):
        await pilot.press("C")
        await settle(app, pilot)
        await pilot.press("slash", *"kind:attribution Reed", "enter")
        await settle(app, pilot)
        assert app.screen.count == 1
        assert summary_text(app.screen).startswith("1 claim ")
        await pilot.press("g")
        await settle(app, pilot)
        head = str(app.screen.head.render())
        assert "2 sections · 5 claims" in head  # the blog
        await pilot.press("escape", "slash", "ctrl+u", *"source:gazette", "enter")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert "1 section · 8 claims" in str(app.screen.head.render())
    run(body)


SAME_SOURCE = reviewdata.SAME_SOURCE_REPEAT


def test_repeats_within_one_source_come_after_every_finding_across_sources(db_url):
    spec = copy.deepcopy(reviewdata.KELBY)
    spec["flags"].insert(0, SAME_SOURCE)  # the lowest id, the top score: only its one source sends it down
    reviewdata.build(db_url, spec)

    async def main():
        app = make_app(db_url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            rows = [screen.rows[int(k.value)] for k in screen.table.rows]
            assert [r["type"] for r in rows] == ["conflict", "quote_variant", "arithmetic", "alias", "repeat",
                                                 "paraphrase", "repeat"]
            assert rows[4]["summary"].endswith("in 2 sources") and rows[-1]["summary"] == SAME_SOURCE["summary"]
            await pilot.press(*["down"] * 5, "enter")  # the paraphrase; ] goes on to the same-source repeat
            await settle(app, pilot)
            await pilot.press("right_square_bracket")
            await settle(app, pilot)
            assert app.screen.detail["summary"] == SAME_SOURCE["summary"]
            await pilot.press("right_square_bracket")
            await settle(app, pilot)
            assert app.screen.detail["summary"] == SAME_SOURCE["summary"]  # the end of the queue
    asyncio.run(main())


@pytest.mark.parametrize("size", [(80, 24), (140, 40)], ids=["80x24", "140x40"])
def test_help_and_quit_show_in_every_footer_without_a_cut(run, size):
    async def body(app, pilot):
        footers = []
        for keys in ((), ("enter",), ("g",), ("F", "C"), ("g",)):  # queue, flag, its source, claims, a source
            await pilot.press(*keys)
            await settle(app, pilot)
            footers.append((type(app.screen).__name__, screen_lines(app)[-1].rstrip()))
        assert [name for name, _ in footers] == ["FlagsScreen", "FlagDetailScreen", "SourceScreen", "ClaimsScreen",
                                                 "SourceScreen"]
        for _, footer in footers:
            assert "? Help" in footer and footer.endswith("q Quit")  # the last key is whole: nothing cut off
    run(body, size=size)


def test_F_returns_to_the_flag_queue_and_C_to_the_claims_table_from_any_view(run):
    async def body(app, pilot):
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("g")  # a flag's statement in its source
        await settle(app, pilot)
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("F")
        await settle(app, pilot)
        assert isinstance(app.screen, FlagsScreen) and len(app.screen_stack) == 1
        await pilot.press("C")
        await settle(app, pilot)
        await pilot.press("g")  # a claim in its source
        await settle(app, pilot)
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("F")
        await settle(app, pilot)
        assert isinstance(app.screen, FlagsScreen) and len(app.screen_stack) == 1
        await pilot.press("C")  # back to the table itself, not the source left open there
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimsScreen) and len(app.screen_stack) == 1
    run(body)


@pytest.mark.parametrize(("size", "wide"), [((80, 24), False), ((140, 40), True)], ids=["80x24", "140x40"])
def test_claims_show_speaker_and_source_as_columns_when_there_is_room_else_in_the_preview(run, size, wide):
    async def body(app, pilot):
        await pilot.press("C")
        await settle(app, pilot)
        screen = app.screen
        keys = [c.key.value for c in screen.table.ordered_columns]
        assert ("speaker" in keys and "source" in keys) is wide
        lines = screen_lines(app)
        row = next(line for line in lines if line.lstrip().startswith("1 ") and "42 homes" in line)
        assert ("Jane Alder" in row and "council_release" in row) is wide
        preview = lines.index(next(line for line in lines if line.startswith("─")))  # the line above the preview
        assert any("speaker: Jane Alder" in line and "source: council_release.txt" in line
                   for line in lines[preview:])
        assert all(len(line.rstrip()) <= size[0] for line in lines)
    run(body, size=size)


@pytest.mark.parametrize("size", [(80, 24), (140, 40)], ids=["80x24", "140x40"])
def test_a_date_conflict_shows_its_timeline_one_row_per_source_and_other_flags_none(run, size):
    async def body(app, pilot):
        await pilot.press("enter")  # the date conflict: gazette.txt 10 March, council_release.txt 11 March 2024
        await settle(app, pilot)
        lines = screen_lines(app)
        rows = [x for x in lines if "✖·" in x or "·✖" in x]  # a track: a differing date on the axis
        assert len(rows) == 2
        assert "2 · Kelby Gazette" in rows[0] and "10 March 2024" in rows[0] and "▲" in rows[0]
        assert "1 · Kelby Council" in rows[1] and "11 March 2024" in rows[1] and "▲" in rows[1]
        assert all(len(x.rstrip()) <= size[0] for x in lines)
        axis = next(i for i, x in enumerate(lines) if "├" in x and "┤" in x)
        assert "10 March" in lines[axis - 1] and "13 March" in lines[axis - 1]  # its first and last day
        assert lines[axis + 1:axis + 3] == rows  # right under it
        assert any("✖ a date that differs" in x for x in lines)  # the legend
        await pilot.press("right_square_bracket")  # the quote variant: no dates
        await settle(app, pilot)
        assert app.screen.detail["type"] == "quote_variant"
        assert not any("├" in x or "a date that differs" in x for x in screen_lines(app))
        assert not app.screen.query(DateTimeline)
    run(body, size=size)
