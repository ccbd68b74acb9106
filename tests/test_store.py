"""The read layer and the vocabulary: the store reads only (no CLI, no terminal UI), and every word the data is
written in comes from factcheck/vocabulary.py."""

from __future__ import annotations

import ast
from pathlib import Path

from factcheck import vocabulary as v

PACKAGE = Path(__file__).resolve().parent.parent / "factcheck"


def test_store_imports_neither_the_command_line_nor_the_review_app():
    offenders = {}
    for path in (PACKAGE / "store").rglob("*.py"):
        names = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names.append(node.module or "")
        bad = [n for n in names if n.split(".")[0] in {"textual", "rich"}
               or n in {"factcheck.cli", "factcheck.decisions"}
               or n.startswith(("factcheck.review", "factcheck.export"))]
        if bad:
            offenders[path.name] = bad
    assert offenders == {}


def test_vocabulary_tuples_are_plain_strings_in_the_stored_words():
    assert v.CLAIM_STATUSES == ("unreviewed", "supported", "disputed", "false", "unverifiable", "not_a_claim")
    assert v.ORPHANED not in v.CLAIM_STATUSES  # set by re-ingest, never chosen by a reviewer
    assert v.FLAG_STATUSES == ("open", "confirmed", "dismissed")
    assert v.CLAIM_KINDS == ("quantity", "date", "quote", "attribution")
    for words in (v.CLAIM_STATUSES, v.FLAG_STATUSES, v.CLAIM_KINDS, v.FLAG_TYPES, v.FLAG_QUEUE_TYPES):
        assert all(type(w) is str for w in words)  # argparse repeats choices with repr()


def test_flag_queue_order_ranks_every_flag_type_once():
    assert sorted(v.FLAG_ORDER) == sorted(v.FLAG_TYPES)
    assert sorted(v.FLAG_ORDER.values()) == list(range(len(v.FlagType)))
    assert v.FLAG_QUEUE_TYPES[0] == v.FlagType.CONFLICT and v.UNKNOWN_FLAG_RANK > max(v.FLAG_ORDER.values())
    assert set(v.CONTRADICTION_TYPES) < set(v.FLAG_TYPES)
