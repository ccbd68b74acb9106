"""The highlighted claim's excerpt, subject and note under the claims table."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from factcheck.review.render import excerpt_text, plain
from factcheck.store import ClaimExcerpt


class ClaimPreview(Static):
    """Shows where the highlighted claim comes from: its excerpt with the claim marked."""

    DEFAULT_CSS = """
    ClaimPreview { height: auto; max-height: 7; border-top: solid $primary; padding: 0 1; }
    """

    def show(self, info: ClaimExcerpt | None) -> None:
        """Render one claim's excerpt (or nothing)."""
        if info is None:
            self.update("")
            return
        lo, hi = info["highlight"]
        lines = [excerpt_text(info["excerpt"], lo, hi)]
        extra = Text()
        for label, value in (("speaker", info.get("speaker")), ("source", info.get("source")),
                             ("subject", info.get("subject")), ("note", info.get("note"))):
            if value:
                extra.append(("   " if extra else "") + f"{label}: ", style="dim")
                extra.append_text(plain(value, style="italic" if label == "note" else ""))
        if extra:
            lines.append(extra)
        self.update(Group(*lines))
