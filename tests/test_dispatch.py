"""StartDispatch gives the same match as the whole alternation, at every position of real and random text."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extract import dates
from factcheck.extract.dispatch import StartDispatch, can_start

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ALTERNATIVES = [
    r"(?P<num>(?<!\w)\d+(?:\.\d+)?)", r"(?P<word>(?i:the|a)\s+\w+)", r"(?P<look>(?=[A-Z])[A-Za-z]+day)",
    r"(?P<opt>x?y+)", r"(?P<neg>[^a-z\s]{2})", r"(?P<ref>(?P<q>['\"])\w+(?P=q))",
]


def _same(whole: re.Pattern[str], fast: StartDispatch, text: str) -> None:
    """Both give the same span, alternative and groups at every position of text."""
    for pos in range(len(text) + 1):
        a, b = whole.match(text, pos), fast.match(text, pos, len(text))
        assert (a is None) == (b is None), (text, pos)
        if a is not None and b is not None:
            assert (a.span(), a.lastgroup) == (b.span(), b.lastgroup)
            assert {k: a[k] for k in whole.groupindex} == {k: b[k] for k in whole.groupindex}


def test_first_characters_are_worked_out_from_the_pattern() -> None:
    assert can_start(r"(?<!\w)\d+", "7") and not can_start(r"(?<!\w)\d+", "x")
    assert can_start(r"(?i:the)\s", "T") and not can_start(r"(?i:the)\s", "s")
    assert can_start(r"x?y", "y") and can_start(r"x?y", "x") and not can_start(r"x?y", "z")
    assert not can_start(r"(?=[A-Z])\w+", "a") and can_start(r"(?=[A-Z])\w+", "B")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab xyTHE12.'\"Mondayz\n-", max_size=30))
def test_same_matches_as_the_whole_alternation_on_random_text(text: str) -> None:
    _same(re.compile("|".join(ALTERNATIVES)), StartDispatch(ALTERNATIVES), text)


def test_date_alternatives_match_as_before_on_the_seeds() -> None:
    fast = StartDispatch([a.replace(r"\d", "[0-9]") for a in dates._ALTERNATIVES])
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        _same(dates._DATE_RE, fast, path.read_text(encoding="utf-8")[:6000])


def test_a_case_blind_pattern_runs_on_lower_cased_text_only_when_its_letters_are_lower_case() -> None:
    from factcheck.extract.casefold import FoldedText, lower_twin

    assert lower_twin(re.compile(r"\bwww\.\S+", re.I)) is not None
    assert lower_twin(re.compile(r"\d+ ?GMT", re.I)) is None  # an upper-case literal
    assert lower_twin(re.compile(r"\d+ ?gmt")) is None  # not case-blind to begin with
    text = "Call WWW.Example.com at 10.30 GMT, or www.b.org"
    pattern = re.compile(r"\bwww\.\S+", re.I)
    assert [m.span() for m in FoldedText(text).finditer(pattern, 0, len(text))] == \
        [m.span() for m in pattern.finditer(text)]
