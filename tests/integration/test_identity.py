"""Right organisation, right contact: names that contain one another, two org numbers under one name,
a stranger naming a municipality's org number, signatures in replies, mail that failed DMARC.
Real Dovecot + SMTP, both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from fpdf import FPDF
from sqlalchemy import func, select

from cases import staff
from inbox.errors import InboxError
from models import Case, CaseStatus, Contact, Event, Message, Organisation, OutgoingMail
from tests.integration import mails
from tests.integration.lifecycle_support import cycle
from tests.integration.test_cli import inbox

pytestmark = pytest.mark.integration

KOPING = "212000-2015"


@pytest.fixture
def app(make_identity_app):
    return make_identity_app()


def decision_pdf(org: str, lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_creation_date(datetime(2024, 3, 12, tzinfo=UTC))
    pdf.add_page()
    pdf.add_font("DejaVu", "", mails.FONT)
    pdf.set_font("DejaVu", size=11)
    for line in [org, "PROTOKOLLSUTDRAG", "Sammanträdesdatum 2024-03-12", "§ 12  Dnr 2024/45", *lines,
                 "Justerandes signatur", "Utdragsbestyrkande"]:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def affiliation(msgid: str, *, org: str, number: str | None, sender: str, name: str, title: str = "utvecklingsledare",
                phone: str = "0224-747 12", decision_lines: tuple[str, ...] = (), text: str = "", contact: str | None = None) -> bytes:
    """A complete affiliation: a decision naming the organisation (and its org number), a labelled contact."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = f"{name} <{sender}>", mails.BOARD, "Anslutning till jämställdhetsstrategin", msgid
    labelled = contact or f"{name}, {title}, {sender}, {phone}"
    msg.set_content(f"Hej!\n\n{org} ansluter sig till jämställdhetsstrategin. Beslutet bifogas.{text}\n\n"
                    f"Kontaktperson: {labelled}\n\nMed vänliga hälsningar\n{name}\n")
    numbered = [f"Organisationsnummer {number}"] if number else []
    lines = [*numbered, *decision_lines, f"Beslut: {org} ansluter sig till Jämställdhetsstrategi för Västmanlands län 2024–2027."]
    msg.add_attachment(decision_pdf(org, lines), maintype="application", subtype="pdf", filename="protokollsutdrag.pdf")
    return msg.as_bytes()


def answer(msgid: str, to_message, *, sender: str, name: str, text: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = f"{name} <{sender}>", mails.BOARD, f"SV: {to_message['Subject']}"
    msg["Message-ID"], msg["In-Reply-To"], msg["References"] = msgid, to_message["Message-ID"], to_message["Message-ID"]
    msg.set_content(text)
    return msg.as_bytes()


def cases(app) -> list[Case]:
    with app.sessions() as session:
        found = session.scalars(select(Case).order_by(Case.id)).all()
        for case in found:  # loaded while the session is open
            case.organisation, case.contact, case.review  # noqa: B018
        return found


def mail_to(smtp_server, address: str) -> list:
    return [m.message for m in smtp_server.messages if address in m.rcpt_tos]


def events(app, action: str) -> list[Event]:
    with app.sessions() as session:
        return session.scalars(select(Event).where(Event.action == action).order_by(Event.id)).all()


# -- organisations whose names contain one another ------------------------------------------------------

PAIRS = [
    pytest.param(("Sala kommun", "212000-2064", "elin.sjoberg@sala.se", "Elin Sjöberg"),
                 ("Sala Sparbank", "556123-4567", "jonas.ek@salasparbank.se", "Jonas Ek",
                  "Styrelsen beslutar att banken, verksam i hela Sala kommuns område, ansluter sig."), None, id="sala"),
    pytest.param(("Fagersta kommun", "212000-2064", "karin.berg@fagersta.se", "Karin Berg"),
                 ("Fagerstahem AB", "556765-4321", "ola.nord@fagerstahem.se", "Ola Nord",
                  "Fagerstahem AB är Fagersta kommuns bostadsbolag."), "Fagerstahem AB", id="fagersta"),
    pytest.param(("Västerås stad", "212000-2080", "lena.ahl@vasteras.se", "Lena Ahl"),
                 ("Västerås Stads Parkerings AB", "556000-1116", "per.lind@vasterasparkering.se", "Per Lind",
                  "Bolaget sköter parkeringen i Västerås."), "Västerås Stads Parkerings AB", id="vasteras"),
]


@pytest.mark.parametrize(("first", "second", "second_name"), PAIRS)
def test_an_organisation_whose_name_contains_another_gets_its_own_case(app, imap, smtp_server, first, second, second_name):
    name_a, number_a, sender_a, person_a = first
    name_b, number_b, sender_b, person_b, line_b = second
    imap.append(affiliation("<a@one>", org=name_a, number=number_a, sender=sender_a, name=person_a))
    cycle(app)
    imap.append(affiliation("<b@two>", org=name_b, number=number_b, sender=sender_b, name=person_b, decision_lines=(line_b,)))
    cycle(app)

    one, two = cases(app)  # two cases: never one organisation's case holding the other's decision
    assert (one.organisation.name, one.organisation.org_number, one.contact.email) == (name_a, number_a, sender_a)
    assert two.organisation.org_number == number_b and two.organisation.name != name_a and two.contact.email == sender_b
    if second_name:
        assert two.organisation.name == second_name
    assert {one.status, two.status} == {CaseStatus.COMPLETE}
    for sender, case in ((sender_a, one), (sender_b, two)):  # each sender answered, on its own case
        [ack] = mail_to(smtp_server, sender)
        assert ack["Subject"].startswith("Bekräftelse") and case.reference in ack["Subject"]


def test_two_organisations_naming_the_same_contact_keep_their_own_cases(app, imap, smtp_server):
    eva = "Eva Holm, samordnare för jämställdhet, eva.holm@vasteras.se, 021-39 00 00"
    imap.append(affiliation("<v1@vasteras.se>", org="Västerås stad", number="212000-2080", sender="eva.holm@vasteras.se",
                            name="Eva Holm", contact=eva))
    imap.append(affiliation("<v2@vasteras.se>", org="Västerås Stads Parkerings AB", number="556000-1116",
                            sender="eva.holm@vasteras.se", name="Eva Holm", contact=eva))
    cycle(app)
    city, parking = cases(app)
    assert (city.organisation.name, parking.organisation.name) == ("Västerås stad", "Västerås Stads Parkerings AB")
    assert city.contact.email == parking.contact.email == "eva.holm@vasteras.se"
    assert city.contact.title == parking.contact.title == "samordnare för jämställdhet"
    references = sorted(ref for m in mail_to(smtp_server, "eva.holm@vasteras.se") for ref in (city.reference, parking.reference)
                        if ref in m["Subject"])
    assert references == sorted([city.reference, parking.reference])  # one acknowledgement per case


def test_one_name_with_two_org_numbers_is_never_one_silent_case(app, imap, smtp_server):
    org = "Brottsofferjouren Västmanland"
    imap.append(affiliation("<j1@boj.se>", org=org, number="802000-1239", sender="ordforande@bojvastmanland.se", name="Maria Ek"))
    cycle(app)
    imap.append(affiliation("<j2@boj.se>", org=org, number="802999-8880", sender="info@brottsofferjouren-sala.se", name="Ali Noor"))
    cycle(app)

    first, second = cases(app)
    assert (first.organisation.org_number, second.organisation.org_number) == ("802000-1239", "802999-8880")
    assert first.status is CaseStatus.COMPLETE and second.status is CaseStatus.NEEDS_REVIEW
    [item] = [item for item in second.review if item["field"] == "organisation"]
    assert "802000-1239" in item["reason"] and "802999-8880" in item["reason"] and first.reference in item["reason"]
    assert [e.case_id for e in events(app, "identity_review")] == [second.id]
    [ack] = mail_to(smtp_server, "ordforande@bojvastmanland.se")
    [receipt] = mail_to(smtp_server, "info@brottsofferjouren-sala.se")  # answered too, on its own case
    assert ack["Subject"].startswith("Bekräftelse") and receipt["Subject"].startswith("Mottaget")
    assert second.reference in receipt["Subject"] and first.reference not in receipt.as_string()


def test_a_new_address_on_a_complete_case_is_told_where_its_mail_went(app, imap, smtp_server):
    imap.append(affiliation("<k1@koping.se>", org="Köpings kommun", number=KOPING, sender="anna.lind@koping.se", name="Anna Lind"))
    cycle(app)
    imap.append(affiliation("<k2@koping.se>", org="Köpings kommun", number=KOPING, sender="registrator@koping.se", name="Registrator",
                            contact="Anna Lind, utvecklingsledare, anna.lind@koping.se, 0224-747 12"))
    cycle(app)
    [case] = cases(app)
    [receipt] = mail_to(smtp_server, "registrator@koping.se")
    assert receipt["Subject"].startswith("Mottaget") and case.reference in receipt["Subject"]
    assert "Anna Lind" in receipt.get_body(("plain",)).get_content()  # the contact on record, for a sender the case trusts
    sent = len(smtp_server.messages)
    imap.append(affiliation("<k3@koping.se>", org="Köpings kommun", number=KOPING, sender="registrator@koping.se", name="Registrator",
                            contact="Anna Lind, utvecklingsledare, anna.lind@koping.se, 0224-747 12"))
    cycle(app)
    assert len(smtp_server.messages) == sent  # a resend by the same person: nothing more


# -- no case takeover -------------------------------------------------------------------------------------

def test_a_stranger_naming_a_municipalitys_org_number_does_not_join_its_case(app, imap, smtp_server):
    imap.append(affiliation("<t1@koping.se>", org="Köpings kommun", number=KOPING, sender="anna.lind@koping.se", name="Anna Lind",
                            phone="0221-251 00"))
    cycle(app)
    imap.append(affiliation("<t2@gmail.com>", org="Köpings kommun", number=KOPING, sender="eva.karlsson1970@gmail.com",
                            name="Eva Karlsson", phone="070-765 43 21"))
    cycle(app)

    koping, claim = cases(app)
    assert (koping.contact.email, koping.contact.phone, koping.status) == ("anna.lind@koping.se", "+4622125100", CaseStatus.COMPLETE)
    assert claim.status is CaseStatus.NEEDS_REVIEW and claim.contact.email == "eva.karlsson1970@gmail.com"
    [item] = [item for item in claim.review if item["field"] == "organisation"]
    assert item["reason"].startswith(f"claims to be Köpings kommun ({KOPING}) from gmail.com")
    with app.sessions() as session:
        on_koping = session.scalars(select(Contact.email).where(Contact.case_id == koping.id)).all()
        assert on_koping == ["anna.lind@koping.se"]
        assert session.scalar(select(Message.case_id).where(Message.message_id == "<t2@gmail.com>")) == claim.id
    [receipt] = mail_to(smtp_server, "eva.karlsson1970@gmail.com")
    raw = receipt.as_string()
    assert claim.reference in receipt["Subject"]
    assert koping.reference not in raw and "anna.lind" not in raw and "Anna Lind" not in raw  # nothing of the real case
    assert mail_to(smtp_server, "anna.lind@koping.se")[0]["Subject"].startswith("Bekräftelse")  # only Köping's own mail


def test_a_stranger_first_to_name_a_municipality_does_not_get_its_case(app, imap, smtp_server):
    imap.append(affiliation("<f1@gmail.com>", org="Köpings kommun", number=KOPING, sender="eva.karlsson1970@gmail.com",
                            name="Eva Karlsson", phone="070-765 43 21"))
    cycle(app)
    imap.append(affiliation("<f2@koping.se>", org="Köpings kommun", number=KOPING, sender="anna.lind@koping.se", name="Anna Lind"))
    cycle(app)
    claim, koping = cases(app)
    assert claim.status is CaseStatus.NEEDS_REVIEW and claim.contact.email == "eva.karlsson1970@gmail.com"
    assert next(i["reason"] for i in claim.review if i["field"] == "organisation").startswith(
        f"claims to be Köpings kommun ({KOPING}) from gmail.com; not a domain of Köpings kommun")
    assert (koping.status, koping.contact.email) == (CaseStatus.COMPLETE, "anna.lind@koping.se")
    assert [i for i in koping.review if i["field"] == "organisation"] == []  # Köping's own case, no doubt about it
    [ack] = mail_to(smtp_server, "anna.lind@koping.se")
    assert ack["Subject"].startswith("Bekräftelse") and koping.reference in ack["Subject"]
    [receipt] = mail_to(smtp_server, "eva.karlsson1970@gmail.com")  # told where the mail went, nothing more
    assert receipt["Subject"].startswith("Mottaget") and claim.reference in receipt["Subject"]


def test_a_stranger_answering_in_a_thread_only_proposes_a_contact(app, imap, smtp_server):
    imap.append(affiliation("<s1@koping.se>", org="Köpings kommun", number=KOPING, sender="anna.lind@koping.se", name="Anna Lind"))
    cycle(app)
    ack = mail_to(smtp_server, "anna.lind@koping.se")[0]
    imap.append(answer("<s2@example.org>", ack, sender="bo@example.org", name="Bo Ek",
                       text="Hej! Jag är ny kontaktperson.\n\nKontaktperson: Bo Ek, bo@example.org, 070-111 22 33\n"))
    cycle(app)
    [case] = cases(app)
    assert case.contact.email == "anna.lind@koping.se"  # the active contact stays
    [item] = [item for item in case.review if item["field"] == "contact"]
    assert "bo@example.org" in item["reason"] and "example.org" in item["reason"]
    receipt = mail_to(smtp_server, "bo@example.org")[0]
    body = receipt.get_body(("plain",)).get_content()
    assert case.reference in receipt["Subject"] and "anna.lind" not in receipt.as_string()  # nothing told to a stranger ...
    assert "Köpings kommun" not in body and "Anna Lind" not in body  # ... but where the mail went
    with app.sessions() as session:
        candidate = session.get(Contact, item["contact_id"])
        assert (candidate.status, candidate.source, candidate.email) == ("candidate", "labelled", "bo@example.org")
        assert candidate.from_message_pk == session.scalar(select(Message.id).where(Message.message_id == "<s2@example.org>"))


# -- contacts and signatures --------------------------------------------------------------------------------

def test_a_signature_in_a_reply_to_our_invitation_keeps_the_contacts_title_and_phone(make_identity_app, imap, smtp_server):
    app = make_identity_app(replies={"invitation": "auto"})
    imap.append(mails.affiliation(msgid="<i1@koping.se>"))  # Anna Lind, utvecklingsledare, 0221-251 00
    cycle(app)
    invitation = smtp_server.messages[-1].message
    assert invitation["Subject"].startswith("Inbjudan")
    sent = len(smtp_server.messages)
    imap.append(answer("<i2@koping.se>", invitation, sender="anna.lind@koping.se", name="Anna Lind", text=(
        "Hej!\n\nFredag 20 mars kl. 9 passar oss bra.\n\nMed vänliga hälsningar\n\nAnna Lind\nStrateg, social hållbarhet\n"
        "Köpings kommun\nMobil: 070-123 45 67\nanna.lind@koping.se\n")))
    cycle(app)
    [case] = cases(app)
    assert (case.contact.name, case.contact.title, case.contact.phone) == ("Anna Lind", "utvecklingsledare", "+4622125100")
    assert case.status is CaseStatus.INVITED and len(smtp_server.messages) == sent  # nothing to answer
    [to_read] = events(app, "answer_to_read")
    with app.sessions() as session:
        assert to_read.message_pk == session.scalar(select(Message.id).where(Message.message_id == "<i2@koping.se>"))


def test_a_reply_adds_the_missing_title_and_erases_nothing_and_is_still_listed(app, imap, smtp_server):
    imap.append(affiliation("<m1@sala.se>", org="Sala kommun", number="212000-2064", sender="elin.sjoberg@sala.se",
                            name="Elin Sjöberg", contact="Elin Sjöberg, elin.sjoberg@sala.se, 0224-747 12"))
    cycle(app)
    ack = mail_to(smtp_server, "elin.sjoberg@sala.se")[0]
    imap.append(answer("<m2@sala.se>", ack, sender="elin.sjoberg@sala.se", name="Elin Sjöberg", text=(
        "Tack! Det stämmer.\n\nVänliga hälsningar\nElin Sjöberg\nFolkhälsostrateg\nSala kommun\nTel: 070-222 33 44\n"
        "elin.sjoberg@sala.se\n")))
    cycle(app)
    [case] = cases(app)
    assert (case.contact.title, case.contact.phone) == ("Folkhälsostrateg", "+4622474712")  # added; the labelled phone kept
    with app.sessions() as session:
        statuses = session.scalars(select(Contact.status).where(Contact.case_id == case.id).order_by(Contact.id)).all()
        reply = session.scalar(select(Message.id).where(Message.message_id == "<m2@sala.se>"))
    assert statuses == ["superseded", "active"]
    assert [e.message_pk for e in events(app, "answer_to_read")] == [reply]  # listed although it added something


def test_a_colleagues_signature_is_a_candidate_a_person_confirms(make_identity_app, imap, smtp_server, database_url, tmp_path):
    app = make_identity_app(replies={"invitation": "auto"})
    imap.append(mails.affiliation(msgid="<c1@koping.se>"))
    cycle(app)
    invitation = smtp_server.messages[-1].message
    imap.append(answer("<c2@koping.se>", invitation, sender="karin.ek@koping.se", name="Karin Ek", text=(
        "Hej! Jag svarar för Anna: fredag kl. 9 passar.\n\nVänliga hälsningar\nKarin Ek\nNämndsekreterare\nKöpings kommun\n0221-252 00\n"
        "karin.ek@koping.se\n")))
    cycle(app)
    [case] = cases(app)
    assert case.contact.email == "anna.lind@koping.se"  # a signature in a reply does not replace the contact
    [item] = [item for item in case.review if item["field"] == "contact"]
    [receipt] = mail_to(smtp_server, "karin.ek@koping.se")  # a new address on the case learns where its mail went
    assert receipt["Subject"].startswith("Mottaget") and "Anna Lind" in receipt.get_body(("plain",)).get_content()

    config = tmp_path / "staff.toml"
    config.write_text(f'[database]\nurl = "{database_url}"\n[service]\ndata_dir = "{tmp_path / "data"}"\n'
                      f'[smtp]\noutbox_dir = "{tmp_path / "outbox"}"\n', encoding="utf-8")
    done = inbox("--config", str(config), "case", case.reference, "--confirm-contact", str(item["contact_id"]), "--by", "eva")
    assert done.returncode == 0, done.stderr
    [case] = cases(app)
    assert (case.contact.email, case.contact.title) == ("karin.ek@koping.se", "Nämndsekreterare")
    assert not [item for item in case.review if item["field"] == "contact"]
    [confirmed] = events(app, "contact_confirmed")
    assert confirmed.actor == "eva" and confirmed.data["contact_id"] == item["contact_id"]
    with app.sessions() as session:
        assert sorted(session.scalars(select(Contact.status).where(Contact.case_id == case.id))) == ["active", "superseded"]
        with pytest.raises(InboxError, match="not a candidate"):
            staff.decide_contact(app, session, staff.get_case(session, case.reference), item["contact_id"], confirm=False, actor="eva")


# -- authentication -----------------------------------------------------------------------------------------

def test_mail_that_failed_dmarc_goes_to_a_person_and_is_not_answered(make_identity_app, imap, smtp_server):
    app = make_identity_app(service={"authserv_ids": ["mx.lansstyrelsen.se"]})
    failed = ("mx.lansstyrelsen.se; spf=fail smtp.mailfrom=koping.se; dkim=none; dmarc=fail (p=reject) header.from=koping.se")
    imap.append(mails.affiliation(msgid="<d1@koping.se>", extra_headers={"Authentication-Results": failed}))
    cycle(app)
    [case] = cases(app)
    assert case.status is CaseStatus.NEEDS_REVIEW
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutgoingMail)) == 0
        why = session.scalar(select(Event.detail).where(Event.action == "status_changed").order_by(Event.id.desc()).limit(1))
    assert "authentication failed: dmarc=fail for koping.se" in why
    assert smtp_server.messages == []


def test_mail_that_failed_dmarc_cannot_take_over_a_case(make_identity_app, imap, smtp_server):
    app = make_identity_app(service={"authserv_ids": ["mx.lansstyrelsen.se"]})
    passed = "mx.lansstyrelsen.se; spf=pass smtp.mailfrom=koping.se; dkim=pass header.d=koping.se; dmarc=pass header.from=koping.se"
    imap.append(affiliation("<e1@koping.se>", org="Köpings kommun", number=KOPING, sender="anna.lind@koping.se", name="Anna Lind"))
    cycle(app)
    forged = EmailMessage()
    forged["From"], forged["To"], forged["Subject"] = "Bo Ek <bo.ek@koping.se>", mails.BOARD, "Anslutning till jämställdhetsstrategin"
    forged["Message-ID"] = "<e2@koping.se>"
    forged["Authentication-Results"] = passed.replace("dmarc=pass", "dmarc=fail")
    forged.set_content(f"Köpings kommun ({KOPING}) ansluter sig till jämställdhetsstrategin.\n\n"
                       "Kontaktperson: Bo Ek, bo.ek@koping.se, 070-111 22 33\n")
    imap.append(forged.as_bytes())
    cycle(app)
    koping, claim = cases(app)
    assert koping.contact.email == "anna.lind@koping.se" and koping.status is CaseStatus.COMPLETE
    assert claim.status is CaseStatus.NEEDS_REVIEW
    assert "failed authentication" in next(item["reason"] for item in claim.review if item["field"] == "organisation")
    assert mail_to(smtp_server, "bo.ek@koping.se") == []
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1  # the claim points at Köping, adds nothing to it
