"""A source's full text, sections with their dates, every claim marked, scrolled to the current one."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from factcheck import store
from factcheck.review.messages import ItemChanged
from factcheck.review.render import clean, counted, plain, plain_line, status_label
from factcheck.review.screens.base import ReviewScreen
from factcheck.review.widgets.source_chunk import SourceChunk
from factcheck.store import ClaimRow, ClaimSpan, SourceView

CHUNK = 2000  # characters per text widget: whole paragraphs, so long sources stay quick


def chunk_bounds(text: str, start: int, end: int, size: int = CHUNK) -> list[tuple[int, int]]:
    """Split text[start:end] into pieces of about `size` characters, cut after a newline where possible."""
    out = []
    while start < end:
        stop = min(end, start + size)
        if stop < end:
            nl = text.rfind("\n", start + size // 4, stop)
            stop = nl + 1 if nl > 0 else stop
        out.append((start, stop))
        start = stop
    return out


class SourceScreen(ReviewScreen):
    """Read a source with its claims; step through them and give verdicts in place."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("right_square_bracket", "step(1)", "Next claim", key_display="]"),
        Binding("left_square_bracket", "step(-1)", "Prev claim", key_display="[", show=False),
        Binding("s", "verdict('supported')", "Supported"),
        Binding("d", "verdict('disputed')", "Disputed"),
        Binding("f", "verdict('false')", "False"),
        Binding("v", "verdict('unverifiable')", "Unverifiable", show=False),  # the footer keeps to 80 columns
        Binding("n", "verdict('not_a_claim')", "Not a claim", show=False),
        Binding("r", "verdict('unreviewed')", "Unreviewed", show=False),
        Binding("e", "note", "Note", show=False),
    ]

    class Loaded(Message):
        """The source's text, sections and claims arrived from the core."""

        def __init__(self, view: SourceView | None) -> None:
            self.view = view
            super().__init__()

    class ClaimLoaded(Message):
        """The current claim's row (value, status, note, version) arrived."""

        def __init__(self, row: ClaimRow | None) -> None:
            self.row = row
            super().__init__()

    def __init__(self, source_id: int, claim_id: int | None = None) -> None:
        super().__init__()
        self.source_id = source_id
        self.claim_id = claim_id
        self.view: SourceView | None = None
        self.claim_row: ClaimRow | None = None

    @property
    def head(self) -> Static:
        """Title, path and date of the source."""
        return self.query_one("#source-head", Static)

    @property
    def status(self) -> Static:
        """The current claim's line."""
        return self.query_one("#claim-line", Static)

    @property
    def body(self) -> VerticalScroll:
        """The scrolling text."""
        return self.query_one("#source-text", VerticalScroll)

    def compose(self) -> ComposeResult:
        """Header, source line, current-claim line, the text, footer."""
        yield Header()
        yield Static("loading…", id="source-head", classes="summary")
        yield Static("", id="claim-line", classes="summary")
        yield VerticalScroll(id="source-text")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p still opens it

    def on_mount(self) -> None:
        """Load the source."""
        self.title = "Source"
        self.load()

    @work(thread=True, exit_on_error=False, exclusive=True, group="source")
    def load(self) -> None:
        """Worker: fetch the source view."""
        self.post_message(self.Loaded(store.source_view(self.review_app.engine, self.source_id)))

    @work(thread=True, exit_on_error=False, exclusive=True, group="source-claim")
    def load_claim(self, claim_id: int) -> None:
        """Worker: fetch the current claim's row."""
        rows = store.claim_rows(self.review_app.engine, [claim_id])
        self.post_message(self.ClaimLoaded(rows[0] if rows else None))

    def on_source_screen_loaded(self, msg: Loaded) -> None:
        """Build section headings and text chunks, then go to the current claim."""
        v = self.view = msg.view
        if v is None:
            self.head.update("This source is no longer in the database. Press Escape.")
            return
        self.title = clean(v["title"] or v["source"])
        self.head.update(Text.assemble(plain(v["title"] or v["source"], style="bold"), plain(
            f"\n{v['source']} · published {v['published'] or 'date unknown'} · "
            f"{counted(max(1, len(v['sections'])), 'section')} · {counted(len(v['claims']), 'claim')}")))
        widgets = []
        sections = v["sections"] or [{"ordinal": 0, "heading": None, "dated": None, "start": 0, "end": len(v["text"])}]
        for sec in sections:
            widgets.append(Static(plain(f"§ {sec['ordinal'] + 1} · {sec['dated'] or 'undated'}")
                                  + (Text(" · ") + plain_line(sec["heading"], 80) if sec["heading"] else Text()),
                                  classes="section-heading"))
            widgets.extend(SourceChunk(v["text"], a, b, v["claims"])
                           for a, b in chunk_bounds(v["text"], sec["start"], sec["end"]))
        self.body.remove_children()
        self.body.mount_all(widgets)
        if self.claim_id is None and v["claims"]:
            self.claim_id = v["claims"][0]["id"]
        self.show_current()

    def current_claim(self) -> ClaimSpan | None:
        """The current claim's span record."""
        if not self.view:
            return None
        return next((c for c in self.view["claims"] if c["id"] == self.claim_id), None)

    def show_current(self, previous: int | None = None) -> None:
        """Highlight the current claim (re-rendering only the chunks it leaves and enters) and centre it."""
        target = None
        cur = self.current_claim()
        for chunk in self.query(SourceChunk):
            holds_current = cur is not None and chunk.holds(cur["start"])
            if previous is None or holds_current or chunk.shows(previous):
                chunk.show(self.claim_id)
            if holds_current:
                target = chunk
        if target is not None:
            self.call_after_refresh(self.scroll_to_claim, target, cur)
        if self.claim_id is not None:
            self.load_claim(self.claim_id)

    def scroll_to_claim(self, chunk: SourceChunk, claim: ClaimSpan) -> None:
        """Scroll so the line holding the claim sits in the middle of the view."""
        text = clean(chunk.source_text[chunk.start:claim["start"]])  # as shown: controls escaped
        width = max(10, chunk.content_region.width or chunk.size.width or 80)
        lines = sum(max(1, -(-len(line) // width)) for line in text.split("\n")) - 1
        y = chunk.virtual_region.y + lines - self.body.size.height // 2
        self.body.scroll_to(y=max(0, y), animate=False)

    def on_source_screen_claim_loaded(self, msg: ClaimLoaded) -> None:
        """Show the current claim's kind, value, status and note."""
        self.claim_row = r = msg.row
        if r is None:
            self.status.update("")
            return
        n = next((i for i, c in enumerate(self.view["claims"], 1) if c["id"] == r["id"]), 0) if self.view else 0
        line = (f"▶ claim {r['id']} ({n}/{len(self.view['claims']) if self.view else 0}) · {r['kind']} · "
                f"{r['value_label'] or plain_line(r['text'], 50).plain}"
                + (f" · {r['speaker']}" if r["speaker"] else "")
                + " · ")
        self.status.update(plain(f"{line}status {status_label(r['status']).plain}"
                                 + (f" · note: {r['note']}" if r["note"] else "")))

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        """Back to where you came from."""
        self.app.pop_screen()

    def action_step(self, step: int) -> None:
        """Make the next or previous claim in the text the current one."""
        if not self.view or not self.view["claims"]:
            return
        ids = [c["id"] for c in self.view["claims"]]
        i = ids.index(self.claim_id) if self.claim_id in ids else -1
        previous, self.claim_id = self.claim_id, ids[max(0, min(len(ids) - 1, i + step))]
        self.show_current(previous)

    def action_verdict(self, status: str) -> None:
        """Record a verdict on the current claim."""
        if self.claim_row:
            self.review_app.decide("claim", self.claim_row["id"], self.claim_row["version"], status=status)

    def action_note(self) -> None:
        """Write a note on the current claim."""
        row = self.claim_row
        if row:
            self.review_app.ask_note("claim", row["id"], row["version"], row.get("note"))

    def on_item_changed(self, msg: ItemChanged) -> None:
        """Reload the current claim's line after a decision on it."""
        if msg.target == "claim" and msg.target_id == self.claim_id:
            self.load_claim(self.claim_id)
