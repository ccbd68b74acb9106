"""The word-level difference between two wordings of one quote, both sides aligned."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from factcheck.review.render import diff_text


class QuoteDiff(Static):
    """Shows [-removed-] and {+added+} words; brackets carry the meaning, colour only helps."""

    DEFAULT_CSS = "QuoteDiff { height: auto; border: round $warning; padding: 0 1; margin: 0 1 1 0; }"

    def __init__(self, diff: list[list[str]]) -> None:
        self.diff = diff
        super().__init__()
        self.border_title = "wording: first vs second"

    def render(self) -> Group:
        """Two lines: the first wording and the second, differing words marked."""
        return Group(Text("1: ", style="bold") + diff_text(self.diff, 0),
                     Text("2: ", style="bold") + diff_text(self.diff, 1))
