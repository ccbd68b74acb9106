"""The schema of revision 0001 (the tables as they were when migrations began), frozen.

Never edit this file: later revisions change the schema with Alembic operations in versions/. It is used
twice: revision 0001 creates these tables in a new database, and `factcheck.db` brings a database made
before migrations existed (tables, no alembic_version) up to it before stamping it at 0001: the tables it
lacks are created and the nullable columns it lacks are added (what older versions of factcheck did on
every open).
"""

from __future__ import annotations

import sqlalchemy as sa

REVISION = "0001"


def schema() -> sa.MetaData:
    """A fresh MetaData holding the revision-0001 tables (names of indexes as SQLModel's create_all made them)."""
    md = sa.MetaData()
    text, num, day, when = sa.String, sa.Integer, sa.Date, sa.DateTime(timezone=True)
    sa.Table(
        "source", md,
        sa.Column("id", num, primary_key=True),
        sa.Column("path", text, nullable=False, index=True, unique=True),
        sa.Column("sha256", text, nullable=False, index=True),
        sa.Column("fmt", text, nullable=False),
        sa.Column("title", text), sa.Column("publisher", text), sa.Column("author", text),
        sa.Column("published", day), sa.Column("published_evidence", text), sa.Column("published_start", num),
        sa.Column("url", text), sa.Column("outlet", text), sa.Column("source_type", text),
        sa.Column("accessed", day), sa.Column("meta_evidence", text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", when, nullable=False),
    )
    sa.Table(
        "section", md,
        sa.Column("id", num, primary_key=True),
        sa.Column("source_id", num, sa.ForeignKey("source.id"), nullable=False, index=True),
        sa.Column("ordinal", num, nullable=False),
        sa.Column("heading", text), sa.Column("dated", day),
        sa.Column("dateline_start", num), sa.Column("dateline_end", num),
        sa.Column("start", num, nullable=False), sa.Column("end", num, nullable=False),
    )
    sa.Table(
        "entity", md,
        sa.Column("id", num, primary_key=True),
        sa.Column("kind", text, nullable=False),
        sa.Column("name", text, nullable=False, index=True),
        sa.Column("role", text),
    )
    sa.Table(
        "alias", md,
        sa.Column("id", num, primary_key=True),
        sa.Column("entity_id", num, sa.ForeignKey("entity.id"), nullable=False, index=True),
        sa.Column("text", text, nullable=False, index=True),
    )
    sa.Table(
        "claim", md,
        sa.Column("id", num, primary_key=True),
        sa.Column("source_id", num, sa.ForeignKey("source.id"), nullable=False, index=True),
        sa.Column("section_id", num, sa.ForeignKey("section.id"), index=True),
        sa.Column("kind", text, nullable=False, index=True),
        sa.Column("start", num, nullable=False), sa.Column("end", num, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("excerpt_start", num, nullable=False), sa.Column("excerpt_end", num, nullable=False),
        sa.Column("value", sa.Float), sa.Column("low", sa.Float), sa.Column("high", sa.Float),
        sa.Column("unit", text), sa.Column("qualifier", text),
        sa.Column("date", day), sa.Column("date_end", day), sa.Column("date_precision", text),
        sa.Column("relative", sa.Boolean, nullable=False), sa.Column("relative_to", day),
        sa.Column("subject", text),
        sa.Column("speaker_entity_id", num, sa.ForeignKey("entity.id"), index=True),
        sa.Column("quote_text", sa.Text), sa.Column("details", sa.JSON),
        sa.Column("fingerprint", text, nullable=False),
        sa.Column("status", text, nullable=False, index=True),
        sa.Column("note", text),
        sa.Column("version", num, nullable=False),
        sa.Column("updated_at", when, nullable=False),
    )
    sa.Table(
        "flag", md,
        sa.Column("id", num, primary_key=True),
        sa.Column("type", text, nullable=False, index=True),
        sa.Column("subject", text), sa.Column("summary", text),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("explanation", sa.Text), sa.Column("details", sa.JSON),
        sa.Column("fingerprint", text, nullable=False, index=True),
        sa.Column("status", text, nullable=False, index=True),
        sa.Column("note", text),
        sa.Column("version", num, nullable=False),
    )
    sa.Table(
        "flagmember", md,
        sa.Column("id", num, primary_key=True),
        sa.Column("flag_id", num, sa.ForeignKey("flag.id"), nullable=False, index=True),
        sa.Column("claim_id", num, sa.ForeignKey("claim.id"), nullable=False, index=True),
        sa.Column("role", text),
        sa.UniqueConstraint("flag_id", "claim_id"),
    )
    sa.Table(
        "decision", md,
        sa.Column("id", num, primary_key=True),
        sa.Column("at", when, nullable=False),
        sa.Column("reviewer", text, nullable=False),
        sa.Column("target", text, nullable=False),
        sa.Column("target_id", num, nullable=False),
        sa.Column("fingerprint", text),
        sa.Column("field", text, nullable=False),
        sa.Column("old", text), sa.Column("new", text), sa.Column("note", text),
    )
    return md
