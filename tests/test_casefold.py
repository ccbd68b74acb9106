"""Case-blind patterns run on lower-cased text give the same matches as on the text itself."""

from __future__ import annotations

import re

from factcheck.extract.casefold import FoldedText, lower_twin


def test_a_case_blind_pattern_runs_on_lower_cased_text_only_when_its_letters_are_lower_case() -> None:
    assert lower_twin(re.compile(r"\bwww\.\S+", re.I)) is not None
    assert lower_twin(re.compile(r"\d+ ?GMT", re.I)) is None  # an upper-case literal
    assert lower_twin(re.compile(r"\d+ ?gmt")) is None  # not case-blind to begin with
    text = "Call WWW.Example.com at 10.30 GMT, or www.b.org"
    pattern = re.compile(r"\bwww\.\S+", re.I)
    assert [m.span() for m in FoldedText(text).finditer(pattern, 0, len(text))] == \
        [m.span() for m in pattern.finditer(text)]
