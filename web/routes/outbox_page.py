"""Utkorg: replies waiting to go, failed, held for approval or of uncertain delivery (what `inbox outbox list`
shows, replies/outbox_view.py), each readable as the text it sends, with retry (replies/retry.py; an
uncertain one only after the person ticked that they checked it) and approve / reject for held mail
(replies/approval.py)."""

from __future__ import annotations

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from digest.attention import HELD_WHY
from inbox.errors import InboxError, NotFound
from models import Case, OutboxStatus, OutgoingMail
from replies.approval import approve, reject
from replies.outbox import hold_kind
from replies.outbox_view import outbox_records
from replies.retry import Retried, Selection, retry
from web.handler import Page, page

WAITING = ("pending", "sending", "held", "failed", "uncertain")  # the rows the page lists: none of them is done
STATUS_LABELS = {
    "pending": "Väntar på att skickas", "sending": "Skickas nu", "held": "Väntar på godkännande", "failed": "Misslyckades",
    "uncertain": "Oklart om det kom fram", "sent": "Skickat", "cancelled": "Avvisat",
}
STATUS_BADGES = {"pending": "", "sending": "", "held": "warn", "failed": "err", "uncertain": "warn", "sent": "ok", "cancelled": ""}
FILTERS = (("", "Alla som inte är klara"), *((s, STATUS_LABELS[s]) for s in WAITING))
TEMPLATE_NAMES = {
    "acknowledgement": "Bekräftelse", "request_missing": "Begäran om komplettering", "reminder": "Påminnelse",
    "invitation": "Inbjudan till dialogmöte", "booking_confirmation": "Bokningsbekräftelse",
    "received_on_case": "Mottagningsbekräftelse", "digest": "Daglig sammanställning",
}
RETRIED = {
    "queued": "Utskick nr {id} ligger i kön igen och skickas vid nästa utskick.",
    "confirmed": "Utskick nr {id} hittades bland de skickade: det har redan kommit iväg och markerades som skickat.",
    "unchecked": "Det gick inte att leta efter en skickad kopia av utskick nr {id}; det ligger kvar som oklart.",
    "unknown": "Ingen skickad kopia av utskick nr {id} hittades, men det går inte att vara säker; det ligger kvar som oklart.",
}


def template_name(template: str) -> str:
    return TEMPLATE_NAMES.get(template, template)


@page()
def outbox_page(p: Page) -> Response:
    chosen = p.value("status") if p.value("status") in WAITING else ""
    records = outbox_records(p.session, p.ctx.clock(), p.ctx.zone, statuses=(chosen,) if chosen else WAITING)
    ids = [record["id"] for record in records]
    rows = {row.id: row for row in p.session.scalars(select(OutgoingMail).where(OutgoingMail.id.in_(ids)))} if ids else {}
    return p.render("outbox.html", records=records, held_why={i: _held_why(row) for i, row in rows.items()}, chosen=chosen,
                    filters=FILTERS, labels=STATUS_LABELS, badges=STATUS_BADGES, template_name=template_name)


@page()
def reply_page(p: Page) -> Response:
    row = _row(p)
    return p.render("outbox_reply.html", row=row, reference=_reference(p, row), held_why=_held_why(row), labels=STATUS_LABELS,
                    badges=STATUS_BADGES, template_name=template_name)


@page()
def retry_reply(p: Page) -> Response:
    row = _row(p)
    if row.status is OutboxStatus.UNCERTAIN and p.value("kontrollerat") != "ja":
        raise InboxError("Kryssa i att du har kontrollerat att mottagaren inte redan har fått utskicket, så att det inte "
                         "skickas två gånger.")
    if row.status not in (OutboxStatus.FAILED, OutboxStatus.UNCERTAIN):
        raise InboxError(f"Utskick nr {row.id} är {STATUS_LABELS[row.status.value].lower()}. Bara misslyckade och oklara utskick kan skickas igen.")
    [result] = retry(p.ctx, Selection(ids=(row.id,)), actor=p.actor)
    return _retried(p, result)


def _retried(p: Page, result: Retried) -> Response:
    text = RETRIED.get(result.outcome)
    if text is None:  # "skipped": someone else settled it in the meantime
        raise InboxError(f"Utskick nr {result.row_id} har redan hanterats av någon annan.")
    return p.done(_back(p), text.format(id=result.row_id))


@page()
def approve_reply(p: Page) -> Response:
    row = _held(p)
    approve(p.ctx, row.id, p.actor, p.value("varfor") or None)
    return p.done(_back(p), f"Utskick nr {row.id} är godkänt och skickas vid nästa utskick.")


@page()
def reject_reply(p: Page) -> Response:
    row = _held(p)
    reject(p.ctx, row.id, p.actor, p.value("varfor") or None)
    return p.done(_back(p), f"Utskick nr {row.id} är avvisat och skickas aldrig.")


def _row(p: Page) -> OutgoingMail:
    row_id = int(p.request.path_params["outbox_id"])
    row = p.session.get(OutgoingMail, row_id)
    if row is None:
        raise NotFound(f"Det finns inget utskick nr {row_id}.")
    return row


def _held(p: Page) -> OutgoingMail:
    row = _row(p)
    if row.status is not OutboxStatus.HELD:
        raise InboxError(f"Utskick nr {row.id} väntar inte på godkännande (det är {STATUS_LABELS[row.status.value].lower()}).")
    return row


def _held_why(row: OutgoingMail) -> str | None:
    return HELD_WHY.get(hold_kind(row), "det behöver godkännas") if row.status is OutboxStatus.HELD else None


def _reference(p: Page, row: OutgoingMail) -> str | None:
    case = p.session.get(Case, row.case_id) if row.case_id else None
    return case.reference if case else None


def _back(p: Page) -> str:
    back = p.value("tillbaka")
    return back if back == "/utkorg" or back.startswith(("/utkorg?", "/utkorg/")) else "/utkorg"


ROUTES = [
    Route("/utkorg", outbox_page, methods=["GET"]),
    Route("/utkorg/{outbox_id:id}", reply_page, methods=["GET"]),
    Route("/utkorg/{outbox_id:id}/forsok-igen", retry_reply, methods=["POST"]),
    Route("/utkorg/{outbox_id:id}/godkann", approve_reply, methods=["POST"]),
    Route("/utkorg/{outbox_id:id}/avvisa", reject_reply, methods=["POST"]),
]
