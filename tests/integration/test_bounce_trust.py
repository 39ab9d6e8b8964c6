"""Bounces we trust: only a real DSN from a mail system, naming an address that reply was sent to, with a
permanent failure, flags the address; forged ones quoting our Message-ID flag nothing; staff clear a flag.
Real Dovecot + SMTP, both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cases.bounces import clear_undeliverable, judge
from inbox.errors import NotFound
from models import Case, CaseStatus, Event, Message, OutgoingMail, UndeliverableAddress
from replies.invitation import invite
from replies.send import send_due
from tests.integration import mails
from tests.integration.lifecycle_support import CONTACT, cycle, the_case
from tests.integration.test_cli import inbox

pytestmark = pytest.mark.integration


def dsn(*, msgid: str, original: str, recipient: str = CONTACT, return_path: str = "<>", action: str = "failed",
        status: str = "5.1.1", delivery_status: bool = True, report: bool = True) -> bytes:
    """A DSN as a mail system writes it, with each part of the trust rule switchable."""
    content_type = 'multipart/report; report-type=delivery-status; boundary="b1"' if report else 'multipart/mixed; boundary="b1"'
    status_part = (
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.koping.se\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n\r\n"
    ) if delivery_status else (
        f"--b1\r\nContent-Type: text/plain\r\n\r\nFinal-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n\r\n"
    )
    return (
        f"Return-Path: {return_path}\r\nFrom: Mail Delivery System <MAILER-DAEMON@mx.koping.se>\r\n"
        f"To: {mails.BOARD}\r\nSubject: Undeliverable: Inbjudan till dialogmote\r\n"
        f"Message-ID: {msgid}\r\nDate: Thu, 14 Mar 2024 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: {content_type}\r\n\r\n"
        "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nDelivery to the following recipient failed.\r\n\r\n"
        f"{status_part}"
        f"--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {original}\r\nSubject: Inbjudan\r\n\r\n--b1--\r\n"
    ).encode("ascii")


def flagged(app) -> list[str]:
    with app.sessions() as session:
        return list(session.scalars(select(UndeliverableAddress.address).order_by(UndeliverableAddress.id)))


FORGERIES = {  # what is changed, and the doubt recorded for it
    "not from the null sender": (dict(return_path="<attacker@evil.example>"), "not from a mail system"),
    "a recipient the reply never went to": (dict(recipient="someone.else@koping.se"), "it names no address that reply was sent to"),
    "no delivery-status part": (dict(delivery_status=False), "not a delivery status notification"),
    "not a multipart/report": (dict(report=False), "not a delivery status notification"),
    "only delayed": (dict(action="delayed", status="4.4.1"), "no permanent failure"),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_bounce_quoting_our_message_id_flags_nothing(make_lifecycle_app, imap, smtp_server, forgery):
    app = make_lifecycle_app()
    imap.append(mails.affiliation(msgid="<f1@koping.se>"))
    cycle(app)
    invitation = smtp_server.messages[-1].message
    assert invitation["Subject"].startswith("Inbjudan")
    changes, expected_doubt = FORGERIES[forgery]
    imap.append(dsn(msgid="<forged@evil.example>", original=invitation["Message-ID"], **changes))
    cycle(app)
    assert flagged(app) == []
    with app.sessions() as session:
        doubt = session.scalar(select(Event.detail).where(Event.action == "bounce_unverified"))
        case = session.scalars(select(Case)).one()
    assert doubt.startswith(f"invitation: {expected_doubt}") and doubt.endswith("no address flagged")
    assert case.status is CaseStatus.NEEDS_REVIEW  # kept on the case, for a person to read
    with app.sessions() as session:  # and automatic mail still goes to the contact
        case = session.get(Case, case.id)
        case.status = CaseStatus.COMPLETE
        assert invite(app, session, case, actor="system") is True
        session.commit()
    send_due(app)
    assert smtp_server.messages[-1].rcpt_tos == [CONTACT]


def test_a_real_dsn_flags_the_address_and_staff_can_clear_it(make_lifecycle_app, imap, smtp_server, config_for):
    app = make_lifecycle_app()
    imap.append(mails.affiliation(msgid="<t1@koping.se>"))
    cycle(app)
    invitation = smtp_server.messages[-1].message
    imap.append(dsn(msgid="<dsn@mx.koping.se>", original=invitation["Message-ID"]))
    cycle(app)
    assert flagged(app) == [CONTACT]
    assert the_case(app).status is CaseStatus.NEEDS_REVIEW

    with app.sessions() as session:  # flagged: the next automatic mail to the contact is held back
        case = session.get(Case, the_case(app).id)
        case.status = CaseStatus.COMPLETE
        assert invite(app, session, case, actor="system") is False
        session.commit()
    sent = len(smtp_server.messages)

    config = str(config_for(app))  # the CLI as a person runs it, in its own process
    listed = inbox("--config", config, "undeliverable", "list")
    assert CONTACT in listed.stdout and "bounce of outbox" in listed.stdout, listed.stderr
    cleared = inbox("--config", config, "undeliverable", "clear", CONTACT.upper(), "--why", "Rätt adress enligt telefonsamtal",
                    "--by", "staff:eva")
    assert cleared.returncode == 0, cleared.stderr
    assert flagged(app) == []
    with app.sessions() as session:
        event = session.scalars(select(Event).where(Event.action == "undeliverable_cleared")).one()
        assert (event.actor, event.case_id, event.data["address"]) == ("staff:eva", the_case(app).id, CONTACT)
        assert event.data["why"] == "Rätt adress enligt telefonsamtal" and event.data["was"].startswith("bounce of outbox")
        case = session.get(Case, the_case(app).id)
        assert invite(app, session, case, actor="system") is True  # mail goes there again
        session.commit()
    send_due(app)
    assert len(smtp_server.messages) == sent + 1 and smtp_server.messages[-1].rcpt_tos == [CONTACT]
    with pytest.raises(NotFound):
        clear_undeliverable(app, CONTACT, "staff:eva", "again")


def test_the_boards_own_mta_is_trusted_without_the_null_sender(make_lifecycle_app, imap, smtp_server):
    """An NDR the board's own Exchange wrote and its servers authenticated (Message.auth, trusted)."""
    app = make_lifecycle_app()
    imap.append(mails.affiliation(msgid="<m1@koping.se>"))
    cycle(app)
    invitation = smtp_server.messages[-1].message
    with app.sessions() as session:
        ours = session.scalar(select(OutgoingMail).where(OutgoingMail.message_id == invitation["Message-ID"]))
        raw = dsn(msgid="<ndr@lansstyrelsen.se>", original=invitation["Message-ID"], return_path="<postmaster@lansstyrelsen.se>")
        own = Message(sender="postmaster@lansstyrelsen.se", auth={"trusted": True, "dmarc": "pass"})
        assert judge(app, own, raw, ours).addresses == (CONTACT,)
        untrusted = Message(sender="postmaster@lansstyrelsen.se", auth={"trusted": False, "dmarc": "pass"})
        assert judge(app, untrusted, raw, ours).addresses == ()
        elsewhere = Message(sender="postmaster@evil.example", auth={"trusted": True, "dmarc": {"result": "pass"}})
        assert judge(app, elsewhere, raw, ours).addresses == ()
        checked_for_another = Message(sender="postmaster@lansstyrelsen.se",
                                      auth={"trusted": True, "dmarc": "pass", "dmarc_domain": "evil.example"})
        assert judge(app, checked_for_another, raw, ours).addresses == ()


@pytest.fixture
def config_for(tmp_path):
    """A config file for the CLI pointing at the app's database and data folder."""
    def write(app) -> object:
        path = tmp_path / "cli.toml"
        url = app.settings.database.url
        path.write_text(f'[database]\nurl = "{url}"\n[service]\ndata_dir = "{app.settings.service.data_dir}"\n', encoding="utf-8")
        return path
    return write
