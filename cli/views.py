"""What the CLI shows: plain data (also printed as `--json`) and rich tables made from it. Reading only.

Times are shown in the board's time zone with the zone's name; types and statuses in the
Swedish words staff use (digest/labels.py), with the English code where a command takes it.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from digest import labels
from inbox.errors import NotFound
from models import Case, Event, Meeting, Message, MessageStatus, OutgoingMail, UndeliverableAddress
from replies.outbox_view import ago, next_attempt, state

WIDE = 100_000  # off a terminal nothing is cut: a table is as wide as its longest row


def terminal_console() -> Console:
    """A terminal gets its own width; a pipe or a file gets whole rows, never a table cut at 80 columns."""
    return Console() if sys.stdout.isatty() else Console(width=WIDE)


def local_iso(at: datetime | None, zone: ZoneInfo) -> str | None:
    """An instant for scripts: ISO 8601 in the board's zone, with its offset."""
    return at.astimezone(zone).isoformat(timespec="seconds") if at else None


def local_text(at: datetime | None, zone: ZoneInfo, *, seconds: bool = False) -> str:
    """An instant for people: '2026-03-12 10:00 CET'."""
    return at.astimezone(zone).strftime(f"%Y-%m-%d %H:%M{':%S' if seconds else ''} %Z") if at else "–"


# -- cases -------------------------------------------------------------------------


def case_rows(session: Session, zone: ZoneInfo, status: str | None = None) -> list[dict]:
    """`inbox cases --json`: one object per case (keys documented in the README)."""
    query = select(Case).options(selectinload(Case.organisation), selectinload(Case.contacts), selectinload(Case.decisions)).order_by(Case.id)
    if status:
        query = query.where(Case.status == status)
    return [_case_summary(case, zone) for case in session.scalars(query)]


def _case_summary(case: Case, zone: ZoneInfo) -> dict:
    decision, contact = case.decision, case.contact
    return {
        "reference": case.reference,
        "status": case.status.value,
        "status_label": labels.status(case.status.value),
        "organisation": _organisation(case),
        "decision": _decision(decision) if decision else None,
        "contact": _contact(contact) if contact else None,
        "missing": list(case.missing or []),
        "created_at": local_iso(case.created_at, zone),
        "updated_at": local_iso(case.updated_at, zone),
    }


def _organisation(case: Case) -> dict | None:
    org = case.organisation
    if org is None:
        return None
    return {"name": org.name, "org_number": org.org_number, "type": org.type,
            "type_label": labels.organisation_type(org.type) if org.type else None}


def _decision(decision) -> dict:
    return {"decided_by": decision.decided_by, "date": decision.decision_date.isoformat() if decision.decision_date else None,
            "paragraph": decision.paragraph, "case_number": decision.case_number, "filename": decision.filename,
            "text_source": decision.text_source}


def _contact(contact) -> dict:
    return {"name": contact.name, "title": contact.title, "email": contact.email, "phone": contact.phone,
            "source": contact.source, "status": contact.status}


def cases_table(rows: list[dict]) -> Table:
    table = Table(title="Cases")
    table.add_column("Reference", no_wrap=True)  # a person copies it into `inbox show`: never cut
    table.add_column("Status", no_wrap=True)
    for column in ("Organisation", "Type", "Decision", "Contact", "Missing"):
        table.add_column(column)
    for row in rows:
        org, decision, contact = row["organisation"], row["decision"], row["contact"]
        table.add_row(*(escape(cell or "–") for cell in (
            row["reference"], row["status_label"], labels.one_line(org["name"]) if org else "–",
            (org["type_label"] or labels.UNKNOWN_TYPE) if org else "–",
            " ".join(filter(None, [decision["decided_by"], decision["date"], decision["paragraph"]])) if decision else "–",
            ", ".join(filter(None, [contact["name"], contact["email"], contact["phone"]])) if contact else "–",
            ", ".join(labels.field(name) for name in row["missing"]) or "–",
        )))
    return table


# -- one case ------------------------------------------------------------------------


def case_detail(session: Session, reference: str, zone: ZoneInfo) -> dict:
    """`inbox show REF --json`: the case with everything on it (keys documented in the README)."""
    case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        raise NotFound(f"no case {reference}")

    def by_case(model):
        return session.scalars(select(model).where(model.case_id == case.id).order_by(model.id))

    return {
        **_case_summary(case, zone),
        "decisions": [_decision(d) for d in case.decisions],
        "contacts": [_contact(c) for c in case.contacts],
        "overrides": dict(case.overrides or {}),
        "review": list(case.review or []),
        "meetings": [{"starts_at": local_iso(m.starts_at, zone), "minutes": m.duration_minutes, "place": m.place,
                      "link": m.link, "cancelled": m.cancelled, "sequence": m.sequence} for m in by_case(Meeting)],
        "undeliverable": [{"address": u.address, "reason": u.reason} for u in by_case(UndeliverableAddress)],
        "messages": [{"id": m.id, "received_at": local_iso(m.received_at, zone), "sender": m.sender, "subject": m.subject,
                      "kind": m.kind, "status": m.status.value} for m in by_case(Message)],
        "replies": [{"id": r.id, "template": r.template, "recipients": list(r.recipients), "status": r.status.value,
                     "sent_at": local_iso(r.sent_at, zone)} for r in by_case(OutgoingMail)],
        "events": [{"at": local_iso(e.at, zone), "actor": e.actor, "action": e.action, "detail": e.detail} for e in by_case(Event)],
    }


def show_case(console: Console, detail: dict, zone: ZoneInfo) -> None:
    out = partial(console.print, highlight=False)
    missing = ", ".join(labels.field(name) for name in detail["missing"]) or "–"
    out(f"[bold]{detail['reference']}[/bold]  status: {detail['status_label']} ({detail['status']})  missing: {escape(missing)}")
    if org := detail["organisation"]:
        out(escape(f"Organisation: {labels.one_line(org['name'])}  {org['org_number'] or ''}  {org['type_label'] or ''}"))
    for d in detail["decisions"]:
        out(escape(f"Decision: {d['decided_by']} {d['date']} {d['paragraph']} {d['case_number']} [{d['filename']}]"))
    for c in detail["contacts"]:
        out(escape(f"Contact ({c['source']}, {c['status']}): {c['name']}, {c['title']}, {c['email']}, {c['phone']}"))
    for key, value in detail["overrides"].items():
        out(escape(f"Staff correction: {key} = {value}"))
    for item in detail["review"]:
        out(f"[yellow]Review[/yellow] {escape(labels.field(item['field']))}: {escape(str(item['reason']))}")
    for m in detail["meetings"]:
        state = "cancelled" if m["cancelled"] else "booked"
        out(escape(f"Meeting: {_shown(m['starts_at'], zone)} {m['minutes']} min {m['place'] or m['link'] or ''} [{state}, seq {m['sequence']}]"))
    for bad in detail["undeliverable"]:
        out(f"[red]Undeliverable[/red]: {escape(bad['address'])} ({escape(str(bad['reason']))})")
    for m in detail["messages"]:
        out(escape(f"Message {m['id']}: {_shown(m['received_at'], zone)} {m['sender']} “{m['subject']}”"))
    for r in detail["replies"]:
        out(escape(f"Reply {r['id']}: {r['template']} to {', '.join(r['recipients'])} [{r['status']}]"))
    for e in detail["events"]:
        out(escape(f"  {_shown(e['at'], zone, seconds=True)} {e['actor']} {e['action']}: {e['detail'] or ''}"))


def _shown(iso: str | None, zone: ZoneInfo, *, seconds: bool = False) -> str:
    """A time of the detail as people read it, with the zone's name (CET, CEST)."""
    return local_text(datetime.fromisoformat(iso), zone, seconds=seconds) if iso else "–"


# -- quarantine ------------------------------------------------------------------------


def quarantine_rows(session: Session, zone: ZoneInfo) -> list[dict]:
    """`inbox quarantine --json` (keys documented in the README)."""
    query = select(Message).where(Message.status == MessageStatus.QUARANTINED).order_by(Message.id)
    return [{"id": m.id, "received_at": local_iso(m.received_at, zone), "sender": m.sender, "subject": m.subject,
             "reason": m.quarantine_reason, "attempts": m.attempts} for m in session.scalars(query)]


def quarantine_table(rows: list[dict], zone: ZoneInfo) -> Table:
    table = Table(title="Quarantined messages")
    for column in ("Id", "Received", "Sender", "Subject", "Reason"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(escape(cell) for cell in (str(row["id"]), _shown(row["received_at"], zone), row["sender"] or "–",
                                                   row["subject"] or "–", row["reason"] or "")))
    return table


def outbox_table(records: list[dict], now: datetime, claim_timeout: timedelta) -> Table:
    """The records of replies/outbox_view.py; an uncertain row shows what the look for its copy found."""
    table = Table(title="Outbox")
    table.add_column("Id", no_wrap=True)  # a person copies it into `inbox outbox retry`
    table.add_column("Status", no_wrap=True)  # "sending, claimed 3 min ago" on one line
    for column in ("Template", "To", "Attempts", "Last attempt", "Next attempt"):
        table.add_column(column)
    table.add_column("Message-ID", overflow="fold")
    table.add_column("Last error / note")
    for r in records:
        age = ago(timedelta(seconds=r["claim_age_seconds"])) if r["claim_age_seconds"] is not None else "–"
        note = "; ".join(filter(None, [r["last_error"], r["detail"] if r["status"] == "uncertain" else None]))
        table.add_row(*(escape(cell) for cell in (
            str(r["id"]), state(r, claim_timeout), r["template"], ", ".join(r["recipients"]), str(r["attempts"]),
            age, next_attempt(r, now), r["message_id"], note or "–")))
    return table
