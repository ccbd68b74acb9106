"""Versioned schema (Alembic): new databases are created at the head revision, databases from before
migrations are brought up and stamped, and the migrations give exactly the models' schema on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlmodel import SQLModel

from factcheck.cli import main
from factcheck.db import alembic_config, current_revision, head_revision, make_engine, upgrade
from factcheck.migrations.baseline import REVISION as BASELINE
from factcheck.migrations.baseline import schema as baseline_schema

ROOT = Path(__file__).resolve().parent.parent


def differences(engine) -> list:
    """What Alembic's autogenerate finds between the database and SQLModel.metadata (nothing, if in step)."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, SQLModel.metadata)


def revision(engine) -> str | None:
    """The database's revision."""
    with engine.connect() as conn:
        return current_revision(conn)


def test_the_head_constant_names_the_newest_revision():
    """factcheck.migrations.HEAD (the fast check on every open) must follow versions/."""
    from factcheck.migrations import HEAD

    assert HEAD == head_revision(), "a new revision was added: set HEAD in factcheck/migrations/__init__.py"


def test_a_new_database_is_created_at_head_with_the_models_schema(any_db_url, capsys):
    assert main(["--db", any_db_url, "db", "current"]) == 0
    assert "revision (none)" in capsys.readouterr().out
    engine = make_engine(any_db_url)
    assert revision(engine) == head_revision()
    assert differences(engine) == []
    assert upgrade(engine) == "current"  # the next open does nothing
    assert main(["--db", any_db_url, "db", "current"]) == 0
    assert f"revision {head_revision()}, newest {head_revision()}: up to date" in capsys.readouterr().out


def test_every_revision_downgrades_and_upgrades_again(any_db_url):
    engine = make_engine(any_db_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert revision(engine) is None
    assert upgrade(engine) == "created"
    assert revision(engine) == head_revision() and differences(engine) == []


OLD_COLUMNS = {"source": ["url", "outlet", "source_type", "accessed", "meta_evidence"]}


def make_pre_migration_database(url: str) -> None:
    """A database as factcheck stored it before migrations and the citation metadata existed: the tables of
    revision 0001 less the source metadata columns and the decision table, no alembic_version, one source row."""
    engine = make_engine(url, migrate=False)
    md = baseline_schema()
    md.remove(md.tables["decision"])
    with engine.begin() as conn:
        md.create_all(conn)
        for table, columns in OLD_COLUMNS.items():
            for col in columns:
                conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {col}")
        conn.execute(text("INSERT INTO source (path, sha256, fmt, title, text, ingested_at) "
                          "VALUES ('old.txt', 'abc', 'txt', 'Old title', 'Old text, 12 cases.', :at)"),
                     {"at": "2024-01-02 03:04:05+00:00"})
    engine.dispose()


def test_a_database_from_before_migrations_is_brought_up_stamped_and_kept(any_db_url, seeds_dir, capsys):
    make_pre_migration_database(any_db_url)
    engine = make_engine(any_db_url, migrate=False)
    assert revision(engine) is None and "decision" not in inspect(engine).get_table_names()
    assert main(["--db", any_db_url, "db", "current"]) == 0
    assert "not migrated yet" in capsys.readouterr().out
    assert upgrade(engine).startswith(f"stamped {BASELINE}")
    assert revision(engine) == head_revision()
    assert differences(engine) == []  # the added columns and tables are exactly the models'
    with engine.connect() as conn:
        assert conn.execute(text("SELECT title, url FROM source")).one() == ("Old title", None)
    assert main(["--db", any_db_url, "ingest", str(seeds_dir / "000_a7169dbeeddd8cc3.txt")]) == 0
    capsys.readouterr()
    assert main(["--db", any_db_url, "sources", "--json"]) == 0
    assert [s["source"] for s in json.loads(capsys.readouterr().out)] == ["000_a7169dbeeddd8cc3.txt", "old.txt"]
    assert upgrade(make_engine(any_db_url, migrate=False)) == "current"


@pytest.mark.sqlite_only  # builds the old file with sqlite3, as an old version of factcheck left it
def test_an_old_sqlite_file_with_missing_columns_is_stamped_and_gets_them(tmp_path):
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE source (id INTEGER NOT NULL, path VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, "
                "fmt VARCHAR NOT NULL, title VARCHAR, publisher VARCHAR, author VARCHAR, published DATE, "
                "published_evidence VARCHAR, published_start INTEGER, text TEXT NOT NULL, "
                "ingested_at DATETIME NOT NULL, PRIMARY KEY (id))")
    con.execute("CREATE UNIQUE INDEX ix_source_path ON source (path)")
    con.execute("INSERT INTO source VALUES (1, 'a.txt', 'abc', 'txt', 'T', NULL, NULL, NULL, NULL, NULL, 'x', "
                "'2024-01-02 03:04:05.000000')")
    con.commit()
    con.close()
    engine = make_engine(str(db))
    assert revision(engine) == head_revision() and differences(engine) == []
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]
        columns = {r[1] for r in con.execute("PRAGMA table_info(source)")}
        assert set(OLD_COLUMNS["source"]) <= columns
        assert con.execute("SELECT path, title FROM source").fetchall() == [("a.txt", "T")]
    finally:
        con.close()


def test_a_database_that_is_not_ours_is_left_alone(any_db_url, capsys):
    engine = make_engine(any_db_url, migrate=False)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE claim (id INTEGER PRIMARY KEY, kind VARCHAR)")  # no required columns
    assert upgrade(engine) == "not a factcheck database"
    assert revision(engine) is None and set(inspect(engine).get_table_names()) == {"claim"}
    status = main(["--db", any_db_url, "claims", "--json"])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("error: database:") and "Traceback" not in err


def test_a_schema_newer_than_this_factcheck_is_refused_with_a_reason(any_db_url, capsys):
    engine = make_engine(any_db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'f00dfeed'")
    status = main(["--db", any_db_url, "sources"])
    err = capsys.readouterr().err
    assert status == 2 and "f00dfeed" in err and "upgrade factcheck" in err and len(err.splitlines()) == 1
    with engine.connect() as conn:
        assert conn.execute(select(text("version_num")).select_from(text("alembic_version"))).scalar() == "f00dfeed"


def test_processes_opening_a_new_database_at_once_all_succeed(any_db_url):
    def open_it(_):
        engine = make_engine(any_db_url, migrate=False)
        try:
            return upgrade(engine)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(open_it, range(4)))
    assert done.count("created") == 1 and done.count("current") == 3
    assert differences(make_engine(any_db_url)) == []


def test_the_developer_alembic_config_sees_no_pending_change(any_db_url):
    """`alembic check` with the repository's alembic.ini: the migrations describe the models completely
    (a model change without a revision fails here)."""
    def alembic(*args):
        return subprocess.run([sys.executable, "-m", "alembic", "-c", str(ROOT / "alembic.ini"),
                               "-x", f"db={any_db_url}", *args],
                              capture_output=True, text=True, timeout=120, cwd=ROOT)

    up = alembic("upgrade", "head")
    assert up.returncode == 0, up.stderr
    check = alembic("check")
    assert check.returncode == 0 and "No new upgrade operations detected" in check.stdout + check.stderr, check.stderr
