"""The extractors' vocabulary is data (factcheck/extract/data/*.json): well formed, general, and used."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from factcheck.extract import lexicon
from factcheck.extract.document import extract_document
from factcheck.extract.entities import gender_of, is_org_name

DATA = Path(lexicon.__file__).parent / "data"
CASED = {("people", "titles"), ("speech", "leading_connectives"), ("quantities", "street_types"),
         ("words", "abbreviations")}  # as written


@pytest.mark.parametrize("path", sorted(DATA.glob("*.json")), ids=lambda p: p.name)
def test_every_vocabulary_file_says_what_it_is_and_its_lists_are_clean(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    about = data.get("_comment") or data.get("_about")
    assert isinstance(about, str) and len(about) > 20
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            assert len(value) == len(set(value)), f"{path.name}:{key} repeats an entry"
            assert all(v == v.strip() and v for v in value), f"{path.name}:{key} has blank or padded entries"
            if (path.stem, key) not in CASED:
                assert all(v == v.lower() for v in value), f"{path.name}:{key} should be lower case"


def test_a_given_name_tells_gender_only_when_it_is_not_used_for_both():
    people = lexicon.load("people")
    assert not set(people["female_names"]) & set(people["male_names"])
    assert gender_of(None, "Harriet") == "f" and gender_of(None, "Duncan") == "m"
    assert gender_of("Dame", "Zorah") == "f"  # a title tells when the name does not


@pytest.mark.parametrize("name, org", [
    ("Kelby Housing Association", True),
    ("the Marston Water Company", True),
    ("Napo and UNISON", True),  # an acronym in the name
    ("Ruth Okafor MP", False),  # a role acronym is not an organisation
    ("Ruth Okafor", False),
])
def test_organisations_by_head_word_or_acronym(name, org):
    assert is_org_name(name) is org


def test_a_speech_verb_from_the_data_attributes_a_quote():
    text = "Cold snap\n\n“The pipes froze before dawn,” whispered the caretaker, Owen Pryce.\n"
    quotes = [c for c in extract_document(text).claims if c.kind == "quote"]
    assert quotes and quotes[0].extra.get("verb") == "whispered"


def test_the_lexicon_builds_regex_alternations_longest_first():
    pattern = re.compile(rf"(?:{lexicon.alternation(['say', 'says', 'went on', 'went'])})")
    assert [pattern.match(t).group() for t in ("says that", "say so", "went  on to", "went home")] == [
        "says", "say", "went  on", "went"]
