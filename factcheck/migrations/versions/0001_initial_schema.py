"""Initial schema: sources, sections, entities, aliases, claims, flags, flag members, decisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

The tables are defined once, in factcheck/migrations/baseline.py (frozen), because factcheck.db also uses
them to bring databases made before migrations existed up to this revision.
"""

from __future__ import annotations

from alembic import op
from alembic.operations import ops

from factcheck.migrations.baseline import schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table and its indexes."""
    for table in schema().sorted_tables:
        op.invoke(ops.CreateTableOp.from_table(table))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            op.invoke(ops.CreateIndexOp.from_index(index))


def downgrade() -> None:
    """Drop every table (all data is lost)."""
    for table in reversed(schema().sorted_tables):
        op.drop_table(table.name)
