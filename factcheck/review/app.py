"""The review app: modes for the flag queue and the claims table; decisions go through the core."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import partial
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from factcheck import decisions
from factcheck.db import Engine
from factcheck.review.messages import ItemChanged
from factcheck.review.render import clean
from factcheck.review.screens.base import error_line
from factcheck.review.screens.claims import ClaimsScreen
from factcheck.review.screens.flags import FlagsScreen

UNDO_DEPTH = 200


class ReviewApp(App[None]):
    """Work through flags and claims; every decision is written at once and logged."""

    TITLE = "factcheck review"
    CSS_PATH = "app.tcss"
    MODES = {"flags": FlagsScreen, "claims": ClaimsScreen}
    DEFAULT_MODE = "flags"
    BINDINGS = [
        Binding("u", "undo", "Undo"),
        Binding("F", "show_mode('flags')", "Flags", show=False),  # shown by the claims table and the queue
        Binding("C", "show_mode('claims')", "Claims", show=False),
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),  # the screens bind it first in their footers
    ]

    class Decided(Message):
        """A decision (or an undo) was written by the core."""

        def __init__(self, applied: decisions.Applied, undo: bool) -> None:
            self.applied, self.undo = applied, undo
            super().__init__()

    class Refused(Message):
        """The core refused a decision (stale version, unknown item, ...)."""

        def __init__(self, reason: str, target: str, target_id: int) -> None:
            self.reason, self.target, self.target_id = reason, target, target_id
            super().__init__()

    def __init__(self, engine: Engine, reviewer: str, db_label: str = "") -> None:
        super().__init__()
        self.engine = engine
        self.reviewer = reviewer
        self.db_label = db_label
        self.undo_stack: list[decisions.Applied] = []
        self.versions: dict[tuple[str, int], int] = {}  # versions our own decisions produced
        self.write_lock = threading.Lock()

    def on_mount(self) -> None:
        """Show who is reviewing which database."""
        self.sub_title = clean(f"reviewer: {self.reviewer}" + (f" · {self.db_label}" if self.db_label else ""))

    # ------------------------------------------------------------ decisions

    def decide(self, target: str, target_id: int, version: int, **changes: Any) -> None:
        """Write a decision now (in a worker); screens hear about it through ItemChanged."""
        version = max(version, self.versions.get((target, target_id), 0))
        self.write_decision(target, target_id, version, changes)

    @work(thread=True, exit_on_error=False, group="decide")
    def write_decision(self, target: str, target_id: int, version: int, changes: dict[str, Any]) -> None:
        """Worker: call the core, post the outcome."""
        fn = decisions.decide_claim if target == "claim" else decisions.decide_flag
        with self.write_lock:
            try:
                applied = fn(self.engine, target_id, reviewer=self.reviewer, expected_version=version, **changes)
            except decisions.DecisionError as exc:
                self.post_message(self.Refused(str(exc), target, target_id))
            else:
                self.post_message(self.Decided(applied, undo=False))

    def action_undo(self) -> None:
        """Undo your last decision of this session."""
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        self.write_undo(self.undo_stack.pop())

    @work(thread=True, exit_on_error=False, group="decide")
    def write_undo(self, applied: decisions.Applied) -> None:
        """Worker: ask the core to undo a decision."""
        with self.write_lock:
            try:
                back = decisions.undo(self.engine, applied, reviewer=self.reviewer)
            except decisions.DecisionError as exc:
                self.post_message(self.Refused(f"cannot undo: {exc}", applied.target, applied.target_id))
            else:
                self.post_message(self.Decided(back, undo=True))

    def on_review_app_decided(self, msg: Decided) -> None:
        """Remember it for undo, say what changed, and let the screens refresh."""
        a = msg.applied
        self.versions[(a.target, a.target_id)] = a.version
        if not a.decision_ids:
            self.notify(f"{a.target} {a.target_id}: nothing changed", markup=False)
            return
        if not msg.undo:
            self.undo_stack = (self.undo_stack + [a])[-UNDO_DEPTH:]
        what = ", ".join(f"{k} {self._show(a.old.get(k))} → {self._show(a.new.get(k))}" for k in a.new)
        self.notify(clean(("undone: " if msg.undo else "") + f"{a.target} {a.target_id}: {what}"),
                    title="saved", timeout=3, markup=False)  # notes and values are document text, not markup
        self.broadcast(a.target, a.target_id)

    def on_review_app_refused(self, msg: Refused) -> None:
        """Say why, and show the fresh state."""
        self.versions.pop((msg.target, msg.target_id), None)
        self.notify(clean(msg.reason), title="not saved", severity="error", timeout=8, markup=False)
        self.broadcast(msg.target, msg.target_id)

    def broadcast(self, target: str, target_id: int) -> None:
        """Tell every screen of the current stack that an item changed."""
        for screen in self.screen_stack:
            screen.post_message(ItemChanged(target, target_id))

    @staticmethod
    def _show(value: object) -> str:
        """A value in a notification: '∅' for nothing, notes cut short."""
        if value in (None, ""):
            return "∅"
        text = str(value)
        return text if len(text) <= 40 else text[:39] + "…"

    def ask_note(self, target: str, target_id: int, version: int, current: str | None) -> None:
        """Ask for a note, then save it as a decision."""
        from factcheck.review.screens.note import NoteScreen

        def save(note: str | None) -> None:
            if note is not None and note != (current or ""):
                self.decide(target, target_id, version, note=note)

        self.push_screen(NoteScreen(f"{target} {target_id}", current), save)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A query or write failed (lost server, locked or damaged file): one line, no traceback."""
        if event.state == WorkerState.ERROR:
            self.notify(f"database: {error_line(event.worker.error)}", title="error", severity="error", timeout=10,
                        markup=False)

    # ------------------------------------------------------------ navigation

    async def action_show_mode(self, mode: str) -> None:
        """Go to the flag queue or the claims table itself, from whatever view of either was open."""
        if self.current_mode != mode:
            await self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not self.screen.is_modal:
            await self.pop_screen()

    def open_source(self, source_id: int, claim_id: int | None = None) -> None:
        """Read a source, scrolled to a claim."""
        from factcheck.review.screens.source import SourceScreen

        self.push_screen(SourceScreen(source_id, claim_id))

    def action_help(self) -> None:
        """Show every key."""
        from factcheck.review.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette offers every key's action on the current screen by name."""
        yield from super().get_system_commands(screen)
        seen: set[tuple[str, str]] = set()
        for key, active in screen.active_bindings.items():
            b = active.binding
            if not b.description or (b.description, b.action) in seen or not active.enabled:
                continue
            seen.add((b.description, b.action))
            yield SystemCommand(b.description, f"key: {b.key_display or key}",
                                partial(self.run_action, b.action, active.node))


def run(engine: Engine, reviewer: str, db_label: str = "") -> None:
    """Open the review app in the terminal."""
    ReviewApp(engine, reviewer, db_label).run()
