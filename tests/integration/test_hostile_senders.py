"""Who sent it, through the real pipeline on SQLite and PostgreSQL: an address smuggled into a display
name, Authentication-Results of our own server and forged ones, and header values that used to
break storage (NUL, a 10,000-character filename, a 1,200-character Message-ID)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from ingest.poll import poll_once
from ingest.sources import DirectorySource
from models import (
    Attachment,
    Case,
    CaseStatus,
    Event,
    Message,
    MessageStatus,
    OutgoingMail,
)
from tests.integration import mails
from tests.integration.lifecycle_support import cycle, org_mail

pytestmark = pytest.mark.integration

OURS = "mx.lansstyrelsen.se"
EVA = "eva.strand@sala.se"
VICTIM = "victim@example.com"
CRLF_FROM = b"From: =?utf-8?q?Eva=0D=0ABcc:=20victim@example.com?= <eva.strand@sala.se>"
ROOT = Path(__file__).resolve().parents[2]


def sala_mail(msgid: str, *, auth: tuple[str, ...] = ()) -> bytes:
    raw = org_mail(msgid, "Sala kommun", "Eva Strand", EVA)
    fields = b"".join(f"Authentication-Results: {value}\r\n".encode() for value in auth)
    return fields + raw.replace(f"From: Eva Strand <{EVA}>".encode(), CRLF_FROM if not auth else f"From: Eva Strand <{EVA}>".encode())


def run(app, tmp_path: Path, *raws: bytes):
    folder = tmp_path / "mail"
    folder.mkdir(exist_ok=True)
    for number, raw in enumerate(raws):
        (folder / f"{number:02d}.eml").write_bytes(raw)
    return poll_once(app, DirectorySource(folder))


def stored(app, msgid: str) -> Message:
    with app.sessions() as session:
        message = session.scalars(select(Message).where(Message.message_id == msgid)).one()
        session.expunge(message)
        return message


def outbox(app) -> list[OutgoingMail]:
    with app.sessions() as session:
        rows = session.scalars(select(OutgoingMail)).all()
        session.expunge_all()
        return rows


def test_an_address_in_the_display_name_gets_nothing_the_sender_gets_the_answer(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app()
    imap.append(sala_mail("<crlf@sala.se>"))
    cycle(app)
    assert stored(app, "<crlf@sala.se>").sender == EVA
    assert smtp_server.messages, "the sender was not answered"
    for received in smtp_server.messages:
        assert received.rcpt_tos == [EVA]
        shown = " ".join(str(received.message[name] or "") for name in ("To", "Cc", "Bcc"))
        assert VICTIM not in shown and VICTIM.encode() not in received.message.as_bytes().split(b"\n\n", 1)[0]
    assert all(VICTIM not in row.recipients for row in outbox(app))


def test_a_trusted_dmarc_failure_from_a_known_municipality_is_not_answered(make_app, tmp_path):
    app = make_app(service={"authserv_ids": [OURS]})
    forged_pass = f"{OURS}; spf=pass smtp.mailfrom=sala.se; dmarc=pass header.from=sala.se"  # below ours: the sender's
    ours_fail = f"{OURS}; spf=fail smtp.mailfrom=sala.se; dkim=none; dmarc=fail (p=reject) header.from=sala.se"
    report = run(app, tmp_path, sala_mail("<dmarc@sala.se>", auth=(ours_fail, forged_pass)))
    assert (report.processed, report.quarantined) == (1, 0)
    message = stored(app, "<dmarc@sala.se>")
    assert message.auth == {"trusted": True, "authserv_id": OURS, "spf": "fail", "dkim": "none", "dmarc": "fail",
                            "dmarc_domain": "sala.se", "from_domain": "sala.se", "ignored": 1}
    assert message.kind == "affiliation" and message.case_id is not None  # registered, for a person
    assert any(r.startswith("reply blocked: authentication failed: dmarc=fail") for r in message.reasons)
    assert outbox(app) == []
    with app.sessions() as session:
        assert session.get(Case, message.case_id).status is CaseStatus.NEEDS_REVIEW


def test_a_forged_result_from_another_authserv_id_is_not_trusted(make_app, tmp_path):
    app = make_app(service={"authserv_ids": [OURS]})
    run(app, tmp_path, sala_mail("<forged@sala.se>", auth=("mx.forged.example; dmarc=fail header.from=sala.se",)))
    message = stored(app, "<forged@sala.se>")
    assert (message.auth["trusted"], message.auth["dmarc"], message.auth["ignored"]) == (False, "none", 1)
    assert not any("authentication failed" in r for r in message.reasons)
    rows = outbox(app)
    assert rows and all(row.recipients == [EVA] for row in rows)  # answered as any unauthenticated mail is


def test_without_configured_ids_nothing_is_trusted(make_app, tmp_path):
    app = make_app()
    run(app, tmp_path, sala_mail("<noids@sala.se>", auth=(f"{OURS}; dmarc=fail header.from=sala.se",)))
    assert stored(app, "<noids@sala.se>").auth["trusted"] is False
    assert outbox(app)


def attachment_mail(msgid: str, filename: bytes, payload: bytes) -> bytes:
    return (f"From: Eva Strand <{EVA}>\r\nTo: {mails.BOARD}\r\nSubject: Anslutning till jämställdhetsstrategin\r\n"
            f"Message-ID: {msgid}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            f"Sala kommun ansluter sig till jämställdhetsstrategin. Beslutet bifogas.\r\n\r\nKontaktperson: Eva Strand, {EVA}\r\n"
            "--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=\"").encode() + filename + b"\"\r\n\r\n" + payload + b"\r\n--b--\r\n"


def test_nul_long_filenames_and_a_long_message_id_are_stored_and_processed(make_app, tmp_path):
    app = make_app()
    pdf = base64.encodebytes(mails.protocol_pdf(org="Sala kommun"))
    long_id = "<" + "m" * 1200 + "@sala.se>"
    report = run(app, tmp_path,
                 attachment_mail("<nul@sala.se>", b"beslut\x00.pdf", pdf),
                 attachment_mail("<long-name@sala.se>", b"b" * 10_000 + b".pdf", pdf),
                 attachment_mail(long_id, b"beslut.pdf", pdf),
                 attachment_mail("<garbage@sala.se>", b"trasig.pdf", "JVBERi0x\u00e5\u00ff!!!===".encode("utf-8")))
    assert (report.stored, report.processed, report.quarantined) == (4, 4, 0)
    with app.sessions() as session:
        assert set(session.scalars(select(Message.status))) == {MessageStatus.PROCESSED}
        names = set(session.scalars(select(Attachment.filename)))
        defects = session.scalars(select(Event.detail).where(Event.action == "mail_defect")).all()
    assert {"beslut.pdf", "b" * 10_000 + ".pdf", "trasig.pdf"} <= names
    assert not any("\x00" in name for name in names)
    assert len(defects) == 1 and "trasig.pdf" in defects[0] and "not valid base64" in defects[0]
    message = stored(app, long_id)
    assert message.case_id is not None and message.kind == "affiliation"


def test_inbox_check_shows_the_authentication_and_survives_a_corrupt_attachment(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[service]\nauthserv_ids = ["{OURS}"]\n', encoding="utf-8")
    path = tmp_path / "corrupt.eml"
    path.write_bytes(f"Authentication-Results: {OURS}; dmarc=fail header.from=sala.se\r\n".encode()
                     + attachment_mail("<c@sala.se>", b"trasig.pdf", "JVBERi0x\u00e5\u00ff!!!===".encode("utf-8")))
    done = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "check", str(path), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    result = json.loads(done.stdout)
    assert (result["authentication"]["trusted"], result["authentication"]["dmarc"]) == (True, "fail")
    assert any(b.startswith("authentication failed:") for b in result["reply_blockers"])
    assert any("not valid base64" in note for note in result["notes"])
    table = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "check", str(path)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert table.returncode == 0 and "Traceback" not in table.stderr, table.stderr
    assert "dmarc=fail" in table.stdout and "authentication failed" in table.stdout
