"""Containers: winmail.dat (TNEF), Outlook .msg, attached mails and ZIP, within their limits."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from ingest.extract.containers import unpack
from ingest.extract.limits import DocumentLimits, Reading
from ingest.message import MailAttachment
from tests import documents as make

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus"
PDF = make.decision_pdf()


def attachment(filename, payload, declared="application/octet-stream") -> MailAttachment:
    return MailAttachment(filename=filename, declared_type=declared, payload=payload, disposition="attachment")


def names(parts) -> list[str | None]:
    return [p.filename for p in parts]


def test_plain_files_pass_through():
    parts = unpack((attachment("a.pdf", PDF),), Reading())
    assert names(parts) == ["a.pdf"] and parts[0].via is None


def test_winmail_dat_gives_its_files_with_swedish_names():
    tnef = make.tnef_with("Protokollsutdrag § 45 Köping.pdf", PDF, ("bilaga.txt", b"hej"))
    parts = unpack((attachment("winmail.dat", tnef, "application/ms-tnef"),), Reading())
    assert names(parts) == ["Protokollsutdrag § 45 Köping.pdf", "bilaga.txt"]
    assert parts[0].payload == PDF and parts[0].via == "winmail.dat"


@pytest.mark.skipif(not (CORPUS / "tnefparse" / "two-files.tnef").exists(), reason="../shared/corpus is absent")
def test_a_real_outlook_winmail_dat():
    payload = (CORPUS / "tnefparse" / "two-files.tnef").read_bytes()
    parts = unpack((attachment("winmail.dat", payload),), Reading())
    assert len([p for p in parts if not p.body]) == 2


@pytest.mark.skipif(not (CORPUS / "spamscope-mail-parser" / "mail_outlook_1").exists(), reason="../shared/corpus is absent")
def test_an_outlook_msg_gives_its_body_and_its_attachments():
    payload = (CORPUS / "spamscope-mail-parser" / "mail_outlook_1").read_bytes()
    parts = unpack((attachment("Vidarebefordrat.msg", payload, "application/vnd.ms-outlook"),), Reading())
    assert parts[0].body and "Newsletter" in parts[0].payload.decode()
    assert "newsletter.png" in names(parts) and all(p.via == "Vidarebefordrat.msg" for p in parts)


def test_a_broken_msg_stays_an_attachment_with_a_note():
    reading = Reading()
    parts = unpack((attachment("trasig.msg", b"\xd0\xcf\x11\xe0broken"),), reading)
    assert names(parts) == ["trasig.msg"] and "could not be unpacked" in reading.notes[0]


def forwarded_mail() -> bytes:
    inner = EmailMessage()
    inner["From"], inner["Subject"] = "Kansliet <kansli@koping.se>", "Protokollsutdrag"
    inner.set_content("Här är protokollet, § 45.")
    inner.add_attachment(PDF, maintype="application", subtype="pdf", filename="KS § 45.pdf")
    return inner.as_bytes()


def test_an_attached_mail_gives_its_text_and_its_attachments():
    parts = unpack((attachment("x.txt", forwarded_mail(), "message/rfc822"),), Reading())
    assert [p.body for p in parts] == [True, False]
    assert names(parts)[1] == "KS § 45.pdf" and parts[1].via == "Protokollsutdrag"


def test_an_eml_attachment_is_opened_and_duplicates_are_listed_once():
    eml = attachment("VB Protokoll.eml", forwarded_mail())
    flattened = attachment("KS § 45.pdf", PDF)  # mail-parser lists an attached mail's files as well
    assert names(unpack((eml, flattened), Reading())) == ["Protokollsutdrag (mail text)", "KS § 45.pdf"]


def test_a_zip_within_the_limits_is_opened():
    archive = make.zip_with({"handlingar/protokoll.pdf": PDF, "bilaga.docx": make.decision_docx()})
    parts = unpack((attachment("handlingar.zip", archive),), Reading())
    assert names(parts) == ["protokoll.pdf", "bilaga.docx"] and parts[1].in_zip


def test_a_docx_is_a_document_not_a_zip_to_open():
    assert names(unpack((attachment("beslut.docx", make.decision_docx()),), Reading())) == ["beslut.docx"]


def test_a_zip_with_too_many_files_is_not_opened():
    reading = Reading(DocumentLimits(zip_max_files=2))
    archive = make.zip_with({f"{n}.txt": b"x" for n in range(3)})
    assert unpack((attachment("many.zip", archive),), reading) == []
    assert reading.problems == ["many.zip holds 3 files, over the limit of 2; not opened"]


def test_a_zip_bomb_is_read_only_up_to_the_limit():
    reading = Reading(DocumentLimits(zip_max_mb=1))
    archive = make.zip_with({"a.pdf": PDF, "bomb.txt": b"\0" * (5 * 1024 * 1024)})
    assert len(archive) < 50_000
    assert names(unpack((attachment("bomb.zip", archive),), reading)) == ["a.pdf"]
    assert "unpacks to more than 1 MB" in reading.problems[0]


def test_a_zip_inside_a_zip_is_never_opened():
    reading = Reading()
    inner = make.zip_with({"protokoll.pdf": PDF})
    assert unpack((attachment("outer.zip", make.zip_with({"inner.zip": inner})),), reading) == []
    assert reading.problems == ["inner.zip is a ZIP inside a ZIP; not opened"]


def test_an_encrypted_zip_entry_is_skipped():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hemlig.pdf", PDF)
    data = bytearray(out.getvalue())
    data[6] |= 0x1  # the encryption flag of the local header ...
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # ... and of the central directory, which zipfile reads
    reading = Reading()
    assert unpack((attachment("hemlig.zip", bytes(data)),), reading) == []
    assert "hemlig.pdf is encrypted" in reading.problems[0]


def test_a_container_over_the_size_limit_is_not_opened():
    reading = Reading(DocumentLimits(max_attachment_mb=0.01))
    tnef = make.tnef_with("protokoll.pdf", PDF)
    assert unpack((attachment("winmail.dat", tnef),), reading) == []
    assert "over the 0.01 MB limit; not opened" in reading.problems[0]


def test_containers_nest_only_a_few_levels():
    payload = make.tnef_with("protokoll.pdf", PDF)
    for level in range(5):
        payload = make.tnef_with(f"winmail{level}.dat", payload)
    reading = Reading()
    assert unpack((attachment("winmail.dat", payload),), reading) == []
    assert "nested more than 3 containers deep" in reading.problems[0]
