"""Every source, claim and flag with all their fields as one JSON document, for scripts."""

from __future__ import annotations

import json

from factcheck import __version__
from factcheck.export.data import ExportData


def render(data: ExportData) -> str:
    """{"generated_at", "filters", "sources", "claims", "flags"} as compact JSON (pipe through `jq` to read)."""
    doc = {
        "generator": f"factcheck {__version__}",
        "generated_at": data.generated_at.isoformat(),
        "filters": data.filters.describe(),
        "total_claims": data.total_claims,
        "sources": data.sources,
        "claims": data.claims,
        "flags": [{**f, "members": [{"claim_id": m["id"], "role": m.get("role"), "source_number": m["source_number"]}
                                    for m in f["members"]]} for f in data.flags],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
