"""Microsoft 365 without Basic auth: the Entra ID app's sign-in (MSAL), IMAP and SMTP XOAUTH2, Graph sendMail.

Everything runs on loopback for real: MSAL's own code path against an HTTPS stand-in for Entra ID
(tests/servers/microsoft.py: tenant discovery, client secret or signed assertion, Entra ID's
error JSON), IMAP XOAUTH2 against Dovecot (which takes its passwd-file password as a static
token, so the stand-in issues exactly that), SMTP XOAUTH2 against aiosmtpd with an XOAUTH2
handler that checks the token, and sendMail against a Graph stand-in that checks method, path,
token, content type and the base64 MIME. Outbox tests run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta
from email.utils import make_msgid

import pytest
from sqlalchemy import select

from inbox.config import ImapConfig
from inbox.errors import SourceError
from ingest.sources import ImapSource
from mailauth.login import GRAPH_SCOPE, MAIL_SCOPE, imap_use
from mailauth.microsoft import check, tokens_for
from mailauth.tokens import TokenError
from models import Case, CaseStatus, Event, Organisation, OutboxStatus, OutgoingMail
from replies.compose import compose, wire_bytes
from replies.send import send_due
from tests.servers.dovecot import DovecotServer
from tests.servers.microsoft import Answer, GraphServer, TokenServer, fake_jwt, self_signed, sha1_thumbprint
from tests.servers.smtp import SmtpServer

pytestmark = pytest.mark.integration

TENANT = "3f1c1e2a-1111-4222-8333-444455556666"
CLIENT = "9a8b7c6d-aaaa-4bbb-8ccc-ddddeeeeffff"
SECRET = "Q7x8Q~the-secret-value"
SECRET_ENV = "TEST_MS_CLIENT_SECRET"
MAILBOX = "vastmanland@lansstyrelsen.se"
GRAPH_TOKEN = "graph-token-with-mail-send"


@pytest.fixture
def entra(monkeypatch) -> Iterator[TokenServer]:
    """Entra ID for the board's tenant and app; the mail token is Dovecot's static XOAUTH2 token."""
    monkeypatch.setenv(SECRET_ENV, SECRET)
    server = TokenServer(tenant=TENANT, client_id=CLIENT, secret=SECRET,
                         tokens={MAIL_SCOPE: DovecotServer.password, GRAPH_SCOPE: GRAPH_TOKEN}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def app_certificate(tmp_path_factory) -> tuple:
    """The app's certificate credential: (certificate, private key), as uploaded to Entra ID and kept by the service."""
    return self_signed(tmp_path_factory.mktemp("app-cert"), "app")


def sign_in(entra: TokenServer, **overrides) -> dict:
    return {"tenant_id": TENANT, "client_id": CLIENT, "client_secret_env": SECRET_ENV, "authority": entra.url,
            "authority_cafile": str(entra.cafile), **overrides}


def imap_source(imap: DovecotServer, entra: TokenServer, **overrides) -> ImapSource:
    config = ImapConfig(host=imap.host, port=imap.imap_port, tls="none", user=imap.user, auth="microsoft", **sign_in(entra, **overrides))
    return ImapSource(config, account="test")


def login_error(imap, entra, **overrides) -> str:
    with pytest.raises(SourceError) as caught:
        with imap_source(imap, entra, **overrides):
            pass
    return str(caught.value)


# -- IMAP: the app's token, cached and renewed by MSAL ---------------------------------------------

def test_imap_signs_in_with_a_token_entra_id_issued_for_the_client_secret(imap, entra):
    with imap_source(imap, entra) as source:
        assert source.uidvalidity == imap.uidvalidity("INBOX")
    [request] = entra.requests
    assert request.tenant == TENANT
    assert request.form["grant_type"] == "client_credentials"
    assert request.form["client_id"] == CLIENT
    assert request.form["client_secret"] == SECRET
    assert request.form["scope"] == MAIL_SCOPE


def test_the_token_is_reused_for_the_next_login_while_it_has_more_than_five_minutes(imap, entra):
    for _poll in range(3):
        with imap_source(imap, entra):
            pass
    assert len(entra.requests) == 1


def test_a_token_with_less_than_five_minutes_left_is_renewed_before_the_login(imap, entra):
    entra.expires_in = 240  # MSAL treats a token with under 300 s left as expired
    for _poll in range(2):
        with imap_source(imap, entra):
            pass
    assert len(entra.requests) == 2


def test_a_certificate_signs_the_request_instead_of_a_secret(imap, app_certificate, monkeypatch):
    cert, key = app_certificate
    monkeypatch.delenv(SECRET_ENV, raising=False)
    entra = TokenServer(tenant=TENANT, client_id=CLIENT, certificate=cert, tokens={MAIL_SCOPE: imap.password}).start()
    try:
        with imap_source(imap, entra, certificate_thumbprint=sha1_thumbprint(cert), private_key_file=key) as source:
            assert source.uidvalidity > 0
        [request] = entra.requests  # the server verified signature, x5t, audience and issuer
        assert "client_secret" not in request.form
        assert request.form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    finally:
        entra.stop()


def test_a_certificate_entra_id_does_not_hold_is_refused_with_the_fix(imap, app_certificate, tmp_path, monkeypatch):
    registered, _key = app_certificate
    other_cert, other_key = self_signed(tmp_path, "other")
    entra = TokenServer(tenant=TENANT, client_id=CLIENT, certificate=registered, tokens={MAIL_SCOPE: imap.password}).start()
    try:
        message = login_error(imap, entra, certificate_thumbprint=sha1_thumbprint(other_cert), private_key_file=other_key)
    finally:
        entra.stop()
    assert message.startswith("[source.imap] certificate_thumbprint, private_key_file: ")
    assert "upload the certificate" in message and "AADSTS700027" in message


# -- sign-in errors: one line naming the key and the fix ------------------------------------------------

def test_a_wrong_client_secret_names_the_variable_and_the_fix(imap, entra, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "the-secret-id-not-its-value")
    message = login_error(imap, entra)
    assert message.startswith("[source.imap] client_secret_env: Entra ID refused the client secret in $TEST_MS_CLIENT_SECRET")
    assert "Value" in message and "not its Secret ID" in message and message.endswith("(Entra ID: AADSTS7000215)")
    assert "Trace ID" not in message and "Correlation" not in message and "\n" not in message


def test_an_unknown_tenant_names_tenant_id(imap, entra):
    message = login_error(imap, entra, tenant_id="0b0b0b0b-0000-4000-8000-000000000000")
    assert message.startswith("[source.imap] tenant_id: Entra ID has no tenant '0b0b0b0b-0000-4000-8000-000000000000'")
    assert message.endswith("(Entra ID: AADSTS90002)")


def test_an_unknown_app_names_client_id_and_tenant_id(imap, entra):
    message = login_error(imap, entra, client_id="11111111-2222-4333-8444-555555555555")
    assert message.startswith("[source.imap] client_id, tenant_id: Entra ID knows no app 11111111-2222-4333-8444-555555555555")
    assert message.endswith("(Entra ID: AADSTS700016)")


def test_a_token_endpoint_that_is_down_names_the_authority(imap, entra):
    entra.stop()
    message = login_error(imap, entra)
    assert message.startswith(f"[source.imap] authority: cannot reach the Microsoft sign-in at {entra.url}/{TENANT}")
    assert "Connection refused" in message


def test_an_untrusted_sign_in_certificate_names_authority_cafile(imap, entra):
    message = login_error(imap, entra, authority_cafile=None)
    assert message.startswith("[source.imap] authority_cafile: TLS with the Microsoft sign-in")
    assert "CERTIFICATE_VERIFY_FAILED" in message


def test_a_missing_client_secret_names_the_variable(imap, entra, monkeypatch):
    monkeypatch.delenv(SECRET_ENV)
    assert "set the environment variable TEST_MS_CLIENT_SECRET ([source.imap] client_secret_env)" in login_error(imap, entra)
    assert entra.requests == []


# -- a good token refused by the mail server --------------------------------------------------------------

@pytest.fixture
def refusing_dovecot() -> Iterator[DovecotServer]:
    """A Dovecot of its own per test: after a refused login Dovecot delays the next one from the same address."""
    server = DovecotServer().start()
    yield server
    server.stop()


def test_a_token_with_the_permission_but_no_mailbox_grant_names_add_mailboxpermission(refusing_dovecot, entra):
    entra.tokens[MAIL_SCOPE] = fake_jwt(aud="https://outlook.office365.com", roles=["IMAP.AccessAsApp"])
    message = login_error(refusing_dovecot, entra)
    assert message.startswith(f"[source.imap] user: {refusing_dovecot.host} refused the login of 'inbox'")
    assert "the token carries IMAP.AccessAsApp" in message
    assert f"New-ServicePrincipal -AppId {CLIENT}" in message
    assert "Add-MailboxPermission -Identity inbox -User <that Object ID> -AccessRights FullAccess" in message


def test_a_token_without_imap_access_as_app_names_the_permission_and_consent(refusing_dovecot, entra):
    entra.tokens[MAIL_SCOPE] = fake_jwt(aud="https://outlook.office365.com", roles=[])
    message = login_error(refusing_dovecot, entra)
    assert "[source.imap] client_id: the app's token carries no IMAP.AccessAsApp" in message
    assert "Office 365 Exchange Online" in message and "admin consent" in message


def test_a_refused_token_is_not_offered_again(refusing_dovecot, entra):
    """Permissions granted to fix a refusal reach only new tokens: the next login asks Entra ID again."""
    entra.tokens[MAIL_SCOPE] = fake_jwt(roles=[])
    source = imap_source(refusing_dovecot, entra)
    with pytest.raises(SourceError):
        source.__enter__()
    assert not tokens_for(imap_use(source.config, source.config.user).login).token(MAIL_SCOPE).from_cache
    assert len(entra.requests) == 2


# -- the check `inbox doctor` runs --------------------------------------------------------------------------

def test_check_names_the_sign_in_and_the_permission_the_token_carries(imap, entra):
    entra.tokens[MAIL_SCOPE] = fake_jwt(roles=["IMAP.AccessAsApp", "SMTP.SendAsApp"])
    use = imap_use(ImapConfig(auth="microsoft", user=imap.user, **sign_in(entra)), imap.user)
    line = check(use)
    assert line == (f"IMAP: app {CLIENT} signed in to tenant {TENANT} (client secret); a token with IMAP.AccessAsApp, valid 59 min")


def test_check_fails_when_the_token_lacks_the_permission(imap, entra):
    entra.tokens[MAIL_SCOPE] = fake_jwt(roles=["SMTP.SendAsApp"])
    use = imap_use(ImapConfig(auth="microsoft", user=imap.user, **sign_in(entra)), imap.user)
    with pytest.raises(TokenError, match="carries no IMAP.AccessAsApp"):
        check(use)
    assert not tokens_for(use.login).token(MAIL_SCOPE).from_cache  # the failed check dropped the token


# -- sending: the outbox over SMTP XOAUTH2 and Graph (SQLite and PostgreSQL) -------------------------------

def queue(app, replies: int = 2) -> list[int]:
    """One case with `replies` replies pending, each to its own address."""
    with app.sessions() as session:
        case = Case(reference="JS-2026-0001", status=CaseStatus.INVITED, organisation=Organisation(name="Förening Ett", type="civilsamhalle"),
                    sender="info@forening.se", missing=[])
        session.add(case)
        session.flush()
        rows = [OutgoingMail(case_id=case.id, template="acknowledgement", recipients=[f"kontakt{k}@forening.se"],
                             subject=f"Tack för er anslutning {k} [{case.reference}]", body_text="Hej!\nVi har tagit emot er anslutning.\n",
                             created_at=app.clock(), message_id=make_msgid(idstring=f"ms-{k}", domain="lansstyrelsen.se"))
                for k in range(replies)]
        session.add_all(rows)
        session.commit()
        return [row.id for row in rows]


def rows(app) -> list[OutgoingMail]:
    with app.sessions() as session:
        return list(session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def alarms(app) -> list[Event]:
    with app.sessions() as session:
        return list(session.scalars(select(Event).where(Event.action == "service_alarm")))


def case_status(app) -> CaseStatus:
    with app.sessions() as session:
        return session.scalars(select(Case.status)).one()


@pytest.fixture
def oauth_smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(user=MAILBOX, oauth_token=DovecotServer.password).start()
    yield server
    server.stop()


def smtp_app(make_app, server: SmtpServer, entra: TokenServer):
    return make_app(smtp={"transport": "smtp", "host": server.host, "port": server.port, "tls": "none", "user": MAILBOX,
                          "auth": "microsoft", **sign_in(entra)})


def test_replies_leave_over_smtp_with_the_apps_token(make_app, oauth_smtp, entra):
    app = smtp_app(make_app, oauth_smtp, entra)
    queue(app)
    report = send_due(app)
    assert (report.sent, report.error) == (2, None)
    assert oauth_smtp.oauth_logins == [MAILBOX, MAILBOX]  # one SMTP connection per reply ...
    assert [r.form["scope"] for r in entra.requests] == [MAIL_SCOPE]  # ... one token for both
    assert sorted(m.rcpt_tos[0] for m in oauth_smtp.messages) == ["kontakt0@forening.se", "kontakt1@forening.se"]


def test_a_refused_smtp_token_stops_sending_and_names_the_fix(make_app, entra):
    server = SmtpServer(user=MAILBOX, oauth_token="a-token-exchange-would-accept").start()
    try:
        app = smtp_app(make_app, server, entra)
        queue(app)
        report = send_due(app)
    finally:
        server.stop()
    assert (report.sent, report.deferred) == (0, 1)
    assert report.error.startswith(f"SMTP server {server.host}:{server.port} refused the app's token for {MAILBOX}: 535 5.7.3")
    assert "check that the app has SMTP.SendAsApp with admin consent" in report.error
    assert f"Set-CASMailbox -Identity {MAILBOX} -SmtpClientAuthenticationDisabled $false" in report.error
    assert [(r.status, r.attempts) for r in rows(app)] == [(OutboxStatus.PENDING, 0)] * 2
    assert len(alarms(app)) == 1


@pytest.fixture
def graph() -> Iterator[GraphServer]:
    server = GraphServer(token=GRAPH_TOKEN, mailbox=MAILBOX).start()
    yield server
    server.stop()


def graph_app(make_app, graph: GraphServer, entra: TokenServer, *, source: dict | None = None, **smtp):
    smtp = {"transport": "graph", "graph_base_url": graph.base_url, "cafile": str(graph.cafile), **sign_in(entra), **smtp}
    return make_app(smtp=smtp, **({"source": source} if source else {}))


def test_graph_sends_each_reply_as_its_exact_mime_once(make_app, graph, entra):
    app = graph_app(make_app, graph, entra)
    queue(app)
    assert send_due(app).sent == 2
    assert send_due(app).sent == 0
    assert len(graph.requests) == 2
    with app.sessions() as session:
        sent = list(session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))
        for request, row in zip(graph.requests, sent, strict=True):
            assert request.method == "POST"
            assert request.path == f"/v1.0/users/{MAILBOX}/sendMail"
            assert request.headers["Authorization"] == f"Bearer {GRAPH_TOKEN}"
            assert request.headers["Content-Type"] == "text/plain"
            assert base64.b64decode(request.body, validate=True) == wire_bytes(compose(row, app.settings))
            assert row.status is OutboxStatus.SENT
            assert row.transport_detail.startswith("202 accepted by Microsoft Graph (request-id req-")
    assert [r.form["scope"] for r in entra.requests] == [GRAPH_SCOPE]
    assert [m.message["To"] for m in graph.mails] == ["kontakt0@forening.se", "kontakt1@forening.se"]


@pytest.mark.parametrize(("status", "code"), [(429, "ApplicationThrottled"), (503, "ServiceUnavailable")])
def test_graph_throttling_defers_the_reply_which_leaves_once_later(make_app, graph, entra, clock, status, code):
    app = graph_app(make_app, graph, entra)
    queue(app, replies=1)
    graph.answers.append(Answer(status, (code, "Too many requests, slow down."), {"Retry-After": "30"}))
    report = send_due(app)
    [row] = rows(app)
    assert (report.deferred, report.error) == (1, None)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.next_attempt_at == clock.now + timedelta(seconds=60)  # the reply's own back-off
    assert f"({status} {code}: Too many requests, slow down.); Graph asks us to wait 30 s" in row.last_error
    assert alarms(app) == [] and graph.mails == []
    clock.advance(seconds=61)
    assert send_due(app).sent == 1
    assert len(graph.mails) == 1


def test_graph_refusing_the_message_fails_it_for_good(make_app, graph, entra):
    app = graph_app(make_app, graph, entra)
    queue(app, replies=1)
    graph.answers.append(Answer(400, ("ErrorMimeContentInvalid", "The MIME content is invalid.")))
    assert send_due(app).failed == 1
    [row] = rows(app)
    assert row.status is OutboxStatus.FAILED
    assert row.last_error == "Microsoft Graph refused the reply: 400 ErrorMimeContentInvalid: The MIME content is invalid."
    assert case_status(app) is CaseStatus.NEEDS_REVIEW


def test_graph_refusing_the_token_stops_sending_and_names_mail_send(make_app, entra):
    graph = GraphServer(token="another-token", mailbox=MAILBOX).start()
    try:
        app = graph_app(make_app, graph, entra)
        queue(app)
        report = send_due(app)
    finally:
        graph.stop()
    assert (report.sent, report.deferred) == (0, 1)
    assert report.error.startswith(f"Microsoft Graph refused the app's token for {MAILBOX} (401 InvalidAuthenticationToken")
    assert "check that the app has Mail.Send" in report.error and "Test-ApplicationAccessPolicy" in report.error
    assert [(r.status, r.attempts) for r in rows(app)] == [(OutboxStatus.PENDING, 0)] * 2
    assert len(alarms(app)) == 1


def test_graph_out_of_reach_is_an_outage_and_no_reply_is_charged(make_app, graph, entra):
    app = graph_app(make_app, graph, entra)
    queue(app)
    graph.stop()
    report = send_due(app)
    assert report.error.startswith(f"cannot reach Microsoft Graph at {graph.base_url} (Connection refused)")
    assert [(r.status, r.attempts) for r in rows(app)] == [(OutboxStatus.PENDING, 0)] * 2
    assert len(alarms(app)) == 1


@pytest.mark.parametrize("answer", [Answer(then="drop"), Answer(then="hang"), Answer(504, ("GatewayTimeout", "Gateway timed out."), sends=True)],
                         ids=["connection-dropped", "no-answer", "gateway-timeout"])
def test_a_reply_graph_took_without_a_clear_answer_is_uncertain_and_not_sent_again(make_app, graph, entra, answer):
    app = graph_app(make_app, graph, entra, timeout_seconds=1)
    queue(app, replies=1)
    graph.answers.append(answer)
    report = send_due(app)
    [row] = rows(app)
    assert (report.uncertain, row.status) == (1, OutboxStatus.UNCERTAIN)
    assert "it may have left" in row.last_error
    assert send_due(app).sent == 0
    assert len(graph.mails) == 1


def test_an_uncertain_graph_reply_is_found_in_sent_items_and_marked_sent(make_app, imap, entra, clock, monkeypatch):
    """Graph files what it sends in Sent Items; the usual look-up there settles the doubt."""
    graph = GraphServer(token=GRAPH_TOKEN, mailbox=MAILBOX, file=lambda mime: imap.append(mime, "Sent Items")).start()
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap.password)
    try:
        source = {"kind": "imap", "imap": {"host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user,
                                           "password_env": "TEST_IMAP_PASSWORD"}}
        app = graph_app(make_app, graph, entra, source=source, sent_folder="Sent Items")
        queue(app, replies=1)
        graph.answers.append(Answer(then="drop"))
        assert send_due(app).uncertain == 1
        clock.advance(minutes=app.settings.smtp.claim_timeout_minutes + 1)
        report = send_due(app)
    finally:
        graph.stop()
    [row] = rows(app)
    assert (report.confirmed, report.sent, row.status) == (1, 0, OutboxStatus.SENT)
    assert "its copy is in 'Sent Items'" in row.transport_detail
    assert len(graph.mails) == 1 and len(imap.uids("Sent Items")) == 1
