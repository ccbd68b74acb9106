"""Exports: the citations appendix (Markdown, HTML) and data formats (JSON, CSV, CSL-JSON, BibTeX, ClaimReview)."""

from __future__ import annotations

from importlib import import_module

from sqlalchemy.engine import Engine

from factcheck.export.data import ExportData, ExportFilter, load_export

FORMATS = {"markdown": "markdown", "html": "html", "json": "json_data", "csl-json": "csl", "bibtex": "bibtex",
           "claimreview": "claimreview", "csv": "csv_table"}
DATA_FORMATS = ("json", "csv")  # these list every claim unless --status says otherwise


def render(data: ExportData, fmt: str) -> str:
    """The export of already-loaded data in one format."""
    return import_module(f"factcheck.export.{FORMATS[fmt]}").render(data)


def export(engine: Engine, fmt: str, filters: ExportFilter | None = None) -> str:
    """Load what the filters select and render it in one format."""
    filters = filters or ExportFilter()
    if fmt in DATA_FORMATS and not filters.statuses:
        filters = ExportFilter(("all",), filters.kinds, filters.source, filters.group_by)
    return render(load_export(engine, filters), fmt)
