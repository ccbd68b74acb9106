"""What an empty database or an empty result shows instead of an empty table."""

from __future__ import annotations

from textual.widgets import Static

NO_SOURCES = (
    "[b]No documents yet.[/b]\n\n"
    "Put your source documents (.txt .md .html .pdf .docx) in a folder and run\n\n"
    "    [b]factcheck ingest FOLDER[/b]      e.g.  factcheck ingest seeds/\n\n"
    "then open [b]factcheck review[/b] again. Press [b]q[/b] to quit."
)


class EmptyState(Static):
    """A centred message saying what to do next."""

    DEFAULT_CSS = """
    EmptyState { width: 1fr; height: auto; padding: 1 2; margin: 1 2; border: round $primary; }
    """
