"""Sentence splitting: a full stop after a title or abbreviation does not end the sentence."""

from __future__ import annotations

import pytest

from factcheck.extract.document import extract_document
from factcheck.extract.sentences import sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize("title", ["Sen.", "Rep.", "Gen.", "Lt.", "Col.", "Capt.", "Gov.", "Dr.", "Messrs."])
def test_a_title_before_a_name_does_not_end_the_sentence(title):
    text = f"The committee heard from {title} Ann Lee about the budget. It then adjourned."
    assert _sentences(text) == [f"The committee heard from {title} Ann Lee about the budget.", "It then adjourned."]


def test_an_ordinary_word_before_a_capital_still_ends_the_sentence():
    text = "The bill was signed by the King. Parliament rose. He left at 5 p.m. Then it rained."
    assert _sentences(text) == ["The bill was signed by the King.", "Parliament rose.", "He left at 5 p.m.",
                                "Then it rained."]


def test_reported_speech_runs_past_a_title_inside_its_content():
    text = "Two governors say Florida Sen. Ann Lee has not been tested in office."
    (claim,) = [c for c in extract_document(text).claims if c.kind == "attribution"]
    assert text[claim.start:claim.end] == "Florida Sen. Ann Lee has not been tested in office"
