"""Every claim in a paged table with filters, incremental search, sorting and one-key verdicts."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.worker import Worker, WorkerState

from factcheck import store
from factcheck.review.choices import CLAIM_KIND_CHOICES, CLAIM_STATUS_CHOICES, SORT_CHOICES, label, next_choice
from factcheck.review.messages import ItemChanged
from factcheck.review.render import clean, counted, plain, plain_line, status_label, status_width
from factcheck.review.screens.base import ReviewScreen
from factcheck.review.widgets.claim_preview import ClaimPreview
from factcheck.review.widgets.empty_state import NO_SOURCES, EmptyState
from factcheck.review.widgets.paged_table import PagedTable
from factcheck.store import ClaimExcerpt, ClaimQuery, ClaimRow

COLUMNS = (("#", "id", None), ("Kind", "kind", "kind"), ("Value", "value", "value"),
           ("Status", "status", "status"), ("Text", "text", None), ("Speaker", "speaker", "speaker"),
           ("Source", "source", "source"))
NARROW_KEYS = ("id", "kind", "value", "status", "text")  # below WIDE the preview line shows speaker and source
WIDE = 130
OTHER_WIDTH = {True: 95, False: 57}  # cells the other columns take (with padding and the scrollbar), wide and narrow
STATUS_WIDTH = status_width(s for s in CLAIM_STATUS_CHOICES if s)  # the longest status word, never cut
SEARCH_DELAY = 0.15  # seconds of no typing before a search runs
SEARCH_HELP = 'search text, or filter: kind:quote status:disputed source:003 speaker:"Dame Glenys"'


class ClaimsScreen(ReviewScreen):
    """All claims, filterable by kind, status, source and speaker; verdicts by single keys."""

    AUTO_FOCUS = "#claims"

    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/"),
        Binding("escape", "leave_search", "Table", show=False),
        Binding("s", "verdict('supported')", "Supported"),
        Binding("d", "verdict('disputed')", "Disputed"),
        Binding("f", "verdict('false')", "False"),
        Binding("v", "verdict('unverifiable')", "Unverifiable", show=False),  # the footer keeps to 80 columns
        Binding("n", "verdict('not_a_claim')", "Not a claim", show=False),
        Binding("r", "verdict('unreviewed')", "Unreviewed", show=False),
        Binding("e", "note", "Note", show=False),
        Binding("g", "open_source", "Source"),
        Binding("t", "cycle_kind", "Kind filter", show=False),
        Binding("S", "cycle_status", "Status filter", show=False),
        Binding("o", "cycle_sort", "Sort", show=False),
        Binding("O", "reverse_sort", "Reverse", show=False),
        Binding("F", "app.show_mode('flags')", "Flags"),  # the app binds it everywhere, this shows it here
    ]

    class Loaded(Message):
        """A page of claims arrived from the core."""

        def __init__(self, generation: int, offset: int, rows: list[ClaimRow], sources: int | None) -> None:
            self.generation, self.offset, self.rows, self.sources = generation, offset, rows, sources
            super().__init__()

    class Counted(Message):
        """The number of claims matching the query arrived."""

        def __init__(self, generation: int, count: int) -> None:
            self.generation, self.count = generation, count
            super().__init__()

    class Previewed(Message):
        """The highlighted claim's excerpt arrived."""

        def __init__(self, info: ClaimExcerpt | None) -> None:
            self.info = info
            super().__init__()

    class RowsRefreshed(Message):
        """Fresh state of some rows after a decision."""

        def __init__(self, rows: list[ClaimRow]) -> None:
            self.rows = rows
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.query_state = ClaimQuery()
        self.rows: dict[int, ClaimRow] = {}
        self.generation = 0
        self.count: int | None = None
        self.search_timer: Timer | None = None
        self.advance_after: int | None = None
        self.wide = False
        self.page_busy = self.count_busy = False  # one query of each kind at a time; the latest wins
        self.page_wanted: tuple[int, ClaimQuery, int] | None = None
        self.count_wanted: tuple[int, ClaimQuery] | None = None

    @property
    def table(self) -> PagedTable:
        """The claims table."""
        return self.query_one("#claims", PagedTable)

    @property
    def search(self) -> Input:
        """The search line."""
        return self.query_one("#search", Input)

    @property
    def summary(self) -> Static:
        """The line with count, filters and sort."""
        return self.query_one("#claim-summary", Static)

    @property
    def empty(self) -> EmptyState:
        """What shows when there is nothing to list."""
        return self.query_one("#claims-empty", EmptyState)

    @property
    def preview(self) -> ClaimPreview:
        """The highlighted claim's excerpt under the table."""
        return self.query_one("#claim-preview", ClaimPreview)

    def compose(self) -> ComposeResult:
        """Header, search line, summary, table (or what to do), footer."""
        yield Header()
        yield Input(placeholder=SEARCH_HELP, id="search", compact=True)
        yield Static("loading…", id="claim-summary", classes="summary")
        yield EmptyState("", id="claims-empty")
        yield PagedTable(id="claims")
        yield ClaimPreview(id="claim-preview")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p still opens it

    def on_mount(self) -> None:
        """Columns for the width, then the first page."""
        self.wide = self.app.size.width >= WIDE
        self.title = "Claims"
        self.add_columns()
        self.empty.display = False
        self.reload()
        self.table.focus()

    def on_screen_resume(self) -> None:
        """Back from a source view: verdicts may have changed there."""
        if self.rows:
            self.refresh_rows(list(self.rows))

    # ------------------------------------------------------------ loading

    def reload(self) -> None:
        """Load from the top with the current query; count in the background."""
        self.generation += 1
        self.table.clear()
        self.table.reset_paging()
        self.rows.clear()
        self.count = None
        self.show_summary()
        self.request_page(0)
        self.request_count()

    def request_page(self, offset: int) -> None:
        """Load a page now, or right after the query in flight (keys pressed in a row coalesce)."""
        if self.page_busy:
            self.page_wanted = (self.generation, self.query_state, offset)
        else:
            self.page_busy = True
            self.load_page(self.generation, self.query_state, offset)

    def request_count(self) -> None:
        """Count now, or right after the count in flight."""
        if self.count_busy:
            self.count_wanted = (self.generation, self.query_state)
        else:
            self.count_busy = True
            self.count_rows(self.generation, self.query_state)

    @work(thread=True, exit_on_error=False, group="claims-page")
    def load_page(self, generation: int, q: ClaimQuery, offset: int) -> None:
        """Worker: fetch one page from the core."""
        engine = self.review_app.engine
        rows = store.claim_page(engine, q, offset=offset)
        sources = store.count_sources(engine) if offset == 0 and not rows else None
        self.post_message(self.Loaded(generation, offset, rows, sources))

    @work(thread=True, exit_on_error=False, group="claims-count")
    def count_rows(self, generation: int, q: ClaimQuery) -> None:
        """Worker: count the matching claims."""
        self.post_message(self.Counted(generation, store.count_claims(self.review_app.engine, q)))

    @work(thread=True, exit_on_error=False, group="claims-refresh")
    def refresh_rows(self, ids: list[int]) -> None:
        """Worker: fetch the fresh state of some rows."""
        self.post_message(self.RowsRefreshed(store.claim_rows(self.review_app.engine, ids)))

    def on_claims_screen_loaded(self, msg: Loaded) -> None:
        """Append a page; say what to do when nothing matches."""
        self.page_busy = False
        if self.page_wanted:
            generation, q, offset = self.page_wanted
            self.page_wanted = None
            if generation == self.generation:
                self.page_busy = True
                self.load_page(generation, q, offset)
        if msg.generation != self.generation:
            return
        for row in msg.rows:
            if row["id"] not in self.rows:
                self.rows[row["id"]] = row
                self.table.add_row(*self.cells(row), key=str(row["id"]))
        self.table.page_loaded(len(msg.rows), store.PAGE)
        if msg.offset == 0:
            nothing = not msg.rows
            self.empty.swap_with(self.table, nothing)
            if nothing:
                self.empty.update(NO_SOURCES if msg.sources == 0 else
                                  Text.assemble(("No claims match", "bold"), " ", plain(self.query_state.describe()),
                                                ".\n\nChange the search (/) or the filters (t kind, S status)."))

    def on_claims_screen_counted(self, msg: Counted) -> None:
        """Show the count."""
        self.count_busy = False
        if self.count_wanted:
            generation, q = self.count_wanted
            self.count_wanted = None
            if generation == self.generation:
                self.count_busy = True
                self.count_rows(generation, q)
        if msg.generation == self.generation:
            self.count = msg.count
            self.show_summary()

    def on_claims_screen_rows_refreshed(self, msg: RowsRefreshed) -> None:
        """Update changed rows in place."""
        for row in msg.rows:
            if row["id"] in self.rows:
                self.rows[row["id"]] = row
                for (_, key, _), value in zip(self.columns(), self.cells(row), strict=False):
                    self.table.update_cell(str(row["id"]), key, value)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed query is reported and must not leave the table waiting for it forever."""
        super().on_worker_state_changed(event)
        if event.state == WorkerState.ERROR:
            if event.worker.group == "claims-page":
                self.page_busy, self.page_wanted = False, None
                self.table.page_loaded(0, store.PAGE)
            elif event.worker.group == "claims-count":
                self.count_busy, self.count_wanted = False, None

    @on(PagedTable.RowHighlighted, "#claims")
    def highlighted(self, event: PagedTable.RowHighlighted) -> None:
        """Preview the highlighted claim's excerpt."""
        if event.row_key is not None and event.row_key.value is not None:
            self.load_preview(int(event.row_key.value))

    @work(thread=True, exit_on_error=False, exclusive=True, group="claims-preview")
    def load_preview(self, claim_id: int) -> None:
        """Worker: fetch one claim's excerpt."""
        self.post_message(self.Previewed(store.claim_excerpt(self.review_app.engine, claim_id)))

    def on_claims_screen_previewed(self, msg: Previewed) -> None:
        """Show the excerpt under the table."""
        self.preview.show(msg.info)

    @on(PagedTable.NeedMore)
    def more(self, msg: PagedTable.NeedMore) -> None:
        """Load the next page."""
        self.request_page(msg.loaded)

    def columns(self) -> list[tuple[str, str, str | None]]:
        """The columns shown at the current width."""
        return [c for c in COLUMNS if self.wide or c[1] in NARROW_KEYS]

    def cells(self, row: ClaimRow) -> tuple[Text, ...]:
        """The table cells of one claim; the text gets what the terminal's width leaves."""
        room = max(24, self.app.size.width - OTHER_WIDTH[self.wide])
        text = plain_line(row["text"], room) + Text(" ✎" if row.get("note") else "")
        cells = {"id": Text(str(row["id"])), "kind": plain(row["kind"]), "value": plain_line(row["value_label"], 16),
                 "status": status_label(row["status"]), "text": text, "speaker": plain_line(row["speaker"], 18),
                 "source": plain_line(row["source"], 16)}  # Text, never markup: document text is shown as it is
        return tuple(cells[key] for _, key, _ in self.columns())

    def on_resize(self) -> None:
        """Show or hide the speaker and source columns when the terminal crosses WIDE columns."""
        if (self.app.size.width >= WIDE) != self.wide:
            self.wide = not self.wide
            self.table.clear(columns=True)
            self.add_columns()
            self.reload()

    def add_columns(self) -> None:
        """Create the table's columns for the current width."""
        for name, key, _ in self.columns():
            self.table.add_column(name, key=key, width=STATUS_WIDTH if key == "status" else None)

    def show_summary(self) -> None:
        """'1,234 claims · kind:quote “caseload” · sort: value ↓'."""
        q = self.query_state
        n = ("counting…", "") if self.count is None else (counted(self.count, "claim"), "bold")
        arrow = "↓" if q.descending else "↑"
        self.summary.update(Text.assemble(
            n, "   ", clean(q.describe()), "\nkind: ",
            (clean(label(q.kind)), "bold"), " (t)   status: ", (clean(label(q.status)), "bold"),
            " (S)   sort: ", (f"{clean(q.sort)} {arrow}", "bold"), " (o, O)"))

    # ------------------------------------------------------------ search and filters

    @on(Input.Changed, "#search")
    def typed(self, event: Input.Changed) -> None:
        """Search as you type, after a short pause."""
        if self.search_timer:
            self.search_timer.stop()
        value = event.value
        self.search_timer = self.set_timer(SEARCH_DELAY, lambda: self.apply_search(value))

    @on(Input.Submitted, "#search")
    def submitted(self, event: Input.Submitted) -> None:
        """Enter in the search line: search now and go to the table."""
        if self.search_timer:
            self.search_timer.stop()
        self.apply_search(event.value)
        self.table.focus()

    def apply_search(self, line: str) -> None:
        """Parse the search line into filters and reload if it changed anything."""
        q = store.parse_search(line, self.query_state)
        if q != self.query_state:
            self.query_state = q
            self.reload()

    def set_query(self, **changes: Any) -> None:
        """Change the query and reload."""
        from dataclasses import replace

        self.query_state = replace(self.query_state, **changes)
        self.reload()

    def action_search(self) -> None:
        """Focus the search line."""
        self.search.focus()

    def action_leave_search(self) -> None:
        """From the search line back to the table."""
        self.table.focus()

    def action_cycle_kind(self) -> None:
        """Show the next kind only (or all)."""
        self.set_query(kind=next_choice(self.query_state.kind, CLAIM_KIND_CHOICES))

    def action_cycle_status(self) -> None:
        """Show the next status only (or all)."""
        self.set_query(status=next_choice(self.query_state.status, CLAIM_STATUS_CHOICES))

    def action_cycle_sort(self) -> None:
        """Sort by the next column."""
        self.set_query(sort=next_choice(self.query_state.sort, SORT_CHOICES), descending=False)

    def action_reverse_sort(self) -> None:
        """Reverse the sort order."""
        self.set_query(descending=not self.query_state.descending)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """Click a column header to sort by it; click again to reverse."""
        sort = next((s for _, key, s in COLUMNS if key == event.column_key.value), None)
        if sort is None:
            return
        if sort == self.query_state.sort:
            self.set_query(descending=not self.query_state.descending)
        else:
            self.set_query(sort=sort, descending=False)

    # ------------------------------------------------------------ decisions

    def current(self) -> ClaimRow | None:
        """The highlighted claim's row."""
        key = self.table.current_key
        return self.rows.get(int(key)) if key else None

    def action_verdict(self, status: str) -> None:
        """Record a verdict on the highlighted claim and move to the next one."""
        row = self.current()
        if row:
            self.advance_after = row["id"]
            self.review_app.decide("claim", row["id"], row["version"], status=status)

    def action_note(self) -> None:
        """Write a note on the highlighted claim."""
        row = self.current()
        if row:
            self.review_app.ask_note("claim", row["id"], row["version"], row.get("note"))

    def action_open_source(self) -> None:
        """Read the highlighted claim in its source."""
        row = self.current()
        if row:
            self.review_app.open_source(row["source_id"], row["id"])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row opens its source."""
        self.action_open_source()

    def on_item_changed(self, msg: ItemChanged) -> None:
        """A decision landed: refresh that row and step on if it was decided here."""
        if msg.target != "claim" or msg.target_id not in self.rows:
            return
        self.refresh_rows([msg.target_id])
        if self.table.current_key == str(msg.target_id):
            self.load_preview(msg.target_id)
        if self.advance_after == msg.target_id and self.table.cursor_row < self.table.row_count - 1:
            self.table.move_cursor(row=self.table.cursor_row + 1)
        self.advance_after = None
