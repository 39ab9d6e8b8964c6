"""Pytest fixtures for the real servers. Imported by tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers.dovecot import DovecotServer
from tests.servers.postgres import PostgresServer, start_postgres
from tests.servers.smtp import SmtpServer

__all__ = ["database_url", "dovecot", "imap", "postgres_server", "smtp_server"]


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    server = DovecotServer().start()
    yield server
    server.stop()


@pytest.fixture
def imap(dovecot: DovecotServer) -> DovecotServer:
    dovecot.empty_all()
    return dovecot


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/inbox.db"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)
