"""The filter values each cycling key steps through."""

from __future__ import annotations

from typing import TypeVar

from factcheck.store import CLAIM_SORTS
from factcheck.vocabulary import CLAIM_KINDS, CLAIM_STATUSES, FLAG_QUEUE_TYPES, FLAG_STATUSES, ORPHANED

FLAG_TYPE_CHOICES = (None, *FLAG_QUEUE_TYPES)
FLAG_STATUS_CHOICES = (None, *FLAG_STATUSES)
CLAIM_KIND_CHOICES = (None, *CLAIM_KINDS)
CLAIM_STATUS_CHOICES = (None, *CLAIM_STATUSES, ORPHANED.value)
SORT_CHOICES = CLAIM_SORTS

T = TypeVar("T")


def next_choice(current: T, options: tuple[T, ...]) -> T:
    """The option after current, wrapping round (None means 'all')."""
    try:
        return options[(options.index(current) + 1) % len(options)]
    except ValueError:
        return options[0]


def label(value: object) -> str:
    """'all' for None, else the value with spaces."""
    return "all" if value is None else str(value).replace("_", " ")
