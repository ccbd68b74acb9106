"""The citations appendix as a reader reads it (issue 17): values in words, one set of quotation marks, only the
cited sources, a resolution that agrees with its marked statement, explanations as sentences, a timeline per date
flag (SVG in HTML, text in Markdown), ClaimReview urls and claimants; and a plain text's headline as its title."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
import reviewdata

from factcheck import decisions
from factcheck.cli import main
from factcheck.db import make_engine
from factcheck.export import export
from factcheck.export.data import ExportFilter
from factcheck.ingest.metadata import headline
from factcheck.labels import date_words, quantity_words
from factcheck.timeline import timeline_of, timeline_text

D = dt.date
PAGE_A = ("Lorton Courier\n\n16 June 2017\n\nLorton fire report\n\nThe Lorton fire report was published yesterday, "
          "the brigade said. More than 120 firefighters attended.\n")
PAGE_B = ("Brigade news\n\n19 June 2017\n\nThe Lorton fire report was published today by the brigade. "
          "Around 80 firefighters <b>attended</b>, it said.\n")
PAGE_C = "Notes\n\n20 June 2017\n\nThe brigade's “report” said: “We sent up to 90 engines & more.”\n"
PAGE_D = "Unrelated\n\n1 May 2017\n\nThe depot spent £6m on 12 new engines.\n"
S_A1 = "The Lorton fire report was published yesterday, the brigade said."
S_A2 = "More than 120 firefighters attended."
S_B1 = "The Lorton fire report was published today by the brigade."
S_B2 = "Around 80 firefighters <b>attended</b>, it said."
S_C = "The brigade's “report” said: “We sent up to 90 engines & more.”"
S_D = "The depot spent £6m on 12 new engines."

SPEC = {
    "entities": {"chief": {"name": "Ann <Chief> Lee", "kind": "person", "role": "chief fire officer"}},
    "sources": [
        {"path": "courier.txt", "title": "Lorton fire report <out>", "published": D(2017, 6, 16), "text": PAGE_A,
         "sections": [(None, D(2017, 6, 16), None)],
         "claims": [
             {"key": "a_date", "kind": "date", "find": "yesterday", "excerpt": S_A1, "date": D(2017, 6, 15),
              "date_precision": "day", "relative": True, "relative_to": D(2017, 6, 16), "subject": "published"},
             {"key": "a_fire", "kind": "quantity", "find": "More than 120 firefighters", "excerpt": S_A2,
              "value": 120, "low": 120, "unit": "firefighters", "qualifier": "at_least", "speaker": "chief"}]},
        {"path": "brigade.txt", "title": "Brigade news", "published": D(2017, 6, 19), "text": PAGE_B,
         "sections": [(None, D(2017, 6, 19), None)],
         "claims": [
             {"key": "b_date", "kind": "date", "find": "today", "excerpt": S_B1, "date": D(2017, 6, 19),
              "date_precision": "day", "relative": True, "relative_to": D(2017, 6, 19), "subject": "published"},
             {"key": "b_fire", "kind": "quantity", "find": "Around 80 firefighters", "excerpt": S_B2, "value": 80,
              "unit": "firefighters", "qualifier": "approx"}]},
        {"path": "notes.txt", "title": "Notes", "published": D(2017, 6, 20), "text": PAGE_C,
         "sections": [(None, D(2017, 6, 20), None)],
         "claims": [{"key": "c_quote", "kind": "quote", "find": "We sent up to 90 engines & more.",
                     "excerpt": S_C, "speaker": "chief"}]},
        {"path": "depot.txt", "title": "Depot spending", "published": D(2017, 5, 1), "text": PAGE_D,
         "sections": [(None, D(2017, 5, 1), None)],
         "claims": [{"key": "d_money", "kind": "quantity", "find": "£6m", "excerpt": S_D, "value": 6_000_000,
                     "unit": "GBP", "details": {"unit_normalised": "pound sterling", "unit_kind": "currency"}}]},
    ],
    "flags": [
        {"type": "conflict", "subject": "date the fire report was published (lorton, brigade)", "score": 1.0,
         "summary": "15 June 2017 vs 19 June 2017",
         "explanation": "Sources date the same event differently: 15 June 2017 ('yesterday') in courier.txt; "
                        "19 June 2017 ('today') in brigade.txt.",
         "details": {"dates": ["2017-06-15", "2017-06-19"], "event": "published", "precision": "day"},
         "members": [("a_date", "value"), ("b_date", "value")]},
        {"type": "conflict", "subject": "firefighters (lorton)", "score": 0.9,
         "summary": "More than 120 firefighters (courier.txt) vs Around 80 firefighters (brigade.txt)",
         "explanation": "2 statements give firefighters for firefighters (lorton); at_least 120 (courier.txt) and "
                        "approx 80 (brigade.txt) cannot both hold.",
         "details": {"dated_differently": False, "statements": 2},
         "members": [("a_fire", "value"), ("b_fire", "value")]},
        {"type": "repeat", "subject": "engines", "score": 0.5, "summary": "engines twice",
         "explanation": "The same figure appears in depot.txt.", "details": {},
         "members": [("d_money", "statement"), ("d_money", "statement")]},
    ],
}


@pytest.fixture
def fire_db(tmp_path, monkeypatch):
    """A small database of four sources, two conflicts (a date, a figure) and a repeat; the ids."""
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    url = str(tmp_path / "claims.db")
    ids = reviewdata.build(url, SPEC)
    return url, ids


def run(db: str, *args: str, capsys) -> str:
    """What `factcheck export ARGS` prints."""
    assert main(["--db", db, "export", *args]) == 0
    return capsys.readouterr().out


# ---------------------------------------------------------------- values in words


@pytest.mark.parametrize("claim, words", [
    ({"text": "at least 80 homes", "value": 80, "unit": "homes", "qualifier": "at_least"}, "at least 80 homes"),
    ({"text": "80 or more homes", "value": 80, "unit": "homes", "qualifier": "at_least"}, "at least 80 homes"),
    ({"text": "Around 70 staff", "value": 70, "unit": "staff", "qualifier": "approx"}, "around 70 staff"),
    ({"text": "some seventy staff", "value": 70, "unit": "staff", "qualifier": "approx"}, "some 70 staff"),
    ({"text": "70-ish staff", "value": 70, "unit": "staff", "qualifier": "approx"}, "about 70 staff"),
    ({"text": "up to 80", "value": 80, "qualifier": "at_most"}, "up to 80"),
    ({"text": "£6m", "value": 6e6, "unit": "GBP", "details": {"unit_kind": "currency"}}, "£6m"),
    ({"text": "$3.2 billion", "value": 3.2e9, "unit": "USD", "details": {"unit_kind": "currency"}}, "$3.2bn"),
    ({"text": "£6,250", "value": 6250, "unit": "GBP", "details": {"unit_kind": "currency"}}, "£6,250"),
    ({"text": "25 per cent", "value": 25, "unit": "%", "unit_normalised": "percent"}, "25%"),
    ({"text": "12 km", "value": 12, "unit": "km", "unit_normalised": "kilometre"}, "12 km"),
    ({"text": "90-100 cases", "value": None, "low": 90, "high": 100, "unit": "cases"}, "90–100 cases"),
])
def test_quantities_read_as_a_reader_writes_them(claim, words):
    assert quantity_words({"kind": "quantity", **claim}) == words


def test_relative_dates_say_the_page_date_they_were_read_against():
    yesterday = {"kind": "date", "text": "yesterday", "date": "2017-06-15", "date_precision": "day",
                 "relative": True, "relative_to": "2017-06-16"}
    assert date_words(yesterday) == "yesterday (15 June 2017, from the page's date 16 June 2017)"
    today = {**yesterday, "text": "earlier today", "date": "2017-06-16"}
    assert date_words(today) == "earlier today (16 June 2017, the page's date)"
    assert date_words({"kind": "date", "date": "2017-06-01", "date_precision": "month"}) == "June 2017"


def test_appendix_has_no_internal_labels(fire_db, capsys):
    db, _ = fire_db
    for fmt in ("markdown", "html"):
        out = run(db, "--format", fmt, "--status", "all", capsys=capsys)
        for label in ("at_least", "approx", "at_most", "relative to", "GBP"):
            assert label not in out, (fmt, label)
        assert "more than 120 firefighters" in out and "around 80 firefighters" in out and "£6m" in out
        assert "yesterday (15 June 2017, from the page&#x27;s date 16 June 2017)" in out or \
            "yesterday (15 June 2017, from the page's date 16 June 2017)" in out
        assert "today (19 June 2017, the page" in out


def test_an_excerpt_with_its_own_quotation_marks_is_not_quoted_again(fire_db, capsys):
    db, _ = fire_db
    md = run(db, "--format", "markdown", "--status", "all", capsys=capsys)
    line = next(x for x in md.splitlines() if "We sent up to 90" in x)
    assert "““" not in line and "”””" not in line and "“The brigade" not in line
    assert "‘The brigade's “report” said" in line  # double marks inside: single ones around
    html = run(db, "--format", "html", "--status", "all", capsys=capsys)
    assert "““" not in html and "“The depot spent" in html


# ---------------------------------------------------------------- references, resolutions, explanations


def test_reference_list_holds_only_cited_sources(fire_db, capsys):
    db, _ = fire_db
    md = run(db, "--format", "markdown", capsys=capsys)  # no reviewed claims: only the two conflicts cite
    refs = md.split("## Sources")[1].split("## Claims")[0]
    assert "courier.txt" in refs and "brigade.txt" in refs
    assert "depot.txt" not in refs and "notes.txt" not in refs  # cited only by a repeat, which is not listed
    md = run(db, "--format", "markdown", "--status", "all", "--source", "notes", capsys=capsys)
    refs = md.split("## Sources")[1].split("## Claims")[0]
    assert re.findall(r"`\[([^\]]+)\]`", refs) == ["notes.txt"]
    assert "## Contradictions and checks\n\nNo conflicting values" in md
    csl = json.loads(run(db, "--format", "csl-json", "--status", "all", capsys=capsys))
    assert len(csl) == 4  # the data formats cite what they hold


def test_resolution_and_marked_statement_agree(fire_db, capsys):
    db, ids = fire_db
    engine = make_engine(db)
    date_flag = ids["flags"][0]
    decisions.decide_flag(engine, date_flag, status="confirmed", correct_claim_id=ids["b_date"], reviewer="ann")
    md = run(db, "--format", "markdown", capsys=capsys)
    block = md.split("### 1.")[1].split("### 2.")[0]
    assert "**Resolution:** Confirmed (by ann" in block and block.count("✔ marked right") == 1
    assert "is marked as the right one" in block
    decisions.decide_claim(engine, ids["b_date"], status="false", reviewer="bob")
    block = run(db, "--format", "markdown", capsys=capsys).split("### 1.")[1].split("### 2.")[0]
    assert "Its own verdict is “False”" in block  # said, not hidden
    decisions.decide_flag(engine, date_flag, status="dismissed", reviewer="ann")  # the marked claim stays stored
    for fmt in ("markdown", "html"):
        out = run(db, "--format", fmt, capsys=capsys)
        block = out.split("Conflicting values", 1)[1].split("Conflicting values", 1)[0]
        assert "Dismissed" in block and "marked right" not in block and "right one" not in block
        assert "Judged not to be a real conflict" in block


def test_explanations_are_sentences_with_reference_numbers(fire_db, capsys):
    db, _ = fire_db
    md = run(db, "--format", "markdown", capsys=capsys)
    refs = dict((p, n) for n, p in re.findall(r"^(\d+)\. .*`\[([^\]]+)\]`$", md, flags=re.M))
    part = md.split("## Contradictions and checks")[1]
    assert "### 1. Conflicting values: date the fire report was published\n" in part  # no "(lorton, brigade)"
    assert (f"\\[{refs['courier.txt']}\\] says yesterday (15 June 2017, from the page's date 16 June 2017)"
            in part)
    assert "The statements share the words Lorton and brigade." in part
    assert "cannot all hold, even allowing for qualifiers and rounding" in part
    assert "courier.txt" not in part.replace("`courier.txt`", "")  # file names became reference numbers


# ---------------------------------------------------------------- the timeline


def test_timeline_data_and_text(fire_db):
    from factcheck.store import flag_detail

    db, ids = fire_db
    detail = flag_detail(make_engine(db), ids["flags"][0])
    tl = timeline_of(detail)
    assert tl is not None and [r.start for r in tl.rows] == [D(2017, 6, 15), D(2017, 6, 19)]
    assert [r.page_date for r in tl.rows] == [D(2017, 6, 16), D(2017, 6, 19)]
    assert all(r.conflicts for r in tl.rows) and tl.reference is None
    lines = timeline_text(tl, 60)
    assert all(len(x) <= 60 for x in lines) and len(lines) == 2 + len(tl.rows)
    assert "15 June" in lines[0] and "19 June" in lines[0]
    assert any(x.startswith("Lorton fire") and "✖" in x and "▲" in x for x in lines)
    assert "15 June 2017" in timeline_text(tl, 100)[0]
    assert timeline_of(flag_detail(make_engine(db), ids["flags"][1])) is None  # figures, no dates


def test_html_timeline_is_an_svg_with_one_mark_per_source_and_escaped_text(fire_db, capsys):
    db, ids = fire_db
    html = run(db, "--format", "html", capsys=capsys)
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(svgs) == 1  # the date conflict only
    root = ET.fromstring(svgs[0])  # well-formed XML: every text escaped
    ns = "{http://www.w3.org/2000/svg}"
    rows = root.findall(f"{ns}g")
    assert len(rows) == 2 and all(len(g.findall(".//*[@class='mark']")) == 1 for g in rows)
    assert all(len(g.findall(".//*[@class='page']")) == 1 for g in rows)
    texts = ["".join(t.itertext()) for t in root.iter(f"{ns}text")]
    assert any("Lorton fire report <out>" in t for t in texts)  # escaped in the file, read back as text
    assert "Lorton fire report &lt;out&gt;" in svgs[0] and "<script" not in svgs[0] and "href" not in svgs[0]
    colours = {g.find(".//*[@class='mark']").get("stroke") or g.find(".//*[@class='mark']").get("fill")
               for g in rows}
    assert len(colours) == 2  # the two differing dates in two colours
    md = run(db, "--format", "markdown", capsys=capsys)
    assert "```text\n" in md and "✖" in md.split("```text")[1].split("```")[0]


# ---------------------------------------------------------------- ClaimReview


def test_claimreview_urls_with_and_without_base_url_and_the_claimant(fire_db, capsys):
    db, ids = fire_db
    engine = make_engine(db)
    decisions.decide_claim(engine, ids["a_fire"], status="disputed", reviewer="ann")
    decisions.decide_claim(engine, ids["d_money"], status="supported", reviewer="ann")
    bare = json.loads(run(db, "--format", "claimreview", capsys=capsys))["@graph"]
    assert all("url" not in n and n["identifier"].startswith("claim:") for n in bare)
    based = json.loads(run(db, "--format", "claimreview", "--base-url", "https://example.org/fire/appendix.html",
                           capsys=capsys))["@graph"]
    urls = {n["identifier"]: n["url"] for n in based}
    assert urls[f"claim:{ids['a_fire']}"] == f"https://example.org/fire/appendix.html#claim-{ids['a_fire']}"
    fire = next(n for n in based if n["identifier"] == f"claim:{ids['a_fire']}")
    assert fire["itemReviewed"]["author"] == {"@type": "Person", "name": "Ann <Chief> Lee"}
    html = run(db, "--format", "html", capsys=capsys)
    assert f'id="claim-{ids["a_fire"]}"' in html  # the address points at something
    with pytest.raises(SystemExit) as stop:
        main(["--db", db, "export", "--format", "claimreview", "--base-url", "javascript:alert(1)"])
    assert stop.value.code == 2 and "--base-url" in capsys.readouterr().err


def test_claimreview_appearance_url_from_metadata():
    from factcheck.export import claimreview

    claim = {"id": 3, "kind": "quantity", "text": "12", "excerpt": "It was 12.", "status": "supported",
             "speaker": "Ann Lee", "speaker_kind": "person", "details": {"speaker_from": "source"},
             "section": 1, "paragraph": 1, "line": 1, "source_id": 1}
    node = claimreview.review(claim, {"path": "a.txt", "title": "A", "url": "https://example.org/a"},
                              "2024-01-01", "https://example.org/app.html#top")
    assert node["url"] == "https://example.org/app.html#claim-3"
    assert node["itemReviewed"]["appearance"]["url"] == "https://example.org/a"
    assert node["itemReviewed"]["author"] == {"@type": "Person", "name": "Ann Lee"}  # no byline: the speaker


def test_export_api_takes_the_base_url(fire_db):
    db, ids = fire_db
    decisions.decide_claim(make_engine(db), ids["b_fire"], status="false", reviewer="ann")
    doc = json.loads(export(make_engine(db), "claimreview", ExportFilter(base_url="https://example.org/x")))
    assert doc["@graph"][0]["url"] == f"https://example.org/x#claim-{ids['b_fire']}"


# ---------------------------------------------------------------- a plain text's headline


def no_dateline(line: str) -> bool:
    """Nothing is a dateline (the tests give none)."""
    return False


def test_a_site_banner_before_the_headline_is_not_the_title():
    text = ("Westford Daily Wire\n\nHarbour bridge closed after crack found in main span\n\n"
            "The harbour bridge was closed on Monday after engineers found a crack in its main span. "
            "The bridge carries 40,000 cars a day; engineers said the crack in the span was 2 metres long. "
            "The harbour authority said the bridge would stay closed while the span is inspected.\n")
    assert headline(text, no_dateline) == "Harbour bridge closed after crack found in main span"


def test_a_banner_repeated_at_the_top_is_skipped():
    text = ("Posts tagged with Rivers. Show all\nPosts tagged with Rivers. Show all\n\n"
            "Flooding on the Avon reaches record height\n\nThe Avon flooding reached a record height.\n")
    assert headline(text, no_dateline) == "Flooding on the Avon reaches record height"


def test_the_first_line_stays_the_title_when_it_is_the_headline():
    text = ("Council approves new library for Kelby\n\nLibrary opens next year\n\n"
            "The council approved the new library for Kelby on Tuesday. The library will open next year.\n")
    assert headline(text, no_dateline) == "Council approves new library for Kelby"


def test_metadata_title_still_wins_over_the_headline(tmp_path, db_url, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    body = ("Westford Daily Wire\n\nHarbour bridge closed after crack found in main span\n\n"
            "The harbour bridge was closed after engineers found a crack in the main span of the bridge.\n")
    (docs / "a.txt").write_text(body, encoding="utf-8")
    (docs / "b.md").write_text("---\ntitle: Given title\n---\n" + body, encoding="utf-8")
    assert main(["--db", db_url, "ingest", str(docs)]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "sources", "--json"]) == 0
    titles = {s["source"]: s["title"] for s in json.loads(capsys.readouterr().out)}
    assert titles == {"a.txt": "Harbour bridge closed after crack found in main span", "b.md": "Given title"}
