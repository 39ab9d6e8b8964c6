"""What the CLI shows: plain data (also printed as `--json`) and rich tables made from it. Reading only.

Times are shown in the board's time zone with the zone's name; types and statuses in the
Swedish words staff use (digest/labels.py), with the English code where a command takes it.
The data of one case is gathered by cases/views.py, which the web workspace reads too.
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

from cases.search import matches, terms
from cases.views import case_detail, case_summary, local_iso
from digest import labels
from models import Case, Message, MessageStatus
from replies.outbox_view import ago, next_attempt, state

__all__ = ["case_detail", "case_rows", "cases_table", "local_iso", "local_text", "outbox_table", "quarantine_rows",
           "quarantine_table", "show_case", "terminal_console"]
WIDE = 100_000  # off a terminal nothing is cut: a table is as wide as its longest row


def terminal_console() -> Console:
    """A terminal gets its own width; a pipe or a file gets whole rows, never a table cut at 80 columns."""
    return Console() if sys.stdout.isatty() else Console(width=WIDE)


def local_text(at: datetime | None, zone: ZoneInfo, *, seconds: bool = False) -> str:
    """An instant for people: '2026-03-12 10:00 CET'."""
    return at.astimezone(zone).strftime(f"%Y-%m-%d %H:%M{':%S' if seconds else ''} %Z") if at else "–"


# -- cases -------------------------------------------------------------------------


def case_rows(session: Session, zone: ZoneInfo, status: str | None = None, text: str = "") -> list[dict]:
    """`inbox cases [TEXT] --json`: one object per case (keys documented in the README); TEXT searches the way
    the workspace's case list does (cases/search.py)."""
    query = select(Case).options(selectinload(Case.organisation), selectinload(Case.contacts), selectinload(Case.decisions)).order_by(Case.id)
    if status:
        query = query.where(Case.status == status)
    words = terms(text)
    return [case_summary(case, zone) for case in session.scalars(query) if matches(case, words)]


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
