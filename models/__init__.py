"""The database tables. Import from here: `from models import Case, Message, ...`."""

from models.base import Base, utcnow
from models.case import Case, CaseStatus, Contact, Decision, Event, Meeting, Organisation, Slot, UndeliverableAddress
from models.dialogue import CommitmentState, DialogueAnswer, DialogueEntry, DialogueRecord, PortalLink
from models.mail import Attachment, MailboxState, Message, MessageLocation, MessageStatus, message_id_key
from models.outbox import Digest, JobRun, OutboxStatus, OutgoingAttachment, OutgoingMail
from models.staff import Resolution, Role, User

__all__ = [
    "Attachment", "Base", "Case", "CaseStatus", "CommitmentState", "Contact", "Decision", "DialogueAnswer",
    "DialogueEntry", "DialogueRecord", "Digest", "Event", "JobRun", "MailboxState",
    "Meeting", "Message", "MessageLocation", "MessageStatus", "Organisation", "OutboxStatus", "OutgoingAttachment",
    "OutgoingMail", "PortalLink", "Resolution", "Role", "Slot", "UndeliverableAddress", "User", "message_id_key", "utcnow",
]
