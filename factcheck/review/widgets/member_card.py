"""One statement of a flag: source, date, section, speaker, value and the highlighted excerpt."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from factcheck.review.render import excerpt_text, plain, status_label
from factcheck.store import DetailMember


class MemberCard(Static, can_focus=True):
    """A focusable card for statement number `index` of a flag."""

    DEFAULT_CSS = """
    MemberCard { height: auto; border: round $panel-lighten-2; padding: 0 1; margin: 0 1 1 0; }
    MemberCard:focus { border: double $accent; }
    MemberCard.correct { border: heavy $success; }
    """

    def __init__(self, member: DetailMember, index: int, correct: bool) -> None:
        self.member = member
        self.index = index
        super().__init__(classes="correct" if correct else "")
        self.border_title = f"{index} · claim {member['claim_id']}" + ("  ★ marked right" if correct else "")

    @property
    def claim_id(self) -> int:
        """The claim this card shows."""
        claim_id: int = self.member["claim_id"]
        return claim_id

    def render(self) -> Group:
        """Title, date, section, speaker, value, excerpt."""
        m = self.member
        head = plain(m.get("title") or m["source"], style="bold")
        head.append_text(plain(f"\n{m['source']}", style="dim"))
        dated = m.get("section_date") or m.get("published") or "undated"
        where = f"section {section + 1}" if (section := m.get("section")) is not None else "whole document"
        meta = plain(f"{dated} · {where}" + (f" · {m['section_heading']}" if m.get("section_heading") else ""))
        lines = [head, meta]
        if m.get("speaker"):
            lines.append(Text("speaker: ", style="dim") + plain(m["speaker"], style="bold"))
        if m.get("value_label"):
            lines.append(Text("value: ", style="dim") + plain(m["value_label"], style="bold"))
        if m.get("role"):
            lines.append(plain(f"role: {m['role']}", style="dim"))
        lo, hi = m["highlight"]
        names = m.get("mention_spans") or []
        if names:
            lines.append(Text("names highlighted, statement underlined", style="dim"))
        lines.append(excerpt_text(m["excerpt"], lo, hi, names))
        lines.append(Text("claim: ", style="dim") + status_label(m["status"]))
        return Group(*lines)
