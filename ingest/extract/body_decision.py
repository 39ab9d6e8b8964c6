"""A decision stated in the mail itself, when no attachment reads as one.

Small associations and companies often paste the decision into the mail ("Styrelsen beslutade
den 26 september 2024, § 14, att ansluta ...") instead of attaching minutes. A registrar takes
that as the decision when it says who decided to join and when: a decision verb in the past or
present ("beslutade", "beslutar", "har beslutat", "fattat beslut om") followed, in the same
sentence, by joining, and a full date (with the year) in the same passage. An intention ("vill
ansluta", "avser att", "ska upp på styrelsemötet") or a decision not yet taken is not one.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from ingest.extract import bodytext
from ingest.extract import fields as f

if TYPE_CHECKING:
    from ingest.extract.steps import ExtractionContext

# The verb, then the rest of its sentence (at most 300 characters) is read once for "att ...
# ansluta": no nested repeats, so a hostile line of "beslutar att beslutar att ..." stays linear.
VERB = re.compile(r"\b(?:beslut(?:ade|ar|at)|fatta(?:t|de)\s+beslut(?:et)?\s+om)\b", re.I)
SENTENCE_END = re.compile(r"[.!?\n]")
THAT = re.compile(r"\batt\s", re.I)
JOIN = re.compile(r"\bansl(?:uta|uter|ut|utning|utningen)\b", re.I)
# "... att föreningen vill ansluta sig": what was decided is an intention, not the joining.
INTENT = re.compile(r"\b(?:vill|avser|önskar|planerar|ska|skall|kommer\s+att|eventuellt)\b", re.I)
NOT_YET = re.compile(r"\b(?:inte|ej)\s*$", re.I)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
PASSAGE_CHARS = 1500


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
    breaks = [(b.start(), b.end()) for b in PARAGRAPH_BREAK.finditer(text)]
    dated = [position for position, _ in f.dates_in(text)]  # found once: the loop only looks them up
    for verb in VERB.finditer(text):
        if NOT_YET.search(text[max(0, verb.start() - 20):verb.start()]):
            continue  # "har inte beslutat"
        sentence = text[verb.end():verb.end() + 300]
        end = SENTENCE_END.search(sentence)
        sentence = sentence[:end.start()] if end else sentence
        that = THAT.search(sentence)
        joins = JOIN.search(sentence, that.end()) if that else None
        if that is None or joins is None or INTENT.search(sentence[that.end():joins.start()]):
            continue
        begin, finish = _passage(text, breaks, verb.start(), verb.end() + joins.end())
        if bisect.bisect_left(dated, begin) < bisect.bisect_left(dated, finish):
            return text[begin:finish]
    return None


def _passage(text: str, breaks: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """(start, end) from the paragraph before the statement's to the paragraph after it, at most PASSAGE_CHARS
    either side (a hostile mail with no blank line is one paragraph)."""
    at = bisect.bisect_left(breaks, (start, start))
    begin = breaks[at - 2][1] if at >= 2 else 0
    after = bisect.bisect_left(breaks, (end, end))
    finish = breaks[after + 1][0] if after + 1 < len(breaks) else len(text)
    return max(begin, start - PASSAGE_CHARS), min(finish, end + PASSAGE_CHARS)
