"""Cross-document matching: repeats, conflicts, quote variants and aliases (pure functions over records)."""
