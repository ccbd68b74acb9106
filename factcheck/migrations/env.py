"""Alembic environment: migrates against SQLModel.metadata (the models are the target schema).

Called two ways:
- by `factcheck.db.upgrade`, which passes an open connection in `config.attributes["connection"]`;
- by the `alembic` command with the repository's alembic.ini, for developers: the database is
  `-x db=URL_OR_PATH`, else `sqlalchemy.url` from the ini, else $FACTCHECK_DB, else ./claims.db.
SQLite gets `render_as_batch=True`: it cannot ALTER most things, so Alembic copies the table instead.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from factcheck import models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    """The database a command-line alembic run works on."""
    from factcheck.db import resolve_url

    return resolve_url(context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option("sqlalchemy.url"))


def _configure(**kw: Any) -> None:
    """Options shared by online and offline runs."""
    context.configure(target_metadata=target_metadata, compare_type=True, **kw)


def run_offline() -> None:
    """`alembic upgrade --sql`: write the SQL instead of running it."""
    url = _url()
    _configure(url=url, literal_binds=True, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    """Run the migrations on an open connection."""
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate the connection factcheck passed in, or open the database named on the command line."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if config.config_file_name:
        from logging.config import fileConfig

        fileConfig(config.config_file_name, disable_existing_loggers=False)
    from factcheck.db import make_engine

    engine = make_engine(_url(), migrate=False)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
