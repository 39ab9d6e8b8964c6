"""`inbox rules dry-run` and `inbox reprocess` over the bundled examples, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.extract import DEFAULT_STEPS
from ingest.poll import poll_once
from ingest.rerun import rerun, snapshot
from ingest.sources import DirectorySource
from models import Event, Message

pytestmark = pytest.mark.integration
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "mail"
WITHOUT_SIGNATURES = tuple(step for step in DEFAULT_STEPS if step != "contact_signature")


def extractions(app) -> dict[int, dict]:
    with app.sessions() as session:
        return dict(session.execute(select(Message.id, Message.extraction)).all())


def test_the_same_rules_change_nothing(make_app):
    app = make_app()
    poll_once(app, DirectorySource(EXAMPLES))
    report = rerun(app)
    assert report.messages == len(list(EXAMPLES.glob("*.eml")))
    assert (report.changed_messages, report.failed, report.changes) == (0, [], [])


def test_dry_run_shows_the_difference_and_writes_nothing_then_reprocess_applies_it(make_app):
    app = make_app()
    poll_once(app, DirectorySource(EXAMPLES))
    stored = extractions(app)
    tuned = make_app(extract={"steps": list(WITHOUT_SIGNATURES)})  # an admin drops a step ...
    tuned.engine.dispose()
    tuned.engine, tuned.sessions = app.engine, app.sessions  # ... on the same database

    dry = rerun(tuned)
    changed_fields = dry.counts()
    assert dry.changed_messages > 0 and {"contact.name", "missing"} <= set(changed_fields)
    assert extractions(app) == stored  # nothing written
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Event).where(Event.action == "reprocessed")) == 0

    applied = rerun(tuned, apply=True, actor="admin:test")
    assert [(c.message_pk, c.field) for c in applied.changes] == [(c.message_pk, c.field) for c in dry.changes]
    with app.sessions() as session:
        events = session.scalars(select(Event).where(Event.action == "reprocessed")).all()
        assert len(events) == len(applied.changes) and {e.actor for e in events} == {"admin:test"}
        now_stored = {pk: snapshot(session.get(Message, pk)) for pk in {c.message_pk for c in applied.changes}}
    assert all(now_stored[c.message_pk][c.field] == c.current for c in applied.changes)
    assert rerun(tuned).changes == []  # applied: a second dry run sees nothing new


def test_reprocess_registers_a_message_the_new_rules_recognise_and_mails_no_one(make_app, tmp_path):
    from inbox.rules_file import RuleSet, SubjectRule
    from models import Case, OutgoingMail

    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "english.eml").write_bytes(
        b"From: Anna Lind <anna.lind@koping.se>\r\nTo: vastmanland@lansstyrelsen.se\r\nMessage-ID: <en1@koping.se>\r\n"
        b"Subject: We join the gender equality strategy\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Hello! Our municipality would like to take part.\r\n\r\nAnna Lind\r\nanna.lind@koping.se\r\n0221-251 00\r\n")
    app = make_app()
    poll_once(app, DirectorySource(folder))
    with app.sessions() as session:
        assert session.scalar(select(Message.kind)) == "other"
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        queued = session.scalar(select(func.count()).select_from(OutgoingMail))
    rule = SubjectRule(name="engelsk_rubrik", description="English subjects", pattern=r"\bjoin\w*\b.{0,40}\bgender equality strategy")
    tuned = make_app()
    tuned.engine.dispose()
    tuned.engine, tuned.sessions = app.engine, app.sessions
    tuned.settings = tuned.settings.model_copy(update={"rules": RuleSet(subject=(rule,))})
    report = rerun(tuned, apply=True)
    assert [c.field for c in report.changes if c.field == "kind"] == ["kind"]
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert session.scalar(select(func.count()).select_from(OutgoingMail)) == queued  # no mail from reprocessing
