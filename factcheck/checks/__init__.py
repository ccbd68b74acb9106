"""Consistency checks inside one document: arithmetic in tables and enumerations."""
