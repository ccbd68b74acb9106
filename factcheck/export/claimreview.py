"""schema.org ClaimReview JSON-LD: one review per claim with a verdict, ready for <script type="application/ld+json">.

Each review's `url` is its claim's anchor in the HTML appendix when the export is given the address the appendix
is published at (--base-url URL: URL#claim-ID); without one a review has no `url` (schema.org does not require
it, and 'claim:ID' is no address) but always its `identifier` claim:ID. The claim's `appearance` carries the
source's URL when its metadata has a web address, and `itemReviewed.author` is the claimant: the speaker of
every claim that has one (a claim credited to its source's byline: the source's authors).

Rating scale (worstRating 1, bestRating 5): false = 1, disputed = 3, supported = 5. "Unverifiable" and
"Not a claim" are not points on a truth scale, so their Rating has only its alternateName, no numbers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag

from factcheck.export.citations import title_of, web_url
from factcheck.export.csl import is_organisation, split_names

if TYPE_CHECKING:
    from factcheck.export.data import ExportClaim, ExportData

Node = dict[str, Any]  # a JSON-LD node

WORST_RATING, BEST_RATING = 1, 5
RATINGS: dict[str, tuple[str, int | None]] = {  # claim status -> (alternateName, ratingValue)
    "false": ("False", 1),
    "disputed": ("Disputed", 3),
    "supported": ("Supported", 5),
    "unverifiable": ("Unverifiable", None),
    "not_a_claim": ("Not a claim", None),
}
TOOL = {"@type": "Organization", "name": "factcheck"}  # the review's author when no reviewer is on record
# Characters escaped in the output so it can sit inside an HTML <script> element (JSON readers get them back).
SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def party(name: str, kind: str | None = None) -> Node:
    """A Person or Organization node: the given kind ('person' / 'org'), else guessed from the name."""
    org = kind == "org" or (kind != "person" and is_organisation(name))
    return {"@type": "Organization" if org else "Person", "name": name}


def claim_author(claim: ExportClaim, src: Mapping[str, Any]) -> Node | list[Node] | None:
    """Who made the claim: the speaker, else (also when the speaker is the source's own claimant) the source's
    author(s), publisher or outlet, each as a party of its own."""
    speaker = claim.get("speaker")
    if speaker and (claim.get("details") or {}).get("speaker_from") != "source":
        return party(speaker, claim.get("speaker_kind"))
    names = split_names(src.get("author"))
    if names:
        people = [party(n) for n in names]
        return people[0] if len(people) == 1 else people
    for key in ("publisher", "outlet"):
        if src.get(key):
            return {"@type": "Organization", "name": " ".join(src[key].split())}
    return party(speaker, claim.get("speaker_kind")) if speaker else None


def claim_date(claim: ExportClaim, src: Mapping[str, Any]) -> str | None:
    """When the claim appeared: its post's date on a many-post page, else the source's, else its section's."""
    section, published = claim.get("section_date"), src.get("published")
    if section and (src.get("sections") or 0) > 1:
        return section[:10]
    when: str = (published or section or "")[:10]
    return when or None


def claim_reviewed(claim: ExportClaim) -> str:
    """The statement judged: the quoted words for a quote, else the sentence (excerpt) stating the claim."""
    if claim.get("kind") == "quote":
        text = claim.get("quote_text") or claim["text"]
    else:
        excerpt = " ".join((claim.get("excerpt") or "").split())
        text = excerpt if claim["text"] and " ".join(claim["text"].split()) in excerpt else claim["text"]
    return " ".join(text.split())


def location(claim: ExportClaim) -> str | None:
    """'section 2, paragraph 4, line 57' (the parts that are known)."""
    parts = [f"{name} {value}" for name in ("section", "paragraph", "line") if (value := claim.get(name))]
    return ", ".join(parts) or None


def rating(status: str) -> Node:
    """The Rating node of a verdict: alternateName always, ratingValue with the scale when it has a number."""
    name, value = RATINGS[status]
    node: Node = {"@type": "Rating", "alternateName": name}
    if value is not None:
        node.update(ratingValue=value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    return node


def review_url(claim_id: int, base_url: str | None) -> str | None:
    """The review's address: the claim's anchor in the HTML appendix published at base_url
    ('https://example.org/appendix.html#claim-12'), or None without a base URL (a bare 'claim:12' is no URL)."""
    base = web_url(base_url)
    if base is None:
        return None
    return f"{urldefrag(base).url}#claim-{claim_id}"


def review(claim: ExportClaim, src: Mapping[str, Any], generated_on: str, base_url: str | None = None) -> Node:
    """One ClaimReview node for a claim with a verdict; its url only with a base URL (review_url)."""
    appearance: Node = {"@type": "CreativeWork", "name": title_of(src), "text": claim.get("excerpt") or claim["text"],
                        "identifier": src["path"]}
    url = web_url(src.get("url"))
    if url:
        appearance["url"] = url
    where = location(claim)
    if where:
        appearance["description"] = where
    item: Node = {"@type": "Claim"}
    if claim.get("kind") != "quote":
        item["name"] = claim["text"]
    author = claim_author(claim, src)
    if author:
        item["author"] = author
    when = claim_date(claim, src)
    if when:
        item["datePublished"] = when
    item["appearance"] = appearance
    node: Node = {"@type": "ClaimReview"}
    url = review_url(claim["id"], base_url)
    if url:
        node["url"] = url
    node |= {
        "identifier": f"claim:{claim['id']}",
        "claimReviewed": claim_reviewed(claim),
        "reviewRating": rating(claim["status"]),
        "itemReviewed": item,
        "author": {"@type": "Person", "name": claim["reviewer"]} if claim.get("reviewer") else dict(TOOL),
        "datePublished": (claim.get("decided_at") or "")[:10] or generated_on,
    }
    if claim.get("note"):
        node["reviewBody"] = claim["note"]
    return node


def reviews(data: ExportData) -> list[Node]:
    """ClaimReview nodes for the exported claims that have a verdict (unreviewed ones are left out)."""
    sources = data.source_by_id
    generated_on = data.generated_at.date().isoformat()
    base = data.filters.base_url
    return [review(c, sources.get(c["source_id"]) or {"path": c.get("source") or "", "title": None}, generated_on,
                   base) for c in data.claims if c.get("status") in RATINGS]


def render(data: ExportData) -> str:
    """{"@context": "https://schema.org", "@graph": [ClaimReview, ...]} as indented JSON, safe inside <script>."""
    text = json.dumps({"@context": "https://schema.org", "@graph": reviews(data)}, ensure_ascii=False, indent=2)
    return re.sub("[<>&\u2028\u2029]", lambda m: SCRIPT_SAFE[m.group()], text) + "\n"
