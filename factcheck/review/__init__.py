"""The review TUI (Textual): a thin layer over factcheck.browse and factcheck.decisions."""
