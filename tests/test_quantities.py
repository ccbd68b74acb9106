"""Quantity extraction on real sentences: values, units, qualifiers, and what is not a claim."""

import pytest

from factcheck.extract.nonclaims import mask_nonclaims
from factcheck.extract.quantities import find_quantities
from factcheck.extract.sentences import SentenceIndex
from factcheck.extract.tables import find_table_cells


def quantities(text):
    """Quantity drafts of text with non-claims masked (as the pipeline does)."""
    mask = bytearray(len(text))
    mask_nonclaims(text, mask)
    out = find_table_cells(text, mask) + find_quantities(text, mask, SentenceIndex(text))
    for c in out:
        assert text[c.start:c.end] == c.text
        assert c.excerpt_start <= c.start and c.end <= c.excerpt_end
    return sorted(out, key=lambda c: c.start)


def one(text, needle):
    """The single claim whose text contains needle."""
    found = [c for c in quantities(text) if needle in c.text]
    assert len(found) == 1, [c.text for c in quantities(text)]
    return found[0]


@pytest.mark.parametrize("sentence, needle, value, unit, qualifier", [
    ("Across Norfolk and Suffolk, the CRC supervises more than 3,000 offenders.", "3,000", 3000, "offenders", "at_least"),
    ("However just 62% complied with their sentences compared with a national average of 75%.", "62%", 62, "%", None),
    ("However just 62% complied with their sentences compared with a national average of 75%.", "75%", 75, "%", None),
    ("CRCs have been able to implement operating models that allow telephone-only contact with up to 40 per cent of individuals.", "40 per cent", 40, "%", "at_most"),
    ("the forecast losses of CRCs as at March 2018 were £294 million, compared with £269 million forecast profit", "£294 million", 294e6, "GBP", None),
    ("With nearly £0.5 billion-worth of bail-outs and only six out of 21 CRCs achieving reductions", "£0.5 billion", 0.5e9, "GBP", "approx"),
    ("The firm raised $3bn last year.", "$3bn", 3e9, "USD", None),
    ("Eight employer groups currently hold contracts to run the 21 CRCs.", "Eight", 8, "groups", None),
    ("Eight employer groups currently hold contracts to run the 21 CRCs.", "21", 21, "CRCs", None),
    ("Some officers are now responsible for up to 80 cases.", "80", 80, "cases", "at_most"),
    ("It is anticipated up to 10 CRC staff seconded to the Fareham office could be effected.", "10", 10, "staff", "at_most"),
    ("Several said their caseloads were around 70.", "70", 70, None, "approx"),
    ("Napo has been campaigning for the last two years to raise our concerns.", "two", 2, "years", None),
    ("The research looked at more than 22,000 research articles published since 2007.", "22,000", 22000, "articles", "at_least"),
    ("The staff turnover rate is at 17%, which is very high (average rate is around 10%).", "around 10%", 10, "%", "approx"),
])
def test_values_units_qualifiers(sentence, needle, value, unit, qualifier):
    c = one(sentence, needle)
    assert c.value == pytest.approx(value)
    assert c.unit == unit
    assert c.qualifier == qualifier


def test_at_most_and_at_least_set_interval_bounds():
    up_to = one("Some officers are now responsible for up to 80 cases.", "80")
    assert (up_to.low, up_to.high, up_to.text) == (None, 80, "up to 80 cases")
    more = one("The CRC supervises more than 3,000 offenders.", "3,000")
    assert (more.low, more.high) == (3000, None)


def test_ranges_with_hyphen_and_between():
    c = one("On average staff in Stoke hold 90-100 cases each.", "90")
    assert (c.value, c.low, c.high, c.unit) == (None, 90, 100, "cases")
    c = one("FTE staff in post across the CRCs has fallen between 51% and 32%.", "51%")
    assert (c.low, c.high, c.unit) == (32, 51, "%")
    c = one("Some cases are going two to three weeks without a responsible officer.", "two")
    assert (c.low, c.high, c.unit) == (2, 3, "weeks")


def test_two_amounts_compared_with_to_in_falling_order_are_not_a_range():
    claims = quantities("The sitting mayor outspent her rival $2.1 million to $350,000 in the spring campaign.")
    assert [(c.text, c.value, c.low, c.high) for c in claims] == [
        ("$2.1 million", 2_100_000, None, None), ("$350,000", 350_000, None, None)]


def test_change_from_to_is_one_change_claim_not_a_range():
    claims = quantities("First line manager numbers had reduced from seven to four, in line with the model.")
    assert [(c.value, c.low, c.high, c.text) for c in claims] == [(4, None, None, "from seven to four")]
    assert claims[0].extra["change"] == {"from": 7, "to": 4}


@pytest.mark.parametrize("sentence, needle, value, denominator", [
    ("only six out of 21 CRCs achieving significant reductions in reoffending", "six out of 21", 6, 21),
    ("in almost one in four cases the lack of continuity led to unacceptable levels of contact", "one in four", 1, 4),
])
def test_ratios_keep_denominator(sentence, needle, value, denominator):
    c = one(sentence, needle)
    assert c.value == value
    assert c.extra["denominator"] == denominator


@pytest.mark.parametrize("sentence, needle, value, qualifier", [
    ("Almost three-quarters said it was having a negative impact on the quality of their work.", "three-quarters", 0.75, "approx"),
    ("Over one-third of service users had not complied with the sentence.", "one-third", 1 / 3, "at_least"),
    ("Just over half of the 36 staff who answered the question felt supported.", "half", 0.5, "at_least"),
    ("In almost half of the cases insufficient steps had been taken.", "half", 0.5, "approx"),
])
def test_fractions(sentence, needle, value, qualifier):
    c = one(sentence, needle)
    assert c.value == pytest.approx(value)
    assert (c.unit, c.qualifier) == ("fraction", qualifier)


def test_ordinal_first_time():
    c = one("This report is worrying as it is the first time the public sector has been so heavily criticised.",
            "first")
    assert (c.value, c.unit) == (1, "ordinal")


@pytest.mark.parametrize("sentence", [
    "It was the first time in a decade that the firm had cut jobs.",
    "The school was the second in the county to close this year.",
    "The plant is the first of its kind in Europe.",
    "She was the third minister to resign since March.",
])
def test_an_ordinal_that_claims_a_rank_is_a_quantity(sentence):
    assert [c.unit for c in quantities(sentence) if c.unit == "ordinal"] == ["ordinal"]


@pytest.mark.parametrize("sentence", [
    "Here is the first instalment of what the witnesses told the committee.",
    "Profits fell in the first year of the contract.",
    "The second half of the report deals with staffing.",
    "They met the inspector for the first time.",
    "The first set of reforms was abandoned.",
])
def test_an_ordinal_that_orders_a_text_or_period_is_not_a_quantity(sentence):
    assert [c.text for c in quantities(sentence) if c.unit == "ordinal"] == []


def test_a_rank_reads_as_a_rank():
    from factcheck.labels import reader_value, value_with_unit
    rank = {"kind": "quantity", "value": 1.0, "unit": "ordinal", "text": "first", "qualifier": None}
    assert (reader_value(rank), value_with_unit(rank)) == ("first", "1st")
    assert [value_with_unit({**rank, "value": v}) for v in (2, 3, 11, 12, 22)] == ["2nd", "3rd", "11th", "12th", "22nd"]


def test_enumeration_counts_take_name_and_total_unit():
    text = ("Eight employer groups currently hold contracts to run the 21 CRCs. These are Sodexo (6), "
            "Interserve (5), Working Links (3), RRP (2), MCT Novo (2), Seetec (1), People Plus (1) and ARCC (1).")
    counts = [c for c in quantities(text) if c.text.isdigit() and text[c.end] == ")"]
    assert [(c.subject, c.value, c.unit) for c in counts][:3] == [
        ("Sodexo", 6, "CRCs"), ("Interserve", 5, "CRCs"), ("Working Links", 3, "CRCs")]
    assert sum(c.value for c in counts) == 21


def test_table_rows_give_one_claim_per_cell_with_row_label():
    text = ("CRC Employed staff FTE* Employed Staff FTE** Difference FTE % Change\n\n"
            "Northumbria                    316 155 161 51%\n"
            "South Yorkshire\xa0 \xa0 \xa0233 153 80 34%\n")
    claims = quantities(text)
    assert [c.text for c in claims] == ["316", "155", "161", "51%", "233", "153", "80", "34%"]
    assert {c.subject for c in claims} == {"Northumbria", "South Yorkshire"}
    assert claims[3].unit == "%" and claims[0].unit == "FTE"


@pytest.mark.parametrize("text", [
    "please contact Ian Lawrence on 07788 118005 or Tania Bassett on 0790 4184195.",
    "Q31 Chair: Let us move on to the panel.",
    "1. Sodexo\n",
    "Registration opens at 10:00am and the conference formally starts at 10:30am.",
    "the NUT, Hamilton House, Mabledon Place Kings Cross, London WC1H 9BD.",
    "Complete the survey here https://yoursay.ucu.org.uk/s3/Joint-Unions-in-Prisons-2019",
    "Latest From Napo 165\n",
    "Staff in Post FTE figures: Quarter 3 report",
    "Marches will all assemble at 12noon.",
    "We were worried about COVID-19 and the 2nd & 3rd Tier Providers.",
    "There is no one who would argue otherwise; one-to-one work continued.",
])
def test_non_claims_are_not_reported(text):
    assert [c.text for c in quantities(text)] == []


def test_subject_is_a_short_phrase():
    c = one("In London alone, staff vacancies are running at 20%, so it is clear.", "20%")
    assert c.subject == "staff vacancies"
    c = one("80% of CRCs it inspected were rated as inadequate", "80%")
    assert c.subject.startswith("CRCs it inspected")


@pytest.mark.parametrize("sentence, needle, value, unit, normalised", [
    ("The new phone ships with 128GB of storage.", "128GB", 128, "GB", "gigabyte"),
    ("The limit on the bridge is 30mph at night.", "30mph", 30, "mph", "mile per hour"),
    ("Rents have risen 12pc since the spring.", "12pc", 12, "%", "percent"),
    ("A meal there costs US$5 at most.", "US$5", 5, "USD", "US dollar"),
    ("The stall charges RM50 for a basket.", "RM50", 50, "MYR", "Malaysian ringgit"),
    ("Sales fell -1.3% over the quarter.", "-1.3%", -1.3, "%", "percent"),
    ("Output grew +0.2% in June.", "+0.2%", 0.2, "%", "percent"),
    ("The index fell 3.5 percentage points in a week.", "3.5", 3.5, "percentage points", "percentage point"),
    ("They built a 30-metre wall around the yard.", "30-metre", 30, "metre", "metre"),
    ("A coffee now costs $3.45 in the city centre.", "$3.45", 3.45, "USD", "US dollar"),
    ("Prices rose 0.4 per cent last month.", "0.4 per cent", 0.4, "%", "percent"),
    ("The fine was five million yen.", "five million yen", 5e6, "JPY", "Japanese yen"),
    ("The club paid 20 billion francs for the site.", "20 billion", 20e9, "CHF", "Swiss franc"),
    ("The firm paid HK$ 2.5 billion for the tower.", "HK$", 2.5e9, "HKD", "Hong Kong dollar"),
    ("The dividend is $1.40 a share this year.", "$1.40", 1.4, "USD", "US dollar per share"),
    ("The train reached 120 km/h on the straight.", "120", 120, "km/h", "kilometre per hour"),
    ("It was 30 °C in the shade.", "30", 30, "°C", "degree Celsius"),
    ("It only cost 3 dollars 50 cents.", "3 dollars", 3.5, "USD", "US dollar"),
    ("They walked the six-mile trail twice.", "six-mile", 6, "mile", "mile"),
])
def test_units_are_found_and_normalised(sentence, needle, value, unit, normalised):
    c = one(sentence, needle)
    assert c.value == pytest.approx(value)
    assert c.unit == unit
    assert c.extra["unit_normalised"] == normalised


@pytest.mark.parametrize("sentence, needle, value, unit", [
    ("About 1.5 million women took part in the survey.", "1.5 million", 1.5e6, "women"),
    ("He hit .500 for the season.", ".500", 0.5, None),
    ("There were one hundred and twelve people at the hearing.", "one hundred and twelve", 112, "people"),
    ("She bought a dozen eggs on the way home.", "a dozen", 12, "eggs"),
    ("The bonds pay 7 3/4 % a year.", "7 3/4", 7.75, "%"),
    ("The water fell minus 5 degrees overnight.", "minus 5", -5, "degrees"),
])
def test_values_normalised_for_every_pattern(sentence, needle, value, unit):
    c = one(sentence, needle)
    assert c.value == pytest.approx(value)
    assert c.unit == unit


def test_measure_wins_over_counted_noun_and_keeps_it():
    c = one("They built a 30-metre wall around the yard.", "30")
    assert c.unit == "metre" and c.extra["counted"] == "wall"


def test_clock_times_need_evidence():
    assert [c.text for c in quantities("The meeting starts at 10.30 and ends at 4.15pm or 16:15 GMT.")] == []
    # both numbers are read (not clock times); "from X to Y" is one change claim holding both
    claims = quantities("The price fell from 63.45 to 58.20 dollars.")
    assert [(c.value, c.extra.get("change")) for c in claims] == [(58.2, {"from": 63.45, "to": 58.2})]


def test_a_percent_range_into_money_is_two_quantities():
    claims = quantities("Net income rose 6.2 % to $ 1.45 billion.")
    assert [(c.value, c.unit) for c in claims] == [(6.2, "%"), (1.45e9, "USD")]


@pytest.mark.parametrize("text", [
    "A 1996 report on the weapons was published in the spring.",
    "The shares were issued on Sept. 30 and paid out on 1 May.",
])
def test_dates_and_year_modifiers_are_not_counts(text):
    assert [c.text for c in quantities(text)] == []


# --- issue 13: tokenised numbers, "one" + noun, fractions of scales, signs, scaled codes, lexicon ---------------

@pytest.mark.parametrize("sentence, needle, value, unit", [
    ("the club says 25, 000 fans bought tickets", "25, 000", 25000, "fans"),
    ("the archive holds 2, 417 letters and 1, 250, 000 pages", "2, 417", 2417, "letters"),
    ("the archive holds 2, 417 letters and 1, 250, 000 pages", "1, 250, 000", 1250000, "pages"),
    ("one analyst said the deal was off", "one analyst", 1, "analyst"),
    ("a single charger is enough for one laptop", "one laptop", 1, "laptop"),
    ("The flat sold for half million euros.", "half million", 500000, "EUR"),
    ("They raised a quarter of a million pounds.", "quarter of a million", 250000, "GBP"),
    ("Nearly half a million people signed.", "half a million", 500000, "people"),
    ("Whisk in ¾ teaspoon of salt.", "¾ teaspoon", 0.75, "teaspoon"),
    ("Give the lid a half turn.", "half turn", 0.5, "turn"),
    ("The scooter is limited to 25kmph in town.", "25kmph", 25, "kmph"),
    ("Overnight it fell to - 15 degrees celsius.", "15 degrees", -15, "degrees celsius"),
    ("The fund manages about MEUR 40 for pension savers.", "MEUR 40", 40e6, "EUR"),
    ("Each site cost nine MUSD to build.", "nine MUSD", 9e6, "USD"),
    ("The ticket price goes up to 12 USD 40.", "12 USD 40", 12.40, "USD"),
    ("The bill was 8 $ 75 cent", "8 $ 75 cent", 8.75, "USD"),
    ("Profit fell to $ 2.3 billion a year earlier.", "$ 2.3 billion", 2.3e9, "USD"),
])
def test_issue13_values(sentence, needle, value, unit):
    c = one(sentence, needle)
    assert c.value == pytest.approx(value)
    assert c.unit == unit


def test_a_late_number_on_a_long_line_keeps_its_scale():
    # the second number lies inside the first number's context window; its own window must still reach "million"
    text = "plans drawn up in 1994 will, the architect told reporters on site, cost an estimated $ 310 million."
    c = one(text, "310")
    assert c.value == 310e6


@pytest.mark.parametrize("text", [
    "The list was 4, 7, 9 and 12.",
    "They scored 100, 250 and 300 points.",
])
def test_comma_space_lists_are_not_thousands(text):
    assert all(c.value < 1000 for c in quantities(text))


def test_day_of_month_before_a_spaced_comma_is_not_thousands():
    assert [c.value for c in quantities("On Oct. 3, 400 workers walked out.")] == [400]


@pytest.mark.parametrize("text", [
    "No one came to the meeting.",
    "It was one of the best years.",
    "They help one another.",
    "She is the one who called.",
    "One could argue either way.",
    "That is one's own choice.",
    "I prefer this one.",
])
def test_one_as_pronoun_is_not_a_count(text):
    assert [c.text for c in quantities(text) if c.value == 1] == []


@pytest.mark.parametrize("text", [
    "Traffic on Highway 12 was slow.",
    "Take exit 214 and turn left.",
    "They drove along Route 9 all night.",
    "The Nikkei 225 closed lower.",
    "She upgraded to Windows 10 last week.",
    "He built the 386 chip line.",
    "She lives at 42 Maple Avenue.",
    "Send it to Springfield, OR 97477 by Friday.",
    "Part 5531 L-117 is out of stock.",
    "The vote on article 7 was delayed.",
])
def test_identifiers_are_not_quantities(text):
    assert [c.text for c in quantities(text) if c.unit != "ordinal"] == []


@pytest.mark.parametrize("text, needle, value", [
    ("Labour won 312 seats.", "312", 312),
    ("Jones, 47, said he was tired.", "47", 47),
    ("Google sold 4 million speakers.", "4 million", 4e6),
    ("about 85 nurses joined the strike", "85", 85),
    ("Officers arrested 9 men.", "9", 9),
    ("Nasdaq 100 shares rose 1.8% on Monday.", "1.8%", 1.8),
    ("Highway 12 is 40 miles long.", "40 miles", 40),
])
def test_quantities_next_to_names_survive(text, needle, value):
    assert one(text, needle).value == pytest.approx(value)


def test_index_name_number_dropped_percent_kept():
    claims = quantities("The Nikkei 225 fell 2.3% on Tuesday.")
    assert [c.value for c in claims] == [2.3]


@pytest.mark.parametrize("sentence, frm, to, text", [
    ("Unemployment fell from 5.1% to 4.6% in the spring.", 5.1, 4.6, "from 5.1% to 4.6%"),
    ("The fare rose from $3 to $4.50 overnight.", 3, 4.5, "from $3 to $4.50"),
    ("Output climbed from 200 to 350 tonnes.", 200, 350, "from 200 to 350 tonnes"),
])
def test_from_to_is_one_change(sentence, frm, to, text):
    c = one(sentence, "from")
    assert (c.value, c.text) == (pytest.approx(to), text)
    assert c.extra["change"] == {"from": pytest.approx(frm), "to": pytest.approx(to)}


def test_up_percent_to_money_stays_two_quantities():
    claims = quantities("Revenue was up 4% to $12 million.")
    assert [c.unit for c in claims] == ["%", "USD"]


def test_ranges_from_to_after_a_range_verb_is_a_range():
    c = one("Lengths range from 3 to 8 metres.", "from")
    assert (c.low, c.high, c.value) == (3, 8, None)


@pytest.mark.parametrize("sentence, needle, value", [
    ("Costs saw a fourfold rise.", "fourfold", 4),
    ("Cases showed a 2.5-fold increase.", "2.5-fold", 2.5),
    ("The city has five times as many buses.", "five times", 5),
    ("Rents are 3 times the national average.", "3 times", 3),
])
def test_multipliers_have_unit_times(sentence, needle, value):
    c = one(sentence, needle)
    assert (c.value, c.unit, c.extra["unit_normalised"]) == (pytest.approx(value), "times", "times")
