"""Att göra: the digest's action list, live, grouped, linked, and marked as done (who, when) so the digest
stops listing it too; on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from digest.attention import OUTBOX, QUARANTINED
from models import Case, CaseStatus, Event, Message, MessageStatus, OutboxStatus, OutgoingMail, Resolution
from tests.web.cases_support import (
    HOSTILE_NAME,
    HOSTILE_TAG,
    add_case,
    case_id,
    digest_reasons,
    quarantined_id,
    reason_of,
    seed,
    stockholm,
)
from tests.web.conftest import csrf, post


def the_list(html: str) -> str:
    """The action list part of the start page (not the figures, not 'recently done')."""
    start = html.index('<h1>Att göra</h1>')
    end = html.find('id="nyligen-klara"')
    return html[start:end if end != -1 else len(html)]


def resolve(client, key: str, note: str = ""):
    return post(client, "/att-gora/klar", {"nyckel": key, "anteckning": note})


def test_the_list_is_grouped_and_every_item_links_to_its_page(web):
    seed(web.ctx)
    page = web.signed_in("staff").get("/")
    assert page.status_code == 200
    html = the_list(page.text)
    for heading in ("Att granska", "Post att läsa", "Utskick och adresser", "Ofullständiga ärenden"):
        assert heading in html
    assert html.index("Att granska") < html.index("Post att läsa") < html.index("Utskick och adresser")
    assert '<a href="/arenden/JS-2026-0004">Föreningen Trygga hem</a>' in html
    assert "Kontrollera kontaktpersonens telefonnummer" in html and "Osäker tolkning av organisationstyp" in html
    assert '<a href="/arenden/JS-2026-0003">Sala kommun</a>' in html  # incomplete, bounced and a failed reply
    assert 'Utskicket av begäran om komplettering till info@sala.se misslyckades' in html
    assert '<a href="/utkorg">Till utkorgen</a>' in html  # the failed reply's own page
    assert f'<a href="/meddelande/{quarantined_id(web.ctx)}">okand@example.se</a>' in html  # no case: the message
    assert html.count("Markera som klar<span") == 7  # one button per reason
    assert "JS-2026-0001" not in html and "JS-2026-0005" not in html  # nothing to do on them


def test_the_figures_count_new_cases_review_and_this_weeks_meetings(web, clock):
    seed(web.ctx)
    with web.ctx.sessions() as session:  # Thursday 12 March, 10:00 in Stockholm
        add_case(session, "JS-2026-0007", CaseStatus.RECEIVED, "Kungsörs kommun", "kommun", stockholm(2026, 3, 12, 0, 30))
        add_case(session, "JS-2026-0008", CaseStatus.WITHDRAWN, "Fagersta kommun", "kommun", stockholm(2026, 3, 12, 8, 0))
        session.commit()
    html = web.signed_in("staff").get("/").text
    assert '<span class="figure">1</span> nytt ärende i dag' in html  # the withdrawn one does not count
    assert '<span class="figure">1</span> ärende behöver granskas' in html and 'href="/arenden?granskas=ja"' in html
    assert '<span class="figure">1</span> dialogmöte den här veckan' in html  # the cancelled one does not count
    clock.advance(days=4)  # Monday: a new week, the meeting of last Friday is past
    html = web.signed_in("staff").get("/").text
    assert '<span class="figure">0</span> dialogmöten den här veckan' in html
    assert '<span class="figure">0</span> nya ärenden i dag' in html


def test_an_empty_list_says_so_in_swedish(web):
    html = web.signed_in("staff").get("/").text
    assert "Inget att göra just nu" in html and "Markera som klar" not in html


def test_resolving_an_item_records_who_and_when_and_the_digest_stops_listing_it(web, clock):
    seed(web.ctx)
    client = web.signed_in("staff")
    check = reason_of(web.ctx, "JS-2026-0004", "check")
    assert "check" in digest_reasons(web.ctx)["JS-2026-0004"]
    answer = resolve(client, check.key, "Ringde Eva, numret stämmer.")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    page = client.get("/").text
    assert "Kontrollera kontaktpersonens telefonnummer” är markerad som klar." in page  # the notice
    assert "Kontrollera kontaktpersonens telefonnummer" not in the_list(page)
    assert "Behöver granskas av en handläggare" in the_list(page)  # the case's other reasons stay
    done = page[page.index('id="nyligen-klara"'):]
    assert "Kontrollera kontaktpersonens telefonnummer" in done and "Stina Handläggare" in done
    assert "Ringde Eva, numret stämmer." in done and "torsdag 12 mars kl. 10.00" in done
    with web.ctx.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        event = session.scalars(select(Event).where(Event.action == "item_resolved")).one()
    assert (resolution.item_key, resolution.resolved_by, resolution.note) == (check.key, "staff", "Ringde Eva, numret stämmer.")
    assert resolution.resolved_at == clock.now
    assert event.actor == "staff" and event.case_id == case_id(web.ctx, "JS-2026-0004") and event.data["item_key"] == check.key
    assert digest_reasons(web.ctx)["JS-2026-0004"] == ["needs_review", "unsure"]


def test_resolving_every_reason_takes_the_item_off_the_page_and_the_digest(web):
    seed(web.ctx)
    client = web.signed_in("staff")
    for kind in ("needs_review", "check", "unsure"):
        assert resolve(client, reason_of(web.ctx, "JS-2026-0004", kind).key).status_code == 303
    message = reason_of(web.ctx, "okand@example.se", QUARANTINED)
    assert resolve(client, message.key).status_code == 303
    html = the_list(client.get("/").text)
    assert "JS-2026-0004" not in html and "okand@example.se" not in html
    assert "Att granska" not in html and "Sala kommun" in html
    assert set(digest_reasons(web.ctx)) == {"JS-2026-0003"}
    with web.ctx.sessions() as session:
        event = session.scalars(select(Event).where(Event.action == "item_resolved", Event.message_pk.is_not(None))).one()
    assert event.message_pk == quarantined_id(web.ctx)


def test_a_new_reason_on_the_same_case_shows_again(web):
    seed(web.ctx)
    client = web.signed_in("staff")
    resolve(client, reason_of(web.ctx, "JS-2026-0004", "check").key)
    resolve(client, reason_of(web.ctx, "JS-2026-0003", OUTBOX).key)
    assert "Kontrollera" not in the_list(client.get("/").text)
    with web.ctx.sessions() as session:  # a new extraction flags another field; another reply to Sala fails
        case = session.scalars(select(Case).where(Case.reference == "JS-2026-0004")).one()
        case.review = [*case.review, {"field": "contact.email", "reason": "a private address"}]
        session.add(OutgoingMail(case_id=case_id(web.ctx, "JS-2026-0003"), template="reminder", recipients=["info@sala.se"],
                                 subject="x", body_text="x", message_id="<r8@lansstyrelsen.se>", status=OutboxStatus.FAILED))
        session.commit()
    html = the_list(client.get("/").text)
    assert "Kontrollera kontaktpersonens telefonnummer och kontaktpersonens e-postadress" in html
    assert "Utskicket av påminnelsen till info@sala.se misslyckades" in html
    assert "Utskicket av begäran om komplettering" not in html  # the first failed reply stays done
    assert digest_reasons(web.ctx)["JS-2026-0004"].count("check") == 1


def test_a_case_back_in_its_status_is_new_again(web, clock):
    seed(web.ctx)
    client = web.signed_in("staff")
    resolve(client, reason_of(web.ctx, "JS-2026-0004", "needs_review").key)
    assert "Behöver granskas av en handläggare" not in the_list(client.get("/").text)
    with web.ctx.sessions() as session:  # a person moved it on, then something sent it back to review
        case = session.scalars(select(Case).where(Case.reference == "JS-2026-0004")).one()
        case.status, case.status_since = CaseStatus.NEEDS_REVIEW, clock.now
        session.commit()
    assert "Behöver granskas av en handläggare" in the_list(client.get("/").text)


def test_resolving_twice_or_an_unknown_item_is_refused_politely(web):
    seed(web.ctx)
    client = web.signed_in("staff")
    key = reason_of(web.ctx, "JS-2026-0004", "check").key
    assert resolve(client, key).status_code == 303
    again = resolve(client, key)
    assert again.status_code == 303
    assert "Punkten finns inte längre på listan" in client.get("/").text
    resolve(client, "check:0000")
    assert "Punkten finns inte längre på listan" in client.get("/").text
    too_long = resolve(client, reason_of(web.ctx, "JS-2026-0004", "unsure").key, "x" * 2001)
    assert too_long.status_code == 303 and "högst 2000 tecken" in client.get("/").text
    with web.ctx.sessions() as session:
        assert len(session.scalars(select(Resolution)).all()) == 1


def test_resolving_needs_a_signed_in_person_and_the_forms_token(web):
    seed(web.ctx)
    key = reason_of(web.ctx, "JS-2026-0004", "check").key
    anonymous = web.client().post("/att-gora/klar", data={"nyckel": key}, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/logga-in")
    client = web.signed_in("staff")
    assert client.post("/att-gora/klar", data={"nyckel": key}, follow_redirects=False).status_code == 403
    assert client.post("/att-gora/klar", data={"nyckel": key, "csrf": "fel"}, follow_redirects=False).status_code == 403
    assert client.get("/att-gora/klar").status_code == 404  # only a form posts here
    with web.ctx.sessions() as session:
        assert session.scalars(select(Resolution)).all() == []
    assert web.client().get("/", follow_redirects=False).headers["location"] == "/logga-in?next=/"


def test_hostile_names_and_subjects_are_escaped(web):
    with web.ctx.sessions() as session:
        add_case(session, "JS-2026-0001", CaseStatus.NEEDS_REVIEW, HOSTILE_TAG, "kommun", stockholm(2026, 3, 11, 9, 0))
        session.add(Message(sha256="1" * 64, raw_path="raw/x.eml", size=10, received_at=stockholm(2026, 3, 11, 15, 0),
                            subject=HOSTILE_TAG + HOSTILE_NAME, sender=HOSTILE_NAME, status=MessageStatus.QUARANTINED))
        session.commit()
    client = web.signed_in("staff")
    resolve(client, reason_of(web.ctx, "JS-2026-0001", "needs_review").key, HOSTILE_NAME)
    html = client.get("/").text
    assert HOSTILE_TAG not in html and HOSTILE_NAME not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the organisation, shown as text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # the sender and the note, shown as text
    assert csrf(client)  # the page still carries its forms
