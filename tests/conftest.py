"""Shared fixtures: the seeds folder, the gold sample, and a fresh database per test.

Databases are SQLite files unless FACTCHECK_TEST_BACKEND=postgresql; any_db_url gives every test that takes
it both. PostgreSQL databases are made on $FACTCHECK_TEST_PG_URL's server, else on a throwaway server started
for the session (tests/pgserver.py); see README, "Testing against PostgreSQL"."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD_CANDIDATES = [ROOT / "tests" / "data" / "seed_examples.json",
                   ROOT.parent / "shared" / "gold" / "seed_examples.json"]


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


PG_ENV = "FACTCHECK_TEST_PG_URL"  # a server URL (postgresql+psycopg://user@127.0.0.1:PORT/postgres); .ci/run sets it
BACKEND_ENV = "FACTCHECK_TEST_BACKEND"  # "postgresql": db_url, seeded_db and review_db are PostgreSQL databases
BACKENDS = ("sqlite", "postgresql")


def backend() -> str:
    """The database the suite's db_url/seeded_db/review_db fixtures use: sqlite (default) or postgresql."""
    name = os.environ.get(BACKEND_ENV) or "sqlite"
    if name not in BACKENDS:
        raise pytest.UsageError(f"${BACKEND_ENV} must be one of {', '.join(BACKENDS)}, not {name!r}")
    return name


def pytest_report_header(config) -> str:
    """Say which database the suite runs on."""
    server = os.environ.get(PG_ENV)
    where = f"server {server}" if server else "a throwaway server started by the tests, if PostgreSQL is installed"
    return f"factcheck: backend {backend()} (${BACKEND_ENV}); PostgreSQL tests use {where}"


# The slow tests, marked here in one place: a whole file, or one test with every parametrisation. `pytest -m "not
# slow"` leaves them out; the default run (and so CI) runs them. Seconds: their share of a whole run on the 2-core
# machine (README, "Testing").
SLOW = {
    "test_crash_safety.py": "ingest killed at many points in child processes, on both databases",
    "test_hostile_input.py": "a corpus of hostile files ingested twice in a child process, memory watched",
    "test_concurrency.py": "reviewers racing in separate processes, and a 3 s stress run, on both databases",
    "test_dask_example.py": "a Dask LocalCluster ingest of the seeds, on both databases",
    "test_hostile_text.py::test_long_line_extraction_memory_is_flat": "megabyte lines, memory traced",
    "test_hostile_text.py::test_long_line_ingest_peak_rss_is_bounded": "a child process's peak memory",
    "test_database_hardening.py::test_a_damaged_database_refuses_writes_in_one_line": "child processes",
    "test_database_hardening.py::test_two_ingests_of_the_same_new_files_at_once_both_succeed": "two ingests at once",
    "test_database_hardening.py::test_a_database_in_a_read_only_folder_can_still_be_read": "child processes",
    "test_database_hardening.py::test_a_deeply_nested_sources_toml_is_one_line_and_the_documents_go_in": "deep toml",
    "test_backup.py::test_damaged_backup_is_refused_and_nothing_is_written": "seeds backed up once per damage",
    "test_backup.py::test_backup_and_restore_keep_every_row": "seeds backed up and restored on both databases",
    "test_source_identity.py::test_ingest_on_a_full_disk_stores_nothing_half_written": "a full disk in a child process",
    "test_source_identity.py::test_a_read_command_in_an_empty_folder_says_so_and_makes_no_file": "8 child processes",
    "test_source_identity.py::test_ingest_into_a_read_only_database_says_so_and_changes_nothing": "child processes",
    "test_backends.py": "every command, the review app and the seeds on SQLite and PostgreSQL",
    "test_workers.py": "ingest in worker processes",
    "test_properties_order.py": "ingest and matching in shuffled orders, Hypothesis examples",
    "test_migrations.py::test_the_developer_alembic_config_sees_no_pending_change": "autogenerate, both databases",
    "test_safe_output.py::test_dev_fd_1_dev_stdout_and_dash_write_to_standard_output": "child processes",
    "test_safe_output.py::test_restore_from_standard_input_through_a_pipe": "child processes",
    "test_hostile_text.py::test_long_table_row_excerpts_are_windows": "a megabyte table row",
    "test_backup.py::test_restore_refuses_a_database_with_data_unless_forced": "seeds restored on both databases",
    "test_cli.py::test_python_dash_m_and_console_script": "child processes",
}


def _mark_slow(items) -> None:
    """Mark the tests SLOW names; a name that is no test (renamed, removed) is an error, not a silent miss."""
    slow, found = pytest.mark.slow, set()
    for item in items:
        name = item.path.name
        for key in (name, f"{name}::{getattr(item, 'originalname', item.name)}"):
            if key in SLOW:
                item.add_marker(slow)
                found.add(key)
    modules = {item.path.name: item.module for item in items if getattr(item, "module", None) is not None}
    missing = [key for key in SLOW if "::" in key and key not in found
               and key.split("::")[0] in modules and not hasattr(modules[key.split("::")[0]], key.split("::")[1])]
    if missing:
        raise pytest.UsageError(f"tests/conftest.py SLOW names tests that do not exist: {', '.join(missing)}")


def pytest_collection_modifyitems(config, items) -> None:
    """Mark the slow tests; on the PostgreSQL backend, skip the tests that need SQLite itself (marked sqlite_only)."""
    _mark_slow(items)
    if backend() != "postgresql":
        return
    skip = pytest.mark.skip(reason=f"SQLite only (opens the file with sqlite3 or tests SQLite itself): "
                                   f"${BACKEND_ENV}=postgresql")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """URL of the PostgreSQL server for the tests: $FACTCHECK_TEST_PG_URL, else a throwaway server started here
    for the session (tests/pgserver.py). Skipped when neither can be had, but in CI that is a failure."""
    def unavailable(why: str):
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests, but {why}")
        pytest.skip(f"no PostgreSQL server: {why} (set ${PG_ENV}, or install PostgreSQL so the tests can start "
                    f"one; see README, 'Testing against PostgreSQL')")

    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("the driver is not installed: pip install -e '.[postgres]'")
    server = os.environ.get(PG_ENV)
    if server:
        yield server
        return
    import pgserver

    try:
        started = pgserver.start()
    except (pgserver.Unavailable, OSError, subprocess.SubprocessError) as exc:
        unavailable(str(exc))
    try:
        yield started.url
    finally:
        started.stop()


def _fresh_pg_database(server_url: str, template: str | None = None) -> tuple[str, callable]:
    """Create a database on the server (empty, or a copy of template); return its URL and a function that drops it."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    def admin():
        return create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def disconnect(conn, db: str) -> None:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": db})

    name = f"fc_test_{uuid.uuid4().hex[:12]}"
    with admin().connect() as conn:
        if template:  # a template must have no other connections (engines a test left behind)
            disconnect(conn, template)
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin().connect() as conn:
            disconnect(conn, name)
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))

    return url, drop


def _pg_name(url: str) -> str:
    """The database name in a URL."""
    from sqlalchemy.engine import make_url

    return make_url(url).database


@pytest.fixture
def db_url(request, tmp_path, monkeypatch) -> str:
    """A fresh empty database per test (and no leakage from $FACTCHECK_DB): a SQLite file, or a PostgreSQL
    database with FACTCHECK_TEST_BACKEND=postgresql."""
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    if backend() == "sqlite":
        return str(tmp_path / "claims.db")
    url, drop = _fresh_pg_database(request.getfixturevalue("pg_server"))
    request.addfinalizer(drop)
    return url


def _ingest_seeds(db: str) -> None:
    """Ingest the seeds with the CLI, as a user would."""
    from factcheck.cli import main

    old = os.environ.pop("FACTCHECK_DB", None)
    try:
        assert main(["--db", db, "ingest", str(SEEDS)]) == 0
    finally:
        if old is not None:
            os.environ["FACTCHECK_DB"] = old


@pytest.fixture(scope="session")
def seeded_db(request, tmp_path_factory) -> str:
    """A database with the seeds ingested once for the whole session (not to be changed: see review_db)."""
    if backend() == "sqlite":
        path = str(tmp_path_factory.mktemp("seeded") / "claims.db")
        _ingest_seeds(path)
        return path
    url, drop = _fresh_pg_database(request.getfixturevalue("pg_server"))
    request.addfinalizer(drop)
    _ingest_seeds(url)
    return url


@pytest.fixture(scope="session")
def _seeded_master(request) -> str:
    """What review_db copies: seeded_db itself on SQLite; on PostgreSQL the name of a seeded database that
    nothing but CREATE DATABASE ... TEMPLATE touches (a template must have no other connections)."""
    if backend() == "sqlite":
        return request.getfixturevalue("seeded_db")
    url, drop = _fresh_pg_database(request.getfixturevalue("pg_server"))
    request.addfinalizer(drop)
    _ingest_seeds(url)
    return _pg_name(url)


def _private_copy(master: str, request, tmp_path) -> str:
    """A private copy of a master database to change freely: the SQLite backup API (so WAL contents come
    along), or CREATE DATABASE ... TEMPLATE on PostgreSQL (master is then the template's name)."""
    if backend() == "postgresql":
        url, drop = _fresh_pg_database(request.getfixturevalue("pg_server"), template=master)
        request.addfinalizer(drop)
        return url
    import sqlite3

    path = tmp_path / "claims.db"
    src, dst = sqlite3.connect(master), sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return str(path)


@pytest.fixture
def review_db(_seeded_master, request, tmp_path, monkeypatch) -> str:
    """A private copy of the seeded database to change freely."""
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    return _private_copy(_seeded_master, request, tmp_path)


@pytest.fixture(scope="session")
def _tui_master(request, tmp_path_factory) -> str:
    """What tui_db copies: the small review database of tests/reviewdata.py, built once (on PostgreSQL the
    name of a database nothing but CREATE DATABASE ... TEMPLATE touches)."""
    import reviewdata

    if backend() == "sqlite":
        path = str(tmp_path_factory.mktemp("tui") / "claims.db")
        reviewdata.build(path)
        return path
    url, drop = _fresh_pg_database(request.getfixturevalue("pg_server"))
    request.addfinalizer(drop)
    reviewdata.build(url)
    return _pg_name(url)


@pytest.fixture
def tui_db(_tui_master, request, tmp_path, monkeypatch) -> str:
    """A private copy of the review app's test database: three sources, their claims and one flag of each type,
    written directly through the models and the matcher's store (tests/reviewdata.py), so the TUI tests do not
    depend on what the extractor and matcher find in seeds/."""
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    return _private_copy(_tui_master, request, tmp_path)


@pytest.fixture(params=BACKENDS)
def any_db_url(request, tmp_path, monkeypatch) -> str:
    """A fresh empty database on SQLite and on PostgreSQL (skipped without a server, but never in CI)."""
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    if request.param == "sqlite":
        return str(tmp_path / "claims.db")
    url, drop = _fresh_pg_database(request.getfixturevalue("pg_server"))
    request.addfinalizer(drop)
    return url


@pytest.fixture
def make_db_url(request, tmp_path, monkeypatch):
    """Factory for more fresh empty databases in one test: make_db_url("sqlite") or make_db_url("postgresql")
    (None when no PostgreSQL server can be had; never in CI); the PostgreSQL ones are dropped afterwards."""
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    drops, made = [], []

    def make(kind: str = "sqlite"):
        made.append(kind)
        if kind == "sqlite":
            return str(tmp_path / f"extra_{len(made)}.db")
        try:
            server = request.getfixturevalue("pg_server")
        except pytest.skip.Exception:
            return None
        url, drop = _fresh_pg_database(server)
        drops.append(drop)
        return url

    yield make
    for drop in drops:
        drop()

