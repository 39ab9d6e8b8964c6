"""Names that contain other names, through the real pipeline on SQLite and PostgreSQL.

Real mail of tests/heldout2: Sala kommun and Sala Sparbank each name the other, Västerås stad's
decision names its companies and the companies name the city as their owner. Each organisation
gets its own case with its own name, number and type; the bank's decision stated in its mail is
recorded; two organisations that name the same contact person keep two cases.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from ingest.poll import poll_once
from ingest.sources import DirectorySource
from models import Case

pytestmark = pytest.mark.integration

HELDOUT2 = Path(__file__).resolve().parents[2] / "heldout2" / "mail"
MAILS = ("01-vasteras-stads-parkerings-ab.eml", "04-sala-sparbank-beslut-i-texten.eml",
         "10-vasteras-pastorat-kyrkoradet.eml", "20-malarenergi-koncernledning-flera-paragrafer.eml",
         "21-vasteras-stad-ks-bolagen-namns.eml", "22-sala-kommun-apple-mail-signatur.eml",
         "29-bostads-ab-mimer-paragraf.eml")


def run(app, folder: Path, raws: dict[str, bytes]):
    folder.mkdir(exist_ok=True)
    for name, raw in raws.items():
        (folder / name).write_bytes(raw)
    return poll_once(app, DirectorySource(folder))


def cases(app) -> dict[str, Case]:
    with app.sessions() as session:
        rows = session.scalars(select(Case)).all()
        for case in rows:  # load what the assertions read before the session closes
            _ = (case.organisation, case.decisions, case.contacts)
        session.expunge_all()
    return {case.organisation.name: case for case in rows}


def test_each_organisation_gets_its_own_case_whatever_names_it_mentions(make_app, tmp_path):
    app = make_app()
    report = run(app, tmp_path / "mail", {name: (HELDOUT2 / name).read_bytes() for name in MAILS})
    assert (report.processed, report.quarantined) == (len(MAILS), 0)
    found = cases(app)
    assert sorted(found) == ["Bostads AB Mimer", "Mälarenergi AB", "Sala Sparbank", "Sala kommun", "Västerås Stads Parkerings AB",
                             "Västerås pastorat", "Västerås stad"]
    numbers = {name: (case.organisation.org_number, case.organisation.type) for name, case in found.items()}
    assert numbers["Västerås stad"] == ("212000-2064", "kommun")
    assert numbers["Västerås Stads Parkerings AB"] == ("556183-2147", "naringsliv")
    assert numbers["Mälarenergi AB"] == ("556554-1322", "naringsliv")
    assert numbers["Västerås pastorat"] == ("252004-3122", "civilsamhalle")
    assert numbers["Sala Sparbank"] == (None, "naringsliv")
    [bank_decision] = found["Sala Sparbank"].decisions
    assert (bank_decision.filename, bank_decision.text_source, bank_decision.decided_by, bank_decision.paragraph) == (
        None, "body", "Styrelsen", "§ 14")
    assert [d.decided_by for d in found["Sala kommun"].decisions] == ["Vård- och omsorgsnämnden"]
    assert [d.decided_by for d in found["Mälarenergi AB"].decisions] == ["Koncernledningen"]
    assert [c.email for c in found["Västerås pastorat"].contacts] == ["erik.lundmark@svenskakyrkan.se"]


def named_contact(msgid: str, org: str, sender: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = sender, "vastmanland@lansstyrelsen.se", \
        "Anslutning till jämställdhetsstrategin", msgid
    msg.set_content(f"Hej!\n\nStyrelsen beslutade den 3 maj 2024, § 7, att {org} ansluter sig till strategin.\n\n"
                    "Kontaktperson: Lena Holm, samordnare, lena.holm@bergslagen-konsult.se, 070-174 06 99\n\n"
                    f"Vänliga hälsningar\nStyrelsen\n{org}\n")
    return msg.as_bytes()


def test_two_organisations_that_name_the_same_contact_keep_two_cases(make_app, tmp_path):
    app = make_app()
    run(app, tmp_path / "mail", {
        "a.eml": named_contact("<a@fagerstahem.se>", "Fagerstahem AB", "info@fagerstahem.se"),
        "b.eml": named_contact("<b@fagersta-ridklubb.se>", "Fagersta Ridklubb", "info@fagersta-ridklubb.se"),
    })
    found = cases(app)
    assert sorted(found) == ["Fagersta Ridklubb", "Fagerstahem AB"]
    for case in found.values():
        assert [c.email for c in case.contacts] == ["lena.holm@bergslagen-konsult.se"]
        assert [d.text_source for d in case.decisions] == ["body"]
