"""Arithmetic checks inside one document: table rows, enumerations and counted lists."""

from pathlib import Path

import pytest

from factcheck.checks.arithmetic import check_arithmetic
from factcheck.extract.document import extract_document
from factcheck.match.records import ClaimRecord

SEED_003 = Path(__file__).resolve().parent.parent / "seeds" / "003_b1866b0f00dbf4d8.txt"


def records(text, source_id=1, first_id=0):
    """ClaimRecords for every claim the real extractor finds in text."""
    out = []
    for i, c in enumerate(extract_document(text).claims):
        out.append(ClaimRecord(
            id=first_id + i, source_id=source_id, source="t.txt", kind=c.kind, text=c.text,
            excerpt=text[c.excerpt_start:c.excerpt_end], start=c.start, end=c.end, value=c.value,
            low=c.low, high=c.high, unit=c.unit, qualifier=c.qualifier, subject=c.subject,
            details=dict(c.extra),
        ))
    return out


def flags_of(text):
    """Arithmetic flags for one text."""
    return check_arithmetic(records(text))


def table(rows):
    """A plain-text table with a header line and one line per (label, cells) row."""
    lines = ["Staffing by region", "", "Region Before After Difference % Change"]
    lines += [f"{label} {cells}" for label, cells in rows]
    return "\n".join(lines) + "\n\nFigures are headcounts.\n"


GOOD_ROWS = [
    ("North", "240 180 60 25%"),
    ("South", "400 312 88 22%"),
    ("East", "150 100 50 33%"),  # 33.33% printed 33%: rounding, not an error
    ("West", "500 380 120 24%"),
]


def with_row(label, cells):
    """GOOD_ROWS with one row replaced."""
    return [(lab, cells if lab == label else c) for lab, c in GOOD_ROWS]


def by_id(recs):
    """Records keyed by id."""
    return {r.id: r for r in recs}


# ---------------------------------------------------------------- tables


def test_correct_table_is_not_flagged():
    assert flags_of(table(GOOD_ROWS)) == []


def test_wrong_percentage_flags_exactly_that_row():
    text = table(with_row("West", "500 380 120 26%"))
    recs = records(text)
    flags = check_arithmetic(recs)
    assert len(flags) == 1
    f = flags[0]
    assert f.type == "arithmetic"
    assert "West" in f.subject and "%" in f.subject
    assert "120 / 500 = 24.0%" in f.summary and "26%" in f.summary
    assert 0.9 <= f.score <= 1.0
    ids = by_id(recs)
    roles = {ids[i].text: role for i, role in f.members}
    assert roles == {"500": "row_cell", "380": "row_cell", "120": "row_cell", "26%": "inconsistent"}
    assert all(ids[i].details["table_row"] == "West" for i, _ in f.members)
    assert "24" in f.explanation and "26%" in f.explanation


def test_bigger_percentage_error_scores_higher():
    small = flags_of(table(with_row("West", "500 380 120 26%")))[0]
    large = flags_of(table(with_row("West", "500 380 120 40%")))[0]
    assert large.score > small.score


def test_wrong_difference_flags_the_difference_cell():
    recs = records(table(with_row("South", "400 312 98 22%")))
    flags = check_arithmetic(recs)
    assert len(flags) == 1
    f = flags[0]
    assert "South" in f.summary and "88" in f.summary and "98" in f.summary
    ids = by_id(recs)
    bad = [ids[i].text for i, role in f.members if role == "inconsistent"]
    assert bad == ["98"]


def test_rounding_up_is_accepted_but_truncation_is_not():
    rows = GOOD_ROWS + [("Central", "300 100 200 67%")]  # 66.67% -> 67%
    assert flags_of(table(rows)) == []
    rows = GOOD_ROWS + [("Central", "300 100 200 66%")]  # truncated: not normal rounding
    flags = flags_of(table(rows))
    assert len(flags) == 1 and "Central" in flags[0].summary


def test_decimal_percentages_round_to_their_printed_places():
    rows = [("North", "240 180 60 25.0%"), ("South", "400 312 88 22.0%"),
            ("East", "150 100 50 33.3%"), ("West", "500 380 120 24.0%")]
    assert flags_of(table(rows)) == []
    rows[2] = ("East", "150 100 50 33.4%")
    flags = flags_of(table(rows))
    assert len(flags) == 1 and "East" in flags[0].summary


def test_no_majority_no_flag():
    # two rows of four break the rule: the table does not clearly obey it, so nothing is flagged
    rows = with_row("West", "500 380 120 26%")
    rows[0] = ("North", "240 180 60 28%")
    assert flags_of(table(rows)) == []


def test_rows_without_a_relationship_are_not_flagged():
    rows = [("North", "12 7 40"), ("South", "3 9 15"), ("East", "8 8 1"), ("West", "20 2 5")]
    assert flags_of(table(rows)) == []


def test_tables_in_different_sources_are_kept_apart():
    bad = records(table(with_row("West", "500 380 120 26%")), source_id=1)
    good = records(table(GOOD_ROWS), source_id=2, first_id=1000)
    flags = check_arithmetic(good + bad)
    assert len(flags) == 1 and all(i < 1000 for i, _ in flags[0].members)


# ---------------------------------------------------------------- enumerations

ENUM = ("Five contractors run the 20 prisons. These are Alpha Services (6), Beta Group (5), "
        "Gamma (4), Delta (3) and Epsilon (2).")


def test_enumeration_that_adds_up_is_not_flagged():
    assert flags_of(ENUM) == []


def test_enumeration_with_a_wrong_part_is_flagged_on_the_sum():
    recs = records(ENUM.replace("Delta (3)", "Delta (2)"))
    flags = check_arithmetic(recs)
    assert len(flags) == 1
    f = flags[0]
    assert "parts sum to 19, stated total 20" in f.summary
    assert "items" not in f.summary
    ids = by_id(recs)
    roles = [(ids[i].text, role) for i, role in f.members]
    assert ("20 prisons", "total") in roles and ("Five contractors", "count") in roles
    assert sum(1 for _, role in roles if role == "part") == 5


def test_enumeration_with_an_extra_item_is_flagged_on_the_count():
    text = ENUM.replace("20 prisons", "21 prisons").replace("Delta (3)", "Delta (3), Zeta (1)")
    flags = flags_of(text)
    assert len(flags) == 1
    assert "6 items listed, stated 5 contractors" in flags[0].summary
    assert "sum" not in flags[0].summary


def test_enumeration_where_the_unit_donor_is_the_count():
    text = ("The 20 prisons are run by five contractors. These are Alpha Services (6), Beta Group (5), "
            "Gamma (4), Delta (3) and Epsilon (2).")
    assert flags_of(text) == []


def test_enumeration_with_an_unread_part_is_left_alone():
    # "others (2)" is not a name, so it is not read as a part: the list is incomplete, do not guess
    text = ("The 20 prisons are run as follows. These are Alpha Services (6), Beta Group (5), "
            "Gamma (4), Delta (3) and others (2).")
    assert flags_of(text) == []


# ---------------------------------------------------------------- counted lists


@pytest.mark.parametrize("sentence", [
    "The trust runs three hospitals: Kingsway, Riverside and Northgate.",
    "The trust runs three hospitals: Kingsway, Riverside, and Northgate.",
    "The council closed four libraries: Ashby; Barton (the old hall, and annex); Carlton; and Dunmore.",
    # "Devon and Cornwall" may be one name: three or four items, so "three" is not contradicted
    "The firm has three divisions: Kent, Devon and Cornwall, and Essex.",
    # not clearly delimited (no colon): names with "and" make the split unreliable
    "There are five companies owned by Acme, Kent and Sussex, Devon and Cornwall, York and Hull.",
    # a partial list may be shorter than the count
    "The survey covered six regions, including Kent, Essex and Surrey.",
    # the list is not the rest of the sentence
    "There are two reasons: staff are leaving and workloads are rising, the report says.",
    "Two of the six CRCs: Essex, Kent.",
])
def test_lists_that_are_consistent_or_unclear_are_not_flagged(sentence):
    assert flags_of(sentence) == []


@pytest.mark.parametrize("sentence, listed, stated", [
    ("The trust runs three hospitals: Kingsway, Riverside, Northgate, and Eastfield.", "4", "3 hospitals"),
    ("The council closed four libraries: Ashby; Barton; and Carlton.", "3", "4 libraries"),
    ("The firm has two offices, namely Leeds, York, Hull.", "3", "2 offices"),
    ("The survey covered two regions, including Kent, Essex, Surrey, and Devon.", "4", "2 regions"),
])
def test_lists_with_the_wrong_count_are_flagged(sentence, listed, stated):
    recs = records(sentence)
    flags = check_arithmetic(recs)
    assert len(flags) == 1
    f = flags[0]
    assert f.type == "arithmetic"
    assert f.summary == f"{listed} items listed, stated {stated}"
    assert [role for _, role in f.members] == ["count"]
    assert 0 < f.score <= 1


# ---------------------------------------------------------------- robustness


def test_odd_input_never_raises():
    odd = [
        ClaimRecord(id=1, source_id=1, source="x", kind="quantity", text="", excerpt="", value=None),
        ClaimRecord(id=2, source_id=1, source="x", kind="quantity", text="3", excerpt=None, value=float("nan"),
                    details=None),
        ClaimRecord(id=3, source_id=1, source="x", kind="quantity", text="4", excerpt="A 4 5 6",
                    value=4.0, details={"table_row": "A", "column": "x"}),
        ClaimRecord(id=4, source_id=None, source="x", kind="quantity", text="(2)", excerpt="B (2)", value=2.0,
                    start=None, end=None, details={"unit_from": "enumeration total"}),
        ClaimRecord(id=5, source_id=1, source="x", kind="date", text="2020", excerpt="in 2020"),
        ClaimRecord(id=6, source_id=1, source="x", kind="quantity", text="two things", excerpt="two things:",
                    value=2.0, unit="things"),
    ]
    assert check_arithmetic(odd) == []
    assert check_arithmetic([]) == []


def test_only_quantities_of_each_source_are_used():
    recs = records(table(with_row("West", "500 380 120 26%")))
    for r in recs:
        r.kind = "date"
    assert check_arithmetic(recs) == []


# ---------------------------------------------------------------- the real seed


def test_seed_003_has_exactly_the_essex_row_flagged():
    text = SEED_003.read_text(encoding="utf-8")
    recs = records(text)
    flags = check_arithmetic(recs)
    assert len(flags) == 1, [f.summary for f in flags]
    f = flags[0]
    assert f.type == "arithmetic"
    assert "Essex" in f.subject and "Essex" in f.summary
    assert "41" in f.summary and "40" in f.summary
    ids = by_id(recs)
    assert {ids[i].text for i, _ in f.members} == {"279", "167", "112", "41%"}
    assert [ids[i].text for i, role in f.members if role == "inconsistent"] == ["41%"]
    assert f.score >= 0.9
