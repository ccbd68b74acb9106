"""Quotes told again across outlets: the quoted words of reported speech, quote marks and letters normalised,
short fragments and one-letter variants; with the stock phrases that must not link."""

from factcheck.db import make_engine
from factcheck.match.quotes import words
from factcheck.match.store import load_records
from tests.test_match import flags_for


def linked(flags: list[dict], *sources: str) -> bool:
    """Whether one quote flag holds a member of every given source."""
    return any({m["source"] for m in f["members"]} >= set(sources) for f in flags
               if f["type"] in ("repeat", "quote_variant"))


def test_words_ignore_quote_marks_at_word_edges_and_accents():
    assert words("''Café Rouge for ever''") == words("“Cafe Rouge for ever”") == ["cafe", "rouge", "for", "ever"]
    assert words("‘subsidium’ don’t the mayor‘s") == ["subsidium", "don't", "the", "mayor's"]


def test_quoted_words_naming_something_are_loaded_for_matching(tmp_path, capsys, db_url):
    doc = ("Ferry\n\nPublished 4 May 2021\n\nThe mayor called the closure “a betrayal of every family on the "
           "north shore” at the meeting.\n")
    flags_for(tmp_path, capsys, db_url, {"a.txt": doc})
    (attribution,) = [r for r in load_records(make_engine(db_url)) if r.kind == "attribution"]
    assert attribution.details["quote_text"] == "a betrayal of every family on the north shore"


def test_quoted_words_in_reported_speech_link_to_the_quote_they_come_from(tmp_path, capsys, db_url):
    a = ("Depot closure\n\nPublished 4 May 2021\n\nThe union leader, Maya Brenner, vowed to stop what she calls "
         "“the quiet sell-off of the bus depots,” and promised a ballot on strike action over the depot closures.\n")
    b = ("Bus depots\n\nPublished 4 May 2021\n\nBrenner told the depot workers: “This is the quiet sell-off of the "
         "bus depots and we will fight it in every depot.” The strike ballot over the depot closures opens on "
         "Monday.\n")
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b})
    (flag,) = [f for f in flags if f["type"] == "quote_variant"]
    assert "quoted in part" in flag["summary"] and [m["source"] for m in flag["members"]] == ["a.txt", "b.txt"]


def test_a_name_quoted_by_one_outlet_links_to_the_same_name_quoted_in_reported_speech(tmp_path, capsys, db_url):
    a = ("Bakery\n\nPublished 4 May 2021\n\nThe council asked the owners to rename the shop, which they call "
         "“The Flour of Tarnfield Bay” on every sign, before the licence is renewed.\n")
    b = ("Tarnfield bakery\n\nPublished 4 May 2021\n\nThe owners said the name would stay. The sign reads "
         "“The Flour of Tarnfield Bay.” The licence for the bakery runs out in June.\n")
    assert linked(flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}), "a.txt", "b.txt")


def test_a_short_quote_that_opens_a_longer_one_is_linked_whichever_is_read_first(tmp_path, capsys, db_url):
    a = "Ferry\n\nPublished 4 May 2021\n\nThe skipper, Ola Brandt, said: “We are only here for the lifeboat trials.”\n"
    b = ("Ferry trials\n\nPublished 4 May 2021\n\nBrandt told the harbour office: “we are only here for the lifeboat "
         "trials... we are only guests.” The lifeboat trials end on Friday.\n")
    for short, long_ in (("a.txt", "b.txt"), ("b.txt", "a.txt")):  # file order decides which is indexed first
        folder = tmp_path / short
        folder.mkdir()
        flags = flags_for(folder, capsys, str(folder / "claims.db"), {short: a, long_: b})
        assert linked(flags, "a.txt", "b.txt")


def test_a_stock_phrase_in_reported_speech_of_unrelated_stories_is_not_a_link(tmp_path, capsys, db_url):
    a = ("School meals\n\nPublished 1 June 2020\n\nThe head teacher, Ruth Amos, said what matters “at the end of "
         "the day” is that every pupil in Marlow is fed before lessons start.\n")
    b = ("Cricket final\n\nPublished 9 August 2023\n\nThe captain, Dev Sood, admitted that “at the end of the day” "
         "the Harrowby bowlers simply outplayed his side on a dry pitch.\n")
    assert not linked(flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}), "a.txt", "b.txt")


def test_a_short_plain_fragment_of_one_story_links_when_no_other_source_quotes_it(tmp_path, capsys, db_url):
    a = ("Harbour row\n\nPublished 4 May 2021\n\nThe harbour master, Elin Voss, shouted: “Tell me where you were "
         "... I want to know where you were.” The harbour row went on into the night.\n")
    b = ("Harbour night\n\nPublished 4 May 2021\n\nVoss asked the crew: “tell me where you were,” and the harbour "
         "row went on into the night.\n")
    (flag,) = [f for f in flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}) if f["type"] == "quote_variant"]
    assert "tell me where you were" in flag["summary"] and {m["source"] for m in flag["members"]} == {"a.txt", "b.txt"}


def test_a_plain_phrase_that_many_sources_quote_is_not_a_link(tmp_path, capsys, db_url):
    places = ["Holloway", "Tarnfield", "Penmarric", "Wexley"]
    story = ("Row at {0}\n\nPublished 4 May 2021\n\nAt the {0} quay the skipper said: “Tell me where you were.” "
             "The {0} crew laughed.\n")
    docs = {f"{n}.txt": story.format(place) for n, place in zip("abcd", places, strict=True)}
    docs["e.txt"] = ("Harbour row\n\nPublished 4 May 2021\n\nThe harbour master, Elin Voss, said: “Tell me where you "
                     "were last night when the storm broke over the pier.”\n")
    flags = flags_for(tmp_path, capsys, db_url, docs)
    assert not any(linked(flags, f"{n}.txt", "e.txt") for n in "abcd")


def test_a_fragment_one_letter_apart_from_another_outlets_is_a_variant(tmp_path, capsys, db_url):
    a = ("Pier\n\nPublished 4 May 2021\n\nThe engineer, Marta Lind, said: “I was worried about the rotten "
         "timbers,” and added: “the pier will need a year of repairs before it opens again.”\n")
    b = ("Pier repairs\n\nPublished 4 May 2021\n\nLind said: “I was worried about the rotten timber,” and the "
         "pier will need a year of repairs.\n")
    (flag,) = [f for f in flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}) if f["type"] == "quote_variant"]
    shown = flag["summary"].split(": ", 1)[1]
    assert shown in ("'rotten timbers' vs 'rotten timber'", "'rotten timber' vs 'rotten timbers'")


def test_fragments_a_digit_or_a_word_apart_are_not_variants(tmp_path, capsys, db_url):
    a = ("Pier\n\nPublished 4 May 2021\n\nThe engineer, Marta Lind, said “the pier reopens in spring 2023” and "
         "the pier repairs go on.\n")
    b = "Pier repairs\n\nPublished 4 May 2021\n\nLind said “the pier reopens in spring 2024” as pier repairs go on.\n"
    c = "Pier works\n\nPublished 4 May 2021\n\nLind said “the pier reopens in autumn 2023” while pier repairs go on.\n"
    flags = flags_for(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b, "c.txt": c})
    assert not [f for f in flags if f["type"] == "quote_variant"]
