"""A workspace full of hostile data, built once per database for tests/web/test_every_route.py.

Everything a person reads in the workspace comes from mail or from a colleague's form, so both are seeded with
attacks: real .eml messages (hostile headers, bodies, HTML parts and attachment names) go through the real
pipeline (ingest.poll over a folder, as the worker does), and the service functions the web and the CLI call
(cases/staff.py, cases/booking.py, accounts/users.py, digest/live.py) write the rest with hostile values.

The context is built here rather than by `make_app` (tests/conftest.py) because that fixture is function-scoped:
seeding takes seconds, and the route tests only read (or are refused), so one seed per database serves them all.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.convertors import IntegerConvertor
from starlette.routing import Route
from starlette.testclient import TestClient

from accounts.users import add_user, set_active
from cases import booking, staff
from digest.live import live_items, resolve_item
from inbox.config import Settings
from inbox.context import AppContext
from inbox.db import upgrade
from inbox.errors import InboxError
from models import Attachment, Base, Case, Contact, Message, OutboxStatus, OutgoingMail, Role, Slot, User
from tests.conftest import FakeClock
from tests.integration import mails
from tests.integration.lifecycle_support import deliver, loose_mail, org_mail
from tests.web.conftest import PASSWORD, csrf, sign_in
from tests.web.post_support import quarantined
from web.app import create_app

# -- the attacks --------------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS = "javascript:alert(1)"
SSTI = "{{7*7}}"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "faktura\u202efdp.exe" reads as "fakturaexe.pdf"
CONTROL = "".join(map(chr, (0x01, 0x02, 0x07, 0x08, 0x0B, 0x0C, 0x1B, 0x7F)))  # no NUL: mail cannot carry one
LONG = "Långnamn " * 1111 + "A"  # 10,000 characters
HOSTILE = f"{SCRIPT} {IMG} {JS} {SSTI} {RLO}gpj.exe {CONTROL}"
# What autoescape makes of the first two: proof that the payloads reached a page (and came out as text).
ESCAPED_SCRIPT = html.escape(SCRIPT, quote=False)
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def hostile_affiliation() -> bytes:
    """An affiliation with a real decision, whose every field a person reads is an attack."""
    msg = EmailMessage()
    msg["From"] = f'"{SCRIPT}" <anna.lind@koping.se>'  # (a quote in the name breaks the header: hostile_other has one)
    msg["To"] = mails.BOARD
    msg["Subject"] = f"Anslutning till jämställdhetsstrategin {SCRIPT} {IMG} {SSTI}"
    msg["Message-ID"] = "<hostile-affiliation@koping.se>"
    msg.set_content(f"Hej!\n\nKöpings kommun ansluter sig till jämställdhetsstrategin. {HOSTILE}\n\n"
                    f"Kontaktperson: Anna Lind, anna.lind@example.net, 0221-251 00\n\n<a href=\"{JS}\">klicka</a>\n")
    msg.add_alternative(f'<html><body><p>Hej</p>{SCRIPT}<img src=x onerror=alert(2)><a href="{JS}">x</a>'
                        f'<p style="color:red">{SSTI}</p></body></html>', subtype="html")
    msg.add_attachment(mails.protocol_pdf(), maintype="application", subtype="pdf", filename=f"{IMG} beslut.pdf")
    msg.add_attachment(EXE, maintype="application", subtype="pdf", filename=f"faktura{RLO}fdp.exe")
    msg.add_attachment(f"<html><body>{SCRIPT}</body></html>".encode(), maintype="text", subtype="html",
                       filename=f"{SCRIPT}.html")
    msg.add_attachment(SVG, maintype="image", subtype="svg+xml", filename="bild.svg")
    msg.add_attachment(PNG, maintype="image", subtype="png", filename=f"{SSTI} skannad.png")
    return msg.as_bytes()


def hostile_other() -> bytes:
    """Mail that is no affiliation (Övrig post) with attacks in the headers, the text, the HTML and a file name;
    written as bytes so the control characters reach the parser as a sender would send them."""
    body = f"Hej {SCRIPT} och {IMG}. Läs mer: {JS}\r\n{SSTI} {RLO}gpj.exe {CONTROL}\r\n"
    html_part = f'<p>Hej</p>{SCRIPT}<a href="{JS}">länk</a><img src=x onerror=alert(2)>'
    return (
        f'From: "{SCRIPT}" <evil@example.com>\r\nTo: "{IMG}" <{mails.BOARD}>\r\n'
        f"Subject: {IMG} {SSTI} {RLO}gpj.exe {CONTROL}\r\nMessage-ID: <hostile-other@example.com>\r\n"
        "Date: Thu, 12 Mar 2026 08:15:00 +0100\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        '--b1\r\nContent-Type: multipart/alternative; boundary="b2"\r\n\r\n'
        "--b2\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{body}\r\n--b2\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{html_part}\r\n--b2--\r\n--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        f'Content-Disposition: attachment; filename="{IMG}{RLO}fdp.exe"\r\n\r\nTVqQAAMAAAAEAAAA//8AAA==\r\n--b1--\r\n'
    ).encode()


def long_other() -> bytes:
    """A 10,000-character sender name and subject."""
    msg = EmailMessage()
    msg["From"] = f'"{LONG}" <lang@example.org>'
    msg["To"] = mails.BOARD
    msg["Subject"] = LONG
    msg["Message-ID"] = "<long-other@example.org>"
    msg.set_content(LONG + "\n")
    return msg.as_bytes()


def html_only() -> bytes:
    """An HTML-only body full of markup that must come out as text."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "info@example.org", mails.BOARD, f"Nyhetsbrev {SCRIPT}"
    msg["Message-ID"] = "<html-only@example.org>"
    msg.set_content(f'<html><head><style>body{{color:red}}</style></head><body><p>Vårens nyheter</p>{SCRIPT}'
                    f'<a href="{JS}">{IMG}</a><iframe src="{JS}"></iframe><p>{SSTI}</p></body></html>', subtype="html")
    return msg.as_bytes()


# -- the context, once per database -------------------------------------------------------------------------

def build_context(data: Path, database_url: str, clock: FakeClock) -> AppContext:
    """What `make_app` builds (tests/conftest.py), with invitations held for approval (a held row in the outbox)."""
    settings = Settings(
        service={"data_dir": str(data / "data")},
        database={"url": database_url},
        smtp={"transport": "file", "outbox_dir": str(data / "outbox")},
        replies={"invitation": "approval"},
        limits={"isolation": "inline"},  # the pipeline in this process: the pages, not the isolation, are under test
    )
    ctx = AppContext.build(settings, clock=clock)
    upgrade(ctx.engine)
    return ctx


@dataclass
class Seeded:
    """The seeded workspace: references of its cases by role, and every real id a route's path can take."""

    ctx: AppContext
    hostile_ref: str
    other_ref: str
    every: dict[str, list[str]] = field(default_factory=dict)  # path parameter -> every real value
    primary: dict[str, str] = field(default_factory=dict)  # path parameter -> one value, consistent with the others


def seed(ctx: AppContext, folder: Path) -> Seeded:
    deliver(ctx, folder, a1=hostile_affiliation(), a2=org_mail("<s1@sala.se>", "Sala kommun", "Erik Berg", "erik.berg@sala.se"),
            a3=loose_mail("<loose@gmail.com>"), o1=hostile_other(), o2=long_other(), o3=html_only())
    with ctx.sessions() as session:
        hostile_ref = _case_of(session, "<hostile-affiliation@koping.se>")
        other_ref = _case_of(session, "<s1@sala.se>")
        loose_ref = _case_of(session, "<loose@gmail.com>")
    bad = mails.affiliation(msgid="<quarantined@koping.se>", subject=f"Anslutning {SCRIPT} {IMG}")
    quarantined(ctx, bad, reason=f"ValueError: {SCRIPT} {IMG} {JS}")
    with ctx.sessions() as session:
        _by_staff(ctx, session, hostile_ref, other_ref, loose_ref)
        session.commit()
    with ctx.sessions() as session:
        _outbox_trouble(session)
        _resolve_one(ctx, session)
        session.commit()
    seeded = Seeded(ctx, hostile_ref, other_ref)
    with ctx.sessions() as session:
        _collect_ids(session, seeded)
    return seeded


def _case_of(session: Session, msgid: str) -> str:
    message = session.scalars(select(Message).where(Message.message_id == msgid)).one()
    assert message.case_id is not None, f"{msgid} made no case"
    return session.get_one(Case, message.case_id).reference


def _by_staff(ctx: AppContext, session: Session, hostile_ref: str, other_ref: str, loose_ref: str) -> None:
    """What colleagues type, through the services the forms call: every text an attack, one of them 10,000 long."""
    add_user(session, "staff", "Stina Handläggare", Role.STAFF, PASSWORD, actor="test")
    add_user(session, "admin", "Adam Admin", Role.ADMIN, PASSWORD, actor="test")
    add_user(session, "gast", HOSTILE, Role.STAFF, None, actor="test")  # the account admin POSTs act on
    add_user(session, "utloggad", "Ulla Utloggad", Role.STAFF, PASSWORD, actor="test")  # signs out in a test
    add_user(session, "lang", LONG[:255], Role.STAFF, None, actor=SCRIPT)  # the column holds 255
    add_user(session, "avstangd", f"Avstängd {IMG}", Role.STAFF, None, actor="test")
    set_active(session, "avstangd", False, actor="test", now=ctx.clock())
    hostile, other, loose = (staff.get_case(session, ref) for ref in (hostile_ref, other_ref, loose_ref))
    staff.correct_organisation(ctx, session, hostile, {"name": f"Köpings kommun {HOSTILE}"}, actor="staff")
    staff.correct_organisation(ctx, session, other, {"name": LONG}, actor="staff")
    staff.correct_contact(ctx, session, hostile, {"name": f"Anna {HOSTILE}", "title": f"{SSTI} {JS}"}, actor="staff")
    staff.correct_decision(ctx, session, hostile, {"decided_by": f"Kommunstyrelsen {HOSTILE}"}, actor="staff")
    staff.add_note(ctx, session, hostile, f"{HOSTILE}\n{LONG}", actor="staff")
    # A candidate contact to confirm or reject, as a signature the extraction was unsure of leaves one
    # (written directly, as tests/web/test_case_page.py does: no single mail reliably makes one).
    candidate = Contact(case_id=hostile.id, name=f"Karin {HOSTILE}", title=LONG, email="karin@koping.se", source="signature",
                        status="candidate", created_at=ctx.clock())
    session.add(candidate)
    session.flush()
    hostile.review = [*(hostile.review or []), {"field": "contact", "contact_id": candidate.id, "reason": "candidate"}]
    staff.set_status(ctx, session, loose, "withdrawn", actor="staff", why=HOSTILE)
    link = _accepted_link(ctx, session)
    booking.add_slot(ctx, session, datetime(2026, 3, 17, 10, tzinfo=ctx.zone), minutes=60, place=LONG[:255], link=link,
                     actor="staff")
    session.flush()
    booking.book(ctx, session, hostile, datetime(2026, 3, 18, 10, tzinfo=ctx.zone), place=HOSTILE, link=link, minutes=60,
                 actor="staff")


def _accepted_link(ctx: AppContext, session: Session) -> str:
    """A free time whose link is an attack; the link the service accepts is used for the meeting too.
    Today cases/booking accepts a javascript: link (finding F8); once it refuses one, an https link with markup."""
    at = datetime(2026, 3, 16, 10, tzinfo=ctx.zone)
    for link in (JS, f"https://example.org/{IMG}{SCRIPT}", "https://example.org/mote"):
        try:
            booking.add_slot(ctx, session, at, minutes=60, place=HOSTILE, link=link, actor="staff")
            return link
        except InboxError:
            continue
    raise AssertionError("cases/booking.add_slot accepts no link at all")


def _outbox_trouble(session: Session) -> None:
    """What a send that failed, or whose delivery is unknown, leaves in the outbox (with the server's words)."""
    rows = session.scalars(select(OutgoingMail).where(OutgoingMail.status == OutboxStatus.PENDING).order_by(OutgoingMail.id)).all()
    assert len(rows) >= 2, [row.status for row in rows]
    rows[0].status, rows[0].last_error = OutboxStatus.FAILED, f"550 {SCRIPT} {IMG} {LONG}"
    rows[1].status, rows[1].last_error = OutboxStatus.UNCERTAIN, f"421 {IMG}"


def _resolve_one(ctx: AppContext, session: Session) -> None:
    """One item of the action list marked done, with a hostile note (the start page lists it as done)."""
    reason = next(reason for item in live_items(ctx, session) for reason in item.reasons)
    resolve_item(ctx, session, reason.key, actor="staff", note=HOSTILE[:500])


def _collect_ids(session: Session, seeded: Seeded) -> None:
    def ids(model) -> list[str]:
        return [str(pk) for pk in session.scalars(select(model.id).order_by(model.id))]

    refs = list(session.scalars(select(Case.reference).order_by(Case.id)))
    hostile = session.scalars(select(Case).where(Case.reference == seeded.hostile_ref)).one()
    seeded.every = {"ref": refs, "message_id": ids(Message), "attachment_id": ids(Attachment),
                    "outbox_id": ids(OutgoingMail), "slot_id": ids(Slot), "user_id": ids(User), "contact_id": ids(Contact)}
    own_contact = session.scalars(select(Contact.id).where(Contact.case_id == hostile.id, Contact.status == "candidate")).one()
    own_reply = session.scalars(select(OutgoingMail.id).where(OutgoingMail.case_id == hostile.id).order_by(OutgoingMail.id)).first()
    gast = session.scalars(select(User.id).where(User.username == "gast")).one()
    seeded.primary = {"ref": seeded.hostile_ref, "contact_id": str(own_contact), "outbox_id": str(own_reply),
                      "message_id": seeded.every["message_id"][0], "attachment_id": seeded.every["attachment_id"][0],
                      "slot_id": seeded.every["slot_id"][0], "user_id": str(gast)}


# -- routes and their addresses -----------------------------------------------------------------------------

PUBLIC_PREFIX = "/logga-in"  # the sign-in page and the identity provider's two routes: open to anonymous people


@dataclass(frozen=True)
class Endpoint:
    """One (method, path template) of the app: `GET /arenden/{ref}`."""

    method: str
    path: str  # Route.path_format
    params: tuple[str, ...]
    numeric: tuple[str, ...] = ()  # the parameters that are {name:int}

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def public(self) -> bool:
        return self.path.startswith(PUBLIC_PREFIX)

    @property
    def admin(self) -> bool:
        return self.path == "/admin" or self.path.startswith("/admin/")

    def address(self, values: dict[str, str]) -> str:
        return self.path.format(**{name: quote(values[name], safe="") for name in self.params})

    def values_in(self, address: str) -> dict[str, str] | None:
        """The path parameters of `address` when it is this endpoint's (query string ignored), else None."""
        pattern = re.escape(self.path)
        for name in self.params:
            pattern = pattern.replace(re.escape(f"{{{name}}}"), f"(?P<{name}>[^/]+)")
        found = re.fullmatch(pattern, urlsplit(address).path)
        return {name: unquote(value) for name, value in found.groupdict().items()} if found else None


def endpoints(routes) -> list[Endpoint]:
    """Every (method, path) the app answers, HEAD left out (Starlette adds it to every GET)."""
    found = []
    for route in routes:
        if isinstance(route, Route):
            numeric = tuple(name for name, kind in route.param_convertors.items() if isinstance(kind, IntegerConvertor))
            found += [Endpoint(method, route.path_format, tuple(route.param_convertors), numeric)
                      for method in sorted(route.methods or ()) if method != "HEAD"]
    return found


def addresses(endpoint: Endpoint, seeded: Seeded, *, every: bool = False) -> list[str]:
    """The endpoint's path with real ids: one consistent set, or (`every`, one parameter) each real value."""
    missing = [name for name in endpoint.params if name not in seeded.primary]
    assert not missing, f"{endpoint}: no real value for {missing}; add them in hostile_support._collect_ids"
    if every and len(endpoint.params) == 1:
        [name] = endpoint.params
        return [endpoint.address({name: value}) for value in seeded.every[name]]
    return [endpoint.address(seeded.primary)]


# -- reading the database and the pages ---------------------------------------------------------------------

def snapshot(ctx: AppContext) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: 'nothing changed' means this is equal before and after."""
    with ctx.engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(table.select().order_by(*table.primary_key.columns))]
                for table in Base.metadata.sorted_tables}


class Markup(HTMLParser):
    """The tags of a page, for checks a regular expression would get wrong (attributes in any order or quoting)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


class Forms(HTMLParser):
    """The POST forms of a page: action -> {field: first value}, as a browser would send them unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict[str, str]] = {}
        self._fields: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._fields = self.forms.setdefault(a.get("action", ""), {}) if a.get("method", "").lower() == "post" else None
            return
        if self._fields is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "textarea":
            self._textarea = name
            self._fields.setdefault(name, "")
        elif tag == "select":
            self._select = name
        elif tag in ("input", "button") and (a.get("type") not in ("checkbox", "radio") or "checked" in a):
            self._fields.setdefault(name, a.get("value", ""))
        elif tag == "option" and self._select and (self._select not in self._fields or "selected" in a):
            self._fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._fields is not None and self._textarea:
            self._fields[self._textarea] += data


def post_forms(body: str) -> dict[str, dict[str, str]]:
    parser = Forms()
    parser.feed(body)
    parser.close()
    return parser.forms


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "xlink:href")


def page_problems(body: str) -> list[str]:
    """What would let a payload run or break the page's policy: raw payloads, event handlers, javascript: URLs,
    inline script or style. Empty for a good page."""
    problems = [f"raw {raw!r}" for raw in ("<script>alert", 'href="javascript:', "<img src=x") if raw in body]
    parsed = Markup()
    parsed.feed(body)
    parsed.close()
    for tag, attrs in parsed.tags:
        problems += [f"<{tag} {name}=...> (an event handler)" for name in attrs if name.startswith("on")]
        if "style" in attrs:
            problems.append(f"<{tag} style=...> (inline style)")
        for name in URL_ATTRIBUTES:
            value = "".join(ch for ch in (attrs.get(name) or "") if ch > " ").lower()
            if value.startswith(("javascript:", "vbscript:")):
                problems.append(f"<{tag} {name}={attrs[name]!r}>")
        if tag == "script" and not (attrs.get("src") or "").startswith("/static/"):
            problems.append(f"<script {attrs}> (only /static scripts)")
        if tag == "style":
            problems.append("<style> (inline style)")
        if tag in ("iframe", "embed", "object") and not (attrs.get("src") or attrs.get("data") or "").startswith("/bilaga/"):
            problems.append(f"<{tag} {attrs}> (only our stored documents are framed)")
    problems += [f"inline script {text[:60]!r}" for text in parsed.script_text]
    return problems


# -- signed-in clients, kept for the module ------------------------------------------------------------------

@dataclass
class Clients:
    """Module-long clients over one app: anonymous, staff and admin; each with its session's CSRF token."""

    seeded: Seeded
    database: str  # "sqlite" or "postgresql"
    made: list[TestClient] = field(default_factory=list)
    tokens: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.app = create_app(self.seeded.ctx)
        self.anonymous = self.new()
        self.staff = self.signed_in("staff")
        self.admin = self.signed_in("admin")

    def new(self) -> TestClient:
        # A 500 is an answer here (the tests report route and status), not an exception in the test.
        self.made.append(TestClient(self.app, base_url="https://testserver", raise_server_exceptions=False))
        return self.made[-1]

    def signed_in(self, username: str) -> TestClient:
        client = self.new()
        answer = sign_in(client, username, PASSWORD)
        assert answer.status_code == 303, answer.text
        return client

    def token(self, client: TestClient) -> str:
        """The session's CSRF token: fixed for a signed-in session, so read once; an anonymous session's is read
        each time (a sign-out posted with it clears that session)."""
        if client is self.anonymous:
            return csrf(client, "/logga-in")
        if id(client) not in self.tokens:
            self.tokens[id(client)] = csrf(client, "/")
        return self.tokens[id(client)]

    def close(self) -> None:
        for client in self.made:
            client.close()


def seeded_workspace(data: Path, database_url: str) -> Iterator[Clients]:
    """Build, seed and sign in; the caller's fixture yields from this."""
    ctx = build_context(data, database_url, FakeClock())
    try:
        clients = Clients(seed(ctx, data / "in"), database_url.split(":", 1)[0].split("+", 1)[0])
        try:
            yield clients
        finally:
            clients.close()
    finally:
        ctx.close()

