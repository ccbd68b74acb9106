"""Matching stays lean: no reference cycles (find_flags pauses the cyclic collector, so a cycle would live
until it returns), and the shortcuts taken for speed give what the plain computation gives."""

import gc

import pytest

from factcheck.db import make_engine
from factcheck.match import acronyms, paraphrase
from factcheck.match.engine import find_flags
from factcheck.match.store import load_matching_input


def test_find_flags_leaves_no_cyclic_garbage(seeded_db):
    engine = make_engine(seeded_db)
    records, texts = load_matching_input(engine)
    engine.dispose()
    find_flags(records, texts)  # warm module-level caches and the optional model
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        flags = find_flags(records, texts)
        assert flags
        assert gc.collect() == 0  # every object matching made was freed by reference counting alone
    finally:
        if was:
            gc.enable()


@pytest.mark.parametrize("words, letters, expected", [
    (("Community", "Rehabilitation", "Companies"), "CRC", True),
    (("Ministry", "of", "Justice"), "MOJ", True),
    (("Ministry", "of", "Justice"), "MJ", True),  # a function word may give no letter
    (("HM", "Inspectorate", "of", "Probation"), "HMIP", True),
    (("Re-offending", "Rates"), "RR", True),
    (("Re-offending", "Rates"), "ROR", True),
    (("National", "Probation", "Service"), "NPX", False),
    (("National", "Probation"), "NPS", False),
])
def test_spells(words, letters, expected):
    assert acronyms._spells(words, letters) is expected


@pytest.mark.skipif(paraphrase.load_model() is None, reason="the optional wordllama model is not installed")
def test_embedding_a_text_does_not_depend_on_its_batch():
    # match_paraphrases embeds each distinct sentence once: a text's vector must be the same whichever
    # other texts share its batch
    texts = ["The inspectors found the service failing.", "Probation caseloads rose by a third in 2016.",
             "The minister said the contracts would be reviewed."]
    alone = [paraphrase.embed([t])[0] for t in texts]
    together = paraphrase.embed(texts + texts[::-1])
    for k in range(len(texts)):
        assert (together[k] == alone[k]).all()
        assert (together[len(texts) * 2 - 1 - k] == alone[k]).all()
