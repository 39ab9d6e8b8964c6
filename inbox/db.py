"""Engine, sessions, schema upgrades and the few statements that differ per database.

Built once by the entry point, never at import time. Problems a person can fix (a wrong
URL, a server that does not answer) become one-line InboxErrors naming `[database] url`.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from inbox.errors import ConfigError, InboxError

if TYPE_CHECKING:  # alembic is imported where a schema is changed: most commands never need it
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
URL_FORMS = "sqlite:///PATH or postgresql+psycopg://USER@HOST:5432/DBNAME"
log = logging.getLogger(__name__)


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    if parsed.drivername == "sqlite" and parsed.database and parsed.database != ":memory:":
        _sqlite_folder(Path(parsed.database).parent)
    try:
        # hide_parameters: a database error's message never carries the values (names, addresses, mail text) into a log.
        engine = create_engine(parsed, future=True, pool_pre_ping=True, hide_parameters=True)
    except NoSuchModuleError as err:
        raise ConfigError(f"[database] url: unknown kind of database {parsed.drivername!r}; use {URL_FORMS}") from err
    except ImportError as err:  # the driver of a known dialect is not installed (e.g. postgresql+psycopg2)
        raise ConfigError(f"[database] url: no driver for {parsed.drivername!r} ({err.name}); use {URL_FORMS}") from err
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def parse_url(url: str) -> URL:
    """The configured URL, with the two common slips explained (or, for a bare postgresql://, mended)."""
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise ConfigError(f"[database] url: not a database URL; use {URL_FORMS}") from err
    if parsed.drivername == "postgres":  # Heroku-style URLs: SQLAlchemy has no dialect of that name
        raise ConfigError("[database] url: 'postgres://' is not a SQLAlchemy dialect; write 'postgresql+psycopg://' instead")
    if parsed.drivername == "postgresql":  # SQLAlchemy would pick psycopg2, which is not installed; psycopg 3 is
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ConfigError(f"[database] url: cannot create the folder {folder} for the SQLite file: {err.strerror}") from err


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets `inbox cases` read while the worker writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the newest migration (idempotent)."""
    from alembic import command

    with database_problems(engine):
        command.upgrade(alembic_config(engine), revision)


def require_schema(engine: Engine) -> None:
    with database_problems(engine):
        has_schema = inspect(engine).has_table("alembic_version")
    if not has_schema:
        raise InboxError(f"the database at {shown_url(engine)} has no schema yet: run `inbox db upgrade` first")


def shown_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


@contextmanager
def database_problems(engine: Engine | None = None) -> Iterator[None]:
    """Turn 'cannot reach or write the database' into one line that names the key to check."""
    try:
        yield
    except (OperationalError, InterfaceError) as err:
        raise InboxError(explain_database_error(err, engine)) from err


def explain_database_error(err: OperationalError | InterfaceError, engine: Engine | None = None) -> str:
    where = f"the database {shown_url(engine)}" if engine is not None else "the database"
    cause = " ".join(str(err.orig if err.orig is not None else err).split())
    return f"{where} ([database] url) cannot be used: {cause}"


# -- statements that differ per database ----------------------------------------------


def insert_or_ignore(session: Session, model, values: dict, unique: list[str]) -> bool:
    """INSERT ... ON CONFLICT (unique) DO NOTHING; True when this call added the row.

    Two processes storing the same thing at the same moment both succeed: the second
    insert waits for the first (PostgreSQL) or finds its row, and does nothing.
    """
    insert = _conflict_insert(session.get_bind().dialect.name)
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=unique).returning(model.id)
    return session.execute(statement).first() is not None  # rowcount is -1 here with psycopg 3


def _conflict_insert(dialect: str):
    """The dialect's insert(), which has on_conflict_do_nothing. Imported here, when used: the
    PostgreSQL dialect's module alone costs a SQLite process tens of milliseconds at start-up."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert
    raise InboxError(f"[database] url: {dialect} is not supported; use {URL_FORMS}")


@contextmanager
def exclusive(engine: Engine, name: str, *, wait_seconds: float) -> Iterator[None]:
    """Hold a named lock across processes for the duration of the block.

    PostgreSQL: a session advisory lock, so pollers on several machines exclude each other
    and a killed holder releases it with its connection. SQLite: the database is one local
    file, so a lock file beside it does the same (released by the kernel when a holder dies).
    Waits up to wait_seconds, then raises InboxError.
    """
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, name, wait_seconds):
            yield
    elif engine.url.database and engine.url.database != ":memory:":
        with _file_lock(Path(f"{engine.url.database}.{name}.lock"), name, wait_seconds):
            yield
    else:
        yield  # an in-memory database belongs to one process


def advisory_key(name: str) -> int:
    """A name's 64-bit key for PostgreSQL's advisory locks (the one-key form)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def _advisory_lock(engine: Engine, name: str, wait_seconds: float) -> Iterator[None]:
    key = advisory_key(name)
    with database_problems(engine), engine.connect() as connection:

        def try_lock() -> bool:
            return bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))

        _wait_for(try_lock, name, wait_seconds)
        connection.commit()  # the lock belongs to the connection; no transaction stays open
        try:
            yield
        finally:
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
            except (OperationalError, InterfaceError):
                pass  # the connection is gone, and the server released the lock with it


@contextmanager
def _file_lock(path: Path, name: str, wait_seconds: float) -> Iterator[None]:
    try:
        handle = path.open("a")
    except OSError as err:
        raise InboxError(f"cannot create the lock file {path} beside the database ([database] url): {err.strerror}") from err
    with handle:

        def try_lock() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False

        _wait_for(try_lock, name, wait_seconds)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_for(try_lock, name: str, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    if try_lock():
        return
    log.info("another %s is running; waiting up to %.0f s for it to finish", name, wait_seconds)
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if try_lock():
            return
    raise InboxError(f"another {name} has been running for more than {wait_seconds:.0f} s; try again when it has finished")


class HeldLock:
    """A named lock taken without waiting and held until released or until this process dies.

    For the worker that holds the mailbox while another waits beside it. PostgreSQL: a session
    advisory lock on a connection of its own, which the server releases when that connection
    drops (a killed holder's socket closes with it), so no expiry is needed. SQLite: flock on
    a file beside the database, released by the kernel when the holder dies.
    """

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name
        self._connection: Connection | None = None
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or self._file is not None

    def try_take(self) -> bool:
        """True when this process holds the lock now (it already did, or took it just now)."""
        if self.held:
            return True
        if self.engine.dialect.name == "postgresql":
            return self._take_advisory()
        if self.engine.url.database and self.engine.url.database != ":memory:":
            return self._take_file(Path(f"{self.engine.url.database}.{re.sub(r'[^A-Za-z0-9_.-]', '_', self.name)}.lock"))
        self._file = io.StringIO()  # an in-memory database belongs to one process
        return True

    def still_held(self) -> bool:
        """False when the lock went with its connection (the database restarted): take it again first."""
        if self._connection is None:
            return self.held
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
            return True
        except (OperationalError, InterfaceError):
            self.release()
            return False

    def release(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": advisory_key(self.name)})
                connection.commit()
            except (OperationalError, InterfaceError):
                pass  # the connection is gone, and the server released the lock with it
            finally:
                connection.close()
        if self._file is not None:
            handle, self._file = self._file, None
            handle.close()  # closing the descriptor releases the flock

    def _take_advisory(self) -> bool:
        with database_problems(self.engine):
            connection = self.engine.connect()
            try:
                taken = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": advisory_key(self.name)}))
                connection.commit()
            except BaseException:
                connection.close()
                raise
        if taken:
            self._connection = connection
        else:
            connection.close()
        return taken

    def _take_file(self, path: Path) -> bool:
        try:
            handle = path.open("a")
        except OSError as err:
            raise InboxError(f"cannot create the lock file {path} beside the database ([database] url): {err.strerror}") from err
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True


def try_claim(connection: Connection, kind: int, item: int) -> bool:
    """PostgreSQL: take the session advisory lock (kind, item) without waiting; True when taken.

    The two-key form, a key space apart from the named locks above. Held until claim_done or
    until the connection closes (a killed worker's claims go with it)."""
    return bool(connection.scalar(text("SELECT pg_try_advisory_lock(:kind, :item)"), {"kind": kind, "item": item}))


def claim_done(connection: Connection, kind: int, item: int) -> None:
    connection.execute(text("SELECT pg_advisory_unlock(:kind, :item)"), {"kind": kind, "item": item})
    connection.commit()
