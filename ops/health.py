"""/healthz and /metrics on a local port while `inbox run` runs.

A stdlib HTTP server in a daemon thread, independent of the staff web app: the worker can be
watched even where the web app is not installed, and a scrape never waits for a job (jobs run
on the scheduler's own thread). Bound to 127.0.0.1 unless [service] health_host says otherwise.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError

from inbox.context import AppContext
from inbox.db import explain_database_error
from inbox.errors import ConfigError
from ops.metrics import metrics_for

log = logging.getLogger(__name__)


def max_poll_age(ctx: AppContext) -> timedelta:
    minutes = ctx.settings.service.health_max_poll_age_minutes or 3 * ctx.settings.schedule.poll_minutes
    return timedelta(minutes=minutes)


def health(ctx: AppContext) -> tuple[int, dict]:
    """The HTTP status (200 or 503) and the JSON body of /healthz."""
    database = _database(ctx)
    poll = _poll(ctx)
    ok = database["reachable"] and poll["ok"]
    return (200 if ok else 503), {"status": "ok" if ok else "unhealthy", "database": database, "poll": poll}


def _database(ctx: AppContext) -> dict:
    try:
        with ctx.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, InterfaceError) as err:
        return {"reachable": False, "error": explain_database_error(err, ctx.engine)}
    return {"reachable": True, "error": None}


def _poll(ctx: AppContext) -> dict:
    """Age of the last successful poll; before the first one, the time since start (a grace period)."""
    metrics = metrics_for(ctx)
    since = metrics.last_success_at or metrics.started_at
    age, limit = ctx.clock() - since, max_poll_age(ctx)
    last = metrics.last_success_at.astimezone(ctx.zone).isoformat() if metrics.last_success_at else None
    return {"ok": age <= limit, "last_success": last, "age_seconds": round(age.total_seconds(), 1),
            "max_age_seconds": limit.total_seconds()}


class _Handler(BaseHTTPRequestHandler):
    ctx: AppContext  # set on the subclass made per server

    def do_GET(self) -> None:  # the name http.server calls
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            status, body = health(self.ctx)
            self._reply(status, "application/json", json.dumps(body).encode())
        elif path == "/metrics":
            self._reply(200, CONTENT_TYPE_LATEST, generate_latest(metrics_for(self.ctx).registry))
        else:
            self._reply(404, "text/plain; charset=utf-8", b"not found: try /healthz or /metrics\n")

    def _reply(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # the signature http.server calls
        log.debug("health %s: " + format, self.client_address[0], *args)  # a scrape every 15 s is not news


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class _Server6(_Server):
    address_family = socket.AF_INET6


@contextmanager
def health_server(ctx: AppContext) -> Iterator[tuple[str, int] | None]:
    """Serve /healthz and /metrics for the duration of the block; yields (host, port), or None when off."""
    service = ctx.settings.service
    if not service.health_port:
        yield None
        return
    server = _bind(ctx, service.health_host, service.health_port)
    thread = threading.Thread(target=server.serve_forever, name="health", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    log.info("health and metrics on http://%s:%s/healthz and /metrics", host, port)
    try:
        yield str(host), int(port)
    finally:
        server.shutdown()
        server.server_close()


def _bind(ctx: AppContext, host: str, port: int) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"ctx": ctx})
    metrics_for(ctx)  # built here, on the main thread, before any request or poll needs it
    try:
        return (_Server6 if ":" in host else _Server)((host, port), handler)
    except OSError as err:
        raise ConfigError(f"[service] health_host, health_port: cannot listen on {host}:{port}: {err.strerror or err}; "
                          "choose a free port, or 0 to turn /healthz and /metrics off") from err
