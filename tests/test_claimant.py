"""Who says so, for every figure: the quoted speaker, or else the source's own author or outlet."""

import json
from pathlib import Path

from factcheck.cli import main

REPORT = ("Ferry review\n\nThe island ferry carried 41,000 passengers last year, up from 36,000.\n\n"
          "“We will add 12 sailings in the summer,” said Elin Voss, the harbour master.\n")


def ingest(capsys, db_url, folder: Path) -> list[dict]:
    """Ingest folder and return `claims --json`."""
    assert main(["--db", db_url, "ingest", str(folder)]) == 0
    capsys.readouterr()
    main(["--db", db_url, "claims", "--json"])
    return json.loads(capsys.readouterr().out)


def by_text(claims: list[dict]) -> dict[str, dict]:
    """Claims by their text."""
    return {c["text"]: c for c in claims}


def test_unattributed_figures_are_the_authors_and_quoted_ones_the_speakers(capsys, db_url, tmp_path):
    (tmp_path / "review.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('["review.txt"]\nauthor = "Rhian Morgan"\n', encoding="utf-8")
    got = by_text(ingest(capsys, db_url, tmp_path))
    own = next(c for t, c in got.items() if "41,000" in t)
    assert own["speaker"] == "Rhian Morgan" and own["details"]["speaker_from"] == "source"
    quoted = got["12 sailings"]
    assert quoted["speaker"] == "Elin Voss" and quoted["details"]["speaker_from"] == "quote"
    main(["--db", db_url, "claims", "--json", "--speaker", "Rhian Morgan"])
    assert all(c["speaker"] == "Rhian Morgan" for c in json.loads(capsys.readouterr().out))


def test_an_outlet_is_the_claimant_when_no_author_is_known(capsys, db_url, tmp_path):
    (tmp_path / "review.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('["review.txt"]\noutlet = "Island Gazette"\n', encoding="utf-8")
    own = next(c for t, c in by_text(ingest(capsys, db_url, tmp_path)).items() if "41,000" in t)
    assert own["speaker"] == "Island Gazette" and own["details"]["speaker_from"] == "source"


def test_a_source_naming_no_author_leaves_its_figures_without_a_claimant(capsys, db_url, tmp_path):
    (tmp_path / "review.txt").write_text(REPORT, encoding="utf-8")
    own = next(c for t, c in by_text(ingest(capsys, db_url, tmp_path)).items() if "41,000" in t)
    assert own["speaker"] is None and "speaker_from" not in (own["details"] or {})


def test_a_figure_in_speech_whose_speaker_is_not_known_is_not_the_authors(capsys, db_url, tmp_path):
    """"They said 300 jobs would go", with no one for "they" to be: someone else's words, speaker unknown."""
    text = "Ferry review\n\nThey said that 300 jobs would go at the harbour by the spring.\n"
    (tmp_path / "review.txt").write_text(text, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('["review.txt"]\nauthor = "Rhian Morgan"\n', encoding="utf-8")
    got = by_text(ingest(capsys, db_url, tmp_path))
    said = next(c for c in got.values() if c["kind"] == "attribution")
    assert said["text"] == "300 jobs would go at the harbour by the spring" and said["speaker"] is None
    assert said["details"]["speaker_mention"]["text"] == "They"
    jobs = got["300 jobs"]
    assert jobs["speaker"] is None and jobs["details"]["speaker_from"] == "reported"
