"""Dates of events across sources: conflicts and repeats at any precision, through the real pipeline."""

import datetime as dt

from test_match import flags_for

from factcheck.match.dates import dates_agree
from factcheck.match.eventwords import event_of
from factcheck.match.records import ClaimRecord


def date_flags(tmp_path, capsys, db_url, docs: dict[str, str]) -> list[dict]:
    """Ingest the documents (name -> text) and return the conflict and repeat flags that hold a date."""
    return [f for f in flags_for(tmp_path, capsys, db_url, docs) if f["type"] in ("conflict", "repeat")
            and any(m["kind"] == "date" for m in f["members"])]


def page(title: str, day: str, body: str) -> str:
    """A dated news page."""
    return f"{title}\n\nPublished {day}\n\n{body}\n"


BLAZE_A = page("Warehouse fire", "14 March 2024",
               "The fire at the Corran Road warehouse in Dunmere started on Tuesday 12 March, the Brackley fire "
               "service said. Crews from Dunmere and Ashby fought the blaze overnight.")
BLAZE_B = page("Dunmere blaze", "14 March 2024",
               "The fire at the Corran Road warehouse in Dunmere started on Wednesday 13 March, according to the "
               "Brackley fire service. Crews from Ashby and Dunmere were still at the scene.")


def test_event_date_given_as_weekday_and_day_conflicts(tmp_path, capsys, db_url):
    flags = date_flags(tmp_path, capsys, db_url, {"a.txt": BLAZE_A, "b.txt": BLAZE_B})
    (flag,) = flags
    assert flag["type"] == "conflict"
    assert {m["date"] for m in flag["members"] if m["role"] == "value"} == {"2024-03-12", "2024-03-13"}
    assert flag["details"]["precision"] == "day" and flag["details"]["event"].startswith("started")


def test_month_and_day_of_one_event_agree_as_a_repeat(tmp_path, capsys, db_url):
    a = page("Library news", "2 May 2023", "The Halvern Road library in Tolsey reopened on 12 March 2023 after "
             "the Pellam council repaired its roof, the Tolsey Trust said.")
    b = page("Tolsey notes", "20 May 2023", "Pellam council staff said the Halvern Road library in Tolsey "
             "reopened in March 2023 once its roof was repaired by the Tolsey Trust.")
    (flag,) = date_flags(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b})
    assert flag["type"] == "repeat"
    assert flag["details"]["precision"] == "month"
    assert flag["details"]["dates"] == ["2023-03-01", "2023-03-12"]
    assert "2 sources" in flag["summary"]


def test_month_against_another_month_conflicts(tmp_path, capsys, db_url):
    a = page("Library news", "2 May 2023", "The Halvern Road library in Tolsey reopened in March 2023 after "
             "the Pellam council repaired its roof, the Tolsey Trust said.")
    b = page("Tolsey notes", "20 May 2023", "Pellam council staff said the Halvern Road library in Tolsey "
             "reopened in April 2023 once its roof was repaired by the Tolsey Trust.")
    (flag,) = date_flags(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b})
    assert flag["type"] == "conflict" and flag["details"]["precision"] == "month"
    assert "March 2023 vs April 2023" == flag["summary"]


def test_two_events_of_one_story_do_not_conflict(tmp_path, capsys, db_url):
    a = page("Care home report", "17 June 2022", "The Quenby Care Trust report on the Marlow House home was "
             "published on 16 June 2022 by the Ardent Inspectorate.")
    b = page("Marlow House", "18 June 2022", "The Ardent Inspectorate inspection of the Marlow House home run "
             "by the Quenby Care Trust took place on 3 May 2022.")
    assert [f for f in date_flags(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}) if f["type"] == "conflict"] == []


def test_relative_dates_are_resolved_against_each_page(tmp_path, capsys, db_url):
    a = page("Bridge reopens", "9 October 2021", "The Ellick Bridge over the Tarn in Widmore reopened "
             "yesterday after repairs by the Norrow county council.")
    b = page("Widmore news", "8 October 2021", "The Ellick Bridge over the Tarn in Widmore reopened today "
             "after repairs by the Norrow county council, engineers said.")
    (flag,) = date_flags(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b})
    assert flag["type"] == "repeat"  # 'yesterday' on 9 October and 'today' on 8 October are one day
    assert flag["details"]["dates"] == ["2021-10-08"]
    assert "8 October 2021 ('yesterday')" in flag["explanation"]
    assert any(m["role"] == "anchor" for m in flag["members"])


def test_relative_date_against_an_absolute_one_conflicts(tmp_path, capsys, db_url):
    a = page("Bridge reopens", "9 October 2021", "The Ellick Bridge over the Tarn in Widmore reopened "
             "yesterday after repairs by the Norrow county council.")
    b = page("Widmore news", "12 October 2021", "The Ellick Bridge over the Tarn in Widmore reopened on "
             "6 October 2021 after repairs by the Norrow county council, engineers said.")
    (flag,) = date_flags(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b})
    assert flag["type"] == "conflict"
    assert flag["details"]["dates"] == ["2021-10-06", "2021-10-08"]


def rec(date, precision, end=None):
    """A bare date record."""
    return ClaimRecord(id=1, source_id=1, source="x", kind="date", text="", excerpt="", date=date,
                       date_end=end, date_precision=precision)


def test_dates_compare_at_the_coarser_precision():
    day, month = rec(dt.date(2019, 3, 12), "day"), rec(dt.date(2019, 3, 1), "month", dt.date(2019, 3, 31))
    assert dates_agree(day, month)
    assert not dates_agree(day, rec(dt.date(2019, 3, 13), "day"))
    assert not dates_agree(month, rec(dt.date(2019, 4, 1), "month", dt.date(2019, 4, 30)))
    assert not dates_agree(rec(dt.date(2019, 1, 1), "year"), rec(dt.date(2018, 1, 1), "year"))
    assert dates_agree(day, rec(dt.date(2019, 3, 10), "range", dt.date(2019, 3, 15)))


def test_event_heads_are_read_generally():
    assert event_of("The inspection took place on 3 May.", "3 May").head == event_of(
        "Inspectors visited the home on 3 May.", "3 May").head  # light verb skipped; synonym class
    assert event_of("The report was published on 16 June.", "16 June").head != event_of(
        "The inspection took place on 3 May.", "3 May").head
    assert event_of("Obama won the 2012 election.", "2012") is None  # names which election, not when
    assert event_of("The law must be passed by June.", "June") is None  # a deadline, not the event's date
    assert event_of("The council will vote on Monday.", "Monday").irrealis
