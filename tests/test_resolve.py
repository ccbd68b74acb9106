"""Propose, then resolve: which reading of a span is kept, and why (factcheck.extract.resolve)."""

from __future__ import annotations

import datetime as dt

from factcheck.extract.document import SectionSpan, explain, extract_claims
from factcheck.extract.resolve import Reading, resolve


def _choices(text: str, section_date: dt.date | None = None):
    sections = [SectionSpan(0, len(text), section_date)] if section_date else None
    return [(text[c.reading.start:c.reading.end], c.reading.kind, c.kept, c) for c in explain(text, sections)]


def _kept(text: str) -> list[tuple[str, str]]:
    return [(t, kind) for t, kind, kept, _ in _choices(text) if kept]


def test_money_beats_a_clock_time_read_only_from_its_context():
    text = "The shares closed at 9.50 yen on the day."
    assert ("9.50 yen", "quantity") in _kept(text)
    dropped = [c for t, kind, kept, c in _choices(text) if kind == "nonclaim" and not kept]
    assert dropped and "overlaps quantity" in dropped[0].why


def test_a_clock_time_with_its_context_beats_a_bare_number():
    kept = _kept("Doors open at 10.30 for 40 guests.")
    assert ("10.30", "nonclaim") in kept
    assert ("40 guests", "quantity") in kept


def test_a_clock_time_with_pm_beats_money_like_digits():
    kept = _kept("The vote closes at 7.45pm tonight.")
    assert ("7.45pm", "nonclaim") in kept
    assert not [t for t, kind in kept if kind == "quantity"]


def test_a_label_number_is_not_a_count_but_the_next_figure_is():
    text = "Chapter 7 lists 12 new wardens."
    claims = extract_claims(text)
    assert [(c.text, c.value) for c in claims if c.kind == "quantity"] == [("12 new wardens", 12.0)]
    why = [c.why for t, kind, kept, c in _choices(text) if t.startswith("7") and not kept]
    assert why and "label" in why[0]


def test_a_relative_date_beats_the_count_inside_it():
    text = "The plant closed three years ago."
    choices = _choices(text, dt.date(2020, 5, 1))
    assert ("three years ago", "date", True) in [(t, k, kept) for t, k, kept, _ in choices]
    lost = [c for t, k, kept, c in choices if k == "quantity"]
    assert lost and not lost[0].kept and lost[0].beaten_by.kind == "date"
    claims = extract_claims(text, [SectionSpan(0, len(text), dt.date(2020, 5, 1))])
    assert [(c.kind, c.date) for c in claims] == [("date", dt.date(2017, 1, 1))]


def test_phone_numbers_hide_their_digit_groups():
    text = "Ring 020 7946 0000 to report the 3,000 missing files."
    claims = extract_claims(text)
    assert [c.text for c in claims] == ["3,000 missing files"]


def test_resolve_prefers_weight_then_length_and_reports_every_reading():
    a = Reading(0, 10, "quantity", "long weak", 50)
    b = Reading(5, 8, "date", "short strong", 80)
    c = Reading(8, 12, "quantity", "next to the strong one", 50)
    d = Reading(8, 11, "quantity", "shorter rival", 50)
    choices = resolve([a, b, c, d])
    assert len(choices) == 4
    by = {ch.reading.evidence: ch for ch in choices}
    assert by["short strong"].kept
    assert not by["long weak"].kept and by["long weak"].beaten_by is b
    assert by["next to the strong one"].kept  # touching, not overlapping
    assert not by["shorter rival"].kept and by["shorter rival"].beaten_by is c
    assert [ch.reading.start for ch in choices] == sorted(ch.reading.start for ch in choices)
