"""A case reference in a subject is no proof: references are numbered in order, anyone can write one.
Mail that names a case by its reference joins it only from a sender the case trusts (cases/trust.py);
anyone else gets a case of their own in needs_review, and a receipt that tells nothing of the real case.
A thread or the hidden token (only holders of our mail have them) still joins. Real Dovecot + SMTP,
both databases."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from ingest.classify import DEFAULT_RULES
from models import Case, CaseStatus, Contact, Decision, Event, Message
from tests.integration import mails
from tests.integration.lifecycle_support import cycle
from tests.integration.test_identity import cases, events, mail_to

pytestmark = pytest.mark.integration

STRANGER = "eva.karlsson1970@gmail.com"
ANNA = "anna.lind@koping.se"
# What the stranger must not learn of Köping's case: its organisation and its contact.
KOPINGS_CASE = ("Köping", "Anna Lind", "anna.lind", "0221")


@pytest.fixture
def app(make_identity_app):
    return make_identity_app()


def answer_by_reference(subject: str, *, msgid: str, sender: str, name: str, headers: dict | None = None,
                        html: str | None = None) -> bytes:
    """An answer that names the case in its subject only: no In-Reply-To, no References; Köping's decision attached."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = f"{name} <{sender}>", mails.BOARD, f"SV: {subject}", msgid
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content("Hej!\n\nHär kommer beslutet.\n")
    if html:
        msg.add_alternative(f"<p>Här kommer beslutet.</p><blockquote>{html}</blockquote>", subtype="html")
    msg.add_attachment(mails.protocol_pdf(), maintype="application", subtype="pdf", filename="Protokollsutdrag KS § 45.pdf")
    return msg.as_bytes()


def request_to_koping(app, imap, smtp_server):
    """Köping's affiliation without its decision: case JS-2026-0001, incomplete, a request to Anna."""
    imap.append(mails.affiliation(msgid="<k1@koping.se>", with_decision=False))
    cycle(app)
    [request] = mail_to(smtp_server, ANNA)
    assert request["Subject"].startswith("Komplettering") and "JS-2026-0001" in request["Subject"]
    return request


def readable(message) -> str:
    """Everything a reader sees of a mail: the subject and every text part, decoded."""
    parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    return "\n".join([str(message["Subject"]), *parts])


def decisions_of(app, reference: str) -> int:
    with app.sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.reference == reference))
        return session.scalar(select(func.count()).select_from(Decision).where(Decision.case_id == case_id))


def case_of(app, msgid: str) -> str:
    with app.sessions() as session:
        return session.scalar(select(Case.reference).join(Message, Message.case_id == Case.id).where(Message.message_id == msgid))


def test_a_stranger_writing_a_case_reference_gets_a_case_of_its_own_and_learns_nothing(app, imap, smtp_server):
    request = request_to_koping(app, imap, smtp_server)
    imap.append(answer_by_reference(request["Subject"], msgid="<x1@gmail.com>", sender=STRANGER, name="Eva Karlsson"))
    cycle(app)

    koping, claim = cases(app)
    assert (koping.reference, koping.status, koping.missing) == ("JS-2026-0001", CaseStatus.INCOMPLETE, ["decision"])
    assert decisions_of(app, koping.reference) == 0  # the stranger's decision is not Köping's
    assert case_of(app, "<x1@gmail.com>") == claim.reference and claim.status is CaseStatus.NEEDS_REVIEW
    reasons = [item["reason"] for item in claim.review if item["field"] == "organisation"]
    assert any(r.startswith("claims to answer JS-2026-0001 from gmail.com") for r in reasons), reasons
    with app.sessions() as session:
        assert session.scalars(select(Contact.email).where(Contact.case_id == koping.id)).all() == [ANNA]
    assert [e.case_id for e in events(app, "identity_review")] and {e.case_id for e in events(app, "identity_review")} == {claim.id}

    to_stranger = mail_to(smtp_server, STRANGER)
    assert [m["Subject"] for m in to_stranger] == [f"Mottaget: anslutning till jämställdhetsstrategin [{claim.reference}]"]
    seen = readable(to_stranger[0])
    assert not [word for word in (*KOPINGS_CASE, "JS-2026-0001") if word in seen], seen
    assert len(mail_to(smtp_server, ANNA)) == 1  # Köping got nothing more than its request


def test_the_organisations_own_reply_with_the_reference_joins(app, imap, smtp_server):
    request = request_to_koping(app, imap, smtp_server)
    imap.append(answer_by_reference(request["Subject"], msgid="<k2@koping.se>", sender="registrator@koping.se", name="Registrator"))
    cycle(app)

    [case] = cases(app)
    assert case_of(app, "<k2@koping.se>") == case.reference and decisions_of(app, case.reference) == 1
    assert case.status is CaseStatus.COMPLETE and case.contact.email == ANNA
    with app.sessions() as session:
        assert session.scalar(select(Event.detail).where(Event.action == "message_joined")) == "by_reference"
    [ack] = mail_to(smtp_server, "registrator@koping.se")
    assert ack["Subject"].startswith("Bekräftelse") and case.reference in ack["Subject"]


def test_a_colleagues_forward_with_the_reference_joins_and_is_not_answered(app, imap, smtp_server):
    request = request_to_koping(app, imap, smtp_server)
    imap.append(answer_by_reference(request["Subject"], msgid="<f1@lansstyrelsen.se>", sender="dennis.nystrom@lansstyrelsen.se",
                                    name="Dennis Nyström"))
    cycle(app)
    [case] = cases(app)
    assert case_of(app, "<f1@lansstyrelsen.se>") == case.reference and decisions_of(app, case.reference) == 1
    assert mail_to(smtp_server, "dennis.nystrom@lansstyrelsen.se") == []


def test_a_stranger_holding_our_mail_joins_by_its_token(app, imap, smtp_server):
    request = request_to_koping(app, imap, smtp_server)
    quoted = request.get_body(("html",)).get_content()  # Anna forwarded our request to a consultant
    imap.append(answer_by_reference(request["Subject"], msgid="<c1@konsult.example>", sender="elin@konsult.example",
                                    name="Elin Berg", html=quoted))
    cycle(app)
    [case] = cases(app)
    assert case_of(app, "<c1@konsult.example>") == case.reference and decisions_of(app, case.reference) == 1
    with app.sessions() as session:
        assert session.scalar(select(Event.detail).where(Event.action == "message_joined")) == "by_token"


def test_an_out_of_office_naming_the_reference_stays_in_the_cases_history(app, imap, smtp_server):
    request = request_to_koping(app, imap, smtp_server)
    imap.append(mails.out_of_office(msgid="<o1@gmail.com>", sender=STRANGER, subject=f"Automatiskt svar: {request['Subject']}"))
    cycle(app)
    [case] = cases(app)
    assert case_of(app, "<o1@gmail.com>") == case.reference and case.status is CaseStatus.INCOMPLETE
    assert mail_to(smtp_server, STRANGER) == [] and [e.case_id for e in events(app, "auto_reply_received")] == [case.id]


def test_dmarc_failure_is_read_from_the_authentication_results_not_from_the_configured_rules(make_identity_app, imap, smtp_server):
    """With the `authentication_failed` rule switched off nothing blocks the answer, but the sender's
    forged From (the contact's own address) still cannot speak for the case."""
    app = make_identity_app(service={"authserv_ids": ["mx.lansstyrelsen.se"]},
                            classify={"rules": [rule for rule in DEFAULT_RULES if rule != "authentication_failed"]})
    request = request_to_koping(app, imap, smtp_server)
    failed = "mx.lansstyrelsen.se; spf=fail smtp.mailfrom=koping.se; dkim=none; dmarc=fail (p=reject) header.from=koping.se"
    imap.append(answer_by_reference(request["Subject"], msgid="<d1@koping.se>", sender=ANNA, name="Anna Lind",
                                    headers={"Authentication-Results": failed}))
    cycle(app)

    koping, claim = cases(app)
    assert decisions_of(app, koping.reference) == 0 and koping.status is CaseStatus.INCOMPLETE
    assert case_of(app, "<d1@koping.se>") == claim.reference and claim.status is CaseStatus.NEEDS_REVIEW
    reasons = [item["reason"] for item in claim.review if item["field"] == "organisation"]
    assert any(r.startswith("claims to answer JS-2026-0001 from koping.se (failed authentication)") for r in reasons), reasons
    with app.sessions() as session:
        reasons_stored = session.scalar(select(Message.reasons).where(Message.message_id == "<d1@koping.se>"))
    assert not any("authentication failed" in r for r in reasons_stored)  # no blocker recorded: the rule is off
