"""Snapshots of the main review screens, reached by key presses, at 80x24 and on wide terminals, on the small
database of tests/reviewdata.py (tui_db)."""

from __future__ import annotations

import pytest
from test_review import settle

from factcheck.db import make_engine
from factcheck.review.app import ReviewApp


def app_on(db: str) -> ReviewApp:
    """The app with a fixed database label, so snapshots do not depend on temp paths."""
    return ReviewApp(make_engine(db), "tester", "claims.db")


def keys(*presses: str):
    """A run_before that presses keys and waits for the workers after each."""
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot.app, pilot)
    return run_before


@pytest.mark.parametrize("size", [(80, 24), (140, 40)], ids=["80x24", "140x40"])
def test_flag_queue(snap_compare, tui_db, size):
    assert snap_compare(app_on(tui_db), terminal_size=size, run_before=keys())


def test_quote_variant_side_by_side_with_diff(snap_compare, tui_db):
    assert snap_compare(app_on(tui_db), terminal_size=(140, 40), run_before=keys("down", "enter"))


def test_conflict_stacked_at_80x24(snap_compare, tui_db):
    assert snap_compare(app_on(tui_db), terminal_size=(80, 24), run_before=keys("enter"))


@pytest.mark.parametrize("size", [(80, 24), (150, 40)], ids=["80x24", "150x40"])
def test_claims_table(snap_compare, tui_db, size):
    assert snap_compare(app_on(tui_db), terminal_size=size, run_before=keys("C", "down", "down"))


def test_source_view_at_a_claim(snap_compare, tui_db):
    assert snap_compare(app_on(tui_db), terminal_size=(100, 30),
                        run_before=keys("C", *["down"] * 8, "g"))


def test_help(snap_compare, tui_db):
    assert snap_compare(app_on(tui_db), terminal_size=(100, 40), run_before=keys("question_mark"))


def test_empty_database(snap_compare, db_url):
    assert snap_compare(app_on(db_url), terminal_size=(80, 24), run_before=keys())
