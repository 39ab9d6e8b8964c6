"""Tables and detail views for the terminal (rich). Reading only."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from inbox.errors import NotFound
from models import Case, Event, Meeting, Message, MessageStatus, OutgoingMail, UndeliverableAddress


def cases_table(session: Session, status: str | None = None) -> Table:
    query = select(Case).options(selectinload(Case.organisation), selectinload(Case.contacts), selectinload(Case.decisions)).order_by(Case.id)
    if status:
        query = query.where(Case.status == status)
    table = Table(title="Cases")
    table.add_column("Reference", no_wrap=True)  # a person copies it into `inbox show`: never cut
    table.add_column("Status", no_wrap=True)
    for column in ("Organisation", "Type", "Decision", "Contact", "Missing"):
        table.add_column(column)
    for case in session.scalars(query):
        org, decision, contact = case.organisation, case.decision, case.contact
        table.add_row(
            case.reference, case.status.value, org.name if org else "–", (org.type or "–") if org else "–",
            " ".join(filter(None, [decision.decided_by, str(decision.decision_date or ""), decision.paragraph])) if decision else "–",
            ", ".join(filter(None, [contact.name, contact.email, contact.phone])) if contact else "–",
            ", ".join(case.missing or []) or "–",
        )
    return table


def show_case(console: Console, session: Session, reference: str) -> None:
    case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        raise NotFound(f"no case {reference}")
    console.print(f"[bold]{case.reference}[/bold]  status: {case.status.value}  missing: {', '.join(case.missing) or '–'}")
    if case.organisation:
        org = case.organisation
        console.print(f"Organisation: {org.name}  {org.org_number or ''}  {org.type or ''}")
    for decision in case.decisions:
        console.print(f"Decision: {decision.decided_by} {decision.decision_date} {decision.paragraph} {decision.case_number} [{decision.filename}]")
    for contact in case.contacts:
        console.print(f"Contact ({contact.source}): {contact.name}, {contact.title}, {contact.email}, {contact.phone}")
    for key, value in (case.overrides or {}).items():
        console.print(f"Staff correction: {key} = {value}")
    for item in case.review or []:
        console.print(f"[yellow]Review[/yellow] {item['field']}: {item['reason']}")
    for meeting in session.scalars(select(Meeting).where(Meeting.case_id == case.id).order_by(Meeting.id)):
        state = "cancelled" if meeting.cancelled else "booked"
        console.print(f"Meeting: {meeting.starts_at:%Y-%m-%d %H:%M %Z} {meeting.duration_minutes} min {meeting.place or meeting.link or ''} [{state}, seq {meeting.sequence}]")
    for bad in session.scalars(select(UndeliverableAddress).where(UndeliverableAddress.case_id == case.id)):
        console.print(f"[red]Undeliverable[/red]: {bad.address} ({bad.reason})")
    messages = session.scalars(select(Message).where(Message.case_id == case.id).order_by(Message.id))
    for message in messages:
        console.print(f"Message {message.id}: {message.received_at:%Y-%m-%d %H:%M} {message.sender} “{message.subject}”")
    for row in session.scalars(select(OutgoingMail).where(OutgoingMail.case_id == case.id).order_by(OutgoingMail.id)):
        console.print(f"Reply {row.id}: {row.template} to {', '.join(row.recipients)} [{row.status.value}]")
    for event in session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.id)):
        console.print(f"  {event.at:%Y-%m-%d %H:%M:%S} {event.actor} {event.action}: {event.detail or ''}")


def quarantine_table(session: Session) -> Table:
    table = Table(title="Quarantined messages")
    for column in ("Id", "Received", "Sender", "Subject", "Reason"):
        table.add_column(column)
    for m in session.scalars(select(Message).where(Message.status == MessageStatus.QUARANTINED).order_by(Message.id)):
        table.add_row(str(m.id), f"{m.received_at:%Y-%m-%d %H:%M}", m.sender or "–", m.subject or "–", m.quarantine_reason or "")
    return table


def outbox_table(session: Session) -> Table:
    table = Table(title="Outbox")
    for column in ("Id", "Template", "To", "Status", "Attempts", "Last error"):
        table.add_column(column)
    for row in session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)):
        table.add_row(str(row.id), row.template, ", ".join(row.recipients), row.status.value, str(row.attempts), row.last_error or "")
    return table
