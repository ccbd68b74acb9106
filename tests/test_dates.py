"""Tests for factcheck.extract.dates: find_dates, parse_dateline, year_counts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extract.dates import find_dates, parse_dateline, year_counts

D = dt.date
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def one(text: str, anchor: dt.date | None = None, default_year: int | None = None):
    """The single mention found in text (fails if there is not exactly one)."""
    found = find_dates(text, anchor=anchor, default_year=default_year)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start:m.end] == m.text
    return m


def texts(text: str, **kw) -> list[str]:
    """Mention texts found in text."""
    return [m.text for m in find_dates(text, **kw)]


# ---------------------------------------------------------------------------------------------
# Real sentences from seeds/*.txt


def test_seed_today_press_release():
    """'Today Her Majesty's Inspectorate ...' resolves to the dateline's day."""
    m = one("Today Her Majesty's Inspectorate for Probation published yet another damning report "
            "of probation services.", anchor=D(2017, 6, 19))
    assert (m.text, m.date, m.precision, m.relative, m.anchor) == (
        "Today", D(2017, 6, 19), "day", True, D(2017, 6, 19))


def test_seed_yesterday():
    """'published yesterday' is the anchor minus one day."""
    m = one("A damning report published yesterday by HM Inspectorate of Probation (HMIP) found services "
            "in Suffolk were “nowhere near good enough”.", anchor=D(2017, 6, 16))
    assert (m.text, m.date, m.precision, m.relative, m.anchor) == (
        "yesterday", D(2017, 6, 15), "day", True, D(2017, 6, 16))


def test_seed_earlier_today_with_explicit_date():
    """'earlier today (16 June 2017)' gives a relative and an absolute mention."""
    text = ("a press release accompanying the probation inspection report  into probation services in "
            "Suffolk which was published earlier today (16 June 2017).")
    rel, ab = find_dates(text, anchor=D(2017, 6, 16))
    assert (rel.text, rel.date, rel.relative, rel.precision) == ("earlier today", D(2017, 6, 16), True, "day")
    assert (ab.text, ab.date, ab.relative, ab.precision, ab.anchor) == (
        "16 June 2017", D(2017, 6, 16), False, "day", None)
    # without an anchor the relative one stays unresolved
    rel, ab = find_dates(text)
    assert rel.date is None and rel.relative and rel.anchor is None
    assert ab.date == D(2017, 6, 16)


def test_seed_earlier_this_year():
    """'earlier this year' is the anchor's year."""
    m = one("Following an inspection in Suffolk earlier this year HMIP have found that both the public "
            "and privately run probation providers are not doing enough", anchor=D(2017, 6, 19))
    assert (m.text, m.date, m.date_end, m.precision, m.relative, m.anchor) == (
        "earlier this year", D(2017, 1, 1), D(2017, 12, 31), "year", True, D(2017, 6, 19))


def test_seed_month_range_slash():
    """'May/June 2016' is a two-month range."""
    m = one("the cases inspected were from May/June 2016 when the CRC was still bedding in")
    assert (m.text, m.date, m.date_end, m.precision, m.relative) == (
        "May/June 2016", D(2016, 5, 1), D(2016, 6, 30), "range", False)


def test_seed_next_friday_with_date():
    """'next Friday 24th November' resolves after the anchor and is relative."""
    m = one("PSO Conference next Friday 24th November", anchor=D(2017, 11, 21))
    assert (m.text, m.date, m.precision, m.relative, m.anchor) == (
        "next Friday 24th November", D(2017, 11, 24), "day", True, D(2017, 11, 21))


def test_seed_weekday_picks_year_from_default():
    """'Wednesday 1st May' with default_year 2019 -> 2019-05-01 (a Wednesday)."""
    text = ("Napo will be holding a drop in event in parliament on Wednesday 1st May where Napo Officers "
            "and Officials will be available")
    m = one(text, default_year=2019)
    assert (m.text, m.date, m.precision, m.relative) == ("Wednesday 1st May", D(2019, 5, 1), "day", False)
    # with an anchor: the nearest year in which 1 May is a Wednesday
    m = one(text, anchor=D(2017, 3, 10))
    assert m.date == D(2019, 5, 1) and m.date.weekday() == 2
    # no anchor and no default year: still a date, with no calendar value (never a count)
    assert [(m.text, m.date) for m in find_dates(text)] == [("Wednesday 1st May", None)]


def test_seed_datelines_as_text():
    """Datelines found inside running text, weekday included in the mention."""
    m = one("Wednesday, 30 September 2020")
    assert (m.text, m.date, m.precision) == ("Wednesday, 30 September 2020", D(2020, 9, 30), "day")
    m = one("PUBLISHED: 06:00 16 June 2017")
    assert (m.text, m.date) == ("16 June 2017", D(2017, 6, 16))
    m = one("19 June 2017 - Immediate Release")
    assert (m.text, m.date) == ("19 June 2017", D(2017, 6, 19))


def test_seed_financial_year_and_month():
    """'Quarter 3 2014/15 ... June 2017': financial year range and a month."""
    fy, month = find_dates("* Staff in Post FTE figures CRC Workforce Information Summary Report: "
                           "Quarter 3 2014/15 ** Staff in Post FTE Notified by the employer June 2017 ")
    assert (fy.text, fy.date, fy.date_end, fy.precision) == ("2014/15", D(2014, 4, 1), D(2015, 3, 31), "range")
    assert (month.text, month.date, month.date_end, month.precision) == (
        "June 2017", D(2017, 6, 1), D(2017, 6, 30), "month")


@pytest.mark.parametrize("text, mention, year", [
    ("In 2015 Napo produced a critical analysis of the proposed Sodexo Operational model.", "2015", 2015),
    ("looked at more than 22,000 research articles published since 2007.", "2007", 2007),
    ("As documented in the 2016 HMIP Inspector’s report, this led to corners being cut", "2016", 2016),
    ("the nationwide Transforming Rehabilitation programme in 2014. Under the programme", "2014", 2014),
    ("At the beginning of 2016 Interserve Justice announced a major restructure", "2016", 2016),
    ("concluded in 2019 that the model for the part-privatisation of probation was", "2019", 2019),
    ("In 2014, the government replaced probation trusts in England and Wales", "2014", 2014),
    ("the effectiveness of probation reforms since 2015.", "2015", 2015),
])
def test_seed_years_in_context(text, mention, year):
    """A 4-digit year after a context word is a year mention (preposition not included)."""
    m = one(text)
    assert (m.text, m.date, m.date_end, m.precision, m.relative) == (
        mention, D(year, 1, 1), D(year, 12, 31), "year", False)


@pytest.mark.parametrize("text, mention, date, end, precision", [
    ("In total there has been a reduction of around 206 members of staff since February 2015.",
     "February 2015", D(2015, 2, 1), D(2015, 2, 28), "month"),
    ("The HMIP report on Staffordshire and Stoke in January 2017 highlighted this issue",
     "January 2017", D(2017, 1, 1), D(2017, 1, 31), "month"),
    ("With contracts now likely to end in December 2020, there is an opportunity",
     "December 2020", D(2020, 12, 1), D(2020, 12, 31), "month"),
    ("the report on Cumbria & Lancashire CRC (October 2017) can be applied",
     "October 2017", D(2017, 10, 1), D(2017, 10, 31), "month"),
    ("the reoffending rate for adults released (January to March 2017 cohort) was 64%",
     "January to March 2017", D(2017, 1, 1), D(2017, 3, 31), "range"),
    ("speak at the Stand Up to Racism march and rally in London on Saturday 16 March 2019.",
     "Saturday 16 March 2019", D(2019, 3, 16), None, "day"),
])
def test_seed_absolute(text, mention, date, end, precision):
    """Absolute dates with a year from the seeds ("now" beside one is a date of its own: see test_present_words)."""
    [m] = [d for d in find_dates(text) if d.text == mention]
    assert (m.text, m.date, m.date_end, m.precision, m.relative, m.anchor) == (
        mention, date, end, precision, False, None)


@pytest.mark.parametrize("text, anchor, mention, date", [
    ("Napo's AGM, due to start 29 September in Cardiff, will be debating", D(2016, 9, 23), "29 September",
     D(2016, 9, 29)),
    ("Ian Mullholland wrote to CRC staff on 10 November explaining the operational reason", D(2017, 11, 21),
     "10 November", D(2017, 11, 10)),
    ("In advance of the Public Accounts Committee session on 13 March.", D(2019, 3, 8), "13 March",
     D(2019, 3, 13)),
])
def test_seed_yearless_day_month(text, anchor, mention, date):
    """Day and month without a year take the anchor's year."""
    m = one(text, anchor=anchor)
    assert (m.text, m.date, m.precision, m.relative) == (mention, date, "day", False)


def test_seed_weekday_and_day_without_year():
    """'Wednesday 27 March' with a 2019 anchor is 27 March 2019 (a Wednesday)."""
    m = one("Please complete the survey by close of play on Wednesday 27 March.", anchor=D(2019, 3, 20))
    assert (m.text, m.date, m.precision) == ("Wednesday 27 March", D(2019, 3, 27), "day")


def test_seed_late_september():
    """'late September' is a month in the anchor's year."""
    m = one("Managers were hopeful of conditional approval in late September, but were concerned",
            anchor=D(2016, 9, 23))
    assert (m.text, m.date, m.date_end, m.precision) == (
        "late September", D(2016, 9, 1), D(2016, 9, 30), "month")


def test_seed_month_of_this_year_and_december_this_year():
    """'March of this year' / 'December this year' are relative months."""
    a = D(2018, 3, 19)
    m = one("A Joint Napo/UNISON Members Stress Survey carried out in March of this year showed", anchor=a)
    assert (m.text, m.date, m.date_end, m.precision, m.relative, m.anchor) == (
        "March of this year", D(2018, 3, 1), D(2018, 3, 31), "month", True, a)
    m = one("The MOJ recognised the structural underfunding and addressed that from December this year.",
            anchor=a)
    assert (m.text, m.date, m.relative) == ("December this year", D(2018, 12, 1), True)


def test_seed_last_friday_and_next_week():
    """'last Friday', 'next Friday’s', 'next week' against a Tuesday anchor."""
    a = D(2017, 11, 21)  # a Tuesday
    m = one("Here we have a slightly edited version of the latest blog post from last Friday:- ", anchor=a)
    assert (m.text, m.date, m.relative) == ("last Friday", D(2017, 11, 17), True)
    m = one("Really looking forward to my speech to next Friday’s PSO conference", anchor=a)
    assert (m.text, m.date) == ("next Friday", D(2017, 11, 24))
    m = one("More news next week, telling it like it is.", anchor=a)
    assert (m.text, m.date, m.date_end, m.precision) == ("next week", D(2017, 11, 27), D(2017, 12, 3), "week")


def test_seed_this_week_this_month_later_this_year():
    """'this week', 'earlier this month', 'later this year'."""
    a = D(2019, 3, 14)  # Thursday
    m = one("The TUC confirmed this week that General Secretary Frances O’Grady will speak", anchor=a)
    assert (m.date, m.date_end, m.precision, m.relative) == (D(2019, 3, 11), D(2019, 3, 17), "week", True)
    m = one("which follows the NAO report, earlier this month calling in to question", anchor=a)
    assert (m.text, m.date, m.date_end, m.precision) == (
        "earlier this month", D(2019, 3, 1), D(2019, 3, 31), "month")
    m = one("The MoJ plans to let 10 new contracts later this year which will see", anchor=a)
    assert (m.text, m.date, m.date_end, m.precision) == (
        "later this year", D(2019, 1, 1), D(2019, 12, 31), "year")


def test_seed_a_few_days_ago():
    """'A few days ago' -> the seven days before the anchor, precision week (documented choice)."""
    m = one("A few days ago we covered what HMI Justin Russell had to say", anchor=D(2020, 9, 30))
    assert (m.text, m.date, m.date_end, m.precision, m.relative) == (
        "A few days ago", D(2020, 9, 23), D(2020, 9, 29), "week", True)


def test_seed_russia_today_is_a_name():
    """'Russia Today' (a TV channel) is not a date; 'today’s' is."""
    assert find_dates("another interview to Russia Today and his contribution", anchor=D(2017, 11, 21)) == []
    m = one("probably emphasised by today’s announcements", anchor=D(2020, 9, 30))
    assert (m.text, m.date) == ("today", D(2020, 9, 30))


def test_seed_whole_files_offsets_and_order():
    """Every seed file: offsets exact, sorted, non-overlapping; some dates found."""
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = find_dates(text, anchor=D(2017, 6, 19), default_year=2017)
        assert found, path
        prev_end = 0
        for m in found:
            assert text[m.start:m.end] == m.text
            assert m.start >= prev_end
            prev_end = m.end


# ---------------------------------------------------------------------------------------------
# Own sentences: absolute dates


@pytest.mark.parametrize("text, mention, date", [
    ("It happened on 16 June 2017 in London.", "16 June 2017", D(2017, 6, 16)),
    ("It happened on 16th June 2017 in London.", "16th June 2017", D(2017, 6, 16)),
    ("It happened on June 16, 2017 in London.", "June 16, 2017", D(2017, 6, 16)),
    ("The hearing (16/06/2017) was short.", "16/06/2017", D(2017, 6, 16)),
    ("The hearing on 2017-06-16 was short.", "2017-06-16", D(2017, 6, 16)),
    ("Signed on the 3rd of March 2021 by both.", "3rd of March 2021", D(2021, 3, 3)),
    ("Due by 5 Sept. 2019 at the latest.", "5 Sept. 2019", D(2019, 9, 5)),
    ("Filed Jan 4, 2020.", "Jan 4, 2020", D(2020, 1, 4)),
    ("THE MEETING ON 4 MAY 2018 WAS CANCELLED", "4 MAY 2018", D(2018, 5, 4)),
    ("Posted Tues 3 Dec 2019 by the editor", "Tues 3 Dec 2019", D(2019, 12, 3)),
])
def test_absolute_days(text, mention, date):
    """Full dates in the usual styles."""
    m = one(text)
    assert (m.text, m.date, m.precision, m.date_end, m.relative, m.anchor) == (
        mention, date, "day", None, False, None)


def test_clock_time_not_part_of_mention():
    """'06:00 16 June 2017' -> only the date."""
    m = one("Released at 06:00 16 June 2017 to the press.")
    assert m.text == "16 June 2017"


def test_invalid_dates_are_skipped():
    """'31 February 2017' never raises and is not a day mention."""
    found = find_dates("The letter dated 31 February 2017 was forged; so was 30/02/2018.")
    assert all(m.precision != "day" for m in found)


def test_us_numeric_fallback():
    """'06/16/2017' cannot be day-first, so it is read month-first."""
    assert one("on 06/16/2017").date == D(2017, 6, 16)


def test_day_range():
    """'16-18 June 2017' and '16 June to 2 July 2017' are ranges."""
    m = one("The inspection ran 16-18 June 2017.")
    assert (m.text, m.date, m.date_end, m.precision) == (
        "16-18 June 2017", D(2017, 6, 16), D(2017, 6, 18), "range")
    m = one("from 16 June to 2 July 2017")
    assert (m.text, m.date, m.date_end, m.precision) == (
        "16 June to 2 July 2017", D(2017, 6, 16), D(2017, 7, 2), "range")


def test_month_ranges():
    """'between May and July 2018', 'January-March 2017', 'November 2016 to February 2017'."""
    m = one("Fieldwork took place between May and July 2018 in three areas.")
    assert (m.text, m.date, m.date_end, m.precision) == (
        "between May and July 2018", D(2018, 5, 1), D(2018, 7, 31), "range")
    m = one("Data for January-March 2017 show a rise")
    assert (m.date, m.date_end) == (D(2017, 1, 1), D(2017, 3, 31))
    m = one("from November 2016 to February 2017 inclusive")
    assert (m.text, m.date, m.date_end) == ("November 2016 to February 2017", D(2016, 11, 1), D(2017, 2, 28))
    m = one("over December/January 2018")
    assert (m.date, m.date_end) == (D(2017, 12, 1), D(2018, 1, 31))


def test_year_modifiers_and_ranges():
    """'early 2016', 'mid-2019', '2014-2016', '2016/2017' financial."""
    m = one("Results are expected in early 2016 at the earliest.")
    assert (m.text, m.date, m.precision) == ("early 2016", D(2016, 1, 1), "year")
    assert one("by mid-2019 the plan").text == "mid-2019"
    m = one("Over 2014-2016 the trusts were dissolved.")
    assert (m.date, m.date_end, m.precision) == (D(2014, 1, 1), D(2016, 12, 31), "range")
    m = one("Spending in 2016/2017 rose.")
    assert (m.date, m.date_end, m.precision) == (D(2016, 4, 1), D(2017, 3, 31), "range")


@pytest.mark.parametrize("text, year", [
    ("They met in 2019 again.", 2019),
    ("Until 1999 nothing changed.", 1999),
    ("It grew from 2010 to 2012.", 2010),
    ("the year 2000 problem", 2000),
    ("During 2018 the team grew.", 2018),
    ("2016's figures were better", 2016),
    ("the summer 2012 Olympics", 2012),
])
def test_year_contexts(text, year):
    """Contexts that make a 4-digit number a year."""
    m = find_dates(text)[0]
    assert (m.date, m.precision) == (D(year, 1, 1), "year")
    assert text[m.start:m.end] == m.text and m.text.endswith(str(year)[2:])


def test_year_context_both_ends():
    """'between 2014 and 2016' -> two year mentions."""
    assert texts("between 2014 and 2016 reoffending fell") == ["2014", "2016"]


# ---------------------------------------------------------------------------------------------
# Own sentences: relative dates


A = D(2017, 11, 21)  # a Tuesday


@pytest.mark.parametrize("text, mention, date, end, precision", [
    ("The minister spoke today.", "today", A, None, "day"),
    ("We heard this morning that", "this morning", A, None, "time"),  # a time of day (TimeML TIME)
    ("Voting closes tonight.", "tonight", A, None, "day"),
    ("The vote is tomorrow.", "tomorrow", D(2017, 11, 22), None, "day"),
    ("Figures published last week show", "last week", D(2017, 11, 13), D(2017, 11, 19), "week"),
    ("earlier this week the union said", "earlier this week", D(2017, 11, 20), D(2017, 11, 26), "week"),
    ("as reported last month,", "last month", D(2017, 10, 1), D(2017, 10, 31), "month"),
    ("due next month.", "next month", D(2017, 12, 1), D(2017, 12, 31), "month"),
    ("This month the union", "This month", D(2017, 11, 1), D(2017, 11, 30), "month"),
    ("compared with last year.", "last year", D(2016, 1, 1), D(2016, 12, 31), "year"),
    ("Next year the contracts end.", "Next year", D(2018, 1, 1), D(2018, 12, 31), "year"),
    ("two years ago the trusts", "two years ago", D(2015, 1, 1), D(2015, 12, 31), "year"),
    ("three weeks ago we said", "three weeks ago", D(2017, 10, 30), D(2017, 11, 5), "week"),
    ("3 days ago", "3 days ago", D(2017, 11, 18), None, "day"),
    ("a month ago", "a month ago", D(2017, 10, 1), D(2017, 10, 31), "month"),
    ("Join us this weekend.", "this weekend", D(2017, 11, 25), D(2017, 11, 26), "range"),
])
def test_relative(text, mention, date, end, precision):
    """Relative expressions resolve against the anchor and record it."""
    m = one(text, anchor=A)
    assert (m.text, m.date, m.date_end, m.precision, m.relative, m.anchor) == (
        mention, date, end, precision, True, A)


@pytest.mark.parametrize("text, mention, date", [
    ("The report came out on Friday.", "Friday", D(2017, 11, 17)),  # past tense: the last Friday
    ("The report came out last Friday.", "last Friday", D(2017, 11, 17)),
    ("The report comes out next Friday.", "next Friday", D(2017, 11, 24)),
    ("The report comes out this Friday.", "this Friday", D(2017, 11, 24)),
    ("We met on Tuesday.", "Tuesday", D(2017, 11, 21)),
    ("We meet next Tuesday.", "next Tuesday", D(2017, 11, 28)),
    ("We met last Tuesday.", "last Tuesday", D(2017, 11, 14)),
    ("On Monday the board met.", "Monday", D(2017, 11, 20)),
    ("The board will meet on Monday.", "Monday", D(2017, 11, 27)),  # future: the coming one
    ("The company said Friday that profits fell.", "Friday", D(2017, 11, 17)),
    ("Friday, the council voted again.", "Friday", D(2017, 11, 17)),
])
def test_relative_weekdays(text, mention, date):
    """Weekday names by tense (TimeML): past, the most recent such day on or before the anchor; future or
    'next', the coming one."""
    m = one(text, anchor=A)
    assert (m.text, m.date, m.precision, m.relative, m.anchor) == (mention, date, "day", True, A)


def test_relative_without_anchor_has_no_date():
    """No anchor: relative mentions are kept with date None."""
    for text in ("yesterday", "last week", "next year", "on Friday", "two years ago", "March of this year"):
        m = one(text, default_year=2019)
        assert m.relative and m.date is None and m.date_end is None and m.anchor is None, text


def test_anchor_as_datetime():
    """A datetime anchor is used as its date."""
    m = one("yesterday", anchor=dt.datetime(2017, 6, 16, 9, 30))
    assert m.date == D(2017, 6, 15) and m.anchor == D(2017, 6, 16)


def test_seasons_are_dates_at_season_precision():
    """'last summer' is the summer before the anchor, at season precision."""
    [m] = find_dates("they left last summer", anchor=A)
    assert (m.text, m.date, m.precision) == ("last summer", D(2017, 6, 1), "season")


def test_rolling_periods_are_dates_without_a_calendar_value():
    """'the last year', 'the next week' are periods: date claims with no calendar date, never counts."""
    found = find_dates("over the last year and in the next week", anchor=A)
    assert [(m.text, m.date, m.precision) for m in found] == [("the last year", None, "period"),
                                                              ("the next week", None, "period")]


@pytest.mark.parametrize("text, mention, date, precision", [
    ("In October, the service introduced a new rule", "In October", D(2017, 10, 1), "month"),
    ("the union has been campaigning since May", "since May", D(2017, 5, 1), "month"),
    ("the 1990s were different", "the 1990s", D(1990, 1, 1), "decade"),
    ("profits rose in the third quarter", "the third quarter", D(2017, 7, 1), "quarter"),
])
def test_bare_months_decades_and_quarters(text, mention, date, precision):
    """A month name after a context word, a decade, a quarter: dates at their own precision."""
    [m] = find_dates(text, anchor=A)
    assert m.text in mention and m.date == date and m.precision == precision, m


def test_present_words():
    """'now' and 'recently' refer to the present or the recent past: date claims with no calendar date."""
    found = find_dates("what is now a critical situation; the recently published report", anchor=A)
    assert [(m.text, m.date, m.precision) for m in found] == [("now", None, "present"), ("recently", None, "past")]


# ---------------------------------------------------------------------------------------------
# Negatives ("do NOT report")


@pytest.mark.parametrize("text", [
    "we may need more staff and it may be late",
    "they will march on parliament",
    "May I ask the minister a question?",
    "Friday reporting to this weeks meeting",
    "National Official Sarah Friday reporting to officers",
    "Registration opens at 10:00am and the conference formally starts at 10:30am.",
    "please contact Ian Lawrence on 07788 118005 or Tania Bassett on 0790 4184195.",
    "Q31 Chair: Let us move to our second panel",
    "the cuts at Napo 165 branches",
    "there were 2,019 cases and 2,020 more",
    "the marches, which will all assemble at 12noon.",
    "by 2020 people had joined, in 2019 staff left, of 2018 offenders, for 1999 members",
    "a rise of 2019 per cent and 2018% and £2017 and $2016 and €2015",
    "Complete the survey here https://yoursay.ucu.org.uk/s3/Joint-Unions-in-Prisons-2019",
    "reference KT-2019-x and file Prisons-2019 and www.example.com/in/2019/report",
    "There were 2019 responses.",
    "Up to 2000 more could lose their jobs",
])
def test_not_reported(text):
    """Modal 'may', verb 'march', weekdays that are names, clock times, phones, quantities, URLs."""
    assert find_dates(text, anchor=A, default_year=2017) == []


def test_yearless_without_anchor_or_default_year_has_no_calendar_value():
    """'29 September' with no anchor and no default year is a date claim dated None, not a count."""
    assert [(m.text, m.date, m.precision) for m in find_dates("due to start 29 September in Cardiff")] == [
        ("29 September", None, "day")]
    assert find_dates("in late September") == []


# ---------------------------------------------------------------------------------------------
# start / end windows


def test_window_offsets_are_absolute():
    """Mentions in text[start:end] carry offsets into the whole text."""
    text = "On 1 May 2017 we met. Later, on 16 June 2017 we met again. Then 3 July 2017."
    s = text.index("Later")
    e = text.index("Then")
    found = find_dates(text, start=s, end=e)
    assert [m.text for m in found] == ["16 June 2017"]
    assert text[found[0].start:found[0].end] == "16 June 2017"
    assert find_dates(text, start=10, end=10) == []


def test_window_does_not_reach_back_for_ago():
    """A count before the window start is not pulled into a mention."""
    text = "It was two years ago."
    assert find_dates(text, anchor=A, start=text.index("years")) == []


# ---------------------------------------------------------------------------------------------
# parse_dateline


@pytest.mark.parametrize("line, date, mention", [
    ("Wednesday, 30 September 2020", D(2020, 9, 30), "Wednesday, 30 September 2020"),
    ("Monday, 19 March 2018", D(2018, 3, 19), "Monday, 19 March 2018"),
    ("19 June 2017 - Immediate Release", D(2017, 6, 19), "19 June 2017"),
    ("PUBLISHED: 06:00 16 June 2017", D(2017, 6, 16), "16 June 2017"),
    ("Published 3 March 2021", D(2021, 3, 3), "3 March 2021"),
    ("March 3, 2021", D(2021, 3, 3), "March 3, 2021"),
    ("2021-03-03", D(2021, 3, 3), "2021-03-03"),
    ("  Friday, 13 January 2017  ", D(2017, 1, 13), "Friday, 13 January 2017"),
    ("Posted on 4 May 2019", D(2019, 5, 4), "4 May 2019"),
    ("Updated: 16/06/2017 10:05", D(2017, 6, 16), "16/06/2017"),
])
def test_dateline_parses(line, date, mention):
    """Lines that are only a date (with prefix, time or short trailer)."""
    got = parse_dateline(line)
    assert got is not None
    d, s, e = got
    assert d == date and line[s:e] == mention


@pytest.mark.parametrize("line", [
    "In 2015 Napo produced a report",
    "The report was published on 16 June 2017 after a long delay and was then discussed.",
    "June 2017",
    "Q31 Chair: Let us move",
    "",
    "   ",
    "Today",
    "16 June",
    "31 February 2017",
    "19 June 2017 - and then the whole committee met again to discuss the findings at length",
])
def test_dateline_rejects(line):
    """Sentences, month-only dates, yearless and invalid dates are not datelines."""
    assert parse_dateline(line) is None


# ---------------------------------------------------------------------------------------------
# year_counts


def test_year_counts_counts_dated_years_only():
    """Years inside day/month dates count; bare 'in 2014' and quantities do not."""
    text = ("On 16 June 2017 and in June 2017 and May/June 2016, in 2014, 2019 people, "
            "yesterday, 2014/15 and 3 March 2016.")
    counts = year_counts(text)
    assert counts == {2017: 2, 2016: 2}
    assert counts.most_common(1)[0][0] == 2017


def test_year_counts_seed():
    """The multi-post seed is mostly 2017."""
    text = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    counts = year_counts(text)
    assert counts.most_common(1)[0][0] == 2017
    assert all(1900 <= y <= 2099 for y in counts)


# ---------------------------------------------------------------------------------------------
# Robustness and speed


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.integers(-5, 12000)))
def test_property_never_raises_and_offsets_exact(text, anchor, default_year):
    """Arbitrary text never raises; every mention's text equals its slice; sorted, disjoint."""
    found = find_dates(text, anchor=anchor, default_year=default_year)
    prev = 0
    for m in found:
        assert text[m.start:m.end] == m.text
        assert prev <= m.start < m.end
        prev = m.end
    parse_dateline(text)
    year_counts(text)


_ALPHABET = st.sampled_from(
    ["16", "June", "2017", " ", ",", "/", "-", "May", "Friday", "last", "next", "on", "in", "today",
     "ago", "two", "days", "weeks", "the", "of", "Sept.", "31", "February", "29", "1st", "'s", "\n",
     "early", "between", "and", "2014/15", "£", "this", "year", "week", "weekend", "9999", "0001"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join),
       st.one_of(st.none(), st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31))),
       st.one_of(st.none(), st.integers(0, 10000)))
def test_property_date_like_text(text, anchor, default_year):
    """Date-shaped noise (edge anchors too) never raises and keeps offsets exact."""
    for m in find_dates(text, anchor=anchor, default_year=default_year):
        assert text[m.start:m.end] == m.text
        assert m.precision in {"day", "time", "week", "month", "quarter", "season", "year", "decade", "range",
                               "present", "past", "future", "period"}
        if m.date and m.date_end:
            assert m.date <= m.date_end
        if not m.relative:  # only a yearless day with nothing to give its year stays unresolved ("16 June")
            assert m.date is not None or (anchor is None and default_year is None and m.precision == "day"
                                          and not re.search(r"\d{4}", m.text))


def test_yearless_date_takes_the_year_nearest_the_anchor():
    """A yearless day in a post looks back across the new year when that is nearer."""
    import datetime as _dt

    text = "The employer wrote to CRC staff on 10 November explaining the closure."
    (m,) = find_dates(text, anchor=_dt.date(2018, 3, 19))
    assert (m.text, m.date) == ("10 November", _dt.date(2017, 11, 10))
    (m,) = find_dates("The pilot is due to start on 29 September.", anchor=_dt.date(2016, 9, 23))
    assert m.date == _dt.date(2016, 9, 29)


# ---------------------------------------------------------------------------------------------
# News (TimeML) conventions: own sentences

N = D(1995, 11, 8)  # a Wednesday


@pytest.mark.parametrize("text, mention, date", [
    ("The board on Sept. 4 approved the plan.", "Sept. 4", D(1995, 9, 4)),
    ("The dividend is payable Jan. 5 to holders of record Dec. 1.", "Jan. 5", D(1996, 1, 5)),
    ("the Oct. 12 agreement was signed by both sides", "Oct. 12", D(1995, 10, 12)),
    ("Profit for the half ended March 31 rose 4%.", "March 31", D(1995, 3, 31)),  # 'ended': the past one
    ("The offer was extended to November 20 for all holders.", "November 20", D(1995, 11, 20)),
    ("The merger will close by February 15 at the latest.", "February 15", D(1996, 2, 15)),
])
def test_yearless_month_day_before_a_word(text, mention, date):
    """'Sept. 4 approved', 'payable Jan. 5 to holders': yearless month-first days are dates before words too,
    resolved to the nearest such day (the past one after 'ended', the coming one in future text)."""
    m = find_dates(text, anchor=N)[0]
    assert (m.text, m.date, m.precision) == (mention, date, "day")


def test_yearless_month_day_that_counts_is_not_a_date():
    """'in May 20 people left', 'by June 30 percent': the number counts what follows."""
    assert texts("in May 20 people left the party", anchor=N) == []
    assert texts("since April 12 workers have quit", anchor=N) == []
    assert texts("by June 30 percent had signed", anchor=N) == []


def test_abbreviated_month_with_year():
    """'Sept. 27, 1990' is September."""
    m = one("the deal ended on Sept. 27, 1990, after talks")
    assert (m.text, m.date) == ("Sept. 27, 1990", D(1990, 9, 27))


@pytest.mark.parametrize("text, mention, year", [
    ("after its 1993 takeover of the rival", "1993", 1993),
    ("the failed 1992 bid for the presidency", "1992", 1992),
    ("notes due 1999 and warrants", "1999", 1999),
    ("growth will continue into 1996, he said", "1996", 1996),
    ("analysts expect lower 1996 earnings for the group", "1996", 1996),
    ("the bank's 1994 results were weak", "1994", 1994),
    ("a 1965 treaty still applies", "1965", 1965),
])
def test_bare_year_before_a_noun(text, mention, year):
    """A bare 19xx/20xx number that counts nothing is a year."""
    m = one(text, anchor=N)
    assert (m.text, m.date, m.date_end, m.precision) == (mention, D(year, 1, 1), D(year, 12, 31), "year")


@pytest.mark.parametrize("text", [
    "the plant built 1995 cars in all",
    "about 1990 more staff were hired",
    "nearly 2000 protesters gathered",
    "the office at 1999 Main Street",
    "a copy of Windows 2000 was installed",
    "there were 2,000 shares and 1,995 options",
])
def test_bare_number_that_is_not_a_year(text):
    """Counts, addresses and product names stay numbers."""
    assert find_dates(text, anchor=N) == []


@pytest.mark.parametrize("text, mention, date, precision", [
    ("Back in nineteen eighty-two the mill closed.", "nineteen eighty-two", D(1982, 1, 1), "year"),
    ("March nineteen ninety-one. The war ends.", "March nineteen ninety-one", D(1991, 3, 1), "month"),
    ("a promise to finish by the year two thousand", "two thousand", D(2000, 1, 1), "year"),
    ("elected in two thousand and four", "two thousand and four", D(2004, 1, 1), "year"),
])
def test_spoken_years(text, mention, date, precision):
    """Years written out in words, as in broadcast transcripts."""
    m = one(text, anchor=N)
    assert (m.text, m.date, m.precision) == (mention, date, precision)


def test_spoken_number_that_counts_is_not_a_year():
    """'two thousand people' is a count."""
    assert find_dates("in two thousand people marched", anchor=N) == []


@pytest.mark.parametrize("text, mention, year", [
    ("Sales for the full year were flat.", "the full year", 1995),
    ("It expects a loss in the current fiscal year.", "the current fiscal year", 1995),
    ("For the year, volume was flat.", "the year", 1995),
    ("The deal should close by year-end.", "year-end", 1995),
    ("The index has risen 5% since year-end.", "year-end", 1994),
    ("They hope to cut 500 jobs by the end of the year.", "the end of the year", 1995),
    ("He joined in June 1990, and the following year he left.", "the following year", 1991),
    ("Output fell in 1991; that year the plant shut.", "that year", 1991),
])
def test_anaphoric_years(text, mention, year):
    """'the year', 'year-end' are the anchor's year; 'that year' and 'the following year' count from the
    last explicit year written before them."""
    m = find_dates(text, anchor=N)[-1]
    assert (m.text, m.date, m.date_end, m.precision) == (mention, D(year, 1, 1), D(year, 12, 31), "year")


def test_the_year_ended_is_a_duration():
    """'the year ended June 30' is a length of time, not the anchor's year."""
    assert texts("revenue for the year ended June 30 rose", anchor=N) == ["June 30"]


def test_the_following_month():
    """'the following month' counts from the last month written before it."""
    m = find_dates("The firm sold the unit in May 1994. The following month, it closed.", anchor=N)[-1]
    assert (m.text, m.date, m.date_end, m.precision) == ("The following month", D(1994, 6, 1), D(1994, 6, 30), "month")


def test_the_weekend_and_the_week():
    """'over the weekend' (past tense) is the last Saturday..Sunday; 'the week' is the anchor's week."""
    m = one("Over the weekend, officials met.", anchor=N)
    assert (m.text, m.date, m.date_end, m.precision) == ("the weekend", D(1995, 11, 4), D(1995, 11, 5), "range")
    m = one("For the week, the index rose.", anchor=N)
    assert (m.text, m.date, m.date_end, m.precision) == ("the week", D(1995, 11, 6), D(1995, 11, 12), "week")


@pytest.mark.parametrize("text, mention, date, end, precision", [
    ("the 19th century mill", "19th century", D(1800, 1, 1), D(1899, 12, 31), "range"),
    ("the nineties were calm", "nineties", D(1990, 1, 1), D(1999, 12, 31), "decade"),
    ("a goal for the mid-1990s", "mid-1990s", D(1990, 1, 1), D(1999, 12, 31), "decade"),
    ("the music of the '70s", "70s", D(1970, 1, 1), D(1979, 12, 31), "decade"),
])
def test_centuries_and_decades(text, mention, date, end, precision):
    """Centuries and decades in figures, words or with an apostrophe."""
    m = one(text, anchor=N)
    assert (m.text, m.date, m.date_end, m.precision) == (mention, date, end, precision)


@pytest.mark.parametrize("text, mention, precision", [
    ("In the past, the firm paid more.", "the past", "past"),
    ("Prices may rise in the near future.", "the near future", "future"),
    ("Profits will suffer in the short term.", "the short term", "period"),
    ("Fewer people write letters these days.", "these days", "present"),
])
def test_general_time_words(text, mention, precision):
    """TimeML dates with no calendar value."""
    m = one(text, anchor=N)
    assert (m.text, m.date, m.precision) == (mention, None, precision)


def test_the_past_with_a_unit_is_a_period():
    """'the past three summers', 'the past two years': counted periods, not 'the past'."""
    assert texts("riots in the past three summers", anchor=N) == []
    assert texts("the past two years", anchor=N) == []


@pytest.mark.parametrize("text", [
    "more than a quarter of the staff",
    "its quarter-century low",
    "the quarter-to-quarter change",
    "a rolling four-quarter test",
    "interest paid every quarter",
])
def test_quarter_as_a_fraction_is_not_a_date(text):
    """'a quarter of', 'quarter-century', 'every quarter' are not calendar quarters."""
    assert find_dates(text, anchor=N) == []


@pytest.mark.parametrize("text, mention, date", [
    ("He was hurt Monday evening in a crash.", "Monday evening", D(1995, 11, 6)),
    ("The shop was robbed at 9 p.m. Tuesday, police said.", "9 p.m. Tuesday", D(1995, 11, 7)),
    ("Talks broke off at noon Monday.", "noon Monday", D(1995, 11, 6)),
    ("We will talk about it this evening.", "this evening", N),
])
def test_weekday_with_time_of_day_is_a_time(text, mention, date):
    """A weekday with a time of day is one mention at precision 'time' (TimeML TIME, not DATE)."""
    m = one(text, anchor=N)
    assert (m.text, m.date, m.precision) == (mention, date, "time")


def test_the_previous_weekday():
    """'the previous Friday' is the Friday before the last one."""
    m = one("shares fell 3% from the previous Friday", anchor=N)
    assert (m.text, m.date, m.precision) == ("the previous Friday", D(1995, 10, 27), "day")


@pytest.mark.parametrize("text, anchor, date", [
    ("The plant opened in September.", N, D(1995, 9, 1)),  # past: the last September
    ("The plant will open in September.", N, D(1996, 9, 1)),  # future: the next one
    ("The loan must be repaid by March.", N, D(1996, 3, 1)),  # a deadline looks ahead
    ("The ship has been at sea since March and is set to return.", N, D(1995, 3, 1)),  # 'since' looks back
    ("Two jets crashed last February.", D(1996, 3, 4), D(1995, 2, 1)),  # the month just gone is 'last month'
    ("Two jets crashed last January.", D(1996, 3, 4), D(1996, 1, 1)),
])
def test_bare_month_by_tense(text, anchor, date):
    """A bare month by tense and cue words; 'last February' written in March is the one a year before."""
    m = one(text, anchor=anchor)
    assert (m.date, m.precision) == (date, "month")


def test_a_year_ago_is_a_year():
    """'a year ago' / 'a year earlier' are the year before the anchor, at year precision."""
    for text in ("up from 3% a year ago", "up from 3% a year earlier"):
        m = one(text, anchor=N)
        assert (m.date, m.date_end, m.precision) == (D(1994, 1, 1), D(1994, 12, 31), "year"), text


def test_a_yearless_day_with_nothing_to_give_its_year_is_still_a_date():
    from factcheck.extract.document import extract_claims

    claims = extract_claims("The 29 September hearing was adjourned.")
    assert [(c.kind, c.text, c.date, c.date_precision) for c in claims] == [("date", "29 September", None, "day")]
    assert not find_dates("Nothing happened on 31 February.")


@pytest.mark.parametrize("text, mention, precision", [
    ("The mill shut a few months ago.", "a few months ago", "past"),
    ("Several years ago the pier burned.", "Several years ago", "past"),
])
def test_vague_counts_ago_are_the_past(text, mention, precision):
    m = one(text, anchor=N)
    assert (m.text, m.date, m.precision) == (mention, None, precision)


def test_steps_from_the_last_day_written_in_the_paragraph():
    text = ("The storm reached Arlow on 12 March. The week before, forecasters had warned of it. "
            "The following day the roads reopened, and two days later the schools did.")
    found = {m.text: (m.date, m.date_end, m.precision) for m in find_dates(text, anchor=D(1995, 3, 20))}
    assert found["The week before"] == (D(1995, 2, 27), D(1995, 3, 5), "week")  # the week of Sunday 5 March
    assert found["The following day"] == (D(1995, 3, 13), None, "day")
    assert found["two days later"] == (D(1995, 3, 14), None, "day")


def test_a_step_with_no_day_before_it_has_no_calendar_value():
    m = one("A day earlier, the trucks had left.", anchor=N)
    assert (m.text, m.date) == ("A day earlier", None)


def test_a_length_of_time_before_an_event_is_not_a_date():
    assert not [m for m in find_dates("The banks must wait 30 days before closing the purchase.", anchor=N)
                if "before" in m.text]


def test_a_past_verb_nearer_than_a_future_cue_keeps_a_month_in_the_past():
    """ "In September, it announced plans to …" in an October article: the September just gone."""
    text = "In September, it announced plans to buy the rival chain."
    (m,) = find_dates(text, anchor=dt.date(1989, 10, 30))
    assert (m.date, m.precision) == (dt.date(1989, 9, 1), "month")


def test_future_in_the_past_sends_a_month_forward():
    """ "would be paid … in January" in an October article: the coming January."""
    (m,) = find_dates("The dividend would be paid in January.", anchor=dt.date(1989, 10, 26))
    assert m.date == dt.date(1990, 1, 1)
    (m,) = find_dates("The mission will be named for its commander in December.", anchor=dt.date(1998, 3, 4))
    assert m.date == dt.date(1998, 12, 1)


def test_a_recurring_day_or_month_is_not_a_date():
    anchor = dt.date(1998, 2, 13)
    texts = [m.text for m in find_dates("Flights leave each Thursday, and the fair opens every July.", anchor=anchor)]
    assert texts == []
    assert [m.text for m in find_dates("The flight left on Thursday.", anchor=anchor)] == ["Thursday"]


@pytest.mark.parametrize("text, found", [
    ("The World Court Friday rejected the appeal.", ["Friday"]),  # a weekday after a capitalised noun: a day
    ("Trading resumed in Paris Tuesday.", ["Tuesday"]),
    ("Sarah Friday said no.", []),  # after a first name: a surname
    ("Shops opened early on Black Friday.", []),  # a named day, not the nearest Friday
])
def test_a_weekday_after_a_capitalised_word(text, found):
    assert [m.text for m in find_dates(text, anchor=dt.date(1998, 2, 27))] == found
