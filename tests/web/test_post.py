"""Övrig post and one message: the list, reading a message as text, and the actions Hanterad, Spela upp igen
and Gör till ärende, over HTTP on SQLite and PostgreSQL, with their refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Attachment, Case, Message, MessageStatus, OutgoingMail, Resolution
from tests.integration import mails
from tests.web.conftest import post
from tests.web.post_support import (
    IMG,
    SCRIPT,
    affiliation_case,
    assert_escaped,
    esc,
    events,
    hostile,
    html_only,
    notice,
    process,
    quarantined,
    question,
)

ROOT = Path(__file__).resolve().parents[2]


def message(ctx, pk: int) -> Message:
    with ctx.sessions() as session:
        return session.get_one(Message, pk)


# -- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/post", "/meddelande/1"])
def test_anonymous_people_are_sent_to_the_login_page(web, path):
    answer = web.client().get(path, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/logga-in?next=")


@pytest.mark.parametrize("action", ["hanterad", "aterspela", "gor-till-arende"])
def test_actions_need_a_sign_in_and_a_csrf_token(web, action):
    pk = process(web.ctx, question())
    anonymous = web.client().post(f"/post/{pk}/{action}", data={}, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/logga-in")
    client = web.signed_in()
    forged = client.post(f"/post/{pk}/{action}", data={"csrf": "fel"}, follow_redirects=False)
    assert forged.status_code == 403 and "Formuläret kunde inte skickas" in forged.text
    assert message(web.ctx, pk).case_id is None and events(web.ctx, "message_handled") == []


@pytest.mark.parametrize("action", ["hanterad", "aterspela", "gor-till-arende"])
def test_an_unknown_message_is_404(web, action):
    client = web.signed_in()
    assert client.get("/meddelande/999").status_code == 404
    answer = post(client, f"/post/999/{action}", form_page="/post")
    assert answer.status_code == 404 and "Det finns inget meddelande nr 999" in answer.text


# -- the list ------------------------------------------------------------------------------


def test_the_list_shows_mail_on_no_case_and_quarantined_mail_never_affiliations(web):
    asked = process(web.ctx, question())
    auto = process(web.ctx, mails.out_of_office(msgid="<oo1@sala.se>"))
    stuck = quarantined(web.ctx, question(msgid="<q2@example.org>", subject="Trasigt meddelande"))
    on_case, _ = affiliation_case(web.ctx)
    page = web.signed_in().get("/post").text
    for pk in (asked, auto, stuck):
        assert f'href="/meddelande/{pk}"' in page
    assert f'href="/meddelande/{on_case}"' not in page
    assert "3 meddelanden" in page and "Karantän" in page and "Autosvar" in page
    assert "Trasigt meddelande" in page  # read from the header block: the quarantined message's processing stored nothing
    only = web.signed_in().get("/post?typ=karantan").text
    assert f'href="/meddelande/{stuck}"' in only and f'href="/meddelande/{asked}"' not in only
    autos = web.signed_in().get("/post?typ=autosvar").text
    assert f'href="/meddelande/{auto}"' in autos and f'href="/meddelande/{stuck}"' not in autos


def test_hostile_senders_and_subjects_are_escaped_in_the_list(web):
    process(web.ctx, hostile())
    quarantined(web.ctx, question(msgid="<q3@example.org>", subject=SCRIPT, sender=f'"{IMG}" <x@example.org>'))
    page = web.signed_in().get("/post").text
    assert_escaped(page)
    assert esc(SCRIPT) in page


# -- one message ---------------------------------------------------------------------------


def test_a_message_is_readable_as_text_with_its_headers_attachments_and_reasons(web):
    pk = process(web.ctx, question())
    page = web.signed_in().get(f"/meddelande/{pk}").text
    assert "Fråga om tryckta exemplar av strategin" in page
    assert "Lisa Berg &lt;lisa.berg@example.org&gt;" in page and mails.BOARD in page  # Från and Till, as parsed
    assert "Hej! Kan ni skicka tio tryckta exemplar?" in page
    assert "Klassificeringens skäl" in page and all(esc(r) in page for r in message(web.ctx, pk).reasons)
    assert f'action="/post/{pk}/gor-till-arende"' in page and f'action="/post/{pk}/hanterad"' in page
    assert "/aterspela" not in page  # only quarantined mail is replayed


def test_a_hostile_message_is_text_and_its_attachment_is_linked_not_shown(web):
    pk = process(web.ctx, hostile())
    page = web.signed_in().get(f"/meddelande/{pk}").text
    assert_escaped(page)
    assert esc(f"Hej {SCRIPT}") in page  # the plain part, as text
    with web.ctx.sessions() as session:
        attachment = session.scalars(select(Attachment).where(Attachment.message_pk == pk)).one()
    assert f'href="/bilaga/{attachment.id}"' in page and f'href="/bilaga/{attachment.id}?ladda-ner=1"' in page
    assert esc(f"{IMG}.pdf") in page


def test_an_html_only_message_is_shown_as_the_text_in_it(web):
    pk = process(web.ctx, html_only())
    page = web.signed_in().get(f"/meddelande/{pk}").text
    assert "Vårens nyheter" in page and "Andra stycket" in page and "<b>nyheter</b>" not in page
    assert "alert(3)" not in page  # a script's text is not text a person reads
    assert "bara en HTML-del" in page


def test_a_quarantined_message_shows_why(web):
    pk = quarantined(web.ctx, question(msgid="<q4@example.org>"), reason=f"ValueError: {SCRIPT}")
    client = web.signed_in()
    page = client.get(f"/meddelande/{pk}").text
    assert esc(f"ValueError: {SCRIPT}") in page and SCRIPT not in page
    assert "Fråga om tryckta exemplar av strategin</h1>" in page and "Lisa Berg &lt;lisa.berg@example.org&gt;" in page
    assert f'action="/post/{pk}/aterspela"' in page and "gor-till-arende" not in page
    assert "Teknisk felinformation" not in page  # the traceback is for administrators
    assert "Teknisk felinformation" in web.signed_in("admin").get(f"/meddelande/{pk}").text


def test_any_stored_message_is_readable_also_one_on_a_case(web):
    pk, reference = affiliation_case(web.ctx)
    page = web.signed_in().get(f"/meddelande/{pk}").text
    assert f'href="/arenden/{reference}"' in page and "Köpings kommun ansluter sig" in page
    assert "Protokollsutdrag KS § 45.pdf" in page and "gor-till-arende" not in page


def test_a_message_whose_original_is_gone_still_shows_what_was_stored(web):
    pk = process(web.ctx, question(msgid="<q5@example.org>"))
    (web.ctx.data_dir / message(web.ctx, pk).raw_path).unlink()
    page = web.signed_in().get(f"/meddelande/{pk}").text
    assert "Originalet av meddelandet finns inte kvar" in page and "lisa.berg@example.org" in page


def test_a_message_too_large_to_read_here_shows_its_header_fields(web, monkeypatch):
    pk = process(web.ctx, question(msgid="<q7@example.org>"))
    monkeypatch.setattr("ingest.readable.MAX_PARSE_BYTES", 100)  # instead of a 25 MB message
    page = web.signed_in().get(f"/meddelande/{pk}").text
    assert "för stort för att visas här" in page and "Lisa Berg &lt;lisa.berg@example.org&gt;" in page
    assert "tio tryckta exemplar" not in page


# -- Hanterad ------------------------------------------------------------------------------


def test_marking_handled_records_who_and_the_list_filters_on_it(web):
    pk = process(web.ctx, question())
    client = web.signed_in()
    shown = notice(client, post(client, f"/post/{pk}/hanterad", {"tillbaka": "/post", "anteckning": "Besvarat per telefon"},
                                form_page="/post"))
    assert f"Meddelande nr {pk} är markerat som hanterat" in shown and f'href="/meddelande/{pk}"' not in shown
    with web.ctx.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
    assert (resolution.item_key, resolution.resolved_by, resolution.note) == (f"message:{pk}", "staff", "Besvarat per telefon")
    [event] = events(web.ctx, "message_handled")
    assert (event.actor, event.message_pk) == ("staff", pk)
    handled = client.get("/post?visa=hanterade").text
    assert f'href="/meddelande/{pk}"' in handled and "Hanterad</span> av staff" in handled
    assert f'href="/meddelande/{pk}"' in client.get("/post?visa=alla").text
    assert "Besvarat per telefon" in client.get(f"/meddelande/{pk}").text


def test_marking_handled_twice_is_refused_in_swedish(web):
    pk = process(web.ctx, question())
    client = web.signed_in()
    post(client, f"/post/{pk}/hanterad", form_page=f"/meddelande/{pk}")
    again = post(client, f"/post/{pk}/hanterad", {"tillbaka": f"/meddelande/{pk}"}, form_page=f"/meddelande/{pk}",
                 headers={"referer": f"https://testserver/meddelande/{pk}"})
    assert "Meddelandet är redan markerat som hanterat av staff" in notice(client, again)
    assert len(events(web.ctx, "message_handled")) == 1


def test_the_way_back_stays_on_this_site(web):
    pk = process(web.ctx, question())
    client = web.signed_in()
    answer = post(client, f"/post/{pk}/hanterad", {"tillbaka": "https://evil.example/"}, form_page="/post")
    assert answer.headers["location"] == f"/meddelande/{pk}"


# -- Spela upp igen ------------------------------------------------------------------------


def test_replaying_a_quarantined_message_processes_it(web):
    pk = quarantined(web.ctx, question(msgid="<q6@example.org>"))
    client = web.signed_in()
    shown = notice(client, post(client, f"/post/{pk}/aterspela", form_page=f"/meddelande/{pk}"))
    assert "Meddelandet behandlades utan fel" in shown
    assert message(web.ctx, pk).status is MessageStatus.PROCESSED
    [event] = events(web.ctx, "replay_requested")
    assert (event.actor, event.message_pk) == ("staff", pk)


def test_replaying_a_processed_message_is_refused(web):
    pk = process(web.ctx, question())
    client = web.signed_in()
    answer = post(client, f"/post/{pk}/aterspela", form_page=f"/meddelande/{pk}", headers={"referer": f"https://testserver/meddelande/{pk}"})
    assert "Meddelandet ligger inte i karantän" in notice(client, answer)
    assert events(web.ctx, "replay_requested") == []


# -- Gör till ärende -----------------------------------------------------------------------


def affiliation_in_other_words(msgid: str = "<v1@koping.se>") -> bytes:
    """An affiliation no rule recognises (no subject pattern, no word the classifier knows): "other"."""
    return question(msgid=msgid, subject="Protokoll från kommunstyrelsen", sender="Anna Lind <anna.lind@koping.se>",
                    text="Hej!\n\nHär kommer vårt beslut, se bifogat protokoll.\n\nAnna Lind\nKöpings kommun\n")


def test_making_a_case_of_a_message_opens_a_case_and_answers_it(web):
    pk = process(web.ctx, affiliation_in_other_words())
    assert message(web.ctx, pk).kind == "other"
    client = web.signed_in()
    answer = post(client, f"/post/{pk}/gor-till-arende", {"svara": "ja"}, form_page=f"/meddelande/{pk}")
    stored = message(web.ctx, pk)
    with web.ctx.sessions() as session:
        case = session.get_one(Case, stored.case_id)
        replies = session.scalars(select(OutgoingMail).where(OutgoingMail.case_id == case.id)).all()
    assert answer.headers["location"] == f"/arenden/{case.reference}"
    assert stored.kind == "affiliation" and "made a case by staff" in stored.reasons
    [event] = events(web.ctx, "case_made_from_message")
    assert (event.actor, event.case_id, event.message_pk) == ("staff", case.id, pk)
    assert replies and {r.template for r in replies} <= {"request_missing", "received_on_case", "acknowledgement", "invitation"}
    assert f'href="/meddelande/{pk}"' not in client.get("/post").text  # on a case now


def test_making_a_case_without_replies_sends_nothing(web):
    pk = process(web.ctx, affiliation_in_other_words())
    client = web.signed_in()
    post(client, f"/post/{pk}/gor-till-arende", {}, form_page=f"/meddelande/{pk}")
    with web.ctx.sessions() as session:
        assert session.scalars(select(OutgoingMail)).all() == []
        assert session.get_one(Message, pk).case_id is not None
    assert "no reply sent" in events(web.ctx, "case_made_from_message")[0].detail


@pytest.mark.parametrize(("kind", "text"), [("quarantined", "Spela upp det igen först"), ("on_case", "hör redan till ärende JS-")])
def test_making_a_case_is_refused_for_quarantined_mail_and_mail_on_a_case(web, kind, text):
    pk = quarantined(web.ctx, question()) if kind == "quarantined" else affiliation_case(web.ctx)[0]
    client = web.signed_in()
    answer = post(client, f"/post/{pk}/gor-till-arende", {"svara": "ja"}, form_page="/post", headers={"referer": "https://testserver/post"})
    assert text in notice(client, answer)
    assert events(web.ctx, "case_made_from_message") == []


def test_the_command_line_makes_a_case_of_a_message_too(web, tmp_path):
    pk = process(web.ctx, affiliation_in_other_words())
    settings = web.ctx.settings
    config = tmp_path / "cli.toml"
    config.write_text(f'[service]\ndata_dir = "{web.ctx.data_dir}"\n[database]\nurl = "{settings.database.url}"\n'
                      f'[smtp]\noutbox_dir = "{tmp_path / "outbox"}"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "make-case", str(pk), "--no-reply", "--by", "eva"],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "COLUMNS": "200"}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "JS-2026-0001: " in done.stdout and "nothing sent" in done.stdout
    assert events(web.ctx, "case_made_from_message")[0].actor == "eva"
    again = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(config), "make-case", str(pk)],
                           capture_output=True, text=True, cwd=ROOT, env={**os.environ, "COLUMNS": "200"}, timeout=300)
    assert again.returncode == 2 and f"message {pk}: already on case JS-2026-0001" in again.stderr
