"""The one read layer: every read the command line, the review app and the exports make, as typed rows.

    common.py   what every read shares: ISO dates, row ids, byte-order sorting, the source filter, speaker
                look-up, the orphaned-claim snapshot, counts
    sources.py  sources: the `sources` list, a source's text with its sections and claim spans, export records
    claims.py   claims: the contract shape (`claims --json`), the review app's table, pages and previews, and
                the exports' claim rows with their locations and reviewers
    flags.py    flags: the member join, `flags --json`, the review queue, a flag's detail, the exports' flags
    exports.py  an export's filter and reads (numbering the cited sources is factcheck/export/data.py's)
    log.py      the audit log of review decisions (`log`)
    show.py     everything about one claim or one flag (`show`), as dataclasses

Nothing here writes (decisions.py does) or imports the command line or the terminal UI."""

from factcheck.store.claims import CLAIM_SORTS as CLAIM_SORTS
from factcheck.store.claims import PAGE as PAGE
from factcheck.store.claims import ClaimDict as ClaimDict
from factcheck.store.claims import ClaimExcerpt as ClaimExcerpt
from factcheck.store.claims import ClaimQuery as ClaimQuery
from factcheck.store.claims import ClaimRow as ClaimRow
from factcheck.store.claims import claim_excerpt as claim_excerpt
from factcheck.store.claims import claim_page as claim_page
from factcheck.store.claims import claim_rows as claim_rows
from factcheck.store.claims import count_claims as count_claims
from factcheck.store.claims import iter_claims as iter_claims
from factcheck.store.claims import list_claims as list_claims
from factcheck.store.claims import parse_search as parse_search
from factcheck.store.common import count_flags as count_flags
from factcheck.store.common import count_sources as count_sources
from factcheck.store.common import max_claim_id as max_claim_id
from factcheck.store.flags import DetailMember as DetailMember
from factcheck.store.flags import FlagCounts as FlagCounts
from factcheck.store.flags import FlagDetail as FlagDetail
from factcheck.store.flags import FlagDict as FlagDict
from factcheck.store.flags import FlagRow as FlagRow
from factcheck.store.flags import flag_counts as flag_counts
from factcheck.store.flags import flag_detail as flag_detail
from factcheck.store.flags import flag_neighbour as flag_neighbour
from factcheck.store.flags import flag_page as flag_page
from factcheck.store.flags import flag_rows as flag_rows
from factcheck.store.flags import list_flags as list_flags
from factcheck.store.log import HistoryEntry as HistoryEntry
from factcheck.store.log import history as history
from factcheck.store.show import ClaimView as ClaimView
from factcheck.store.show import FlagRef as FlagRef
from factcheck.store.show import FlagView as FlagView
from factcheck.store.show import MemberView as MemberView
from factcheck.store.show import Place as Place
from factcheck.store.show import claim_view as claim_view
from factcheck.store.show import flag_view as flag_view
from factcheck.store.show import view_dict as view_dict
from factcheck.store.sources import ClaimSpan as ClaimSpan
from factcheck.store.sources import SourceRow as SourceRow
from factcheck.store.sources import SourceView as SourceView
from factcheck.store.sources import list_sources as list_sources
from factcheck.store.sources import source_view as source_view
