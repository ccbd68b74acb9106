"""Standard formats: CSL-JSON (official schema + a real CSL processor), BibTeX (a standard parser) and ClaimReview.

tests/data/csl-data.json is the official CSL input-data JSON schema, copied verbatim from the
citation-style-language/schema repository (MIT licence), file schemas/input/csl-data.json at commit
00412663cee29f630e8a112abf751fce6c9c1748; its $id is
https://resource.citationstyles.org/schema/latest/input/json/csl-data.json.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from pathlib import Path

import pytest

from factcheck.cli import main
from factcheck.db import make_engine
from factcheck.decisions import decide_claim
from factcheck.export import bibtex, claimreview, csl
from factcheck.export.citations import CSL_TYPES, bibtex_key, csl_type, reference_text, title_of
from factcheck.export.data import ExportData, ExportFilter, load_export

SCHEMA = Path(__file__).parent / "data" / "csl-data.json"
HOSTILE_TITLE = '<script>alert(1)</script> & "quotes"'
HOSTILE_CLAIM = "=cmd|' /C calc'!A0"
SPECIAL_TITLE = "Costs & {cuts}: 50% of staff_budget ~ “curly” ‘quotes’ $5 #1 ^2 back\\slash — Über"
GENERATED = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


def source(path: str, **meta) -> dict:
    """A source dict shaped like load_export's (metadata given here, the rest defaulted)."""
    base = {"id": None, "path": path, "title": None, "author": None, "publisher": None, "outlet": None, "url": None,
            "published": None, "published_evidence": None, "accessed": "2024-02-20", "type": None, "format": "txt",
            "sha256": "0123456789abcdef" * 4, "sections": 1, "turns": 0}
    base.update(meta)
    return base


def export_data(sources: list[dict], claims: list[dict] = ()) -> ExportData:
    """ExportData for hand-made sources, numbered and keyed the way load_export does it."""
    taken: set[str] = set()
    out = []
    for n, s in enumerate(sources, 1):
        s = dict(s, id=s["id"] or n, number=n)
        s["csl_type"] = csl_type(s)
        s["key"] = bibtex_key(s, taken)
        s["reference"] = reference_text(s)
        out.append(s)
    return ExportData(out, list(claims), [], ExportFilter(), generated_at=GENERATED, total_claims=len(claims))


def claim(id_: int, source_id: int, text: str, *, kind: str = "quantity", status: str = "supported", **extra) -> dict:
    """A claim dict shaped like load_export's."""
    base = {"id": id_, "kind": kind, "source": "", "source_id": source_id, "text": text, "excerpt": f"It said {text}.",
            "status": status, "note": None, "quote_text": text if kind == "quote" else None, "speaker": None,
            "speaker_kind": None, "section": 1, "section_date": None, "paragraph": 3, "line": 7, "reviewer": None,
            "decided_at": None, "source_number": source_id}
    base.update(extra)
    return base


META_SOURCES = [
    source("news/guardian_probation.html", title="Probation service ‘in crisis’, says watchdog",
           author="Jane Smith; HM Inspectorate of Probation", outlet="The Guardian", publisher="Guardian News & Media",
           url="https://www.theguardian.com/society/2017/jun/16/probation?x=1&y=2%20#top", published="2017-06-16",
           type="article-newspaper", format="html"),
    source("reports/hmip_suffolk.pdf", title="An Inspection of Probation Services in Suffolk",
           author="HM Inspectorate of Probation", publisher="HM Inspectorate of Probation",
           url="https://www.justiceinspectorates.gov.uk/hmiprobation/suffolk.pdf", published="2017-06-29",
           format="pdf"),
    source("blog/napo_hq.html", title="Napo HQ Blog", author="Napo", outlet="Napo HQ Blog",
           url="https://napohq.blogspot.com/", published="2020-09-30", sections=5, format="html"),
    source("hearings/committee.txt", title="Justice Committee oral evidence: transforming rehabilitation",
           author="Dame Glenys Stacey and Ian Lawrence", published="2018-01-16", turns=40),
    source("misc/undated_note.txt", title=None, accessed="2024-02-21T09:30:00+00:00"),
    source("misc/special_chars_{x}.txt", title=SPECIAL_TITLE, author="Jan van der Berg Jr", published="2019-11-05",
           type="report", format="docx"),
    source("misc/hostile.txt", title=HOSTILE_TITLE, author="José Núñez", publisher="<b>Evil</b> & Co Ltd",
           outlet="Outlet {with} braces", url="https://example.org/a b{c}\\d", published="2021-02-03"),
]


@pytest.fixture(scope="module")
def meta_data() -> ExportData:
    """Sources with full metadata (every CSL type we produce, organisations, people, hostile text)."""
    return export_data(META_SOURCES)


@pytest.fixture
def seeded_all(seeded_db) -> ExportData:
    """The real seeded database, every claim (so every source is cited); read only."""
    return load_export(make_engine(seeded_db), ExportFilter(("all",)))


# ---------------------------------------------------------------- names


@pytest.mark.parametrize("name, expected", [
    ("Jane Smith", {"family": "Smith", "given": "Jane"}),
    ("Smith, Jane", {"family": "Smith", "given": "Jane"}),
    ("Dame Glenys Stacey", {"family": "Stacey", "given": "Glenys"}),
    ("Jan van der Berg Jr", {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der", "suffix": "Jr"}),
    ("José Núñez", {"family": "Núñez", "given": "José"}),
    ("HM Inspectorate of Probation", {"literal": "HM Inspectorate of Probation"}),
    ("Ministry of Justice", {"literal": "Ministry of Justice"}),
    ("Napo", {"literal": "Napo"}),
    ("NAPO", {"literal": "NAPO"}),
    ("HMPPS", {"literal": "HMPPS"}),
    ("Sodexo Justice Services Ltd", {"literal": "Sodexo Justice Services Ltd"}),
    ("Suffolk County Council", {"literal": "Suffolk County Council"}),
    ("BBC News", {"literal": "BBC News"}),
    ("The Guardian", {"literal": "The Guardian"}),
    ("Department for Education", {"literal": "Department for Education"}),
    ("University of Oxford", {"literal": "University of Oxford"}),
])
def test_csl_name_tells_people_from_organisations(name, expected):
    assert csl.csl_name(name) == expected


def test_split_names_on_semicolons_and_between_people_only():
    assert csl.split_names("Jane Smith; HM Inspectorate of Probation") == ["Jane Smith", "HM Inspectorate of Probation"]
    assert csl.split_names("Jane Smith and John Doe") == ["Jane Smith", "John Doe"]
    assert csl.split_names("Ministry of Justice and HMPPS") == ["Ministry of Justice and HMPPS"]
    assert csl.split_names(" ; ") == [] and csl.split_names(None) == []


# ---------------------------------------------------------------- CSL-JSON


def validate_csl(text: str) -> list:
    """Parse CSL-JSON and validate it against the vendored official schema; the items."""
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    items = json.loads(text)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(items), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    return items


def test_vendored_schema_is_the_official_csl_data_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://resource.citationstyles.org/schema/latest/input/json/csl-data.json"
    assert schema["items"]["additionalProperties"] is False  # so unknown fields would fail validation
    assert set(CSL_TYPES) <= set(schema["items"]["properties"]["type"]["enum"])  # every type we can give


def test_csl_json_of_the_seeded_database_is_valid(seeded_all):
    items = validate_csl(csl.render(seeded_all))
    assert [i["id"] for i in items] == [s["key"] for s in seeded_all.sources]
    assert len(items) == 5
    for item, src in zip(items, seeded_all.sources, strict=False):
        assert item["type"] == src["csl_type"] and item["title"] == title_of(src)
        assert src["path"] in item["note"] and src["sha256"] in item["note"]
        if src["published"]:
            y, m, d = (int(p) for p in src["published"].split("-"))
            assert item["issued"] == {"date-parts": [[y, m, d]]}
        else:
            assert "issued" not in item


def test_csl_json_with_metadata_is_valid_and_complete(meta_data):
    items = {i["id"]: i for i in validate_csl(csl.render(meta_data))}
    by_path = {s["path"]: items[s["key"]] for s in meta_data.sources}
    news = by_path["news/guardian_probation.html"]
    assert news["type"] == "article-newspaper"
    assert news["author"] == [{"family": "Smith", "given": "Jane"}, {"literal": "HM Inspectorate of Probation"}]
    assert news["container-title"] == "The Guardian" and news["publisher"] == "Guardian News & Media"
    assert news["URL"].startswith("https://www.theguardian.com/") and news["issued"] == {"date-parts": [[2017, 6, 16]]}
    assert news["accessed"] == {"date-parts": [[2024, 2, 20]]}
    report = by_path["reports/hmip_suffolk.pdf"]
    assert report["type"] == "report" and report["issued"] == {"date-parts": [[2017, 6, 29]]}
    assert report["author"] == [{"literal": "HM Inspectorate of Probation"}]
    assert by_path["blog/napo_hq.html"]["type"] == "post-weblog"
    hearing = by_path["hearings/committee.txt"]
    assert hearing["type"] == "hearing"
    assert hearing["author"] == [{"family": "Stacey", "given": "Glenys"}, {"family": "Lawrence", "given": "Ian"}]
    undated = by_path["misc/undated_note.txt"]
    assert undated["title"] == "undated_note.txt" and "issued" not in undated and "author" not in undated
    assert undated["accessed"] == {"date-parts": [[2024, 2, 21]]}
    assert by_path["misc/special_chars_{x}.txt"]["title"] == SPECIAL_TITLE
    assert by_path["misc/hostile.txt"]["title"] == HOSTILE_TITLE
    assert "File: misc/hostile.txt; SHA-256: " in by_path["misc/hostile.txt"]["note"]


def citeproc_bibliography(items: list[dict]) -> list[str]:
    """Plain-text bibliography entries from citeproc-py's bundled harvard-cite-them-right style (en-GB)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL variables it does not use
        style = CitationStylesStyle("harvard-cite-them-right", locale="en-GB", validate=False)
        bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        for item in items:
            bib.register(Citation([CitationItem(item["id"])]))
        return [str(entry) for entry in bib.bibliography()]


@pytest.mark.parametrize("which", ["seeded", "metadata"])
def test_csl_json_renders_in_a_citation_processor(which, request):
    data = request.getfixturevalue("seeded_all" if which == "seeded" else "meta_data")
    items = json.loads(csl.render(data))
    entries = citeproc_bibliography(items)
    assert len(entries) == len(items)
    for item in items:
        assert any(item["title"] in e for e in entries), item["title"]
    if which == "metadata":
        news = next(e for e in entries if "in crisis" in e)
        assert news.startswith("Smith, J. and HM Inspectorate of Probation (2017)")
        assert "The Guardian" in news and "(Accessed: 20 February 2024)" in news


# ---------------------------------------------------------------- BibTeX


def latex_decoder():
    """pylatexenc's LaTeX-to-text, taught the three text symbols LaTeX defines that it lacks or maps oddly."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    db = get_default_latex_context_db().filter_context()
    db.add_context_category("factcheck-symbols", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^"), MacroTextSpec("textasciitilde", "~"),
        MacroTextSpec("textbackslash", "\\")])
    return LatexNodes2Text(latex_context=db, math_mode="verbatim")


def parse_bib(text: str) -> dict:
    """Parse with bibtexparser 2: {key: entry}, text fields decoded from LaTeX; fails on any unparsed block."""
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    decoder = latex_decoder()
    raw = {e.key: e for e in library.entries}
    assert len(raw) == len(library.entries), "duplicate keys"
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware(decoder=decoder)])
    out = {}
    for e in decoded.entries:
        fields = {f.key: f.value for f in e.fields}
        for name in ("url", "howpublished"):  # verbatim fields: compare them undecoded
            if name in raw[e.key].fields_dict:
                fields[name] = raw[e.key].fields_dict[name].value
        out[e.key] = {"type": e.entry_type, **fields}
    return out


def braces_balanced(text: str) -> bool:
    """Whether braces balance the way BibTeX counts them (a backslash does not hide a brace)."""
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_of_the_seeded_database_parses_back(seeded_all):
    text = bibtex.render(seeded_all)
    entries = parse_bib(text)
    assert list(entries) == [s["key"] for s in seeded_all.sources]
    for src in seeded_all.sources:
        e = entries[src["key"]]
        assert e["title"] == title_of(src)
        assert e.get("year") == (src["published"][:4] if src["published"] else None)
        assert src["path"] in e["note"]
        assert e["type"] == "misc"  # the seeds are plain text: web pages, a blog, no reports


def test_bibtex_with_metadata_parses_back_with_types_names_and_fields(meta_data):
    text = bibtex.render(meta_data)
    entries = parse_bib(text)
    assert list(entries) == [s["key"] for s in meta_data.sources]
    for src in meta_data.sources:
        e = entries[src["key"]]
        assert e["title"] == title_of(src), src["path"]
        assert e.get("year") == ((src["published"] or "")[:4] or None)
        assert e["note"].endswith(f"File: {src['path']}; SHA-256: {src['sha256']}")
    by_path = {s["path"]: entries[s["key"]] for s in meta_data.sources}
    news = by_path["news/guardian_probation.html"]
    assert news["type"] == "article" and news["journal"] == "The Guardian"
    assert news["publisher"] == "Guardian News & Media"
    assert news["month"] == "jun" and news["date"] == "2017-06-16" and news["urldate"] == "2024-02-20"
    assert news["url"] == "https://www.theguardian.com/society/2017/jun/16/probation?x=1&y=2%20#top"
    report = by_path["reports/hmip_suffolk.pdf"]
    assert report["type"] == "techreport" and report["institution"] == "HM Inspectorate of Probation"
    assert report["date"] == "2017-06-29" and report["month"] == "jun"
    blog = by_path["blog/napo_hq.html"]
    assert blog["type"] == "misc" and blog["howpublished"] == r"\url{https://napohq.blogspot.com/}"
    assert by_path["hearings/committee.txt"]["type"] == "misc"
    assert "url" not in by_path["hearings/committee.txt"] and "howpublished" not in by_path["hearings/committee.txt"]
    assert by_path["misc/undated_note.txt"]["title"] == "undated_note.txt"
    assert "year" not in by_path["misc/undated_note.txt"] and "month" not in by_path["misc/undated_note.txt"]
    # the raw text: people "Family, Given", organisations double-braced, particles and suffixes in place
    raw = {m.group(1): m.group(2) for m in re.finditer(r"@\w+\{([^,]+),\n(.*?)\n\}\n", text, re.S)}
    key = {s["path"]: s["key"] for s in meta_data.sources}
    assert "author = {Smith, Jane and {HM Inspectorate of Probation}}" in raw[key["news/guardian_probation.html"]]
    assert "author = {Stacey, Glenys and Lawrence, Ian}" in raw[key["hearings/committee.txt"]]
    assert "author = {van der Berg, Jr, Jan}" in raw[key["misc/special_chars_{x}.txt"]]
    assert "author = {Núñez, José}" in raw[key["misc/hostile.txt"]]  # UTF-8 kept, not {\'e}


def test_bibtex_escapes_every_special_and_keeps_unicode(meta_data):
    text = bibtex.render(meta_data)
    special = next(s for s in meta_data.sources if s["title"] == SPECIAL_TITLE)
    line = next(ln for ln in text.splitlines() if ln.startswith("  title = ") and "Costs" in ln)
    assert line == ("  title = {{Costs \\& \\textbraceleft{}cuts\\textbraceright{}: 50\\% of staff\\_budget "
                    "\\textasciitilde{} “curly” ‘quotes’ \\$5 \\#1 \\textasciicircum{}2 back\\textbackslash{}slash "
                    "— Über}},")
    assert parse_bib(text)[special["key"]]["title"] == SPECIAL_TITLE
    for block in text.split("\n@")[1:]:
        assert braces_balanced(block), block
        for field in re.findall(r"^  \w+ = (.*),$", block, re.M):
            assert braces_balanced(field), field


def test_bibtex_keys_are_unique_and_stable_across_exports(seeded_db):
    engine = make_engine(seeded_db)
    first, second = (bibtex.render(load_export(engine, ExportFilter(("all",)))) for _ in range(2))
    keys = re.findall(r"^@\w+\{([^,]+),$", first, re.M)
    assert keys == re.findall(r"^@\w+\{([^,]+),$", second, re.M)
    assert len(keys) == len(set(keys)) == 5
    assert first.split("\n", 1)[1] == second.split("\n", 1)[1]  # only the header's timestamp may differ
    csl_ids = [i["id"] for i in json.loads(csl.render(load_export(engine, ExportFilter(("all",)))))]
    assert csl_ids == keys  # the same key in CSL-JSON, BibTeX and the appendix


def test_bibtex_keys_of_same_name_sources_get_letters():
    data = export_data([source(f"a{i}.txt", title="Annual report", author="Napo", published="2017-01-01")
                        for i in range(3)])
    entries = parse_bib(bibtex.render(data))
    assert list(entries) == ["napo2017annual", "napo2017annuala", "napo2017annualb"]


# ---------------------------------------------------------------- ClaimReview


def graph(text: str) -> list[dict]:
    """The ClaimReview nodes of a rendered document (checking its JSON-LD envelope)."""
    doc = json.loads(text)
    assert doc["@context"] == "https://schema.org"
    return doc["@graph"]


def assert_required(node: dict) -> None:
    """The fields every ClaimReview here must carry."""
    assert node["@type"] == "ClaimReview"
    assert node["claimReviewed"].strip()
    assert node["identifier"].startswith("claim:")
    assert "url" not in node  # no --base-url: no address ('claim:N' is none); test_export_reader.py gives one
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", node["datePublished"])
    assert node["author"]["@type"] in ("Person", "Organization") and node["author"]["name"]
    rating = node["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"]
    if "ratingValue" in rating:
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    item = node["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["appearance"]["@type"] == "CreativeWork" and item["appearance"]["name"]
    assert item["appearance"]["text"] and item["appearance"]["identifier"]


@pytest.fixture
def verdicts(review_db):
    """Verdicts of every kind on claims by a person, an organisation and no one; the engine and them."""
    engine = make_engine(review_db)
    everything = load_export(engine, ExportFilter(("all",))).claims
    person_quote = next(c for c in everything if c["kind"] == "quote" and c["speaker_kind"] == "person")
    org_claim = next(c for c in everything if c["speaker_kind"] == "org")
    nobodys = [c for c in everything if not c["speaker"] and c["kind"] != "quote"][:3]
    chosen = [(person_quote, "supported", "Matches the report, page 3 <p> & more"), (org_claim, "disputed", None),
              (nobodys[0], "false", "Off by a factor of ten"), (nobodys[1], "unverifiable", None),
              (nobodys[2], "not_a_claim", None)]
    for c, status, note in chosen:
        decide_claim(engine, c["id"], status=status, note=note, reviewer="alice")
    return engine, {c["id"]: (c, status, note) for c, status, note in chosen}


SCALE = {"supported": ("Supported", 5), "disputed": ("Disputed", 3), "false": ("False", 1),
         "unverifiable": ("Unverifiable", None), "not_a_claim": ("Not a claim", None)}


def test_claimreview_of_reviewed_claims(verdicts):
    engine, chosen = verdicts
    data = load_export(engine)
    nodes = graph(claimreview.render(data))
    assert sorted(int(n["identifier"].split(":")[1]) for n in nodes) == sorted(chosen)
    sources = data.source_by_id
    for node in nodes:
        assert_required(node)
        claim_id = int(node["identifier"].split(":")[1])
        before, status, note = chosen[claim_id]
        exported = next(c for c in data.claims if c["id"] == claim_id)
        name, value = SCALE[status]
        assert node["reviewRating"]["alternateName"] == name
        assert node["reviewRating"].get("ratingValue") == value
        if value is None:
            assert "bestRating" not in node["reviewRating"]
        else:
            assert (node["reviewRating"]["worstRating"], node["reviewRating"]["bestRating"]) == (1, 5)
        assert node["author"] == {"@type": "Person", "name": "alice"}
        assert node["datePublished"] == exported["decided_at"][:10]
        assert node.get("reviewBody") == note
        item = node["itemReviewed"]
        src = sources[before["source_id"]]
        assert item["appearance"]["name"] == title_of(src) and item["appearance"]["identifier"] == src["path"]
        assert item["appearance"]["text"] == before["excerpt"]
        many_posts = src["sections"] > 1 and before["section_date"]
        assert item.get("datePublished") == (before["section_date"] if many_posts else
                                             src["published"] or before["section_date"])
        if before["speaker"]:
            kind = {"person": "Person", "org": "Organization"}[before["speaker_kind"]]
            assert item["author"] == {"@type": kind, "name": before["speaker"]}
        else:
            assert "author" not in item  # the seeds carry no author or publisher to fall back on
        if before["kind"] == "quote":
            assert node["claimReviewed"] == " ".join(before["quote_text"].split())
        else:
            assert " ".join(before["text"].split()) in node["claimReviewed"]
            assert item["name"] == before["text"]


def test_claimreview_leaves_unreviewed_claims_out(verdicts, seeded_db):
    engine, chosen = verdicts
    assert len(graph(claimreview.render(load_export(engine, ExportFilter(("all",)))))) == len(chosen)
    assert graph(claimreview.render(load_export(make_engine(seeded_db), ExportFilter(("all",))))) == []


def test_claimreview_falls_back_to_source_creators_and_the_tool():
    sources = [source("a.txt", title="A", author="HM Inspectorate of Probation", published="2017-06-16"),
               source("b.txt", title="B", author="Jane Smith; John Doe", published="2018-01-02"),
               source("c.txt", title="C", publisher="Napo", url="https://napo.org.uk/c"),
               source("d.txt", title="D", sections=3, published="2020-01-01")]
    claims = [claim(1, 1, "72%"), claim(2, 2, "£294 million", status="false"),
              claim(3, 3, "in 2016", kind="date", status="disputed", section_date="2016-05-01"),
              claim(4, 4, "five posts", status="unverifiable", section_date="2020-09-30"),
              claim(5, 1, "unreviewed", status="unreviewed")]
    nodes = {int(n["identifier"][6:]): n for n in graph(claimreview.render(export_data(sources, claims)))}
    assert sorted(nodes) == [1, 2, 3, 4]
    for n in nodes.values():
        assert_required(n)
        assert n["author"] == {"@type": "Organization", "name": "factcheck"}  # no decision on record
        assert n["datePublished"] == "2024-03-01"  # the export's date
        assert "reviewBody" not in n
    assert nodes[1]["itemReviewed"]["author"] == {"@type": "Organization", "name": "HM Inspectorate of Probation"}
    assert nodes[2]["itemReviewed"]["author"] == [{"@type": "Person", "name": "Jane Smith"},
                                                  {"@type": "Person", "name": "John Doe"}]
    assert nodes[3]["itemReviewed"]["author"] == {"@type": "Organization", "name": "Napo"}
    assert nodes[3]["itemReviewed"]["appearance"]["url"] == "https://napo.org.uk/c"
    assert nodes[1]["itemReviewed"]["datePublished"] == "2017-06-16"
    assert nodes[3]["itemReviewed"]["datePublished"] == "2016-05-01"  # no source date: the section's
    assert nodes[4]["itemReviewed"]["datePublished"] == "2020-09-30"  # a post on a many-post page: its own date
    assert nodes[1]["claimReviewed"] == "It said 72%."  # the sentence, not the bare number
    assert nodes[1]["itemReviewed"]["appearance"]["description"] == "section 1, paragraph 3, line 7"


# ---------------------------------------------------------------- hostile text, all three


@pytest.fixture
def hostile() -> ExportData:
    """A source titled like an XSS probe and claims worded like a spreadsheet formula."""
    src = source("x/evil_<1>.txt", title=HOSTILE_TITLE, author='Robert"); DROP TABLE--', publisher="A & B Ltd",
                 url="https://example.org/?q=<script>&r=\"1\"", published="2020-01-02")
    claims = [claim(1, 1, HOSTILE_CLAIM, kind="quote", speaker="Eve <eve@example.org>", speaker_kind="person",
                    note="</script><script>alert(2)</script>", reviewer="mallory & co",
                    decided_at="2024-01-05T10:00:00"),
              claim(2, 1, HOSTILE_CLAIM, status="false", excerpt=f"Cell says {HOSTILE_CLAIM}\u2028 and more.")]
    return export_data([src], claims)


def test_hostile_text_survives_csl_json(hostile):
    items = validate_csl(csl.render(hostile))
    assert items[0]["title"] == HOSTILE_TITLE and items[0]["publisher"] == "A & B Ltd"
    assert items[0]["URL"] == "https://example.org/?q=<script>&r=\"1\""
    assert any(HOSTILE_TITLE in e for e in citeproc_bibliography(items))


def test_hostile_text_survives_bibtex(hostile):
    text = bibtex.render(hostile)
    entries = parse_bib(text)
    (key, entry), = entries.items()
    assert key == hostile.sources[0]["key"] and entry["title"] == HOSTILE_TITLE and entry["year"] == "2020"
    assert entry["note"].startswith("File: x/evil_<1>.txt")
    assert braces_balanced(text.split("\n@", 1)[1])


def test_hostile_text_survives_claimreview(hostile):
    text = claimreview.render(hostile)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text  # safe in <script>
    nodes = graph(text)
    assert len(nodes) == 2
    quote, number = nodes
    for node in nodes:
        assert_required(node)
        assert node["itemReviewed"]["appearance"]["name"] == HOSTILE_TITLE
    assert quote["claimReviewed"] == HOSTILE_CLAIM
    assert quote["reviewBody"] == "</script><script>alert(2)</script>"
    assert quote["author"] == {"@type": "Person", "name": "mallory & co"}
    assert quote["itemReviewed"]["author"] == {"@type": "Person", "name": "Eve <eve@example.org>"}
    assert quote["itemReviewed"]["appearance"]["url"] == "https://example.org/?q=<script>&r=\"1\""
    assert number["itemReviewed"]["name"] == HOSTILE_CLAIM and HOSTILE_CLAIM in number["claimReviewed"]
    assert number["itemReviewed"]["appearance"]["text"] == f"Cell says {HOSTILE_CLAIM}\u2028 and more."


# ---------------------------------------------------------------- through the CLI


@pytest.mark.parametrize("fmt", ["csl-json", "bibtex", "claimreview"])
def test_cli_exports_standard_formats(fmt, seeded_db, capsys):
    assert main(["--db", seeded_db, "export", "--format", fmt, "--status", "all"]) == 0
    out = capsys.readouterr().out
    if fmt == "csl-json":
        assert len(validate_csl(out)) == 5
    elif fmt == "bibtex":
        assert len(parse_bib(out)) == 5
    else:
        assert graph(out) == []  # nothing in the seeds has a verdict yet


def test_metadata_from_sources_toml_reaches_all_three_formats(tmp_path, db_url, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.txt").write_text("Probation caseloads\n\n16 June 2017\n\nDame Glenys Stacey said: \"Staff in "
                                     "Suffolk hold 90 cases each, far too many.\"\nAbout 72% of staff said they "
                                     "were overworked.\n", encoding="utf-8")
    (docs / "sources.toml").write_text('''["report.txt"]
title = "<script>alert(1)</script> & \\"quotes\\" {50%} a_b “curly”"
author = ["Jane Smith", "HM Inspectorate of Probation"]
publisher = "Napo"
outlet = "Inside Time"
url = "https://example.org/r?a=1&b=2"
published = 2017-06-16
accessed = 2024-05-01
type = "article-newspaper"
''', encoding="utf-8")
    title = '<script>alert(1)</script> & "quotes" {50%} a_b “curly”'
    assert main(["--db", db_url, "ingest", str(docs)]) == 0
    capsys.readouterr()
    claims = json.loads(export_cli(db_url, "json", capsys))["claims"]
    quote = next(c for c in claims if c["kind"] == "quote")
    share = next(c for c in claims if "72%" in c["text"])
    assert share["speaker"] == "Jane Smith and HM Inspectorate of Probation"  # the byline: nobody is quoted giving it
    assert main(["--db", db_url, "verdict", str(quote["id"]), "supported", "--reviewer", "alice"]) == 0
    assert main(["--db", db_url, "verdict", str(share["id"]), "false", "--reviewer", "bob"]) == 0
    capsys.readouterr()
    (item,) = validate_csl(export_cli(db_url, "csl-json", capsys))
    assert item["title"] == title and item["type"] == "article-newspaper" and item["container-title"] == "Inside Time"
    assert item["author"] == [{"family": "Smith", "given": "Jane"}, {"literal": "HM Inspectorate of Probation"}]
    assert item["URL"] == "https://example.org/r?a=1&b=2" and item["accessed"] == {"date-parts": [[2024, 5, 1]]}
    (entry,) = parse_bib(export_cli(db_url, "bibtex", capsys)).values()
    assert entry["type"] == "article" and entry["title"] == title and entry["journal"] == "Inside Time"
    assert entry["author"] == "Smith, Jane and HM Inspectorate of Probation" and entry["urldate"] == "2024-05-01"
    nodes = {n["reviewRating"]["alternateName"]: n for n in graph(export_cli(db_url, "claimreview", capsys))}
    assert set(nodes) == {"Supported", "False"}
    assert nodes["Supported"]["itemReviewed"]["author"] == {"@type": "Person", "name": "Dame Glenys Stacey"}
    assert nodes["False"]["itemReviewed"]["author"][1] == {"@type": "Organization",
                                                          "name": "HM Inspectorate of Probation"}
    assert nodes["False"]["itemReviewed"]["appearance"]["url"] == "https://example.org/r?a=1&b=2"
    assert nodes["False"]["itemReviewed"]["appearance"]["name"] == title


def export_cli(db: str, fmt: str, capsys) -> str:
    """What `factcheck export --format FMT` prints."""
    assert main(["--db", db, "export", "--format", fmt]) == 0
    return capsys.readouterr().out
