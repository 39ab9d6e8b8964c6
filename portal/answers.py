"""The organisation describes, per problem area, what it already does and what it could contribute.

One row per (case, area) in dialogue_answers, updated in place; area code "" is the free text about the
organisation as a whole. Codes come from the strategy file: a code it does not list is refused, so a forged
form cannot write rows the page never offered."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from inbox.context import AppContext
from models import DialogueAnswer
from portal import audit
from portal.links import Access
from portal.page import GENERAL
from portal.refusals import TOO_LONG, UNKNOWN_AREA, input_refused
from portal.text import clean, too_long
from strategy.areas import strategy_for


@dataclass(frozen=True)
class Answer:
    area_code: str  # "" for the organisation as a whole
    does_today: str
    could_contribute: str = ""


def save_answers(ctx: AppContext, session: Session, access: Access, answers: list[Answer]) -> list[str]:
    """Store what changed; the codes of the areas written ("portal_answers_saved"). ActionRefused for an
    unknown area or a text over [portal] max_answer_chars (nothing is saved then)."""
    known = {area.code for area in strategy_for(ctx).areas} | {GENERAL}
    limit = ctx.settings.portal.max_answer_chars
    cleaned = []
    for answer in answers:
        if answer.area_code not in known:
            raise input_refused(UNKNOWN_AREA, detail=answer.area_code[:64])
        texts = clean(answer.does_today), clean(answer.could_contribute)
        for kind, text in zip(("gor", "bidra"), texts, strict=True):
            if too_long(text, limit):
                raise input_refused(TOO_LONG, f"{kind}:{answer.area_code}", f"{len(text)} characters")
        cleaned.append(Answer(answer.area_code, *texts))
    written = [answer.area_code for answer in cleaned if _upsert(ctx, session, access, answer)]
    # Recorded also when nothing changed: every use of the page is on record.
    audit.record(ctx, session, access.link, "portal_answers_saved", f"{len(written)} area(s) changed", {"areas": written})
    return written


def _upsert(ctx: AppContext, session: Session, access: Access, answer: Answer) -> bool:
    """Write the answer when it differs from what is stored; True when it did."""
    row = session.scalar(select(DialogueAnswer).where(DialogueAnswer.case_id == access.case.id,
                                                      DialogueAnswer.area_code == answer.area_code))
    does, could = answer.does_today or None, answer.could_contribute or None
    if row is None:
        if does is None and could is None:
            return False
        session.add(DialogueAnswer(case_id=access.case.id, area_code=answer.area_code, does_today=does, could_contribute=could,
                                   link_id=access.link.id, created_at=ctx.clock(), updated_at=ctx.clock()))
        return True
    if (row.does_today, row.could_contribute) == (does, could):
        return False
    row.does_today, row.could_contribute, row.link_id, row.updated_at = does, could, access.link.id, ctx.clock()
    return True
