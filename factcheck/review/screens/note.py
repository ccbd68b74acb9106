"""A small dialog to write or edit the note on a claim or flag."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from factcheck.review.render import clean


class NoteScreen(ModalScreen[str | None]):
    """Edit a note: Enter saves (empty clears it), Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > Vertical { width: 80%; max-width: 100; height: auto; border: round $accent; padding: 1 2;
                            background: $surface; }
    """

    def __init__(self, what: str, current: str | None) -> None:
        self.what = what
        self.current = current or ""
        super().__init__()

    def compose(self) -> ComposeResult:
        """A label saying what the note is on, and the input."""
        with Vertical():
            yield Label(clean(f"Note on {self.what} — Enter saves, an empty note clears it, Escape cancels"),
                        markup=False)
            yield Input(value=clean(self.current), placeholder="why: source checked, figure confirmed by …", id="note")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the typed note."""
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
