"""The unit lexicon (factcheck/extract/data/units.json) and the value normaliser."""

import pytest

from factcheck.extract.numbers import parse_value
from factcheck.extract.units import NAMES, PREFIXES, SCALES, prefix_unit, unit_at


@pytest.mark.parametrize("token, value", [
    ("3,000", 3000), ("0.5", 0.5), (".500", 0.5), ("-1.3", -1.3), ("−4", -4), ("minus 5", -5), ("+0.2", 0.2),
    ("1/2", 0.5), ("½", 0.5), ("1⁄16", 0.0625), ("7 3/4", 7.75), ("2½", 2.5),
    ("1.5 million", 1.5e6), ("1.5million", 1.5e6), ("3bn", 3e9), ("3 bn", 3e9), ("5k", 5e3), ("2tn", 2e12),
    ("4 mil", 4e6), ("two hundred", 200), ("twenty-five", 25), ("twenty five", 25),
    ("one hundred and twelve", 112), ("a dozen", 12), ("a couple of", 2), ("two thousand", 2000),
    ("35 lakh", 3.5e6), ("12,34,567.89", 1234567.89),
])
def test_parse_value(token, value):
    assert parse_value(token) == pytest.approx(value)


@pytest.mark.parametrize("token", ["", "abc", "5 apples"])
def test_parse_value_refuses_what_is_not_a_number(token):
    assert parse_value(token) is None


@pytest.mark.parametrize("text, name", [
    ("km from", "kilometre"), (" km from", "kilometre"), (" kilometres", "kilometre"), ("-metre wall", "metre"),
    ("GB of", "gigabyte"), ("mph", "mile per hour"), (" km/h", "kilometre per hour"), ("pc", "percent"),
    ("%", "percent"), (" %", "percent"), (" per cent", "percent"), (" percentage points", "percentage point"),
    (" degrees Celsius", "degree Celsius"), ("°F", "degree Fahrenheit"), (" square feet", "square foot"),
    (" swiss francs", "Swiss franc"), (" yen", "Japanese yen"), (" yuan", "Chinese yuan"), (" rupees", "Indian rupee"),
    (" pounds", "pound sterling"), ("lb", "pound"), (" kWh", "kilowatt hour"), (" hours", "hour"),
])
def test_units_glued_or_spaced(text, name):
    found = unit_at(text, 0)
    assert found is not None and found[0].name == name


@pytest.mark.parametrize("text", [" t", " apples", "nd", "st place", " C", "--"])
def test_no_unit(text):
    assert unit_at(text, 0) is None


@pytest.mark.parametrize("prefix, code", [
    ("$", "USD"), ("US$", "USD"), ("A$", "AUD"), ("C$", "CAD"), ("HK$", "HKD"), ("hk $", "HKD"), ("RM", "MYR"),
    ("Rs", "INR"), ("£", "GBP"), ("€", "EUR"), ("NZD$", "NZD"),
])
def test_currency_prefixes(prefix, code):
    assert prefix_unit(prefix).code == code


def test_lexicon_is_consistent():
    assert "a $" not in PREFIXES  # the article before a dollar sign is not an Australian dollar
    assert SCALES["billion"] == 1e9 and SCALES["bn"] == 1e9
    for u in NAMES.values():
        assert u.name and u.kind
        assert (u.kind == "currency") == u.is_currency


@pytest.mark.parametrize("text, name", [
    ("kmph", "kilometre per hour"), (" BTC", "bitcoin"), (" satoshis", "satoshi"), (" turns", "turn"),
    (" celcius", "degree Celsius"), (" degrees farenheit", "degree Fahrenheit"), (" picometres", "picometre"),
])
def test_issue13_lexicon_entries(text, name):
    found = unit_at(text, 0)
    assert found is not None and found[0].name == name and found[1] == len(text)
