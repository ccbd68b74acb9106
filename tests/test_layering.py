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
