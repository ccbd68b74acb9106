"""The words the data is written in: claim kinds, claim and flag statuses, flag types and the queue's order.

One place for them all: the command line's parser, the store, the review app and the exports read them from
here. No imports but the standard library's enum (the command line's parser reads this at start-up). The
members are StrEnums, equal to the strings stored in the database; the tuples hold plain strings (argparse
shows and repeats them as they are)."""

from __future__ import annotations

from enum import StrEnum


class ClaimKind(StrEnum):
    """What a claim states."""

    QUANTITY = "quantity"
    DATE = "date"
    QUOTE = "quote"
    ATTRIBUTION = "attribution"


class ClaimStatus(StrEnum):
    """A claim's review status: a reviewer's verdict, or orphaned (no longer in its source's current text)."""

    UNREVIEWED = "unreviewed"
    SUPPORTED = "supported"
    DISPUTED = "disputed"
    FALSE = "false"
    UNVERIFIABLE = "unverifiable"
    NOT_A_CLAIM = "not_a_claim"
    ORPHANED = "orphaned"  # set by re-ingest, never by a reviewer


class FlagStatus(StrEnum):
    """A flag's review status."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class FlagType(StrEnum):
    """What a flag found across claims."""

    CONFLICT = "conflict"
    REPEAT = "repeat"
    QUOTE_VARIANT = "quote_variant"
    ALIAS = "alias"
    ARITHMETIC = "arithmetic"
    PARAPHRASE = "paraphrase"


ORPHANED = ClaimStatus.ORPHANED
UNREVIEWED = ClaimStatus.UNREVIEWED
OPEN = FlagStatus.OPEN

CLAIM_KINDS: tuple[str, ...] = tuple(k.value for k in ClaimKind)
CLAIM_STATUSES: tuple[str, ...] = tuple(s.value for s in ClaimStatus if s is not ORPHANED)  # a reviewer's choices
FLAG_STATUSES: tuple[str, ...] = tuple(s.value for s in FlagStatus)
FLAG_TYPES: tuple[str, ...] = tuple(t.value for t in FlagType)  # as the command line lists them

# The flag queue's order: conflicts first, then quote variants, arithmetic, aliases, repeats, paraphrases (an
# unknown type after them all: UNKNOWN_FLAG_RANK).
FLAG_ORDER: dict[str, int] = {t.value: i for i, t in enumerate((
    FlagType.CONFLICT, FlagType.QUOTE_VARIANT, FlagType.ARITHMETIC, FlagType.ALIAS, FlagType.REPEAT,
    FlagType.PARAPHRASE))}
UNKNOWN_FLAG_RANK = 9
FLAG_QUEUE_TYPES: tuple[str, ...] = tuple(FLAG_ORDER)  # the flag types in queue order
CONTRADICTION_TYPES: tuple[str, ...] = (FlagType.CONFLICT.value, FlagType.QUOTE_VARIANT.value,
                                        FlagType.ARITHMETIC.value)  # the flags an appendix lists as contradictions

