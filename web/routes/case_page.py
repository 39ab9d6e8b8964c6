"""Ett ärende: one case with everything on it, and the forms for every action on it.

The page reads through cases/views.py (the same gathering `inbox show` prints); each form posts to
`/arenden/{ref}/<action>` (web/routes/case_actions.py), which calls the service function the CLI calls.
"""

from __future__ import annotations

from datetime import datetime

from starlette.responses import Response
from starlette.routing import Route

from cases.search import MAX_TEXT
from cases.staff import ORGANISATION_TYPES
from cases.views import case_page, find_cases
from digest import labels
from digest.attention import case_link, message_link
from models import Case, CaseStatus
from replies.variables import swedish_datetime
from web.handler import Page, page
from web.routes import case_actions as act
from web.routes.case_actions import find_case
from web.routes.dialogue_form import DialogueForm, dialogue_section

# Statuses with a form of their own on the page (a reason or notes belong to them); not plain status buttons.
OWN_FORMS = (CaseStatus.WITHDRAWN, CaseStatus.DIALOGUE_HELD)


@page()
def case_view(p: Page) -> Response:
    return render_case(p, find_case(p))


def render_case(p: Page, case: Case, *, dialogue: DialogueForm | None = None, status_code: int = 200) -> Response:
    """The case page; `dialogue` is a refused dialogue record to show again as typed, with its problems."""
    search = " ".join(p.value("sok")[:MAX_TEXT].split())
    view = case_page(p.ctx, p.session, case)
    return p.render(
        "case.html", status_code, view=view, case=case, labels=labels, link=case_link, message_link=message_link,
        status_buttons=[status for status in view.allowed if status not in OWN_FORMS],
        may_withdraw=CaseStatus.WITHDRAWN in view.allowed, may_mark_held=CaseStatus.DIALOGUE_HELD in view.allowed,
        may_invite=case.status in (CaseStatus.COMPLETE, CaseStatus.INVITED),
        may_book=case.status in (CaseStatus.COMPLETE, CaseStatus.INVITED, CaseStatus.BOOKED),
        types=[(code, labels.organisation_type(code)) for code in ORGANISATION_TYPES],
        search=search, found=find_cases(p.session, search, besides=case) if search else [],
        stamp=lambda at: _stamp(p, at), meeting_time=lambda at: swedish_datetime(at, p.ctx.zone),
        sure=lambda score: certainty(score, p.ctx.settings.extract.review_below), actor=actor_name,
        status_kind=STATUS_KIND.get(case.status, ""),
        dialogue=dialogue_section(p, case, dialogue),
    )


# A badge's look per status; its words always say the status too (never colour alone).
STATUS_KIND = {CaseStatus.COMPLETE: "ok", CaseStatus.BOOKED: "ok", CaseStatus.DIALOGUE_HELD: "ok",
               CaseStatus.INCOMPLETE: "warn", CaseStatus.NEEDS_REVIEW: "warn", CaseStatus.WITHDRAWN: "err"}


def certainty(score: float | None, review_below: float) -> tuple[str, str]:
    """How sure extraction was, in words with the number, and a badge look: ('Hög säkerhet (95 %)', 'ok')."""
    if score is None:
        return "Ingen uppgift", ""
    percent = f"{round(score * 100)} %"
    if score >= 0.9:
        return f"Hög säkerhet ({percent})", "ok"
    if score >= review_below:
        return f"Medelhög säkerhet ({percent})", ""
    return f"Låg säkerhet ({percent}) – kontrollera", "warn"


PORTAL_ACTOR = "portal:"  # portal/links.Access.actor: the organisation through its personal link


def actor_name(actor: str | None) -> str:
    if actor in (None, "system"):
        return "Tjänsten (automatiskt)"
    if actor.startswith(PORTAL_ACTOR):
        return "Organisationen (via sin personliga länk)"
    return actor


def _stamp(p: Page, at: datetime | None) -> str:
    return labels.dated_moment(at.astimezone(p.ctx.zone)) if at else "–"


def _path(name: str) -> str:
    return "/arenden/{ref}/" + name


def routes() -> list[Route]:
    posts = {
        "status": act.status, "organisation": act.organisation, "beslut": act.decision, "kontakt": act.contact,
        "kontakt/{contact_id:id}/bekrafta": act.confirm_contact, "kontakt/{contact_id:id}/avvisa": act.reject_contact,
        "anteckning": act.note, "bjud-in": act.invite_now, "boka": act.book, "flytta": act.move, "avboka": act.cancel,
        "genomford": act.held, "aterkalla": act.withdraw, "sammanfoga": act.merge,
        "forsok-igen/{outbox_id:id}": act.retry_reply,
    }
    return [Route("/arenden/{ref}", case_view, methods=["GET"]),
            *(Route(_path(name), endpoint, methods=["POST"]) for name, endpoint in posts.items())]


ROUTES = routes()

