"""Fixtures shared by the integration modules (the servers themselves are in tests/servers)."""

from __future__ import annotations

import pytest

from inbox.context import AppContext


@pytest.fixture
def make_lifecycle_app(make_app, imap, smtp_server, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap.password)

    def factory(**replies):
        return make_app(
            source={"kind": "imap", "imap": {"host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user,
                                             "password_env": "TEST_IMAP_PASSWORD"}},
            smtp={"transport": "smtp", "host": smtp_server.host, "port": smtp_server.port, "tls": "none"},
            replies=replies,
        )
    return factory


@pytest.fixture
def close_cli_contexts(monkeypatch):
    """The command line builds its own AppContext; a real process exits, a test must close its engine."""
    built = []
    original = AppContext.build.__func__

    def build(cls, *args, **kwargs):
        built.append(original(cls, *args, **kwargs))
        return built[-1]

    monkeypatch.setattr(AppContext, "build", classmethod(build))
    yield
    for ctx in built:
        ctx.close()
