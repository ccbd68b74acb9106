"""Widgets of the review TUI, one per module."""
