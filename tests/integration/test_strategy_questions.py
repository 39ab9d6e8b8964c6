"""Mail about the strategy that is not an affiliation is listed in the digest for a person to answer
("Frågor och annan post om strategin"); everything else in the shared mailbox is not. Both databases."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

import pytest

from digest.collect import collect
from digest.render import render_digest
from tests.integration import mails
from tests.integration.lifecycle_support import cycle

pytestmark = pytest.mark.integration


def mail(msgid: str, subject: str, body: str, *, sender: str = "Karin Ek <karin.ek@heby.se>", to: str = mails.BOARD,
         headers: dict | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = sender, to, subject, msgid
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


def test_questions_about_the_strategy_are_listed_in_the_digest(make_lifecycle_app, imap, smtp_server, clock):
    app = make_lifecycle_app()
    imap.append(mail("<q1@heby.se>", "Fråga om <b>jämställdhetsstrategin</b>", "Hej! Kan en förening också ansluta sig?"))
    imap.append(mail("<q2@sala.se>", "Fråga", "Hej, vi undrar hur dialogen om strategin går till.", sender="Per Holm <per.holm@sala.se>"))
    imap.append(mail("<q3@heby.se>", "Fråga om bygglov", "Hej! När kommer beslutet om vårt bygglov?"))
    imap.append(mail("<q4@nyhetsbrev.se>", "Nyhetsbrev: jämställdhet i länet", "Läs om jämställdhetsstrategin.",
                     sender="Nyheter <info@nyhetsbrev.se>", headers={"List-Id": "<nyheter.nyhetsbrev.se>", "Precedence": "bulk"}))
    imap.append(mail("<q5@heby.se>", "Om jämställdhetsstrategin", "Till kollegan, för kännedom.", to="kollega@heby.se"))
    imap.append(mails.out_of_office(msgid="<q6@sala.se>", subject="Automatiskt svar: Fråga om jämställdhetsstrategin"))
    cycle(app)
    assert smtp_server.messages == []  # a question is answered by a person, not by the service

    with app.sessions() as session:
        data = collect(app, session, clock.now - timedelta(days=1), clock.now + timedelta(minutes=1))
    assert [(q.sender, q.subject) for q in data.questions] == [
        ("karin.ek@heby.se", "Fråga om <b>jämställdhetsstrategin</b>"), ("per.holm@sala.se", "Fråga")]
    assert data.has_news
    rendered = render_digest(app, data, None)
    text = rendered.text
    assert "FRÅGOR OCH ANNAN POST OM STRATEGIN (2)" in text
    section = text.split("FRÅGOR OCH ANNAN POST OM STRATEGIN (2)")[1].split("NYA ÄRENDEN")[0]
    assert "karin.ek@heby.se, ”Fråga om <b>jämställdhetsstrategin</b>”" in section
    assert "torsdag 12 mars kl. 10.00" in section  # received, local time
    assert "bygglov" not in text and "Nyhetsbrev" not in text and "kollegan" not in text
    assert "2 frågor om strategin" in rendered.subject
    html = rendered.html
    assert "Frågor och annan post om strategin" in html
    assert "&lt;b&gt;jämställdhetsstrategin&lt;/b&gt;" in html and "<b>jämställdhetsstrategin</b>" not in html
