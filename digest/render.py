"""The digest as template variables (Swedish text) and the rendered mail: templates/digest/."""

from __future__ import annotations

from datetime import UTC, datetime

from digest import labels
from digest.attention import FOLLOW_UP, case_link, message_link
from digest.collect import Dialogue, DigestData
from digest.health import Failure
from inbox.context import AppContext
from models import CaseStatus
from replies.render import RenderedMail, renderer_for

MAX_FAILURES = 10


def render_digest(ctx: AppContext, data: DigestData, chart_src: str | None) -> RenderedMail:
    return renderer_for(ctx).render("digest", digest_variables(ctx, data, chart_src))


def digest_variables(ctx: AppContext, data: DigestData, chart_src: str | None) -> dict:
    local = lambda at: at.astimezone(data.zone)  # noqa: E731
    base = ctx.settings.web.base_url  # every case and action item links to its page in the workspace
    case_url = lambda reference: base + case_link(reference)  # noqa: E731
    return {
        "board": {"name": ctx.settings.replies.board_name, "mailbox": ctx.settings.smtp.sender_address},
        "workspace": base + "/",
        "day": labels.long_date(data.day),
        "period": f"{labels.moment(local(data.period_start))} – {labels.moment(local(data.period_end))}",
        "headline": headline(data),
        "new_cases": [vars(item) | {"missing": ", ".join(item.missing), "url": case_url(item.reference)}
                      for item in data.new_cases],
        "attention": [{"who": item.who, "reference": item.reference, "url": base + item.link,
                       "reasons": [reason.text for reason in item.reasons]} for item in data.attention],
        "dialogues": [_dialogue(item) | {"url": case_url(item.reference)} for item in data.dialogues],
        "meetings": [{"when": labels.moment(m.starts_at), "reference": m.reference, "organisation": m.organisation,
                      "place": m.place, "url": case_url(m.reference)} for m in data.meetings],
        "totals": [vars(t) | {"total": t.affiliated + t.in_progress} for t in data.totals],
        "sum": {"affiliated": sum(t.affiliated for t in data.totals), "in_progress": sum(t.in_progress for t in data.totals)},
        "chart_src": chart_src,
        "health": _health(data),
        "incomplete_after_days": ctx.settings.digest.incomplete_after_days,
        "attach_xlsx": ctx.settings.digest.attach_xlsx,
        "questions": [{"sender": q.sender, "subject": q.subject, "received": labels.moment(local(q.received_at)),
                       "url": base + message_link(q.message_pk)} for q in data.questions],
    }


def headline(data: DigestData) -> str:
    parts = [labels.count(len(data.new_cases), "nytt ärende", "nya ärenden"),
             labels.count(len(data.attention), "punkt att åtgärda", "punkter att åtgärda")]
    if data.questions:
        parts.append(labels.count(len(data.questions), "fråga om strategin", "frågor om strategin"))
    follow_ups = sum(reason.kind == FOLLOW_UP for item in data.attention for reason in item.reasons)
    if follow_ups:  # also among the items to act on; named apart since a commitment is the dialogue's own work
        parts.append(labels.count(follow_ups, "åtagande att följa upp", "åtaganden att följa upp"))
    if data.health.failures:
        parts.append(labels.count(len(data.health.failures), "fel i driften", "fel i driften"))
    return ", ".join(parts)


def _dialogue(item: Dialogue) -> dict:
    since = labels.short_date(item.since)
    if item.status is CaseStatus.COMPLETE:
        what = f"Komplett sedan {since}; bjud in till dialog"
    else:
        what = f"Inbjuden sedan {since}; inväntar bokning"
    return {"reference": item.reference, "organisation": item.organisation, "what": what, "contact": item.contact}


def _health(data: DigestData) -> dict:
    last = data.health.last_poll
    failures = data.health.failures
    return {
        "last_poll": labels.moment(last.astimezone(data.zone)) if last else "ingen registrerad ännu",
        "retention": _retention(data),
        "failures": [_failure(f, data) for f in failures[:MAX_FAILURES]],
        "more_failures": max(len(failures) - MAX_FAILURES, 0),
    }


def _retention(data: DigestData) -> str:
    """The last retention run (privacy/retention.py), e.g. 'tisdag 10 mars kl. 03.15: 3 meddelanden och 4 filer raderade'."""
    run = data.health.retention
    if run is None:
        return "ingen gallring registrerad ännu"
    line = (f"{labels.moment(run.at.astimezone(data.zone))}: {labels.count(run.messages, 'meddelande', 'meddelanden')} "
            f"och {labels.count(run.files, 'fil', 'filer')} raderade")
    names = {"other": "övrig e-post", "auto_reply": "autosvar", "bounce": "returmeddelanden", "quarantined": "i karantän"}
    parts = [f"{names.get(kind, kind)} {n}" for kind, n in run.deleted.items() if n]
    return line + (f" ({', '.join(parts)})" if parts else "")


def _failure(failure: Failure, data: DigestData) -> dict:
    when: datetime = failure.at.astimezone(data.zone)
    return {"when": labels.moment(when), "what": failure.what, "detail": failure.detail}


def check_digest_template(ctx: AppContext) -> None:
    """Render the digest once with sample data at start-up, so a broken override is reported then."""
    from datetime import date

    from digest.attention import Attention, Reason
    from digest.collect import BookedMeeting, NewCase, TypeTotal
    from digest.health import Failure, Health
    from digest.questions import Question
    from inbox.errors import ConfigError
    from replies.render import TemplateFailed

    now = datetime(2026, 3, 12, 7, 30, tzinfo=UTC)
    data = DigestData(
        day=date(2026, 3, 12), period_start=now, period_end=now, zone=ctx.zone,
        new_cases=[NewCase("JS-2026-0001", "Exempels kommun", "Kommun", "Komplett", "Kommunstyrelsen", "Anna Andersson", [])],
        attention=[Attention("JS-2026-0002", "Exempel AB", [Reason("needs_review", "Behöver granskas", "needs_review:0")],
                             case_link("JS-2026-0002"))],
        dialogues=[Dialogue("JS-2026-0001", "Exempels kommun", CaseStatus.COMPLETE, date(2026, 3, 11), "Anna Andersson")],
        meetings=[BookedMeeting("JS-2026-0003", "Exempelföreningen", now, "Västerås")],
        totals=[TypeTotal("Kommun", 1, 1)], health=Health(now, [Failure(now, "Hämtning av e-post misslyckades", "timeout")]),
        questions=[Question("eva@example.se", "Fråga om jämställdhetsstrategin", now, 1)],
    )
    try:
        render_digest(ctx, data, "cid:chart")
    except TemplateFailed as err:
        raise ConfigError(str(err)) from err
