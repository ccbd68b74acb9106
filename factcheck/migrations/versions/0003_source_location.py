"""Source identity by location: `name` (relative to the folder given), `location` (the file, unique) and
`fingerprint_key` (the namespace of the source's claim fingerprints) on `source`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Existing sources keep their ids, claims, verdicts and flags: their `path` becomes their `name` and their
fingerprint key (their claims' fingerprints were made from it); their location stays NULL until a file with
their name and their bytes (or most of their text) is ingested again (factcheck/ingest/identity.py).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the three columns, copy path into name and fingerprint_key, index location (unique)."""
    for column in ("name", "location", "fingerprint_key"):
        op.add_column("source", sa.Column(column, sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.execute("UPDATE source SET name = path, fingerprint_key = path")
    op.create_index("ix_source_location", "source", ["location"], unique=True)


def downgrade() -> None:
    """Drop the index and the columns (a source's shown name stays in path)."""
    op.drop_index("ix_source_location", table_name="source")
    for column in ("fingerprint_key", "location", "name"):  # SQLite 3.35+ and PostgreSQL drop columns in place
        op.execute(f'ALTER TABLE source DROP COLUMN "{column}"')
