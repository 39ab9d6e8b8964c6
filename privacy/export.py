"""`inbox person export ADDRESS`: everything stored about one person (GDPR Art. 15).

The JSON has fixed keys in a fixed order (documented in the README), times in UTC ISO 8601,
file paths absolute. Other people's addresses on the same rows (co-recipients) are left out:
the export is about this person. A person reads it through before it is handed over.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from models import Attachment, Contact, Event, Message
from privacy.identity import normalise_address
from privacy.lookup import FoundMessage, FoundOutgoing, find_person


def export_person(session: Session, data_dir: Path, address: str, *, now: datetime) -> dict:
    person = find_person(session, data_dir, normalise_address(address))
    ref = lambda case_id: person.references.get(case_id) if case_id else None  # noqa: E731
    messages = [_message(entry, data_dir, ref) for entry in person.messages]
    return {
        "address": person.address,
        "address_hash": person.address_hash,
        "generated_at": _when(now),
        "names": person.names,
        "messages": messages,
        "contacts": [_contact(c, ref) for c in person.contacts],
        "name_appears_in": [_contact(c, ref) for c in person.named_contacts],
        "cases": [{"reference": ref(case_id), "roles": roles} for case_id, roles in sorted(person.cases.items())],
        "outgoing_mail": [_outgoing(entry, ref) for entry in person.outgoing],
        "undeliverable": [{"id": u.id, "case": ref(u.case_id), "reason": u.reason, "created_at": _when(u.created_at)}
                          for u in person.undeliverable],
        "events": [_event(e, ref) for e in person.events],
        "erasures": [_event(e, ref) for e in person.erasures],
        "files": [f for m in messages for f in (m["raw_file"], *m["attachments"])],
    }


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _file(data_dir: Path, relative: str, kind: str, message_id: int, attachment: Attachment | None = None) -> dict:
    path = data_dir / relative
    entry = {"kind": kind, "message": message_id, "path": str(path), "exists": path.is_file()}
    if attachment is not None:
        entry |= {"filename": attachment.filename, "type": attachment.sniffed_type, "size": attachment.size, "sha256": attachment.sha256}
    return entry


def _message(entry: FoundMessage, data_dir: Path, ref) -> dict:
    m: Message = entry.message
    return {
        "id": m.id, "received_at": _when(m.received_at), "sender": m.sender, "subject": m.subject, "kind": m.kind,
        "status": m.status.value, "case": ref(m.case_id), "roles": entry.roles,
        "raw_file": _file(data_dir, m.raw_path, "raw", m.id),
        "attachments": [_file(data_dir, a.path, "attachment", m.id, a) for a in m.attachments],
    }


def _contact(c: Contact, ref) -> dict:
    return {"id": c.id, "case": ref(c.case_id), "name": c.name, "title": c.title, "email": c.email, "phone": c.phone,
            "status": c.status, "source": c.source, "created_at": _when(c.created_at)}


def _outgoing(entry: FoundOutgoing, ref) -> dict:
    row = entry.row
    return {"id": row.id, "case": ref(row.case_id), "template": row.template, "status": row.status.value, "roles": entry.roles,
            "subject": row.subject, "created_at": _when(row.created_at), "sent_at": _when(row.sent_at)}


def _event(e: Event, ref) -> dict:
    return {"id": e.id, "at": _when(e.at), "actor": e.actor, "action": e.action, "case": ref(e.case_id), "detail": e.detail}


def export_text(data: dict) -> str:
    """The same content for a person to read."""
    lines = [f"Stored about {data['address']} (as of {data['generated_at']})",
             f"Names used: {', '.join(data['names']) or '–'}", ""]
    sections = (
        ("Messages", data["messages"], lambda m: f"#{m['id']} {m['received_at']} {m['kind'] or '?'}/{m['status']} case {m['case'] or '–'} "
                                                 f"[{', '.join(m['roles'])}] from {m['sender']}: {m['subject']}"),
        ("Contact rows", data["contacts"], lambda c: f"#{c['id']} case {c['case']}: {c['name']}, {c['title']}, {c['email']}, {c['phone']} ({c['status']})"),
        ("The name appears in", data["name_appears_in"], lambda c: f"contact #{c['id']} case {c['case']}: {c['name']}, {c['email']}"),
        ("Cases", data["cases"], lambda c: f"{c['reference']} ({', '.join(c['roles'])})"),
        ("Outgoing mail", data["outgoing_mail"], lambda o: f"#{o['id']} {o['created_at']} {o['template']} [{o['status']}, "
                                                           f"{', '.join(o['roles'])}] case {o['case'] or '–'}: {o['subject']}"),
        ("Undeliverable", data["undeliverable"], lambda u: f"case {u['case'] or '–'} since {u['created_at']}: {u['reason']}"),
        ("History entries", data["events"], lambda e: f"{e['at']} {e['actor']} {e['action']} case {e['case'] or '–'}: {e['detail']}"),
        ("Earlier erasures", data["erasures"], lambda e: f"{e['at']} by {e['actor']}: {e['detail']}"),
        ("Files", data["files"], lambda f: f"{f['path']} ({f['kind']} of message {f['message']}"
                                           f"{', ' + f['filename'] if f.get('filename') else ''}{'' if f['exists'] else ', missing'})"),
    )
    for title, items, line in sections:
        lines.append(f"{title} ({len(items)}):")
        lines.extend(f"  {line(item)}" for item in items)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
