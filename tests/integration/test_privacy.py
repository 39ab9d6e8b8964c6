"""Personal data: export and erasure of one person, retention, and the log rule (SQLite and PostgreSQL).

Mail goes through the real pipeline (a folder source, the same store, classify, extract and case
steps as IMAP); files are checked on disk.
"""

from __future__ import annotations

import json
import logging
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from digest.send import run_digest
from models import Attachment, Case, CaseStatus, Contact, Event, JobRun, Message, OutboxStatus, OutgoingMail, UndeliverableAddress
from privacy.erase import erase_person
from privacy.export import export_person, export_text
from privacy.lookup import last_erasure
from privacy.redact import install_redaction
from privacy.retention import run_retention
from replies.send import send_due
from scheduler import build_scheduler, retention_job
from tests.integration import mails
from tests.integration.lifecycle_support import deliver

pytestmark = pytest.mark.integration

ANNA = "anna.lind@koping.se"
SHARED_MAP = b"Karta till Lansstyrelsen, Vastra Ringvagen 1 (same bytes in two messages)\n"


def mail(*, sender: str, name: str, msgid: str, subject: str, body: str, files: dict[str, bytes] | None = None, headers=None) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>"
    msg["To"] = mails.BOARD
    msg["Subject"] = subject
    msg["Message-ID"] = msgid
    msg["Date"] = "Thu, 12 Mar 2026 09:00:00 +0100"
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content(body)
    for filename, payload in (files or {}).items():
        msg.add_attachment(payload, maintype="application", subtype="octet-stream", filename=filename)
    return msg.as_bytes()


def seed(app, tmp_path: Path) -> dict[str, int]:
    """Anna's affiliation (a case), her question with two files (one shared with Erik's forward),
    her out-of-office, Erik's forward that names her, and Hanna's mail (a similar address)."""
    deliver(
        app, tmp_path / "mail",
        a1=mails.affiliation(msgid="<a1@koping.se>", sender=ANNA),
        q1=mail(sender=ANNA, name="Anna Lind", msgid="<q1@koping.se>", subject="Fråga om workshopen i maj",
                body="Hej!\n\nFinns det plats kvar på workshopen? Ring mig gärna på 070-123 45 67.\n\n/Anna\n",
                files={"program.txt": b"Program for Anna only\n", "karta.txt": SHARED_MAP}),
        o1=mails.out_of_office(msgid="<o1@koping.se>", sender=ANNA, subject="Frånvaro: Nyhetsbrev"),
        e1=mail(sender="erik.berg@sala.se", name="Erik Berg", msgid="<e1@sala.se>", subject="Vidarebefordrat: karta",
                body=f"Hej!\n\nAnna Lind ({ANNA}) bad mig skicka kartan till er.\n\nErik\n", files={"karta.txt": SHARED_MAP}),
        h1=mail(sender="hanna.lind@koping.se", name="Hanna Lind", msgid="<h1@koping.se>", subject="Nyhetsbrev",
                body="Hej! Jag vill ha ert nyhetsbrev.\n"),
    )
    with app.sessions() as session:
        ids = {m.message_id.strip("<>").split("@")[0]: m.id for m in session.scalars(select(Message))}
        session.add(OutgoingMail(template="request_missing", recipients=["Anna.Lind@koping.se"], subject="Svar på er fråga",
                                 body_text="Hej!", message_id="<solo@lansstyrelsen.se>", status=OutboxStatus.SENT, created_at=app.clock()))
        session.add(OutgoingMail(template="digest", recipients=[ANNA, "utveckling@lansstyrelsen.se"], subject="Sammanställning",
                                 body_text="Nyheter", message_id="<both@lansstyrelsen.se>", status=OutboxStatus.SENT, created_at=app.clock()))
        session.add(UndeliverableAddress(address=ANNA, reason="550 5.1.1 mailbox full for good", created_at=app.clock()))
        session.commit()
    return ids


def files_of(app, message_id: int) -> list[Path]:
    with app.sessions() as session:
        message = session.get(Message, message_id)
        return [app.data_dir / message.raw_path, *(app.data_dir / a.path for a in message.attachments)]


def the_erasure(app) -> Event:
    with app.sessions() as session:
        return session.scalars(select(Event).where(Event.action == "person_erased")).one()


def test_export_lists_every_message_contact_reply_flag_and_file_of_one_person(make_app, tmp_path):
    app = make_app()
    ids = seed(app, tmp_path)
    with app.sessions() as session:
        data = export_person(session, app.data_dir, "  <Anna.LIND@Koping.se> ", now=app.clock())

    assert data["address"] == ANNA and data["names"] == ["Anna Lind"]
    roles = {m["id"]: m["roles"] for m in data["messages"]}
    assert set(roles) == {ids["a1"], ids["q1"], ids["o1"], ids["e1"]}  # not Hanna's: hanna.lind@ is another address
    assert "sender" in roles[ids["q1"]] and roles[ids["e1"]] == ["raw"]
    assert {"sender", "contact"} <= set(roles[ids["a1"]])
    affiliation = next(m for m in data["messages"] if m["id"] == ids["a1"])
    assert affiliation["case"] == "JS-2026-0001" and affiliation["kind"] == "affiliation"
    [contact] = data["contacts"]
    assert (contact["case"], contact["name"], contact["email"]) == ("JS-2026-0001", "Anna Lind", ANNA)
    assert {"reference": "JS-2026-0001", "roles": ["sender", "contact", "message"]} in data["cases"]
    outgoing = {o["template"]: o for o in data["outgoing_mail"]}
    assert outgoing["acknowledgement"]["case"] == "JS-2026-0001" and outgoing["request_missing"]["case"] is None
    assert "digest" in outgoing and "recipients" not in outgoing["digest"]  # co-recipients are other people's data
    assert len(data["undeliverable"]) == 1
    stored = {Path(f["path"]) for f in data["files"]}
    assert set(files_of(app, ids["q1"])) <= stored and all(f["exists"] for f in data["files"])
    assert {f.get("filename") for f in data["files"] if f["message"] == ids["q1"]} == {None, "program.txt", "karta.txt"}
    assert json.loads(json.dumps(data)) == data  # plain JSON
    text = export_text(data)
    assert "Contact rows (1):" in text and "JS-2026-0001" in text and "program.txt" in text


def test_erase_deletes_mail_outside_the_record_and_refuses_the_case_by_default(make_app, tmp_path):
    app = make_app()
    ids = seed(app, tmp_path)
    question_files, forward_files = files_of(app, ids["q1"]), files_of(app, ids["e1"])
    shared = next(p for p in question_files if p.read_bytes() == SHARED_MAP)

    result = erase_person(app, ANNA.upper(), actor="staff:eva")

    assert result.counts["messages_deleted"] == 2 and result.counts["files_removed"] == 3  # question (raw + program) + out-of-office
    assert result.counts["files_kept_shared"] == 1
    assert not any(p.exists() for p in question_files if p != shared)
    assert shared.exists() and all(p.exists() for p in forward_files)  # Erik's forward still needs the map
    with app.sessions() as session:
        left = set(session.scalars(select(Message.id)))
        assert left == {ids["a1"], ids["e1"], ids["h1"]}
        assert session.scalars(select(Attachment.path).where(Attachment.message_pk == ids["q1"])).all() == []
        case = session.scalars(select(Case)).one()
        assert case.contact.email == ANNA  # refused: the affiliation case is a public record
        assert session.scalars(select(OutgoingMail.template).where(OutgoingMail.case_id.is_(None))).all() == ["digest"]
        assert session.scalars(select(OutgoingMail.recipients).where(OutgoingMail.template == "digest")).one() == ["utveckling@lansstyrelsen.se"]
        assert session.scalars(select(UndeliverableAddress)).one()  # the case keeps the address, the flag keeps mail from it
    why = {item.what: item.why for item in result.plan.kept}
    assert "erase_registered" in why["case JS-2026-0001"]
    assert "someone else" in why[f"message {ids['e1']}"]

    event = the_erasure(app)
    audit = (event.detail + json.dumps(event.data)).lower()
    assert event.actor == "staff:eva" and len(event.data["address_hash"]) == 64
    assert ANNA not in audit and "anna.lind" not in audit and "anna lind" not in audit
    assert event.data["counts"]["messages_deleted"] == 2
    with app.sessions() as session:  # what `inbox reprocess` would ask before reading a kept record again
        assert last_erasure(session, app.data_dir, ANNA.upper()) == app.clock()
        assert last_erasure(session, app.data_dir, "hanna.lind@koping.se") is None


def test_erase_pseudonymises_the_case_when_the_records_plan_allows_it(make_app, tmp_path):
    app = make_app(privacy={"erase_registered": True})
    ids = seed(app, tmp_path)
    assert send_due(app).sent >= 2  # the acknowledgement and the invitation: the board's registered replies
    with app.sessions() as session:
        case = session.scalars(select(Case)).one()
        session.add(OutgoingMail(case_id=case.id, template="reminder", recipients=[ANNA], subject="Påminnelse", body_text="Hej!",
                                 message_id="<later@lansstyrelsen.se>", status=OutboxStatus.PENDING, created_at=app.clock()))
        session.commit()
    affiliation_files = files_of(app, ids["a1"])

    result = erase_person(app, ANNA, actor="staff:eva")

    assert result.counts["contacts_pseudonymised"] == 1 and result.counts["flags_removed"] == 1
    with app.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status is CaseStatus.NEEDS_REVIEW  # no reminder or invitation goes to the erased address
        on_case = session.scalars(select(OutgoingMail).where(OutgoingMail.case_id == case.id)).all()
        assert {o.template for o in on_case} == {"acknowledgement", "invitation"}  # the unsent reminder went
        assert all(o.status is OutboxStatus.SENT for o in on_case)
        [contact] = session.scalars(select(Contact)).all()
        assert contact.name.startswith("[raderad ") and contact.email is None and contact.phone is None
        assert contact.title == "utvecklingsledare" and case.sender is None
        history = " ".join(f"{e.detail} {json.dumps(e.data)}" for e in session.scalars(select(Event).where(Event.case_id == case.id)))
        assert ANNA not in history.lower() and "Anna Lind" not in history and contact.name in history
        assert ANNA not in json.dumps(session.get(Message, ids["a1"]).extraction)
        assert session.scalars(select(UndeliverableAddress)).all() == []
    assert all(p.exists() for p in affiliation_files)  # the registered message itself is kept
    with app.sessions() as session:
        after = export_person(session, app.data_dir, ANNA, now=app.clock())
    assert after["contacts"] == [] and len(after["erasures"]) == 1
    assert {m["id"] for m in after["messages"]} == {ids["a1"], ids["e1"]}


def test_retention_deletes_expired_mail_outside_the_record_and_never_a_case_message(make_app, tmp_path, clock):
    app = make_app(staff={"recipients": ["utveckling@lansstyrelsen.se"]}, digest={"send_when_empty": True})
    ids = seed(app, tmp_path)
    # An out-of-office in the thread of our acknowledgement joins the case's history.
    with app.sessions() as session:
        ours = session.scalars(select(OutgoingMail.message_id).where(OutgoingMail.template == "acknowledgement")).one()
    deliver(app, tmp_path / "mail", o2=mails.out_of_office(msgid="<o2@koping.se>", sender=ANNA, in_reply_to=ours))
    question_files = files_of(app, ids["q1"])

    clock.advance(days=31)
    assert run_retention(app).deleted == {"other": 0, "auto_reply": 1, "bounce": 0, "quarantined": 0}  # o1, not o2 (on the case)
    clock.advance(days=60)
    dry = run_retention(app, dry_run=True)
    assert dry.deleted["other"] == 3 and all(p.exists() for p in question_files)
    report = run_retention(app)
    assert report.deleted["other"] == 3 and report.files_removed == 5  # q1 raw + program + map, e1 raw, h1 raw

    assert not any(p.exists() for p in question_files)
    with app.sessions() as session:
        left = session.scalars(select(Message)).all()
        assert {m.kind for m in left} == {"affiliation", "auto_reply"} and all(m.case_id for m in left)
        assert session.scalars(select(Case)).one().contact.email == ANNA
    assert all(p.exists() for p in files_of(app, ids["a1"]))

    clock.now = clock.now.replace(hour=9)  # a working-day morning, after the digest time
    outcome = run_digest(app, force=True)
    with app.sessions() as session:
        body = session.get(OutgoingMail, outcome.outgoing_mail_id).body_text
    assert "Senaste gallring av e-post som inte ska bevaras: " in body
    assert "3 meddelanden och 5 filer raderade (övrig e-post 3)" in body


def test_retention_runs_from_the_scheduler_and_is_recorded(make_app, tmp_path, clock):
    app = make_app(privacy={"retention_time": "02:30:00", "keep_other_days": 1})
    seed(app, tmp_path)
    scheduler = build_scheduler(app)
    job = scheduler.get_job("retention")
    assert job is not None and str(job.trigger.fields[5]) == "2" and str(job.trigger.fields[6]) == "30"

    clock.advance(days=2)
    retention_job(app)
    with app.sessions() as session:
        run = session.scalars(select(JobRun).where(JobRun.job == "retention")).one()
        assert run.ok and run.summary.startswith("deleted 3 message(s) (other 3")


def write_config(tmp_path: Path, database_url: str, **privacy) -> Path:
    path = tmp_path / "config.toml"
    lines = [f'[service]\ndata_dir = "{tmp_path / "data"}"', f'[database]\nurl = "{database_url}"',
             f'[smtp]\noutbox_dir = "{tmp_path / "outbox"}"', "[privacy]", *(f"{k} = {json.dumps(v)}" for k, v in privacy.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.usefixtures("close_cli_contexts")
def test_person_and_retention_commands(make_app, tmp_path, database_url):
    app = make_app()
    ids = seed(app, tmp_path)
    config = str(write_config(tmp_path, database_url))
    runner = CliRunner()

    exported = runner.invoke(cli(), ["--config", config, "person", "export", ANNA, "--json"])
    assert exported.exit_code == 0, exported.output
    assert {m["id"] for m in json.loads(exported.output)["messages"]} == {ids["a1"], ids["q1"], ids["o1"], ids["e1"]}

    refused = runner.invoke(cli(), ["--config", config, "person", "erase", ANNA, "--by", "eva"], input="n\n")
    assert refused.exit_code == 0 and "nothing changed" in refused.output
    assert "keep case JS-2026-0001: an affiliation case is a public record" in refused.output

    erased = runner.invoke(cli(), ["--config", config, "person", "erase", ANNA, "--by", "eva", "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "messages deleted: 2" in erased.output and "kept case JS-2026-0001" in erased.output

    with app.sessions() as session:
        before = set(session.scalars(select(Message.id)))
    dry = runner.invoke(cli(), ["--config", config, "retention", "run", "--dry-run"])  # the CLI runs on the real clock
    assert dry.exit_code == 0 and dry.output.startswith("retention: would delete "), dry.output
    with app.sessions() as session:
        assert set(session.scalars(select(Message.id))) == before


def cli():
    from cli.main import cli as command

    return command


@pytest.mark.usefixtures("close_cli_contexts")
def test_log_records_at_warning_carry_no_contact_details(make_app, tmp_path, database_url, caplog):
    make_app()
    config = str(write_config(tmp_path, database_url))
    caplog.set_level(logging.DEBUG, logger="replies.send")
    try:
        # The CLI's logging set-up installs the filter on the handlers it finds (here pytest's).
        assert CliRunner().invoke(cli(), ["--config", config, "retention", "run", "--dry-run"]).exit_code == 0
        logging.getLogger("ingest.process").warning("message %s quarantined: %s", 7, f"ValueError: {ANNA} ringde 070-123 45 67")
        logging.getLogger("replies.send").debug("outbox %s to %s", 8, ANNA)
    finally:
        install_redaction(reveal=True)
    [warning] = [r for r in caplog.records if r.name == "ingest.process"]
    [debug] = [r for r in caplog.records if r.name == "replies.send"]
    assert warning.levelno == logging.WARNING
    assert warning.getMessage() == "message 7 quarantined: ValueError: ***@koping.se ringde [telefon]"
    written = [line for line in caplog.text.splitlines() if line.startswith("WARNING")]
    assert written and not any(ANNA in line or "070-123" in line for line in written)  # what the handlers wrote
    assert debug.getMessage() == f"outbox 8 to {ANNA}"  # DEBUG is for a person debugging: unmasked


@pytest.mark.usefixtures("close_cli_contexts")
def test_verbose_personal_leaves_the_log_unmasked(make_app, tmp_path, database_url, caplog):
    make_app()
    config = str(write_config(tmp_path, database_url))
    caplog.set_level(logging.WARNING)
    try:
        assert CliRunner().invoke(cli(), ["--verbose-personal", "--config", config, "retention", "run"]).exit_code == 0
        logging.getLogger("ingest.process").warning("to %s", ANNA)
    finally:
        install_redaction(reveal=True)
    assert caplog.records[-1].getMessage() == f"to {ANNA}"
