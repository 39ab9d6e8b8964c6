"""Dialogmöte – dokumentation on the case page, over HTTP, on SQLite and PostgreSQL: recording the dialogue, every
refusal (a Swedish reason, the form back as typed, nothing changed), CSRF, hostile text, the organisation's own
answers beside the right area, withdrawing the personal link, and the organisation as actor in the history."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select

from cases import staff
from models import Case, CaseStatus, CommitmentState, DialogueAnswer, DialogueEntry, DialogueRecord, Event, PortalLink
from portal.links import issue_link
from tests.web.case_support import IMG, SCRIPT, complete_case, events, incomplete_case, notice
from tests.web.conftest import csrf, post

VIOLENCE, WORK, YOUTH = "upptacka-vald", "utrikesfodda-kvinnors-etablering", "valdsforebyggande-barn-unga"
VIOLENCE_NAME = "Att systematiskt upptäcka våld, även våld som arbetsgivarfråga"
SUFFIX = {"does_today": "gor-i-dag", "commits_to": "atar-sig", "follow_up_on": "uppfoljning", "state": "lage",
          "good_example": "gott-exempel"}


def form(held_on: str = "2026-03-10", participants: str = "Anna Lind, Köpings kommun; Stina Handläggare",
         notes: str = "Bra samtal.", **areas: dict) -> dict:
    """The form as the page posts it; `areas` by code (hyphens as underscores), each {field: value}."""
    data: dict = {"motesdatum": held_on, "deltagare": participants, "anteckningar": notes, "omrade": []}
    for name, values in areas.items():
        code = name.replace("_", "-")
        data["omrade"].append(code)
        data.update({f"{code}.{SUFFIX[key]}": value for key, value in values.items()})
    return data


COMMITMENT = {"does_today": "Utbildar chefer om våld i nära relationer.", "commits_to": "Rutin för att fråga om våld.",
              "follow_up_on": "2026-06-30", "state": "planned", "good_example": "Chefsutbildningen."}


def rows(ctx) -> tuple:
    """Everything a dialogue post could change."""
    with ctx.sessions() as session:
        def count(model, *where):
            return session.scalar(select(func.count()).select_from(model).where(*where))
        return (count(DialogueRecord), count(DialogueEntry), count(Event, Event.action == "dialogue_recorded"),
                [(e.area_code, e.does_today, e.commits_to, e.follow_up_on, e.state) for e in session.scalars(
                    select(DialogueEntry).order_by(DialogueEntry.area_code))])


def case_id(ctx, reference: str) -> int:
    with ctx.sessions() as session:
        return session.scalars(select(Case.id).where(Case.reference == reference)).one()


def area_part(page: str, code: str) -> str:
    """One area's fieldset of the form."""
    start = page.index(f'id="dialog-omrade-{code}"')
    return page[start:page.index("</fieldset>", start)]


# -- recording --------------------------------------------------------------------------------------------


def test_a_dialogue_is_recorded_through_the_form_and_read_back_on_the_page(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")  # invited: the invitation went out
    client = web.signed_in()
    page = client.get(f"/arenden/{reference}").text
    assert '<a href="#dialog">Dialogmöte – dokumentation</a>' in page and 'id="form-dialog"' in page
    # every area of the strategy file, prioritised ones marked with the year in force
    for code in (VIOLENCE, WORK, YOUTH):
        assert "Prioriterat 2024" in area_part(page, code)
    assert "Datafilen listar 3 av 15 problemområden; en administratör kompletterar data/strategy.toml" in page

    answer = post(client, f"/arenden/{reference}/dialog", form(upptacka_vald=COMMITMENT, utrikesfodda_kvinnors_etablering={}))
    shown = notice(client, answer)
    assert "Dokumentationen av dialogmötet är sparad." in shown
    part = area_part(shown, VIOLENCE)
    assert ">Utbildar chefer om våld i nära relationer.</textarea>" in part and 'value="2026-06-30"' in part
    assert '<option value="planned" selected>Planerat</option>' in part and ">Chefsutbildningen.</textarea>" in part
    assert 'value="2026-03-10"' in shown and ">Anna Lind, Köpings kommun; Stina Handläggare</textarea>" in shown
    assert "Dialogmötet dokumenterat" in shown  # the history, under the person's name

    with web.ctx.sessions() as session:
        record = session.scalars(select(DialogueRecord)).one()
        assert (record.held_on, record.notes, record.updated_by) == (date(2026, 3, 10), "Bra samtal.", "staff")
        [entry] = session.scalars(select(DialogueEntry)).all()  # an empty area has no entry
        assert (entry.area_code, entry.state, entry.follow_up_on) == (VIOLENCE, CommitmentState.PLANNED, date(2026, 6, 30))
    [event] = events(web.ctx, "dialogue_recorded")
    assert event.actor == "staff" and event.data["areas"] == [VIOLENCE] and event.data["record"] is True

    # the same form again changes nothing and says so
    again = notice(client, post(client, f"/arenden/{reference}/dialog", form(upptacka_vald=COMMITMENT)))
    assert "Inget ändrades" in again and len(events(web.ctx, "dialogue_recorded")) == 1
    # emptying an area removes its entry; the event names the area
    notice(client, post(client, f"/arenden/{reference}/dialog", form(upptacka_vald={"state": "none"})))
    assert rows(web.ctx)[1] == 0 and events(web.ctx, "dialogue_recorded")[-1].data["areas"] == [VIOLENCE]


@pytest.mark.parametrize("status", [CaseStatus.BOOKED, CaseStatus.DIALOGUE_HELD])
def test_a_booked_or_held_case_may_be_recorded_too(web, tmp_path, status):
    reference = complete_case(web.ctx, tmp_path / "in")
    with web.ctx.sessions() as session:
        case = staff.get_case(session, reference)
        for step in (CaseStatus.BOOKED, status):
            staff.set_status(web.ctx, session, case, step.value, actor="test", why=None)
        session.commit()
    client = web.signed_in()
    assert "Dokumentationen av dialogmötet är sparad." in notice(client, post(client, f"/arenden/{reference}/dialog", form()))


# -- refusals ---------------------------------------------------------------------------------------------


REFUSALS = {
    "held in the future": (form(held_on="2026-03-13"), "Mötesdatumet kan inte vara senare än i dag (2026-03-12)."),
    "no held-on date": (form(held_on=""), "Skriv vilket datum mötet hölls."),
    "not a real date": (form(held_on="2026-02-30"), "”Mötet hölls” är inte ett giltigt datum. Skriv det som 2026-03-12."),
    "held long ago": (form(held_on="2020-01-01"), "Mötesdatumet ligger mer än 5 år tillbaka. Kontrollera året."),
    "follow-up before held-on": (form(upptacka_vald={**COMMITMENT, "follow_up_on": "2026-03-09"}),
                                 f"”{VIOLENCE_NAME}”: Uppföljningsdatumet är före mötesdatumet (2026-03-10)."),
    "follow-up too far": (form(upptacka_vald={**COMMITMENT, "follow_up_on": "2031-03-13"}),
                          "Uppföljningen kan ligga högst 5 år fram i tiden."),
    "unknown area": (form(finns_inte_langre={"does_today": "x"}),
                     "”finns-inte-langre”: Problemområdet finns inte i strategin. Ladda om sidan och försök igen."),
    "over-long text": (form(notes="å" * 10_001), "Texten i ”Anteckningar” är för lång (högst 10 000 tecken)."),
    "over-long area text": (form(upptacka_vald={**COMMITMENT, "good_example": "x" * 10_001}),
                            f"”{VIOLENCE_NAME}”: Texten i ”Gott exempel att sprida” är för lång (högst 10 000 tecken)."),
    "state without commitment": (form(upptacka_vald={"does_today": "Något", "state": "ongoing"}),
                                 "Ett läge hör till ett åtagande. Skriv vad organisationen åtar sig"),
    "commitment without state": (form(upptacka_vald={"commits_to": "Något", "state": "none"}),
                                 "Välj åtagandets läge: Planerat, Pågår, Genomfört eller Avbrutet."),
    "follow-up without commitment": (form(upptacka_vald={"does_today": "Något", "follow_up_on": "2026-06-30"}),
                                     "Ett uppföljningsdatum hör till ett åtagande."),
    "unknown state": (form(upptacka_vald={"commits_to": "Något", "state": "klar"}), "Välj ett av lägena i listan."),
}


@pytest.mark.parametrize("what", list(REFUSALS))
def test_every_refusal_says_why_in_swedish_keeps_what_was_typed_and_changes_nothing(web, tmp_path, what):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    notice(client, post(client, f"/arenden/{reference}/dialog", form(participants="Först sparat")))  # a record to keep
    before = rows(web.ctx)
    data, reason = REFUSALS[what]
    data = {**data, "deltagare": "Nils Nilsson, skrivet nyss"}
    answer = post(client, f"/arenden/{reference}/dialog", data)
    assert answer.status_code == 422
    page = html.unescape(answer.text)
    assert reason in page and "Dokumentationen sparades inte." in page
    assert ">Nils Nilsson, skrivet nyss</textarea>" in page  # what was typed comes back, not what is saved
    assert rows(web.ctx) == before
    assert "Först sparat" in client.get(f"/arenden/{reference}").text


def test_a_case_not_yet_invited_or_withdrawn_is_refused(web, tmp_path):
    reference = incomplete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    page = client.get(f"/arenden/{reference}").text
    assert 'id="form-dialog"' not in page and 'id="dialog-kan-inte"' in page
    answer = post(client, f"/arenden/{reference}/dialog", form(upptacka_vald=COMMITMENT))
    assert answer.status_code == 422
    assert ("Ett dialogmöte kan dokumenteras när ärendet är inbjudet, bokat eller har genomförd dialog "
            "(status är nu ”Ofullständigt”).") in html.unescape(answer.text)
    assert rows(web.ctx)[:3] == (0, 0, 0)


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    answer = client.post(f"/arenden/{reference}/dialog", data=form(upptacka_vald=COMMITMENT), follow_redirects=False)
    assert answer.status_code == 403
    token = csrf(web.signed_in("admin"))  # another session's token does not work either
    answer = client.post(f"/arenden/{reference}/dialog", data={**form(), "csrf": token}, follow_redirects=False)
    assert answer.status_code == 403
    assert client.post(f"/arenden/{reference}/lank/dra-tillbaka", follow_redirects=False).status_code == 403
    assert rows(web.ctx)[:3] == (0, 0, 0)


def test_an_unknown_case_is_404(web):
    client = web.signed_in()
    assert post(client, "/arenden/JS-2026-9999/dialog", form()).status_code == 404
    assert post(client, "/arenden/JS-2026-9999/lank/dra-tillbaka").status_code == 404


def test_hostile_text_is_shown_as_text(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    hostile = {**COMMITMENT, "does_today": SCRIPT, "commits_to": IMG, "good_example": "{{ 7*7 }}\x00\x1b[31m"}
    notice(client, post(client, f"/arenden/{reference}/dialog", form(participants=SCRIPT, notes=IMG, upptacka_vald=hostile)))
    page = client.get(f"/arenden/{reference}").text
    assert SCRIPT not in page and "<img src=x" not in page
    assert html.escape(SCRIPT, quote=False) in page and "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "{{ 7*7 }}[31m</textarea>" in page  # never evaluated; the NUL and the escape character are gone
    with web.ctx.sessions() as session:
        assert session.scalars(select(DialogueEntry.good_example)).one() == "{{ 7*7 }}[31m"
    # the form refused with hostile input comes back escaped as well
    refused = post(client, f"/arenden/{reference}/dialog", form(held_on=SCRIPT, participants=IMG))
    assert refused.status_code == 422 and SCRIPT not in refused.text and "<img src=x" not in refused.text


# -- the organisation's own answers ---------------------------------------------------------------------------


def test_the_organisations_answers_show_beside_the_right_area(web, tmp_path, clock):
    reference = complete_case(web.ctx, tmp_path / "in")
    with web.ctx.sessions() as session:
        cid, now = case_id(web.ctx, reference), clock()
        for code, does, could in [(VIOLENCE, "Vi har en våldsrutin.\nOch en till.", SCRIPT), ("", "Vi arbetar brett.", None),
                                  ("gammalt-omrade", "Skrivet under ett område som strukits.", None)]:
            session.add(DialogueAnswer(case_id=cid, area_code=code, does_today=does, could_contribute=could,
                                       created_at=now, updated_at=now))
        session.commit()
    page = web.signed_in().get(f"/arenden/{reference}").text
    part = area_part(page, VIOLENCE)
    assert "Organisationen har själv skrivit:" in part and "Vi har en våldsrutin.\nOch en till." in part
    assert html.escape(SCRIPT, quote=False) in part and SCRIPT not in page
    assert "12 mars 2026 kl. 10.00" in part  # when, in the board's time
    assert "Organisationen har inte skrivit något om området." in area_part(page, WORK)
    assert "Vi har en våldsrutin" not in area_part(page, WORK)
    assert "Organisationen har själv skrivit om sitt arbete i stort" in page and "Vi arbetar brett." in page
    assert "Område som inte längre finns i strategin: gammalt-omrade" in page
    assert "Skrivet under ett område som strukits." in page


# -- the personal link -------------------------------------------------------------------------------------


def test_the_link_is_shown_and_staff_withdraw_it(web, tmp_path, clock):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    with web.ctx.sessions() as session:
        link = issue_link(web.ctx, session, staff.get_case(session, reference), actor="test")
        link.last_used_at = clock() - timedelta(hours=2)
        session.commit()
        expires = link.expires_at
    page = client.get(f"/arenden/{reference}").text
    assert "Organisationen har en personlig länk till sin sida." in page and "Senast använd" in page
    assert "12 mars 2026 kl. 08.00" in page  # last used, in the board's time
    assert 'id="form-dra-tillbaka"' in page and 'data-confirm="Dra tillbaka den personliga länken?' in page

    shown = notice(client, post(client, f"/arenden/{reference}/lank/dra-tillbaka"))
    assert "Den personliga länken är dragen tillbaka." in shown
    assert "Ärendets personliga länk gäller inte längre" in shown and 'id="form-dra-tillbaka"' not in shown
    with web.ctx.sessions() as session:
        row = session.scalars(select(PortalLink)).one()
        assert row.revoked_by == "staff" and row.revoked_at is not None and row.expires_at == expires
    [event] = events(web.ctx, "portal_link_revoked")
    assert event.actor == "staff"
    assert "Personlig länk dragen tillbaka" in shown.split('id="historik"')[1]
    again = notice(client, post(client, f"/arenden/{reference}/lank/dra-tillbaka"))
    assert "Ärendet har ingen personlig länk att dra tillbaka." in again
    assert len(events(web.ctx, "portal_link_revoked")) == 1


def test_a_case_without_a_link_says_so(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    with web.ctx.sessions() as session:  # whatever the invitation did: no link at all
        session.execute(delete(PortalLink))
        session.commit()
    page = web.signed_in().get(f"/arenden/{reference}").text
    assert "Ärendet har ingen personlig länk än." in page and 'id="form-dra-tillbaka"' not in page


def test_the_organisation_reads_as_itself_in_the_history(web, tmp_path, clock):
    reference = complete_case(web.ctx, tmp_path / "in")
    with web.ctx.sessions() as session:
        session.add(Event(at=clock(), actor="portal:7", action="portal_answers_saved", case_id=case_id(web.ctx, reference),
                          detail="areas: upptacka-vald", data={"areas": [VIOLENCE]}))
        session.commit()
    history = web.signed_in().get(f"/arenden/{reference}").text.split('id="historik"')[1]
    assert "Organisationens sparade sina svar" not in history
    assert "Organisationen sparade sina svar" in history and "Organisationen (via sin personliga länk)" in history
    assert "portal:7" not in history


# -- the start page ----------------------------------------------------------------------------------------


def test_a_due_follow_up_is_on_the_start_page_until_marked_done(web, tmp_path):
    reference = complete_case(web.ctx, tmp_path / "in")
    client = web.signed_in()
    due = {**COMMITMENT, "follow_up_on": "2026-03-11"}  # the clock says 12 March: due since yesterday
    notice(client, post(client, f"/arenden/{reference}/dialog", form(upptacka_vald=due, valdsforebyggande_barn_unga={
        **COMMITMENT, "follow_up_on": "2026-03-13"})))
    start = client.get("/").text
    assert "Dialog och åtaganden" in start
    assert f"Uppföljning av åtagande: {VIOLENCE_NAME} (senast 11 mars 2026)" in start
    assert "Våldsförebyggande arbete riktat till barn och unga" not in start  # due tomorrow
    key = html.unescape(start.split('name="nyckel" value="follow_up:')[1].split('"')[0])
    shown = notice(client, post(client, "/att-gora/klar", {"nyckel": f"follow_up:{key}"}))
    assert "är markerad som klar" in shown and 'value="follow_up:' not in shown and "Dialog och åtaganden" not in shown
