"""A piece of a source's text with its claims underlined and the current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from factcheck.review.render import HIGHLIGHT, OTHER_CLAIM, clean_cut
from factcheck.store import ClaimSpan


class SourceChunk(Static):
    """Source text from start to end; re-rendered when the current claim moves in or out."""

    DEFAULT_CSS = "SourceChunk { height: auto; padding: 0 1; }"

    def __init__(self, text: str, start: int, end: int, claims: list[ClaimSpan]) -> None:
        self.start, self.end = start, end
        self.source_text = text
        self.claims = [c for c in claims if c["start"] < end and c["end"] > start]
        super().__init__()

    def holds(self, offset: int) -> bool:
        """Whether a character offset lies in this chunk."""
        return self.start <= offset < self.end

    def shows(self, claim_id: int | None) -> bool:
        """Whether the claim claim_id is (partly) in this chunk."""
        return any(c["id"] == claim_id for c in self.claims)

    def show(self, current_id: int | None) -> None:
        """Render with the claim current_id highlighted (and marked with ▶◀)."""
        spans = [(c["id"], max(c["start"], self.start) - self.start, min(c["end"], self.end) - self.start)
                 for c in self.claims]
        text, at = clean_cut(self.source_text[self.start:self.end], [x for _, lo, hi in spans for x in (lo, hi)])
        for cid, lo, hi in spans:
            text.stylize(HIGHLIGHT if cid == current_id else OTHER_CLAIM, at[lo], at[hi])
        for cid, lo, hi in spans:
            if cid == current_id:
                lo, hi = at[lo], at[hi]
                text = text[:lo] + Text("▶", style="bold") + text[lo:hi] + Text("◀", style="bold") + text[hi:]
                break
        self.update(text)
