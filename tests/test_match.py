"""Matching across documents: conflicts, repeats, quote variants and aliases, positive and negative cases."""

import json

import pytest

from factcheck.cli import main
from factcheck.match.records import ClaimRecord
from factcheck.match.values import interval


def flags_for(tmp_path, capsys, db_url, docs: dict[str, str], type_=None):
    """Ingest the given documents (name -> text) and return `flags --json`."""
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(folder)]) == 0
    capsys.readouterr()
    main(["--db", db_url, "flags", "--json"] + (["--type", type_] if type_ else []))
    return json.loads(capsys.readouterr().out)


def rec(value=None, low=None, high=None, qualifier=None, unit="cases", **kw):
    """A bare quantity record for interval tests."""
    return ClaimRecord(id=1, source_id=1, source="x", kind="quantity", text="", excerpt="", value=value, low=low,
                       high=high, unit=unit, qualifier=qualifier, **kw)


@pytest.mark.parametrize("a, b, conflict", [
    (rec(80, high=80, qualifier="at_most"), rec(low=90, high=100), True),  # up to 80 vs 90-100
    (rec(70, qualifier="approx"), rec(70), False),  # around 70 vs 70
    (rec(467e6, unit="GBP"), rec(500e6, qualifier="approx", unit="GBP"), False),  # £467m vs almost £500m
    (rec(80, unit="%"), rec(8, unit="cases", details={"denominator": 10}), False),  # 80% vs eight out of 10
    (rec(62, unit="%"), rec(75, unit="%"), True),
    (rec(3000, low=3000, qualifier="at_least"), rec(2500), True),  # more than 3,000 vs 2,500
])
def test_intervals_respect_qualifiers_and_rounding(a, b, conflict):
    ia, ib = interval(a), interval(b)
    assert (ia[1] < ib[0] or ib[1] < ia[0]) == conflict


PRESS = ("Northshire Water press release\n\n3 March 2021 - Immediate Release\n\n"
         "Today the Northshire Water Regulator published its annual report on leaks in Kelby and Marston.\n")
NEWS = ("Water firm criticised\n\nPUBLISHED: 08:00 2 March 2021\n\n"
        "A report published yesterday by the Northshire Water Regulator found leaks in Kelby and Marston had risen.\n")
BLOG = ("Notes on the water report\n\nMonday, 1 March 2021\n\n"
        "The Northshire Water Regulator report on Kelby and Marston was published on 1 March 2021.\n")


def test_one_event_dated_three_ways_is_one_conflict_with_every_value(tmp_path, capsys, db_url):
    flags = flags_for(tmp_path, capsys, db_url, {"press.txt": PRESS, "news.txt": NEWS, "blog.txt": BLOG}, "conflict")
    assert len(flags) == 1
    dates = {m["date"] for m in flags[0]["members"] if m["role"] == "value"}
    assert dates == {"2021-03-03", "2021-03-01"}
    assert "2021" in flags[0]["summary"] and "published" in flags[0]["subject"]
    assert any(m["role"] == "anchor" for m in flags[0]["members"])  # the dateline a relative date was read against


def test_same_event_same_date_is_not_a_conflict(tmp_path, capsys, db_url):
    agree = BLOG.replace("1 March 2021.", "3 March 2021.").replace("Monday, 1 March", "Wednesday, 3 March")
    flags = flags_for(tmp_path, capsys, db_url, {"press.txt": PRESS, "blog.txt": agree}, "conflict")
    assert flags == []


def test_different_events_are_not_merged(tmp_path, capsys, db_url):
    other = ("Council news\n\n5 March 2021 - Immediate Release\n\n"
             "Today the Dunmore Council published its budget for the Arden ward.\n")
    assert flags_for(tmp_path, capsys, db_url, {"press.txt": PRESS, "council.txt": other}, "conflict") == []


def test_same_figure_worded_alike_with_a_different_number_conflicts(tmp_path, capsys, db_url):
    a = "Kelby update\n\nThe Kelby depot employs 120 drivers across the Marston routes, the operator said.\n"
    b = "Marston news\n\nThe Kelby depot employs 95 drivers across the Marston routes, according to the union.\n"
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b})
    conflicts = [f for f in flags if f["type"] == "conflict"]
    assert len(conflicts) == 1
    assert {m["text"] for m in conflicts[0]["members"]} == {"120 drivers", "95 drivers"}


def test_different_measures_with_the_same_unit_do_not_conflict(tmp_path, capsys, db_url):
    a = "Kelby update\n\nThe Kelby depot employs 120 drivers on the Marston routes.\n"
    b = "Arden news\n\nAround 40 drivers went on strike in Arden last week over pay.\n"
    assert [f for f in flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}) if f["type"] == "conflict"] == []


def test_repeated_figure_counts_sources_and_marks_copies(tmp_path, capsys, db_url):
    sentence = "It is expected that up to 12 Kelby depot staff could be affected by the closure of the Marston office."
    a = f"Union blog\n\n{sentence}\n"
    b = f"Union evidence\n\nThe union wrote: the depot is closing. {sentence}\n"
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "repeat")
    assert len(flags) == 1
    f = flags[0]
    assert "up to 12" in f["summary"] and f["summary"].endswith("stated 2 times in 2 sources")
    assert sorted(m["role"] for m in f["members"]) == ["copy", "statement"]


def test_quote_variant_has_word_diff(tmp_path, capsys, db_url):
    a = ("Report out\n\nDame Helen Frost, the Chief Inspector, said: “To deliver well, every provider must employ "
         "enough skilled staff and make sure they can give their best to the public.”\n")
    b = ("Blog\n\nThe Chief Inspector said: “To deliver well, every provider must employ enough skilled staff and "
         "make sure they can give of their best to the public.”\n")
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "quote_variant")
    assert len(flags) == 1
    assert "give of their" in flags[0]["summary"]
    assert ["insert", "", "of"] in flags[0]["details"]["diff"]


def test_different_quotes_are_not_variants(tmp_path, capsys, db_url):
    a = "A\n\nJohn Reed said: “We will open the new Kelby depot in the spring and hire forty local drivers.”\n"
    b = "B\n\nJohn Reed said: “Nobody at the Marston office has been told anything about the closure plans.”\n"
    assert flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "quote_variant") == []


def test_aliases_transposed_acronym_and_hyphenation(tmp_path, capsys, db_url):
    a = "A\n\nMTC Novo runs 2 depots in Kelby. The Reducing Re-offending Partnership runs 3 more.\n"
    b = "B\n\nMCT Novo runs 2 depots in Kelby. The Reducing Reoffending Partnership runs 3 more.\n"
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "alias")
    variants = {tuple(sorted(f["details"]["variants"])) for f in flags}
    assert ("MCT Novo", "MTC Novo") in variants
    assert ("Reducing Re-offending Partnership", "Reducing Reoffending Partnership") in variants


def test_different_names_are_not_aliases(tmp_path, capsys, db_url):
    a = "A\n\nNorth Yorkshire has 2 depots and South Yorkshire has 3 depots. Marston Water runs them.\n"
    assert flags_for(tmp_path, capsys, db_url, {"a.txt": a}, "alias") == []


def test_seed_relations_are_flagged(capsys, seeded_db):
    main(["--db", seeded_db, "flags", "--json"])
    flags = json.loads(capsys.readouterr().out)
    date_conflicts = [f for f in flags if f["type"] == "conflict" and "published" in f["subject"]]
    assert len(date_conflicts) == 1
    assert {m["date"] for m in date_conflicts[0]["members"] if m["role"] == "value"} == {
        "2017-06-15", "2017-06-16", "2017-06-19"}
    variants = [f for f in flags if f["type"] == "quote_variant"]
    assert any("give of their" in f["summary"] for f in variants)
    repeats = [f for f in flags if f["type"] == "repeat"]
    assert any("up to 10 CRC staff" in f["summary"] for f in repeats)
    aliases = {tuple(sorted(f["details"]["variants"])) for f in flags if f["type"] == "alias"}
    assert ("MCT Novo", "MTC Novo") in aliases
    (arith,) = [f for f in flags if f["type"] == "arithmetic"]
    assert "Essex" in arith["summary"] and "41%" in arith["summary"]
    assert [f["type"] for f in flags][:2] == ["conflict", "quote_variant"]  # conflicts first, then variants


def test_decisions_on_flags_survive_a_rematch(capsys, db_url, seeds_dir):
    from sqlmodel import Session, select

    from factcheck.db import make_engine
    from factcheck.models import Flag

    main(["--db", db_url, "ingest", str(seeds_dir)])
    engine = make_engine(db_url)
    with Session(engine) as s:
        flag = s.exec(select(Flag).where(Flag.type == "quote_variant")).first()
        flag.status, flag.note = "confirmed", "checked both pages"
        s.add(flag)
        s.commit()
    capsys.readouterr()
    assert main(["--db", db_url, "match"]) == 0
    with Session(engine) as s:
        again = s.exec(select(Flag).where(Flag.type == "quote_variant")).first()
        assert (again.status, again.note) == ("confirmed", "checked both pages")


def test_a_fragment_quoted_in_part_by_another_outlet_is_linked(tmp_path, capsys, db_url):
    a = ("Harbour plan\n\nThe mayor, Ruth Okafor, said: “We will not let the old harbour rot while the city "
         "argues about who should pay for the sea wall.”\n")
    b = "Council row\n\nOkafor vowed not to let “the old harbour rot” and called the dispute shameful.\n"
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "quote_variant")
    assert len(flags) == 1 and flags[0]["details"]["partial"] is True
    assert "quoted in part" in flags[0]["summary"] and "the old harbour rot" in flags[0]["summary"]
    assert {m["source"] for m in flags[0]["members"]} == {"a.txt", "b.txt"}


def test_the_same_words_credited_to_two_speakers_stay_linked_and_say_so(tmp_path, capsys, db_url):
    quote = "“Every family on this estate deserves a warm and dry home before the winter comes.”"
    a = f"Estate\n\nHousing chief Priya Natarajan said: {quote}\n"
    b = f"Estate repairs\n\nCouncillor Tom Ellery said: {quote}\n"
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "repeat")
    (flag,) = [f for f in flags if f["subject"].startswith("statement by")]
    assert sorted(flag["details"]["speakers"]) == ["Councillor Tom Ellery", "Priya Natarajan"]
    assert "credited to" in flag["explanation"]
    assert flag["summary"] == "the same words stated 2 times in 2 sources"


def test_a_short_stock_phrase_in_two_quotes_is_not_a_link(tmp_path, capsys, db_url):
    a = "A\n\nJo Hart said: “It is what it is, and the depot closes in June.”\n"
    b = "B\n\nSam Lyle said: “It is what it is.”\n"
    assert flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "quote_variant") == []


def test_two_outlets_quoting_overlapping_parts_of_one_statement_are_linked(tmp_path, capsys, db_url):
    a = ("Ferry service\n\nPublished 3 March 2021\n\nThe harbour master, Elin Voss, said: “We have done "
         "everything we can for the island ferry, and the timetable for the summer will be published next week.”\n")
    b = ("Island ferry\n\nPublished 3 March 2021\n\nVoss told the island council: “The timetable for the summer "
         "will be published next week, once the repairs to the ferry are finished.”\n")
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "quote_variant")
    assert len(flags) == 1 and flags[0]["details"]["partial"] is True
    assert "overlapping parts" in flags[0]["summary"]
    assert "timetable for the summer will be published next week" in flags[0]["summary"]


def test_a_quote_inside_a_much_longer_one_is_linked_though_the_wordings_differ_a_lot(tmp_path, capsys, db_url):
    long_quote = ("“The bridge has carried traffic for ninety years. The inspection found cracks in every "
                  "pier and we cannot take the risk of keeping it open through the winter storms.”")
    a = f"Bridge\n\nThe county engineer, Marta Lind, said: {long_quote}\n"
    b = ("Bridge shut\n\nLind said: “we cannot take the risk of keeping it open through the winter storms.” "
         "Drivers face a long detour.\n")
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "quote_variant")
    assert len(flags) == 1 and "quoted in part" in flags[0]["summary"]


def test_a_stock_phrase_shared_by_unrelated_stories_is_not_a_link(tmp_path, capsys, db_url):
    a = ("School meals\n\nPublished 1 June 2020\n\nThe head teacher, Ruth Amos, said: “At the end of the day "
         "we want every pupil in Marlow fed before lessons start.”\n")
    b = ("Cricket final\n\nPublished 9 August 2023\n\nThe captain, Dev Sood, said: “At the end of the day the "
         "Harrowby bowlers simply outplayed us on a dry pitch.”\n")
    assert flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "quote_variant") == []


FLOOD_A = ("Flood repairs\n\nPublished 4 May 2022\n\nThe Tarnfield council will spend $4.2 million repairing the "
           "river embankment at Holloway Bridge after last week's flood, the mayor, Ines Corbett, said. "
           "Residents of Holloway Bridge said the water reached their doorsteps within an hour.\n")
FLOOD_B = ("Tarnfield counts the cost\n\nPublished 5 May 2022\n\nCorbett told residents that rebuilding the "
           "embankment would cost $4.2 million and take most of the summer. Engineers from Tarnfield inspected "
           "the Holloway Bridge defences on Tuesday.\n")
CHOIR = ("Choir tour\n\nPublished 9 November 2019\n\nThe Wexley Youth Choir raised $4.2 million for its new "
         "concert hall in Penmarric, its director, Olu Adebayo, said after the final performance of the tour.\n")


def test_one_event_reported_by_two_outlets_repeats_its_figure_in_other_words(tmp_path, capsys, db_url):
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": FLOOD_A, "b.txt": FLOOD_B}, "repeat")
    figure = [f for f in flags if "$4.2 million" in f["summary"]]
    assert len(figure) == 1 and {m["source"] for m in figure[0]["members"]} == {"a.txt", "b.txt"}


def test_the_same_figure_in_a_different_event_is_not_a_repeat(tmp_path, capsys, db_url):
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": FLOOD_A, "c.txt": CHOIR}, "repeat")
    assert not [f for f in flags if "$4.2 million" in f["summary"]]


def test_events_group_places_by_their_names_and_words():
    from factcheck.match.events import Topics, place_of

    def recs(source_id, text, day):
        import datetime as dt
        return [ClaimRecord(id=source_id * 100 + k, source_id=source_id, source=f"{source_id}.txt", kind="quantity",
                            text="", excerpt=s, section_id=source_id, section_date=dt.date(2022, 5, day))
                for k, s in enumerate(text.split(". "))]

    flood_a, flood_b, choir = recs(1, FLOOD_A, 4), recs(2, FLOOD_B, 5), recs(3, CHOIR, 9)
    many = [recs(10 + k, f"Story {k}. The Lowmoor {k} parish rang its bells for the {k}th fete", 20)
            for k in range(12)]
    topics = Topics(flood_a + flood_b + choir + [r for rs in many for r in rs])
    assert topics.related(place_of(flood_a[0]), place_of(flood_b[0]))
    assert not topics.related(place_of(flood_a[0]), place_of(choir[0]))


FIRE_A = ("Warehouse fire\n\nPublished 12 March 2024\n\nMore than 120 firefighters fought the blaze at the Corran "
          "Road warehouse in Dunmere overnight, the fire service said.\n")
FIRE_B = ("Dunmere blaze\n\nPublished 13 March 2024\n\nAround 80 firefighters tackled the fire at the Corran Road "
          "warehouse, which burned for hours.\n")
FIRE_C = ("Dunmere fire\n\nPublished 13 March 2024\n\nAbout 120 firefighters battled the warehouse fire on Corran "
          "Road, according to the fire service.\n")


def test_the_same_count_written_up_independently_with_another_value_conflicts(tmp_path, capsys, db_url):
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": FIRE_A, "b.txt": FIRE_B}, "conflict")
    assert len(flags) == 1 and "firefighters" in flags[0]["summary"]
    assert {m["source"] for m in flags[0]["members"]} == {"a.txt", "b.txt"}


def test_the_same_count_with_compatible_qualifiers_is_not_a_conflict(tmp_path, capsys, db_url):
    assert flags_for(tmp_path, capsys, db_url, {"a.txt": FIRE_A, "c.txt": FIRE_C}, "conflict") == []


def test_a_report_giving_two_values_of_one_kind_speaks_of_two_facts(tmp_path, capsys, db_url):
    both = ("Dunmere fires\n\nPublished 13 March 2024\n\nAround 80 firefighters tackled the Corran Road "
            "warehouse fire; 120 firefighters were on standby across the county.\n")
    assert flags_for(tmp_path, capsys, db_url, {"a.txt": FIRE_A, "b.txt": both}, "conflict") == []


def test_a_count_by_acronym_and_by_its_expansion_is_one_slot(tmp_path, capsys, db_url):
    a = ("Coast pilots\n\nPublished 2 May 2023\n\nThe Harbour Pilot Associations (HPAs) guide ships into the "
         "Selmouth estuary. There are 14 HPAs working the Selmouth coast this year, the port authority said.\n")
    b = ("Selmouth shipping\n\nPublished 3 May 2023\n\nOnly 11 associations now guide ships along the Selmouth "
         "coast, the port authority told the estuary committee.\n")
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}, "conflict")
    assert len(flags) == 1
    assert {m["text"] for m in flags[0]["members"]} == {"14 HPAs", "11 associations"}


def test_one_part_of_a_broken_quote_quoted_alone_elsewhere_is_linked(tmp_path, capsys, db_url):
    a = ("Ferry\n\nPublished 3 March 2021\n\n“The timetable will not change this winter,” said Elin Voss, the harbour "
         "master. “We have enough crews for every crossing until April.”\n")
    b = ("Island ferry\n\nPublished 3 March 2021\n\nVoss told councillors: “We have enough crews for every crossing "
         "until April.”\n")
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b})
    linked = [f for f in flags if f["type"] in ("repeat", "quote_variant")
              and {m["source"] for m in f["members"]} == {"a.txt", "b.txt"}]
    assert len(linked) == 1


def test_a_figure_restated_in_one_document_says_one_source(tmp_path, capsys, db_url):
    sentence = "Up to 12 Kelby depot staff could be affected by the closure of the Marston office."
    a = (f"Showing posts about the depot\n\nFriday, 3 May 2024\n\nThe closure\n\n{sentence}\n\n"
         f"Friday, 10 May 2024\n\nAn update\n\n{sentence}\n")  # a blog: two dated posts, one source
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a}, "repeat")
    assert [f["summary"].split(" stated ")[1] for f in flags] == ["2 times in 1 source"]
