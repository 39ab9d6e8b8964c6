"""The digest as an outbox row: text + HTML, the chart inline by Content-ID, the XLSX attached."""

from __future__ import annotations

from datetime import datetime
from email.utils import make_msgid

from sqlalchemy.orm import Session

from digest.chart import totals_chart
from digest.collect import DigestData
from digest.render import render_digest
from exports.rows import flat_row, records
from exports.xlsx import CONTENT_TYPE as XLSX_TYPE
from exports.xlsx import workbook_bytes
from inbox.context import AppContext
from inbox.errors import InboxError
from models import OutgoingAttachment, OutgoingMail

CHART_FILENAME = "diagram.png"


def build_mail(ctx: AppContext, session: Session, data: DigestData, now: datetime) -> OutgoingMail:
    recipients = list(ctx.settings.staff.recipients)
    if not recipients:
        raise InboxError("nobody to send the digest to: set [staff] recipients in the configuration")
    domain = ctx.settings.smtp.sender_address.rsplit("@", 1)[-1]
    chart_id = make_msgid(idstring="digest-chart", domain=domain)[1:-1]
    rendered = render_digest(ctx, data, f"cid:{chart_id}")
    row = OutgoingMail(
        case_id=None, template="digest", recipients=recipients, subject=rendered.subject,
        body_text=rendered.text, body_html=rendered.html, created_at=now,
        message_id=make_msgid(idstring=f"digest-{data.day.isoformat()}", domain=domain),
    )
    row.attachments.append(OutgoingAttachment(
        filename=CHART_FILENAME, content_type="image/png", content=totals_chart(data.totals), content_id=chart_id))
    if ctx.settings.digest.attach_xlsx:
        row.attachments.append(OutgoingAttachment(
            filename=xlsx_filename(data), content_type=XLSX_TYPE, content=cases_workbook(ctx, session)))
    return row


def cases_workbook(ctx: AppContext, session: Session) -> bytes:
    return workbook_bytes([flat_row(record) for record in records(session, ctx.zone)])


def xlsx_filename(data: DigestData) -> str:
    return f"ärenden-{data.day.isoformat()}.xlsx"
