"""Fixtures shared by the integration modules (the servers themselves are in tests/servers)."""

from __future__ import annotations

import pytest

from inbox.context import AppContext


@pytest.fixture
def make_server_app(make_app, imap, smtp_server, monkeypatch):
    """An app on the real Dovecot and SMTP server; keyword arguments are config sections as dicts."""
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap.password)

    def factory(**sections):
        return make_app(
            source={"kind": "imap", "imap": {"host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user,
                                             "password_env": "TEST_IMAP_PASSWORD"}},
            smtp={"transport": "smtp", "host": smtp_server.host, "port": smtp_server.port, "tls": "none"},
            **sections,
        )
    return factory


@pytest.fixture
def make_lifecycle_app(make_server_app):
    """Keyword arguments are [replies] keys."""
    return lambda **replies: make_server_app(replies=replies)


@pytest.fixture
def make_identity_app(make_server_app):
    """Invitations need a person's approval unless `replies` says otherwise; other sections as dicts."""
    def factory(**sections):
        replies = sections.pop("replies", {})
        return make_server_app(replies={"invitation": "approval", **replies}, **sections)
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
