"""Properties over arbitrary text: extraction never raises and offsets always index the text."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.extract.document import SectionSpan, extract_document
from factcheck.ingest.sections import layout

# text built from pieces that look like the real thing, mixed with arbitrary unicode
PIECES = st.sampled_from([
    "up to 80 cases", "90-100", "between 51% and 32%", "£294 million", "nearly £0.5 billion-worth", "$3bn",
    "six out of 21", "one in four", "almost three-quarters", "half", "Q31", "07788 118005", "10:00am",
    "Wednesday, 30 September 2020", "yesterday", "next Friday 24th November", "June 2017", "2014/15",
    "Sodexo (6)", "(", ")", "“", "”", "\n", "\r\n", "\n\n", " ", ".", ",", "-", "%", "per cent", "1.", "\xa0",
    "the first time", "Northumbria 316 155 161 51%", "May/June 2016", "earlier this year", "WC1H 9BD",
    "“", "”", "‘", "’", "'", '"', " said ", " said: ", "Dame Glenys Stacey", ", HM Chief Inspector,", "she added",
    "Chair: ", "Q31 David Hood: ", "according to the report, ", " told MPs that ", "A spokesman for the MOJ",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))))
def test_extraction_never_raises_and_offsets_index_text(text, anchor):
    claims = extract_document(text, [SectionSpan(0, len(text), anchor)]).claims
    for c in claims:
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.text
        assert 0 <= c.excerpt_start <= c.start and c.end <= c.excerpt_end <= len(text)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_layout_sections_tile_the_text(text):
    lay = layout(text)
    assert lay.sections[0].start == 0 and lay.sections[-1].end == len(text)
    for a, b in zip(lay.sections, lay.sections[1:], strict=False):
        assert a.end == b.start
