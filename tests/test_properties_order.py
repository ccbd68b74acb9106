"""Properties over whole ingests and matching: the result does not depend on the order files are given in,
matching never raises on any set of claim records, and stored offsets always index the stored text.

Documents are built by hypothesis from fragments that look like the real thing (figures, dates, quotes,
names that recur and vary across documents) so that repeats, conflicts, quote variants and aliases occur.
test_properties.py covers extraction over arbitrary text; here the unit is a set of documents.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.match.engine import find_flags
from factcheck.match.records import ClaimRecord

NAMES = ["Dame Glenys Stacey", "Jane Smith", "the Ministry of Justice", "HMIP", "HMPI", "Sodexo", "Interserve",
         "the National Probation Service", "Northumbria Police", "Northumberland Police", "Kent County Council"]
PLACES = ["Suffolk", "Northumbria", "Kent", "London", "the north-east"]
FIGURES = ["42 cases", "up to 80 cases", "90-100 cases", "21 CRCs", "six CRCs", "1,200 doses", "450 doses",
           "£294 million", "£3.5bn", "12%", "51 per cent", "one in four offenders", "almost three-quarters of staff",
           "nearly 300 staff", "more than 2,000 people", "35 cases"]
DATES = ["on 3 March 2021", "on 19 June 2017", "yesterday", "last week", "in June 2017", "today",
         "on Wednesday, 30 September 2020", "on 18 June 2017", "earlier this year", "next Friday"]
QUOTES = ["We will not give up on these people", "We will never give up on these people",
          "The service is failing across the public and private sector",
          "The service is failing across both the public and the private sector",
          "Too many offenders are released without a home to go to",
          "Staff are doing their best in very difficult circumstances"]
EVENTS = ["published the report", "released the figures", "announced the plan", "published its inspection report"]

name, place, figure, date, quote, event = (st.sampled_from(x) for x in (NAMES, PLACES, FIGURES, DATES, QUOTES, EVENTS))

SENTENCE = st.one_of(
    st.builds("{} {} {}.".format, name, event, date),
    st.builds("{} said {} were recorded in {} {}.".format, name, figure, place, date),
    st.builds("According to {}, {} were affected in {}.".format, name, figure, place),
    st.builds("“{},” said {}.".format, quote, name),
    st.builds("{} said: “{}.”".format, name, quote),
    st.builds("{} told MPs that {} had been lost {}.".format, name, figure, date),
    st.builds("In {} there were {}, up from {}.".format, place, figure, figure),
)
DATELINE = st.one_of(st.just(""), st.builds("{} - Immediate Release\n\n".format,
                                            st.sampled_from(["19 June 2017", "3 March 2021", "30 September 2020"])))
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
BODY = st.builds(lambda head, paras: head + "\n\n".join(paras), DATELINE, st.lists(PARAGRAPH, min_size=1, max_size=4))


@st.composite
def corpora(draw) -> tuple[list[tuple[str, str]], list[int]]:
    """2-5 documents (name, text) and a second order of them that differs from the first."""
    bodies = draw(st.lists(BODY, min_size=2, max_size=5))
    suffixes = draw(st.lists(st.sampled_from([".txt", ".md"]), min_size=len(bodies), max_size=len(bodies)))
    # a distinct first line per document: identical files would be stored once, under whichever came first
    docs = [(f"doc{i}{sfx}", f"Briefing {i}\n\n{body}\n")
            for i, (body, sfx) in enumerate(zip(bodies, suffixes, strict=False))]
    order = draw(st.permutations(range(len(docs))))
    if list(order) == sorted(order):
        order = order[::-1]
    return docs, list(order)


def _cli(db: str, *args: str) -> str:
    """Run the command line in process; its standard output."""
    from factcheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--db", db, *args])
    assert code == 0, err.getvalue()
    return out.getvalue()


def _ingest(folder: Path, db: str, names: list[str]) -> tuple[list[dict], list[dict]]:
    """Ingest the files in the given order into a fresh database; (claims --json, flags --json)."""
    import json

    _cli(db, "ingest", "--no-progress", *(str(folder / n) for n in names))
    return json.loads(_cli(db, "claims", "--json")), json.loads(_cli(db, "flags", "--json"))


def claim_key(c: dict) -> tuple:
    """What must not depend on ingest order about a claim."""
    return (c["source"], c["start"], c["end"], c["kind"], c["value"], c["date"], c["speaker"])


def flag_key(f: dict) -> tuple:
    """A flag by its type and the places of its members."""
    return (f["type"], tuple(sorted({(m["source"], m["start"], m["end"]) for m in f["members"]})))


@pytest.fixture(autouse=True)
def _no_db_env(monkeypatch):
    """No $FACTCHECK_DB from the environment."""
    monkeypatch.delenv("FACTCHECK_DB", raising=False)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(corpora())
def test_ingest_order_does_not_change_claims_or_flags(corpus):
    """The same documents ingested in two orders into two fresh databases give the same claims and flags;
    every stored claim's offsets index its document's text."""
    docs, order = corpus
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n, text in docs:
            (folder / n).write_text(text, encoding="utf-8", newline="")
        names = [n for n, _ in docs]
        claims_a, flags_a = _ingest(folder, str(folder / "a.db"), names)
        claims_b, flags_b = _ingest(folder, str(folder / "b.db"), [names[i] for i in order])
    texts = dict(docs)
    for c in claims_a:
        text = texts[c["source"]]
        assert 0 <= c["start"] < c["end"] <= len(text)
        assert text[c["start"]:c["end"]] == c["text"]
        assert 0 <= c["excerpt_start"] <= c["start"] and c["end"] <= c["excerpt_end"] <= len(text)
    assert sorted(map(claim_key, claims_a), key=repr) == sorted(map(claim_key, claims_b), key=repr)
    assert sorted(map(flag_key, flags_a)) == sorted(map(flag_key, flags_b))


def _flag_places(flags, recs: list[ClaimRecord]) -> list[tuple]:
    """Flags by type and the places (source, start, end) of their members."""
    where = {r.id: (r.source, r.start, r.end) for r in recs}
    return sorted((f.type, tuple(sorted({where[cid] for cid, _ in f.members}))) for f in flags)


def test_find_flags_over_the_seeds_does_not_depend_on_record_order(seeded_db):
    """The seeds' stored claims, shuffled, give the same flags: matchers break ties and cut-offs by where a
    claim is (factcheck.match.records.place), not by the order records come in (the ingest order, before
    load_records sorted by path) nor by claim ids."""
    import random

    from factcheck.db import make_engine
    from factcheck.match.store import load_records

    recs = load_records(make_engine(seeded_db))
    expected = _flag_places(find_flags(recs), recs)
    assert expected
    rnd = random.Random(2024)
    for _ in range(4):
        shuffled = list(recs)
        rnd.shuffle(shuffled)
        assert _flag_places(find_flags(shuffled), recs) == expected


# --------------------------------------------------------------------------- find_flags on any records

UNITS = st.sampled_from([None, "%", "fraction", "GBP", "USD", "cases", "CRCs", "staff", "doses", "ordinal", "ratio",
                         "date", "people", "years"])
FLOATS = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, 1.0, 2.0, 6.0, 21.0, 42.0, 80.0, 90.0, 100.0, 0.5, -3.0]))
DAYS = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)))
EXCERPT = st.lists(st.one_of(SENTENCE, st.text(max_size=20)), min_size=0, max_size=3).map(" ".join)
# details as extraction writes them (typed: a hostile database is not what this tests)
DETAILS = st.one_of(
    st.just({}),
    st.fixed_dictionaries({"table_row": st.sampled_from(["Total", "Kent", "Suffolk", ""]),
                           "column": st.integers(min_value=1, max_value=14)},
                          optional={"header": st.sampled_from(["2019 2020 change", "Area Cases %"])}),
    st.fixed_dictionaries({"quote_text": st.sampled_from(QUOTES)}, optional={"parts": st.integers(1, 3)}),
    st.fixed_dictionaries({"turn": st.just(True)},
                          optional={"label": st.sampled_from(NAMES), "question": st.booleans()}),
    st.fixed_dictionaries({"denominator": st.sampled_from([2.0, 4.0, 10.0, 21.0, 100.0])},
                          optional={"proportion": st.floats(0, 1)}),
    st.fixed_dictionaries({"range": st.just(True)}),
    st.fixed_dictionaries({"counted": st.sampled_from(["cases", "CRCs"])}),
)


@st.composite
def records(draw) -> list[ClaimRecord]:
    """0-25 claim records over a few sources and sections, with odd values mixed in."""
    n = draw(st.integers(min_value=0, max_value=25))
    out = []
    for i in range(n):
        excerpt = draw(EXCERPT)
        start = draw(st.integers(min_value=0, max_value=max(0, len(excerpt))))
        end = draw(st.integers(min_value=start, max_value=max(start, len(excerpt))))
        source_id = draw(st.integers(min_value=1, max_value=4))
        speaker_id = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=3)))
        out.append(ClaimRecord(
            id=1000 + i, source_id=source_id, source=f"s{source_id}.txt",
            kind=draw(st.sampled_from(["quantity", "quantity", "date", "quote", "attribution"])),
            text=excerpt[start:end] or draw(st.sampled_from(FIGURES + QUOTES)), excerpt=excerpt,
            start=start, end=end, section_id=draw(st.one_of(st.none(), st.integers(1, 3))),
            section_date=draw(DAYS), value=draw(FLOATS), low=draw(FLOATS), high=draw(FLOATS), unit=draw(UNITS),
            qualifier=draw(st.sampled_from([None, "at_most", "at_least", "approx", "exact"])),
            date=draw(DAYS), date_end=draw(DAYS), date_precision=draw(st.sampled_from([None, "day", "month", "year"])),
            relative=draw(st.booleans()), subject=draw(st.one_of(st.none(), st.sampled_from(["dateline", "cases"]),
                                                                 st.text(max_size=8))),
            speaker_id=speaker_id, speaker=draw(st.sampled_from(NAMES)) if speaker_id else None,
            fingerprint=f"fp{i}", details=draw(DETAILS), context=draw(EXCERPT),
        ))
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_find_flags_never_raises_and_members_exist(recs):
    """Whatever the records (NaN and infinite values, missing fields, odd details), find_flags returns flags
    whose members are records it was given, each with a finite score."""
    flags = find_flags(recs)
    ids = {r.id for r in recs}
    for f in flags:
        assert f.members
        assert {cid for cid, _ in f.members} <= ids, f
        assert isinstance(f.score, float) and math.isfinite(f.score)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), st.randoms(use_true_random=False))
def test_find_flags_does_not_depend_on_record_order(recs, rnd):
    """The same records in another order give the same flags (type and member set)."""
    shuffled = list(recs)
    rnd.shuffle(shuffled)

    def keys(flags):
        """Flags by type and member ids."""
        return sorted((f.type, tuple(sorted({cid for cid, _ in f.members}))) for f in flags)

    assert keys(find_flags(recs)) == keys(find_flags(shuffled))
