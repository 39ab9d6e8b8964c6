"""Övrig post: mail on no case (questions, forwards, unrelated mail, auto-replies, bounces) and quarantined
mail, with the actions "Hanterad", "Spela upp igen" and "Gör till ärende" (cases/other_mail.py,
cases/from_message.py). Each message is read on /meddelande/{id} (web/routes/message.py)."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from cases import other_mail
from cases.from_message import make_case
from cases.other_mail import MailRefused
from inbox.errors import InboxError, NotFound
from ingest.readable import headline
from models import Message, MessageStatus
from web.handler import Page, page
from web.numbers import bounded_int

PER_PAGE = 50
KIND_LABELS = {"other": "Övrig post", "auto_reply": "Autosvar", "bounce": "Studs", "affiliation": "Anslutning"}
STATUS_LABELS = {"stored": "Väntar på behandling", "processed": "Behandlat", "quarantined": "Karantän"}
# The list's filters: Swedish words in the address, the service's words behind them.
SHOWN = {"ohanterade": "unhandled", "hanterade": "handled", "alla": "all"}
KINDS = {"": None, "ovrigt": "other", "autosvar": "auto_reply", "studs": "bounce", "karantan": other_mail.QUARANTINED}
KIND_CHOICES = (("", "Alla slag"), ("ovrigt", "Övrig post"), ("autosvar", "Autosvar"), ("studs", "Studsar"), ("karantan", "Karantän"))
SHOWN_CHOICES = (("ohanterade", "Ohanterade"), ("hanterade", "Hanterade"), ("alla", "Alla"))


def kind_label(kind: str | None, status: MessageStatus) -> str:
    if status is MessageStatus.QUARANTINED:
        return STATUS_LABELS["quarantined"]
    return KIND_LABELS.get(kind or "", "Okänt slag")


def refusal_text(refused: MailRefused) -> str:
    """A message action its state does not allow, in Swedish."""
    facts = refused.facts
    return {
        MailRefused.ALREADY_HANDLED: "Meddelandet är redan markerat som hanterat" + (f" av {facts['by']}." if facts.get("by") else "."),
        MailRefused.NOT_QUARANTINED: "Meddelandet ligger inte i karantän. Bara meddelanden i karantän kan spelas upp igen.",
        MailRefused.ON_CASE: f"Meddelandet hör redan till ärende {facts.get('reference', '')}.",
        MailRefused.QUARANTINED: "Meddelandet ligger i karantän. Spela upp det igen först.",
        MailRefused.NOT_PROCESSED: "Meddelandet har inte behandlats än. Försök igen om en stund.",
        MailRefused.GONE: "Originalet av meddelandet finns inte kvar, så det går inte att läsa in igen.",
    }.get(refused.code, str(refused))


@page()
def post_list(p: Page) -> Response:
    shown = p.value("visa") if p.value("visa") in SHOWN else "ohanterade"
    kind = p.value("typ") if p.value("typ") in KINDS else ""
    number = bounded_int(p.value("sida"), low=1, high=999_999) or 1
    rows, total = other_mail.other_mail(p.session, shown=SHOWN[shown], kind=KINDS[kind], offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    # A quarantined message's processing was rolled back: its sender and subject are read from its header block.
    unread = {row.message.id: headline(p.ctx.data_dir, row.message) for row in rows
              if row.message.subject is None and row.message.sender is None}
    return p.render("post.html", rows=rows, total=total, shown=shown, kind=kind, number=number, pages=pages,
                    kind_label=kind_label, kind_choices=KIND_CHOICES, shown_choices=SHOWN_CHOICES,
                    here_query=p.request.url.query, unread=unread)


def _message_pk(p: Page) -> int:
    """The message the address names; an unknown one is a 404 page in Swedish."""
    message_pk = int(p.request.path_params["message_id"])
    if p.session.get(Message, message_pk) is None:
        raise NotFound(f"Det finns inget meddelande nr {message_pk}.")
    return message_pk


@page()
def mark_handled(p: Page) -> Response:
    message_pk = _message_pk(p)
    try:
        other_mail.mark_handled(p.ctx, p.session, message_pk, actor=p.actor, note=p.value("anteckning")[:2000] or None)
    except MailRefused as refused:
        raise InboxError(refusal_text(refused)) from refused
    return p.done(_back(p, message_pk), f"Meddelande nr {message_pk} är markerat som hanterat.")


@page()
def replay(p: Page) -> Response:
    message_pk = _message_pk(p)
    try:
        outcome = other_mail.replay_one(p.ctx, message_pk, actor=p.actor)
    except MailRefused as refused:
        raise InboxError(refusal_text(refused)) from refused
    if outcome.status is MessageStatus.QUARANTINED:
        p.request.session["notice"] = {"kind": "error", "text": "Meddelandet kunde inte heller nu behandlas och ligger kvar i "
                                       "karantän. Orsaken står under ”Karantän” nedanför."}
        return RedirectResponse(f"/meddelande/{message_pk}", status_code=303)
    if outcome.status is MessageStatus.STORED:
        return p.done(f"/meddelande/{message_pk}", "Behandlingen avbröts och görs om vid nästa körning.")
    return p.done(f"/meddelande/{message_pk}", "Meddelandet behandlades utan fel.")


@page()
def make_case_from(p: Page) -> Response:
    message_pk = _message_pk(p)
    try:
        made = make_case(p.ctx, p.session, message_pk, actor=p.actor, reply=p.value("svara") == "ja")
    except MailRefused as refused:
        raise InboxError(refusal_text(refused)) from refused
    reference = made.case.reference
    what = f"Ärende {reference} skapades av meddelandet." if made.created else f"Meddelandet lades till i ärende {reference}."
    sent = " Svaren som en anslutning får skickas med nästa utskick." if made.replies else " Inget svar skickas."
    return p.done(f"/arenden/{reference}", what + sent)


def _back(p: Page, message_pk: int) -> str:
    """Back to the list the button was on (with its filters), or to the message; never elsewhere."""
    back = p.value("tillbaka")
    return back if back.startswith(("/post?", "/meddelande/")) or back == "/post" else f"/meddelande/{message_pk}"


ROUTES = [
    Route("/post", post_list, methods=["GET"]),
    Route("/post/{message_id:id}/hanterad", mark_handled, methods=["POST"]),
    Route("/post/{message_id:id}/aterspela", replay, methods=["POST"]),
    Route("/post/{message_id:id}/gor-till-arende", make_case_from, methods=["POST"]),
]
