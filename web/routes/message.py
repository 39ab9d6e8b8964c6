"""One received message, readable as text: the header fields we parsed, the text body (an HTML-only body as
text taken from it, never as HTML), the stored attachments (served by /bilaga/{id}), why classification
decided what it did, why it is in quarantine, and its history. Any stored message: the case page's
timeline links here too. Its actions post to /post/{id}/... (web/routes/post.py)."""

from __future__ import annotations

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from cases import other_mail
from inbox.errors import NotFound
from ingest.readable import read_message
from models import Case, Event, Message, MessageStatus
from web.handler import Page, page
from web.routes.post import kind_label

FIELD_LABELS = {
    "from": "Från", "sender": "Avsändare (Sender)", "reply-to": "Svara till", "to": "Till", "cc": "Kopia",
    "date": "Datum enligt avsändaren", "subject": "Ämne", "message-id": "Message-ID", "in-reply-to": "Svar på",
}
EVENT_LABELS = {
    "quarantined": "Lades i karantän", "processing_stopped": "Behandlingen stoppades", "not_an_affiliation": "Inte en anslutning",
    "mail_defect": "Fel i själva meddelandet", "message_handled": "Markerades som hanterat", "replay_requested": "Spelades upp igen",
    "case_made_from_message": "Gjordes till ärende", "case_created": "Ärende skapades", "message_joined": "Lades till i ärende",
    "auto_reply_received": "Autosvar på vårt utskick", "answer_to_read": "Svar att läsa", "reprocessed": "Lästes in igen",
}
PROBLEMS = {
    "gone": "Originalet av meddelandet finns inte kvar (det kan ha gallrats). Uppgifterna nedan är de som sparades när det kom in.",
    "too_large": "Meddelandet är för stort för att visas här. Avsändare, mottagare och bilagor visas nedan.",
    "unreadable": "Meddelandets text gick inte att läsa ut. Avsändare, mottagare och bilagor visas nedan.",
}


@page()
def message_page(p: Page) -> Response:
    message_pk = int(p.request.path_params["message_id"])
    message = p.session.get(Message, message_pk)
    if message is None:
        raise NotFound(f"Det finns inget meddelande nr {message_pk}.")
    case = p.session.get(Case, message.case_id) if message.case_id else None
    events = list(p.session.scalars(select(Event).where(Event.message_pk == message_pk).order_by(Event.at, Event.id)))
    handled = other_mail.handled(p.session, message_pk)
    readable = read_message(p.ctx.data_dir, message)
    written = dict(reversed(readable.fields))  # a quarantined message's processing was rolled back: no stored subject
    return p.render(
        "message.html", message=message, readable=readable, case=case, events=events,
        subject=message.subject or written.get("subject"),
        handled=handled, field_labels=FIELD_LABELS, event_labels=EVENT_LABELS, problems=PROBLEMS, size_text=size_text,
        kind=kind_label(message.kind, message.status), quarantined=message.status is MessageStatus.QUARANTINED,
        can_make_case=message.case_id is None and message.status is MessageStatus.PROCESSED,
    )


def size_text(size: int) -> str:
    """'12 kB', '3,4 MB' (Swedish decimal comma)."""
    if size < 1024 * 1024:
        return f"{max(size // 1024, 1)} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


ROUTES = [Route("/meddelande/{message_id:id}", message_page, methods=["GET"])]
