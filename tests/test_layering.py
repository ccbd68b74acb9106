"""The core (ingest, extract, queries, storage) never imports the TUI toolkit."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "factcheck"
UI_PACKAGES = {"review", "tui"}


def test_core_modules_do_not_import_textual():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if UI_PACKAGES & set(path.relative_to(PACKAGE).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "textual" or n.startswith("textual.") for n in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
    assert len(list(PACKAGE.rglob("*.py"))) > 10  # the walk really saw the package


def _imports(path: Path) -> list[str]:
    """Every module name a file imports."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append(node.module or "")
    return out


def test_review_app_talks_to_the_database_only_through_the_core():
    offenders = {}
    for path in (PACKAGE / "review").rglob("*.py"):
        bad = [n for n in _imports(path) if n.split(".")[0] in {"sqlalchemy", "sqlmodel", "sqlite3"}
               or n == "factcheck.models"]
        if bad:
            offenders[str(path.relative_to(PACKAGE))] = bad
    assert offenders == {}
    assert len(list((PACKAGE / "review").rglob("*.py"))) > 10


def test_command_line_starts_without_loading_textual():
    import subprocess
    import sys

    code = "import sys, factcheck.cli; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
