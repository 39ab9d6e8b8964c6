"""The strict DSN reader (RFC 3464) on literal messages."""

from __future__ import annotations

from cases.dsn import read_dsn

POSTFIX = b"""Return-Path: <>
Return-Path: <attacker@evil.example>
From: MAILER-DAEMON@mx.koping.se (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="B"

--B
Content-Type: text/plain

The mail system: <anna.lind@koping.se>: user unknown

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.koping.se
Arrival-Date: Thu, 12 Mar 2026 10:00:00 +0100

Final-Recipient: rfc822; Anna.Lind@koping.se
Original-Recipient: rfc822;<anna@koping.se>
Action: failed
Status: 5.1.1 (user unknown)

Final-Recipient: rfc822; erik@koping.se
Action: delayed
Status: 4.4.1

--B
Content-Type: text/rfc822-headers

Message-ID: <1.JS-2026-0001@lansstyrelsen.se>

--B--
"""


def test_a_postfix_dsn_is_read_per_recipient():
    dsn = read_dsn(POSTFIX)
    assert dsn is not None and dsn.null_sender  # the topmost Return-Path is the delivering MTA's
    first, second = dsn.recipients
    assert (first.final, first.original, first.action, first.status) == ("anna.lind@koping.se", "anna@koping.se", "failed", "5.1.1")
    assert first.permanent_failure and first.names("ANNA@koping.se")
    assert (second.final, second.action, second.status, second.permanent_failure) == ("erik@koping.se", "delayed", "4.4.1", False)


def test_only_the_top_level_report_counts():
    forwarded = (b"From: eva@evil.example\nSubject: Fwd\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"F\"\n\n"
                 b"--F\nContent-Type: text/plain\n\nsee attached\n--F\nContent-Type: message/rfc822\n\n" + POSTFIX + b"\n--F--\n")
    assert read_dsn(forwarded) is None
    assert read_dsn(POSTFIX.replace(b"report-type=delivery-status", b"report-type=disposition-notification")) is None
    assert read_dsn(b"From: a@b\nSubject: x\n\nFinal-Recipient: rfc822; anna.lind@koping.se\nAction: failed\nStatus: 5.1.1\n") is None


def test_a_real_return_path_is_not_the_null_sender():
    dsn = read_dsn(POSTFIX.replace(b"Return-Path: <>\n", b"", 1))
    assert dsn is not None and not dsn.null_sender


def test_odd_recipient_fields_name_nobody():
    odd = POSTFIX.replace(b"Final-Recipient: rfc822; Anna.Lind@koping.se\nOriginal-Recipient: rfc822;<anna@koping.se>",
                          b"Final-Recipient: x400; /C=SE/anna\nOriginal-Recipient: rfc822; not an address")
    first = read_dsn(odd).recipients[0]
    assert first.final == "erik@koping.se"  # the only recipient block left with an address
    assert all(not r.names("anna.lind@koping.se") for r in read_dsn(odd).recipients)
