"""PostgreSQL for the tests: the server on 127.0.0.1:5432 when one answers, else a throwaway cluster.

Never skipped silently: if neither works, the tests fail with the reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass

import psycopg

from tests.servers.dovecot import free_port


@dataclass
class PostgresServer:
    host: str
    port: int
    data_dir: str | None = None

    @property
    def admin_dsn(self) -> str:
        return f"host={self.host} port={self.port} user=postgres dbname=postgres"

    def create_database(self) -> str:
        name = f"inbox_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{name}"

    def stop(self) -> None:
        if self.data_dir:
            _as_postgres([_bin("pg_ctl"), "-D", self.data_dir, "-m", "fast", "stop"])


def _answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    try:
        with psycopg.connect(f"host={host} port={port} user=postgres dbname=postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"no PostgreSQL on 127.0.0.1:5432 and no {name} to start one: run scripts/ensure-system-packages.sh")
    return found


def _as_postgres(argv: list[str]) -> None:
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    subprocess.run(argv, check=True, capture_output=True)


def start_postgres() -> PostgresServer:
    if _answers("127.0.0.1", 5432):
        return PostgresServer("127.0.0.1", 5432)
    data_dir = tempfile.mkdtemp(prefix="pg-")
    shutil.chown(data_dir, "postgres", "postgres")
    port = free_port()
    _as_postgres([_bin("initdb"), "-D", data_dir, "-U", "postgres", "--auth=trust"])
    _as_postgres([_bin("pg_ctl"), "-D", data_dir, "-o", f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1", "-w", "start"])
    server = PostgresServer("127.0.0.1", port, data_dir)
    deadline = time.monotonic() + 15
    while not _answers(server.host, port):
        if time.monotonic() > deadline:
            raise RuntimeError("the throwaway PostgreSQL cluster did not start")
        time.sleep(0.1)
    return server
