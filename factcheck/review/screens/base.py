"""What every review screen shares: a failed query becomes one line on screen, not a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from factcheck.review.render import clean

if TYPE_CHECKING:
    from factcheck.review.app import ReviewApp


def error_line(error: BaseException | None) -> str:
    """The first line of an error, at most 200 characters."""
    return clean((str(error).strip().splitlines() or [type(error).__name__])[0][:200])


class ReviewScreen(Screen[None]):
    """A screen whose workers' failures (lost server, locked or damaged file) are shown as a notification."""

    # first in every screen's bindings, so the footer shows it first at any width (the app binds it too)
    BINDINGS = [Binding("question_mark", "app.help", "Help", key_display="?")]

    @property
    def review_app(self) -> ReviewApp:
        """The app, typed: its engine and its decide, ask_note and open_source."""
        return cast("ReviewApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Tell the reviewer a query failed; the app keeps running."""
        if event.state == WorkerState.ERROR:
            self.app.notify(f"database: {error_line(event.worker.error)}", title="error", severity="error",
                            timeout=10, markup=False)
