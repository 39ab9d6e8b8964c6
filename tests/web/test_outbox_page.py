"""Utkorg: the replies that are not done (pending, sending, held, failed, uncertain), each readable, with
retry (an uncertain one only after the person ticked that they checked it) and approve / reject for held
mail, over HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import OutboxStatus, OutgoingMail
from replies.outbox import HELD_PREFIX
from replies.recipients import OUTSIDE
from tests.integration.lifecycle_support import org_mail
from tests.web.conftest import post
from tests.web.post_support import IMG, SCRIPT, affiliation_case, assert_escaped, esc, events, notice, process


def rows(ctx) -> list[OutgoingMail]:
    with ctx.sessions() as session:
        return list(session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def row(ctx, row_id: int) -> OutgoingMail:
    with ctx.sessions() as session:
        return session.get_one(OutgoingMail, row_id)


@pytest.fixture
def stuck(web) -> dict[str, int]:
    """Two cases' acknowledgements and invitations (queued, never sent here), put in every state a person meets."""
    affiliation_case(web.ctx)
    process(web.ctx, org_mail("<s1@sala.se>", "Sala kommun", "Erik Berg", "erik.berg@sala.se"))
    failed, uncertain, held, sent = rows(web.ctx)[:4]
    with web.ctx.sessions() as session:
        changes = {
            failed.id: {"status": OutboxStatus.FAILED, "attempts": 8, "last_error": f"550 mailbox unavailable {SCRIPT}"},
            uncertain.id: {"status": OutboxStatus.UNCERTAIN, "attempts": 1, "transport_detail": "no sent copy found"},
            held.id: {"status": OutboxStatus.HELD, "last_error": f"{HELD_PREFIX} ({OUTSIDE}): not the sender's domain {IMG}",
                      "recipients": [f"{IMG}@example.com"]},
            sent.id: {"status": OutboxStatus.SENT},
        }
        for row_id, values in changes.items():
            target = session.get_one(OutgoingMail, row_id)
            for key, value in values.items():
                setattr(target, key, value)
        session.commit()
    affiliation_case(web.ctx, "<k2@koping.se>")  # joins Köping's case: nothing new to send, or a receipt (pending)
    return {"failed": failed.id, "uncertain": uncertain.id, "held": held.id, "sent": sent.id}


def test_anonymous_people_are_sent_to_the_login_page(web, stuck):
    for answer in (web.client().get("/utkorg", follow_redirects=False), web.client().get(f"/utkorg/{stuck['failed']}", follow_redirects=False),
                   web.client().post(f"/utkorg/{stuck['failed']}/forsok-igen", follow_redirects=False)):
        assert answer.status_code == 303 and answer.headers["location"].startswith("/logga-in")


@pytest.mark.parametrize("action", ["forsok-igen", "godkann", "avvisa"])
def test_actions_need_the_csrf_token_and_a_known_row(web, stuck, action):
    client = web.signed_in()
    target = stuck["held"] if action != "forsok-igen" else stuck["failed"]
    assert client.post(f"/utkorg/{target}/{action}", data={"csrf": "fel"}, follow_redirects=False).status_code == 403
    assert row(web.ctx, target).status in (OutboxStatus.HELD, OutboxStatus.FAILED)
    missing = post(client, f"/utkorg/999/{action}", form_page="/utkorg")
    assert missing.status_code == 404 and "Det finns inget utskick nr 999" in missing.text
    assert client.get("/utkorg/999").status_code == 404


def test_the_list_shows_what_is_not_done_in_swedish_and_escapes_everything(web, stuck):
    page = web.signed_in().get("/utkorg").text
    for key in ("failed", "uncertain", "held"):
        assert f'id="utskick-{stuck[key]}"' in page
    assert f'id="utskick-{stuck["sent"]}"' not in page
    assert "Misslyckades" in page and "Oklart om det kom fram" in page and "Väntar på godkännande" in page
    assert "Hålls tillbaka: adressen är varken avsändarens" in page
    assert "Bekräftelse<" in page and "Inbjudan till dialogmöte" in page and 'href="/arenden/JS-2026-0001"' in page
    assert_escaped(page)
    assert esc(f"550 mailbox unavailable {SCRIPT}") in page and esc(f"{IMG}@example.com") in page


def test_the_list_filters_on_one_status(web, stuck):
    page = web.signed_in().get("/utkorg?status=failed").text
    assert f'id="utskick-{stuck["failed"]}"' in page and f'id="utskick-{stuck["held"]}"' not in page


def test_a_pending_reply_is_listed_without_actions(web):
    affiliation_case(web.ctx)
    page = web.signed_in().get("/utkorg").text
    assert "Väntar på att skickas" in page and "Ingen åtgärd behövs" in page


def test_a_reply_is_readable_as_the_text_it_sends(web, stuck):
    client = web.signed_in()
    page = client.get(f"/utkorg/{stuck['uncertain']}").text
    reply = row(web.ctx, stuck["uncertain"])
    assert esc(reply.subject) in page and esc(reply.body_text.strip().splitlines()[0]) in page
    assert 'name="kontrollerat"' in page and "no sent copy found" in page
    assert_escaped(client.get(f"/utkorg/{stuck['held']}").text)


def test_a_failed_reply_is_queued_again_under_the_person(web, stuck):
    client = web.signed_in()
    shown = notice(client, post(client, f"/utkorg/{stuck['failed']}/forsok-igen", {"tillbaka": "/utkorg"}, form_page="/utkorg"))
    assert f"Utskick nr {stuck['failed']} ligger i kön igen" in shown
    assert row(web.ctx, stuck["failed"]).status is OutboxStatus.PENDING and row(web.ctx, stuck["failed"]).attempts == 0
    [event] = events(web.ctx, "reply_retry")
    assert event.actor == "staff" and f"outbox {stuck['failed']} (failed)" in event.detail


def test_an_uncertain_reply_is_retried_only_after_the_person_checked_it(web, stuck):
    client = web.signed_in()
    page = f"/utkorg/{stuck['uncertain']}"
    unchecked = post(client, f"{page}/forsok-igen", {"tillbaka": page}, form_page=page, headers={"referer": f"https://testserver{page}"})
    assert "Kryssa i att du har kontrollerat" in notice(client, unchecked)
    assert row(web.ctx, stuck["uncertain"]).status is OutboxStatus.UNCERTAIN and events(web.ctx, "reply_retry") == []
    checked = post(client, f"{page}/forsok-igen", {"tillbaka": page, "kontrollerat": "ja"}, form_page=page)
    assert checked.headers["location"] == page and "ligger i kön igen" in notice(client, checked)
    assert row(web.ctx, stuck["uncertain"]).status is OutboxStatus.PENDING


def test_a_reply_that_is_not_failed_or_uncertain_is_not_retried(web, stuck):
    client = web.signed_in()
    answer = post(client, f"/utkorg/{stuck['held']}/forsok-igen", form_page="/utkorg", headers={"referer": "https://testserver/utkorg"})
    assert "Bara misslyckade och oklara utskick kan skickas igen" in notice(client, answer)
    assert row(web.ctx, stuck["held"]).status is OutboxStatus.HELD


def test_held_mail_is_approved_under_the_person(web, stuck):
    client = web.signed_in()
    shown = notice(client, post(client, f"/utkorg/{stuck['held']}/godkann", {"tillbaka": "/utkorg"}, form_page="/utkorg"))
    assert f"Utskick nr {stuck['held']} är godkänt" in shown
    assert row(web.ctx, stuck["held"]).status is OutboxStatus.PENDING
    [event] = events(web.ctx, "reply_approved")
    assert event.actor == "staff"


def test_held_mail_is_rejected_under_the_person(web, stuck):
    client = web.signed_in()
    shown = notice(client, post(client, f"/utkorg/{stuck['held']}/avvisa", {"tillbaka": "/utkorg"}, form_page="/utkorg"))
    assert f"Utskick nr {stuck['held']} är avvisat" in shown
    assert row(web.ctx, stuck["held"]).status is OutboxStatus.CANCELLED
    [event] = events(web.ctx, "reply_rejected")
    assert event.actor == "staff"
    assert f'id="utskick-{stuck["held"]}"' not in client.get("/utkorg").text


@pytest.mark.parametrize("action", ["godkann", "avvisa"])
def test_only_held_mail_is_approved_or_rejected(web, stuck, action):
    client = web.signed_in()
    answer = post(client, f"/utkorg/{stuck['failed']}/{action}", form_page="/utkorg", headers={"referer": "https://testserver/utkorg"})
    assert "väntar inte på godkännande" in notice(client, answer)
    assert row(web.ctx, stuck["failed"]).status is OutboxStatus.FAILED


def test_the_way_back_stays_in_the_outbox(web, stuck):
    client = web.signed_in()
    answer = post(client, f"/utkorg/{stuck['failed']}/forsok-igen", {"tillbaka": "//evil.example/"}, form_page="/utkorg")
    assert answer.headers["location"] == "/utkorg"
