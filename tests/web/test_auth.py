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


