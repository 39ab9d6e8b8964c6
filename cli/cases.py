"""Staff commands on cases: `inbox case`, `inbox slots`, `inbox book`, `inbox preview`, `inbox remind`.

Each command opens one transaction, does one thing through cases/ or replies/, and commits;
what it queued is sent by the next `inbox send` (or the running scheduler).
"""

from __future__ import annotations

import getpass
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
from sqlalchemy import select

from cases import booking, staff
from cli.views import terminal_console
from digest import labels
from inbox.errors import InboxError
from models import Slot
from replies.invitation import invite
from replies.reminders import send_reminders
from replies.render import REPLY_TEMPLATES
from replies.variables import swedish_datetime

console = terminal_console()


def status_text(case) -> str:
    """'JS-2026-0001: complete (Komplett)': the code `--status` takes, and the Swedish word."""
    return f"{case.reference}: {case.status.value} ({labels.status(case.status.value)})"


def actor_option(func):
    return click.option("--by", "actor", default=lambda: f"staff:{getpass.getuser()}", help="who does this (audit log)")(func)


def parse_local(ctx, text: str) -> datetime:
    """'2026-05-12 10:00' in the board's time zone."""
    return booking.local_time(text, ctx.zone)


def confirm_option(func):
    return click.option("--confirm", "--anyway", "confirm", is_flag=True,
                        help="accept a time in the past, on a weekend or holiday, or outside [booking] office_hours")(func)


@contextmanager
def unusual_times():
    """A refused time says how to go ahead anyway (the service's reason, then the flag)."""
    try:
        yield
    except booking.BookingRefused as refused:
        raise InboxError(f"{refused}; check the date, or add --confirm to go ahead anyway") from refused


@click.command("case")
@click.argument("reference")
@click.option("--status", help="move the case to this status (e.g. withdrawn, dialogue_held)")
@click.option("--why", help="the reason, kept in the audit log")
@click.option("--note", help="add a note to the case history")
@click.option("--merge", "merge_other", metavar="OTHER", help="merge case OTHER into this one")
@click.option("--contact-name")
@click.option("--contact-title")
@click.option("--contact-email")
@click.option("--contact-phone")
@click.option("--confirm-contact", "confirm_contact", type=int, metavar="ID", help="make candidate contact ID the case's contact")
@click.option("--reject-contact", "reject_contact", type=int, metavar="ID", help="reject candidate contact ID (kept as history)")
@click.option("--invite", "invite_now", is_flag=True, help="send the dialogue invitation now (invitation = \"approval\")")
@actor_option
@click.pass_obj
def case_command(obj, reference, status, why, note, merge_other, contact_name, contact_title, contact_email, contact_phone,
                 confirm_contact, reject_contact, invite_now, actor):
    """Change one case by hand; every change is kept in its history (`inbox show REF`)."""
    ctx = obj.context()
    contact = {"name": contact_name, "title": contact_title, "email": contact_email, "phone": contact_phone}
    with ctx.sessions() as session:
        case = staff.get_case(session, reference)
        if merge_other:
            staff.merge(ctx, session, case, staff.get_case(session, merge_other), actor=actor)
        if confirm_contact is not None:
            staff.decide_contact(ctx, session, case, confirm_contact, confirm=True, actor=actor)
        if reject_contact is not None:
            staff.decide_contact(ctx, session, case, reject_contact, confirm=False, actor=actor)
        if any(v is not None for v in contact.values()):
            staff.correct_contact(ctx, session, case, contact, actor=actor)
        if note:
            staff.add_note(ctx, session, case, note, actor=actor)
        if status:
            staff.set_status(ctx, session, case, status, actor=actor, why=why)
        if invite_now and not invite(ctx, session, case, actor=actor):
            raise InboxError(f"{case.reference}: no deliverable address for the invitation")
        session.commit()
        console.print(status_text(case), highlight=False)



@click.group("slots")
def slots_group() -> None:
    """Free times for dialogue meetings, proposed in invitations."""


@slots_group.command("add")
@click.argument("when", nargs=-1, required=True)
@click.option("--minutes", type=int, help="length (default [replies] meeting_minutes)")
@click.option("--place")
@click.option("--link")
@confirm_option
@actor_option
@click.pass_obj
def slots_add(obj, when, minutes, place, link, confirm, actor):
    """Add one or more slots: inbox slots add "2026-05-12 10:00" "2026-05-13 14:00" (all or none)."""
    ctx = obj.context()
    with ctx.sessions() as session, unusual_times():
        for text in when:
            booking.add_slot(ctx, session, parse_local(ctx, text), minutes=minutes, place=place, link=link, actor=actor, confirm=confirm)
        session.commit()
    console.print(f"{len(when)} slot(s) added")


@slots_group.command("list")
@click.pass_obj
def slots_list(obj):
    ctx = obj.context()
    with ctx.sessions() as session:
        for slot in session.scalars(select(Slot).order_by(Slot.starts_at)):
            state = "booked" if slot.booked_case_id else "offered" if slot.offered_case_id else "free"
            when = swedish_datetime(slot.starts_at, ctx.zone)
            console.print(f"{slot.id:>4}  {when:<38} {slot.duration_minutes} min  {state:<8} {slot.place or slot.link or ''}")


@slots_group.command("remove")
@click.argument("slot_id", type=int)
@actor_option
@click.pass_obj
def slots_remove(obj, slot_id, actor):
    ctx = obj.context()
    with ctx.sessions() as session:
        booking.remove_slot(ctx, session, slot_id, actor=actor)
        session.commit()
    console.print(f"slot {slot_id} removed")


@click.command("book")
@click.argument("reference")
@click.option("--at", "at_text", help='"2026-05-12 10:00", local time')
@click.option("--place")
@click.option("--link")
@click.option("--minutes", type=int)
@click.option("--cancel", is_flag=True, help="cancel the booked meeting (sends a cancelling ICS)")
@confirm_option
@actor_option
@click.pass_obj
def book_command(obj, reference, at_text, place, link, minutes, cancel, confirm, actor):
    """Record the dialogue meeting and send the contact person a confirmation with an ICS file."""
    ctx = obj.context()
    with ctx.sessions() as session, unusual_times():
        case = staff.get_case(session, reference)
        if cancel:
            booking.cancel(ctx, session, case, actor=actor)
        elif at_text:
            booking.book(ctx, session, case, parse_local(ctx, at_text), place=place, link=link, minutes=minutes, actor=actor,
                         confirm=confirm)
        else:
            raise InboxError("give --at \"YYYY-MM-DD HH:MM\" or --cancel")
        session.commit()
        console.print(f"{status_text(case)}; confirmation queued", highlight=False)


@click.command("make-case")
@click.argument("message_id", type=int)
@click.option("--no-reply", is_flag=True, help="send nothing (default: the replies an affiliation gets, per config)")
@actor_option
@click.pass_obj
def make_case_command(obj, message_id, no_reply, actor):
    """Take a message no rule took for an affiliation (see `inbox show`, the digest) as one: a new case, or joined to its open case."""
    from cases.from_message import make_case

    ctx = obj.context()
    with ctx.sessions() as session:
        made = make_case(ctx, session, message_id, actor=actor, reply=not no_reply)
        session.commit()
        console.print(f"{status_text(made.case)}{'' if made.created else ' (joined an existing case)'}"
                      f"{'; replies queued as for an affiliation' if made.replies else '; nothing sent'}", highlight=False)


@click.command("preview")
@click.argument("template", type=click.Choice(REPLY_TEMPLATES))
@click.option("--case", "reference", help="render for this case (default: sample data)")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="write the HTML here (the text goes to the terminal)")
@click.pass_obj
def preview_command(obj, template, reference, output):
    """Render a reply template as the organisation would get it; sends nothing."""
    from replies.preview import preview  # the case's real data; what is sample is said, never mixed in silently

    shown = preview(obj.context(require=reference is not None), template, reference)
    if shown.banner:
        click.echo(f"note: {shown.banner}", err=True)
    click.echo(shown.text())
    if output:
        output.write_text(shown.html(), encoding="utf-8")
        click.echo(f"HTML written to {output}")


@click.command("remind")
@click.pass_obj
def remind_command(obj):
    """Queue the reminders that are due now (the scheduler does this every working day)."""
    console.print(f"reminders queued: {send_reminders(obj.context())}")


COMMANDS = (case_command, slots_group, book_command, make_case_command, preview_command, remind_command)
