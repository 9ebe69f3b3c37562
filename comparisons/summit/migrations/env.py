"""Alembic environment for the summit database. The app and `python -m comparisons summit` run it themselves
(comparisons.summit.db.migrate); `alembic upgrade head` from the repository root does the same for LUP_DATABASE_URL
(or the default SQLite file)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from comparisons.summit.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # handed over by comparisons.summit.db.migrate
        _run(connection)
        return
    from comparisons.summit.db import database_url, prepare_sqlite_file

    url = config.get_main_option("sqlalchemy.url") or database_url()
    prepare_sqlite_file(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def run_migrations_offline() -> None:
    from comparisons.summit.db import database_url

    context.configure(url=config.get_main_option("sqlalchemy.url") or database_url(), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
