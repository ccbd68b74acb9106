"""Exports: the citations appendix (Markdown, HTML) and data formats (JSON, CSV, CSL-JSON, BibTeX, ClaimReview)."""

from __future__ import annotations

from collections.abc import Callable, Generator
from importlib import import_module

from sqlalchemy.engine import Engine

from factcheck.export.data import ExportData, ExportFilter, load_export, stream_export
from factcheck.vocabulary import CONTRADICTION_TYPES

FORMATS = {"markdown": "markdown", "html": "html", "json": "json_data", "csl-json": "csl", "bibtex": "bibtex",
           "claimreview": "claimreview", "csv": "csv_table"}
DATA_FORMATS = ("json", "csv")  # these list every claim unless --status says otherwise
APPENDIX_FORMATS = ("markdown", "html")  # these list only contradictions among the flags, and cite what they list


def render(data: ExportData, fmt: str) -> str:
    """The export of already-loaded data in one format."""
    renderer: Callable[[ExportData], str] = import_module(f"factcheck.export.{FORMATS[fmt]}").render
    return renderer(data)


def _filters(fmt: str, filters: ExportFilter | None) -> ExportFilter:
    """The filters, with every claim for the data formats when no status is given."""
    filters = filters or ExportFilter()
    if fmt in DATA_FORMATS and not filters.statuses:
        filters = ExportFilter(("all",), filters.kinds, filters.source, filters.group_by, filters.base_url)
    return filters


def export_chunks(engine: Engine, fmt: str, filters: ExportFilter | None = None) -> Generator[str, None, None]:
    """The export as pieces of text to write as they come: json and csv read and write the claims in batches
    (memory stays flat in the number of claims); the other formats are one piece."""
    filters = _filters(fmt, filters)
    if fmt in DATA_FORMATS:
        with stream_export(engine, filters) as data:
            yield from import_module(f"factcheck.export.{FORMATS[fmt]}").chunks(data)
    else:
        yield render(load_export(engine, filters, CONTRADICTION_TYPES if fmt in APPENDIX_FORMATS else None), fmt)


def export(engine: Engine, fmt: str, filters: ExportFilter | None = None) -> str:
    """Load what the filters select and render it in one format, as one string."""
    return "".join(export_chunks(engine, fmt, filters))
