"""Who may do what: sign-in, roles, CSRF, the security headers, slowed guessing."""

from __future__ import annotations

from accounts.users import FREE_FAILURES, set_active
from tests.web.conftest import PASSWORD, csrf, post, sign_in


def test_anonymous_requests_go_to_the_login_page(web):
    client = web.client()
    answer = client.get("/?vy=alla", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/logga-in?next=/"


def test_signing_in_and_out(web):
    client = web.client()
    answer = sign_in(client, "staff", PASSWORD)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "secure" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "Stina Handläggare" in client.get("/").text
    post(client, "/logga-ut")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_wrong_password_says_nothing_about_the_name(web):
    client = web.client()
    wrong = sign_in(client, "staff", "fel lösenord här")
    unknown = sign_in(client, "ingen-sadan", "fel lösenord här")
    assert wrong.status_code == unknown.status_code == 401
    assert "Fel användarnamn eller lösenord." in wrong.text and "Fel användarnamn eller lösenord." in unknown.text


def test_repeated_failures_make_the_next_attempt_wait(web, clock):
    client = web.client()
    for _ in range(FREE_FAILURES):
        assert sign_in(client, "staff", "fel lösenord här").status_code == 401
    refused = sign_in(client, "staff", PASSWORD)  # even the right password must wait
    assert refused.status_code == 429 and "Försök igen om" in refused.text
    clock.advance(minutes=15)
    assert sign_in(client, "staff", PASSWORD).status_code == 303


def test_the_next_parameter_never_leaves_the_site(web):
    client = web.client()
    token = csrf(client, "/logga-in")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        answer = client.post(f"/logga-in?next={target}", data={"username": "staff", "password": PASSWORD, "csrf": token},
                             follow_redirects=False)
        assert answer.headers["location"] == "/"
        client.cookies.clear()
        token = csrf(client, "/logga-in")


def test_a_post_without_the_right_csrf_token_is_refused(web):
    client = web.signed_in("staff")
    assert client.post("/logga-ut", data={}, follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 200  # the missing token did not sign out
    client_b = web.signed_in("admin")
    foreign = csrf(client_b)
    answer = client.post("/logga-ut", data={"csrf": foreign}, follow_redirects=False)
    assert client.get("/", follow_redirects=False).status_code == 200, answer


def test_security_headers_on_every_page(web):
    for answer in (web.client().get("/logga-in"), web.signed_in().get("/")):
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"
        assert "<script>" not in answer.text  # no inline script: the CSP would block it anyway


def test_staff_get_403_on_admin_pages(web):
    assert web.signed_in("staff").get("/admin").status_code == 403
    assert web.signed_in("admin").get("/admin").status_code != 403


def test_a_disabled_account_stops_at_its_next_request(web):
    client = web.signed_in("staff")
    assert client.get("/", follow_redirects=False).status_code == 200
    with web.ctx.sessions() as session:
        set_active(session, "staff", False, actor="test")
        session.commit()
    assert client.get("/", follow_redirects=False).status_code == 303
    assert sign_in(web.client(), "staff", PASSWORD).status_code == 401


def test_failed_sign_ins_are_audited_without_the_password(web):
    from sqlalchemy import select

    from models import Event

    sign_in(web.client(), "staff", "hemligt-fel-lösen")
    with web.ctx.sessions() as session:
        events = list(session.scalars(select(Event).where(Event.action == "sign_in_failed")))
    assert len(events) == 1 and "hemligt" not in (events[0].detail or "")




def _proxied_app(web, header: str = "X-Remote-User", proxies: tuple[str, ...] = ("127.0.0.1",)):
    from web.app import create_app

    settings = web.ctx.settings.model_copy(update={"web": web.ctx.settings.web.model_copy(
        update={"trusted_user_header": header, "trusted_proxies": proxies})})
    web.ctx.settings = settings
    return create_app(web.ctx)


def test_a_trusted_proxy_may_name_the_signed_in_person(web):
    from starlette.testclient import TestClient

    app = _proxied_app(web)
    with TestClient(app, base_url="https://testserver", client=("127.0.0.1", 40000)) as client:
        answer = client.get("/", headers={"X-Remote-User": "admin"}, follow_redirects=False)
        assert answer.status_code == 200 and "Adam Admin" in answer.text
        unknown = client.get("/", headers={"X-Remote-User": "ingen"}, follow_redirects=False)
        assert unknown.status_code == 303  # a name the workspace has no account for signs no one in


def test_the_header_from_anyone_else_is_ignored(web):
    from starlette.testclient import TestClient

    app = _proxied_app(web)
    with TestClient(app, base_url="https://testserver", client=("203.0.113.9", 40000)) as client:
        assert client.get("/", headers={"X-Remote-User": "admin"}, follow_redirects=False).status_code == 303


def test_signing_out_voids_a_copied_cookie(web):
    client = web.signed_in("staff")
    copied = web.client()
    copied.cookies.update(client.cookies)
    assert copied.get("/", follow_redirects=False).status_code == 200
    post(client, "/logga-ut")
    assert copied.get("/", follow_redirects=False).status_code == 303


def test_a_new_password_voids_older_sessions(web, clock):
    from accounts.users import set_password

    client = web.signed_in("staff")
    clock.advance(minutes=1)
    with web.ctx.sessions() as session:
        set_password(session, "staff", "ett helt nytt lösenord", actor="admin", now=clock.now)
        session.commit()
    assert client.get("/", follow_redirects=False).status_code == 303
