"""Start-up: `factcheck --version` and `--help` load no database, matching or terminal-UI code."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "textual", "rich", "rapidfuzz", "factcheck.models", "factcheck.extract",
         "factcheck.match")

PROBE = """
import json, sys
from factcheck.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_after(*argv: str) -> list[str]:
    """The modules a fresh interpreter holds after running the command line with argv."""
    r = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True)
    return json.loads(r.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("argv", [("--version",), ("--help",), ("ingest", "--help")])
def test_version_and_help_import_nothing_heavy(argv):
    loaded = modules_after(*argv)
    heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []
    assert "factcheck.cli" in loaded


def test_version_prints_the_version():
    from factcheck import __version__

    r = subprocess.run([sys.executable, "-m", "factcheck", "--version"], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == f"factcheck {__version__}"
