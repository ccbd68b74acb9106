"""Claim extraction: sentences, quantities, dates (pure functions over text)."""
