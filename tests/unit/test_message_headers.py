"""Who sent it, and what a hostile header can do: literal RFC 822 text, and hypothesis properties."""

from __future__ import annotations

import base64
import os
import time

from email_validator import EmailNotValidError, validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.message import MessageParseError, ParsedMail, parse_message

CRLF_NAME = "=?utf-8?q?Eva=0D=0ABcc:=20victim@example.com?="


def mail(headers: str, body: str = "Hej", *, extra: bytes = b"") -> bytes:
    head = headers if headers.endswith("\r\n") else headers + "\r\n"
    return (head + "Subject: Anslutning\r\nContent-Type: text/plain; charset=utf-8\r\nMIME-Version: 1.0\r\n\r\n"
            + body + "\r\n").encode("utf-8") + extra


def with_attachment(filename: bytes, payload: bytes, *, msgid: bytes = b"<m@sala.se>") -> bytes:
    return (b"From: Anna <anna@sala.se>\r\nTo: vastmanland@lansstyrelsen.se\r\nSubject: Beslut\r\nMessage-ID: " + msgid + b"\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBeslutet bifogas.\r\n"
            b"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"" + filename + b"\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + payload + b"\r\n--b--\r\n")


# --- sender truth -------------------------------------------------------------------------------

def test_an_address_in_an_encoded_display_name_is_only_a_name():
    parsed = parse_message(mail(f"From: {CRLF_NAME} <eva@x.se>\r\nTo: {CRLF_NAME} <board@lansstyrelsen.se>"))
    assert parsed.sender == "eva@x.se"
    assert parsed.to == ("board@lansstyrelsen.se",)
    assert parsed.sender_name == "Eva  Bcc: victim@example.com"  # kept as a name, on one line


def test_an_address_in_a_quoted_or_base64_display_name_is_only_a_name():
    encoded = base64.b64encode(b"Eva <victim@example.com>").decode()
    for header in ('From: "victim@example.com" <eva@x.se>', f"From: =?utf-8?b?{encoded}?= <eva@x.se>",
                   'From: "Eva, <victim@example.com>" <eva@x.se>', "From: Eva <eva@x.se> (victim@example.com)"):
        assert parse_message(mail(header)).sender == "eva@x.se", header


def test_an_ambiguous_from_gives_no_sender():
    for header in ("From: victim@example.com <eva@x.se>", "From: Eva <eva@x.se> victim@example.com",
                   "From: eva@x.se <victim@example.com>", "From: eva@x.se@evil.example"):
        assert parse_message(mail(header)).sender is None, header


def test_an_implausible_address_gives_no_sender_and_no_fallback():
    for value in ("MAILER-DAEMON", "<eva@x.se", '"eva@x.se"@evil.example', "eva@localhost", "eva@x.local",
                  "=?utf-8?q?victim@example.com?=", "a" * 300 + "@x.se"):
        parsed = parse_message(mail(f"From: {value}\r\nSender: victim@example.com\r\nReturn-Path: <victim@example.com>"))
        assert parsed.sender is None, value


def test_sender_and_return_path_count_only_without_a_from_field():
    assert parse_message(mail("Sender: Eva <eva@x.se>\r\nReturn-Path: <other@x.se>")).sender == "eva@x.se"
    assert parse_message(mail("Return-Path: <eva@x.se>")).sender == "eva@x.se"
    for empty in ("undisclosed-recipients:;", "( <victim@example.com>", ""):
        assert parse_message(mail(f"From: {empty}\r\nReturn-Path: <eva@x.se>")).sender is None, empty
    assert parse_message(mail("From: Eva <EVA@X.SE>, other@y.se\r\nFrom: v@y.se")).sender == "eva@x.se"  # the first author


def test_common_real_world_shapes_still_give_their_sender():
    assert parse_message(mail('From: "=?ISO-8859-1?Q?Fran=E7ois_Boulogne?=" <boulogne.f@gmail.com>')).sender == "boulogne.f@gmail.com"
    assert parse_message(mail("From: Mail Delivery System <MAILER-DAEMON@mx.koping.se>")).sender == "mailer-daemon@mx.koping.se"
    raw = "From: Åsa Öberg <asa.oberg@sala.se>\r\n".encode("cp1252") + mail("To: x@sala.se")
    parsed = parse_message(raw)
    assert (parsed.sender, parsed.sender_name) == ("asa.oberg@sala.se", "Åsa Öberg")


def test_a_pathological_address_field_is_bounded():
    started = time.monotonic()
    parsed = parse_message(mail('From: Eva <eva@x.se>\r\nTo: ' + '"' * 60_000 + "\r\nCc: " + "(" * 20_000))
    assert parsed.sender == "eva@x.se"
    assert time.monotonic() - started < 2


# --- what can break storage -----------------------------------------------------------------------

def test_garbage_in_a_base64_attachment_is_kept_and_noted():
    parsed = parse_message(with_attachment(b"beslut.pdf", b"JVBERi0x\xc3\xa5\xff!!!===abc"))
    [part] = parsed.attachments
    assert part.filename == "beslut.pdf" and part.payload.startswith(b"JVBERi0x")
    assert parsed.notes and "not valid base64" in parsed.notes[0]


def test_nul_and_control_characters_are_removed():
    raw = with_attachment(b"be\x00slut\t.pdf", base64.b64encode(b"%PDF-1.4"), msgid=b"<a\x00b@sala.se>")
    raw = raw.replace(b"Subject: Beslut", b"Subject: =?utf-8?q?Bes=00lut=0D=0ABcc:_x@y.se?=").replace(b"Beslutet bifogas.", b"Beslutet\x00 bifogas.")
    parsed = parse_message(raw)
    assert parsed.subject == "Beslut  Bcc: x@y.se"
    assert parsed.attachments[0].filename == "beslut .pdf"
    assert parsed.message_id == "<ab@sala.se>"
    assert "Beslutet bifogas." in parsed.text
    assert not nul_in(parsed)


def test_a_message_id_of_any_length_is_kept_whole():
    long_id = "<" + "a" * 1200 + "@sala.se>"
    assert parse_message(mail(f"From: anna@sala.se\r\nMessage-ID: {long_id}")).message_id == long_id


# --- properties -----------------------------------------------------------------------------------

LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
LOCAL = st.from_regex(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,12}(?:\.[A-Za-z0-9_+-]{1,8}){0,2}", fullmatch=True)
ADDR_SPEC = st.builds(lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}",
                      LOCAL, st.lists(LABEL, min_size=1, max_size=3), st.from_regex(r"[a-z]{2,6}", fullmatch=True))
HOSTILE_TEXT = st.lists(st.sampled_from(list("Eva åäö,;:<>\"'()@\\[]\r\n\t\x00=?") + ["victim@example.com", "Bcc: ", "=?utf-8?q?", "?="]),
                        max_size=30).map("".join)
VICTIM = "victim@example.com"
# 300 examples per property in the suite; HYPOTHESIS_EXAMPLES=5000 for a longer hunt.
PROPERTY = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def q_word(text: str) -> str:
    return "=?utf-8?q?" + "".join(f"={byte:02X}" for byte in text.encode("utf-8")) + "?="


def b_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode() + "?="


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "") + '"'


def valid(addr: str) -> bool:
    try:
        validate_email(addr, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@PROPERTY
@given(name=HOSTILE_TEXT, addr=ADDR_SPEC, encode=st.sampled_from([q_word, b_word]))
def test_an_encoded_display_name_never_changes_the_sender(name, addr, encode):
    parsed = parse_message(mail(f"From: {encode(name)} <{addr}>\r\nTo: {encode(name)} <{addr}>"))
    expected = addr.lower() if valid(addr) else None
    assert parsed.sender == expected
    assert parsed.to == ((expected,) if expected else ())
    assert not nul_in(parsed)


@PROPERTY
@given(name=HOSTILE_TEXT, addr=ADDR_SPEC)
def test_a_quoted_display_name_gives_the_addr_spec_or_nothing(name, addr):
    parsed = parse_message(mail(f"From: {quoted(name)} <{addr}>"))
    assert parsed.sender in (addr.lower(), None)
    assert parsed.sender != VICTIM


@PROPERTY
@given(value=HOSTILE_TEXT, addr=ADDR_SPEC)
def test_any_from_value_parses_without_raising_and_never_to_an_address_from_decoded_text(value, addr):
    raw_from = f"{value} <{addr}>".replace("\r", "").replace("\n", "")
    try:
        parsed = parse_message(mail(f"From: {raw_from}\r\nSender: {VICTIM}"))
    except MessageParseError:
        return
    assert parsed.sender is None or parsed.sender.lower() in raw_from.lower()
    assert not nul_in(parsed)


@PROPERTY
@given(subject=HOSTILE_TEXT, filename=HOSTILE_TEXT, body=HOSTILE_TEXT)
def test_no_nul_survives_anywhere(subject, filename, body):
    raw = with_attachment(filename.replace('"', "").replace("\r", "").replace("\n", "").encode("utf-8"), b"!!garbage\xff")
    raw = raw.replace(b"Subject: Beslut", b"Subject: " + q_word(subject).encode()).replace(b"Beslutet bifogas.", body.encode("utf-8"))
    try:
        parsed = parse_message(raw)
    except MessageParseError:
        return
    assert not nul_in(parsed)


def nul_in(parsed: ParsedMail) -> list[str]:
    values = [parsed.subject, parsed.sender_name, parsed.sender, parsed.message_id, parsed.text, parsed.html, parsed.in_reply_to,
              *parsed.to, *parsed.references, *parsed.notes, *(v for vs in parsed.headers.values() for v in vs)]
    for part in parsed.attachments:
        values += [part.filename, part.declared_type, part.content_id, part.disposition]
    return [v for v in values if v and "\x00" in v]
