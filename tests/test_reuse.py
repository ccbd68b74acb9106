"""Passage reuse: text copied between sources without quotation marks, earliest source named, copies marked."""

import datetime as dt

from test_match import flags_for

from factcheck.match.records import ClaimRecord
from factcheck.match.reuse import SectionSpan, SourceText, match_reuse, normal_words

PARA_1 = ("The Harwick Valley Trust will open three new riverside reading rooms in Oldmere, Brackley and Tunstall "
          "this autumn, after a grant of £2.4 million from the regional lottery fund was confirmed on Monday. "
          "Each room will hold a lending library, a small exhibition space and a free meeting hall for local groups.")
PARA_2 = ("Building work begins in July and is expected to take fourteen weeks, with 45 volunteers already signed "
          "up to staff the rooms at weekends. The trust says the rooms will stay open until nine in the evening "
          "on weekdays so that shift workers and students can use them.")
QUOTE = ("“We have waited a long time for a place where the whole valley can sit down together and read, talk and "
         "learn without paying a penny for the privilege,” said the chair, Ruth Ellery.")

RELEASE = ("Harwick Valley Trust press release\n\n4 May 2023 - Embargoed until 09:00\n\n"
           f"{PARA_1}\n\n{PARA_2}\n\n{QUOTE}\n\nEnds.\n")
CHANGED_2 = PARA_2.replace("fourteen weeks", "fifteen weeks")
NEWS = ("Reading rooms for the valley\n\nPUBLISHED: 07:30 6 May 2023\n\n"
        "Readers in the valley will soon have somewhere new to go on a wet evening.\n\n"
        f"{PARA_1}\n\n{CHANGED_2}\n\n"
        "Local councillors welcomed the news but asked whether the trust could also fund a bus service.\n")


def _flags(tmp_path, capsys, db_url, docs: dict[str, str]) -> list[dict]:
    """Ingest documents with the CLI and return the repeat flags that mark a copied passage."""
    return [f for f in flags_for(tmp_path, capsys, db_url, docs, "repeat") if "copy" in (f.get("details") or {})]


def test_a_release_copied_by_a_news_site_is_one_flag_naming_the_release(tmp_path, capsys, db_url):
    flags = _flags(tmp_path, capsys, db_url, {"release.txt": RELEASE, "news.txt": NEWS})
    assert len(flags) == 1
    flag = flags[0]
    copy = flag["details"]["copy"]
    assert copy["earliest"]["source"].endswith("release.txt") and copy["earliest"]["date"] == "2023-05-04"
    texts = {"release.txt": RELEASE, "news.txt": NEWS}
    assert len(copy["copies"]) == 1
    by_name = {c["source"].rsplit("/", 1)[-1]: c for c in [copy["earliest"], *copy["copies"]]}
    assert set(by_name) == {"release.txt", "news.txt"}
    for name, c in by_name.items():
        assert texts[name][c["start"]:c["end"]] == f"{PARA_1}\n\n{PARA_2 if name == 'release.txt' else CHANGED_2}"
        assert c["words"] == len(normal_words(PARA_1 + " " + PARA_2))
    assert by_name["news.txt"]["date"] == "2023-05-06"
    assert [(ch["original"], ch["copy"]) for ch in copy["changed"]] == [("take fourteen weeks", "take fifteen weeks")]
    assert "copied in 1 source" in flag["summary"] and "release.txt" in flag["summary"]
    roles = {(m["source"].rsplit("/", 1)[-1], m["role"]) for m in flag["members"]}
    assert roles == {("release.txt", "original"), ("news.txt", "copy")}
    for m in flag["members"]:  # members are the claims inside the passage
        c = by_name[m["source"].rsplit("/", 1)[-1]]
        assert c["start"] <= m["start"] and m["end"] <= c["end"]


def test_a_shared_quotation_alone_is_not_reuse(tmp_path, capsys, db_url):
    a = f"Valley notes\n\nThe trust announced its plans on Monday.\n\n{QUOTE}\n"
    b = f"Evening paper\n\nThere was a warm welcome for the reading rooms.\n\n{QUOTE}\n"
    assert _flags(tmp_path, capsys, db_url, {"a.txt": a, "b.txt": b}) == []


def test_unrelated_documents_give_nothing(tmp_path, capsys, db_url):
    other = ("Dunmore council budget\n\nThe Dunmore council set a budget of £8 million for road repairs on Tuesday, "
             "with 30 streets in the Arden ward to be resurfaced before the winter and two bridges inspected.\n")
    assert _flags(tmp_path, capsys, db_url, {"release.txt": RELEASE, "council.txt": other}) == []


def _record(cid: int, source_id: int, start: int, end: int) -> ClaimRecord:
    """A bare claim record at a place in a source."""
    return ClaimRecord(id=cid, source_id=source_id, source=f"s{source_id}.txt", kind="quantity", text="x",
                       excerpt="x", start=start, end=end, section_id=source_id)


def test_boilerplate_shared_by_many_documents_is_not_reuse():
    footer = ("This page is maintained by the communications team of the Harwick Valley Trust, a registered charity "
              "in the valley, and every reader is welcome to reproduce it in part or whole for any purpose at all.")
    bodies = ["Oldmere rooms open in June with 12 chairs.", "Brackley hall closes for 3 weeks of repairs.",
              "Tunstall volunteers raised 900 pounds at the fair.", "The trust hired 2 new wardens this spring.",
              "A survey found 40 readers use the rooms weekly.", "Storm damage closed 1 room for a month."]
    texts, records = [], []
    for i, body in enumerate(bodies, start=1):
        text = f"{body}\n\n{footer}\n"
        texts.append(SourceText(i, f"s{i}.txt", text, dt.date(2023, 1, i), [SectionSpan(i, 0, len(text))]))
        records += [_record(10 * i, i, 0, 5), _record(10 * i + 1, i, len(body) + 10, len(body) + 20)]
    assert match_reuse(records, texts) == []  # the footer is in all six sources: more than COMMON_MIN
    two = match_reuse([r for r in records if r.source_id <= 2], texts[:2])
    assert len(two) == 1  # the same words in only two sources are a copy


def test_a_passage_holding_no_claim_is_marked_through_the_nearest_claims():
    prose = ("The reading rooms were designed by a small firm from the coast that had never built anything "
             "in the valley before, and the plans went through four rounds of changes after residents asked "
             "for wider doors, lower shelves and a garden that could be seen from every table in the hall.")
    a = f"Intro 10 words.\n\n{prose}\n"
    b = f"Other intro 7 words.\n\n{prose}\n"
    texts = [SourceText(1, "s1.txt", a, dt.date(2023, 3, 2), [SectionSpan(1, 0, len(a))]),
             SourceText(2, "s2.txt", b, dt.date(2023, 3, 1), [SectionSpan(2, 0, len(b))])]
    flags = match_reuse([_record(1, 1, 6, 14), _record(2, 2, 12, 19)], texts)
    assert len(flags) == 1
    assert flags[0].details["copy"]["earliest"]["source"] == "s2.txt"  # the earlier date, whatever the name
    assert flags[0].members == [(2, "original"), (1, "copy")]
    assert "nearest claim" in flags[0].explanation
    assert flags[0].details["copy"]["changed"] == []
    assert match_reuse([_record(2, 2, 12, 19), _record(1, 1, 6, 14)], texts[::-1]) == flags  # input order is no matter
