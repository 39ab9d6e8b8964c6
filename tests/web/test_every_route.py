"""Every route of the workspace, found from the app itself, against the refusals every route owes and hostile data.

The routes are enumerated from `web.routes.all_routes()` (what `create_app` mounts; the first test checks the
two agree), and each path parameter is filled with real ids from a seeded database (tests/web/hostile_support.py);
each POST is sent with the fields of the form a page offers for it. A route added later is covered here without
editing this file (a new kind of path parameter needs its ids in hostile_support._collect_ids). Per route:

(a) anonymous GET/POST -> 303 to /logga-in (the sign-in routes themselves excepted), nothing changed;
(b) a POST without the session's CSRF token, or with another session's -> 403, and no row of any table changed;
(c) /admin*: staff 403 (nothing changed), admin not;
(d) every page over hostile data (mail through the pipeline, staff input through the services), and the pages a
    POST renders: no payload unescaped, no event handler or javascript: URL in any tag, the CSP header, no inline
    script or style, stored files never served as something a browser runs; a GET changes nothing;
(e) an unknown id in any path parameter -> 404, never 500 (and nothing changed);
(f) junk query parameters never give 500.
The organisation's page (/anslutning/{token}, web/routes/portal.py) is public: it is left out of (a)-(f) and has
checks of its own at the end: an unknown token is 404 with no data, a POST without CSRF is 403 and changes nothing,
and junk (NUL, 10,000 characters, unicode) in the token, the query or the form never gives 500.
The database is seeded once per module and database (SQLite, PostgreSQL); the checks read, are refused, or (admin
POSTs in (c)) act on the throwaway account `gast`.

Findings of the security review have tests marked xfail(strict=True): the generic tests above where they meet one
(`known_failure`), and one test each at the end. A fixed finding makes its test pass, which strict xfail reports
as a failure: then remove the mark (or the `known_failure` entry).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from models import Case, Meeting, OutgoingMail, PortalLink, User
from portal.links import token as link_token
from tests.web.case_support import complete_case
from tests.web.conftest import CSRF, PASSWORD, post
from tests.web.hostile_support import (
    ESCAPED_IMG,
    ESCAPED_SCRIPT,
    HOSTILE,
    IMG,
    JS,
    SSTI,
    Clients,
    Endpoint,
    addresses,
    endpoints,
    hostile_affiliation,
    page_problems,
    post_forms,
    seeded_workspace,
    snapshot,
)
from web.app import create_app
from web.routes import all_routes
from web.security import CSP

ALL_ROUTES = endpoints(all_routes())
# The organisation's page: public (a personal link, no sign-in), checked by the tests at the end of this module.
PORTAL = [e for e in ALL_ROUTES if e.path.startswith("/anslutning/")]
ROUTES = [e for e in ALL_ROUTES if e not in PORTAL]
GETS = [e for e in ROUTES if e.method == "GET"]
POSTS = [e for e in ROUTES if e.method == "POST"]
PRIVATE = [e for e in ROUTES if not e.public]
ADMIN = [e for e in ROUTES if e.admin]
WITH_IDS = [e for e in ROUTES if e.params]
# The identity provider's two routes send the browser away (or 404 when no provider is configured): no page of ours.
PAGES = [e for e in GETS if not e.path.startswith("/logga-in/oidc")]
LOGIN, LOGOUT = "/logga-in", "/logga-ut"

# Query parameters any page reads, each given junk a browser, a bookmark or a person could send.
QUERY_NAMES = ("q", "status", "typ", "granskas", "bokat", "sortera", "sida", "visa", "veckor", "sok", "next", "ladda-ner",
               "tillbaka")
JUNK = {
    "brief": "sida=-1&sortera=%00&status=../../",
    "nul": "&".join(f"{name}=%00" for name in QUERY_NAMES),
    "unicode-digits": "&".join(f"{name}=%C2%B2" for name in QUERY_NAMES),  # "²": str.isdigit() says yes, int() says no
    "huge": "&".join(f"{name}=99999999999999999999999" for name in QUERY_NAMES),
    "hostile": "&".join(f"{name}=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
                        for name in QUERY_NAMES),
    "repeated": "&".join(f"{name}=1&{name}=nej&{name}=" for name in QUERY_NAMES),
    "long": "&".join(f"{name}={'a' * 20_000}" for name in ("q", "sok")),
}
# (label, value) of ids that name nothing: plausible ones, one past any database integer, a NUL, a long one.
UNKNOWN = {"int": (("unknown", "987654321"), ("huge", str(2**63))),
           "str": (("unknown", "LST-1999-99999"), ("nul", "\x00"), ("long", "ö" * 300))}


def ids(endpoints_: list[Endpoint]) -> list[str]:
    return [str(e) for e in endpoints_]


# -- findings the generic tests meet ----------------------------------------------------------------------------
# Each is a real defect found by these tests (see the review). The test that meets one is marked xfail(strict=True)
# on the databases where it fails: when it is fixed the test passes, strict xfail reports that, and the entry goes.

HUGE_ID = ("F1: an id in the path beyond the database's integer range is a 500 (SQLite OverflowError, PostgreSQL "
           "NumericValueOutOfRange) instead of 404: {name:int} matches any number of digits")
NUL_REF = ("F2: /arenden/%00... is a 500 on PostgreSQL (a NUL in the reference reaches the query) instead of 404: "
           "find_case/staff.get_case must treat a reference that cannot be one as unknown")
UNICODE_DIGITS = ("F3: '?sida=²' (/arenden, /post) and '?veckor=²' (/tider) are a 500: str.isdigit() accepts "
                  "superscript digits, int() then raises ValueError")
HUGE_PAGE = "F4: /post?sida=<23 digits> is a 500: the page number is unbounded and overflows the SQL OFFSET"


def known_failure(ws: Clients, family: str, endpoint: Endpoint, detail: str) -> str | None:
    """The finding this (test family, endpoint, parameter or junk) meets on this database, if any.
    F1-F4 are fixed (web/numbers.py, case_actions.REFERENCE_SHAPE); a new finding goes here until it is fixed."""
    return None


def expect_known(request, ws: Clients, family: str, endpoint: Endpoint, detail: str) -> None:
    reason = known_failure(ws, family, endpoint, detail)
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ws(request, tmp_path_factory) -> Iterator[Clients]:
    """The seeded workspace with its anonymous, staff and admin clients, once per database for this module."""
    data = tmp_path_factory.mktemp("every-route")
    if request.param == "sqlite":
        yield from seeded_workspace(data, f"sqlite:///{data}/inbox.db")
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield from seeded_workspace(data, server.url(name))
    finally:
        server.drop_database(name)


@pytest.fixture(scope="module")
def forms(ws: Clients) -> dict[str, dict[str, str]]:
    """Every POST form on every page (admin's view, real ids): action -> the fields a browser would send."""
    found: dict[str, dict[str, str]] = {}
    for endpoint in PAGES:
        for address in addresses(endpoint, ws.seeded, every=True):
            answer = ws.admin.get(address, follow_redirects=False)
            if answer.headers.get("content-type", "").startswith("text/html"):
                for action, fields in post_forms(answer.text).items():
                    found.setdefault(action, fields)
    return found


def form_for(forms: dict[str, dict[str, str]], address: str) -> dict[str, str]:
    """The fields the page's own form posts to `address` (CSRF token left out); none when no page has that form."""
    return {name: value for name, value in forms.get(address, {}).items() if name != "csrf"}


def offered(endpoint: Endpoint, forms: dict[str, dict[str, str]], seeded) -> tuple[dict[str, str], str, dict[str, str]]:
    """A POST as a page offers it: (path values, address, the form's fields); the seeded ids and no fields when
    no page shows a form for this endpoint (its objects are in another state)."""
    for action, fields in forms.items():
        values = endpoint.values_in(action)
        if values is not None:
            return values, action, {name: value for name, value in fields.items() if name != "csrf"}
    return seeded.primary, endpoint.address(seeded.primary), {}


def send(client: TestClient, method: str, address: str, data: dict[str, str] | None = None):
    if method == "GET":
        return client.get(address, follow_redirects=False)
    return client.post(address, data=data or {}, follow_redirects=False)


def assert_signed_in(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).status_code == 200


# -- the enumeration itself ----------------------------------------------------------------------------------


def test_the_enumeration_is_what_the_app_serves(ws):
    app = create_app(ws.seeded.ctx)
    assert endpoints(app.routes) == ALL_ROUTES
    assert [str(e) for e in PORTAL] == ["GET /anslutning/{token}", "POST /anslutning/{token}/boka",
                                        "POST /anslutning/{token}/andra-tider", "POST /anslutning/{token}/beskrivning"]
    others = [r for r in app.routes if not isinstance(r, Route)]
    assert [(type(r), r.path) for r in others] == [(Mount, "/static")]
    # the sections the brief names are all mounted (a sanity check that the enumeration is not empty)
    paths = {e.path for e in ROUTES}
    for path in ("/", "/arenden", "/arenden/{ref}", "/bilaga/{attachment_id}", "/meddelande/{message_id}", "/post",
                 "/tider", "/utkorg", "/admin", "/admin/anvandare"):
        assert path in paths, path


# -- (a) anonymous people are sent to sign in ----------------------------------------------------------------


@pytest.mark.parametrize("endpoint", PRIVATE, ids=ids(PRIVATE))
def test_anonymous_requests_go_to_the_sign_in_page(ws, forms, endpoint):
    _, address, fields = offered(endpoint, forms, ws.seeded)
    before = snapshot(ws.seeded.ctx)
    answer = send(ws.anonymous, endpoint.method, address, {**fields, "csrf": ws.token(ws.anonymous)})  # a token of its own
    assert answer.status_code == 303, (address, answer.status_code)
    assert answer.headers["location"].startswith(LOGIN), answer.headers["location"]
    assert snapshot(ws.seeded.ctx) == before


def test_the_sign_in_page_is_open_to_anonymous_people(ws):
    answer = ws.anonymous.get(LOGIN)
    assert answer.status_code == 200 and 'name="password"' in answer.text


# -- (b) CSRF --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["missing", "another-session"])
@pytest.mark.parametrize("endpoint", POSTS, ids=ids(POSTS))
def test_a_post_without_its_sessions_csrf_token_is_refused_and_changes_nothing(ws, forms, endpoint, token):
    foreign = {"csrf": ws.token(ws.staff)} if token == "another-session" else {}
    client = {LOGIN: ws.new, LOGOUT: lambda: ws.signed_in("utloggad")}.get(endpoint.path, lambda: ws.admin)()
    before = snapshot(ws.seeded.ctx)
    if endpoint.path == LOGIN:  # the right password, but not this page's token: no sign-in
        answer = client.post(LOGIN, data={"username": "admin", "password": PASSWORD, **foreign}, follow_redirects=False)
        assert answer.status_code == 403
        assert client.get("/", follow_redirects=False).status_code == 303  # still anonymous
    elif endpoint.path == LOGOUT:  # a forged sign-out must not end the person's sessions
        answer = client.post(LOGOUT, data=foreign, follow_redirects=False)
        assert answer.status_code in (303, 403)
        assert_signed_in(client)
    else:
        _, address, fields = offered(endpoint, forms, ws.seeded)
        answer = client.post(address, data={**fields, **foreign}, follow_redirects=False)
        assert answer.status_code == 403, (address, answer.status_code)
        assert answer.headers["content-security-policy"] == CSP
    assert snapshot(ws.seeded.ctx) == before


def test_the_csrf_forms_are_found_so_the_refusals_above_are_real(ws, forms):
    """The CSRF refusals post the page's own form; without them a 403 could come from an empty form."""
    missing = [str(e) for e in POSTS if not any(e.values_in(action) is not None for action in forms)]
    assert missing == [], missing
    for name in ("status", "anteckning", "kontakt", "organisation", "beslut", "aterkalla"):
        assert form_for(forms, f"/arenden/{ws.seeded.hostile_ref}/{name}"), name


# -- (c) admin pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ADMIN, ids=ids(ADMIN))
def test_admin_routes_refuse_staff_and_serve_admins(ws, endpoint):
    for address in addresses(endpoint, ws.seeded):
        before = snapshot(ws.seeded.ctx)
        answer = send(ws.staff, endpoint.method, address, {"csrf": ws.token(ws.staff)})
        assert answer.status_code == 403, (address, answer.status_code)
        assert snapshot(ws.seeded.ctx) == before
        answer = send(ws.admin, endpoint.method, address, {"csrf": ws.token(ws.admin)})
        assert answer.status_code not in (403, 500), (address, answer.status_code, answer.text[:300])


def test_staff_do_not_see_the_administration_in_the_menu(ws):
    assert 'href="/admin"' not in ws.staff.get("/").text
    assert 'href="/admin"' in ws.admin.get("/").text


# -- (d) hostile data renders as text ---------------------------------------------------------------------------


def assert_harmless(address: str, answer) -> None:
    assert answer.status_code < 500, (address, answer.status_code)
    kind = answer.headers.get("content-type", "")
    if kind.startswith("text/html"):
        assert answer.headers.get("content-security-policy") == CSP, address
        assert page_problems(answer.text) == [], address
    else:  # a stored file: never HTML, never sniffed, never running in our origin
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'none'" in answer.headers["content-security-policy"], address
        assert not kind.startswith(("text/html", "image/svg", "text/xml", "application/xhtml")), (address, kind)


@pytest.mark.parametrize("endpoint", PAGES, ids=ids(PAGES))
def test_every_page_shows_hostile_data_as_text(ws, endpoint):
    before = snapshot(ws.seeded.ctx)
    for address in addresses(endpoint, ws.seeded, every=True):
        answer = ws.admin.get(address, follow_redirects=False)
        assert answer.status_code == 200, (address, answer.status_code, answer.text[:300])
        assert_harmless(address, answer)
    assert snapshot(ws.seeded.ctx) == before  # a GET never changes anything (CSRF guards only the POSTs)


def test_the_hostile_data_reaches_the_pages(ws):
    """The checks above are only worth something if the payloads are on the pages (escaped)."""
    seeded = ws.seeded
    pages = [f"/arenden/{seeded.hostile_ref}", "/post", "/utkorg", "/tider", "/admin/anvandare", "/",
             f"/arenden?q={seeded.hostile_ref}"]
    for address in pages:
        body = ws.admin.get(address).text
        assert ESCAPED_SCRIPT in body or ESCAPED_IMG in body, address
    case_page = ws.admin.get(f"/arenden/{seeded.hostile_ref}").text
    assert SSTI in case_page  # a template expression in data is text, never evaluated
    messages = [ws.admin.get(f"/meddelande/{pk}").text for pk in seeded.every["message_id"]]
    assert sum(ESCAPED_SCRIPT in body for body in messages) >= 3


def posted_pages(ws: Clients) -> dict[str, tuple[str, dict, dict]]:
    """Pages a POST renders (not redirects): they show what was posted, or what a hostile upload holds."""
    ref = ws.seeded.hostile_ref
    return {
        "a refused sign-in": (LOGIN, {"username": HOSTILE, "password": "x"}, {}),
        "a refused free time": ("/tider/ny", {"datum": HOSTILE, "tid": "10:00", "minuter": "60", "plats": HOSTILE,
                                              "lank": HOSTILE}, {}),
        "a time to confirm": (f"/arenden/{ref}/flytta", {"tidpunkt": "2026-03-21 10:00", "plats": HOSTILE, "lank": "https://example.org/mote"}, {}),
        "a checked upload": ("/admin/prova", {}, {"fil": (f"{IMG}.eml", hostile_affiliation(), "message/rfc822")}),
        "a dry run": ("/admin/provkor", {"fran": ""}, {}),
        "a refused dialogue record": (f"/arenden/{ref}/dialog", {"motesdatum": HOSTILE, "deltagare": HOSTILE, "omrade": "upptacka-vald",
                                                                 "upptacka-vald.atar-sig": HOSTILE}, {}),
    }


@pytest.mark.parametrize("what", ["a refused sign-in", "a refused free time", "a time to confirm", "a checked upload",
                                  "a dry run", "a refused dialogue record"])
def test_pages_rendered_by_a_post_show_hostile_input_as_text(ws, what):
    address, data, files = posted_pages(ws)[what]
    client = ws.anonymous if address == LOGIN else ws.admin
    before = snapshot(ws.seeded.ctx)
    answer = client.post(address, data={**data, "csrf": ws.token(client)}, files=files or None, follow_redirects=False)
    assert answer.status_code in (200, 401, 422), (address, answer.status_code, answer.text[:300])
    assert_harmless(address, answer)
    if what != "a dry run":
        assert ESCAPED_SCRIPT in answer.text or ESCAPED_IMG in answer.text, what
    assert snapshot(ws.seeded.ctx) == before


# -- (e) unknown ids ----------------------------------------------------------------------------------------------

UNKNOWN_CASES = [(e, name, label, value) for e in WITH_IDS for name in e.params
                 for label, value in UNKNOWN["int" if name in e.numeric else "str"]]


@pytest.mark.parametrize(("endpoint", "name", "label", "value"), UNKNOWN_CASES,
                         ids=[f"{e}-{name}-{label}" for e, name, label, _ in UNKNOWN_CASES])
def test_an_unknown_id_is_404_and_changes_nothing(request, ws, forms, endpoint, name, label, value):
    expect_known(request, ws, "unknown", endpoint, label)
    values, _, fields = offered(endpoint, forms, ws.seeded) if endpoint.method == "POST" else (ws.seeded.primary, "", {})
    address = endpoint.address({**values, name: value})
    before = snapshot(ws.seeded.ctx)
    answer = send(ws.admin, endpoint.method, address, {**fields, "csrf": ws.token(ws.admin)})
    assert answer.status_code == 404, (address, answer.status_code, answer.text[:300])
    assert snapshot(ws.seeded.ctx) == before


# -- (f) junk in the query string ---------------------------------------------------------------------------------


@pytest.mark.parametrize("junk", list(JUNK))
@pytest.mark.parametrize("endpoint", PAGES, ids=ids(PAGES))
def test_junk_query_parameters_never_give_500(request, ws, endpoint, junk):
    expect_known(request, ws, "junk", endpoint, junk)
    for address in addresses(endpoint, ws.seeded):
        answer = ws.admin.get(f"{address}?{JUNK[junk]}", follow_redirects=False)
        assert answer.status_code < 500, (address, junk, answer.status_code)
        assert_harmless(address, answer)


# -- findings of the review, each a test that fails until it is fixed ------------------------------------------
# The lead: remove a mark when its finding is fixed (strict: a fixed finding makes its marked test fail).

BIDI_CONTROLS = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")


@pytest.mark.parametrize(("address", "data"), [("/tider/ny", {"datum": "x", "tid": "x", "minuter": "²"}),
                                               ("{case}/flytta", {"tid": "²"}), ("{case}/flytta", {"tidpunkt": "2026-03-16 10:00",
                                                                                                  "minuter": "²"})])
def test_a_superscript_digit_in_a_form_is_refused_not_a_500(ws, address, data):
    before = snapshot(ws.seeded.ctx)
    answer = ws.admin.post(address.format(case=f"/arenden/{ws.seeded.hostile_ref}"),
                           data={**data, "csrf": ws.token(ws.admin)}, follow_redirects=False)
    assert answer.status_code in (303, 422), answer.status_code
    assert snapshot(ws.seeded.ctx) == before


def test_mail_data_cannot_reorder_what_staff_read(ws):
    pages = [f"/meddelande/{pk}" for pk in ws.seeded.every["message_id"]] + ["/post", f"/arenden/{ws.seeded.hostile_ref}"]
    shown = {address: [c for c in BIDI_CONTROLS if c in ws.admin.get(address).text] for address in pages}
    assert {address: found for address, found in shown.items() if found} == {}


def test_a_refused_action_never_redirects_off_site(ws):
    answer = ws.admin.post("/att-gora/klar", data={"nyckel": "finns-inte", "csrf": ws.token(ws.admin)},
                           headers={"referer": "https://testserver//evil.example/"}, follow_redirects=False)
    assert answer.status_code == 303
    assert not answer.headers["location"].startswith("//"), answer.headers["location"]


def test_a_database_error_does_not_carry_personal_data_into_the_log(ws):
    with ws.seeded.ctx.engine.connect() as conn, pytest.raises(DBAPIError) as raised:
        conn.execute(text("SELECT :who FROM no_such_table"), {"who": "anna.lind@koping.se"})
    assert "anna.lind@koping.se" not in str(raised.value)


def booked_links(ctx) -> list[str | None]:
    with ctx.sessions() as session:
        return list(session.scalars(select(Meeting.link)))


def test_a_meeting_link_must_be_a_web_address(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    post(web.signed_in(), f"/arenden/{reference}/boka", {"tidpunkt": "2026-03-16 10:00", "lank": JS})
    assert JS not in booked_links(web.ctx)
    with web.ctx.sessions() as session:
        assert not [row.id for row in session.scalars(select(OutgoingMail)) if 'href="javascript:' in (row.body_html or "")]


def test_an_overlong_meeting_place_is_refused_not_a_500(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()  # it raises a server error: a 500 fails this test as an exception
    answer = post(client, f"/arenden/{reference}/boka", {"tidpunkt": "2026-03-16 10:00", "plats": "P" * 300,
                                                         "lank": "https://example.org/" + "x" * 1000})
    assert answer.status_code == 303
    assert booked_links(web.ctx) == []


def test_an_overlong_display_name_is_refused_not_a_500(web):
    client = web.signed_in("admin")
    answer = post(client, "/admin/anvandare", {"anvandarnamn": "lang2", "namn": "N" * 300, "roll": "staff",
                                               "losenord": PASSWORD}, form_page="/admin/anvandare")
    assert answer.status_code == 303
    with web.ctx.sessions() as session:
        assert session.scalar(select(User).where(User.username == "lang2")) is None


# -- the organisation's page: public routes -------------------------------------------------------------------

PORTAL_POSTS = [e for e in PORTAL if e.method == "POST"]
# Tokens that name no link: well-formed but unknown, a bad check, no shape at all, a NUL, 10,000 characters, unicode.
UNKNOWN_TOKENS = {"unknown": f"987654321-{'0' * 32}", "bad-check": "CHECK", "shape": "1_2", "nul": "1-%00",
                  "long": "9" * 10_000, "unicode": "ä²-\u202e" + "ö" * 40}
JUNK_FIELDS = {"nul": "a\x00b", "long": "Å" * 10_000, "unicode": "\u202e²\U0001f600 <script>alert(1)</script>"}


@pytest.fixture(scope="module")
def portal_token(ws: Clients) -> str:
    """The token of the hostile case's link (made when its meeting was booked: the confirmation carries it)."""
    with ws.seeded.ctx.sessions() as session:
        case = session.scalars(select(Case).where(Case.reference == ws.seeded.hostile_ref)).one()
        link = session.scalars(select(PortalLink).where(PortalLink.case_id == case.id)).one()
        return link_token(ws.seeded.ctx, link)


def public_client(ws: Clients) -> TestClient:
    """An anonymous client on an app of its own: its failed look-ups (web/public.py) count for this test only."""
    client = TestClient(create_app(ws.seeded.ctx), base_url="https://testserver", raise_server_exceptions=False)
    ws.made.append(client)
    return client


def portal_address(endpoint: Endpoint, token: str) -> str:
    return endpoint.path.replace("{token}", token)


def public_csrf(client: TestClient, token: str) -> str:
    found = CSRF.search(client.get(f"/anslutning/{token}").text)
    assert found, "no CSRF token on the organisation's page"
    return found.group(1)


def assert_nothing_of_the_case(ws: Clients, body: str) -> None:
    assert ws.seeded.hostile_ref not in body and "Köpings kommun" not in body and ESCAPED_SCRIPT not in body


@pytest.mark.parametrize("label", list(UNKNOWN_TOKENS))
@pytest.mark.parametrize("endpoint", PORTAL, ids=ids(PORTAL))
def test_every_public_route_answers_an_unknown_token_with_404_and_no_data(ws, portal_token, endpoint, label):
    client = public_client(ws)
    csrf_token = public_csrf(client, portal_token)
    token = UNKNOWN_TOKENS[label].replace("CHECK", portal_token[:-1] + ("1" if portal_token[-1] == "0" else "0"))
    before = snapshot(ws.seeded.ctx)
    answer = send(client, endpoint.method, portal_address(endpoint, token), {"csrf": csrf_token, "tid": "1", "gor:": "x"})
    assert answer.status_code == 404, (label, answer.status_code, answer.text[:300])
    assert answer.headers["content-security-policy"] == CSP and page_problems(answer.text) == []
    assert_nothing_of_the_case(ws, answer.text)
    assert snapshot(ws.seeded.ctx) == before


@pytest.mark.parametrize("token", ["missing", "another-session"])
@pytest.mark.parametrize("endpoint", PORTAL_POSTS, ids=ids(PORTAL_POSTS))
def test_a_public_post_without_its_sessions_csrf_token_is_refused_and_changes_nothing(ws, portal_token, endpoint, token):
    client, other = public_client(ws), public_client(ws)
    public_csrf(client, portal_token)  # the client has a session (and a token) of its own
    foreign = {"csrf": public_csrf(other, portal_token)} if token == "another-session" else {}
    before = snapshot(ws.seeded.ctx)
    answer = client.post(portal_address(endpoint, portal_token), data={"tid": "1", "onskemal": "x", "gor:": "x", **foreign},
                         follow_redirects=False)
    assert answer.status_code == 403, answer.status_code
    assert answer.headers["content-security-policy"] == CSP
    assert_nothing_of_the_case(ws, answer.text)
    assert snapshot(ws.seeded.ctx) == before


def test_the_public_page_is_open_to_anonymous_people_and_shows_no_staff_data(ws, portal_token):
    answer = public_client(ws).get(f"/anslutning/{portal_token}")
    assert answer.status_code == 200 and answer.headers["content-security-policy"] == CSP
    assert page_problems(answer.text) == []
    assert 'href="/arenden' not in answer.text and "Logga ut" not in answer.text and 'href="/admin' not in answer.text
    assert "anteckning" not in answer.text.lower() and "karin" not in answer.text.lower()  # no notes, no other contacts


@pytest.mark.parametrize("junk", list(JUNK_FIELDS))
@pytest.mark.parametrize("endpoint", PORTAL, ids=ids(PORTAL))
def test_junk_in_a_public_form_or_query_never_gives_500(ws, portal_token, endpoint, junk):
    client = public_client(ws)
    value = JUNK_FIELDS[junk]
    if endpoint.method == "GET":
        answer = client.get(f"/anslutning/{portal_token}", params={"tid": value})
    else:
        fields = {"tid": value, "onskemal": value, "gor:": value, "gor:upptacka-vald": value, f"bidra:{value}": value}
        answer = client.post(portal_address(endpoint, portal_token), data={**fields, "csrf": public_csrf(client, portal_token)},
                             follow_redirects=False)
    assert answer.status_code in (200, 303, 422), (junk, answer.status_code, answer.text[:300])
    if answer.headers.get("content-type", "").startswith("text/html"):
        assert page_problems(answer.text) == []
