"""Run every matcher and check over a set of claim records."""

from __future__ import annotations

from factcheck.checks.arithmetic import check_arithmetic
from factcheck.match.aliases import match_aliases
from factcheck.match.dates import match_dates
from factcheck.match.quantities import match_quantities
from factcheck.match.quotes import match_quotes
from factcheck.match.records import ClaimRecord, FlagDraft

ORDER = {"conflict": 0, "quote_variant": 1, "arithmetic": 2, "alias": 3, "repeat": 4}


def find_flags(records: list[ClaimRecord]) -> list[FlagDraft]:
    """All flags for the records: conflicts, quote variants, arithmetic, aliases and repeats, best first."""
    flags = (match_quantities(records) + match_dates(records) + match_quotes(records) + match_aliases(records)
             + check_arithmetic(records))
    flags.sort(key=lambda f: (ORDER.get(f.type, 9), -f.score))
    return flags
