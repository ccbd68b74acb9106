"""A row-cursor DataTable that asks for the next page when the cursor nears its last row."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

LOOKAHEAD = 30  # rows before the end at which the next page is requested


class PagedTable(DataTable[Text]):
    """DataTable holding one page after another; posts NeedMore near the end."""

    BINDINGS = [Binding("j", "cursor_down", "Down", show=False), Binding("k", "cursor_up", "Up", show=False)]

    class NeedMore(Message):
        """The cursor is near the last loaded row: load the next page."""

        def __init__(self, table: PagedTable, loaded: int) -> None:
            self.table = table
            self.loaded = loaded
            super().__init__()

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None,
                 disabled: bool = False) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, name=name, id=id, classes=classes, disabled=disabled)
        self.exhausted = False
        self.page_pending = True  # the owner starts loading the first page at once

    def reset_paging(self) -> None:
        """Forget loaded pages (call after clear(), as the first page starts loading)."""
        self.exhausted = False
        self.page_pending = True

    def page_loaded(self, got: int, page: int) -> None:
        """Record a loaded page; a short page means there is nothing more."""
        self.exhausted = got < page
        self.page_pending = False
        self.check_more(self.cursor_row)

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        """Ask for more rows once per page when the cursor comes near the end."""
        super().watch_cursor_coordinate(old, new)
        self.check_more(new.row)

    def check_more(self, row: int) -> None:
        """Post NeedMore if row is near the end and no page is on its way."""
        if not (self.page_pending or self.exhausted) and self.row_count and row >= self.row_count - LOOKAHEAD:
            self.page_pending = True
            self.post_message(self.NeedMore(self, self.row_count))

    @property
    def current_key(self) -> str | None:
        """The key of the highlighted row, or None when the table is empty."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
