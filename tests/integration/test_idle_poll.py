"""An idle poll costs three IMAP commands, however full the folder; FETCH batches end by bytes
and each is on disk, durably, before any of its rows is written.

The commands are counted on the wire: a TCP relay on loopback between the service and the
real Dovecot records every line the client sends (pre-login ones included, which Dovecot's
own rawlog does not see) and every byte the server answers.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, select

from ingest.poll import poll_once
from ingest.sources import ImapSource
from ingest.store import store_batch
from models import MailboxState, Message, MessageStatus
from tests.integration import mails
from tests.servers.dovecot import MAIL_UID

pytestmark = pytest.mark.integration
TAGGED = re.compile(rb"^[A-Za-z0-9]+ ((?:UID )?[A-Za-z]+)")


@dataclass
class Wire:
    """What crossed the relay: the client's command names, in order, and the server's bytes."""

    commands: list[str] = field(default_factory=list)
    server_bytes: int = 0

    def clear(self) -> None:
        self.commands.clear()
        self.server_bytes = 0


class ImapRelay:
    """A loopback TCP relay that counts IMAP commands; it can also cut its connections and hide a capability."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.wire = Wire()
        self.hidden: list[bytes] = []
        self.open: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def hide_capability(self, name: bytes) -> None:
        self.hidden.append(b" " + name)

    def drop(self) -> None:
        """End every open connection, as a network or a server restart does."""
        for end in list(self.open):
            _shut(end)

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(self.upstream)
            self.open += [client, server]
            threading.Thread(target=self._pump, args=(client, server, self._client_lines), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, self._server_bytes), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, record) -> None:
        pending = b""
        try:
            while data := source.recv(65536):
                pending, data = record(pending + data, data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _shut(source)
            _shut(sink)  # ends the other direction's pump too
            source.close()  # each socket is the source of exactly one pump
            if source in self.open:
                self.open.remove(source)

    def _client_lines(self, pending: bytes, data: bytes) -> tuple[bytes, bytes]:
        *lines, rest = pending.split(b"\r\n")
        for line in lines:
            if found := TAGGED.match(line):
                self.wire.commands.append(found.group(1).decode().upper())
        return rest, data

    def _server_bytes(self, _pending: bytes, data: bytes) -> tuple[bytes, bytes]:
        for name in self.hidden:
            data = data.replace(name, b"")  # in capability lists; nothing else of Dovecot's has " IDLE"
        self.wire.server_bytes += len(data)
        return b"", data

    def close(self) -> None:
        self.listener.close()
        self.drop()


def _shut(end: socket.socket) -> None:
    try:
        end.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


@pytest.fixture
def relay(imap) -> Iterator[ImapRelay]:
    relay = ImapRelay((imap.host, imap.imap_port))
    yield relay
    relay.close()


def fill(imap, folder: str, count: int) -> int:
    """count small messages delivered into a new folder as an MDA does (a file each in the
    Maildir's new/; Dovecot gives them UIDs when the folder is next opened); its UIDNEXT - 1."""
    imap.create_folder(folder)
    new = imap.dir / "mail" / "Maildir" / f".{folder}" / "new"
    for i in range(count):
        path = new / f"1796000000.M{i}P1.test"
        path.write_bytes(note(i))
        os.chown(path, MAIL_UID, MAIL_UID)
    with imap.client() as client:
        return int(client.folder_status(folder, [b"UIDNEXT"])[b"UIDNEXT"]) - 1


def note(i: int) -> bytes:
    return (f"From: Registrator <registrator@lansstyrelsen.se>\r\nTo: vastmanland@lansstyrelsen.se\r\n"
            f"Subject: Diarienotering {i}\r\nMessage-ID: <note{i}@lansstyrelsen.se>\r\n\r\nNoterat.\r\n").encode()


def padded(raw: bytes) -> bytes:
    """The message with about 0.3 MB more header (folded lines)."""
    return b"X-Pad: " + b"\r\n ".join([b"x" * 70] * 4300) + b"\r\n" + raw


def app_on(make_app, imap, relay: ImapRelay, folder: str, monkeypatch, **imap_keys):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap.password)
    return make_app(source={"kind": "imap", "account": "test", "imap": {
        "host": "127.0.0.1", "port": relay.port, "tls": "none", "user": imap.user, "password_env": "TEST_IMAP_PASSWORD",
        "folder": folder, **imap_keys}})


def caught_up(app, imap, folder: str, last_uid: int) -> None:
    """The state a worker has after storing everything in the folder (without storing 20,000 messages here)."""
    with app.sessions() as session:
        session.add(MailboxState(account="test", folder=folder, uidvalidity=imap.uidvalidity(folder), last_uid=last_uid))
        session.commit()


def poll(app) -> None:
    poll_once(app, ImapSource(app.settings.source.imap, account="test"))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_idle_poll_is_three_commands_for_a_thousand_messages_and_for_twenty_thousand(make_app, imap, relay, monkeypatch):
    wires = {}
    for count in (1_000, 20_000):
        folder = f"Stor{count}"
        last_uid = fill(imap, folder, count)
        app = app_on(make_app, imap, relay, folder, monkeypatch)
        caught_up(app, imap, folder, last_uid)
        poll(app)  # the first poll on a folder may open Dovecot's index for it; count the next one
        relay.wire.clear()
        poll(app)
        wires[count] = Wire(list(relay.wire.commands), relay.wire.server_bytes)

    assert wires[1_000].commands == ["LOGIN", "SELECT", "LOGOUT"]
    assert wires[20_000].commands == wires[1_000].commands
    assert abs(wires[20_000].server_bytes - wires[1_000].server_bytes) < 100  # the digits of EXISTS and UIDNEXT


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_new_mail_is_searched_sized_fetched_and_moved_without_asking_for_capabilities(make_app, imap, relay, monkeypatch):
    app = app_on(make_app, imap, relay, "INBOX", monkeypatch, processed_folder="Behandlat")
    poll(app)  # creates the folder's state on an empty INBOX
    imap.create_folder("Behandlat")
    imap.append(mails.affiliation(msgid="<wire1@koping.se>"))
    relay.wire.clear()

    poll(app)

    commands = relay.wire.commands
    assert "CAPABILITY" not in commands  # the login's list says MOVE (and IDLE); nobody asks again
    assert commands[:5] == ["LOGIN", "SELECT", "UID SEARCH", "UID FETCH", "UID FETCH"]  # new UIDs, their sizes, the body
    assert "UID MOVE" in commands and commands[-1] == "LOGOUT"
    assert imap.uids("INBOX") == [] and len(imap.uids("Behandlat")) == 1


def test_fetch_batches_end_at_batch_megabytes_not_only_at_batch_size(make_app, imap, relay, monkeypatch, database_url):
    # Five messages of about 0.3 MB and two small ones; batches of at most 0.7 MB (and 25 messages).
    big = [padded(mails.affiliation(msgid=f"<big{i}@koping.se>", sender=f"anna{i}@koping.se")) for i in range(5)]
    small = [mails.affiliation(msgid=f"<small{i}@sala.se>", sender=f"eva{i}@sala.se") for i in range(2)]
    app = app_on(make_app, imap, relay, "INBOX", monkeypatch, batch_megabytes=0.7)
    for raw in [*big, *small]:
        imap.append(raw)
    relay.wire.clear()

    report = poll_once(app, ImapSource(app.settings.source.imap, account="test"))

    body_fetches = relay.wire.commands.count("UID FETCH") - 1  # the first FETCH asks for the sizes
    assert body_fetches == 3  # [big, big] [big, big] [big, small, small]: by bytes, not by count
    assert (report.stored, report.processed) == (7, 7)
    with app.sessions() as session:
        assert session.scalar(select(MailboxState.last_uid)) == max(imap.uids("INBOX"))
        assert set(session.scalars(select(Message.status))) == {MessageStatus.PROCESSED}


def test_a_batch_is_durable_on_disk_before_any_of_its_rows_is_written(make_app, monkeypatch):
    """The order store_batch promises: temp files fsynced, renamed, folders fsynced; then the rows."""
    app = make_app()
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        steps.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(source, target) -> None:
        steps.append("rename")
        real_replace(source, target)

    def statement(_conn, _cursor, sql: str, *_args) -> None:
        if sql.startswith("INSERT INTO messages "):
            steps.append("insert")

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    event.listen(app.engine, "before_cursor_execute", statement)
    batch = [(mails.affiliation(msgid=f"<durable{i}@koping.se>", sender=f"anna{i}@koping.se"), None) for i in range(5)]
    with app.sessions() as session:
        results = store_batch(session, app.data_dir, batch, now=app.clock())
        session.commit()

    first_insert = steps.index("insert")
    on_disk, rows = steps[:first_insert], steps[first_insert:]
    assert on_disk[:10] == ["fsync file"] * 5 + ["rename"] * 5  # each file's bytes are safe before it gets its name
    assert set(on_disk[10:]) == {"fsync folder"} and len(on_disk[10:]) >= 5  # and the names before any row
    assert rows == ["insert"] * 5
    assert all(result.created for result in results)
    for result in results:
        assert hashlib.sha256((app.data_dir / result.message.raw_path).read_bytes()).hexdigest() == result.message.sha256
