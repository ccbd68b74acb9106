"""End to end over seeds/: the gold sample's quantity and date claims are found with the right values."""

import datetime as dt
import json
import re

import pytest

from factcheck.cli import main


@pytest.fixture(scope="module")
def claims(seeded_db, capsys_module=None):
    """All claims of the seeded database, via the real command line."""
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["--db", seeded_db, "claims", "--json"]) == 0
    return json.loads(buf.getvalue())


def _gold_items(gold, kinds):
    """Gold claims of the given kinds."""
    return [c for c in gold["claims"] if c["kind"] in kinds]


def _overlapping(claims, item):
    """Our claims in the same file whose span falls inside the gold excerpt."""
    s, e = item["start"], item["start"] + len(item["excerpt"])
    return [c for c in claims if c["source"] == item["file"] and c["start"] < e and c["end"] > s]


def _expected_date(value: str):
    """First day, last-month-or-day, precision hint of a gold date value."""
    m = re.match(r"(\d{4})-(\d{2})/(\d{4})-(\d{2})", value)
    if m:
        return dt.date(int(m[1]), int(m[2]), 1), (int(m[3]), int(m[4]))
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3])), None
    m = re.match(r"(\d{4})", value)
    return dt.date(int(m[1]), 1, 1), None


def test_every_gold_date_is_found_with_its_date(claims, gold):
    for item in _gold_items(gold, {"date"}):
        want, end_month = _expected_date(item["value"])
        found = [c for c in _overlapping(claims, item) if c["kind"] == "date" and c["date"]]
        assert any(c["date"] == want.isoformat() for c in found), (item["id"], item["excerpt"], found)
        if end_month:
            hit = next(c for c in found if c["date"] == want.isoformat())
            assert hit["date_end"].startswith(f"{end_month[0]}-{end_month[1]:02d}")
        if item.get("precision") == "relative":
            assert any(c["relative"] and c["relative_to"] for c in found), item["id"]


def _expected_quantity(item):
    """(value, qualifier) from a gold quantity value such as '>3000' or '62'."""
    raw = str(item["value"])
    qualifier = "at_least" if raw.startswith(">") else ("at_most" if raw.startswith("<") else None)
    return float(raw.lstrip("<>")), qualifier


def test_every_gold_quantity_is_found_with_value_unit_and_qualifier(claims, gold):
    for item in _gold_items(gold, {"quantity"}):
        value, qualifier = _expected_quantity(item)
        found = [c for c in _overlapping(claims, item) if c["kind"] == "quantity" and c["value"] == value]
        assert found, (item["id"], item["excerpt"])
        unit = item["unit"].split()[0]
        assert any(c["unit"] == unit for c in found), (item["id"], unit, found)
        if qualifier:
            assert any(c["qualifier"] == qualifier for c in found), (item["id"], found)


def test_gold_non_claims_are_not_reported(claims, gold):
    for item in _gold_items(gold, {"non_claim"}):
        assert not [c for c in _overlapping(claims, item) if c["kind"] in ("quantity", "date")], item


def test_offsets_index_the_seed_files_exactly(claims, seeds_dir):
    texts = {p.name: p.read_text(encoding="utf-8") for p in seeds_dir.iterdir()}
    assert claims
    for c in claims:
        text = texts[c["source"]]
        assert text[c["start"]:c["end"]] == c["text"]
        assert c["text"] in c["excerpt"]


def test_blog_page_is_split_into_dated_posts(seeded_db):
    from sqlmodel import Session, select

    from factcheck.db import make_engine
    from factcheck.models import Section, Source

    with Session(make_engine(seeded_db)) as s:
        src = s.exec(select(Source).where(Source.path == "003_b1866b0f00dbf4d8.txt")).one()
        dates = [sec.dated for sec in
                 s.exec(select(Section).where(Section.source_id == src.id).order_by(Section.ordinal))]
    assert dates == [dt.date(2020, 9, 30), dt.date(2018, 3, 19), dt.date(2017, 11, 21),
                     dt.date(2017, 1, 13), dt.date(2016, 9, 23)]
