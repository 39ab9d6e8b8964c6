"""`inbox person erase ADDRESS`: remove or pseudonymise one person's data where the records plan allows.

What happens to each thing found by `privacy.lookup`:

* A message on a case, or an affiliation: kept. A received affiliation is a registered public
  record (offentlighetsprincipen, arkivlagen), kept per the board's records plan.
* Mail from the person that is not an affiliation and not on a case, and auto-replies and
  bounces that name them: deleted, with the raw file and the attachment files no other message
  shares. Mail from *someone else* that names them is listed for a person to decide.
* Quarantined or not yet processed mail: kept until a person has looked at it (it may be an
  affiliation the service could not read).
* Cases that name the person: with `[privacy] erase_registered = true`, the contact rows, the
  case's sender, staff corrections, review notes, stored extractions and the case history get
  the pseudonym "[raderad <hash>]" instead of the name, address and phone number; with false
  (the default) they are kept and the command says which cases keep them.
* Our outgoing mail to them not on a case: deleted (or, sent to others as well, the person is
  taken off the list). Mail on a case is the board's registered reply: kept.
* Undeliverable flags: removed, unless a kept case still holds the address (the flag is what
  keeps automatic mail from going there).

One `person_erased` event records who did it and the counts, with a keyed hash of the address,
never the address itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.lifecycle import transition
from inbox.context import AppContext
from models import Case, CaseStatus, Event, Message, MessageStatus, OutboxStatus, OutgoingMail, UndeliverableAddress
from privacy.identity import Replacement, normalise_address, pseudonym
from privacy.lookup import ERASED_ACTION, FoundMessage, Person, find_person
from privacy.purge import case_linked, delete_messages, delete_outgoing, message_files, remove_files, still_named

# Replies not sent yet (waiting, or held for a person): not yet a document, so they may go.
UNSENT = ("pending", "held")
# Statuses in which the service may still mail the contact by itself (reminders, the invitation).
AUTOMATIC = (CaseStatus.RECEIVED, CaseStatus.INCOMPLETE, CaseStatus.COMPLETE, CaseStatus.INVITED)


@dataclass(frozen=True)
class Kept:
    what: str  # "message 12", "case JS-2026-0001": never the address
    why: str


@dataclass
class ErasurePlan:
    person: Person
    delete_messages: list[Message] = field(default_factory=list)
    delete_outgoing: list[OutgoingMail] = field(default_factory=list)
    trim_outgoing: list[OutgoingMail] = field(default_factory=list)  # others got it too: take the person off the list
    remove_flags: list[UndeliverableAddress] = field(default_factory=list)
    pseudonymise: list[int] = field(default_factory=list)  # case ids
    kept: list[Kept] = field(default_factory=list)

    @property
    def stand_in(self) -> str:
        return pseudonym(self.person.address_hash)

    def lines(self) -> list[str]:
        refs = self.person.references
        return [
            f"delete {len(self.delete_messages)} message(s): {_ids(m.id for m in self.delete_messages)}",
            f"delete {len(self.delete_outgoing)} outgoing mail(s): {_ids(o.id for o in self.delete_outgoing)}",
            f"take the address off {len(self.trim_outgoing)} outgoing mail(s) sent to others too: {_ids(o.id for o in self.trim_outgoing)}",
            f"remove {len(self.remove_flags)} undeliverable flag(s)",
            f"pseudonymise {len(self.pseudonymise)} case(s) as {self.stand_in}: {', '.join(refs[c] for c in self.pseudonymise) or '–'}",
            *(f"keep {item.what}: {item.why}" for item in self.kept),
        ]


@dataclass
class ErasureResult:
    plan: ErasurePlan
    counts: dict[str, int]

    def lines(self) -> list[str]:
        return [f"{key.replace('_', ' ')}: {value}" for key, value in self.counts.items()] + \
               [f"kept {item.what}: {item.why}" for item in self.plan.kept]


def _ids(ids) -> str:
    return ", ".join(str(i) for i in ids) or "–"


def plan_erasure(session: Session, ctx: AppContext, address: str) -> ErasurePlan:
    person = find_person(session, ctx.data_dir, normalise_address(address))
    plan = ErasurePlan(person)
    linked = _case_linked_ids(session, [entry.message.id for entry in person.messages])
    for entry in person.messages:
        _plan_message(plan, entry, linked)
    _plan_cases(plan, ctx.settings.privacy.erase_registered)
    for outgoing in person.outgoing:
        _plan_outgoing(plan, outgoing.row, outgoing.roles)
    _plan_flags(plan)
    return plan


def _case_linked_ids(session: Session, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(session.scalars(select(Message.id).where(Message.id.in_(ids), case_linked(Message.id))))


def _plan_message(plan: ErasurePlan, entry: FoundMessage, linked: set[int]) -> None:
    message, refs = entry.message, plan.person.references
    what = f"message {message.id}"
    if message.case_id is not None or message.id in linked:
        where = f"part of case {refs[message.case_id]}" if message.case_id else "in a case's history"
        plan.kept.append(Kept(what, f"{where}: a registered record, kept per the records plan"))
    elif message.kind == "affiliation":
        plan.kept.append(Kept(what, "an affiliation: a registered record, kept per the records plan"))
    elif message.status is not MessageStatus.PROCESSED:
        plan.kept.append(Kept(what, f"{message.status.value}, not read yet: it may be an affiliation; replay or look at it first"))
    elif "sender" in entry.roles or message.kind in ("auto_reply", "bounce"):
        plan.delete_messages.append(message)
    else:
        plan.kept.append(Kept(what, "mail from someone else that names the person: decide by hand"))


def _plan_cases(plan: ErasurePlan, erase_registered: bool) -> None:
    for case_id in sorted(plan.person.cases):
        if erase_registered:
            plan.pseudonymise.append(case_id)
        else:
            plan.kept.append(Kept(
                f"case {plan.person.references[case_id]}",
                "an affiliation case is a public record kept per the records plan; its contact details stay "
                "(set [privacy] erase_registered = true to replace them by a pseudonym)",
            ))


def _plan_outgoing(plan: ErasurePlan, row: OutgoingMail, roles: list[str]) -> None:
    what = f"outgoing mail {row.id}"
    unsent_on_erased_case = row.case_id in plan.pseudonymise and row.status.value in UNSENT
    if row.case_id is not None and not unsent_on_erased_case:
        plan.kept.append(Kept(what, f"the board's reply on case {plan.person.references[row.case_id]}: a registered record"))
    elif row.status is OutboxStatus.SENDING:
        plan.kept.append(Kept(what, "being sent right now: run the erasure again in a few minutes"))
    elif "recipient" not in roles:
        plan.kept.append(Kept(what, "mail to others that names the person in its text: decide by hand"))
    elif any((r or "").strip().lower() != plan.person.address for r in row.recipients):
        plan.trim_outgoing.append(row)
    else:
        plan.delete_outgoing.append(row)


def _plan_flags(plan: ErasurePlan) -> None:
    keeping = [plan.person.references[c] for c in plan.person.cases if c not in plan.pseudonymise]
    for flag in plan.person.undeliverable:
        if keeping:
            plan.kept.append(Kept(f"undeliverable flag {flag.id}", f"case(s) {', '.join(keeping)} keep the address; "
                                                                    "the flag keeps automatic mail from going there"))
        else:
            plan.remove_flags.append(flag)


def apply_erasure(ctx: AppContext, session: Session, plan: ErasurePlan, *, actor: str) -> tuple[dict[str, int], set[str]]:
    """Change the rows (the caller commits); return the counts and the file paths to remove after the commit."""
    person = plan.person
    phones = tuple(sorted({c.phone for c in person.contacts if c.phone}))
    replace = Replacement(person.address, tuple(n for n in person.names if len(n) >= 3), phones, plan.stand_in)
    counts = {"events_pseudonymised": _scrub_events(session, plan, replace)}
    counts["contacts_pseudonymised"] = sum(_pseudonymise_case(ctx, session, session.get_one(Case, case_id), plan, replace, actor)
                                           for case_id in plan.pseudonymise)  # ids find_person read in this session
    doomed = {m.id for m in plan.delete_messages}
    paths = {p for m in plan.delete_messages for p in message_files(m)}
    to_remove = paths - still_named(session, paths, ignoring=doomed)
    delete_messages(session, plan.delete_messages)
    for row in plan.delete_outgoing:
        delete_outgoing(session, row)
    for row in plan.trim_outgoing:
        row.recipients = [r for r in row.recipients if (r or "").strip().lower() != person.address]
    for flag in plan.remove_flags:
        session.delete(flag)
    counts |= {"messages_deleted": len(plan.delete_messages), "files_to_remove": len(to_remove),
               "outgoing_deleted": len(plan.delete_outgoing), "outgoing_trimmed": len(plan.trim_outgoing),
               "flags_removed": len(plan.remove_flags), "cases_pseudonymised": len(plan.pseudonymise), "kept": len(plan.kept)}
    return counts, paths


def _scrub_events(session: Session, plan: ErasurePlan, replace: Replacement) -> int:
    """History entries outside a kept case: the address (and, on pseudonymised cases, the name) replaced."""
    events = {e.id: e for e in plan.person.events if e.case_id is None or e.case_id in plan.pseudonymise}
    if plan.pseudonymise:
        events |= {e.id: e for e in session.scalars(select(Event).where(Event.case_id.in_(plan.pseudonymise)))}
    changed = 0
    for event in events.values():
        detail, data = replace.text(event.detail), replace.in_json(event.data)
        if (detail, data) != (event.detail, event.data):
            event.detail, event.data = detail, data
            changed += 1
    return changed


def _pseudonymise_case(ctx: AppContext, session: Session, case: Case, plan: ErasurePlan, replace: Replacement, actor: str) -> int:
    person = plan.person
    names = {n.lower() for n in person.names}
    rows = [c for c in case.contacts if (c.email or "").strip().lower() == person.address
            or ((c.name or "").strip().lower() in names and not c.email)]
    for contact in rows:
        contact.name, contact.email, contact.phone, contact.source = plan.stand_in, None, None, "erased"
    was_sender = (case.sender or "").strip().lower() == person.address
    if was_sender:
        case.sender = None
    case.overrides = _overrides(case.overrides or {}, replace, plan.stand_in)
    case.review = replace.in_json(case.review or [])
    for message in session.scalars(select(Message).where(Message.case_id == case.id, Message.extraction.is_not(None))):
        message.extraction = replace.in_json(message.extraction)
    session.add(Event(at=ctx.clock(), actor=actor, action="contact_erased", case_id=case.id,
                      detail=f"{len(rows)} contact row(s) replaced by {plan.stand_in} on the person's request"))
    if (rows or was_sender) and case.status in AUTOMATIC:
        # Reminders go to the recipients of the earlier request: stop them, and let a person find a new contact.
        transition(session, case, CaseStatus.NEEDS_REVIEW, actor=actor, at=ctx.clock(),
                   why="the contact person's details were erased on request; find another contact")
    return len(rows)


def _overrides(overrides: dict, replace: Replacement, stand_in: str) -> dict:
    """A staff correction that named the person keeps forcing that field, now to the pseudonym."""
    cleaned = {}
    for key, value in overrides.items():
        if isinstance(value, str) and replace.text(value) != value:
            value = stand_in if key == "contact.name" else None
        cleaned[key] = value
    return cleaned


def erase_person(ctx: AppContext, address: str, *, actor: str,
                 confirm: Callable[[ErasurePlan], bool] = lambda plan: True) -> ErasureResult | None:
    """Plan, ask `confirm`, apply, audit, commit, then remove the files. None: not confirmed."""
    with ctx.sessions() as session:
        plan = plan_erasure(session, ctx, address)
        if not confirm(plan):
            return None
        counts, paths = apply_erasure(ctx, session, plan, actor=actor)
        data = {"address_hash": plan.person.address_hash, "counts": counts, "kept": [vars(k) for k in plan.kept]}
        event = Event(at=ctx.clock(), actor=actor, action=ERASED_ACTION, detail=_audit_line(plan, counts), data=data)
        session.add(event)
        session.commit()
        removed = remove_files(session, ctx.data_dir, paths)
        counts |= {"files_removed": len(removed.removed), "files_kept_shared": len(removed.shared)}
        del counts["files_to_remove"]
        event.data = {**data, "counts": counts}
        event.detail = _audit_line(plan, counts)
        session.commit()
    return ErasureResult(plan, counts)


def _audit_line(plan: ErasurePlan, counts: dict[str, int]) -> str:
    done = ", ".join(f"{key} {value}" for key, value in counts.items())
    return f"person {plan.person.address_hash[:12]}: {done}"
