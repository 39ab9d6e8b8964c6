"""Ett ärende: the page and every action on it, over HTTP, on SQLite and PostgreSQL.

Each action has its happy path (the change, its audit event under the signed-in person) and its refusals
(the lifecycle says no -> a Swedish notice and nothing changed; no CSRF token -> 403; an unknown case -> 404).
"""

from __future__ import annotations

from datetime import date, datetime

import icalendar
import pytest
from sqlalchemy import select

from cases import staff
from cases.evidence import find_passage
from models import Attachment, Case, CaseStatus, Contact, Event, Meeting, OutboxStatus, OutgoingMail, Slot
from tests.integration.lifecycle_support import loose_mail
from tests.web.case_support import (
    IMG,
    SCRIPT,
    complete_case,
    deliver_mail,
    events,
    hidden_fields,
    hostile_mail,
    incomplete_case,
    notice,
    outbox,
    sala_case,
    sent_mail,
    the_case,
)
from tests.web.conftest import post

ACTIONS = ("status", "organisation", "beslut", "kontakt", "kontakt/1/bekrafta", "kontakt/1/avvisa", "anteckning", "bjud-in",
           "boka", "flytta", "avboka", "genomford", "aterkalla", "sammanfoga", "forsok-igen/1")


def at(ctx, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ctx.zone)


def staff_events(ctx) -> list[Event]:
    with ctx.sessions() as session:
        return list(session.scalars(select(Event).where(Event.actor == "staff")))


# -- the page --------------------------------------------------------------------------------------------


def test_the_page_shows_the_case_its_evidence_and_its_history(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    page = web.signed_in().get(f"/arenden/{reference}")
    assert page.status_code == 200
    text = page.text
    assert "Köpings kommun" in text and "Status: Inbjuden till dialog" in text
    # each extracted field with its confidence and the words it was read from
    assert "Sammanträdesdatum <mark>2024-03-12</mark>" in text and "Dnr <mark>KS 2024/123</mark>" in text
    assert "Hög säkerhet (95 %)" in text and "PDF-filens text" in text
    [decision] = the_case(web.ctx, reference).decisions
    assert f'<iframe class="document" src="/bilaga/{decision.attachment_id}"' in text
    assert f'href="/bilaga/{decision.attachment_id}?ladda-ner=1"' in text
    # where the contact came from
    assert "Angiven som kontaktperson i mejlet" in text and 'href="/meddelande/' in text
    # the whole history: the mail in (as text), our replies (as text), the events with who did them
    assert "Köpings kommun ansluter sig till jämställdhetsstrategin. Beslutet bifogas." in text
    assert "Vårt svar: Bekräftelse på anslutning" in text and "Tack för att Köpings kommun ansluter sig" in text
    assert "Status ändrad" in text and "Tjänsten (automatiskt)" in text
    # the lifecycle's allowed moves from "invited", and nothing else
    assert 'value="complete">Ändra status till Komplett' in text and 'value="booked"' in text
    assert 'value="dialogue_held"' not in text and 'value="received"' not in text


def test_anonymous_people_are_sent_to_sign_in(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    answer = web.client().get(f"/arenden/{reference}", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/logga-in")


def test_an_unknown_case_is_404_for_the_page_and_every_action(web, tmp_path):
    complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    missing = client.get("/arenden/JS-2099-0001")
    assert missing.status_code == 404 and "Det finns inget ärende med nummer JS-2099-0001." in missing.text
    for name in ACTIONS:
        assert post(client, f"/arenden/JS-2099-0001/{name}", {"status": "withdrawn"}).status_code == 404, name
    assert staff_events(web.ctx) == []


def test_every_action_refuses_a_post_without_the_csrf_token(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    for name in ACTIONS:
        answer = client.post(f"/arenden/{reference}/{name}", data={"status": "withdrawn", "anteckning": "x", "anledning": "x"},
                             follow_redirects=False)
        assert answer.status_code == 403, name
    assert staff_events(web.ctx) == []
    assert the_case(web.ctx, reference).status is CaseStatus.INVITED


def test_hostile_names_subjects_bodies_and_file_names_come_out_as_text(web, tmp_path):
    reference = deliver_mail(web.ctx, tmp_path / "in", hostile_mail())
    client = web.signed_in()
    post(client, f"/arenden/{reference}/anteckning", {"anteckning": f"Ringde {SCRIPT} {IMG}"})
    text = client.get(f"/arenden/{reference}").text
    assert SCRIPT not in text and IMG not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # the note, the text body: shown, as text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in text  # the subject and the file name
    assert "onerror=alert(2)>" not in text and "<img src=x" not in text  # the HTML body is never markup here
    assert "<script>" not in text



def test_a_scanned_decision_is_shown_as_an_image_beside_its_values(web, tmp_path):
    reference = deliver_mail(web.ctx, tmp_path / "in", hostile_mail())
    with web.ctx.sessions() as session:  # as if the decision had been the scan, read by OCR
        case = staff.get_case(session, reference)
        png = session.scalars(select(Attachment).where(Attachment.filename == "skannad sida.png")).one()
        case.decision.attachment_id, case.decision.text_source, case.decision.filename = png.id, "ocr", png.filename
        session.commit()
        png_id = png.id
    text = web.signed_in().get(f"/arenden/{reference}").text
    assert f'<img class="document" src="/bilaga/{png_id}" alt="Beslutsdokumentet skannad sida.png, inskannad bild">' in text
    assert "lästes med teckenigenkänning" in text and "<mark>" not in text  # a scan is not read again for a page view

# -- status, notes, withdrawal -----------------------------------------------------------------------------


def test_a_status_change_is_audited_under_the_signed_in_person(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    answer = post(client, f"/arenden/{reference}/status", {"status": "needs_review", "anledning": "Fel organisation?"})
    assert answer.headers["location"] == f"/arenden/{reference}"
    assert "Ärendet har nu status ”Behöver granskas”." in notice(client, answer)
    assert the_case(web.ctx, reference).status is CaseStatus.NEEDS_REVIEW
    [changed] = [e for e in staff_events(web.ctx) if e.action == "status_changed"]
    assert changed.data == {"from": "invited", "to": "needs_review", "why": "Fel organisation?"}


def test_a_move_the_lifecycle_does_not_allow_is_a_notice_and_changes_nothing(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    answer = post(client, f"/arenden/{reference}/status", {"status": "dialogue_held"})
    assert answer.headers["location"] == f"/arenden/{reference}"
    page = notice(client, answer)
    assert "Det gick inte: " in page and "Ärendet kan inte gå från ”Inbjuden till dialog” till ”Dialog genomförd”." in page
    assert the_case(web.ctx, reference).status is CaseStatus.INVITED
    assert staff_events(web.ctx) == []
    assert "Välj en av statusarna på sidan." in notice(client, post(client, f"/arenden/{reference}/status", {"status": "flygande"}))


def test_a_note_is_kept_with_its_author(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    assert "Skriv något i anteckningen." in notice(client, post(client, f"/arenden/{reference}/anteckning", {"anteckning": " "}))
    page = notice(client, post(client, f"/arenden/{reference}/anteckning", {"anteckning": "Ringde Anna, beslut kommer."}))
    assert "Anteckningen är sparad." in page and "Ringde Anna, beslut kommer." in page
    [note] = events(web.ctx, "note")
    assert (note.actor, note.detail) == ("staff", "Ringde Anna, beslut kommer.")


def test_withdrawing_needs_a_reason(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    assert "Skriv varför ärendet återkallas" in notice(client, post(client, f"/arenden/{reference}/aterkalla", {"anledning": ""}))
    assert the_case(web.ctx, reference).status is CaseStatus.INVITED
    assert "Ärendet är återkallat." in notice(client, post(client, f"/arenden/{reference}/aterkalla", {"anledning": "Vill inte längre"}))
    assert the_case(web.ctx, reference).status is CaseStatus.WITHDRAWN
    [withdrawn] = [e for e in staff_events(web.ctx) if e.action == "status_changed"]
    assert withdrawn.data["why"] == "Vill inte längre"


# -- corrections ------------------------------------------------------------------------------------------


def test_correcting_the_organisation(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    bad = notice(client, post(client, f"/arenden/{reference}/organisation", {"orgnr": "212000-1968"}))
    assert "Organisationsnumret är inte giltigt" in bad
    page = notice(client, post(client, f"/arenden/{reference}/organisation",
                               {"namn": "Köpings  kommun", "orgnr": "2120001967", "typ": "kommun"}))
    assert "Organisationens uppgifter är rättade." in page
    org = the_case(web.ctx, reference).organisation
    assert (org.name, org.org_number, org.type) == ("Köpings kommun", "212000-1967", "kommun")
    [corrected] = events(web.ctx, "organisation_corrected")
    assert corrected.actor == "staff" and corrected.data == {"org_number": "212000-1967"}  # only what changed


def test_correcting_a_contact_and_refusing_a_bad_address(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    bad = notice(client, post(client, f"/arenden/{reference}/kontakt", {"epost": "inte en adress"}))
    assert "E-postadressen ser inte ut att vara giltig." in bad
    page = notice(client, post(client, f"/arenden/{reference}/kontakt", {"namn": "Anna Lind", "telefon": "070-123 45 67"}))
    assert "Kontaktpersonen är rättad." in page  # the case was complete already: nothing to send, no question
    case = the_case(web.ctx, reference)
    assert (case.contact.phone, case.contact.source) == ("+46701234567", "staff")
    assert case.overrides == {"contact.phone": "+46701234567"}
    [corrected] = events(web.ctx, "contact_corrected")
    assert corrected.actor == "staff"
    assert "Rättad av handläggare" in page


def test_a_correction_that_completes_the_case_shows_the_mail_before_it_goes(web, tmp_path):
    reference = incomplete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    before = [row.id for row in outbox(web.ctx, reference)]
    form = {"beslutande": "Kommunstyrelsen", "datum": "2024-03-12", "paragraf": "§ 45", "diarienummer": "KS 2024/123"}
    asked = post(client, f"/arenden/{reference}/beslut", form)
    assert asked.status_code == 200
    assert "Bekräftelse på anslutning" in asked.text and "Inbjudan till dialogmöte" in asked.text
    assert "Tack för att Köpings kommun ansluter sig" in asked.text and "anna.lind@koping.se" in asked.text
    assert 'name="skicka" value="ja"' in asked.text
    # nothing happened yet: no decision, no mail, no event
    case = the_case(web.ctx, reference)
    assert (case.status, case.decisions) == (CaseStatus.INCOMPLETE, [])
    assert [row.id for row in outbox(web.ctx, reference)] == before and staff_events(web.ctx) == []

    answer = post(client, f"/arenden/{reference}/beslut", hidden_fields(asked.text, "form-bekrafta"))
    assert "Beslutets uppgifter är rättade. Utskicket är lagt i utkorgen." in notice(client, answer)
    case = the_case(web.ctx, reference)
    assert case.status is CaseStatus.INVITED and case.decision.paragraph == "§ 45"
    new = [row for row in outbox(web.ctx, reference) if row.id not in before]
    assert [(row.template, row.automatic) for row in new] == [("acknowledgement", False), ("invitation", False)]
    assert {"decision_corrected", "status_changed"} <= {e.action for e in staff_events(web.ctx)}


def test_the_cli_correction_that_completes_a_case_sends_the_same(web, tmp_path):
    """One place for the rule: cases/staff.py, whichever edge calls it."""
    reference = incomplete_case(web.ctx, tmp_path / "in")
    with web.ctx.sessions() as session:
        case = staff.get_case(session, reference)
        planned = staff.planned_mail(session, lambda: staff.correct_decision(web.ctx, session, case, {"paragraph": "§ 45"}, actor="eva"))
        assert [mail.template for mail in planned] == ["acknowledgement", "invitation"]
        assert staff.get_case(session, reference).decisions == []  # the look ahead was rolled back
        staff.correct_decision(web.ctx, session, staff.get_case(session, reference), {"paragraph": "§ 45"}, actor="eva")
        session.commit()
    assert [row.template for row in outbox(web.ctx, reference)][-2:] == ["acknowledgement", "invitation"]


def test_confirming_and_rejecting_a_candidate_contact(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    other = sala_case(web.ctx, tmp_path / "in")  # another case, for a foreign contact id
    with web.ctx.sessions() as session:
        case = staff.get_case(session, reference)
        rows = [Contact(case_id=case.id, name=name, email=f"{name.split()[0].lower()}@koping.se", source="signature",
                        status="candidate") for name in ("Karin Ek", "Per Ek")]
        session.add_all(rows)
        session.flush()
        case.review = [{"field": "contact", "contact_id": row.id, "reason": "candidate"} for row in rows]
        karin, per = rows[0].id, rows[1].id
        foreign = staff.get_case(session, other).contacts[0].id
        session.commit()
    client = web.signed_in()
    page = client.get(f"/arenden/{reference}").text
    assert f'action="/arenden/{reference}/kontakt/{karin}/bekrafta"' in page and "Att bekräfta" in page
    assert "Kontaktpersonen är bekräftad" in notice(client, post(client, f"/arenden/{reference}/kontakt/{karin}/bekrafta"))
    assert "Kontaktpersonen är avvisad" in notice(client, post(client, f"/arenden/{reference}/kontakt/{per}/avvisa"))
    case = the_case(web.ctx, reference)
    assert case.contact.email == "karin@koping.se" and case.review == []
    assert {row.email: row.status for row in case.contacts}["per@koping.se"] == "rejected"
    assert [e.actor for e in events(web.ctx, "contact_confirmed") + events(web.ctx, "contact_rejected")] == ["staff", "staff"]
    again = notice(client, post(client, f"/arenden/{reference}/kontakt/{per}/bekrafta"))
    assert "Kontaktpersonen är redan avvisad och kan inte bekräftas eller avvisas." in again
    assert post(client, f"/arenden/{reference}/kontakt/{foreign}/bekrafta").status_code == 404


# -- invitation and meeting -------------------------------------------------------------------------------


def test_invite_now(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    waiting = deliver_mail(web.ctx, tmp_path / "in", loose_mail("<w1@gmail.com>"))
    client = web.signed_in()
    assert "Inbjudan till dialogmöte är lagd i utkorgen till anna.lind@koping.se." in notice(
        client, post(client, f"/arenden/{reference}/bjud-in"))
    invitations = [row for row in outbox(web.ctx, reference) if row.template == "invitation"]
    assert len(invitations) == 2 and invitations[-1].automatic is False
    refused = notice(client, post(client, f"/arenden/{waiting}/bjud-in"))
    assert "En inbjudan kan skickas först när ärendet är komplett (status är nu ”Ofullständigt”)." in refused


def test_booking_a_free_slot_sends_a_confirmation_with_a_calendar_file(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    with web.ctx.sessions() as session:
        slot = Slot(starts_at=at(web.ctx, "2026-03-17 10:00"), duration_minutes=45, place="Västerås, rum 3", created_at=web.ctx.clock())
        session.add(slot)
        session.commit()
        slot_id = slot.id
    client = web.signed_in()
    assert "tisdag den 17 mars 2026 kl. 10.00 (45 min, Västerås, rum 3)" in client.get(f"/arenden/{reference}").text
    page = notice(client, post(client, f"/arenden/{reference}/boka", {"tid": str(slot_id)}))
    assert "Dialogmötet är bokat till tisdag den 17 mars 2026 kl. 10.00." in page
    case = the_case(web.ctx, reference)
    assert case.status is CaseStatus.BOOKED
    [booked] = events(web.ctx, "meeting_booked")
    assert booked.actor == "staff"
    [confirmation] = [m for m in sent_mail(web.ctx) if m["Subject"].startswith("Bekräftelse av dialogmöte")]
    assert confirmation["To"] == "anna.lind@koping.se"
    calendar = next(part for part in confirmation.walk() if part.get_content_type() == "text/calendar")
    event = icalendar.Calendar.from_ical(calendar.get_content()).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == at(web.ctx, "2026-03-17 10:00") and str(event["LOCATION"]) == "Västerås, rum 3"


def test_a_sunday_is_booked_only_when_the_person_confirms(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    asked = post(client, f"/arenden/{reference}/boka", {"tidpunkt": "2026-03-15T10:00", "plats": "Köping"})
    assert asked.status_code == 200
    assert "Tiden behöver bekräftas" in asked.text and "är en söndag" in asked.text and "Boka ändå" in asked.text
    assert the_case(web.ctx, reference).status is CaseStatus.INVITED and events(web.ctx, "meeting_booked") == []
    fields = hidden_fields(asked.text, "form-bekrafta")
    assert fields == {"tidpunkt": "2026-03-15T10:00", "plats": "Köping"}  # the form comes back as it was sent
    assert post(client, f"/arenden/{reference}/boka", fields).status_code == 200  # still asks without the checkbox
    answer = post(client, f"/arenden/{reference}/boka", {**fields, "bekrafta-tid": "ja"})
    assert "Dialogmötet är bokat till söndag den 15 mars 2026 kl. 10.00." in notice(client, answer)
    [booked] = events(web.ctx, "meeting_booked")
    assert "confirmed although it is on a Sunday" in booked.detail and booked.actor == "staff"


def test_a_time_given_two_ways_or_not_at_all_is_refused(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    assert "Välj en ledig tid eller skriv en tid." in notice(client, post(client, f"/arenden/{reference}/boka", {}))
    both = notice(client, post(client, f"/arenden/{reference}/boka", {"tid": "1", "tidpunkt": "2026-03-17T10:00"}))
    assert "inte båda" in both
    assert "Skriv datum och tid som 2026-05-12 10:00." in notice(client, post(client, f"/arenden/{reference}/boka", {"tidpunkt": "i morgon"}))
    assert "Ett möte är 15 till 480 minuter långt." in notice(
        client, post(client, f"/arenden/{reference}/boka", {"tidpunkt": "2026-03-17T10:00", "minuter": "5"}))
    assert events(web.ctx, "meeting_booked") == []


def test_moving_cancelling_and_marking_the_dialogue_held(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    assert "Det finns inget bokat möte att flytta." in notice(client, post(client, f"/arenden/{reference}/flytta", {"tidpunkt": "2026-03-17T10:00"}))
    post(client, f"/arenden/{reference}/boka", {"tidpunkt": "2026-03-17T10:00"})
    page = notice(client, post(client, f"/arenden/{reference}/flytta", {"tidpunkt": "2026-03-18T13:00"}))
    assert "Dialogmötet är flyttat till onsdag den 18 mars 2026 kl. 13.00." in page
    assert "Markera dialogen som genomförd" in page and "Avboka mötet" in page
    assert "Dialogmötet är avbokat." in notice(client, post(client, f"/arenden/{reference}/avboka"))
    assert the_case(web.ctx, reference).status is CaseStatus.INVITED
    assert "Det finns inget bokat möte att avboka." in notice(client, post(client, f"/arenden/{reference}/avboka"))
    refused = notice(client, post(client, f"/arenden/{reference}/genomford", {"anteckningar": "x"}))
    assert "kan inte gå från ”Inbjuden till dialog” till ”Dialog genomförd”" in refused
    post(client, f"/arenden/{reference}/boka", {"tidpunkt": "2026-03-19T09:00"})
    page = notice(client, post(client, f"/arenden/{reference}/genomford", {"anteckningar": "Bra samtal; de tar fram en plan."}))
    assert "Dialogen är markerad som genomförd." in page and "Bra samtal; de tar fram en plan." in page
    assert the_case(web.ctx, reference).status is CaseStatus.DIALOGUE_HELD
    with web.ctx.sessions() as session:
        meetings = session.scalars(select(Meeting).order_by(Meeting.id)).all()
        assert [(m.cancelled, m.sequence) for m in meetings] == [(True, 2), (False, 0)]
    assert [e.action for e in staff_events(web.ctx) if e.action.startswith(("meeting", "dialogue"))] == [
        "meeting_booked", "meeting_moved", "meeting_cancelled", "meeting_booked", "dialogue_notes"]


# -- merge ------------------------------------------------------------------------------------------------


def test_merging_two_cases_found_by_search(web, tmp_path):
    reference = incomplete_case(web.ctx, tmp_path / "in")
    other = sala_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    found = client.get(f"/arenden/{reference}", params={"sok": other}).text
    assert f'<option value="{other}">' in found
    assert "Ett ärende kan inte sammanfogas med sig självt." in notice(
        client, post(client, f"/arenden/{reference}/sammanfoga", {"annat": reference}))
    asked = post(client, f"/arenden/{reference}/sammanfoga", {"annat": other, "riktning": "hit"})
    assert asked.status_code == 200 and "Bekräftelse på anslutning" in asked.text  # the decision completes this case
    answer = post(client, f"/arenden/{reference}/sammanfoga", hidden_fields(asked.text, "form-bekrafta"))
    assert f"{other} ingår nu i {reference}" in notice(client, answer)
    merged = the_case(web.ctx, other)
    assert merged.status is CaseStatus.WITHDRAWN and merged.merged_into_id == the_case(web.ctx, reference).id
    [event] = events(web.ctx, "case_merged")
    assert event.actor == "staff"
    assert f"är sammanfogat med <a href=\"/arenden/{reference}\">" in client.get(f"/arenden/{other}").text


# -- retry ------------------------------------------------------------------------------------------------


def _reply_in(ctx, reference: str, status: OutboxStatus) -> int:
    with ctx.sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.reference == reference))
        row = session.scalars(select(OutgoingMail).where(OutgoingMail.case_id == case_id).order_by(OutgoingMail.id)).first()
        row.status, row.last_error = status, "connection lost during DATA"
        session.commit()
        return row.id


@pytest.mark.parametrize("status", [OutboxStatus.UNCERTAIN, OutboxStatus.FAILED])
def test_retrying_a_reply(web, tmp_path, status):
    reference = complete_case(web.ctx, tmp_path / "in")
    row_id = _reply_in(web.ctx, reference, status)
    client = web.signed_in()
    page = client.get(f"/arenden/{reference}").text
    assert f'action="/arenden/{reference}/forsok-igen/{row_id}"' in page
    assert ("Jag har kontrollerat att mejlet inte kom fram" in page) is (status is OutboxStatus.UNCERTAIN)
    unchecked = notice(client, post(client, f"/arenden/{reference}/forsok-igen/{row_id}"))
    if status is OutboxStatus.UNCERTAIN:  # it may have arrived: only after a person checked
        assert "kryssa sedan i rutan" in unchecked
        assert outbox(web.ctx, reference)[0].status is OutboxStatus.UNCERTAIN and events(web.ctx, "reply_retry") == []
        answer = post(client, f"/arenden/{reference}/forsok-igen/{row_id}", {"kontrollerat": "ja"})
        assert "Svaret är lagt i utkorgen igen" in notice(client, answer)
    else:
        assert "Svaret är lagt i utkorgen igen" in unchecked
    assert outbox(web.ctx, reference)[0].status is OutboxStatus.PENDING
    [retried] = events(web.ctx, "reply_retry")
    assert retried.actor == "staff"


def test_only_a_failed_or_uncertain_reply_of_this_case_is_retried(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    other = sala_case(web.ctx, tmp_path / "in")
    foreign = _reply_in(web.ctx, other, OutboxStatus.FAILED)
    client = web.signed_in()
    assert post(client, f"/arenden/{reference}/forsok-igen/{foreign}").status_code == 404
    assert post(client, f"/arenden/{reference}/forsok-igen/999999").status_code == 404
    pending = outbox(web.ctx, reference)[0].id
    refused = notice(client, post(client, f"/arenden/{reference}/forsok-igen/{pending}", {"kontrollerat": "ja"}))
    assert "Bara svar som misslyckades eller är osäkra kan skickas igen." in refused
    assert events(web.ctx, "reply_retry") == []


# -- the evidence beside a value --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value", "shown"), [
    ("Protokoll\nSammanträdesdatum 12 mars 2024\n§ 45", date(2024, 3, 12), ("Sammanträdesdatum ", "12 mars 2024", "")),
    ("Dnr  KS\n2024/123 gäller", "KS 2024/123", ("Dnr  ", "KS\n2024/123", " gäller")),
    ("Beslut av kommunstyrelsen.", "Kommunstyrelsen", ("Beslut av ", "kommunstyrelsen", ".")),
])
def test_a_value_is_shown_where_the_text_says_it(text, value, shown):
    passage = find_passage(text, value)
    assert passage is not None and (passage.before, passage.found, passage.after) == shown


def test_a_value_the_text_does_not_say_has_no_passage():
    assert find_passage("Sammanträdesdatum 2024-03-13", date(2024, 3, 12)) is None
    assert find_passage("x" * 10_000, "§ 45") is None
