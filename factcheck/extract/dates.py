"""Find date expressions in English (mostly UK) prose and resolve them to calendar dates.

Speed: find_dates scans ordinary prose at about 24 MB/s (seeds/*.txt repeated to 10 MB,
one core, timeit best of 3; year_counts the same). Throughput is measured by bench/ingest.py, not by tests.

How it works: a cheap trigger regex (``_TRIGGER_RE``: digits, month and weekday names, "today",
"this", "last", ... grouped by first letter) is scanned with ``finditer``; only at those word starts
is the big alternation ``_DATE_RE`` tried with ``match``.  Every alternative is a named group and
``_RESOLVERS[m.lastgroup]`` turns a match into a DateMention (or drops it).  Context that precedes
a mention ("in 2014", "on Friday", "three weeks ago") is checked with look-behinds / a short look
back, so mentions never need to start at a preposition.  No I/O, stdlib + python-dateutil only,
digits are ASCII only, and arbitrary text never raises.

Decisions (documented behaviour):
* Mention text excludes a leading preposition ("in 2014" -> "2014", "on Friday" -> "Friday",
  "on 10 November" -> "10 November") but keeps modifiers that are part of the expression
  ("late September", "early 2016", "earlier today", "last Friday", "between May and July 2018").
* "2014/15", "2014-15", "2014/2015" (consecutive years) are UK financial years: precision "range",
  1 April 2014 .. 31 March 2015.  "2014-2016" / "2014–2016" (two 4-digit years joined by a dash) is
  a calendar range 1 January 2014 .. 31 December 2016.
* "a few / a couple of / several days ago" -> precision "week" covering the seven days before the
  anchor (anchor-7 .. anchor-1); the vaguer "a few weeks/months/years ago" are skipped.
  "two years ago" -> the calendar year anchor.year-2; "three weeks ago" -> the Monday..Sunday week
  holding anchor-21 days; "two months ago" -> that calendar month; "3 days ago" -> that day.
* Weekdays: "on Friday" and "this Friday" -> the first Friday from the anchor on (0..6 days ahead);
  "next Friday" -> 1..7 days ahead; "last Friday" -> 1..7 days back.  "this weekend" etc. are
  precision "range" (Saturday..Sunday of the anchor's Monday-based week).
* Yearless absolute dates ("29 September") take the year that puts them nearest the anchor
  ("10 November" in a post of 19 March 2018 is 2017-11-10), else default_year; with a weekday
  ("Wednesday 1st May") the year nearest to the anchor (or to default_year) whose calendar has that
  weekday on that day.  With neither anchor nor default_year they are still mentions (precision "day",
  no date), never counts.  "next Friday 24th November" takes the first such date after the anchor.
* "the last year", "the next week" (after "the") mean a rolling period and are not reported; bare
  month names ("in October", "since May") and bare weekdays are not reported.
* "16/06/2017" is day-first; it falls back to month-first ("06/16/2017") only when day-first is
  not a valid date and the separator is "/".
* Precision "day" and "time" mentions have date_end None; all other precisions have date_end set (when resolved).
* News (TimeML) readings: a yearless month-first day before a word ("Aug. 2 ordered", "payable Dec. 7 to
  holders") is a date unless the number counts what follows ("in May 20 people died"); a yearless day takes
  the nearest year (a later date counts 1.5 times as far), the past one after "ended"/"since"/"as of", the
  coming one in future text.  A bare 19xx/20xx number that counts nothing ("its 1990 invasion", "bonds due
  1993") is a year; not after a count cue ("about 2000"), in an address ("at 1999 Main St") or after a name.
  Spoken years ("nineteen ninety-six", "two thousand and one") are years.  "the (full|current|fiscal) year",
  "year-end" -> the anchor's year; "that year", "the following year/month" step from the last explicit year or
  month earlier in the paragraph; "the weekend" / "the week" -> range / week; "the 20th century" -> range;
  "the nineties", "the mid-1990s", "the '80s" -> decade; "the past", "these days", "the near future",
  "the short term" -> date None (precision past / present / period).  A weekday with a time of day
  ("Thursday evening", "10 p.m. Wednesday", "noon Monday") and "this morning/afternoon/evening" are
  precision "time" (TimeML TIME): date set to the day, date_end None.  "last February" written in March is
  the February a year before (the month just gone is "last month"); a bare month after "by"/"until" is the
  coming one.  "the previous Friday" is the Friday before the last one.
"""

from __future__ import annotations

import bisect
import calendar
import collections
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from factcheck.extract.lexicon import words
from factcheck.extract.types import DateMention
from factcheck.extract.wordtrie import trie_pattern

# ---------------------------------------------------------------------------------------------
# Name tables

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}
VAGUE_COUNTS = ("a few", "a couple of", "several", "few", "some")


def _load_vocabulary() -> dict[str, Any]:
    """The date vocabulary kept as data (factcheck/extract/data/dates.json)."""
    with open(Path(__file__).with_name("data") / "dates.json", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)  # JSON: values of any shape
        return data


VOCAB = _load_vocabulary()
QUARTER_ORDINALS: dict[str, int] = VOCAB["quarter_ordinals"]

# ---------------------------------------------------------------------------------------------
# Regex building blocks (case handled by listing Title/UPPER forms: no re.I, so "may" and
# "march" in lower case never match and the engine keeps its fast first-character checks).


def _alt(words: Iterable[str]) -> str:
    """Regex alternation of the Title and UPPER case forms of words, longest first."""
    forms = {w.capitalize() for w in words} | {w.upper() for w in words}
    return "|".join(sorted(forms, key=lambda s: (-len(s), s)))


def _cap(word: str) -> str:
    """'next' -> '[Nn]ext' (sentence-initial capital allowed)."""
    return f"[{word[0].upper()}{word[0]}]{word[1:]}"


def _caps(*words: str) -> str:
    """Alternation of _cap(word) for several words."""
    return "|".join(_cap(w) for w in words)


_MON = rf"(?:(?:{_alt(MONTHS)})(?![A-Za-z])|(?:{_alt(MONTH_ABBREVIATIONS)})(?:\.|(?![A-Za-z])))"
_WD_FULL = rf"(?:{_alt(WEEKDAYS)})(?![A-Za-z])"
_WD = rf"(?:{_WD_FULL}|(?:{_alt(WEEKDAY_ABBREVIATIONS)})(?:\.|(?![A-Za-z])))"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th|ST|ND|RD|TH)?(?!\w)"
_YEAR = r"(?:19|20)\d\d(?!\w)"
_MOD = _caps("early", "late", "mid")
_NOT_AFTER = r"(?<![\w.,/£$€#-])"  # a number glued to a word, URL, price or another number
_NOT_BEFORE = r"(?![\w/-]|[.,]\d)"
_UNITS = (
    r"(?:people|persons?|staff|cases|offenders|members|workers|employees|officers|jobs|posts|"
    r"prisoners|users|children|adults|men|women|pounds|euros|dollars|million|billion|thousand|"
    r"hours|hrs|minutes|mins|seconds|days|weeks|months|years|times|miles|km|kg|metres|meters|"
    r"feet|units|items|beds|places|incidents|deaths|votes|respondents|households|families|homes|"
    r"houses|patients|students|pupils|visits|calls|applications|responses|referrals|arrests|"
    r"crimes|offences|victims|individuals|participants|organisations|organizations|companies|"
    r"firms|businesses|words|pages|copies|signatures|volunteers|extra|additional|odd|or\s+so)"
    r"(?![A-Za-z])"
)
# a 4-digit number used as a quantity or glued into a token is not a year
_YEAR_GUARD = rf"(?![.,]\d|[/–-]\w|\s*(?:%|per\s?cent\b|percent\b)|\s+{_UNITS})"
_CONTEXT_WORDS = ("in", "since", "by", "from", "until", "till", "of", "during", "before", "after",
                  "between", "and", "for", "year", "summer", "spring", "autumn", "winter", "the",
                  "throughout", "through", "circa", "to")
# the word just before a year that makes a bare 4-digit number a year ("in 2014"; not "up to 2000")
_YEAR_CONTEXT = "|".join(
    [rf"(?<=\b{w}\s)" for word in _CONTEXT_WORDS for w in (word, word.capitalize()) if word != "to"]
    + [r"(?<=\b[Tt]o\s)(?<!\b[Uu]p\sto\s)"]
)
_DATE_DMY = rf"(?:{_WD},?\s+(?:the\s+)?)?{_DAY}(?:\s+of)?\s+{_MON},?\s+{_YEAR}"
_DATE_MDY = rf"(?:{_WD},?\s+)?{_MON}\s+{_DAY},?\s+{_YEAR}"
_DATE_ISO = r"(?:19|20)\d\d(?P<dl_isos>[-/])(?:0[1-9]|1[0-2])(?P=dl_isos)(?:0[1-9]|[12]\d|3[01])(?![\w/-])"
_DATE_NUM = r"\d{1,2}(?P<dl_nums>[/.-])\d{1,2}(?P=dl_nums)(?:19|20)\d\d(?![\w/-])"
_TIME = r"(?:(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*[AaPp]\.?[Mm]\.?)?|(?:1[0-2]|0?[1-9])\s*[AaPp]\.?[Mm]\.?)"

# the word just before a bare month name that makes it a date ("in March", not "May I")
_MONTH_CONTEXT = "|".join(rf"(?<=(?<![A-Za-z]){w}\s)" for x in VOCAB["month_context"] for w in (x, x.capitalize()))

SPOKEN: dict[str, int] = VOCAB["spoken_numbers"]
_SP_UNITS = "|".join(w for w, n in SPOKEN.items() if n < 10)
_SP_TEENS = "|".join(w for w, n in SPOKEN.items() if 10 <= n < 20)
_SP_TENS = "|".join(w for w, n in SPOKEN.items() if n >= 20)
_SP_PAIR = rf"(?:(?:{_SP_TENS})(?:[-\s](?:{_SP_UNITS}))?|{_SP_TEENS}|oh\s+(?:{_SP_UNITS}))(?![\w-])"
_SP_CONTEXT = "|".join(rf"(?<=(?<![A-Za-z]){w}\s)" for x in VOCAB["spoken_year_context"] for w in (x, x.capitalize()))

_ALTERNATIVES = [
    # "next Friday 24th November" (relative cue plus an explicit day)
    rf"(?P<rwd>(?<!\w)(?P<rwd_which>{_caps('next', 'this', 'last')})\s+(?P<rwd_wd>{_WD}),?\s+(?:the\s+)?"
    rf"(?P<rwd_d>{_DAY})(?:\s+of)?\s+(?P<rwd_m>{_MON})(?:,?\s+(?P<rwd_y>{_YEAR}))?)",
    # "16 June to 18 July 2017"
    rf"(?P<dr2>{_NOT_AFTER}(?P<dr2_d1>{_DAY})(?:\s+of)?\s+(?P<dr2_m1>{_MON})(?:,?\s+(?P<dr2_y1>{_YEAR}))?"
    rf"(?:\s*[–—-]\s*|\s+(?:to|until|till)\s+)(?P<dr2_d2>{_DAY})(?:\s+of)?\s+(?P<dr2_m2>{_MON})"
    rf"(?:,?\s+(?P<dr2_y2>{_YEAR}))?)",
    # "Wednesday, 30 September 2020", "16th June 2017", "16 June, 2017"
    rf"(?P<dmy>(?:(?P<dmy_wd>{_WD}),?\s+(?:the\s+)?)?{_NOT_AFTER}(?P<dmy_d>{_DAY})(?:\s+of)?\s+"
    rf"(?P<dmy_m>{_MON}),?\s+(?P<dmy_y>{_YEAR}))",
    # "16-18 June 2017", "16 to 18 June"
    rf"(?P<dr>{_NOT_AFTER}(?P<dr_d1>{_DAY})(?:\s*[–—-]\s*|\s+(?:to|and)\s+)(?P<dr_d2>{_DAY})(?:\s+of)?\s+"
    rf"(?P<dr_m>{_MON})(?:,?\s+(?P<dr_y>{_YEAR}))?)",
    # "29 September", "Wednesday 1st May" (year from anchor / default_year)
    rf"(?P<dm>(?:(?P<dm_wd>{_WD}),?\s+(?:the\s+)?)?{_NOT_AFTER}(?P<dm_d>{_DAY})(?:\s+of)?\s+(?P<dm_m>{_MON}))",
    # "June 16, 2017"
    rf"(?P<mdy>(?:(?P<mdy_wd>{_WD}),?\s+)?(?P<mdy_m>{_MON})\s+(?P<mdy_d>{_DAY}),?\s+(?P<mdy_y>{_YEAR}))",
    # "May/June 2016", "January to March 2017", "between May and July 2018"
    rf"(?P<mr>(?:(?P<mr_between>{_cap('between')})\s+)?(?:(?:{_MOD})[-\s]+)?(?P<mr_m1>{_MON})"
    rf"(?:,?\s+(?P<mr_y1>{_YEAR}))?(?:\s*[/–—-]\s*|\s+(?:to|and|until|till|through)\s+)"
    rf"(?P<mr_m2>{_MON}),?\s+(?P<mr_y2>{_YEAR}))",
    # "nineteen ninety-six", "January nineteen ninety-seven", "(in) two thousand and one" (spoken years)
    rf"(?=[A-Z]|[ent])(?P<sy>(?<!\w)(?:(?P<sy_m>{_alt(MONTHS)})\s+)?(?:(?P<sy_c>{_caps(*VOCAB['spoken_centuries'])})\s+"
    rf"(?P<sy_r>{_SP_PAIR})|(?=[Tt]wo\s+thousand)(?:{_SP_CONTEXT})(?P<sy_k>[Tt]wo\s+thousand)(?:\s+(?:and\s+)?(?P<sy_kr>{_SP_TEENS}|{_SP_UNITS}))?"
    rf"(?![\w-])))",
    # "June 2017", "late September 2016", "March of 2017"
    rf"(?P<my>(?:(?:{_MOD})[-\s]+)?(?P<my_m>{_MON}),?\s+(?:of\s+)?(?P<my_y>{_YEAR})(?![.,]\d|[/–-]\d))",
    # "March of this year", "December this year", "May last year"
    rf"(?P<mrel>(?:(?:{_MOD})[-\s]+)?(?P<mrel_m>{_MON}),?\s+(?:of\s+)?(?P<mrel_w>this|last|next)\s+year(?!\w))",
    # "late September" (year from anchor)
    rf"(?P<mmod>(?<!\w)(?:{_MOD})[-\s]+(?P<mmod_m>{_MON}))",
    # "June 16th", "Friday June 16", "June 16," (yearless month-first; checked in the resolver)
    rf"(?P<md>(?:(?P<md_wd>{_WD}),?\s+)?(?P<md_m>{_MON})\s+(?:the\s+)?(?P<md_d>{_DAY}))",
    # "2017-06-16"
    rf"(?P<iso>{_NOT_AFTER}(?P<iso_y>(?:19|20)\d\d)(?P<iso_s>[-/])(?P<iso_m>0[1-9]|1[0-2])(?P=iso_s)"
    rf"(?P<iso_d>0[1-9]|[12]\d|3[01])(?:(?=T\d)|{_NOT_BEFORE}))",
    # "16/06/2017", "16.06.2017"
    rf"(?P<num>{_NOT_AFTER}(?P<num_a>\d{{1,2}})(?P<num_s>[/.-])(?P<num_b>\d{{1,2}})(?P=num_s)"
    rf"(?P<num_y>(?:19|20)\d\d){_NOT_BEFORE})",
    # "2014/15", "2014-2016"
    rf"(?P<fy>{_NOT_AFTER}(?P<fy_y1>(?:19|20)\d\d)(?P<fy_s>[/–-])(?P<fy_y2>\d\d(?:\d\d)?)(?![\w/%-]|[.,]\d))",
    # "the third quarter", "third-quarter", "the 1988 second quarter", "the latest quarter", "the quarter"
    rf"(?P<q>(?<![\w-])(?:(?P<q_y1>{_YEAR})\s+)?(?:(?:{_caps(*VOCAB['quarter_modifiers'])})[-\s]+)*"
    rf"(?:(?P<q_ord>{_caps(*QUARTER_ORDINALS)})[-\s]+)?[Qq]uarter(?![\w-])(?!\s+\d)(?:\s+of\s+(?P<q_y2>{_YEAR}))?)",
    # "early 2016", "mid-2016"
    rf"(?P<ymod>(?<!\w)(?:{_MOD})[-\s]+(?P<ymod_y>{_YEAR}){_YEAR_GUARD})",
    # "in 2014", "since 2007", "the 2016 HMIP report" (context word checked by look-behinds)
    rf"(?P<yctx>(?:{_YEAR_CONTEXT})(?P<yctx_y>{_YEAR}){_YEAR_GUARD})",
    # "2016's"
    rf"(?P<yposs>{_NOT_AFTER}(?P<yposs_y>(?:19|20)\d\d)(?=['’]s\b))",
    # "its 1990 invasion", "bonds due 1993", "predicting 1990 earnings" (a bare year; not a count: resolver)
    rf"(?P<ybare>{_NOT_AFTER}(?P<ybare_y>{_YEAR}){_YEAR_GUARD})",
    # "three weeks ago", "a few days ago": matched from the unit; the count is found by _AGO_COUNT
    r"(?P<ago>(?P<ago_u>day|week|month|year)s?\s+ago(?!\w))",
    # "today", "earlier today", "yesterday", "this morning"
    rf"(?P<rd>(?<!\w)(?:(?P<rd_mod>{_caps('earlier', 'later')})\s+)?"
    rf"(?P<rd_w>{_caps('today', 'tonight', 'yesterday', 'tomorrow')}|TODAY|YESTERDAY|"
    rf"{_cap('this')}\s+(?:morning|afternoon|evening))(?!\w))",
    # "this week", "earlier this month", "last year", "next weekend"
    rf"(?P<rp>(?<!\w)(?:(?P<rp_mod>{_caps('earlier', 'later')})\s+)?(?<![Tt]he\s)"
    rf"(?P<rp_which>{_caps('this', 'last', 'next')})\s+(?P<rp_unit>weekend|week|month|year)(?!\w))",
    # "on Friday" (mention "Friday"), "last Friday", "next Friday" (not followed by a day number)
    rf"(?P<rw>(?:(?<=\b[Oo]n\s)|(?<![Tt]he\s)(?P<rw_which>{_caps('last', 'next', 'this')})\s+)"
    rf"(?P<rw_wd>{_WD_FULL})"
    rf"(?!,?\s+(?:the\s+)?\d))",
    # "Q3 2019", "3Q"
    rf"(?P<qn>(?<!\w)Q(?P<qn_q>[1-4])(?:\s*(?P<qn_y>{_YEAR}))?(?!\w))",
    # "the 1990s", "the late 1970s", "the '90s"
    rf"(?P<dec>{_NOT_AFTER}(?P<dec_y>(?:19|20)\d0)['’]?s(?!\w))",
    # "the mid-1990s", "the '80s", "the nineties" (decades after a hyphen or apostrophe, or in words)
    rf"(?P<dec2>(?<!\w)(?:(?:{_MOD})-(?P<dec2_y>(?:19|20)\d0)s|(?<=['’])(?P<dec2_s>\d0)s"
    rf"|(?<=[Tt]he\s)(?:(?:{_MOD})[-\s]+)?(?P<dec2_w>{'|'.join(VOCAB['decade_words'])}))(?!\w))",
    # "the 20th century", "the eleventh century"
    rf"(?P<cent>(?<![\w-])(?P<cent_n>1\d|2[01]|[1-9])(?:st|nd|rd|th)[-\s]+century|(?<=[Tt]he\s)"
    rf"(?P<cent_w>{'|'.join(sorted(VOCAB['ordinal_numbers'], key=len, reverse=True))})[-\s]+century(?!\w))",
    # the alternatives below all start with "the"/"these": one look-ahead skips them elsewhere (speed)
    r"(?=[Tt]h)(?:"
        # "the year", "the full year", "the current fiscal year" (the anchor's year; not "the year ended ...")
        rf"(?P<ay>(?<!\w)[Tt]he\s+(?:(?P<ay_mod>{'|'.join(VOCAB['year_modifiers'])})\s+)?year(?![\w'’-])"
        r"(?!\s+(?:ended|ending|ago|earlier|before|later|after|to\s+date|\d|two|nineteen)))"
        "|"
        # "the following year", "the previous month" (relative to the last date written before)
        rf"(?P<ry>(?<!\w)[Tt]he\s+(?P<ry_w>{'|'.join(VOCAB['relative_year_words'])})\s+(?P<ry_u>year|month|week|day)(?![\w'’-]))"
        "|"
        # "the weekend", "over the weekend", "the week" (the one holding or before the anchor)
        r"(?P<tw>(?<!\w)[Tt]he\s+(?P<tw_u>weekend|week)(?![\w-])(?!\s+(?:before|after|ended|ending|earlier|later|of|\d)))"
        "|"
        # "the past", "the near future", "the short term", "these days" (no calendar value)
        rf"(?P<gen>(?<!\w)(?:{'|'.join(_cap(w) for w in sorted(VOCAB['general_time_words'], key=len, reverse=True))})"
        r"(?![\w-])(?!\s+of\b|\s+(?:\w+\s+)?(?:years?|months?|weeks?|days?|quarters?|decades?|centur(?:y|ies)|hours?|"
        rf"(?:{'|'.join(VOCAB['seasons'])})s?)\b))"
        "|"
        # "the previous Friday" (the one before the last Friday)
        rf"(?P<pw>(?<!\w)[Tt]he\s+(?:previous|preceding|prior)\s+(?P<pw_wd>{_WD_FULL}))"
    ")",
    # "year-end", "by year end", "the end of the year", "year's end"
    r"(?P<ye>(?<!\w)(?:[Yy]ear[-\s]end(?![\w-])|[Yy]ear['’]s\s+end\b|[Tt]he\s+end\s+of\s+the\s+year\b))",
    # "this summer", "last fall", "the winter of 1994"
    rf"(?P<sea>(?<!\w)(?P<sea_which>{_caps('this', 'last', 'next')})\s+(?P<sea_s>{'|'.join(VOCAB['seasons'])})(?!\w))",
    # "that year", "that month" (matched from the unit; the mention starts at "that")
    r"(?P<ry2>(?<=(?<![A-Za-z])[Tt]hat\s)(?P<ry2_u>year|month|week|day)(?![\w'’-]))",
    # "a year earlier", "a year before", "year-earlier", "year-ago", "a year later"
    rf"(?P<rel>(?<!\w)(?:(?P<rel_n>[Aa]|{_caps(*NUMBER_WORDS)}|[1-9]\d?)\s+)?(?P<rel_u>year|month|week|day)s?"
    r"(?P<rel_sep>\s+|-)(?P<rel_w>earlier|before|later|ago)(?!\w))",
    # "fiscal 1989"
    rf"(?P<fisc>(?<!\w)[Ff]iscal\s+(?P<fisc_y>{_YEAR}){_YEAR_GUARD})",
    # "now", "currently", "recently"
    rf"(?P<pres>(?<!\w)(?P<pres_w>{_caps(*VOCAB['present_words'], *VOCAB['past_words'])})(?!\w))",
    # "the past year", "the last few months", "recent years", "coming months"
    rf"(?P<per>(?<!\w)(?:(?:{_caps('the', 'in')})\s+)?(?:{_caps('past', 'last', 'next', 'coming', 'recent')})"
    rf"\s+(?:(?:few|several)\s+)?(?:{'|'.join(VOCAB['period_units'])})s?(?!\w))",
    # "10 p.m. Wednesday", "noon Thursday", "at midnight Friday" (a weekday with a time of day: precision 'time')
    rf"(?=[0-9NnMm])(?P<tod>(?<!\w)(?:{_TIME}|[Nn]oon|[Mm]idnight)(?:\s+[A-Z]{{3}}\b)?,?\s+(?:on\s+)?(?P<tod_wd>{_WD_FULL}))",
    # bare weekday, "early Tuesday", "earlier Sunday", "Thursday evening" (tense decides the direction)
    rf"(?P<bw>(?<!\w)(?:(?P<bw_mod>{_caps('early', 'late', 'earlier', 'later')})\s+)?(?P<bw_wd>{_WD_FULL})"
    rf"(?:\s+(?P<bw_tod>{'|'.join(VOCAB['times_of_day'])})\b)?"
    rf"(?!['’]?s?\s+[A-Z]|,?\s+(?:the\s+)?\d))",
    # "last April", "in March" (bare month name after a context word)
    rf"(?P<bm>(?:(?P<bm_which>{_caps('last', 'this', 'next')})\s+|"
    rf"{_MONTH_CONTEXT})"
    rf"(?P<bm_m>{_alt(MONTHS)})(?![A-Za-z])(?!\s+[A-Z0-9]))",
]


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile with ASCII-only digits (\\d would also match Arabic-Indic digits etc.)."""
    return re.compile(pattern.replace(r"\d", "[0-9]"), flags)


_DATE_RE = _compile("|".join(_ALTERNATIVES))
_TRIGGER_WORDS = (*NUMBER_WORDS, *VOCAB["spoken_centuries"], *VOCAB["decade_words"], *VOCAB["ordinal_numbers"],
                  "these", "nowadays", "century", "noon", "midnight", "today", "tonight", "yesterday", "tomorrow",
                  "this", "last", "next", "earlier", "later",
                  "early", "late", "mid", "between", "quarter", "fiscal", "year", "month", "week", "day",
                  "a", "one", "two", "three", "past", "coming", "recent", "the", "in",
                  *QUARTER_ORDINALS, *VOCAB["quarter_modifiers"], *VOCAB["present_words"], *VOCAB["past_words"],
                  *VOCAB["seasons"])


def _trigger_pattern() -> str:
    """Alternation of every word a mention can start with, grouped by first letter (fast to scan)."""
    words = set()
    for table in (MONTHS, MONTH_ABBREVIATIONS, WEEKDAYS, WEEKDAY_ABBREVIATIONS):
        words |= {w.capitalize() for w in table} | {w.upper() for w in table}
    words |= set(_TRIGGER_WORDS) | {w.capitalize() for w in _TRIGGER_WORDS} | {"TODAY", "YESTERDAY"}
    by_first: dict[str, list[str]] = collections.defaultdict(list)
    for w in words:
        by_first[w[0]].append(re.escape(w[1:]))
    groups = [f"{first}(?:{'|'.join(sorted(rest, key=len, reverse=True))})(?![a-z])"
              for first, rest in sorted(by_first.items())]
    return r"\b(?:\d|Q[1-4]|" + "|".join(groups) + r"|(?:day|week|month|year)s?\s+ago(?!\w))"


# Cheap scan for the places where a mention can start; _DATE_RE is only tried there (speed).
_TRIGGER_RE = _compile(_trigger_pattern())
_AGO_COUNT = _compile(
    r"(?<![\w-])(?:\d{1,3}|a\s+few|a\s+couple\s+of|several|few|some|"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\s+$",
    re.I,
)
_DATELINE_RE = _compile(
    r"\s*(?:(?:PUBLISHED|[Pp]ublished|POSTED|[Pp]osted|UPDATED|[Uu]pdated|Last\s+updated|LAST\s+UPDATED|"
    r"First\s+published|Date|DATE|Released|RELEASED|Issued|ISSUED)(?:\s+on)?\s*:?\s*)?"
    rf"(?:{_TIME}\s*,?\s*(?:on\s+)?)?"
    rf"(?P<date>{_DATE_DMY}|{_DATE_MDY}|{_DATE_ISO}|{_DATE_NUM})"
    rf"(?:\s*,?\s*(?:at\s+)?{_TIME}(?:\s*[A-Z]{{2,4}})?)?"
    r"(?P<trailer>\s*[-–—|•:]\s*\S[^\n]{0,60})?\s*"
)
_YEAR_FIND = _compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_ABSOLUTE_WITH_YEAR = frozenset({"dmy", "mdy", "iso", "num", "my", "mr", "dr", "dr2", "rwd"})

# ---------------------------------------------------------------------------------------------
# Calendar helpers


def _ymd(year: int, month: int, day: int) -> dt.date | None:
    """date(year, month, day), or None when it does not exist (31 February)."""
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last day of a month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _year_span(year: int) -> tuple[dt.date, dt.date]:
    """1 January and 31 December of a year."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _week_span(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding day."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _day_num(s: str) -> int:
    """'24th' -> 24."""
    return int(s[:2]) if s[:2].isdigit() else int(s[0])


def _month_num(s: str) -> int:
    """'Sept.' -> 9, 'JUNE' -> 6."""
    key = s.rstrip(".").lower()
    return MONTHS.get(key) or MONTH_ABBREVIATIONS[key]


def _weekday_written(s: str) -> int:
    """A weekday the date pattern matched ('Wed' -> 2): always one of the listed spellings."""
    key = s.rstrip(".").lower()
    return WEEKDAYS[key] if key in WEEKDAYS else WEEKDAY_ABBREVIATIONS[key]


def _weekday_num(s: str | None) -> int | None:
    """'Wed' -> 2, None -> None."""
    if not s:
        return None
    key = s.rstrip(".").lower()
    return WEEKDAYS.get(key, WEEKDAY_ABBREVIATIONS.get(key))


def _resolve_yearless(month: int, day: int, weekday: int | None, anchor: dt.date | None,
                      default_year: int | None, direction: int = 0) -> dt.date | None:
    """The date of a yearless 'day month': anchor's year, nearest year matching a weekday, or the
    first such date after (direction>0) / before (direction<0) the anchor."""
    ref_year = anchor.year if anchor else default_year
    if ref_year is None:
        return None
    if direction and anchor:
        for year in (range(ref_year, ref_year + 5) if direction > 0 else range(ref_year, ref_year - 5, -1)):
            d = _ymd(year, month, day)
            if d and ((d > anchor) if direction > 0 else (d < anchor)):
                return d
        return None
    if weekday is None:
        if anchor is None:
            return _ymd(ref_year, month, day)
        # the nearest such date to the anchor: "on 10 November" in a post of March 2018 is 2017-11-10
        near = [d for y in (ref_year - 1, ref_year, ref_year + 1) if (d := _ymd(y, month, day))]
        return min(near, key=lambda d: abs((d - anchor).days)) if near else None
    ref = anchor or _ymd(ref_year, month, min(day, 28))
    best: tuple[int, dt.date] | None = None
    for year in range(max(1, ref_year - 28), min(9999, ref_year + 28) + 1):
        d = _ymd(year, month, day)
        if d is None or d.weekday() != weekday:
            continue
        if ref is None:  # a year outside the calendar's and no anchor: no reference day to measure from
            raise TypeError("no reference date for a yearless weekday date")
        key = abs((d - ref).days)
        if best is None or key < best[0]:
            best = (key, d)
    return best[1] if best else None


# a resolver: a match of one alternative of the date pattern -> its DateMention (None: dropped)
_Resolver = Callable[[re.Match[str], str, "dt.date | None", "int | None"], "DateMention | None"]


def _mention(text: str, start: int, end: int, date: dt.date | None, precision: str,
             date_end: dt.date | None = None, relative: bool = False,
             anchor: dt.date | None = None) -> DateMention:
    """Build a DateMention whose text is exactly text[start:end]."""
    return DateMention(start, end, text[start:end], date, precision, date_end, relative, anchor)


def _span_mention(text: str, start: int, end: int, span: tuple[dt.date, dt.date] | None, precision: str,
                  relative: bool = False, anchor: dt.date | None = None) -> DateMention:
    """A mention for a (first, last) period, or an unresolved one when span is None."""
    first, last = span if span else (None, None)
    return _mention(text, start, end, first, precision, last, relative, anchor)


# ---------------------------------------------------------------------------------------------
# Resolvers: one per alternative; (match, text, anchor, default_year) -> DateMention | None


def _r_dmy(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'Wednesday, 30 September 2020'."""
    d = _ymd(int(m["dmy_y"][:4]), _month_num(m["dmy_m"]), _day_num(m["dmy_d"]))
    return _mention(text, m.start(), m.end(), d, "day") if d is not None else None


def _r_mdy(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'June 16, 2017'."""
    d = _ymd(int(m["mdy_y"][:4]), _month_num(m["mdy_m"]), _day_num(m["mdy_d"]))
    return _mention(text, m.start(), m.end(), d, "day") if d is not None else None


def _r_iso(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'2017-06-16'."""
    d = _ymd(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
    return _mention(text, m.start(), m.end(), d, "day") if d is not None else None


def _r_num(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'16/06/2017' (day first; month first only if day first is impossible and sep is '/')."""
    a, b, y = int(m["num_a"]), int(m["num_b"]), int(m["num_y"])
    d = _ymd(y, b, a) or (_ymd(y, a, b) if m["num_s"] == "/" else None)
    return _mention(text, m.start(), m.end(), d, "day") if d is not None else None


def _r_dm(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'29 September', 'Wednesday 1st May' (yearless)."""
    month, day = _month_num(m["dm_m"]), _day_num(m["dm_d"])
    d = _resolve_yearless_in_text(month, day, _weekday_num(m["dm_wd"]), text, m.start(), anchor, default_year)
    return _yearless_mention(text, m, d, month, day)


def _r_md(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'June 16th', 'Friday June 16', 'Aug. 2 ordered', 'June 16 to holders' (yearless; not 'May 20 people')."""
    ds = m["md_d"]
    if not (m["md_wd"] or not ds.isdigit() or _at_clause_end(text, m.end())) and _counted_after(text, m.end()):
        return None
    month, day = _month_num(m["md_m"]), _day_num(ds)
    d = _resolve_yearless_in_text(month, day, _weekday_num(m["md_wd"]), text, m.start(), anchor, default_year)
    return _yearless_mention(text, m, d, month, day)


def _yearless_mention(text: str, m: re.Match[str], d: dt.date | None, month: int, day: int) -> DateMention | None:
    """A yearless day's mention: with its date, or with none when nothing gives the year (still a date, never
    a count); None when no year has such a day ("31 February")."""
    if d is not None:
        return _mention(text, m.start(), m.end(), d, "day")
    if _ymd(2000, month, day) is None:  # 2000 is a leap year: every real day-month exists in it
        return None
    return _mention(text, m.start(), m.end(), None, "day")


_NOT_PLURAL = frozenset(VOCAB["not_plural_s"]) | frozenset(VOCAB["date_nouns"])
_COUNTED_RE = _compile(
    rf"[ \t]*(?:%|[Pp]er\s?cent\b|[Pp]ercent\b)|\s+(?:{_UNITS}|(?:{'|'.join(VOCAB['count_words'])})(?![A-Za-z]))")
_NEXT_WORD_RE = _compile(r"[ \t]+([a-z][a-z'-]*[a-z])\b")


def _counted_after(text: str, pos: int) -> bool:
    """Whether the number ending at pos reads as a count of what follows ('20 people', '20%', '20 cars')."""
    if _COUNTED_RE.match(text, pos):
        return True
    w = _NEXT_WORD_RE.match(text, pos)
    if not w:
        return False
    word = w.group(1)
    return (word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3
            and word not in _NOT_PLURAL)


_PAST_CUE_RE = _compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(w) for w in VOCAB["past_date_cues"])
                        + r")\s+(?:(?:on|the)\s+)?\Z", re.I)


def _resolve_yearless_in_text(month: int, day: int, weekday: int | None, text: str, pos: int,
                              anchor: dt.date | None, default_year: int | None) -> dt.date | None:
    """A yearless day: after a past cue ('ended Sept. 30') the latest one on or before the anchor, in future
    text the next one, else the nearest one (a later date counts 1.5 times as far: news mostly reports)."""
    if weekday is not None or anchor is None:
        return _resolve_yearless(month, day, weekday, anchor, default_year)
    near = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := _ymd(y, month, day))]
    if not near:
        return None
    if _PAST_CUE_RE.search(text, max(0, pos - 16), pos):
        past = [d for d in near if d <= anchor]
        return max(past) if past else None
    if _is_future(text, pos):
        future = [d for d in near if d >= anchor]
        return min(future) if future else None
    return min(near, key=lambda d: (d - anchor).days * 1.5 if d > anchor else (anchor - d).days)


def _at_clause_end(text: str, pos: int) -> bool:
    """True when only spaces and then punctuation or a line end follow pos."""
    rest = text[pos:pos + 4].lstrip(" ")
    return not rest or rest[0] in ",.;:)!?\n\r"


def _r_rwd(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'next Friday 24th November': a relative cue with an explicit day and month."""
    month, day, wd = _month_num(m["rwd_m"]), _day_num(m["rwd_d"]), _weekday_written(m["rwd_wd"])
    if m["rwd_y"]:
        d = _ymd(int(m["rwd_y"][:4]), month, day)
        return _mention(text, m.start(), m.end(), d, "day") if d is not None else None
    which = m["rwd_which"].lower()
    direction = -1 if which == "last" else 1
    if anchor:
        d = _resolve_yearless(month, day, wd, anchor, None, direction) if which != "this" else \
            _resolve_yearless(month, day, None, anchor, None)
    else:
        d = _resolve_yearless(month, day, wd, None, default_year)
    return _mention(text, m.start(), m.end(), d, "day", relative=True, anchor=anchor)


def _r_dr(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'16-18 June 2017', '16 to 18 June' -> range."""
    month, d1, d2 = _month_num(m["dr_m"]), _day_num(m["dr_d1"]), _day_num(m["dr_d2"])
    if d2 <= d1:
        return None
    year = int(m["dr_y"][:4]) if m["dr_y"] else (anchor.year if anchor else default_year)
    if year is None:
        return None
    first, last = _ymd(year, month, d1), _ymd(year, month, d2)
    return _mention(text, m.start(), m.end(), first, "range", last) if first is not None and last is not None else None


def _r_dr2(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'16 June to 18 July 2017' -> range."""
    y2 = int(m["dr2_y2"][:4]) if m["dr2_y2"] else (anchor.year if anchor else default_year)
    if y2 is None:
        return None
    m1, m2 = _month_num(m["dr2_m1"]), _month_num(m["dr2_m2"])
    y1 = int(m["dr2_y1"][:4]) if m["dr2_y1"] else (y2 if m1 <= m2 else y2 - 1)
    first = _ymd(y1, m1, _day_num(m["dr2_d1"]))
    last = _ymd(y2, m2, _day_num(m["dr2_d2"]))
    if not (first and last and first < last):
        return None
    return _mention(text, m.start(), m.end(), first, "range", last)


def _r_my(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'June 2017', 'late September 2016' -> month."""
    span = _month_span(int(m["my_y"][:4]), _month_num(m["my_m"]))
    return _span_mention(text, m.start(), m.end(), span, "month")


def _r_mr(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'May/June 2016', 'between May and July 2018' -> range."""
    m1, m2, y2 = _month_num(m["mr_m1"]), _month_num(m["mr_m2"]), int(m["mr_y2"][:4])
    y1 = int(m["mr_y1"][:4]) if m["mr_y1"] else (y2 if m1 <= m2 else y2 - 1)
    first, last = _month_span(y1, m1)[0], _month_span(y2, m2)[1]
    if first >= last:
        return None
    return _mention(text, m.start(), m.end(), first, "range", last)


def _r_mrel(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'March of this year', 'December last year' -> month, relative."""
    month = _month_num(m["mrel_m"])
    if not anchor:
        return _span_mention(text, m.start(), m.end(), None, "month", relative=True)
    year = anchor.year + {"this": 0, "last": -1, "next": 1}[m["mrel_w"]]
    return _span_mention(text, m.start(), m.end(), _month_span(year, month), "month", True, anchor)


def _r_mmod(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'late September' -> month in the anchor's (or default) year."""
    year = anchor.year if anchor else default_year
    if year is None:
        return None
    return _span_mention(text, m.start(), m.end(), _month_span(year, _month_num(m["mmod_m"])), "month")


def _r_fy(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'2014/15' -> UK financial year; '2014-2016' -> calendar range."""
    y1, s2, sep = int(m["fy_y1"]), m["fy_y2"], m["fy_s"]
    if len(s2) == 2:
        if (y1 + 1) % 100 != int(s2):
            return None
        y2, financial = y1 + 1, True
    else:
        y2 = int(s2)
        if sep == "/":
            if y2 != y1 + 1:
                return None
            financial = True
        else:
            if not (y1 < y2 <= y1 + 100):
                return None
            financial = False
    if financial:
        return _mention(text, m.start(), m.end(), dt.date(y1, 4, 1), "range", dt.date(y2, 3, 31))
    return _mention(text, m.start(), m.end(), dt.date(y1, 1, 1), "range", dt.date(y2, 12, 31))


def _r_year(group: str) -> _Resolver:
    """Resolver for a lone year held in `group` (mention covers the group, or the whole match)."""
    def resolve(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
        """'in 2014' -> '2014' (year)."""
        s, e = (m.start(), m.end()) if group == "ymod_y" else m.span(group)
        return _span_mention(text, s, e, _year_span(int(m[group][:4])), "year")
    return resolve


_COUNT_CUE_RE = _compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(w) for w in VOCAB["count_cues"])
                         + r")\s+\Z", re.I)
_CAPITAL_AFTER = re.compile(r"\s+[A-Z]")


def _r_ybare(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """A bare 19xx/20xx number read as a year unless it counts something ('1990 cars', 'about 2000 more'),
    follows a count cue, an address ('at 1999 Broadway') or a name ('Windows 2000')."""
    s, e = m.span("ybare_y")
    if _counted_after(text, e) or _COUNT_CUE_RE.search(text, max(0, s - 16), s):
        return None
    before = text[max(0, s - 40):s]
    word = _WORD_BEFORE.search(before)
    if word:
        w = word.group(1)
        if w[0].isupper() and not _SENTENCE_START.search(before[:word.start()]) and not w.endswith(("'s", "’s")):
            return None
        if w in ("at", "At") and _CAPITAL_AFTER.match(text, e):
            return None
    return _span_mention(text, s, e, _year_span(int(m["ybare_y"])), "year")


def _spoken_pair(words: str) -> int:
    """'ninety-six' -> 96, 'oh five' -> 5, 'twelve' -> 12."""
    return sum(SPOKEN.get(w, 0) for w in re.split(r"[-\s]+", words.lower()))


def _r_sy(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'nineteen ninety-six' -> 1996 (year); 'January nineteen ninety-seven' -> 1997-01 (month)."""
    if m["sy_k"]:
        year = 2000 + (_spoken_pair(m["sy_kr"]) if m["sy_kr"] else 0)
    else:
        year = VOCAB["spoken_centuries"][m["sy_c"].lower()] * 100 + _spoken_pair(m["sy_r"])
    if _counted_after(text, m.end()):
        return None
    if m["sy_m"]:
        return _span_mention(text, m.start(), m.end(), _month_span(year, _month_num(m["sy_m"])), "month")
    return _span_mention(text, m.start(), m.end(), _year_span(year), "year")


def _r_dec2(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'the mid-1990s', "the '80s", 'the nineties' -> precision 'decade' ('80s: the 1900s when >= 30)."""
    if m["dec2_y"]:
        y = int(m["dec2_y"])
    else:
        n = int(m["dec2_s"]) if m["dec2_s"] else VOCAB["decade_words"][m["dec2_w"].lower()]
        y = (1900 if n >= 30 else 2000) + n
    return _span_mention(text, m.start(), m.end(), (dt.date(y, 1, 1), dt.date(y + 9, 12, 31)), "decade")


def _r_cent(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'the 20th century' -> the years 1900..1999 (precision 'range')."""
    n = int(m["cent_n"]) if m["cent_n"] else VOCAB["ordinal_numbers"][m["cent_w"].lower()]
    y = (n - 1) * 100
    if y < 1:
        return None
    return _span_mention(text, m.start(), m.end(), (dt.date(y, 1, 1), dt.date(y + 99, 12, 31)), "range")


def _r_ay(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'the year', 'the full year', 'the current fiscal year' -> the anchor's year."""
    span = _year_span(anchor.year) if anchor else None
    return _span_mention(text, m.start(), m.end(), span, "year", True, anchor if span else None)


_PARAGRAPH_BACK = 600
_EARLIER_MONTH_RE = _compile(rf"(?<![A-Za-z])(?P<m>{_MON})(?:\s+{_DAY})?(?:,?\s+(?P<y>{_YEAR}))?")


def _last_explicit(text: str, pos: int, unit: str, anchor: dt.date | None) -> tuple[int, int] | None:
    """(year, month) of the last explicit year ('1995') or month ('last March', 'May 22, 1995') written in the
    paragraph before pos (month 0 for a year)."""
    lo = max(0, pos - _PARAGRAPH_BACK)
    lo = max(lo, text.rfind("\n\n", lo, pos) + 1)
    if unit == "year":
        years = _YEAR_FIND.findall(text, lo, pos)
        return (int(years[-1]), 0) if years else None
    found: re.Match[str] | None = None
    for match in _EARLIER_MONTH_RE.finditer(text, lo, pos):  # the last one
        found = match
    if not found:
        return None
    month = _month_num(found["m"])
    if found["y"]:
        return int(found["y"]), month
    if not anchor:
        return None
    return (anchor.year if month <= anchor.month else anchor.year - 1), month


def _r_ry(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'that year', 'the following year', 'the previous month': a step from the last explicit year or month."""
    if m.lastgroup == "ry2":
        unit, step, start = m["ry2_u"], 0, m.start() - 5
    else:
        unit, step, start = m["ry_u"], VOCAB["relative_year_words"][m["ry_w"].lower()], m.start()
    if unit == "week" and m.lastgroup == "ry" and m["ry_w"].lower() == "next":
        return _mention(text, start, m.end(), None, "period", relative=True)  # "in the next week": the coming days
    if unit in ("day", "week"):
        return _from_last_day(text, start, m.end(), unit, step, anchor, default_year)
    ref = _last_explicit(text, start, unit, anchor)
    span = None
    if ref and unit == "year":
        span = _year_span(ref[0] + step)
    elif ref:
        base = dt.date(ref[0], ref[1], 1) + relativedelta(months=step)
        span = _month_span(base.year, base.month)
    return _span_mention(text, start, m.end(), span, unit, True, anchor if span else None)


def _last_day(text: str, pos: int, anchor: dt.date | None, default_year: int | None) -> dt.date | None:
    """The last explicit day ("12 March", "June 16, 2017") written in the paragraph before pos."""
    lo = max(0, pos - _PARAGRAPH_BACK)
    lo = max(lo, text.rfind("\n\n", lo, pos) + 1)
    last = None
    for _, mention in _iter_mentions(text, anchor, default_year, lo, pos):
        if mention.precision == "day" and mention.date and not mention.relative:
            last = mention.date
    return last


def _from_last_day(text: str, start: int, end: int, unit: str, step: int, anchor: dt.date | None,
                   default_year: int | None) -> DateMention:
    """'the following day', 'the week before', 'that day': a step from the last explicit day of the paragraph
    (no calendar value when there is none)."""
    ref = _last_day(text, start, anchor, default_year)
    if ref is None:
        return _mention(text, start, end, None, unit, relative=True)
    if unit == "day":
        return _mention(text, start, end, ref + dt.timedelta(days=step), "day", relative=True, anchor=ref)
    return _span_mention(text, start, end, _week_span(ref + dt.timedelta(weeks=step)), "week", True, ref)


def _r_ye(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'year-end', 'by year end', 'the end of the year' -> the anchor's year (the year before after 'since')."""
    if not anchor:
        return _span_mention(text, m.start(), m.end(), None, "year", relative=True)
    since = _PAST_CUE_RE.search(text, max(0, m.start() - 16), m.start())
    return _span_mention(text, m.start(), m.end(), _year_span(anchor.year - (1 if since else 0)), "year", True, anchor)


def _r_tw(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'the weekend' (the last one, or the coming one in future text), 'the week' (the anchor's week)."""
    span = None
    if anchor:
        future = _is_future(text, m.start())
        if m["tw_u"] == "week":
            span = _week_span(anchor)
        else:
            monday = _week_span(anchor)[0]
            sat = monday + dt.timedelta(days=5)
            if future and sat < anchor:
                sat += dt.timedelta(weeks=1)
            elif not future and sat > anchor:
                sat -= dt.timedelta(weeks=1)
            span = (sat, sat + dt.timedelta(days=1))
    precision = "week" if m["tw_u"] == "week" else "range"
    return _span_mention(text, m.start(), m.end(), span, precision, True, anchor if span else None)


def _r_gen(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'the past' (past), 'these days' (present), 'the near future' (future), 'the short term' (period): no
    calendar value."""
    w = m.group(0).lower()
    precision = ("past" if w == "the past" else "present" if w == "these days" else
                 "future" if w.endswith("future") else "period")
    return _mention(text, m.start(), m.end(), None, precision, relative=True)


def _r_rd(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'today', 'earlier today', 'yesterday', 'tomorrow', 'this morning'."""
    word = m["rd_w"]
    if not m["rd_mod"] and word[0].isupper() and _after_capitalised_word(text, m.start()):
        return None  # "Russia Today", "BBC Today programme": a name, not a date
    low = word.lower()
    shift = -1 if low == "yesterday" else 1 if low == "tomorrow" else 0
    d = anchor + dt.timedelta(days=shift) if anchor else None
    precision = "time" if low.startswith("this") else "day"  # "this morning" is a time of day (TimeML TIME)
    return _mention(text, m.start(), m.end(), d, precision, relative=True, anchor=anchor)


def _after_capitalised_word(text: str, pos: int) -> bool:
    """True when the word just before pos (same line, spaces only) starts with a capital."""
    i, lo = pos, max(0, pos - 80)
    while i > lo and text[i - 1] in " \t":
        i -= 1
    if i == pos or i == lo or not text[i - 1].isalnum():
        return False
    j = i
    while j > lo and text[j - 1].isalnum():
        j -= 1
    return text[j].isupper()


def _r_rp(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'this week', 'earlier this month', 'last year', 'next weekend'."""
    unit, which = m["rp_unit"], m["rp_which"].lower()
    step = {"this": 0, "last": -1, "next": 1}[which]
    precision = "range" if unit == "weekend" else unit
    if not anchor:
        return _span_mention(text, m.start(), m.end(), None, precision, relative=True)
    if unit in ("week", "weekend"):
        monday, sunday = _week_span(anchor + dt.timedelta(weeks=step))
        span = (monday + dt.timedelta(days=5), sunday) if unit == "weekend" else (monday, sunday)
    elif unit == "month":
        base = anchor + relativedelta(months=step)
        span = _month_span(base.year, base.month)
    else:
        span = _year_span(anchor.year + step)
    return _span_mention(text, m.start(), m.end(), span, precision, True, anchor)


def _r_ago(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'three weeks ago', 'two years ago', 'a few days ago' (see module notes)."""
    c = _AGO_COUNT.search(text, max(0, m.start() - 24), m.start())
    if not c:
        return None
    raw, unit, s, e = " ".join(c.group(0).lower().split()), m["ago_u"], c.start(), m.end()
    if raw in VAGUE_COUNTS:
        if unit != "day":  # "a few months ago", "several years ago": the past, with no calendar value
            return _mention(text, s, e, None, "past", relative=True)
        span = (anchor - dt.timedelta(days=7), anchor - dt.timedelta(days=1)) if anchor else None
        return _span_mention(text, s, e, span, "week", True, anchor)
    n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
    if not anchor:
        return _span_mention(text, s, e, None, unit, relative=True)
    if unit == "day":
        return _mention(text, s, e, anchor - dt.timedelta(days=n), "day", relative=True, anchor=anchor)
    if unit == "week":
        span = _week_span(anchor - dt.timedelta(weeks=n))
    elif unit == "month":
        base = anchor - relativedelta(months=n)
        span = _month_span(base.year, base.month)
    else:
        span = _year_span(anchor.year - n)
    return _span_mention(text, s, e, span, unit, True, anchor)


def _r_rw(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'on Friday' (mention 'Friday'), 'last Friday', 'next Friday', 'this Friday'."""
    which, wd = (m["rw_which"] or "on").lower(), _weekday_written(m["rw_wd"])
    s, e = m.span()
    d = None
    if anchor:
        if which == "next":
            delta = (wd - anchor.weekday() - 1) % 7 + 1
        elif which == "last":
            delta = -((anchor.weekday() - wd - 1) % 7 + 1)
        elif which == "on" and not _is_future(text, s):
            delta = -((anchor.weekday() - wd) % 7)
        else:
            delta = (wd - anchor.weekday()) % 7
        d = anchor + dt.timedelta(days=delta)
    return _mention(text, s, e, d, "day", relative=True, anchor=anchor)


_FUTURE_RE = _compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(w) for w in VOCAB["future_cues"]) + r")(?![A-Za-z])",
                      re.I)


# a verb in the past: an auxiliary, a common irregular past or a regular -ed form
_PAST_VERB_RE = _compile(r"(?<![A-Za-z'’-])(?:" + "|".join(re.escape(w) for w in VOCAB["past_verbs"])
                         + r"|[a-z]{2,}ed)(?![A-Za-z'’-])")

_NOT_PAST = frozenset(VOCAB["future_participles"])  # "is expected in December", "the planned closure"


def _is_future(text: str, pos: int) -> bool:
    """Whether the sentence around pos reads as future: a future cue such as 'will' or 'next', unless a verb in
    the past stands nearer the date ("In September, it announced plans to …")."""
    lo, hi = max(0, pos - 200), min(len(text), pos + 120)
    start = max(text.rfind(c, lo, pos) for c in ".!?\n") + 1 if lo < pos else pos
    start = max(start, lo)
    ends = [i for i in (text.find(c, pos, hi) for c in ".!?\n") if i != -1]
    end = min(ends) if ends else hi
    futures = [m.span() for m in _FUTURE_RE.finditer(text, start, end)]
    if not futures:
        return False
    pasts = [m.span() for m in _PAST_VERB_RE.finditer(text, start, end)  # not part of a future verb group
             if m.group().lower() not in _NOT_PAST and not any(a <= m.start() < b + 16 for a, b in futures)]
    if not pasts:
        return True

    def distance(span: tuple[int, int]) -> int:
        return span[0] - pos if span[0] >= pos else pos - span[1]

    return min(map(distance, futures)) <= min(map(distance, pasts))


def _quarter_span(year: int, q: int) -> tuple[dt.date, dt.date]:
    """First and last day of quarter q of year."""
    return dt.date(year, 3 * q - 2, 1), _month_span(year, 3 * q)[1]


_FRACTION_BEFORE = _compile(r"(?<![A-Za-z])(?:[Aa]|[Oo]ne|[Ee]very|[Ee]ach|[Pp]er)\s+\Z")


def _r_q(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'the third quarter', 'third-quarter', 'the quarter', 'Q3 2019' -> precision 'quarter' (not 'a quarter of')."""
    if m.lastgroup == "q" and not (m["q_ord"] or m["q_y1"] or m["q_y2"]) and m.group(0)[0] in "Qq" \
            and _FRACTION_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return None
    qs = m["qn_q"] if m.lastgroup == "qn" else (m["q_ord"] and QUARTER_ORDINALS[m["q_ord"].lower()])
    ys = m["qn_y"] if m.lastgroup == "qn" else (m["q_y1"] or m["q_y2"])
    span = None
    if qs:
        q = int(qs)
        if ys:
            span = _quarter_span(int(ys[:4]), q)
        elif anchor:  # the latest such quarter that has begun by the anchor
            year = anchor.year if _quarter_span(anchor.year, q)[0] <= anchor else anchor.year - 1
            span = _quarter_span(year, q)
    return _span_mention(text, m.start(), m.end(), span, "quarter", relative=not ys,
                         anchor=anchor if span and not ys else None)


def _r_dec(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'the 1990s' -> precision 'decade'."""
    y = int(m["dec_y"])
    return _span_mention(text, m.start(), m.end(), (dt.date(y, 1, 1), dt.date(y + 9, 12, 31)), "decade")


_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}


def _r_sea(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'this summer', 'last fall' -> precision 'season' (meteorological seasons; winter is Dec-Feb)."""
    season, step = m["sea_s"].lower(), {"this": 0, "last": -1, "next": 1}[m["sea_which"].lower()]
    span = None
    if anchor:
        if season == "winter":
            y = (anchor.year if anchor.month == 12 else anchor.year - 1) + step
            span = (dt.date(y, 12, 1), _month_span(y + 1, 2)[1])
        else:
            a, b = _SEASON_MONTHS[season]
            y = anchor.year + step
            if step == -1 and anchor.month > b:
                y = anchor.year  # "last summer" said in October is this year's summer
            span = (dt.date(y, a, 1), _month_span(y, b)[1])
    return _span_mention(text, m.start(), m.end(), span, "season", True, anchor if span else None)


def _r_rel(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'a year earlier', 'year-ago', 'a month before': relative to another date; 'a year ago' to the anchor."""
    raw_n = (m["rel_n"] or "a").lower()
    n = int(raw_n) if raw_n.isdigit() else NUMBER_WORDS.get(raw_n, 1)
    unit, word = m["rel_u"], m["rel_w"]
    if word == "ago" and m["rel_sep"] != "-":
        return None  # "a year ago" is handled by the 'ago' alternative
    span = None
    if anchor and (word == "ago" or word in ("earlier", "before")) and unit == "year":
        span = _year_span(anchor.year - n)  # in news, 'a year earlier' mostly means a year before now
    if word in ("before", "after") and re.match(r"[ \t]+[A-Za-z]", text[m.end():m.end() + 3]):
        return None  # "30 days before closing the deal": a length of time before an event, not a date
    if unit in ("day", "week") and word != "ago":  # "a day later", "the week before": from the day written before
        step = n if word == "later" else -n
        start = m.start()
        the = re.compile(r"[Tt]he\s+$").search(text, max(0, start - 4), start)
        return _from_last_day(text, the.start() if the else start, m.end(), unit, step, anchor, default_year)
    precision = unit
    return _span_mention(text, m.start(), m.end(), span, precision, True, anchor if span else None)


def _r_pres(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'now', 'currently' -> precision 'present'; 'recently' -> 'past'; date None (not a calendar value)."""
    w = m["pres_w"].lower()
    if w == "now" and text[m.end():m.end() + 5].lower().startswith(" that"):
        pass
    precision = "present" if w in VOCAB["present_words"] else "past"
    return _mention(text, m.start(), m.end(), None, precision, relative=True)


def _r_per(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'the past year', 'recent years', 'the coming months': a rolling period, date None."""
    return _mention(text, m.start(), m.end(), None, "period", relative=True)


_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’.-]*)[ \t]+\Z")
_SENTENCE_START = re.compile(r"(?:\A|[.!?:;\n]['\"’”)]*)\s*\Z")
_DATE_LIKE_AFTER = re.compile(rf"(?:,|['’]s\b|\s+(?:{'|'.join(VOCAB['parts_of_day'])})\b|\s*[.!?;:)]|\s*\Z)",
                              re.IGNORECASE)


_FIRST_NAMES = words("people", "female_names") | words("people", "male_names")
_NAMES_BEFORE_WEEKDAY = frozenset(VOCAB["named_day_modifiers"])


def _weekday_is_a_name(m: re.Match[str], text: str) -> bool:
    """Whether a bare weekday is part of a name ("Sarah Friday") or a sentence-initial word that does not read as a
    day ("Friday reporting ..."), rather than a day ("on Friday", "said Friday", "Friday, the council met")."""
    before = text[max(0, m.start() - 40):m.start()]
    word = _WORD_BEFORE.search(before)
    if word and word.group(1)[0].isupper() and (
            word.group(1).lower() in _NAMES_BEFORE_WEEKDAY or word.group(1).lower() in _FIRST_NAMES):
        return True  # "Sarah Friday": a surname; "Black Friday": a named day ("The Court Friday ruled": a day)
    if _SENTENCE_START.search(before):
        return not _DATE_LIKE_AFTER.match(text, m.end())
    return False


def _r_bw(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """A bare weekday: the most recent such day on or before the anchor, or the coming one in future text;
    'Thursday evening' is precision 'time'."""
    if not m["bw_mod"] and not m["bw_tod"] and _weekday_is_a_name(m, text):
        return None
    return _weekday_by_tense(m, text, anchor, _weekday_written(m["bw_wd"]), "time" if m["bw_tod"] else "day")


def _r_tod(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'10 p.m. Wednesday', 'noon Thursday': the weekday by tense, precision 'time'."""
    return _weekday_by_tense(m, text, anchor, _weekday_written(m["tod_wd"]), "time")


def _r_pw(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'the previous Friday': a week before the most recent Friday before the anchor."""
    wd = _weekday_written(m["pw_wd"])
    d = anchor - dt.timedelta(days=(anchor.weekday() - wd - 1) % 7 + 8) if anchor else None
    return _mention(text, m.start(), m.end(), d, "day", relative=True, anchor=anchor)


def _weekday_by_tense(m: re.Match[str], text: str, anchor: dt.date | None, wd: int,
                      precision: str = "day") -> DateMention | None:
    """The weekday wd on or before the anchor, or on or after it in future text."""
    d = None
    if anchor:
        if _is_future(text, m.start()):
            d = anchor + dt.timedelta(days=(wd - anchor.weekday()) % 7)
        else:
            d = anchor - dt.timedelta(days=(anchor.weekday() - wd) % 7)
    return _mention(text, m.start(), m.end(), d, precision, relative=True, anchor=anchor)


_DEADLINE_CUE_RE = _compile(r"(?<![A-Za-z])(?:" + "|".join(VOCAB["deadline_cues"]) + r")\s+\Z", re.I)


def _r_bm(m: re.Match[str], text: str, anchor: dt.date | None, default_year: int | None) -> DateMention | None:
    """'in March', 'last April' -> month: the most recent such month; the coming one in future text or after a
    deadline word ('by February'), but the past one after 'since'."""
    month, which = _month_num(m["bm_m"]), (m["bm_which"] or "").lower()
    span = None
    if anchor:
        if which == "last":  # the month just gone is "last month", so "last February" in March is a year back
            year = anchor.year if month < anchor.month - 1 else anchor.year - 1
        elif which == "next":
            year = anchor.year if month > anchor.month else anchor.year + 1
        elif which == "this":
            year = anchor.year
        elif not _PAST_CUE_RE.search(text, max(0, m.start() - 16), m.start()) and (
                _is_future(text, m.start()) or _DEADLINE_CUE_RE.search(text, max(0, m.start() - 10), m.start())):
            year = anchor.year if month >= anchor.month else anchor.year + 1
        else:
            year = anchor.year if month <= anchor.month else anchor.year - 1
        span = _month_span(year, month)
    elif default_year:
        span = _month_span(default_year, month)
    if span is None:
        return None
    return _span_mention(text, m.start(), m.end(), span, "month", bool(anchor), anchor)


_RESOLVERS = {
    "rwd": _r_rwd, "dr2": _r_dr2, "dmy": _r_dmy, "dr": _r_dr, "dm": _r_dm, "mdy": _r_mdy, "mr": _r_mr,
    "my": _r_my, "mrel": _r_mrel, "mmod": _r_mmod, "md": _r_md, "iso": _r_iso, "num": _r_num,
    "fy": _r_fy, "ymod": _r_year("ymod_y"), "yctx": _r_year("yctx_y"), "yposs": _r_year("yposs_y"), "ybare": _r_ybare,
    "sy": _r_sy, "dec2": _r_dec2, "cent": _r_cent,
    "ay": _r_ay, "pw": _r_pw, "tod": _r_tod, "ry": _r_ry, "ry2": _r_ry, "ye": _r_ye, "tw": _r_tw, "gen": _r_gen,
    "ago": _r_ago, "rd": _r_rd, "rp": _r_rp, "rw": _r_rw,
    "qn": _r_q, "q": _r_q, "dec": _r_dec, "sea": _r_sea, "rel": _r_rel, "fisc": _r_year("fisc_y"),
    "pres": _r_pres, "per": _r_per, "bw": _r_bw, "bm": _r_bm,
}


def _in_url(text: str, pos: int) -> bool:
    """True when pos sits inside a URL, e-mail address or path-like token."""
    i = pos
    lo = max(0, pos - 300)
    while i > lo and not text[i - 1].isspace():
        i -= 1
    token = text[i:pos]
    return "://" in token or token.startswith("www.") or "@" in token or "/" in token or "=" in token


# Function words that start many date mentions ("the following day", "a year earlier", "in the past") but far
# more phrases that are not dates: the full pattern is tried after them only when a word a date mention ends
# on (a calendar unit, month, weekday, season, part of day, "past", "future", "term", a digit) follows soon.
_FUNCTION_TRIGGERS = frozenset({"the", "The", "THE", "a", "A", "an", "An", "in", "In", "this", "This", "these",
                                "These", "that", "That", *NUMBER_WORDS, *(w.capitalize() for w in NUMBER_WORDS)})
_HEAD_WORDS = sorted({
    "year", "month", "week", "weekend", "day", "quarter", "term", "future", "past", "centur", "decade",
    "moment", "time", "period", "thousand", *VOCAB["spoken_centuries"], *VOCAB["period_units"], *VOCAB["seasons"],
    *VOCAB["parts_of_day"], *VOCAB["decade_words"], *MONTHS, *MONTH_ABBREVIATIONS, *WEEKDAYS}, key=len, reverse=True)
_HEAD_RE = _compile(r"[0-9]+|\b" + trie_pattern({w.lower() for w in _HEAD_WORDS}))  # run on lower-cased text
_HEAD_REACH = 60  # characters after a function word within which a date mention's head word must start


def _head_positions(text: str, start: int, end: int) -> list[int]:
    """Where a date mention's head word (a calendar unit, month, weekday, season, digit...) starts: one scan of
    the lower-cased text (every position, when lower-casing changes its length)."""
    lowered = text[start:end].lower()
    if len(lowered) != end - start:
        return list(range(start, end))
    return [start + m.start() for m in _HEAD_RE.finditer(lowered)]


def date_triggers(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, str]]:
    """(start, word) of every place in text[start:end] where a date mention can start: one scan, shared by the
    date finder and the document-year count."""
    end = len(text) if end is None else end
    return [(t.start(), t.group()) for t in _TRIGGER_RE.finditer(text, start, end)]


_RECURRING_BEFORE = _compile(r"(?<![A-Za-z])(?i:each|every)\s+\Z")  # "each Thursday", "every July": a recurrence


def _iter_mentions(text: str, anchor: dt.date | None, default_year: int | None, start: int, end: int,
                   triggers: list[tuple[int, str]] | None = None) -> Iterator[tuple[str, DateMention]]:
    """Yield (alternative name, DateMention) for every resolvable match in text[start:end] (triggers: the
    date_triggers of that same stretch, when already scanned)."""
    last_end = start
    match = _DATE_RE.match
    heads: list[int] | None = None
    if triggers is None:
        triggers = date_triggers(text, start, end)
    for pos, word in triggers:
        if pos < last_end:
            continue
        if word in _FUNCTION_TRIGGERS:
            if heads is None:
                heads = _head_positions(text, start, end)
            i = bisect.bisect_right(heads, pos)
            if i == len(heads) or heads[i] > pos + _HEAD_REACH:
                continue
        m = match(text, pos, end)
        if m is None:
            continue
        kind = m.lastgroup
        if kind is None:  # every alternative of the date pattern is a named group
            continue
        try:
            mention = _RESOLVERS[kind](m, text, anchor, default_year)
        except (ValueError, OverflowError, KeyError, IndexError):
            continue  # out-of-range calendar arithmetic (anchor near year 1 or 9999), odd tokens
        if mention and mention.start >= last_end and not _in_url(text, mention.start) \
                and not _RECURRING_BEFORE.search(text, max(0, mention.start - 8), mention.start):
            last_end = max(m.end(), mention.end)
            yield kind, mention


# ---------------------------------------------------------------------------------------------
# Public API


def find_dates(text: str, anchor: dt.date | None = None, default_year: int | None = None,
               start: int = 0, end: int | None = None,
               triggers: list[tuple[int, str]] | None = None) -> list[DateMention]:
    """Date mentions in text[start:end], sorted, non-overlapping, with absolute offsets (triggers: the
    date_triggers of exactly that stretch, when the caller has them)."""
    start, end, _ = slice(start, end).indices(len(text))
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    if start >= end:
        return []
    return [mention for _, mention in _iter_mentions(text, anchor, default_year, start, end, triggers)]


def parse_dateline(line: str) -> tuple[dt.date, int, int] | None:
    """(date, start, end) when the whole line is a dateline ('Monday, 19 March 2018'), else None."""
    m = _DATELINE_RE.fullmatch(line)
    if not m:
        return None
    trailer = m["trailer"]
    if trailer and len(trailer.split()) > 7:
        return None
    s, e = m.span("date")
    for _, mention in _iter_mentions(line, None, None, s, e):
        if mention.start == s and mention.end == e and mention.precision == "day" and mention.date \
                and not mention.relative:
            return mention.date, s, e
        break
    return None


_FULL_DATE_RE = _compile(rf"(?<![\w/.-])(?:{_DATE_DMY}|{_DATE_MDY}|{_DATE_ISO}|{_DATE_NUM})")


# the words a full date can start with (a weekday or a month, as _WD and _MON write them); else it starts at a digit
_FULL_DATE_STARTS = frozenset(
    f for w in (*MONTHS, *MONTH_ABBREVIATIONS, *WEEKDAYS, *WEEKDAY_ABBREVIATIONS) for f in (w.capitalize(), w.upper()))


def _full_dates(text: str, triggers: list[tuple[int, str]] | None) -> Iterator[re.Match[str]]:
    """_FULL_DATE_RE.finditer(text), tried only at the date triggers that can start one (a digit, a weekday or
    a month name) when the whole text's triggers are given: every full date starts at such a trigger."""
    if triggers is None:
        yield from _FULL_DATE_RE.finditer(text)
        return
    match = _FULL_DATE_RE.match
    last_end = 0
    for pos, word in triggers:
        if pos < last_end or not (word[0].isdigit() or word in _FULL_DATE_STARTS):
            continue
        m = match(text, pos)
        if m is not None:
            last_end = m.end()
            yield m


def full_date_years(text: str, triggers: list[tuple[int, str]] | None = None) -> collections.Counter[int]:
    """How often each year appears in a full date with day, month and year ("16 June 2017", "2017-06-16"):
    one scan, for the year an undated document speaks from (triggers: the whole text's date_triggers)."""
    counts: collections.Counter[int] = collections.Counter()
    for m in _full_dates(text, triggers):
        if _in_url(text, m.start()):
            continue
        years = _YEAR_FIND.findall(m.group())
        if years:
            counts[int(years[-1])] += 1
    return counts


def year_counts(text: str) -> collections.Counter[int]:
    """How often each explicit year (1900-2099) appears in a full or month-precision date."""
    counts: collections.Counter[int] = collections.Counter()
    for kind, mention in _iter_mentions(text, None, None, 0, len(text)):
        if kind in _ABSOLUTE_WITH_YEAR and not mention.relative:
            for y in set(_YEAR_FIND.findall(mention.text)):
                counts[int(y)] += 1
    return counts
