"""A key/value `state` table: e.g. `match_pending`, set with every stored document, cleared by matching.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the state table."""
    op.create_table("state",
                    sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
                    sa.PrimaryKeyConstraint("key"))


def downgrade() -> None:
    """Drop the state table."""
    op.drop_table("state")
