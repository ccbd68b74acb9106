"""Every key of every screen, and the search syntax."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from factcheck.review.choices import CLAIM_STATUS_CHOICES, FLAG_STATUS_CHOICES
from factcheck.review.render import status_legend
from factcheck.review.screens.claims import SEARCH_HELP

HIDDEN = {"cursor_down", "cursor_up"}


def key_table(title: str, bindings: Iterable[BindingType]) -> Table:
    """A two-column table of keys and what they do (a screen's app.* keys are the app's, listed once)."""
    table = Table(title=title, title_justify="left", title_style="bold", show_header=False, box=None,
                  padding=(0, 2))
    seen: set[tuple[str, str | None]] = set()
    for b in bindings:
        b = b if isinstance(b, Binding) else Binding(*b)
        if b.action in HIDDEN or b.action.startswith("app.") or (b.description, b.key_display) in seen:
            continue
        seen.add((b.description, b.key_display))
        key = b.key_display or b.key
        table.add_row(Text(key, style="bold"), b.description or b.action)
    return table


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys per screen; Escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 110; height: 90%; border: round $accent;
                                  background: $surface; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        """One key table per screen, then the search syntax."""
        from factcheck.review.app import ReviewApp
        from factcheck.review.screens.claims import ClaimsScreen
        from factcheck.review.screens.flag_detail import FlagDetailScreen
        from factcheck.review.screens.flags import FlagsScreen
        from factcheck.review.screens.source import SourceScreen

        with VerticalScroll():
            yield Static("[b]factcheck review — keys[/b]   (Escape closes; ctrl+p lists every action by name)\n")
            for title, cls in (("Everywhere", ReviewApp), ("Flag queue", FlagsScreen), ("One flag", FlagDetailScreen),
                               ("Claims", ClaimsScreen), ("Source", SourceScreen)):
                yield Static(key_table(title, cls.BINDINGS))
                yield Static("")
            yield Static("[b]Search[/b] (claims, /): " + SEARCH_HELP + "\nFilters and words combine; "
                         "speaker names match fuzzily.")
            yield Static(Text.assemble(
                ("\nStatuses", "bold"), " are shown with a mark, not only a colour.\nclaims:  ",
                status_legend(s for s in CLAIM_STATUS_CHOICES if s), "\nflags:   ",
                status_legend(s for s in FLAG_STATUS_CHOICES if s), "\nEvery decision is saved at once and logged with "
                "your name; u undoes your decisions one at a time, newest first."))

    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
