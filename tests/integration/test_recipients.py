"""Whom automatic mail goes to: the sender and addresses in its or the organisation's domains; anyone
else only after a person approves; daily caps hold mail, never drop it. Every reply carries the
personal-data notice and a case token Outlook hides. Real Dovecot + SMTP, both databases."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from digest.collect import collect
from digest.render import render_digest
from inbox.errors import InboxError
from models import Case, CaseStatus, Event, OutboxStatus, OutgoingMail
from replies.approval import approve, reject
from replies.send import send_due
from tests.integration import mails
from tests.integration.lifecycle_support import cycle

pytestmark = pytest.mark.integration

SENDER = "anna.lind@koping.se"
OUTSIDER = "elin.berg@konsult.example"
PRIVACY_URL = "https://www.lansstyrelsen.se/dataskydd"


def affiliation_naming(contact: str, *, msgid: str, sender: str = SENDER, org: str = "Köpings kommun") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = f"Anna Lind <{sender}>", mails.BOARD, "Anslutning till jämställdhetsstrategin", msgid
    msg.set_content(f"Hej!\n\n{org} ansluter sig till jämställdhetsstrategin. Beslutet bifogas.\n\n"
                    f"Kontaktperson: Elin Berg, samordnare, {contact}, 070-765 43 21\n\nMed vänliga hälsningar\nAnna Lind\n")
    msg.add_attachment(mails.protocol_pdf(org=org), maintype="application", subtype="pdf", filename="beslut.pdf")
    return msg.as_bytes()


def received_by(smtp_server) -> list[tuple[str, list[str]]]:
    return [(m.message["Subject"].split(":")[0], sorted(m.rcpt_tos)) for m in smtp_server.messages]


def digest_text(app, clock) -> str:
    """The digest as it would go out now, covering the last day (rendered, not queued)."""
    with app.sessions() as session:
        data = collect(app, session, clock.now - timedelta(days=1), clock.now + timedelta(minutes=1))
    return render_digest(app, data, None).text


def held_rows(app) -> list[OutgoingMail]:
    with app.sessions() as session:
        return list(session.scalars(select(OutgoingMail).where(OutgoingMail.status == OutboxStatus.HELD).order_by(OutgoingMail.id)))


def test_a_contact_at_another_domain_is_mailed_only_after_a_person_approves(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app()
    imap.append(affiliation_naming(OUTSIDER, msgid="<r1@koping.se>"))
    cycle(app)
    assert received_by(smtp_server) == [("Bekräftelse", [SENDER])]  # the sender only; nothing to the outsider
    held = held_rows(app)
    assert [(row.template, row.recipients) for row in held] == [("acknowledgement", [OUTSIDER]), ("invitation", [OUTSIDER])]
    with app.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status is CaseStatus.COMPLETE  # not invited while the invitation waits
        events = session.scalars(select(Event).where(Event.action == "reply_held").order_by(Event.id)).all()
    assert [e.data["address"] for e in events] == [OUTSIDER, OUTSIDER]
    assert all("not the sender" in e.detail for e in events)

    send_due(app)  # held rows never leave by themselves
    assert len(smtp_server.messages) == 1

    acknowledgement, invitation = held
    approve(app, acknowledgement.id, "staff:eva", "checked by phone")
    send_due(app)
    send_due(app)
    assert received_by(smtp_server) == [("Bekräftelse", [SENDER]), ("Bekräftelse", [OUTSIDER])]  # exactly once
    approve(app, invitation.id, "staff:eva")
    send_due(app)
    assert received_by(smtp_server)[-1] == ("Inbjudan till dialogmöte", [OUTSIDER])
    assert len(smtp_server.messages) == 3
    with app.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status is CaseStatus.INVITED
        approvals = session.scalars(select(Event).where(Event.action == "reply_approved")).all()
    assert [(e.actor, e.data["outbox_id"]) for e in approvals] == [("staff:eva", acknowledgement.id), ("staff:eva", invitation.id)]
    with pytest.raises(InboxError, match="not held"):
        approve(app, acknowledgement.id, "staff:eva")  # approving twice sends nothing twice
    send_due(app)
    assert len(smtp_server.messages) == 3


def test_a_rejected_reply_is_never_sent(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app()
    imap.append(affiliation_naming(OUTSIDER, msgid="<r2@koping.se>"))
    cycle(app)
    for row in held_rows(app):
        reject(app, row.id, "staff:eva", "not their contact")
    send_due(app)
    assert received_by(smtp_server) == [("Bekräftelse", [SENDER])]
    with app.sessions() as session:
        statuses = session.scalars(select(OutgoingMail.status).order_by(OutgoingMail.id)).all()
        rejected = session.scalars(select(Event.actor).where(Event.action == "reply_rejected")).all()
    assert statuses == [OutboxStatus.SENT, OutboxStatus.CANCELLED, OutboxStatus.CANCELLED]
    assert rejected == ["staff:eva", "staff:eva"]


def test_contacts_in_the_senders_or_the_organisations_domains_are_mailed_at_once(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app()
    imap.append(affiliation_naming("elin.berg@koping.se", msgid="<r3@koping.se>", sender="registrator@koping.se"))
    cycle(app)
    assert received_by(smtp_server) == [("Bekräftelse", ["elin.berg@koping.se", "registrator@koping.se"]),
                                        ("Inbjudan till dialogmöte", ["elin.berg@koping.se"])]
    assert held_rows(app) == []


def test_a_free_mail_sender_cannot_vouch_for_another_free_mail_address(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app()
    imap.append(affiliation_naming("someone.else@gmail.com", msgid="<r4@gmail.com>", sender="anna.lind77@gmail.com",
                                   org="Föreningen Hälsa för alla"))
    cycle(app)
    assert received_by(smtp_server) == [("Bekräftelse", ["anna.lind77@gmail.com"])]
    assert [row.recipients for row in held_rows(app)] == [["someone.else@gmail.com"], ["someone.else@gmail.com"]]


ASSOCIATIONS = ("Alfa", "Björken", "Cedern", "Dalen", "Eken", "Furan", "Granen", "Hagen", "Idun", "Jorden")


def test_one_sender_naming_ten_contacts_cannot_make_us_mail_more_than_the_cap(make_lifecycle_app, imap, smtp_server, clock):
    app = make_lifecycle_app(max_recipients_per_sender_per_day=5)
    sender = "eva@konsult.example"
    for number, name in enumerate(ASSOCIATIONS):
        imap.append(affiliation_naming(f"kontakt{number}@konsult.example", msgid=f"<c{number}@konsult.example>",
                                       sender=sender, org=f"Föreningen {name}"))
    cycle(app)
    with app.sessions() as session:
        assert len(session.scalars(select(Case)).all()) == 10  # ten cases: the cap held mail, not the cases
    mailed = {address for message in smtp_server.messages for address in message.rcpt_tos}
    assert len(mailed) == 5 and sender in mailed  # the sender and four contacts
    held = held_rows(app)
    assert {address for row in held for address in row.recipients} == {f"kontakt{n}@konsult.example" for n in range(4, 10)}
    assert all(row.last_error.startswith("held (sender_cap)") for row in held)
    with app.sessions() as session:
        capped = session.scalars(select(Event.detail).where(Event.action == "reply_held")).all()
    assert capped and all("cap" in detail for detail in capped)

    digest = digest_text(app, clock)
    assert f"{sender} <{app.settings.web.base_url}/utkorg>\n  - Avsändaren nådde taket för hur många olika adresser" in digest
    assert f"inbox outbox approve {held[0].id}" in digest  # the action list says how to release it

    clock.advance(hours=25)  # a day later the cap has room again, but held mail still waits for a person
    send_due(app)
    assert {address for message in smtp_server.messages for address in message.rcpt_tos} == mailed


def test_the_daily_cap_on_all_automatic_mail_holds_the_rest(make_lifecycle_app, imap, smtp_server, clock):
    app = make_lifecycle_app(max_automatic_per_day=2)
    imap.append(affiliation_naming("elin.berg@koping.se", msgid="<d1@koping.se>"))
    imap.append(mails.affiliation(msgid="<d2@sala.se>", sender="erik.berg@sala.se"))
    cycle(app)
    assert len(smtp_server.messages) == 2  # acknowledgement and invitation of the first case
    held = held_rows(app)
    assert held and all(row.last_error.startswith("held (daily_cap)") for row in held)
    assert "Taket för automatiska utskick per dygn nåddes" in digest_text(app, clock)


def test_every_reply_carries_the_privacy_notice_and_a_token_outlook_hides(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app()
    imap.append(mails.affiliation(msgid="<n1@koping.se>", with_decision=False))
    cycle(app)
    imap.append(mails.affiliation(msgid="<n2@koping.se>"))
    cycle(app)
    assert [m.message["Subject"].split(":")[0] for m in smtp_server.messages] == ["Komplettering behövs", "Bekräftelse",
                                                                              "Inbjudan till dialogmöte"]
    for received in smtp_server.messages:
        text = received.message.get_body(("plain",)).get_content()
        html = received.message.get_body(("html",)).get_content()
        for body in (text, html):
            assert "Länsstyrelsen behandlar de personuppgifter" in body and PRIVACY_URL in body
        assert f'<a href="{PRIVACY_URL}"' in html
        token_at = html.index("strategy-inbox-token:")
        element = html[html.rindex("<div", 0, token_at):token_at]
        assert "mso-hide:all" in element and "display:none" in element and "font-size:0" in element
        assert "<!--[if !mso]><!-->" in html[:token_at]  # Outlook for Windows does not even render it
        assert "strategy-inbox-token" not in text


def test_a_url_in_an_organisation_name_or_title_reaches_nobody_as_a_link(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app()
    org = "Föreningen www.evil.example"
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = f"Anna Lind <{SENDER}>", mails.BOARD, "Anslutning till jämställdhetsstrategin", "<u1@koping.se>"
    msg.set_content(f"Hej!\n\n{org} ansluter sig till jämställdhetsstrategin. Beslutet bifogas.\n\n"
                    "Kontaktperson: Elin Berg, samordnare på http://evil.example/login, elin.berg@koping.se, 070-765 43 21\n")
    msg.add_attachment(mails.protocol_pdf(org=org), maintype="application", subtype="pdf", filename="beslut.pdf")
    imap.append(msg.as_bytes())
    cycle(app)
    assert [m.message["Subject"].split(":")[0] for m in smtp_server.messages] == ["Bekräftelse", "Inbjudan till dialogmöte"]
    acknowledgement = smtp_server.messages[0].message
    for part in ("plain", "html"):
        body = acknowledgement.get_body((part,)).get_content()
        assert "evil.example" not in body and "http://evil" not in body and "www.evil" not in body
        assert "www[.]evil[.]example" in body and "hxxp[:]//evil[.]example/login" in body  # still readable
