"""A flag's dates on one axis as text, one row per source, drawn to the width the widget has."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from factcheck.timeline import LEGEND, Timeline, timeline_text


class DateTimeline(Static):
    """The timeline of factcheck.timeline in text, re-drawn whenever its width changes, with its legend."""

    DEFAULT_CSS = "DateTimeline { height: auto; border: round $panel-lighten-2; padding: 0 1; margin: 0 1 1 0; }"

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        super().__init__()
        self.border_title = "dates"

    def render(self) -> Text:
        """The axis, one line per row and the legend, as wide as the content area (never wrapped)."""
        width = self.content_region.width or 78
        text = Text("\n".join(timeline_text(self.timeline, width)), no_wrap=True, overflow="crop")
        text.append("\n" + LEGEND, style="dim")
        return text

    def on_resize(self) -> None:
        """Draw the timeline again for the new width."""
        self.refresh()
