"""The database tables. Import from here: `from models import Case, Message, ...`."""

from models.base import Base, utcnow
from models.case import Case, CaseStatus, Contact, Decision, Event, Organisation
from models.mail import Attachment, MailboxState, Message, MessageLocation, MessageStatus
from models.outbox import OutboxStatus, OutgoingMail

__all__ = [
    "Attachment", "Base", "Case", "CaseStatus", "Contact", "Decision", "Event", "MailboxState",
    "Message", "MessageLocation", "MessageStatus", "Organisation", "OutboxStatus", "OutgoingMail", "utcnow",
]
