"""The summit tests' databases: every test that takes `summit_url` or `summit_db` runs once on SQLite (a file in
the test's temporary folder) and once on PostgreSQL (a fresh database on the server named by LUP_TEST_POSTGRES_URL).

Without LUP_TEST_POSTGRES_URL the PostgreSQL runs are skipped, unless REQUIRE_POSTGRES=1 (as in .ci/run, which
starts a throw-away server), when they fail instead: in CI a missing server is a broken set-up, not a pass.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pytest

from comparisons.evidence.base import load_evidence
from comparisons.summit import db as summit_db_module
from comparisons.summit import questions
from tests.helpers import DATA

POSTGRES_ENV = "LUP_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def _require_postgres() -> bool:
    return os.environ.get("REQUIRE_POSTGRES", "").strip() == "1"


def postgres_server() -> str:
    """The PostgreSQL server's URL, or skip (fail with REQUIRE_POSTGRES=1)."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        message = f"{POSTGRES_ENV} is not set: no PostgreSQL server for the summit tests (.ci/postgres starts one)"
        if _require_postgres():
            pytest.fail(f"REQUIRE_POSTGRES=1 but {message}", pytrace=False)
        pytest.skip(message)
    return url


def _admin(url: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    from sqlalchemy.engine import make_url

    server = postgres_server()
    name = f"summit_test_{uuid.uuid4().hex[:12]}"
    _admin(server, f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        summit_db_module.forget(url)
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def summit_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty summit database, on each backend in turn."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'summit.sqlite'}"
        yield url
        summit_db_module.forget(url)
    else:
        yield request.getfixturevalue("postgres_database")


@pytest.fixture
def summit_db(summit_url: str) -> summit_db_module.SummitDB:
    """The database at `summit_url`, migrated."""
    return summit_db_module.open_db(summit_url)


@lru_cache(maxsize=1)
def rules() -> questions.Catalogue:
    """The shipped evidence's questions and options."""
    return questions.catalogue(load_evidence(DATA, validate=False))
