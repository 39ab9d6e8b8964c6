"""One line for a network failure that names the config keys to check and the likely fix.

Raw errno text ("[Errno 111] Connection refused") does not tell an admin which of a dozen
keys is wrong; these messages do. Used by the IMAP source (and fit for SMTP the same way).
"""

from __future__ import annotations

import ast
import socket
import ssl


def explain_connection_error(err: OSError, *, section: str, host: str, port: int, timeout: float) -> str:
    where = f"{host}:{port}"
    if isinstance(err, socket.gaierror):
        return f"[{section}] host: cannot find the server {host!r} ({err.strerror}); check the name"
    if isinstance(err, ssl.SSLCertVerificationError):
        return (f"[{section}] cafile: the certificate of {where} is not trusted ({err.reason}: {err.verify_message}); "
                f"set [{section}] cafile to the CA that signed it, or check host")
    if isinstance(err, ssl.SSLError):
        return (f"[{section}] tls: TLS with {where} failed ({err.reason or err}); "
                f"use tls = \"ssl\" on port 993/465 and \"starttls\" on 143/587")
    if isinstance(err, ConnectionRefusedError):
        return f"[{section}] host, port: {where} refused the connection; check host and port, and that the server runs"
    if isinstance(err, TimeoutError):
        return (f"[{section}] host, port: no answer from {where} within {timeout:g} s "
                f"([{section}] timeout_seconds); check host, port and the firewall")
    return f"[{section}] host, port: cannot talk to {where}: {err.strerror or err}"


def server_text(err: BaseException) -> str:
    """The server's own words from an exception that carries them as bytes or as a bytes repr."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    text = str(err.args[0]) if err.args else str(err)
    if isinstance(err.args[0] if err.args else None, bytes):
        text = err.args[0].decode("utf-8", "replace")
    elif text[:2] in ("b'", 'b"') and text[-1:] in ("'", '"'):  # imapclient passes str(bytes) on
        try:
            text = ast.literal_eval(text).decode("utf-8", "replace")
        except (ValueError, SyntaxError, AttributeError):
            pass
    return " ".join(text.split())
