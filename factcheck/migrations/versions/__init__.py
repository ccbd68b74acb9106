"""Alembic revisions, one file each, applied in order by `factcheck.db.upgrade`."""
