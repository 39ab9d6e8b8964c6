"""The shared inbox: the registry staff read the same mailbox, so only mail the service handled is moved or flagged."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from ingest.poll import poll_once
from ingest.sources import ImapSource
from replies.send import send_due
from tests.integration import mails

pytestmark = pytest.mark.integration
HANDLED = {"<aff@koping.se>", "<ooo@koping.se>", "<dsn@mx.koping.se>"}
NOT_OURS = {"<lunch@lansstyrelsen.se>", "<fraga@sala.se>", "<other-dsn@mx.sala.se>"}


def plain(msgid: str, sender: str, subject: str, text: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = sender, mails.BOARD, subject, msgid
    msg.set_content(text)
    return msg.as_bytes()


@pytest.fixture
def shared_app(make_app, imap, smtp_server, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap.password)

    def factory(**imap_keys):
        return make_app(
            source={"kind": "imap", "imap": {"host": imap.host, "port": imap.imap_port, "tls": "none", "user": imap.user,
                                             "password_env": "TEST_IMAP_PASSWORD", **imap_keys}},
            smtp={"transport": "smtp", "host": smtp_server.host, "port": smtp_server.port, "tls": "none"},
            replies={"invitation": "approval"},
        )
    return factory


def a_day_of_mail(app, imap, smtp_server) -> None:
    """An affiliation, mail for the registry, then an out-of-office and a bounce of our answer, and a stranger's bounce."""
    imap.append(mails.affiliation(msgid="<aff@koping.se>"))
    imap.append(plain("<lunch@lansstyrelsen.se>", "Per Holm <per.holm@lansstyrelsen.se>", "Lunch på fredag?", "Ses vi kl. 12?"))
    imap.append(plain("<fraga@sala.se>", "Elin Sjöberg <elin.sjoberg@sala.se>", "Fråga om strategin",
                      "Hej! Gäller strategin även bolag som kommunen äger? Mvh Elin"))
    poll(app)
    send_due(app)
    ours = smtp_server.messages[0].message["Message-ID"]
    imap.append(mails.out_of_office(msgid="<ooo@koping.se>", sender="anna.lind@koping.se", in_reply_to=ours))
    imap.append(mails.bounce(msgid="<dsn@mx.koping.se>", original_msgid=ours, recipient="anna.lind@koping.se"))
    imap.append(mails.bounce(msgid="<other-dsn@mx.sala.se>", original_msgid="<someone-else@sala.se>", recipient="x@sala.se"))
    poll(app)


def poll(app):
    return poll_once(app, ImapSource(app.settings.source.imap, account="test"))


def message_ids(imap, folder: str, *, flagged: bool | None = None) -> set[str]:
    with imap.client() as client:
        if not client.folder_exists(folder):
            return set()
        client.select_folder(folder, readonly=True)
        uids = client.search(["KEYWORD", "$Processed"] if flagged else ["UNKEYWORD", "$Processed"] if flagged is False else ["ALL"])
        heads = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]) if uids else {}
    return {h[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[1].strip() for h in heads.values()}


def test_only_handled_mail_leaves_the_inbox(shared_app, imap, smtp_server):
    app = shared_app(processed_folder="Behandlat")
    a_day_of_mail(app, imap, smtp_server)
    assert message_ids(imap, "Behandlat") == HANDLED
    assert message_ids(imap, "INBOX") == NOT_OURS  # the registry staff still find these where they left them


def test_only_handled_mail_is_flagged(shared_app, imap, smtp_server):
    app = shared_app(flag_processed=True)
    a_day_of_mail(app, imap, smtp_server)
    assert message_ids(imap, "INBOX", flagged=True) == HANDLED
    assert message_ids(imap, "INBOX", flagged=False) == NOT_OURS


def test_post_action_all_moves_everything(shared_app, imap, smtp_server):
    app = shared_app(processed_folder="Behandlat", post_action="all")
    a_day_of_mail(app, imap, smtp_server)
    assert message_ids(imap, "Behandlat") == HANDLED | NOT_OURS
    assert message_ids(imap, "INBOX") == set()
