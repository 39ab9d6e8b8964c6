"""Access tokens from a command or the environment, and the SASL XOAUTH2 string that carries one.

XOAUTH2 is Google's and Microsoft's SASL mechanism for a bearer token (IMAP AUTHENTICATE,
SMTP AUTH): "user=" USER ^A "auth=Bearer " TOKEN ^A ^A, base64-encoded by the protocol library.
"""

from __future__ import annotations

import shlex
import subprocess

from inbox.config import secret
from inbox.errors import InboxError

COMMAND_SECONDS = 60


class TokenError(InboxError):
    """No token could be had; the message names the key or the setting to fix."""


def command_token(command: str, *, key: str) -> str:
    """The token a command prints on stdout (e.g. a script of the admin's own); `key` names the config key."""
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=COMMAND_SECONDS)
    except (OSError, ValueError) as err:  # not found, not executable, unbalanced quotes
        raise TokenError(f"{key}: cannot run {command!r}: {err}") from err
    except subprocess.TimeoutExpired as err:
        raise TokenError(f"{key}: {command!r} printed no token within {COMMAND_SECONDS} s") from err
    if done.returncode != 0 or not done.stdout.strip():
        raise TokenError(f"{key} failed ({done.returncode}): {done.stderr.strip()[:200]}")
    return done.stdout.strip()


def env_token(env_name: str, *, key: str, alternative: str = "") -> str:
    """A fixed token from the environment (tests, a token another program renews)."""
    token = secret(env_name)
    if token is None:
        raise TokenError(f"no OAuth2 token: set {env_name} ({key})" + (f" or {alternative}" if alternative else ""))
    return token


def xoauth2(user: str, token: str) -> str:
    """The XOAUTH2 initial response, before base64 (imaplib and smtplib encode it)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"
