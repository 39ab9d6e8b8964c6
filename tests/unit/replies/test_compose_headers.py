"""Identifier headers leave as plain ASCII, folded only between IDs, however long (issue 9, fault 3).

CPython's folder writes any header line over 78 characters as RFC 2047 encoded words, and its
parser decodes them again, so these tests read the raw bytes: what the SMTP server received and
what the file transport wrote.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from inbox.config import Settings
from models import OutgoingMail
from replies.compose import compose, identifiers
from replies.transports import FileTransport, SmtpTransport

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
OUTLOOK = [
    "<GV3P280MB0123456789ABCDEF0123456789ABCDEF@GV3P280MB0123.SWEP280.PROD.OUTLOOK.COM>",
    "<DB9PR02MB7345A1B2C3D4E5F60718293A4B5C6D7E8F90@DB9PR02MB7345.eurprd02.prod.outlook.com>",
    "<AM0PR10MB2435FEDCBA9876543210FEDCBA9876543210@AM0PR10MB2435.EURPRD10.PROD.OUTLOOK.COM>",
    "<VI1PR0601MB2093C0FFEE0123456789ABCDEFC0FFEE01@VI1PR0601MB2093.eurprd06.prod.outlook.com>",
]
OURS = "<177331234567.12345.JS-2026-0001-a-long-reference-for-good-measure@lansstyrelsen.se>"


def outlook_row(**changes) -> OutgoingMail:
    values = dict(recipients=["anna.lind@koping.se"], subject="Bekräftelse: anslutning till jämställdhetsstrategin [JS-2026-0001]",
                  body_text="Hej!", message_id=OURS, in_reply_to=OUTLOOK[-1], references=" ".join(OUTLOOK),
                  created_at=NOW, automatic=True)
    return OutgoingMail(**(values | changes))


def header_block(raw: bytes) -> str:
    return re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0].decode("ascii")  # raises if anything is not ASCII


def field(head: str, name: str) -> str:
    """The raw field, continuation lines included, with its line breaks."""
    match = re.search(rf"^{name}:(.*(?:\r?\n[ \t].*)*)", head, re.MULTILINE)
    assert match, f"no {name} header in:\n{head}"
    return match.group(0)


def assert_plain_identifiers(raw: bytes, *, message_id: str, in_reply_to: str, references: list[str]) -> None:
    head = header_block(raw)
    for name, expected in (("Message-ID", [message_id]), ("In-Reply-To", [in_reply_to]), ("References", references)):
        text = field(head, name)
        assert "=?" not in text, f"{name} was encoded:\n{text}"
        lines = re.split(r"\r?\n", text)
        assert all(len(line) <= 998 for line in lines)
        # each line holds whole IDs: the folds fall only at the spaces between them
        assert [i for line in lines for i in line.removeprefix(f"{name}:").split()] == expected
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["References"].split() == references


def test_outlook_length_identifiers_leave_the_file_transport_unencoded(tmp_path):
    row = outlook_row()
    FileTransport(tmp_path).send(compose(row, Settings()), row.recipients)
    [written] = tmp_path.glob("*.eml")
    assert_plain_identifiers(written.read_bytes(), message_id=OURS, in_reply_to=OUTLOOK[-1], references=OUTLOOK)


def test_outlook_length_identifiers_leave_over_smtp_unencoded(smtp_server):
    row = outlook_row()
    settings = Settings(smtp={"transport": "smtp", "host": smtp_server.host, "port": smtp_server.port, "tls": "none"})
    SmtpTransport(settings.smtp).send(compose(row, settings), row.recipients)
    smtp_server.wait_for(1)
    [received] = smtp_server.messages
    assert b"\r\nReferences: " + OUTLOOK[0].encode() + b"\r\n " + OUTLOOK[1].encode() + b"\r\n" in received.data
    assert_plain_identifiers(received.data, message_id=OURS, in_reply_to=OUTLOOK[-1], references=OUTLOOK)


def test_the_subject_is_still_encoded_where_it_must_be(tmp_path):
    row = outlook_row()
    FileTransport(tmp_path).send(compose(row, Settings()), row.recipients)
    raw = next(tmp_path.glob("*.eml")).read_bytes()
    assert "=?utf-8?" in field(header_block(raw), "Subject")
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == row.subject


@pytest.mark.parametrize("hostile", [
    "<ok@x>\r\nBcc: victim@example.org",  # a header injection attempt
    "<spaced id@x>",  # whitespace inside an ID
    "<åäö@exempel.se>",  # non-ASCII
    "<" + "a" * 2000 + "@x>",  # longer than a header line may be
])
def test_malformed_identifiers_from_others_are_left_out_not_encoded(tmp_path, hostile):
    row = outlook_row(in_reply_to=hostile, references=f"{OUTLOOK[0]} {hostile}")
    FileTransport(tmp_path).send(compose(row, Settings()), row.recipients)
    head = header_block(next(tmp_path.glob("*.eml")).read_bytes())
    assert "=?" not in field(head, "References") and "Bcc" not in head
    references = field(head, "References").removeprefix("References:").split()
    assert references == ([OUTLOOK[0], "<ok@x>"] if hostile.startswith("<ok@x>") else [OUTLOOK[0]])
    assert ("In-Reply-To:" in head) == hostile.startswith("<ok@x>")


def test_identifiers_keep_order_and_drop_repeats():
    assert identifiers(f"{OUTLOOK[0]}  {OUTLOOK[1]}\n\t{OUTLOOK[0]}") == OUTLOOK[:2]
    assert identifiers(None) == [] and identifiers("no id here") == []
