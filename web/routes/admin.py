"""Administration, for admins only (`@page(Role.ADMIN)`: staff get 403): the rules in use, a test check of an
uploaded .eml, a dry run of the rules over stored mail, and the workspace's accounts."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path

from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import Response
from starlette.routing import Route

from accounts.passwords import MIN_LENGTH, WeakPassword
from accounts.users import LastAdmin, add_user, normal_username, set_active, set_password, set_role
from inbox.errors import InboxError, NotFound
from ingest.check_isolated import check_isolated
from ingest.rerun import rerun
from ingest.rule_list import rules_in_use
from models import Role, User
from web.handler import Page, page
from web.routes.admin_labels import ROLE_NAMES, check_groups, field_name, kind

DIFFERENCES_SHOWN = 200  # a dry run over years of mail may differ in thousands of fields; the counts cover them all
CHUNK = 1024 * 1024


@page(Role.ADMIN)
def rules(p: Page) -> Response:
    settings = p.ctx.settings
    return p.render("admin.html", rows=rules_in_use(settings), rules_file=settings.path(settings.extract.rules_file))


# -- /admin/prova: what `inbox check` sees in an uploaded message ----------------------------------------------------

@page(Role.ADMIN)
def check(p: Page) -> Response:
    if p.form is None:
        return p.render("admin_check.html", outcome=None, filename=None, groups=[])
    upload = p.form.get("fil")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InboxError("Välj en fil (.eml) att prova.")
    with _stored_upload(p, upload) as path:
        outcome = check_isolated(p.ctx.settings, path)
    groups = check_groups(outcome.result) if outcome.result else []
    return p.render("admin_check.html", outcome=outcome, filename=upload.filename, groups=groups, kind=kind,
                    field_name=field_name)


@contextlib.contextmanager
def _stored_upload(p: Page, upload: UploadFile) -> Iterator[Path]:
    """The upload as a file in data_dir/tmp (mode 0600) for the child process to read; removed afterwards.
    The request body is already bounded by [web] max_upload_mb; this bounds the file itself too."""
    limit = p.ctx.settings.web.max_upload_mb * 1024 * 1024
    folder = p.ctx.data_dir / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="check-", suffix=".eml", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            _copy_bounded(upload, out, limit)
        yield path
    finally:
        path.unlink(missing_ok=True)
        upload.file.close()  # the multipart parser's spooled copy; the handler wrapper does not close forms


def _copy_bounded(upload: UploadFile, out, limit: int) -> None:
    written = 0
    while chunk := upload.file.read(CHUNK):
        written += len(chunk)
        if written > limit:
            raise InboxError(f"Filen är större än {limit // (1024 * 1024)} MB och provas inte.")
        out.write(chunk)
    if not written:
        raise InboxError("Filen är tom.")


# -- /admin/provkor: the rules over stored mail, nothing written ----------------------------------------------------

@page(Role.ADMIN)
def dry_run(p: Page) -> Response:
    if p.form is None:
        return p.render("admin_dry_run.html", report=None, since="", shown=[])
    since_text = p.value("fran")
    report = rerun(p.ctx, since=_since(p, since_text), apply=False)
    return p.render("admin_dry_run.html", report=report, since=since_text, shown=report.changes[:DIFFERENCES_SHOWN])


def _since(p: Page, text: str) -> datetime | None:
    if not text:
        return None
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise InboxError(f"Skriv datumet som 2026-03-01, inte {text!r}.") from None
    return datetime.combine(day, time(0), tzinfo=p.ctx.zone)


# -- /admin/anvandare: accounts --------------------------------------------------------------------------------------

@page(Role.ADMIN)
def users(p: Page) -> Response:
    accounts = p.session.scalars(select(User).order_by(User.username)).all()
    return p.render("admin_users.html", accounts=accounts, roles=ROLE_NAMES, min_length=MIN_LENGTH)


@page(Role.ADMIN)
def add(p: Page) -> Response:
    name = _username(p.value("anvandarnamn"))
    if p.session.scalar(select(User).where(User.username == name)) is not None:
        raise InboxError(f"Det finns redan ett konto med användarnamnet {name}.")
    with _in_swedish():
        add_user(p.session, name, p.value("namn"), _role(p), _password(p), actor=p.actor)
    return p.done("/admin/anvandare", f"Kontot {name} är skapat.")


@page(Role.ADMIN)
def account(p: Page) -> Response:
    return p.render("admin_user.html", account=_account(p), roles=ROLE_NAMES, min_length=MIN_LENGTH)


@page(Role.ADMIN)
def disable(p: Page) -> Response:
    user = _account(p)
    with _in_swedish():
        set_active(p.session, user.username, False, actor=p.actor, now=p.ctx.clock())
    return p.done(f"/admin/anvandare/{user.id}", f"Kontot {user.username} är inaktiverat och kan inte logga in.")


@page(Role.ADMIN)
def enable(p: Page) -> Response:
    user = _account(p)
    set_active(p.session, user.username, True, actor=p.actor)
    return p.done(f"/admin/anvandare/{user.id}", f"Kontot {user.username} kan logga in igen.")


@page(Role.ADMIN)
def password(p: Page) -> Response:
    user = _account(p)
    with _in_swedish():
        set_password(p.session, user.username, _password(p), actor=p.actor, now=p.ctx.clock())
    return p.done(f"/admin/anvandare/{user.id}", f"Nytt lösenord är satt för {user.username}.")


@page(Role.ADMIN)
def role(p: Page) -> Response:
    user = _account(p)
    new = _role(p)
    with _in_swedish():
        set_role(p.session, user.username, new, actor=p.actor)
    return p.done(f"/admin/anvandare/{user.id}", f"{user.username} är nu {ROLE_NAMES[new].lower()}.")


def _account(p: Page) -> User:
    raw = p.request.path_params["user_id"]
    user = p.session.get(User, raw)
    if user is None:
        raise NotFound("Det finns inget sådant konto.")
    return user


def _username(text: str) -> str:
    try:
        return normal_username(text)
    except InboxError:
        raise InboxError("Användarnamnet får bara innehålla a–z, siffror och . _ @ - och vara 2–120 tecken långt.") from None


def _role(p: Page) -> Role:
    try:
        return Role(p.value("roll"))
    except ValueError:
        raise InboxError("Välj en roll: handläggare eller administratör.") from None


def _password(p: Page) -> str:
    """The posted password as typed: a passphrase may begin or end with a space, so it is not stripped."""
    assert p.form is not None
    raw = p.form.get("losenord")
    if not isinstance(raw, str) or not raw:
        raise InboxError(f"Skriv ett lösenord med minst {MIN_LENGTH} tecken.")
    return raw


@contextlib.contextmanager
def _in_swedish() -> Iterator[None]:
    """The account rules are the service's (accounts/); their refusals are told to the admin in Swedish."""
    try:
        yield
    except WeakPassword:
        raise InboxError(f"Lösenordet är för kort: det måste ha minst {MIN_LENGTH} tecken.") from None
    except LastAdmin:
        raise InboxError("Det måste finnas minst en aktiv administratör. Gör först ett annat konto till administratör.") from None


ROUTES = [
    Route("/admin", rules, methods=["GET"]),
    Route("/admin/prova", check, methods=["GET", "POST"]),
    Route("/admin/provkor", dry_run, methods=["GET", "POST"]),
    Route("/admin/anvandare", users, methods=["GET"]),
    Route("/admin/anvandare", add, methods=["POST"]),
    Route("/admin/anvandare/{user_id:id}", account, methods=["GET"]),
    Route("/admin/anvandare/{user_id:id}/inaktivera", disable, methods=["POST"]),
    Route("/admin/anvandare/{user_id:id}/aktivera", enable, methods=["POST"]),
    Route("/admin/anvandare/{user_id:id}/losenord", password, methods=["POST"]),
    Route("/admin/anvandare/{user_id:id}/roll", role, methods=["POST"]),
]
