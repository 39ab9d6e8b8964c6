"""`@public()`: the wrapper of the organisation's page (`/anslutning/{token}`), the workspace's only public part.

No sign-in: the personal link is the key. Like `@page()` (web/handler.py) it checks the CSRF token of every POST
(the anonymous session cookie of SessionMiddleware carries it), runs the handler in a worker thread with one
database session and commits on success. Unlike it, it opens the link first (portal.links.open_link) and answers
a link that does not work with a polite Swedish page that shows nothing of any case:

- unknown or tampered token: 404; each one counts against the client's address (FailedLookups), so guessing
  is slowed to a few tries a minute (429 with Retry-After beyond that);
- expired, revoked, closed, meeting passed: 410, naming the board's mailbox;
- too many requests on the link: 429 with Retry-After.
A genuine link's refusal is audited ("portal_refused") and committed with the link's rate-limit counter. A refused
action (portal.refusals.ActionRefused) is rolled back, then the request is charged and the refusal audited again
in the same session, so neither is lost."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from inbox.context import AppContext
from portal import audit
from portal.booking import OTHER_TIMES_CHARS, OTHER_TIMES_FIELD
from portal.links import EXPIRED, MEETING_PASSED, RATE_LIMITED, READDRESSED, REVOKED, Access, LinkRefused, open_link
from portal.page import page_view
from portal.refusals import (
    ALREADY_BOOKED,
    EMPTY,
    NOT_OPEN,
    NOT_SENT,
    SLOT_GONE,
    SLOT_PAST,
    SLOT_TAKEN,
    TOO_LONG,
    UNKNOWN_AREA,
    ActionRefused,
)
from web.render import render
from web.security import csrf_ok

# Failed token look-ups per client address: this many in each window, then 429 until the window ends.
FAILED_LOOKUPS, LOOKUP_WINDOW_SECONDS = 20, 600
LOOKUP_CLIENTS = 10_000  # addresses remembered at most (the oldest is forgotten first): memory stays bounded
ROBOTS = {"X-Robots-Tag": "noindex, nofollow"}  # a personal page is never indexed


class FailedLookups:
    """Failed look-ups per client address in fixed windows, in memory (one web process; a restart forgets)."""

    def __init__(self, limit: int = FAILED_LOOKUPS, window: float = LOOKUP_WINDOW_SECONDS, clients: int = LOOKUP_CLIENTS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clients, self.clock = limit, window, clients, clock
        self._seen: OrderedDict[str, tuple[float, int]] = OrderedDict()  # address -> (window start, failures)
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        """Seconds until `client` may try again, or None when it may now."""
        with self._lock:
            started, count = self._current(client)
            return math.ceil(started + self.window - self.clock()) if count >= self.limit else None

    def failed(self, client: str) -> None:
        with self._lock:
            started, count = self._current(client)
            self._seen[client] = (started, count + 1)
            self._seen.move_to_end(client)
            while len(self._seen) > self.clients:
                self._seen.popitem(last=False)

    def _current(self, client: str) -> tuple[float, int]:
        now = self.clock()
        started, count = self._seen.get(client, (now, 0))
        return (now, 0) if now - started >= self.window else (started, count)


def failed_lookups(request: Request) -> FailedLookups:
    """The app's counter (made on first use: the workspace app and the public app each have their own)."""
    state = request.app.state
    if not hasattr(state, "portal_lookups"):
        state.portal_lookups = FailedLookups()
    return state.portal_lookups


@dataclass
class PublicPage:
    """What a public handler gets: the request, the usable link and its case, the form and one database session."""

    request: Request
    ctx: AppContext
    session: Session
    access: Access
    form: FormData | None = None

    @property
    def path(self) -> str:
        """The page's own address (the token matched portal.links.TOKEN_SHAPE: digits, a hyphen, hex)."""
        return f"/anslutning/{self.request.path_params['token']}"

    def value(self, name: str) -> str:
        raw = self.form.get(name, "") if self.form is not None else ""
        return raw if isinstance(raw, str) else ""

    def fields(self, prefix: str) -> dict[str, str]:
        """The posted text fields whose names start with `prefix`, by the rest of the name."""
        if self.form is None:
            return {}
        return {name[len(prefix):]: value for name, value in self.form.multi_items()
                if name.startswith(prefix) and isinstance(value, str)}

    def done(self, text: str, anchor: str = "") -> RedirectResponse:
        """After a successful POST: back to the page (303, Post/Redirect/Get) with a notice."""
        self.request.session["notice"] = {"kind": "ok", "text": text}
        return RedirectResponse(self.path + anchor, status_code=303)

    def render(self, status_code: int = 200, **variables: Any) -> Response:
        return render_page(self.request, self.ctx, self.session, self.access, status_code, **variables)


PublicHandler = Callable[[PublicPage], Response]


def public() -> Callable[[PublicHandler], Callable[[Request], Any]]:
    def wrap(handler: PublicHandler) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            ctx: AppContext = request.app.state.ctx
            if not ctx.settings.portal.enabled:  # [portal] enabled = false: the page does not exist
                return not_found(request)
            form = None
            if request.method == "POST":
                form = await request.form()
                sent = form.get("csrf")
                if not csrf_ok(request.session, sent if isinstance(sent, str) else None):
                    await form.close()
                    return refusal(request, 403, "Formuläret kunde inte skickas",
                                   "Sidan var för gammal eller kom inte härifrån. Öppna länken i mejlet igen och försök en gång till.")
            try:
                response, unknown = await run_in_threadpool(_run, handler, ctx, request, form)
            finally:
                if form is not None:
                    await form.close()
            if unknown:  # only a token that names no link counts, and only it is held back: a genuine link always works
                response = _unknown_token(request, response)
            response.headers.update(ROBOTS)
            return response

        endpoint.__name__ = handler.__name__
        return endpoint

    return wrap


def _unknown_token(request: Request, not_found_page: Response) -> Response:
    """A failed look-up from a client that failed too often gets 429 (guessing is slowed); else the 404 page.
    Many organisations may share one address (a municipality's NAT, the proxy itself), so a genuine link is
    never refused for what others did from the same address."""
    client = request.client.host if request.client else "unknown"
    lookups = failed_lookups(request)
    if (wait := lookups.retry_after(client)) is not None:
        return too_many(request, wait)
    lookups.failed(client)
    return not_found_page


def _run(handler: PublicHandler, ctx: AppContext, request: Request, form: FormData | None) -> tuple[Response, bool]:
    """(the response, whether the token named no link)."""
    token = request.path_params["token"]
    with ctx.sessions() as session:
        try:
            access = open_link(ctx, session, token)
        except LinkRefused as err:
            if err.link is None:
                session.rollback()
                return not_found(request), True
            audit.link_refused(ctx, session, err)
            session.commit()  # the rate-limit counter and the audit event
            return link_refusal(request, ctx, err), False
        page = PublicPage(request, ctx, session, access, form)
        try:
            response = handler(page)
        except ActionRefused as err:
            return _refused_action(page, err), False
        session.commit()
        return response, False


def _refused_action(page: PublicPage, err: ActionRefused) -> Response:
    """Undo what the action may have begun, then charge the request and audit the refusal again."""
    session, ctx = page.session, page.ctx
    session.rollback()
    try:
        page.access = open_link(ctx, session, page.request.path_params["token"])
    except LinkRefused as refused:  # the link stopped working in between (the limit was just reached)
        audit.link_refused(ctx, session, refused)
        session.commit()
        return link_refusal(page.request, ctx, refused)
    audit.action_refused(ctx, session, page.access, err)
    if err.field is not None:  # text the person typed: the form again, with their text and the error at the field
        response = page.render(422, errors={err.field: action_text(err, ctx)}, posted=dict(page.form or {}))
        session.commit()
        return response
    session.commit()
    page.request.session["notice"] = {"kind": "error", "text": action_text(err, ctx)}
    return RedirectResponse(page.path, status_code=303)


def render_page(request: Request, ctx: AppContext, session: Session, access: Access, status_code: int = 200,
                **variables: Any) -> Response:
    """The organisation's page; `posted` and `errors` when a form is shown again."""
    view = page_view(ctx, session, access.case)
    return render(request, "portal/page.html", status_code, view=view, board=board(ctx), path=f"/anslutning/{request.path_params['token']}",
                  max_chars=ctx.settings.portal.max_answer_chars, errors=variables.pop("errors", {}),
                  posted=variables.pop("posted", None), **variables)


def board(ctx: AppContext) -> dict[str, str]:
    return {"name": ctx.settings.replies.board_name, "mailbox": ctx.settings.smtp.sender_address}


# -- refusals, in Swedish -----------------------------------------------------------------------------------


def not_found(request: Request) -> Response:
    return refusal(request, 404, "Länken fungerar inte",
                   "Adressen stämmer inte. Kontrollera att hela länken från mejlet kom med, eller klicka på länken i mejlet igen.")


def too_many(request: Request, wait: int) -> Response:
    response = refusal(request, 429, "För många försök just nu", "Vänta en stund och försök sedan igen.")
    response.headers["Retry-After"] = str(max(wait, 1))
    response.headers.update(ROBOTS)
    return response


LINK_TEXTS = {
    EXPIRED: ("Länken har slutat gälla", "Länken gällde en begränsad tid. Mejla oss, så skickar vi gärna en ny."),
    REVOKED: ("Länken gäller inte längre", "Vi har ersatt eller stängt den här länken. Mejla oss om ni behöver en ny."),
    READDRESSED: ("Länken gäller inte längre", "Kontaktuppgifterna i ärendet har ändrats, så länken har ersatts. "
                                               "Mejla oss om ni behöver en ny."),
    MEETING_PASSED: ("Dialogmötet har redan ägt rum", "Tack för samtalet! Länken gällde fram till mötet. "
                                                      "Har ni frågor eller vill komplettera något, mejla oss gärna."),
}
CLOSED_TEXT = ("Länken gäller inte längre", "Ärendet som länken hörde till är avslutat. Har ni frågor, mejla oss gärna.")


def link_refusal(request: Request, ctx: AppContext, err: LinkRefused) -> Response:
    """A genuine link that may not be used now: 410 (or 429), nothing about the case."""
    if err.code == RATE_LIMITED:
        return too_many(request, _window_left(ctx, err))
    title, text = LINK_TEXTS.get(err.code, CLOSED_TEXT)
    return refusal(request, 410, title, text, mailbox=ctx.settings.smtp.sender_address)


def _window_left(ctx: AppContext, err: LinkRefused) -> int:
    started = err.link.window_started_at if err.link is not None else None
    if started is None:
        return 60
    ends = started + timedelta(minutes=ctx.settings.portal.window_minutes)
    return max(math.ceil((ends - ctx.clock()).total_seconds()), 1)


def refusal(request: Request, status: int, title: str, text: str, *, mailbox: str | None = None) -> Response:
    ctx = request.app.state.ctx
    return render(request, "portal/refused.html", status, title=title, text=text, mailbox=mailbox, board=board(ctx))


def action_text(err: ActionRefused, ctx: AppContext) -> str:
    """A refused action in Swedish, as the notice or the field's error says it."""
    mailbox = ctx.settings.smtp.sender_address
    texts = {
        SLOT_TAKEN: "Tyvärr hann någon annan boka den tiden. Välj gärna en annan tid nedan.",
        SLOT_GONE: "Den tiden finns inte längre att välja. Välj gärna en annan tid nedan.",
        SLOT_PAST: "Den tiden har redan passerat. Välj gärna en annan tid nedan.",
        ALREADY_BOOKED: "Ni har redan en bokad tid. Vill ni byta, skriv vilka tider som passar er bättre.",
        NOT_OPEN: f"Det går inte att boka en tid i ärendet just nu. Mejla oss på {mailbox}.",
        NOT_SENT: f"Vi kunde inte boka tiden just nu. Mejla oss på {mailbox}, så hjälper vi er.",
        EMPTY: "Skriv några dagar och tider som passar er.",
        UNKNOWN_AREA: "Formuläret innehöll ett problemområde som inte finns. Ladda om sidan och försök igen.",
    }
    if err.code == TOO_LONG:
        limit = OTHER_TIMES_CHARS if err.field == OTHER_TIMES_FIELD else ctx.settings.portal.max_answer_chars
        return f"Texten är för lång. Skriv högst {limit} tecken."
    return texts.get(err.code, f"Det gick inte just nu. Mejla oss på {mailbox}.")
