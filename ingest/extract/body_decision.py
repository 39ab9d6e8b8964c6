"""A decision stated in the mail itself, when no attachment reads as one.

Small associations and companies often paste the decision into the mail ("Styrelsen beslutade
den 26 september 2024, § 14, att ansluta ...") instead of attaching minutes. A registrar takes
that as the decision when it says who decided to join and when: a decision verb in the past or
present ("beslutade", "beslutar", "har beslutat", "fattat beslut om") followed, in the same
sentence, by joining, and a full date (with the year) in the same passage. An intention ("vill
ansluta", "avser att", "ska upp på styrelsemötet") or a decision not yet taken is not one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.extract import bodytext
from ingest.extract import fields as f

if TYPE_CHECKING:
    from ingest.extract.steps import ExtractionContext

# Bounded gaps and one line at a time: never more than a few hundred characters are tried per verb.
STATEMENT = re.compile(r"\b(?:beslut(?:ade|ar|at)|fatta(?:t|de)\s+beslut(?:et)?\s+om)\b(?P<gap>[^.!?\n]{0,160}?)"
                       r"\batt\s+(?P<what>[^.!?\n]{0,120}?)\bansl(?:uta|uter|ut)\b", re.I)
# "... att föreningen vill ansluta sig": what was decided is an intention, not the joining.
INTENT = re.compile(r"\b(?:vill|avser|önskar|planerar|ska|skall|kommer\s+att|eventuellt)\b", re.I)
NOT_YET = re.compile(r"\b(?:inte|ej|ännu\s+inte|inte\s+ännu)\s*$", re.I)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def decision_in_body(ctx: ExtractionContext) -> None:
    d = ctx.result.decision
    if d.present:
        return
    own, quoted = bodytext.split_quote(bodytext.clean(ctx.body))
    quoted = bodytext.without_board_quotes(quoted, ctx.known.is_own_address)
    for where, text in (("text", own), ("quote", quoted)):
        passage = stated_decision(text)
        if passage is None:
            continue
        d.present, d.filename, d.text_source = True, None, "body"
        d.decided_by = d.decided_by or f.find_deciding_body(passage)
        d.date = d.date or f.find_date(passage)
        d.paragraph = d.paragraph or f.find_paragraph(passage)
        d.case_number = d.case_number or f.find_case_number(passage)
        ctx.evidence["decision.date"] = "labelled" if f.DATE_LABEL.search(passage) else "first date"
        ctx.note("decision_in_body", f"stated in the {where}: {d.decided_by}, {d.date}, {d.paragraph}")
        return


def stated_decision(text: str) -> str | None:
    """The passage (the statement's paragraph with the one before and after it) of the first
    decision to join that the text states with a full date, or None."""
    for m in STATEMENT.finditer(text):
        if INTENT.search(m.group("what")) or NOT_YET.search(text[max(0, m.start() - 20):m.start()]):
            continue
        passage = _passage(text, m.start(), m.end())
        if f.find_date(passage):
            return passage
    return None


def _passage(text: str, start: int, end: int) -> str:
    """From the paragraph before the statement's to the paragraph after it."""
    breaks = [(b.start(), b.end()) for b in PARAGRAPH_BREAK.finditer(text)]
    before = [b for b in breaks if b[1] <= start]
    after = [b for b in breaks if b[0] >= end]
    begin = before[-2][1] if len(before) >= 2 else 0
    finish = after[1][0] if len(after) >= 2 else len(text)
    return text[begin:finish]
