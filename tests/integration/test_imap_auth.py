"""The IMAP source logs in the ways real servers demand: implicit TLS, STARTTLS, XOAUTH2."""

from __future__ import annotations

import pytest

from inbox.config import ImapConfig
from inbox.errors import SourceError
from ingest.sources import ImapSource

pytestmark = pytest.mark.integration


def source(imap, **overrides) -> ImapSource:
    values = {"host": "localhost", "port": imap.imaps_port, "tls": "ssl", "cafile": imap.cafile, "user": imap.user, "password_env": "T_IMAP_PW"}
    return ImapSource(ImapConfig(**{**values, **overrides}), account="test")


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_tls_login_verifies_the_certificate(imap, monkeypatch, mode):
    monkeypatch.setenv("T_IMAP_PW", imap.password)
    port = imap.imaps_port if mode == "ssl" else imap.imap_port
    with source(imap, tls=mode, port=port) as src:
        assert src.uidvalidity == imap.uidvalidity("INBOX")


def test_xoauth2_login_with_a_token_command(imap):
    with source(imap, auth="oauth2", oauth2_token_command=f"printf %s {imap.oauth_token}") as src:
        assert src.uidvalidity > 0


def test_xoauth2_login_with_a_token_from_the_environment(imap, monkeypatch):
    monkeypatch.setenv("T_TOKEN", imap.oauth_token)
    with source(imap, auth="oauth2", oauth2_token_env="T_TOKEN") as src:
        assert src.uidvalidity > 0


def test_an_untrusted_certificate_is_a_clear_error(imap, monkeypatch):
    monkeypatch.setenv("T_IMAP_PW", imap.password)
    with pytest.raises(SourceError, match="CERTIFICATE_VERIFY_FAILED"):
        with source(imap, cafile=None):
            pass


def test_a_missing_password_names_the_variable(imap, monkeypatch):
    monkeypatch.delenv("T_IMAP_PW", raising=False)
    with pytest.raises(SourceError, match="T_IMAP_PW"):
        with source(imap):
            pass
