"""Versioned schema migrations (Alembic). `factcheck.db.make_engine` applies them when it opens a database;
developers add one per schema change (see README, "Schema migrations")."""

# The newest revision in versions/. make_engine compares a database's alembic_version with it without
# importing Alembic (a third of a second on every command); tests/test_migrations.py checks it is current.
HEAD = "0003"
