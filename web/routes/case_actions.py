"""The case page's actions. Each parses its form, calls the service function the CLI calls (cases/staff.py,
cases/booking.py, replies/invitation.py, replies/retry.py) with the signed-in person as actor, and goes back
to the case with a notice. A refusal undoes everything the action did and says why, in Swedish.

Two actions ask before they act:
* a change that would send mail (a correction that completes the case sends the acknowledgement and,
  per config, the invitation) first shows that mail, rendered as it would go (cases.staff.planned_mail);
  the form is posted again with `skicka=ja` when the person agrees;
* a meeting time that is unusual (past, weekend, holiday, outside office hours) is refused by
  cases/booking.py; the person sees why and may book it anyway (`bekrafta-tid=ja`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from starlette.responses import RedirectResponse, Response

from cases import booking, staff
from digest import labels
from digest.attention import case_link
from inbox.errors import InboxError, NotFound
from models import Case, CaseStatus, OutboxStatus, OutgoingMail, Slot
from replies.invitation import invite
from replies.retry import RETRYABLE, Selection
from replies.retry import retry as retry_rows
from replies.variables import swedish_datetime
from web.handler import Page, page
from web.numbers import bounded_int

MAX_TEXT = 10_000  # characters of a note, a reason or the dialogue's notes
MINUTES = (15, 480)
YES = "ja"


class Refusal(InboxError):
    """A refusal phrased here, in Swedish, for the person at the page."""


# A case reference as cases/reference.py makes them (JS-2026-0001), case-insensitive, at most 32 characters.
REFERENCE_SHAPE = re.compile(r"[A-Za-z]{1,6}-\d{4}-\d{4,20}")

def find_case(p: Page) -> Case:
    reference = str(p.request.path_params["ref"])
    if not REFERENCE_SHAPE.fullmatch(reference):  # a NUL or a novel is no reference: never sent to the database
        raise NotFound(f"Det finns inget ärende med nummer {reference[:40]}.")
    try:
        return staff.get_case(p.session, reference)
    except NotFound:
        raise NotFound(f"Det finns inget ärende med nummer {reference[:40]}.") from None


def action(handler: Callable[[Page, Case], Response]) -> Callable:
    """A POST on one case: the case from the URL (404 when unknown), the handler, and on a refusal a
    rollback and the case page again with the reason."""

    def run(p: Page) -> Response:
        case = find_case(p)
        back = case_link(case.reference)
        try:
            return handler(p, case)
        except NotFound as err:
            raise NotFound(in_swedish(err)) from err
        except InboxError as err:
            p.session.rollback()
            p.request.session["notice"] = {"kind": "error", "text": in_swedish(err)}
            return RedirectResponse(back, status_code=303)

    run.__name__ = handler.__name__
    return page()(run)


# -- status, notes, withdrawal, the dialogue --------------------------------------------------------------


@action
def status(p: Page, case: Case) -> Response:
    code = p.value("status")
    staff.set_status(p.ctx, p.session, case, code, actor=p.actor, why=_text(p, "anledning") or None)
    return p.done(case_link(case.reference), f"Ärendet har nu status ”{labels.status(code)}”.")


@action
def note(p: Page, case: Case) -> Response:
    text = _text(p, "anteckning", required="Skriv något i anteckningen.")
    staff.add_note(p.ctx, p.session, case, text, actor=p.actor)
    return p.done(case_link(case.reference), "Anteckningen är sparad.")


@action
def withdraw(p: Page, case: Case) -> Response:
    why = _text(p, "anledning", required="Skriv varför ärendet återkallas; det sparas i historiken.")
    staff.set_status(p.ctx, p.session, case, CaseStatus.WITHDRAWN.value, actor=p.actor, why=why)
    return p.done(case_link(case.reference), "Ärendet är återkallat.")


@action
def held(p: Page, case: Case) -> Response:
    staff.mark_dialogue_held(p.ctx, p.session, case, _text(p, "anteckningar"), actor=p.actor)
    return p.done(case_link(case.reference), "Dialogen är markerad som genomförd.")


@action
def invite_now(p: Page, case: Case) -> Response:
    if not invite(p.ctx, p.session, case, actor=p.actor):
        raise Refusal("Inbjudan kunde inte skickas: det finns ingen e-postadress i ärendet som går att skicka till.")
    return p.done(case_link(case.reference), f"Inbjudan till dialogmöte är lagd i utkorgen till {_recipient(case)}.")


# -- corrections ------------------------------------------------------------------------------------------


@action
def organisation(p: Page, case: Case) -> Response:
    org = case.organisation
    current = {"name": org.name, "org_number": org.org_number, "type": org.type} if org else {}
    values = _changed(p, {"namn": "name", "orgnr": "org_number", "typ": "type"}, current)
    if not values:
        return p.done(case_link(case.reference), "Inget ändrades: uppgifterna var desamma.")
    staff.correct_organisation(p.ctx, p.session, case, values, actor=p.actor)
    return p.done(case_link(case.reference), "Organisationens uppgifter är rättade.")


@action
def decision(p: Page, case: Case) -> Response:
    d = case.decision
    current = {"decided_by": d.decided_by, "date": d.decision_date.isoformat() if d.decision_date else None,
               "paragraph": d.paragraph, "case_number": d.case_number} if d else {}
    names = {"beslutande": "decided_by", "datum": "date", "paragraf": "paragraph", "diarienummer": "case_number"}
    values = _changed(p, names, current)
    if not values:
        return p.done(case_link(case.reference), "Inget ändrades: uppgifterna var desamma.")
    return with_mail_shown(p, case, lambda: staff.correct_decision(p.ctx, p.session, case, values, actor=p.actor),
                           done="Beslutets uppgifter är rättade.", title="Rätta beslutet")


@action
def contact(p: Page, case: Case) -> Response:
    row = case.contact
    current = {key: getattr(row, key) for key in staff.CONTACT_FIELDS} if row else {}
    values = _changed(p, {"namn": "name", "titel": "title", "epost": "email", "telefon": "phone"}, current)
    if not values:
        return p.done(case_link(case.reference), "Inget ändrades: uppgifterna var desamma.")
    return with_mail_shown(p, case, lambda: staff.correct_contact(p.ctx, p.session, case, values, actor=p.actor),
                           done="Kontaktpersonen är rättad.", title="Rätta kontaktpersonen")


@action
def confirm_contact(p: Page, case: Case) -> Response:
    contact_id = int(p.request.path_params["contact_id"])
    return with_mail_shown(
        p, case, lambda: staff.decide_contact(p.ctx, p.session, case, contact_id, confirm=True, actor=p.actor),
        done="Kontaktpersonen är bekräftad och är nu ärendets kontaktperson.", title="Bekräfta kontaktperson")


@action
def reject_contact(p: Page, case: Case) -> Response:
    contact_id = int(p.request.path_params["contact_id"])
    staff.decide_contact(p.ctx, p.session, case, contact_id, confirm=False, actor=p.actor)
    return p.done(case_link(case.reference), "Kontaktpersonen är avvisad och sparas bara i historiken.")


@action
def merge(p: Page, case: Case) -> Response:
    other = _other_case(p)
    target, source = (case, other) if p.value("riktning") != "dit" else (other, case)
    names = target.reference, source.reference
    return with_mail_shown(p, case, lambda: staff.merge(p.ctx, p.session, target, source, actor=p.actor),
                           done=f"Ärendena är sammanfogade: {names[1]} ingår nu i {names[0]}.", title="Sammanfoga ärenden",
                           to=case_link(names[0]))


def _other_case(p: Page) -> Case:
    reference = p.value("annat")
    if not reference:
        raise Refusal("Välj eller skriv numret på det andra ärendet.")
    try:
        return staff.get_case(p.session, reference)
    except NotFound:
        raise Refusal(f"Det finns inget ärende med nummer {reference[:40]}.") from None


# -- the meeting ------------------------------------------------------------------------------------------


@action
def book(p: Page, case: Case) -> Response:
    return _book(p, case, moving=False)


@action
def move(p: Page, case: Case) -> Response:
    return _book(p, case, moving=True)


def _book(p: Page, case: Case, *, moving: bool) -> Response:
    if moving and booking.active_meeting(p.session, case) is None:
        raise Refusal("Det finns inget bokat möte att flytta. Boka ett möte i stället.")
    at, minutes = _chosen_time(p), _minutes(p.value("minuter"))
    try:
        meeting = booking.book(p.ctx, p.session, case, at, place=p.value("plats") or None, link=p.value("lank") or None,
                               minutes=minutes, actor=p.actor, confirm=p.value("bekrafta-tid") == YES)
    except booking.BookingRefused as refused:
        p.session.rollback()
        return _confirm_page(p, case, "Flytta dialogmötet" if moving else "Boka dialogmöte", drop="bekrafta-tid",
                             concerns=[labels.booking_concern(c.code, c.detail) for c in refused.concerns],
                             asked_time=swedish_datetime(refused.at, p.ctx.zone))
    when = swedish_datetime(meeting.starts_at, p.ctx.zone)
    did = "flyttat till" if moving else "bokat till"
    return p.done(case_link(case.reference),
                  f"Dialogmötet är {did} {when}. En bekräftelse med kalenderfil skickas till {_recipient(case)}.")


@action
def cancel(p: Page, case: Case) -> Response:
    booking.cancel(p.ctx, p.session, case, actor=p.actor)
    return p.done(case_link(case.reference), f"Dialogmötet är avbokat. En avbokning skickas till {_recipient(case)}.")


def _chosen_time(p: Page) -> datetime:
    chosen, typed = p.value("tid"), p.value("tidpunkt")
    if chosen and typed:
        raise Refusal("Välj en ledig tid eller skriv en egen tid, inte båda.")
    if chosen:
        slot_id = bounded_int(chosen, low=1, high=999_999_999)
        slot = p.session.get(Slot, slot_id) if slot_id is not None else None
        if slot is None:
            raise Refusal("Den lediga tiden finns inte längre. Välj en annan tid.")
        return slot.starts_at
    if typed:
        return booking.local_time(typed, p.ctx.zone)
    raise Refusal("Välj en ledig tid eller skriv en tid.")


def _minutes(text: str) -> int | None:
    if not text:
        return None
    if bounded_int(text, low=MINUTES[0], high=MINUTES[1]) is None:
        raise Refusal(f"Ett möte är {MINUTES[0]} till {MINUTES[1]} minuter långt.")
    return int(text)


# -- a reply that failed or may not have arrived ----------------------------------------------------------


OUTCOMES = {
    "queued": "Svaret är lagt i utkorgen igen och skickas strax.",
    "confirmed": "En kopia av svaret hittades bland skickad post: det hade kommit iväg och skickas inte igen.",
    "unchecked": "Det gick inte att söka efter en kopia av svaret, så det skickas inte igen än. Försök senare.",
    "skipped": "Svaret är varken misslyckat eller osäkert längre och skickas inte igen.",
}


@action
def retry_reply(p: Page, case: Case) -> Response:
    row = p.session.get(OutgoingMail, int(p.request.path_params["outbox_id"]))
    if row is None or row.case_id != case.id:
        raise NotFound("Svaret finns inte i det här ärendet.")
    if row.status not in RETRYABLE:
        raise Refusal("Bara svar som misslyckades eller är osäkra kan skickas igen.")
    if row.status is OutboxStatus.UNCERTAIN and p.value("kontrollerat") != YES:
        raise Refusal("Kontrollera först med mottagaren att mejlet inte kom fram, och kryssa sedan i rutan.")
    [result] = retry_rows(p.ctx, Selection(ids=(row.id,)), actor=p.actor)
    return p.done(case_link(case.reference), OUTCOMES.get(result.outcome, result.note))



# -- asking before mail goes ------------------------------------------------------------------------------


def with_mail_shown(p: Page, case: Case, change: Callable[[], object], *, done: str, title: str, to: str | None = None) -> Response:
    """Do `change`; when it would send mail, first show that mail and ask (the form comes back with skicka=ja)."""
    back = to or case_link(case.reference)
    if p.value("skicka") != YES:
        planned = staff.planned_mail(p.session, change)
        if planned:
            return _confirm_page(p, case, title, drop="skicka", planned=planned)
    change()
    return p.done(back, done + (" Utskicket är lagt i utkorgen." if p.value("skicka") == YES else ""))


def _confirm_page(p: Page, case: Case, title: str, *, drop: str, planned: list[staff.PlannedMail] | None = None,
                  concerns: list[str] | None = None, asked_time: str | None = None) -> Response:
    """The form again, with what the person must see before it goes: the mail it sends, or why its time is unusual."""
    form = p.form.multi_items() if p.form is not None else []
    fields = [(name, value) for name, value in form if isinstance(value, str) and name not in ("csrf", drop)]
    return p.render("case_confirm.html", case=case, title=title, planned=planned or [], concerns=concerns or [], asked_time=asked_time,
                    fields=fields, target=p.request.url.path, link=case_link, labels=labels)


# -- reading the forms ------------------------------------------------------------------------------------


def _text(p: Page, name: str, *, required: str | None = None) -> str:
    text = p.value(name)
    if required and not text:
        raise Refusal(required)
    if len(text) > MAX_TEXT:
        raise Refusal(f"Texten är för lång (högst {MAX_TEXT} tecken).")
    return text


def _changed(p: Page, names: dict[str, str], current: dict[str, str | None]) -> dict[str, str]:
    """The fields the person changed; an emptied field is left as it was (a value is corrected, not erased)."""
    values = {}
    for form_name, key in names.items():
        value = " ".join(p.value(form_name).split())
        if len(value) > 1000:
            raise Refusal("Ett av fälten är för långt (högst 1000 tecken).")
        if value and value != (current.get(key) or ""):
            values[key] = value
    return values


def _recipient(case: Case) -> str:
    return case.recipient or "kontaktpersonen"


# -- service refusals in Swedish ----------------------------------------------------------------------------


def in_swedish(err: InboxError) -> str:
    if isinstance(err, Refusal):
        return str(err)
    if isinstance(err, booking.SlotTaken):
        return f"Tiden är redan {'bokad av' if err.booked else 'erbjuden till'} ärende {err.reference}. Välj en annan tid."
    if isinstance(err, booking.TimeNotUnderstood):
        return ("Skriv datum och tid som 2026-05-12 10:00." if err.code == booking.FORMAT else
                "Den tiden finns inte eller finns två gånger när klockan ställs om. Välj en annan tid.")
    text = str(err)
    for pattern, swedish in SWEDISH:
        if found := re.search(pattern, text):
            return swedish(found)
    return f"Åtgärden gick inte att genomföra ({text})."


def _status(found: re.Match, group: int) -> str:
    return f"”{labels.status(found[group])}”"


SWEDISH: list[tuple[str, Callable[[re.Match], str]]] = [
    (r"cannot go from (\w+) to (\w+)", lambda m: f"Ärendet kan inte gå från {_status(m, 1)} till {_status(m, 2)}."),
    (r"unknown status", lambda m: "Välj en av statusarna på sidan."),
    (r"not a valid e-mail address", lambda m: "E-postadressen ser inte ut att vara giltig."),
    (r"not a valid Swedish phone number", lambda m: "Telefonnumret ser inte ut att vara ett giltigt svenskt nummer."),
    (r"has no contact \d+", lambda m: "Kontaktpersonen finns inte i det här ärendet."),
    (r"contact \d+ of \S+ is (\w+), not a candidate",
     lambda m: f"Kontaktpersonen är redan {labels.contact_status(m[1]).lower()} och kan inte bekräftas eller avvisas."),
    (r"cannot be merged into itself", lambda m: "Ett ärende kan inte sammanfogas med sig självt."),
    (r"(\S+) is withdrawn.*merge into an open case", lambda m: f"{m[1]} är återkallat. Sammanfoga med ett öppet ärende."),
    (r"(\S+) was already merged", lambda m: f"{m[1]} är redan sammanfogat med ett annat ärende."),
    (r"not a date like", lambda m: "Skriv beslutsdatumet som 2026-03-12."),
    (r"has no organisation yet", lambda m: "Ärendet har ingen organisation än: skriv organisationens namn."),
    (r"org number (\S+) belongs to (.+); merge",
     lambda m: f"Organisationsnumret {m[1]} tillhör {m[2]}. Sammanfoga ärendena i stället."),
    (r"an organisation needs a name", lambda m: "Organisationen behöver ett namn."),
    (r"not a valid organisation number", lambda m: "Organisationsnumret är inte giltigt (tio siffror, till exempel 212000-1959)."),
    (r"unknown organisation type", lambda m: "Välj en av organisationstyperna i listan."),
    (r"an invitation needs a complete case \(status is (\w+)\)",
     lambda m: f"En inbjudan kan skickas först när ärendet är komplett (status är nu {_status(m, 1)})."),
    (r"a meeting needs a complete or invited case \(status is (\w+)\)",
     lambda m: f"Ett möte kan bokas först när ärendet är komplett eller inbjudet (status är nu {_status(m, 1)})."),
    (r"no e-mail address for the contact person", lambda m: "Kontaktpersonen har ingen e-postadress. Rätta kontaktpersonen först."),
    (r"(\S+@\S+) is undeliverable",
     lambda m: f"Det går inte att skicka till {m[1]} (ett tidigare mejl studsade). Rätta kontaktpersonens e-postadress först."),
    (r"no booked meeting to cancel", lambda m: "Det finns inget bokat möte att avboka."),
]
