"""Shared fixtures: the seeds folder, the gold sample, and a fresh database per test."""

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD_CANDIDATES = [ROOT / "tests" / "data" / "seed_examples.json", ROOT.parent / "shared" / "gold" / "seed_examples.json"]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The project's seed corpus."""
    return SEEDS


@pytest.fixture(scope="session")
def gold() -> dict:
    """The hand-checked gold sample (a copy lives in tests/data)."""
    for p in GOLD_CANDIDATES:
        if p.exists():
            return json.loads(p.read_text(encoding="utf-8"))
    pytest.fail("gold sample seed_examples.json not found")


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    """A fresh SQLite file per test (and no leakage from $FACTCHECK_DB)."""
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    return str(tmp_path / "claims.db")


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> str:
    """A database with the seeds ingested once for the whole session."""
    from factcheck.cli import main

    path = str(tmp_path_factory.mktemp("seeded") / "claims.db")
    old = os.environ.pop("FACTCHECK_DB", None)
    try:
        assert main(["--db", path, "ingest", str(SEEDS)]) == 0
    finally:
        if old is not None:
            os.environ["FACTCHECK_DB"] = old
    return path


@pytest.fixture
def review_db(seeded_db, tmp_path, monkeypatch) -> str:
    """A private copy of the seeded database (SQLite backup API, so WAL contents come along) to change freely."""
    import sqlite3

    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    path = tmp_path / "claims.db"
    src, dst = sqlite3.connect(seeded_db), sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return str(path)


PG_ENV = "FACTCHECK_TEST_PG_URL"  # a server URL (postgresql+psycopg://user@127.0.0.1:PORT/postgres); .ci/run sets it


def _fresh_pg_database(server_url: str) -> tuple[str, callable]:
    """Create an empty database on the server; return its URL and a function that drops it."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"fc_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        from sqlalchemy.pool import NullPool

        with create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool).connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path, monkeypatch) -> str:
    """A fresh empty database on SQLite and on PostgreSQL (skipped without a server, but never in CI)."""
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    if request.param == "sqlite":
        yield str(tmp_path / "claims.db")
        return
    server = os.environ.get(PG_ENV)
    if not server:
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide a PostgreSQL server in ${PG_ENV}")
        pytest.skip(f"no PostgreSQL server: set ${PG_ENV} (see README, 'Testing against PostgreSQL')")
    url, drop = _fresh_pg_database(server)
    try:
        yield url
    finally:
        drop()
