"""The staff digest on a fixed set of cases: content, once a day, working days, SMTP, XLSX, exports."""

from __future__ import annotations

import io
import json
import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cli.main import cli
from digest.send import NOTHING_NEW, run_digest
from exports.rows import COLUMNS, KEYS
from models import (
    Case,
    CaseStatus,
    Contact,
    Decision,
    Digest,
    Event,
    JobRun,
    Meeting,
    Message,
    MessageStatus,
    Organisation,
    OutboxStatus,
    OutgoingMail,
    UndeliverableAddress,
)
from replies.send import send_due

pytestmark = pytest.mark.integration

SNAPSHOT = Path(__file__).parent / "snapshots" / "digest.txt"
STAFF = ["utveckling@lansstyrelsen.se", "therese.clifford@lansstyrelsen.se"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def stockholm(*args) -> datetime:
    """A wall-clock time in Stockholm in March 2026 (UTC+1) as UTC."""
    return utc(*args) - timedelta(hours=1)


def add_case(session, reference, status, org, org_type, created, *, since=None, decision=True, contact=None, **extra):
    organisation = Organisation(name=org, org_number=extra.pop("org_number", None), type=org_type)
    case = Case(reference=reference, status=status, organisation=organisation, sender=extra.pop("sender", None),
                missing=extra.pop("missing", []), confidence=extra.pop("confidence", {}), review=extra.pop("review", []),
                overrides={}, status_since=since or created, created_at=created, updated_at=since or created)
    session.add(case)
    session.flush()
    if decision:
        session.add(Decision(case_id=case.id, decided_by="Kommunstyrelsen", decision_date=date(2026, 2, 24), paragraph="§ 31",
                             case_number="KS 2026/88", filename="Protokollsutdrag KS § 31.pdf", text_source="pdf_text"))
    if contact:
        session.add(Contact(case_id=case.id, name=contact[0], title=contact[1], email=contact[2], phone=contact[3]))
    return case


def seed(app) -> None:
    """Six cases, one bounce, one quarantined message, poll runs and failures, around Thursday 12 March 2026."""
    with app.sessions() as s:
        add_case(s, "JS-2026-0001", CaseStatus.COMPLETE, "Köpings kommun", "kommun", stockholm(2026, 3, 11, 10, 15),
                 org_number="212000-2015", contact=("Anna Lind", "utvecklingsledare", "anna.lind@koping.se", "+46221251000"))
        add_case(s, "JS-2026-0002", CaseStatus.INVITED, "Region Västmanland", "region", stockholm(2026, 2, 20, 9, 0),
                 since=stockholm(2026, 3, 2, 8, 0), contact=("Helena Björk", None, "helena.bjork@regionvastmanland.se", None))
        sala = add_case(s, "JS-2026-0003", CaseStatus.INCOMPLETE, "Sala kommun", "kommun", stockholm(2026, 2, 20, 14, 0),
                        sender="info@sala.se", missing=["contact"])
        add_case(s, "JS-2026-0004", CaseStatus.NEEDS_REVIEW, "Föreningen Trygga hem", "civilsamhalle", stockholm(2026, 3, 11, 16, 40),
                 decision=False, missing=["decision"], contact=("Eva Sundberg", None, "eva@tryggahem.se", "0701234567"),
                 review=[{"field": "contact.phone", "reason": "not a Swedish number"}], confidence={"organisation.type": 0.4})
        mtb = add_case(s, "JS-2026-0005", CaseStatus.BOOKED, "Mälardalens Trä & Bygg AB", "naringsliv", stockholm(2026, 1, 15, 11, 0),
                       contact=("Nils Åkesson", "VD", "nils.akesson@mtbygg.se", None))
        add_case(s, "JS-2026-0006", CaseStatus.WITHDRAWN, "Arboga kommun", "kommun", stockholm(2026, 3, 11, 9, 0))
        s.flush()
        s.add(Meeting(case_id=mtb.id, uid="m1@lansstyrelsen.se", starts_at=stockholm(2026, 3, 13, 10, 0), place="Länsstyrelsen, Västerås"))
        s.add(Meeting(case_id=mtb.id, uid="m0@lansstyrelsen.se", starts_at=stockholm(2026, 3, 10, 10, 0), cancelled=True))
        s.add(UndeliverableAddress(address="info@sala.se", case_id=sala.id, reason="550 5.1.1", created_at=stockholm(2026, 3, 5, 8, 0)))
        s.add(Message(sha256="0" * 64, raw_path="raw/00/00/x.eml", size=10, received_at=stockholm(2026, 3, 11, 15, 0),
                      subject="Anslutning", sender="okand@example.se", status=MessageStatus.QUARANTINED,
                      quarantine_reason="MessageParseError: no header"))
        s.add(JobRun(job="poll", started_at=stockholm(2026, 3, 12, 9, 55), finished_at=stockholm(2026, 3, 12, 9, 55, 4), ok=True))
        s.add(JobRun(job="poll", started_at=stockholm(2026, 3, 11, 21, 0), finished_at=stockholm(2026, 3, 11, 21, 1), ok=False,
                     error="cannot reach IMAP server imap.example.se:993: timed out"))
        s.add(Event(at=stockholm(2026, 3, 11, 21, 1), action="poll_failed", detail="cannot reach IMAP server imap.example.se:993: timed out"))
        s.add(Event(at=stockholm(2026, 3, 11, 18, 0), action="reply_failed", case_id=sala.id, detail="outbox 7: 550 5.1.1 User unknown"))
        s.add(OutgoingMail(case_id=sala.id, template="request_missing", recipients=["info@sala.se"], subject="x", body_text="x",
                           message_id="<r7@lansstyrelsen.se>", status=OutboxStatus.FAILED, created_at=stockholm(2026, 3, 11, 17, 59)))
        s.commit()


@pytest.fixture
def app(make_app):
    return make_app(staff={"recipients": STAFF})


def count(app, model) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def the_mail(app) -> OutgoingMail:
    with app.sessions() as session:
        return session.scalars(select(OutgoingMail).where(OutgoingMail.template == "digest")
                               .options(selectinload(OutgoingMail.attachments))).one()


def test_digest_text_matches_the_reviewed_snapshot(app):
    seed(app)
    outcome = run_digest(app)  # the clock says Thursday 12 March 2026, 10:00 in Stockholm
    assert outcome.result == "queued", outcome
    mail = the_mail(app)
    text = f"Ämne: {mail.subject}\n\n{mail.body_text}"
    if os.environ.get("UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(text, encoding="utf-8")
        pytest.fail(f"snapshot written to {SNAPSHOT}: read it, then run again")
    assert text == SNAPSHOT.read_text(encoding="utf-8")
    assert mail.recipients == STAFF and mail.template == "digest" and mail.case_id is None


def test_html_part_has_the_same_news_and_no_external_resources(app):
    seed(app)
    run_digest(app)
    mail = the_mail(app)
    html = mail.body_html
    for needle in ("Köpings kommun", "Föreningen Trygga hem", "Ofullständigt sedan 20 februari", "Dialog", "Drift"):
        assert needle in html
    chart = next(a for a in mail.attachments if a.content_type == "image/png")
    assert f'src="cid:{chart.content_id}"' in html
    assert "<link" not in html and "<script" not in html and not re.search(r'src="(?!cid:)', html)
    # The only addresses are links to the workspace ([web] base_url): every case and action item has one.
    base = app.settings.web.base_url
    assert {url for url in re.findall(r'https?://[^"<>\s]+', html) if not url.startswith(base + "/")} == set()
    assert f'<a href="{base}/arenden/JS-2026-0004"' in html and f'<a href="{base}/meddelande/' in html


def test_the_digest_is_queued_once_even_across_a_restart(app, make_app):
    seed(app)
    assert run_digest(app).result == "queued"
    assert run_digest(app).result == "exists"
    restarted = make_app(staff={"recipients": STAFF})  # a new process on the same database
    assert run_digest(restarted).result == "exists"
    assert send_due(restarted).sent == 1
    assert send_due(app).sent == 0
    assert count(app, Digest) == 1 and the_mail(app).sent_at is not None  # the_mail: exactly one digest row
    assert len(list(Path(app.settings.smtp.outbox_dir).glob("*.eml"))) == 1


def test_weekend_holiday_and_early_morning_are_not_due(app):
    seed(app)
    for local in [(2026, 3, 14, 9, 0), (2026, 3, 15, 9, 0), (2026, 3, 12, 7, 29), (2026, 4, 3, 9, 0), (2026, 4, 6, 9, 0)]:
        outcome = run_digest(app, now=stockholm(*local) if local[1] == 3 else utc(*local) - timedelta(hours=2))
        assert outcome.result == "not_due", (local, outcome)
    assert count(app, Digest) == 0


def test_monday_covers_the_weekend_and_the_day_after_easter_covers_easter(app):
    seed(app)
    # Nothing arrives after the seed, but Sala's case still needs a person: that is news every working day.
    assert run_digest(app, now=stockholm(2026, 3, 13, 7, 30)).result == "queued"  # Friday: since Thursday 07:30
    assert run_digest(app, now=stockholm(2026, 3, 16, 7, 31)).result == "queued"  # Monday
    assert run_digest(app, now=utc(2026, 4, 2, 5, 30)).result == "queued"  # Thursday before Easter, 07:30 CEST
    assert run_digest(app, now=utc(2026, 4, 7, 5, 30)).result == "queued"  # Tuesday after Easter
    with app.sessions() as session:
        rows = session.scalars(select(Digest).order_by(Digest.day)).all()
        periods = {row.day: (row.period_start.replace(tzinfo=None), row.period_end.replace(tzinfo=None)) for row in rows}
    assert list(periods) == [date(2026, 3, 13), date(2026, 3, 16), date(2026, 4, 2), date(2026, 4, 7)]
    assert periods[date(2026, 3, 13)][0] == datetime(2026, 3, 12, 6, 30)  # Thursday 07:30 Stockholm: first digest
    assert periods[date(2026, 3, 16)] == (datetime(2026, 3, 13, 6, 30), datetime(2026, 3, 16, 6, 31))
    assert periods[date(2026, 4, 7)][0] == datetime(2026, 4, 2, 5, 30)


def test_a_quiet_day_is_skipped_and_recorded(make_app, clock):
    app = make_app(staff={"recipients": STAFF})
    assert run_digest(app).result == "skipped"
    with app.sessions() as session:
        assert session.scalars(select(Digest.skipped_reason)).one() == NOTHING_NEW
    assert run_digest(app).result == "exists"
    assert count(app, OutgoingMail) == 0
    clock.advance(days=1)  # Friday, still quiet, but staff want a mail every day
    chatty = make_app(staff={"recipients": STAFF}, digest={"send_when_empty": True})
    assert run_digest(chatty).result == "queued"
    assert "0 nya ärenden" in the_mail(chatty).subject


def test_sent_through_smtp_with_text_html_inline_chart_and_xlsx(make_app, smtp_server):
    app = make_app(staff={"recipients": STAFF},
                   smtp={"transport": "smtp", "host": smtp_server.host, "port": smtp_server.port, "tls": "none"})
    seed(app)
    run_digest(app)
    assert send_due(app).sent == 1
    [received] = smtp_server.messages
    assert sorted(received.rcpt_tos) == sorted(STAFF)
    message = received.message
    assert message["Subject"].startswith("Daglig sammanställning torsdag 12 mars 2026: 2 nya ärenden, 3 punkter att åtgärda")
    assert "Köpings kommun" in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "multipart/related" in parts
    chart = parts["image/png"]
    assert chart.get_content().startswith(b"\x89PNG") and chart.get_content_disposition() == "inline"
    assert f'src="cid:{chart["Content-ID"].strip().strip("<>")}"' in html
    sheet = parts[XLSX]
    assert sheet.get_filename() == "ärenden-2026-03-12.xlsx" and sheet.get_content_disposition() == "attachment"
    rows = list(load_workbook(io.BytesIO(sheet.get_content()), read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == tuple(heading for _, heading in COLUMNS)
    assert [row[0] for row in rows[1:]] == [f"JS-2026-000{n}" for n in range(1, 7)]
    first = dict(zip(KEYS, rows[1], strict=True))
    assert (first["organisation_name"], first["org_number"], first["status"]) == ("Köpings kommun", "212000-2015", "Komplett")  # in words for staff
    assert (first["decision_file"], first["paragraph"], first["contact_email"]) == ("Protokollsutdrag KS § 31.pdf", "§ 31", "anna.lind@koping.se")
    assert first["decision_date"] == datetime(2026, 2, 24)  # Excel stores dates as date-times
    assert first["created_at"] == datetime(2026, 3, 11, 10, 15)  # local time in Stockholm


@pytest.fixture
def config_file(app, tmp_path) -> Path:
    path = tmp_path / "config.toml"
    settings = app.settings
    path.write_text(
        f'[database]\nurl = "{settings.database.url}"\n[service]\ndata_dir = "{settings.service.data_dir}"\n'
        f'[smtp]\noutbox_dir = "{settings.smtp.outbox_dir}"\n[staff]\nrecipients = {json.dumps(STAFF)}\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def _close_cli_contexts(close_cli_contexts):
    """Every test here may run the command line in-process."""


def invoke(config_file: Path, *args: str):
    result = CliRunner().invoke(cli, ["--config", str(config_file), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_export_csv_json_and_xlsx_from_the_command_line(app, config_file, tmp_path):
    seed(app)
    csv_text = invoke(config_file, "export", "--format", "csv", "--status", "incomplete", "--status", "complete").output
    lines = csv_text.strip().splitlines()
    assert lines[0].split(",") == list(KEYS)
    assert [line.split(",")[0] for line in lines[1:]] == ["JS-2026-0001", "JS-2026-0003"]

    invoke(config_file, "export", "--format", "json", "--output", str(tmp_path / "cases.json"))
    cases = json.loads((tmp_path / "cases.json").read_text(encoding="utf-8"))["cases"]
    assert [c["reference"] for c in cases] == [f"JS-2026-000{n}" for n in range(1, 7)]
    koping = cases[0]
    assert koping["organisation"] == {"name": "Köpings kommun", "org_number": "212000-2015", "type": "kommun"}
    assert koping["decision"]["date"] == "2026-02-24" and koping["contact"]["name"] == "Anna Lind"
    assert koping["created_at"] == "2026-03-11T10:15:00+01:00"
    assert cases[3]["decision"] is None and cases[3]["review"] == [{"field": "contact.phone", "reason": "not a Swedish number"}]

    invoke(config_file, "export", "--format", "xlsx", "--output", str(tmp_path / "cases.xlsx"))
    sheet = load_workbook(tmp_path / "cases.xlsx").active
    assert sheet.freeze_panes == "A2" and sheet.max_row == 7
    assert sheet["A1"].value == "Ärende" and sheet["D2"].value == "Köpings kommun"


def test_digest_preview_and_send_now_from_the_command_line(app, config_file, tmp_path):
    seed(app)
    out = tmp_path / "preview" / "digest.html"
    invoke(config_file, "digest", "--preview", str(out))
    assert "Köpings kommun" in out.read_text(encoding="utf-8")
    assert out.with_suffix(".txt").read_text(encoding="utf-8").startswith("Ämne: Daglig sammanställning")
    assert 'src="digest-diagram.png"' in out.read_text(encoding="utf-8")
    assert (tmp_path / "preview" / "digest-diagram.png").read_bytes().startswith(b"\x89PNG")
    assert count(app, Digest) == 0  # a preview records nothing

    result = invoke(config_file, "digest", "--send-now")
    assert "queued" in result.output and "sent 1," in result.output
    assert count(app, Digest) == 1


def test_digest_and_exports_on_real_mail_with_stored_decisions_and_odd_names(make_app, tmp_path):
    """Cases made by the real pipeline (decisions are stored attachments), one with a hostile name."""
    from email.message import EmailMessage

    from exports.rows import flat_row
    from exports.rows import records as case_records
    from exports.writers import to_csv
    from exports.xlsx import workbook_bytes
    from ingest.poll import poll_once
    from ingest.sources import DirectorySource
    from tests.integration import mails

    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "a.eml").write_bytes(mails.affiliation(msgid="<x1@koping.se>"))
    odd = EmailMessage()
    odd["From"], odd["To"], odd["Subject"], odd["Message-ID"] = "X <x@example.org>", mails.BOARD, "Anslutning till jämställdhetsstrategin", "<x2@example.org>"
    odd.set_content("=HYPERLINK(\"http://evil.example\") ansluter sig.\n\nKontaktperson: Eva Ek, eva@example.org, 070-123 45 67\n")
    odd.add_attachment(mails.protocol_pdf(org="=HYPERLINK(\"http://evil.example\")"), maintype="application", subtype="pdf",
                       filename="Protokoll\x01KS.pdf")
    (folder / "b.eml").write_bytes(odd.as_bytes())
    app = make_app(staff={"recipients": STAFF})
    poll_once(app, DirectorySource(folder))
    with app.sessions() as session:
        records = case_records(session, app.zone)
    assert any(r["decision"] and r["decision"]["stored_file"] for r in records)
    book = load_workbook(io.BytesIO(workbook_bytes([flat_row(r) for r in records])))
    values = [cell.value for row in book.active.iter_rows() for cell in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)  # nothing runs as a formula
    assert not any(line.split(",")[2:3] == ["=HYPERLINK"] for line in to_csv(records).splitlines())
    assert run_digest(app, force=True).result == "queued"
