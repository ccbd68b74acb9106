"""The flag queue: conflicts first by score, then quote variants, arithmetic, aliases, repeats and paraphrases."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Footer, Header, Static

from factcheck import store
from factcheck.review.choices import FLAG_STATUS_CHOICES, FLAG_TYPE_CHOICES, label, next_choice
from factcheck.review.messages import ItemChanged
from factcheck.review.render import clean, counted, finding_line, plain, plain_line, status_label, status_width
from factcheck.review.screens.base import ReviewScreen
from factcheck.review.widgets.empty_state import NO_SOURCES, EmptyState
from factcheck.review.widgets.paged_table import PagedTable
from factcheck.store import FlagCounts, FlagRow
from factcheck.vocabulary import FLAG_QUEUE_TYPES, FLAG_STATUSES

COLUMNS = (("#", "id"), ("Type", "type"), ("Score", "score"), ("Status", "status"), ("Stmts", "members"),
           ("Summary — subject", "what"))
WIDE = 100  # narrower terminals leave out the score column: the summary needs the room (the order shows the score)
STATUS_WIDTH = status_width(FLAG_STATUSES)
TYPE_WIDTH = max(len(t) for t in FLAG_QUEUE_TYPES)
# cells the columns but # and the summary take (each with 2 of padding), and the scrollbar
OTHER_WIDTH = {True: TYPE_WIDTH + 5 + STATUS_WIDTH + 5 + 2 * 6 + 2, False: TYPE_WIDTH + STATUS_WIDTH + 5 + 2 * 5 + 2}
NO_FLAGS = ("[b]Nothing flagged.[/b]\n\nNo repeats, conflicts, quote variants, aliases, arithmetic problems or "
            "paraphrases were found{filters}.\nPress [b]C[/b] to review the claims one by one.")


class FlagsScreen(ReviewScreen):
    """Every flag in queue order, filterable by type and status, with one-key decisions."""

    AUTO_FOCUS = "#flags"

    BINDINGS = [
        Binding("enter", "open", "Open", show=True, priority=True),
        Binding("c", "decide('confirmed')", "Confirm"),
        Binding("x", "decide('dismissed')", "Dismiss"),
        Binding("o", "decide('open')", "Reopen", show=False),  # the footer keeps to what fits in 80 columns
        Binding("e", "note", "Note"),
        Binding("t", "cycle_type", "Type filter", show=False),
        Binding("S", "cycle_status", "Status filter", show=False),
        Binding("C", "app.show_mode('claims')", "Claims"),  # the app binds it everywhere, this shows it here
    ]

    class Loaded(Message):
        """A page of the queue and the counts arrived from the core."""

        def __init__(self, generation: int, offset: int, rows: list[FlagRow], counts: FlagCounts | None,
                     sources: int | None) -> None:
            self.generation, self.offset, self.rows = generation, offset, rows
            self.counts, self.sources = counts, sources
            super().__init__()

    class RowsRefreshed(Message):
        """Fresh state of some rows after a decision."""

        def __init__(self, rows: list[FlagRow], counts: FlagCounts) -> None:
            self.rows, self.counts = rows, counts
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.type_filter: str | None = None
        self.status_filter: str | None = None
        self.rows: dict[int, FlagRow] = {}
        self.generation = 0
        self.advance_after: int | None = None
        self.wide = False

    @property
    def table(self) -> PagedTable:
        """The queue table."""
        return self.query_one("#flags", PagedTable)

    @property
    def summary(self) -> Static:
        """The line with counts and filters."""
        return self.query_one("#flag-summary", Static)

    @property
    def empty(self) -> EmptyState:
        """What shows when there is nothing to list."""
        return self.query_one("#flags-empty", EmptyState)

    def compose(self) -> ComposeResult:
        """Header, summary line, the queue (or what to do when it is empty), footer."""
        yield Header()
        yield Static("loading…", id="flag-summary", classes="summary")
        yield EmptyState("", id="flags-empty")
        yield PagedTable(id="flags")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p still opens it

    def on_mount(self) -> None:
        """Set up columns and load the first page."""
        self.title = "Flags"
        self.wide = self.app.size.width >= WIDE
        self.add_columns()
        self.empty.display = False
        self.reload()

    def on_screen_resume(self) -> None:
        """Coming back from a detail or source view: refresh what is shown."""
        if self.rows:
            self.refresh_rows(list(self.rows))

    # ------------------------------------------------------------ loading

    def reload(self) -> None:
        """Load the queue from the top with the current filters."""
        self.generation += 1
        self.table.clear()
        self.table.reset_paging()
        self.rows.clear()
        self.load_page(self.generation, 0, with_counts=True)

    @work(thread=True, exit_on_error=False, group="flags-page")
    def load_page(self, generation: int, offset: int, with_counts: bool = False) -> None:
        """Worker: fetch a page (and counts) from the core."""
        engine = self.review_app.engine
        rows = store.flag_page(engine, type_=self.type_filter, status=self.status_filter, offset=offset)
        counts = store.flag_counts(engine) if with_counts else None
        sources = store.count_sources(engine) if with_counts and not rows else None
        self.post_message(self.Loaded(generation, offset, rows, counts, sources))

    @work(thread=True, exit_on_error=False, group="flags-refresh")
    def refresh_rows(self, ids: list[int]) -> None:
        """Worker: fetch the fresh state of some rows and the counts."""
        engine = self.review_app.engine
        self.post_message(self.RowsRefreshed(store.flag_rows(engine, ids), store.flag_counts(engine)))

    def on_flags_screen_loaded(self, msg: Loaded) -> None:
        """Show a page; show what to do instead when there is nothing."""
        if msg.generation != self.generation:
            return
        if msg.counts is not None:
            self.show_counts(msg.counts)
        for row in msg.rows:
            if row["id"] in self.rows:
                continue
            self.rows[row["id"]] = row
            self.table.add_row(*self.cells(row), key=str(row["id"]))
        self.table.page_loaded(len(msg.rows), store.PAGE)
        if msg.offset == 0:
            nothing = not msg.rows
            self.empty.swap_with(self.table, nothing)
            if nothing:
                filters = "" if not (self.type_filter or self.status_filter) else " with these filters"
                self.empty.update(NO_SOURCES if msg.sources == 0 else NO_FLAGS.format(filters=filters))

    def on_flags_screen_rows_refreshed(self, msg: RowsRefreshed) -> None:
        """Update changed rows in place and the counts."""
        self.show_counts(msg.counts)
        for row in msg.rows:
            if row["id"] in self.rows:
                self.rows[row["id"]] = row
                for (_, key), value in zip(self.columns(), self.cells(row), strict=True):
                    self.table.update_cell(str(row["id"]), key, value)

    @on(PagedTable.NeedMore)
    def more(self, msg: PagedTable.NeedMore) -> None:
        """Load the next page."""
        self.load_page(self.generation, msg.loaded)

    def columns(self) -> list[tuple[str, str]]:
        """The columns shown at the current width."""
        return [c for c in COLUMNS if self.wide or c[1] != "score"]

    def add_columns(self) -> None:
        """Create the table's columns for the current width; the status column fits every status word."""
        for name, key in self.columns():
            self.table.add_column(name, key=key, width=STATUS_WIDTH if key == "status" else None)

    def on_resize(self) -> None:
        """Show or hide the score column when the terminal crosses WIDE columns, keeping the rows and cursor."""
        if (self.app.size.width >= WIDE) == self.wide:
            return
        self.wide = not self.wide
        cursor = self.table.cursor_row
        self.table.clear(columns=True)
        self.add_columns()
        for row in self.rows.values():
            self.table.add_row(*self.cells(row), key=str(row["id"]))
        if self.rows:
            self.table.move_cursor(row=min(cursor, self.table.row_count - 1))

    def cells(self, row: FlagRow) -> tuple[Text, ...]:
        """The table cells of one flag: the summary starts with what disagrees and is cut at its end."""
        id_width = max(2, len(str(max(row["id"], max(self.rows, default=0)))))
        room = max(24, self.app.size.width - OTHER_WIDTH[self.wide] - id_width)
        what = plain_line(finding_line(row["summary"], row["subject"]), room - 3 * bool(row.get("note")))
        if row.get("note"):
            what += "  ✎"
        cells = {"id": Text(str(row["id"])), "type": plain(row["type"].replace("_", " ")),
                 "score": Text(f"{row['score']:.2f}"), "status": status_label(row["status"]),
                 "members": Text(str(row["members"])), "what": what}  # Text: never read as markup
        return tuple(cells[key] for _, key in self.columns())

    def show_counts(self, counts: FlagCounts) -> None:
        """'7 of 11 flags open · type: all · status: all'."""
        per = "  ".join(f"{t.replace('_', ' ')} {c['open']}/{c['total']}" for t, c in counts["by_type"].items()
                        if c["total"])
        self.summary.update(Text.assemble(
            (f"{counts['open']:,}", "bold"), f" of {counted(counts['total'], 'flag')} open   ", clean(per), "\ntype: ",
            (clean(label(self.type_filter)), "bold"), " (t)   status: ", (clean(label(self.status_filter)), "bold"),
            " (S)"))
        self.sub_title = f"{counts['open']} open"

    # ------------------------------------------------------------ actions

    def current(self) -> FlagRow | None:
        """The highlighted flag's row."""
        key = self.table.current_key
        return self.rows.get(int(key)) if key else None

    def action_open(self) -> None:
        """Open the highlighted flag."""
        from factcheck.review.screens.flag_detail import FlagDetailScreen

        row = self.current()
        if row:
            self.app.push_screen(FlagDetailScreen(row["id"], self.type_filter, self.status_filter))

    def on_data_table_row_selected(self) -> None:
        """A click on the highlighted row opens it (Enter is bound above)."""
        self.action_open()

    def action_decide(self, status: str) -> None:
        """Record a decision on the highlighted flag and move to the next one."""
        row = self.current()
        if row:
            self.advance_after = row["id"]
            self.review_app.decide("flag", row["id"], row["version"], status=status)

    def action_note(self) -> None:
        """Write a note on the highlighted flag."""
        row = self.current()
        if row:
            self.review_app.ask_note("flag", row["id"], row["version"], row.get("note"))

    def action_cycle_type(self) -> None:
        """Show the next flag type only (or all)."""
        self.type_filter = next_choice(self.type_filter, FLAG_TYPE_CHOICES)
        self.reload()

    def action_cycle_status(self) -> None:
        """Show the next status only (or all)."""
        self.status_filter = next_choice(self.status_filter, FLAG_STATUS_CHOICES)
        self.reload()

    def on_item_changed(self, msg: ItemChanged) -> None:
        """A decision landed: refresh that row and step to the next flag if it was decided here."""
        if msg.target != "flag" or msg.target_id not in self.rows:
            return
        self.refresh_rows([msg.target_id])
        if self.advance_after == msg.target_id and self.table.cursor_row < self.table.row_count - 1:
            self.table.move_cursor(row=self.table.cursor_row + 1)
        self.advance_after = None
