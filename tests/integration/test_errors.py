"""Errors a person can fix are one line naming the key, the server or the folder, and the fix.

A full or read-only data_dir is real here: a tmpfs of a few KB (full) or mounted read-only,
in a private mount namespace of the `inbox` process only (`unshare --mount`), so nothing
outside the test sees it and it vanishes with the process. chmod would not do: the tests
run as root, who writes through any permission bits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.poll import poll_once
from ingest.sources import DirectorySource
from ingest.store import StorageError, store_raw
from models import Event, MailboxState, Message, MessageStatus
from tests.integration import mails
from tests.servers.dovecot import free_port

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
AFFILIATION = mails.affiliation(msgid="<env1@koping.se>")


def private_mounts_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=4k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


needs_private_mounts = pytest.mark.skipif(not private_mounts_work(), reason="needs root and unshare --mount for a tmpfs")


def write_config(tmp_path: Path, *, database_url: str, data_dir: Path | None = None, extra: str = "", mail: Path | None = None) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[service]\ndata_dir = "{data_dir or tmp_path / "data"}"\n[database]\nurl = "{database_url}"\n'
        f'[smtp]\noutbox_dir = "{tmp_path / "outbox"}"\n' + (f'[source.directory]\npath = "{mail}"\n' if mail else "") + extra,
        encoding="utf-8",
    )
    return config


def inbox(config: Path, *args: str, mount: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`inbox --config CONFIG ARGS`; with mount, inside a private namespace that first runs that mount command."""
    command = [sys.executable, "-m", "cli.main", "--config", str(config), *args]
    if mount:
        # After the command, list what it left in the tmpfs (it disappears with the namespace).
        script = f'{mount} || exit 99; "$@"; code=$?; find "$LEFT_IN" -name ".tmp-*" >&2; exit $code'
        command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", *command]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=120)


def one_line(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def count(app, model, *where) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def mail_folder(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "1.eml").write_bytes(AFFILIATION)
    return folder


# -- data_dir -----------------------------------------------------------------------------


@needs_private_mounts
@pytest.mark.parametrize(("options", "cause"), [("size=4k", "No space left on device"), ("ro", "Read-only file system")])
def test_a_full_or_read_only_data_dir_stops_the_poll_with_one_line_and_loses_nothing(make_app, tmp_path, database_url, mail_folder, options, cause):
    app = make_app()
    data_dir = app.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    config = write_config(tmp_path, database_url=database_url, data_dir=data_dir, mail=mail_folder)

    done = inbox(config, "poll", mount=f'mount -t tmpfs -o {options} tmpfs "{data_dir}"', env={"LEFT_IN": str(data_dir)})

    line = done.stderr.strip().splitlines()[0]
    assert done.returncode == 2, done.stderr
    assert line == done.stderr.strip()  # one line, and `find` listed no temp file left in the tmpfs
    assert line.startswith(f"error: cannot write to data_dir {data_dir} ([service] data_dir): {cause}")
    assert count(app, Message) == 0 and count(app, Event, Event.action == "quarantined") == 0

    again = inbox(config, "poll")  # the disk has room again: the same mail is read and processed
    assert again.returncode == 0, again.stderr
    assert "stored 1" in again.stdout and "processed 1" in again.stdout
    assert count(app, Message, Message.status == MessageStatus.PROCESSED) == 1


@needs_private_mounts
def test_over_imap_a_full_data_dir_does_not_advance_the_mailbox(make_app, imap, tmp_path, database_url):
    app = make_app()
    app.data_dir.mkdir(parents=True, exist_ok=True)
    imap.append(AFFILIATION)
    config = write_config(tmp_path, database_url=database_url, extra=(
        f'[source]\nkind = "imap"\n[source.imap]\nhost = "{imap.host}"\nport = {imap.imap_port}\ntls = "none"\n'
        f'user = "{imap.user}"\npassword_env = "TEST_IMAP_PASSWORD"\n'))
    env = {"TEST_IMAP_PASSWORD": imap.password, "LEFT_IN": str(app.data_dir)}

    full = inbox(config, "poll", mount=f'mount -t tmpfs -o size=4k tmpfs "{app.data_dir}"', env=env)
    assert "No space left on device" in one_line(full)
    with app.sessions() as session:
        assert session.scalars(select(MailboxState.last_uid)).all() in ([], [0])

    again = inbox(config, "poll", env=env)
    assert again.returncode == 0 and "stored 1" in again.stdout, again.stderr


@needs_private_mounts
def test_attachments_that_cannot_be_written_leave_the_message_waiting_not_quarantined(make_app, tmp_path, database_url, mail_folder):
    app = make_app()
    with app.sessions() as session:  # stored by an earlier poll; the disk filled before it was processed
        store_raw(session, app.data_dir, AFFILIATION)
        session.commit()
    attachments = app.data_dir / "attachments"
    attachments.mkdir(parents=True)
    config = write_config(tmp_path, database_url=database_url, data_dir=app.data_dir, mail=mail_folder)

    full = inbox(config, "poll", mount=f'mount -t tmpfs -o size=4k tmpfs "{attachments}"', env={"LEFT_IN": str(attachments)})

    assert "No space left on device" in one_line(full) and str(app.data_dir) in full.stderr
    with app.sessions() as session:
        message = session.scalars(select(Message)).one()
        assert message.status is MessageStatus.STORED  # waiting, not quarantined
    assert count(app, Event, Event.action == "quarantined") == 0
    again = inbox(config, "poll")
    assert again.returncode == 0 and "processed 1" in again.stdout, again.stderr


def test_a_data_dir_under_a_file_is_one_storage_error(make_app, tmp_path, mail_folder):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    app = make_app(service={"data_dir": str(blocker / "data")})
    with pytest.raises(StorageError) as caught:
        poll_once(app, DirectorySource(mail_folder))
    assert str(caught.value).startswith(f"cannot write to data_dir {blocker / 'data'} ([service] data_dir): Not a directory")
    assert count(app, Message) == 0


def test_stale_temp_files_are_swept_at_the_start_of_a_poll(make_app, tmp_path):
    app = make_app()
    folder = app.data_dir / "raw" / "ab" / "cd"
    folder.mkdir(parents=True)
    stale, fresh = folder / ".tmp-killed", folder / ".tmp-writing"
    stale.write_bytes(b"half a message")
    fresh.write_bytes(b"being written right now")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    empty = tmp_path / "empty"
    empty.mkdir()
    poll_once(app, DirectorySource(empty))
    assert not stale.exists()
    assert fresh.exists()  # perhaps another writer's: left alone until it is an hour old


# -- database -------------------------------------------------------------------------------


UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/inbox"


@pytest.mark.parametrize(("url", "command", "expected"), [
    (UNREACHABLE, ("cases",), f"error: the database {UNREACHABLE} ([database] url) cannot be used: connection failed"),
    (UNREACHABLE, ("db", "upgrade"), "([database] url) cannot be used: connection failed"),
    ("postgres://postgres@127.0.0.1/inbox", ("poll",),
     "[database] url: 'postgres://' is not a SQLAlchemy dialect; write 'postgresql+psycopg://' instead"),
    ("oracle9://x@y/z", ("cases",), "[database] url: unknown kind of database 'oracle9'"),
    ("not a url", ("cases",), "[database] url: not a database URL"),
])
def test_database_problems_are_one_line(tmp_path, url, command, expected):
    line = one_line(inbox(write_config(tmp_path, database_url=url), *command))
    assert expected in line


def test_a_bare_postgresql_url_means_psycopg_3(tmp_path, postgres_server):
    name = postgres_server.create_database()
    try:
        url = postgres_server.url(name).replace("postgresql+psycopg://", "postgresql://")
        done = inbox(write_config(tmp_path, database_url=url), "db", "upgrade")
        assert done.returncode == 0, done.stderr
    finally:
        postgres_server.drop_database(name)


# -- IMAP -------------------------------------------------------------------------------------


def imap_config(tmp_path, imap, **overrides) -> Path:
    keys = {"host": f'"{imap.host}"', "port": imap.imap_port, "tls": '"none"', "user": f'"{imap.user}"',
            "password_env": '"TEST_IMAP_PASSWORD"', "timeout_seconds": 5, **overrides}
    section = "".join(f"{key} = {value}\n" for key, value in keys.items())
    config = write_config(tmp_path, database_url=f"sqlite:///{tmp_path}/inbox.db", extra=f'[source]\nkind = "imap"\n[source.imap]\n{section}')
    subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "db", "upgrade"], cwd=ROOT, check=True, capture_output=True)
    return config


def test_a_wrong_imap_password_is_the_servers_words_not_a_bytes_repr(tmp_path, imap):
    line = one_line(inbox(imap_config(tmp_path, imap), "poll", env={"TEST_IMAP_PASSWORD": "wrong"}))
    assert line.startswith(f"error: [source.imap] user: {imap.host} refused the login of '{imap.user}': ")
    assert "Authentication failed" in line and "b'" not in line
    assert "$TEST_IMAP_PASSWORD" in line


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"port": "{closed}"}, "[source.imap] host, port: 127.0.0.1:{closed} refused the connection; check host and port"),
    ({"host": '"no-such-host.invalid"'}, "[source.imap] host: cannot find the server 'no-such-host.invalid'"),
    ({"tls": '"ssl"'}, "[source.imap] tls: TLS with 127.0.0.1:"),
    ({"folder": '"Nowhere"'}, "[source.imap] folder: cannot open 'Nowhere' on 127.0.0.1"),
])
def test_imap_network_problems_name_the_key_to_fix(tmp_path, imap, overrides, expected):
    closed = free_port()
    overrides = {key: value.format(closed=closed) for key, value in overrides.items()}
    line = one_line(inbox(imap_config(tmp_path, imap, **overrides), "poll", env={"TEST_IMAP_PASSWORD": imap.password}))
    assert expected.format(closed=closed) in line


# -- start-up ----------------------------------------------------------------------------------


def test_the_service_does_not_start_without_staff_recipients(tmp_path):
    config = write_config(tmp_path, database_url=f"sqlite:///{tmp_path}/inbox.db")
    started = time.monotonic()
    line = one_line(inbox(config, "run"))
    assert "[staff] recipients is empty" in line and str(config) in line
    assert time.monotonic() - started < 30  # refused at start-up, not after a round of jobs


def test_an_unknown_case_is_one_line(tmp_path):
    config = write_config(tmp_path, database_url=f"sqlite:///{tmp_path}/inbox.db")
    assert inbox(config, "db", "upgrade").returncode == 0
    assert one_line(inbox(config, "show", "JS-2099-0001")) == "error: no case JS-2099-0001"
