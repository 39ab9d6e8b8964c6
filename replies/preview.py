"""`inbox preview`: render a reply with a case's real data, and say plainly which values are sample.

With --case, every variable comes from the case: its organisation, decision and contact, the
times actually offered to it, its completion request, its meeting. A template that needs
something the case does not have (no time offered, no request sent, no meeting) is rendered
with sample values for exactly those variables, and the preview names them: a banner line in
the text and the HTML, and a note on stderr. Without --case, everything is sample data.
The organisation's personal link ([portal]) is the case's usable one; a preview never makes one,
so a case without one shows a sample address, named like the other sample values.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import meta
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.staff import get_case
from inbox.context import AppContext
from models import Case, Meeting, OutgoingMail, PortalLink, Slot
from portal import links
from replies.render import RenderedMail, renderer_for
from replies.variables import case_variables, sample_variables, swedish_date, swedish_datetime


@dataclass(frozen=True)
class Preview:
    rendered: RenderedMail
    sample: dict[str, str]  # variable -> why its value is sample ({"*": ...} when all of them are)

    @property
    def banner(self) -> str | None:
        if not self.sample:
            return None
        if "*" in self.sample:
            return f"FÖRHANDSVISNING MED EXEMPELDATA (SAMPLE): {self.sample['*']}"
        parts = "; ".join(f"{name}: {why}" for name, why in self.sample.items())
        return f"FÖRHANDSVISNING: dessa värden är EXEMPELVÄRDEN (SAMPLE), inte ärendets: {parts}"

    def text(self) -> str:
        banner = f"{self.banner}\n" if self.banner else ""
        return f"Subject: {self.rendered.subject}\n{banner}\n{self.rendered.text}"

    def html(self) -> str:
        html = self.rendered.html or ""
        if not self.banner:
            return html
        bar = (f'<div style="background:#fff3cd;border:2px solid #b3261e;padding:8px;font-family:Arial,sans-serif;">'
               f"{escape(self.banner)}</div>")
        head, found, rest = html.partition(">\n<div")  # right after <body ...>
        return f"{head}>\n{bar}\n<div{rest}" if found else bar + html


def preview(ctx: AppContext, template: str, reference: str | None) -> Preview:
    sample = _with_sample_link(ctx, sample_variables(ctx.settings))
    if reference is None:
        return Preview(renderer_for(ctx).render(template, sample), {"*": "inget ärende angivet (--case), allt är exempeldata"})
    with ctx.sessions() as session:
        case = get_case(session, reference)
        real = {**case_variables(case, ctx.settings), **_case_extras(ctx, session, case)}
        portal = _portal_link(ctx, session, case)
    used = used_variables(ctx, template)
    missing = {name: WHY_SAMPLE.get(name, "ärendet saknar uppgiften") for name in sorted(used) if name in sample and name not in real}
    for name in ("invitation", "meeting"):  # the case's own values, with its link or a sample one
        if name in real and name in used and ctx.settings.portal.enabled:
            real[name] = {**real[name], **(portal or _sample_link(ctx))}
            if portal is None:
                missing[f"{name}.portal_url"] = WHY_SAMPLE["portal_url"]
    return Preview(renderer_for(ctx).render(template, {**sample, **real}), missing)


def _sample_link(ctx: AppContext) -> dict:
    return {"portal_url": ctx.settings.portal_base_url() + links.PATH + "1-" + "0" * 32, "portal_valid_until": "10 juli 2026"}


def _with_sample_link(ctx: AppContext, sample: dict) -> dict:
    """The sample data with a sample personal link in the mails that carry one ([portal] enabled)."""
    if not ctx.settings.portal.enabled:
        return sample
    return {**sample, "invitation": {**sample["invitation"], **_sample_link(ctx)}, "meeting": {**sample["meeting"], **_sample_link(ctx)}}


def _portal_link(ctx: AppContext, session: Session, case: Case) -> dict | None:
    """The case's usable personal link as the mails carry it, or None (a preview makes none)."""
    link = session.scalar(select(PortalLink).where(PortalLink.case_id == case.id, PortalLink.revoked_at.is_(None),
                                                   PortalLink.expires_at > ctx.clock()).order_by(PortalLink.id.desc()).limit(1))
    if link is None:
        return None
    return {"portal_url": links.url(ctx, link), "portal_valid_until": swedish_date(link.expires_at, ctx.zone)}


WHY_SAMPLE = {
    "invitation": "inga tider har erbjudits ärendet och ingen bokningslänk är inställd",
    "reminder": "ingen begäran om komplettering har skickats i ärendet, så ingen påminnelse är aktuell",
    "meeting": "inget dialogmöte är bokat i ärendet",
    "trusted_sender": "beror på vem som skriver; förhandsvisningen visar vad en betrodd avsändare får",
    "portal_url": "ärendet har ingen giltig personlig länk än; den skapas när inbjudan eller bekräftelsen skickas",
}


def _case_extras(ctx: AppContext, session: Session, case: Case) -> dict:
    """The template variables beyond the case's own that the case really has."""
    extras = {}
    if (invitation := _invitation(ctx, session, case)) is not None:
        extras["invitation"] = invitation
    if (reminder := _reminder(ctx, session, case)) is not None:
        extras["reminder"] = reminder
    if (meeting := _meeting(ctx, session, case)) is not None:
        extras["meeting"] = meeting
    return extras


def _invitation(ctx: AppContext, session: Session, case: Case) -> dict | None:
    replies = ctx.settings.replies
    slots = list(session.scalars(select(Slot).where(Slot.offered_case_id == case.id).order_by(Slot.starts_at)))
    if not (replies.booking_link or slots):
        return None
    return {"booking_link": replies.booking_link or None, "minutes": replies.meeting_minutes,
            "slots": [] if replies.booking_link else [swedish_datetime(slot.starts_at, ctx.zone) for slot in slots]}


def _reminder(ctx: AppContext, session: Session, case: Case) -> dict | None:
    request = session.scalar(select(OutgoingMail).where(OutgoingMail.case_id == case.id, OutgoingMail.template == "request_missing")
                             .order_by(OutgoingMail.id).limit(1))
    if request is None:
        return None
    return {"number": case.reminders_sent + 1, "requested_on": swedish_date(request.created_at, ctx.zone)}


def _meeting(ctx: AppContext, session: Session, case: Case) -> dict | None:
    meeting = session.scalar(select(Meeting).where(Meeting.case_id == case.id).order_by(Meeting.id.desc()).limit(1))
    if meeting is None:
        return None
    return {"when": swedish_datetime(meeting.starts_at, ctx.zone), "place": meeting.place, "link": meeting.link,
            "minutes": meeting.duration_minutes, "change": "cancelled" if meeting.cancelled else "new", "previous": None}


def used_variables(ctx: AppContext, template: str) -> set[str]:
    """Top-level variables the template's files (and the files they extend or include) read."""
    env, seen, used = renderer_for(ctx).env, set(), set()
    loader = env.loader
    if loader is None:  # the renderer always builds its environment with a FileSystemLoader
        raise RuntimeError("the template environment has no loader")
    todo = [f"{template}/{name}" for name in ("subject.txt", "body.txt", "body.html")]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source, _, _ = loader.get_source(env, name)
        tree = env.parse(source)
        used |= meta.find_undeclared_variables(tree)
        todo += [ref for ref in meta.find_referenced_templates(tree) if ref]
    return used
