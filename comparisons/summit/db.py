"""The summit database: which one, connecting to it, and bringing its schema up to date.

- `LUP_DATABASE_URL` names it (`postgresql+psycopg://user:password@host/db`, so that several app servers share one
  summit); without it, a SQLite file under var/ in the repository (git-ignored), created on first use.
- The schema is made and changed only by the Alembic migrations in migrations/, run on first use in each process
  (`alembic upgrade head`); on PostgreSQL under an advisory lock, so app servers starting together do not race.
- SQLite is opened for many threads of one server: WAL (readers never wait for the writer), a busy timeout, and
  write transactions that take the write lock when they begin (BEGIN IMMEDIATE), so two writers queue instead
  of failing on a lock upgrade.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from comparisons.evidence.paths import REPO_ROOT

ENV_URL = "LUP_DATABASE_URL"
DEFAULT_SQLITE = REPO_ROOT / "var" / "summit.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 30_000
_ADVISORY_LOCK = 7_417_017  # any constant: the key of the PostgreSQL lock held while migrating


def database_url(explicit: str | None = None) -> str:
    """The URL given, else LUP_DATABASE_URL, else the default SQLite file."""
    url = (explicit or os.environ.get(ENV_URL) or "").strip()
    return url or f"sqlite:///{DEFAULT_SQLITE}"


def prepare_sqlite_file(url: str) -> None:
    """Create the folder of a SQLite file (var/ on a fresh clone); other databases need nothing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def redacted(url: str) -> str:
    """The URL with its password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


@dataclass
class SummitDB:
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose transaction commits at the end (rolls back on an error); on SQLite it holds the write
        lock from its first statement."""
        conn = self.engine.connect().execution_options(summit_write=True)
        try:
            with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                yield session
        finally:
            conn.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]  # SQLAlchemy emits BEGIN itself
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("summit_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    prepare_sqlite_file(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000})
        _sqlite_events(engine)
        return engine
    # A pool a little larger than the worker threads one app server runs at once; pre-ping drops connections
    # the server closed (a restart of PostgreSQL) instead of failing a participant's answer.
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, pool_recycle=1800)


def _alembic_config(url: str):  # -> alembic.config.Config
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """`alembic upgrade head` on this engine's database."""
    from alembic import command

    cfg = _alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect().execution_options(summit_write=True) as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _ADVISORY_LOCK})
            conn.commit()
        try:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
        finally:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_LOCK})
                conn.commit()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head()
    return str(head)


def current_revision(db: SummitDB) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_opened: dict[str, SummitDB] = {}
_open_lock = threading.Lock()


def open_db(url: str | None = None) -> SummitDB:
    """The database for `url` (see database_url), migrated to the latest schema; one engine per URL and process."""
    resolved = database_url(url)
    with _open_lock:
        db = _opened.get(resolved)
        if db is None:
            engine = make_engine(resolved)
            migrate(engine)
            db = SummitDB(engine, sessionmaker(bind=engine, expire_on_commit=False))
            _opened[resolved] = db
        return db


def forget(url: str | None = None) -> None:
    """Close and forget the engine for `url` (tests that drop a database)."""
    with _open_lock:
        db = _opened.pop(database_url(url), None)
    if db is not None:
        db.dispose()
