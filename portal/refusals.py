"""Why the organisation's page refuses an action (not the link itself: that is portal.links.LinkRefused).

A refusal carries the audit action it is recorded under and a code; the page words each code in Swedish.
The refused action changes nothing: the edge rolls back, then records the refusal (portal.audit)."""

from __future__ import annotations

from inbox.errors import InboxError
from portal.text import clean

# Codes of a refused booking ("portal_booking_refused").
SLOT_TAKEN, SLOT_GONE, SLOT_PAST, ALREADY_BOOKED, NOT_OPEN, NOT_SENT = (
    "slot_taken", "slot_gone", "slot_past", "already_booked", "not_open", "not_sent")
# Codes of refused text ("portal_input_refused").
EMPTY, TOO_LONG, UNKNOWN_AREA = "empty", "too_long", "unknown_area"


class ActionRefused(InboxError):
    """The action may not be done; `action` names the audit event, `code` the reason, `field` the form field."""

    def __init__(self, action: str, code: str, *, field: str | None = None, detail: str | None = None) -> None:
        # The detail may quote what was posted (an area code): no NUL or control character reaches the audit log.
        self.action, self.code, self.field, self.detail = action, code, field, clean(detail) or None
        super().__init__(f"{action}: {code}" + (f" ({detail})" if detail else ""))


def booking_refused(code: str, detail: str | None = None) -> ActionRefused:
    return ActionRefused("portal_booking_refused", code, detail=detail)


def input_refused(code: str, field: str | None = None, detail: str | None = None) -> ActionRefused:
    return ActionRefused("portal_input_refused", code, field=field, detail=detail)
