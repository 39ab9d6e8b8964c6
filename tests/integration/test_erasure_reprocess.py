"""A person erased on request stays erased when `inbox reprocess` reads the kept mail again:
the pseudonymised contact row is left alone, and no contact comes back from mail received
before the erasure. A folder source, the real pipeline, SQLite and PostgreSQL."""

from __future__ import annotations

import json
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from inbox.rules_file import RuleSet, SubjectRule
from ingest.rerun import rerun
from models import Case, Contact, Event, Message
from privacy.erase import erase_person
from tests.integration import mails
from tests.integration.lifecycle_support import deliver

pytestmark = pytest.mark.integration

ANNA = "anna.lind@koping.se"
# What must not come back: her address, her name, her phone number (as written and as stored).
HERS = (ANNA, "Anna Lind", "0221-251 00", "+4622125100")


def registrar_naming_anna() -> bytes:
    """Köping's registrar names Anna as contact, under a subject no default rule reads as an affiliation."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Registrator <registrator@koping.se>", mails.BOARD, "We join the gender equality strategy"
    msg["Message-ID"] = "<en1@koping.se>"
    msg.set_content("Hello! Köpings kommun takes part.\n\n"
                    "Kontaktperson: Anna Lind, utvecklingsledare, anna.lind@koping.se, 0221-251 00\n")
    return msg.as_bytes()


def with_english_subjects(app, make_app):
    """The same database, with an admin's subject rule that reads the registrar's mail as an affiliation."""
    tuned = make_app(privacy={"erase_registered": True})
    tuned.engine.dispose()
    tuned.engine, tuned.sessions = app.engine, app.sessions
    rule = SubjectRule(name="engelsk_rubrik", description="English subjects", pattern=r"\bjoin\w*\b.{0,40}\bgender equality strategy")
    tuned.settings = tuned.settings.model_copy(update={"rules": RuleSet(subject=(rule,))})
    return tuned


def left_of_anna(app) -> list[str]:
    """Every place in the database where her details are found after the reprocess."""
    found = []
    with app.sessions() as session:
        rows = [*session.scalars(select(Contact)), *session.scalars(select(Event)), *session.scalars(select(Message)),
                *session.scalars(select(Case))]
        for row in rows:
            text = json.dumps({c.name: getattr(row, c.name) for c in row.__table__.columns
                               if c.name not in ("sender", "raw_path", "subject")}, default=str, ensure_ascii=False)
            found += [f"{row.__tablename__} {row.id}: {word}" for word in HERS if word.lower() in text.lower()]
    return found


def test_reprocess_after_an_erasure_leaves_the_contact_pseudonymised(make_app, tmp_path, clock):
    app = make_app(privacy={"erase_registered": True})
    deliver(app, tmp_path / "mail", a1=mails.affiliation(msgid="<a1@koping.se>"), r1=registrar_naming_anna())
    clock.advance(days=3)
    erase_person(app, ANNA, actor="staff:eva")
    with app.sessions() as session:
        [erased] = session.scalars(select(Contact)).all()
        assert (erased.source, erased.email) == ("erased", None) and erased.name.startswith("[raderad ")
    assert left_of_anna(app) == []

    clock.advance(days=1)
    tuned = with_english_subjects(app, make_app)
    report = rerun(tuned, apply=True, actor="admin:test")

    assert report.failed == []
    assert [c.field for c in report.changes if c.field.startswith("contact.")] == []  # nothing of hers is "changed back"
    assert ("kind", "other", "affiliation") in [(c.field, c.stored, c.current) for c in report.changes]  # the rule did apply
    with app.sessions() as session:
        contacts = session.scalars(select(Contact)).all()
        assert [(c.id, c.source, c.email, c.phone) for c in contacts] == [(erased.id, "erased", None, None)]
        assert contacts[0].name == erased.name
        registrar = session.scalars(select(Message).where(Message.message_id == "<en1@koping.se>")).one()
        case = session.scalars(select(Case)).one()
        assert registrar.case_id == case.id  # registered on Köping's case, without her
    assert left_of_anna(app) == []
