"""Messages the app posts to its screens after a decision is written or refused."""

from __future__ import annotations

from textual.message import Message


class ItemChanged(Message):
    """A claim or flag was changed (by a decision or an undo): screens showing it reload it."""

    def __init__(self, target: str, target_id: int) -> None:
        self.target = target
        self.target_id = target_id
        super().__init__()
