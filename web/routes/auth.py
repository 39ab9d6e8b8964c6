"""Sign in and out. A password is checked by accounts.users.sign_in, which slows repeated failures per account."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accounts.users import SignedIn, SignInRefused, end_sessions, sign_in
from inbox.context import AppContext
from web.handler import safe_path
from web.render import render
from web.security import csrf_ok


async def login(request: Request) -> Response:
    target = _safe_next(request.query_params.get("next"))
    oidc = request.app.state.ctx.settings.web.oidc_issuer is not None  # offer the board's sign-in (web/routes/oidc.py)
    if request.method == "GET":
        return render(request, "login.html", target=target, error=None, username="", oidc=oidc)
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    if not csrf_ok(request.session, str(form.get("csrf", ""))):
        return render(request, "login.html", 403, target=target, username=username, oidc=oidc,
                      error="Sidan var för gammal. Försök igen.")
    ctx: AppContext = request.app.state.ctx
    outcome = await run_in_threadpool(_check, ctx, username, password)
    if isinstance(outcome, str):
        return render(request, "login.html", 429 if "Försök igen om" in outcome else 401, target=target,
                      username=username, error=outcome, oidc=oidc)
    request.session.clear()  # nothing from before the sign-in carries over (a fixed token, a notice)
    request.session["uid"] = outcome.id
    request.session["at"] = ctx.clock().timestamp()
    return RedirectResponse(target, status_code=303)


def _check(ctx: AppContext, username: str, password: str) -> SignedIn | str:
    with ctx.sessions() as session:
        try:
            user = sign_in(session, username, password, ctx.clock())
        except SignInRefused as refused:
            session.commit()  # the failure counts, so the next attempt waits
            return str(refused)
        session.commit()
        return user


async def logout(request: Request) -> Response:
    form = await request.form()
    if csrf_ok(request.session, str(form.get("csrf", ""))):
        user_id = request.session.get("uid")
        if isinstance(user_id, int):
            await run_in_threadpool(_end_sessions, request.app.state.ctx, user_id)
        request.session.clear()
    return RedirectResponse("/logga-in", status_code=303)


def _end_sessions(ctx: AppContext, user_id: int) -> None:
    with ctx.sessions() as session:
        end_sessions(session, user_id, ctx.clock())
        session.commit()


def _safe_next(value: str | None) -> str:
    return safe_path(value)


ROUTES = [
    Route("/logga-in", login, methods=["GET", "POST"]),
    Route("/logga-ut", logout, methods=["POST"]),
]
