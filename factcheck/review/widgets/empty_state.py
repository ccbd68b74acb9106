"""What an empty database or an empty result shows instead of an empty table."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Static

NO_SOURCES = (
    "[b]No documents yet.[/b]\n\n"
    "Put your source documents (.txt .md .html .pdf .docx) in a folder and run\n\n"
    "    [b]factcheck ingest FOLDER[/b]      e.g.  factcheck ingest seeds/\n\n"
    "then open [b]factcheck review[/b] again. Press [b]q[/b] to quit."
)


class EmptyState(Static, can_focus=True):
    """A message saying what to do next; it takes the table's focus while the table is hidden, so the
    screen's keys (filters, search) keep working instead of typing into the search line."""

    def swap_with(self, table: Widget, nothing: bool) -> None:
        """Show this message instead of table (or the table again), moving focus along."""
        had_focus = self.screen.focused in (table, self, None)
        self.display, table.display = nothing, not nothing
        if had_focus:
            (self if nothing else table).focus()

    DEFAULT_CSS = """
    EmptyState { width: 1fr; height: auto; padding: 1 2; margin: 1 2; border: round $primary; }
    """
