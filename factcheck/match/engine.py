"""Run every matcher and check over a set of claim records."""

from __future__ import annotations

import gc

from factcheck.checks.arithmetic import check_arithmetic
from factcheck.match.aliases import match_aliases
from factcheck.match.dates import match_dates
from factcheck.match.events import Topics
from factcheck.match.paraphrase import match_paraphrases
from factcheck.match.quantities import match_quantities
from factcheck.match.quotes import match_quotes
from factcheck.match.records import ClaimRecord, FlagDraft, SourceText
from factcheck.match.reuse import match_reuse

ORDER = {"conflict": 0, "quote_variant": 1, "arithmetic": 2, "alias": 3, "repeat": 4, "paraphrase": 5}


def find_flags(records: list[ClaimRecord], texts: list[SourceText] | None = None) -> list[FlagDraft]:
    """All flags for the records: conflicts, quote variants, arithmetic, aliases, repeats and (with the
    optional model) paraphrases, best first; with the sources' texts, passages copied between them too, and
    every mention of a name in alias flags."""
    # matching allocates millions of small objects that never form cycles; the cyclic collector would
    # rescan all of them again and again (superlinear on a million claims), so it pauses meanwhile
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _find_flags(records, texts or [])
    finally:
        if was_enabled:
            gc.enable()


def _find_flags(records: list[ClaimRecord], texts: list[SourceText]) -> list[FlagDraft]:
    """The matchers and checks, in order."""
    topics = Topics(records)  # which places report the same event: figures and dates pair only within one
    flags = (match_quantities(records, topics) + match_dates(records, topics) + match_quotes(records, topics)
             + match_aliases(records, {t.source_id: t for t in texts} or None) + check_arithmetic(records)
             + match_reuse(records, texts))
    flags += match_paraphrases(records, topics, flags)  # last: statements no other flag already links
    flags.sort(key=lambda f: (ORDER.get(f.type, 9), -f.score))
    return flags
