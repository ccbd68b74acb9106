"""Rich Text builders for excerpts, quote diffs and status labels (no widgets, no queries)."""

from __future__ import annotations

from rich.text import Text

from factcheck.labels import short as one_line  # noqa: F401  (screens import it from here)

STATUS_MARKS = {
    "unreviewed": "·", "supported": "✔", "disputed": "?", "false": "✘", "unverifiable": "~",
    "not_a_claim": "−", "open": "●", "confirmed": "✔", "dismissed": "✘", "orphaned": "!",
}
STATUS_STYLES = {
    "supported": "green", "confirmed": "green", "disputed": "yellow", "false": "red", "dismissed": "dim",
    "unverifiable": "magenta", "not_a_claim": "dim", "open": "bold", "unreviewed": "",
}
HIGHLIGHT = "bold reverse"      # the value or quote a statement is about: visible without colour
OTHER_CLAIM = "underline"       # other claims in a source


def status_label(status: str) -> Text:
    """A status with a mark that does not rely on colour: '✔ supported'."""
    return Text(f"{STATUS_MARKS.get(status, ' ')} {status.replace('_', ' ')}", style=STATUS_STYLES.get(status, ""))


def excerpt_text(excerpt: str, start: int, end: int) -> Text:
    """An excerpt in quotation marks with the claim's span highlighted (bold, reverse)."""
    start, end = max(0, start), min(len(excerpt), end)
    text = Text("“")
    text.append(excerpt[:start])
    text.append(excerpt[start:end], style=HIGHLIGHT)
    text.append(excerpt[end:])
    text.append("”")
    return text


def diff_text(diff: list, side: int) -> Text:
    """One side of a word diff: words only on this side are bracketed and styled ([-gone-], {+new+})."""
    text = Text()
    for op, a, b in diff:
        words = a if side == 0 else b
        if op == "equal":
            text.append(words + " ")
        elif words:
            if side == 0:
                text.append(f"[-{words}-]", style="bold strike red")
            else:
                text.append(f"{{+{words}+}}", style="bold underline green")
            text.append(" ")
    return text
