"""`inbox preview` shows a case's real data; whatever the case lacks is rendered as sample values and
the preview says so, never mixing them in silently. Both databases, and the CLI as a person runs it."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from cases import staff
from models import Case, Slot
from replies.invitation import invite
from replies.preview import preview
from replies.variables import sample_variables
from tests.integration import mails
from tests.integration.lifecycle_support import cycle
from tests.integration.test_cli import EXAMPLES, inbox

pytestmark = pytest.mark.integration


def reference(app) -> str:
    with app.sessions() as session:
        return session.scalars(select(Case.reference)).one()


def test_a_case_without_offered_slots_or_requests_says_which_values_are_sample(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app(invitation="approval")  # complete, acknowledged, not yet invited
    imap.append(mails.affiliation(msgid="<p1@koping.se>"))
    cycle(app)
    ref = reference(app)
    sample_slot = sample_variables(app.settings)["invitation"]["slots"][0]

    shown = preview(app, "invitation", ref)
    assert list(shown.sample) == ["invitation"] and "SAMPLE" in shown.banner
    lines = shown.text().splitlines()
    assert lines[0].startswith(f"Subject: Inbjudan till dialogmöte: jämställdhetsstrategin [{ref}]")
    assert "SAMPLE" in lines[1] and "inga tider har erbjudits" in lines[1]  # said before the body
    assert sample_slot in shown.text() and "Hej Anna Lind" in shown.text()  # real contact, sample slot, and it says so
    assert "SAMPLE" in shown.html() and shown.html().index("SAMPLE") < shown.html().index("Hej")

    for template, variable in (("reminder", "reminder"), ("booking_confirmation", "meeting")):
        assert list(preview(app, template, ref).sample) == [variable]
    acknowledgement = preview(app, "acknowledgement", ref)
    assert acknowledgement.sample == {} and acknowledgement.banner is None  # all real: nothing to say
    assert "Köpings kommun" in acknowledgement.text() and "anna.lind@koping.se" in acknowledgement.text()


def test_offered_slots_and_a_sent_request_are_shown_as_they_are(make_lifecycle_app, imap, smtp_server):
    app = make_lifecycle_app(invitation="approval")
    with app.sessions() as session:
        session.add(Slot(starts_at=datetime(2026, 3, 24, 13, 30, tzinfo=app.zone), duration_minutes=60))
        session.commit()
    imap.append(mails.affiliation(msgid="<p2@koping.se>", with_decision=False))
    cycle(app)  # incomplete: a completion request went out
    ref = reference(app)
    reminder = preview(app, "reminder", ref)
    assert reminder.sample == {} and "Den 12 mars 2026 bad vi om en komplettering" in reminder.text()

    imap.append(mails.affiliation(msgid="<p3@koping.se>"))
    cycle(app)
    with app.sessions() as session:
        assert invite(app, session, staff.get_case(session, ref), actor="staff:eva") is True
        session.commit()
    invitation = preview(app, "invitation", ref)
    assert invitation.sample == {} and "tisdag den 24 mars 2026 kl. 13.30" in invitation.text()
    assert "tisdag den 12 maj 2026" not in invitation.text()  # the sample slot is gone


def test_the_command_line_preview_says_sample_on_stdout_and_stderr(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[source.directory]\npath = "{EXAMPLES}"\n[smtp]\noutbox_dir = "outbox"\n', encoding="utf-8")
    assert inbox("--config", str(config), "demo").returncode == 0
    done = inbox("--config", str(config), "preview", "booking_confirmation", "--case", "JS-2026-0001", "--output", str(tmp_path / "p.html"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Subject: Bekräftelse av dialogmöte") and "SAMPLE" in done.stdout.splitlines()[1]
    assert "note:" in done.stderr and "SAMPLE" in done.stderr and "meeting" in done.stderr
    assert "SAMPLE" in (tmp_path / "p.html").read_text(encoding="utf-8")
    everything = inbox("--config", str(config), "preview", "acknowledgement")
    assert "EXEMPELDATA (SAMPLE): inget ärende angivet" in everything.stdout and "SAMPLE" in everything.stderr
