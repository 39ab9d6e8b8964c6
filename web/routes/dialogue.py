"""The dialogue record and the personal link, on the case page: save what was learnt in the dialogue
(cases/dialogue.record_dialogue), and withdraw the organisation's link (portal/links.revoke_links).

A refused record is shown again as typed (422), with every reason in Swedish, so nothing typed is lost."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cases.dialogue import DialogueRefused, record_dialogue
from digest.attention import case_link
from models import Case
from portal.links import revoke_links
from web.handler import Page
from web.routes.case_actions import action
from web.routes.case_page import render_case
from web.routes.dialogue_form import DialogueForm, read_form


@action
def record(p: Page, case: Case) -> Response:
    typed = read_form(p)
    try:
        result = record_dialogue(p.ctx, p.session, case, typed, actor=p.actor)
    except DialogueRefused as refused:
        p.session.rollback()
        p.request.session["notice"] = {"kind": "error", "text": "Dokumentationen sparades inte. Rätta det som står under "
                                       "”Dialogmöte – dokumentation” och spara igen."}
        return render_case(p, case, dialogue=DialogueForm(typed, refused.problems), status_code=422)
    done = "Dokumentationen av dialogmötet är sparad." if result.changed else "Inget ändrades: dokumentationen var densamma."
    return p.done(case_link(case.reference) + "#dialog", done)


@action
def revoke(p: Page, case: Case) -> Response:
    count = revoke_links(p.ctx, p.session, case, actor=p.actor)
    text = ("Den personliga länken är dragen tillbaka. Organisationen kan inte längre använda den." if count else
            "Ärendet har ingen personlig länk att dra tillbaka.")
    return p.done(case_link(case.reference) + "#dialog", text)


ROUTES: list[BaseRoute] = [
    Route("/arenden/{ref}/dialog", record, methods=["POST"]),
    Route("/arenden/{ref}/lank/dra-tillbaka", revoke, methods=["POST"]),
]
