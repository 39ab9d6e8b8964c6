"""/admin: the rules, a test check of an uploaded .eml (in a child process), a rules dry run, accounts.
Admins only; every account change is an audited event with the admin as actor."""

from __future__ import annotations

import signal
from email.message import EmailMessage
from pathlib import Path

import pytest

from accounts.users import set_role
from ingest.extract import DEFAULT_STEPS
from ingest.poll import poll_once
from ingest.sources import DirectorySource
from models import Role
from tests.hostile.children import KillNextChild
from tests.integration import mails
from tests.web.admin_support import HOSTILE, assert_escaped, events, followed, send, web_for
from tests.web.conftest import PASSWORD, csrf, sign_in

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "mail"
GET_PAGES = ("/admin", "/admin/prova", "/admin/provkor", "/admin/anvandare", "/admin/anvandare/1")
POSTS = ("/admin/prova", "/admin/provkor", "/admin/anvandare", "/admin/anvandare/1/inaktivera", "/admin/anvandare/1/aktivera",
         "/admin/anvandare/1/losenord", "/admin/anvandare/1/roll")


def user_id(web, username: str) -> int:
    from accounts.users import get_user

    with web.ctx.sessions() as session:
        return get_user(session, username).id


# -- who may ---------------------------------------------------------------------------------------------------------

def test_anonymous_requests_go_to_the_login_page(web):
    client = web.client()
    for path in GET_PAGES:
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/logga-in?next=/admin"), path


def test_staff_get_403_on_every_admin_page_and_action(web):
    client = web.signed_in("staff")
    for path in GET_PAGES:
        answer = client.get(path)
        assert answer.status_code == 403 and "Sidan är till för administratörer." in answer.text, path
    token = csrf(client, "/admin")  # the refusal page carries the sign-out form and its token
    for path in POSTS:
        assert client.post(path, data={"csrf": token, "roll": "admin", "losenord": "x" * 20}).status_code == 403, path
    assert events(web.ctx, "user_role_set") == [] and events(web.ctx, "user_disabled") == []
    assert 'href="/admin"' not in client.get("/admin").text  # not in the menu either


def test_posts_without_the_csrf_token_are_refused(web):
    client = web.signed_in("admin")
    staff = user_id(web, "staff")
    for path in (*POSTS[:3], f"/admin/anvandare/{staff}/inaktivera", f"/admin/anvandare/{staff}/roll"):
        assert client.post(path, data={"anvandarnamn": "ny", "roll": "admin"}).status_code == 403, path
    assert events(web.ctx, "user_disabled") == [] and events(web.ctx, "user_added") == [("test", "staff (staff)"),
                                                                                        ("test", "admin (admin)")]


def test_an_unknown_account_is_404(web):
    client = web.signed_in("admin")
    assert client.get("/admin/anvandare/9999").status_code == 404
    assert send(client, "/admin/anvandare/9999/inaktivera", form_page="/admin/anvandare").status_code == 404


# -- rules -----------------------------------------------------------------------------------------------------------

def test_the_rules_page_lists_what_rules_list_shows(web):
    page = web.signed_in("admin").get("/admin")
    assert page.status_code == 200
    for name in ("affiliation_subject", "subject_pattern", *DEFAULT_STEPS):
        assert f"<code>{name}</code>" in page.text, name
    assert 'aria-current="page">Regler' in page.text


# -- /admin/prova ----------------------------------------------------------------------------------------------------

def upload(client, raw: bytes, name: str = "prov.eml"):
    return client.post("/admin/prova", data={"csrf": csrf(client, "/admin/prova")}, files={"fil": (name, raw, "message/rfc822")},
                       follow_redirects=False, headers={"referer": "https://testserver/admin/prova"})


def test_an_uploaded_affiliation_is_shown_field_by_field_with_confidence_and_reasons(web):
    raw = (EXAMPLES / "01-vasteras-stad-outlook.eml").read_bytes()
    page = upload(web.signed_in("admin"), raw, "01-vasteras-stad-outlook.eml")
    assert page.status_code == 200, page.text
    assert "Resultat för 01-vasteras-stad-outlook.eml" in page.text
    assert "<dt>Sorteras som</dt><dd>Anslutning</dd>" in page.text
    assert "Västerås stad" in page.text and "Kommun" in page.text
    assert 'id="falt-decision-paragraph"' in page.text and "§ 62" in page.text and "KS 2024/00318" in page.text
    assert " %</td>" in page.text  # confidences
    assert "affiliation" in page.text.split('id="check-reasons"')[1]  # the rule that matched
    assert list((web.ctx.data_dir / "tmp").iterdir()) == []  # the upload is not kept


def test_the_check_runs_in_a_child_process_whose_crash_ends_only_itself(web):
    client = web.signed_in("admin")
    raw = (EXAMPLES / "01-vasteras-stad-outlook.eml").read_bytes()
    with KillNextChild(signal.SIGKILL):  # a native crash in a parser, simulated from outside
        page = upload(client, raw)
    assert page.status_code == 200
    assert "Kontrollen avbröts: processen slutade utan resultat" in page.text
    assert "Västerås stad" not in page.text
    assert "Västerås stad" in upload(client, raw).text  # the web process is unharmed


def test_hostile_names_and_subjects_in_an_upload_are_escaped(web):
    msg = EmailMessage()
    msg["From"], msg["To"] = f'"{HOSTILE}" <x@example.se>', mails.BOARD
    msg["Subject"], msg["Message-ID"] = f"Anslutning till jämställdhetsstrategin {HOSTILE}", "<hostile@example.se>"
    msg.set_content(f"Hej! Vi ansluter oss.\n\nKontaktperson: {HOSTILE}\n")
    page = upload(web.signed_in("admin"), msg.as_bytes(), f"{HOSTILE}.eml")
    assert page.status_code == 200
    assert_escaped(page.text)


def test_an_empty_or_missing_file_is_refused_in_swedish(web):
    client = web.signed_in("admin")
    assert "Filen är tom." in followed(client, upload(client, b""))
    answer = send(client, "/admin/prova", form_page="/admin/prova")
    assert "Välj en fil (.eml) att prova." in followed(client, answer)


def test_an_upload_over_the_limit_is_refused_before_it_is_read(make_app):
    clients: list = []
    web = web_for(make_app(web={"max_upload_mb": 1}), clients)
    client = web.signed_in("admin")
    answer = upload(client, b"x" * (1024 * 1024 + 1))
    assert answer.status_code == 413
    assert not (web.ctx.data_dir / "tmp").exists() or list((web.ctx.data_dir / "tmp").iterdir()) == []
    for made in clients:
        made.close()


# -- /admin/provkor --------------------------------------------------------------------------------------------------

@pytest.fixture
def examples_then_tuned(make_app):
    """The examples processed with every step, then a workspace whose config drops the signature step."""
    app = make_app(limits={"isolation": "inline"})
    poll_once(app, DirectorySource(EXAMPLES))
    tuned = make_app(extract={"steps": [s for s in DEFAULT_STEPS if s != "contact_signature"]})
    tuned.engine.dispose()
    tuned.engine, tuned.sessions = app.engine, app.sessions  # an admin changed the config; same database
    clients: list = []
    yield web_for(tuned, clients)
    for made in clients:
        made.close()


def test_a_dry_run_lists_what_would_change_and_writes_nothing(examples_then_tuned):
    web = examples_then_tuned
    client = web.signed_in("admin")
    assert "Provkör reglerna</button>" in client.get("/admin/provkor").text
    page = send(client, "/admin/provkor", {"fran": ""}, form_page="/admin/provkor")
    assert page.status_code == 200, page.text
    messages = len(list(EXAMPLES.glob("*.eml")))
    assert f"Lästa meddelanden: {messages}." in page.text
    assert "kontaktpersonens" in page.text and 'id="differences"' in page.text
    again = send(client, "/admin/provkor", {"fran": ""}, form_page="/admin/provkor")
    assert page.text.split("Resultat")[1].split("</p>")[0] == again.text.split("Resultat")[1].split("</p>")[0]  # nothing written


def test_a_dry_run_since_a_later_date_reads_nothing_and_a_bad_date_is_refused(examples_then_tuned):
    client = examples_then_tuned.signed_in("admin")
    page = send(client, "/admin/provkor", {"fran": "2099-01-01"}, form_page="/admin/provkor")
    assert "Lästa meddelanden: 0." in page.text and "Inga fält skulle ändras." in page.text
    answer = send(client, "/admin/provkor", {"fran": "i morgon"}, form_page="/admin/provkor")
    assert "Skriv datumet som 2026-03-01" in followed(client, answer)


# -- /admin/anvandare ------------------------------------------------------------------------------------------------

def test_the_accounts_are_listed(web):
    page = web.signed_in("admin").get("/admin/anvandare")
    assert page.status_code == 200
    for text in ("Stina Handläggare", "Adam Admin", "Handläggare", "Administratör", "Aktivt", "Lägg till kontot"):
        assert text in page.text


def test_an_admin_adds_an_account_that_can_sign_in(web):
    client = web.signed_in("admin")
    answer = send(client, "/admin/anvandare", {"anvandarnamn": "Ny.Person", "namn": HOSTILE, "roll": "admin",
                                                "losenord": PASSWORD}, form_page="/admin/anvandare")
    page = followed(client, answer)
    assert "Kontot ny.person är skapat." in page
    assert_escaped(page)
    assert events(web.ctx, "user_added")[-1] == ("admin", "ny.person (admin)")
    assert sign_in(web.client(), "ny.person", PASSWORD).status_code == 303


@pytest.mark.parametrize(("fields", "said"), [
    ({"anvandarnamn": "staff"}, "Det finns redan ett konto med användarnamnet staff."),
    ({"anvandarnamn": "å ä"}, "Användarnamnet får bara innehålla"),
    ({"losenord": "kort"}, "Lösenordet är för kort: det måste ha minst 12 tecken."),
    ({"losenord": ""}, "Skriv ett lösenord med minst 12 tecken."),
    ({"roll": "superuser"}, "Välj en roll"),
])
def test_adding_an_account_is_refused_in_swedish(web, fields, said):
    client = web.signed_in("admin")
    answer = send(client, "/admin/anvandare", {"anvandarnamn": "ny", "roll": "staff", "losenord": PASSWORD, **fields},
                  form_page="/admin/anvandare")
    assert said in followed(client, answer)
    assert len(events(web.ctx, "user_added")) == 2


def test_disable_and_enable_an_account(web):
    staff_client = web.signed_in("staff")
    client = web.signed_in("admin")
    staff = user_id(web, "staff")
    page = followed(client, send(client, f"/admin/anvandare/{staff}/inaktivera", form_page=f"/admin/anvandare/{staff}"))
    assert "Kontot staff är inaktiverat" in page and "Inaktiverat" in page and "Aktivera kontot</button>" in page
    assert staff_client.get("/", follow_redirects=False).status_code == 303  # signed out at the next request
    assert sign_in(web.client(), "staff", PASSWORD).status_code == 401
    page = followed(client, send(client, f"/admin/anvandare/{staff}/aktivera", form_page=f"/admin/anvandare/{staff}"))
    assert "Kontot staff kan logga in igen." in page
    assert sign_in(web.client(), "staff", PASSWORD).status_code == 303
    assert events(web.ctx, "user_disabled") == [("admin", "staff")] and events(web.ctx, "user_enabled") == [("admin", "staff")]


def test_reset_a_password(web):
    client = web.signed_in("admin")
    staff = user_id(web, "staff")
    new = "ett helt nytt lösenord"
    page = followed(client, send(client, f"/admin/anvandare/{staff}/losenord", {"losenord": new},
                                 form_page=f"/admin/anvandare/{staff}"))
    assert "Nytt lösenord är satt för staff." in page
    assert sign_in(web.client(), "staff", PASSWORD).status_code == 401
    assert sign_in(web.client(), "staff", new).status_code == 303
    assert events(web.ctx, "user_password_set") == [("admin", "staff")]
    refused = send(client, f"/admin/anvandare/{staff}/losenord", {"losenord": "kort"}, form_page=f"/admin/anvandare/{staff}")
    assert "Lösenordet är för kort" in followed(client, refused)


def test_change_a_role(web):
    client = web.signed_in("admin")
    staff = user_id(web, "staff")
    page = followed(client, send(client, f"/admin/anvandare/{staff}/roll", {"roll": "admin"}, form_page=f"/admin/anvandare/{staff}"))
    assert "staff är nu administratör." in page
    assert events(web.ctx, "user_role_set") == [("admin", "staff (admin)")]
    assert web.signed_in("staff").get("/admin").status_code == 200


def test_the_last_admin_cannot_disable_or_demote_themselves(web):
    client = web.signed_in("admin")
    me = user_id(web, "admin")
    for action, data in (("inaktivera", {}), ("roll", {"roll": "staff"})):
        page = followed(client, send(client, f"/admin/anvandare/{me}/{action}", data, form_page=f"/admin/anvandare/{me}"))
        assert "Det måste finnas minst en aktiv administratör." in page
    assert client.get("/admin").status_code == 200
    assert events(web.ctx, "user_disabled") == [] and events(web.ctx, "user_role_set") == []
    with web.ctx.sessions() as session:  # with a second admin, the first may step down
        set_role(session, "staff", Role.ADMIN, actor="test")
        session.commit()
    followed(client, send(client, f"/admin/anvandare/{me}/roll", {"roll": "staff"}, form_page=f"/admin/anvandare/{me}"))
    assert client.get("/admin").status_code == 403
    assert events(web.ctx, "user_role_set")[-1] == ("admin", "admin (staff)")
