"""The database answers and its schema is the one this version of the code needs."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from inbox.db import alembic_config, database_problems, shown_url
from ops.doctor import CheckFailed, Checkup

PRODUCTS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def check_database(checkup: Checkup) -> str:
    engine = checkup.ctx.engine
    if checkup.database_file_missing:
        raise CheckFailed(f"[database] url: there is no database file {engine.url.database}",
                          "run `inbox db upgrade` (with the same --config) to create it, or correct [database] url")
    with database_problems(engine), engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return f"{_server(engine)} at {shown_url(engine)}, schema {_schema(engine, current)}"


def _schema(engine: Engine, current: set[str]) -> str:
    script = ScriptDirectory.from_config(alembic_config(engine))
    heads = set(script.get_heads())
    upgrade = "run `inbox db upgrade` (with the same --config) before `inbox run`"
    if not current:
        raise CheckFailed(f"the database at {shown_url(engine)} has no schema yet", upgrade)
    if current == heads:
        return f"at {_names(current)} (the newest)"
    known = {revision.revision for revision in script.walk_revisions()}
    if current <= known:
        raise CheckFailed(f"the schema is at {_names(current)}, this version needs {_names(heads)}", upgrade)
    raise CheckFailed(f"the schema is at {_names(current)}, which this version does not know (a newer version migrated it)",
                      "install the version of strategy-inbox that migrated it, or point [database] url at the right database")


def _server(engine: Engine) -> str:
    version = ".".join(str(part) for part in engine.dialect.server_version_info or ())
    return f"{PRODUCTS.get(engine.dialect.name, engine.dialect.name)} {version}".strip()


def _names(revisions: set[str]) -> str:
    return ", ".join(sorted(revisions))
