"""One flag: its statements side by side (stacked when narrow), the quote diff, and decisions."""

from __future__ import annotations

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from factcheck import store
from factcheck.review.messages import ItemChanged
from factcheck.review.render import clean, counted, mentions_line, plain, status_label
from factcheck.review.screens.base import ReviewScreen
from factcheck.review.widgets.date_timeline import DateTimeline
from factcheck.review.widgets.member_card import MemberCard
from factcheck.review.widgets.quote_diff import QuoteDiff
from factcheck.store import FlagDetail
from factcheck.timeline import statement_names, timeline_of

SIDE_BY_SIDE_MIN_WIDTH = 110  # narrower terminals stack the statements
SIDE_BY_SIDE_MAX_MEMBERS = 3


class FlagDetailScreen(ReviewScreen):
    """The statements of one flag with their sources; decide, mark the right one, open a source."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("c", "decide('confirmed')", "Confirm"),
        Binding("x", "decide('dismissed')", "Dismiss"),
        Binding("o", "decide('open')", "Reopen", show=False),  # the footer keeps to what fits in 80 columns
        Binding("e", "note", "Note", show=False),
        *(Binding(str(n), f"mark_right({n})", "Mark right", show=n == 1, key_display="1-9") for n in range(1, 10)),
        Binding("0", "mark_right(0)", "Clear mark", show=False),
        Binding("g,enter", "open_source", "Source", key_display="g"),
        Binding("right_square_bracket", "step(1)", "Next flag", key_display="]", show=False),
        Binding("left_square_bracket", "step(-1)", "Prev flag", key_display="[", show=False),
    ]

    class Loaded(Message):
        """The flag's detail arrived from the core."""

        def __init__(self, detail: FlagDetail | None) -> None:
            self.detail = detail
            super().__init__()

    class Stepped(Message):
        """The neighbouring flag's id arrived (None at either end of the queue)."""

        def __init__(self, flag_id: int | None, step: int) -> None:
            self.flag_id, self.step = flag_id, step
            super().__init__()

    def __init__(self, flag_id: int, type_filter: str | None = None, status_filter: str | None = None) -> None:
        super().__init__()
        self.flag_id = flag_id
        self.type_filter, self.status_filter = type_filter, status_filter
        self.detail: FlagDetail | None = None
        self.focus_index = 0

    @property
    def head(self) -> Static:
        """The flag's header block."""
        return self.query_one("#flag-head", Static)

    @property
    def members(self) -> Container:
        """The container of statement cards."""
        return self.query_one("#members", Container)

    @property
    def diff_box(self) -> Container:
        """Where the quote diff goes (empty when the flag has none)."""
        return self.query_one("#diff-box", Container)

    @property
    def timeline_box(self) -> Container:
        """Where the date timeline goes (empty when fewer than two statements give a date)."""
        return self.query_one("#timeline-box", Container)

    def compose(self) -> ComposeResult:
        """Header block, date timeline, diff, statements; footer."""
        yield Header()
        with VerticalScroll(id="flag-body"):
            yield Static("loading…", id="flag-head")
            yield Container(id="timeline-box")
            yield Container(id="diff-box")
            yield Container(id="members")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p still opens it

    def on_mount(self) -> None:
        """Load the flag."""
        self.title = f"Flag {self.flag_id}"
        self.load()

    @work(thread=True, exit_on_error=False, exclusive=True, group="flag-detail")
    def load(self) -> None:
        """Worker: fetch the flag and its statements."""
        self.post_message(self.Loaded(store.flag_detail(self.review_app.engine, self.flag_id)))

    def on_flag_detail_screen_loaded(self, msg: Loaded) -> None:
        """Show the flag: header, the timeline of its dates, the quote diff, one card per statement."""
        self.detail = d = msg.detail
        if d is None:
            self.head.update(f"Flag {self.flag_id} no longer exists (matching was re-run). Press Escape.")
            return
        self.title = clean(f"Flag {d['id']} · {d['type'].replace('_', ' ')}")
        head = plain(f"{d['type'].replace('_', ' ').upper()}  score {d['score']:.2f}  ", style="bold")
        head.append_text(status_label(d["status"]))
        head.append_text(plain(f"\n{d['subject'] or ''}\n", style="bold"))
        head.append_text(plain(d["summary"]))
        if d.get("explanation"):
            head.append_text(plain(f"\n{d['explanation']}", style="italic"))
        mentions = mentions_line(d["details"], d["members"])
        if mentions:
            head.append_text(mentions)
        if d.get("correct_claim_id"):
            n = next((i for i, m in enumerate(d["members"], 1) if m["claim_id"] == d["correct_claim_id"]), None)
            head.append(f"\n★ marked right: statement {n} (claim {d['correct_claim_id']})", style="bold")
        if d.get("note"):
            head.append_text(plain(f"\nnote: {d['note']}", style="italic"))
        self.head.update(head)
        self.members.remove_children()
        self.timeline_box.remove_children()
        if (timeline := timeline_of(d, statement_names(d["members"]))) is not None:
            self.timeline_box.mount(DateTimeline(timeline))
        diff_box = self.diff_box
        diff_box.remove_children()
        cards = [MemberCard(m, i, m["claim_id"] == d.get("correct_claim_id")) for i, m in enumerate(d["members"], 1)]
        if d["details"].get("diff"):
            diff_box.mount(QuoteDiff(d["details"]["diff"]))
        self.members.mount_all(cards)
        self.call_after_refresh(self.arrange_members)
        if cards:
            cards[min(self.focus_index, len(cards) - 1)].focus()

    def arrange_members(self) -> None:
        """Side by side on wide terminals (up to three statements), stacked otherwise."""
        n = len(self.query(MemberCard))
        wide = self.size.width >= SIDE_BY_SIDE_MIN_WIDTH and 1 < n <= SIDE_BY_SIDE_MAX_MEMBERS
        self.members.set_class(wide, "side-by-side")

    def on_resize(self) -> None:
        """Re-arrange the statements for the new width."""
        self.arrange_members()

    def focused_card(self) -> MemberCard | None:
        """The statement card with focus, else the first."""
        if isinstance(self.focused, MemberCard):
            return self.focused
        cards = self.query(MemberCard)
        return cards.first() if cards else None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Remember which statement has focus across reloads."""
        if isinstance(event.widget, MemberCard):
            self.focus_index = event.widget.index - 1

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        """Back to the queue."""
        self.app.pop_screen()

    def action_decide(self, status: str) -> None:
        """Confirm, dismiss or reopen this flag."""
        if self.detail:
            self.review_app.decide("flag", self.detail["id"], self.detail["version"], status=status)

    def action_note(self) -> None:
        """Write a note on this flag."""
        if self.detail:
            self.review_app.ask_note("flag", self.detail["id"], self.detail["version"], self.detail.get("note"))

    def action_mark_right(self, number: int) -> None:
        """Mark statement N as the right one (0 clears the mark)."""
        if not self.detail:
            return
        members = self.detail["members"]
        if number == 0:
            self.review_app.decide("flag", self.detail["id"], self.detail["version"], correct_claim_id=None)
        elif number <= len(members):
            self.review_app.decide("flag", self.detail["id"], self.detail["version"],
                            correct_claim_id=members[number - 1]["claim_id"])
        else:
            self.app.notify(f"This flag has {counted(len(members), 'statement')}.", severity="warning")

    def action_open_source(self) -> None:
        """Read the focused statement in its source."""
        card = self.focused_card()
        if card:
            self.review_app.open_source(card.member["source_id"], card.claim_id)

    def action_step(self, step: int) -> None:
        """Go to the next or previous flag of the queue."""
        self.find_neighbour(step)

    @work(thread=True, exit_on_error=False, exclusive=True, group="flag-step")
    def find_neighbour(self, step: int) -> None:
        """Worker: ask the core for the neighbouring flag."""
        fid = store.flag_neighbour(self.review_app.engine, self.flag_id, step, type_=self.type_filter,
                                    status=self.status_filter)
        self.post_message(self.Stepped(fid, step))

    def on_flag_detail_screen_stepped(self, msg: Stepped) -> None:
        """Show the neighbouring flag, or say the queue ends here."""
        if msg.flag_id is None:
            self.app.notify("That was the " + ("last" if msg.step > 0 else "first") + " flag.")
            return
        self.flag_id = msg.flag_id
        self.focus_index = 0
        self.load()

    def on_item_changed(self, msg: ItemChanged) -> None:
        """Reload when this flag or one of its statements changed."""
        d = self.detail
        if d and ((msg.target == "flag" and msg.target_id == d["id"])
                  or (msg.target == "claim" and any(m["claim_id"] == msg.target_id for m in d["members"]))):
            self.load()

    def on_screen_resume(self) -> None:
        """Back from a source view: statuses may have changed there."""
        if self.detail:
            self.load()
