"""Every source, claim and flag with all their fields as one JSON document, for scripts (written as it is read)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from factcheck import __version__
from factcheck.export.data import ExportData, ExportFlag, ExportStream, StreamFlag

GROUP = 200  # claims or flags per chunk


def _dumps(value: object) -> str:
    """Compact JSON, as the whole document is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _items(values: Iterable[object]) -> Iterator[str]:
    """The elements of a JSON array (without the brackets), GROUP at a time."""
    group: list[str] = []
    first = True
    for value in values:
        group.append(_dumps(value))
        if len(group) >= GROUP:
            yield ("" if first else ",") + ",".join(group)
            group, first = [], False
    if group:
        yield ("" if first else ",") + ",".join(group)


def _flag(f: ExportFlag | StreamFlag) -> dict[str, Any]:
    """A flag with its members as references: claim id, role, source number."""
    return {**f, "members": [{"claim_id": m["id"], "role": m.get("role"), "source_number": m["source_number"]}
                             for m in f["members"]]}


def chunks(data: ExportData | ExportStream) -> Iterator[str]:
    """{"generator", "generated_at", "filters", "total_claims", "sources", "claims", "flags"} as compact JSON
    (pipe through `jq` to read), in pieces: the claims one group at a time, as they come."""
    head = _dumps({"generator": f"factcheck {__version__}", "generated_at": data.generated_at.isoformat(),
                   "filters": data.filters.describe(), "total_claims": data.total_claims, "sources": data.sources})
    yield head[:-1] + ',"claims":['
    yield from _items(data.claims)
    yield '],"flags":['
    yield from _items(_flag(f) for f in data.flags)
    yield "]}\n"


def render(data: ExportData) -> str:
    """The whole document as one string (see chunks)."""
    return "".join(chunks(data))
