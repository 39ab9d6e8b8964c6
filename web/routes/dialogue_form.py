"""The case page's "Dialogmöte – dokumentation": the form's field names, what it shows, and the Swedish words for
every reason cases/dialogue.py refuses a record with. The page (case_page.py) and the POST (dialogue.py) both
read it, so a refused record comes back exactly as it was typed, with its reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from cases import dialogue as d
from cases.dialogue import AreaInput, AreaView, DialogueInput, DialogueView, LinkState, Problem
from digest import labels
from inbox.errors import InboxError
from models import Case, CommitmentState
from strategy.areas import StrategyError
from web.handler import Page

MAX_AREAS = 200  # the strategy's own limit on expected areas: more posted codes are no form of ours

# Form field names: the record's, and per area "<code>.<name>" (codes are [a-z0-9-], strategy/areas.CODE).
HELD_ON, PARTICIPANTS, NOTES, AREA = "motesdatum", "deltagare", "anteckningar", "omrade"
AREA_FIELDS = {"does_today": "gor-i-dag", "commits_to": "atar-sig", "follow_up_on": "uppfoljning", "state": "lage",
               "good_example": "gott-exempel"}

STATES = [(CommitmentState.NONE.value, "Inget åtagande"), (CommitmentState.PLANNED.value, "Planerat"),
          (CommitmentState.ONGOING.value, "Pågår"), (CommitmentState.DONE.value, "Genomfört"),
          (CommitmentState.DROPPED.value, "Avbrutet")]
FIELD_NAMES = {d.HELD_ON: "Mötet hölls", d.PARTICIPANTS: "Deltagare", d.NOTES: "Anteckningar", d.DOES_TODAY: "Gör i dag",
               d.COMMITS_TO: "Åtar sig", d.FOLLOW_UP_ON: "Uppföljning senast", d.STATE: "Läge",
               d.GOOD_EXAMPLE: "Gott exempel att sprida"}


@dataclass(frozen=True)
class DialogueForm:
    """A record the service refused, to show again as typed."""

    typed: DialogueInput
    problems: list[Problem]


@dataclass(frozen=True)
class AreaPart:
    view: AreaView
    values: AreaInput
    problems: list[str]
    invalid: frozenset[str]  # the fields (cases/dialogue names) a problem names


@dataclass
class Section:
    """What the template shows; `error` instead of everything else when the strategy file cannot be read."""

    error: str | None = None
    view: DialogueView | None = None
    typed: DialogueInput = DialogueInput("")
    areas: list[AreaPart] = field(default_factory=list)  # the strategy's areas, editable
    gone: list[AreaView] = field(default_factory=list)  # areas no longer in the file, shown as they were
    problems: list[str] = field(default_factory=list)  # the record's own (not an area's)
    invalid: frozenset[str] = frozenset()
    link: LinkState | None = None
    strategy_file: str = ""
    states: list[tuple[str, str]] = field(default_factory=lambda: STATES)
    names: dict[str, str] = field(default_factory=dict)  # AREA_FIELDS, for the template
    field_names: dict[str, str] = field(default_factory=dict)


def read_form(p: Page) -> DialogueInput:
    """The posted form as the service's input; the service checks every value."""
    codes = [code for code in (p.form.getlist(AREA) if p.form is not None else []) if isinstance(code, str)]
    if len(codes) > MAX_AREAS:
        raise InboxError("Formuläret har fler problemområden än strategin. Ladda om sidan och försök igen.")
    return DialogueInput(
        held_on=p.value(HELD_ON), participants=p.value(PARTICIPANTS), notes=p.value(NOTES),
        areas=tuple(AreaInput(code, **{key: p.value(f"{code[:64]}.{name}") for key, name in AREA_FIELDS.items()})
                    for code in codes))


def dialogue_section(p: Page, case: Case, refused: DialogueForm | None) -> Section:
    link = d.link_state(p.ctx, p.session, case)
    try:
        view = d.dialogue_view(p.ctx, p.session, case)
    except StrategyError as err:
        return Section(error=str(err), link=link)
    typed = refused.typed if refused else typed_from(view)
    problems = refused.problems if refused else []
    names = {area.code: area.name for area in view.areas}
    by_code = {area.code: area for area in typed.areas}
    parts = [AreaPart(area, by_code.get(area.code, AreaInput(area.code)),
                      [phrase(x, names) for x in problems if x.area == area.code],
                      frozenset(x.field for x in problems if x.area == area.code and x.field))
             for area in view.areas if area.known]
    return Section(
        view=view, typed=typed, areas=parts, gone=[area for area in view.areas if not area.known],
        problems=[phrase(x, names) for x in problems if x.area is None or x.area not in {a.code for a in view.areas if a.known}],
        invalid=frozenset(x.field for x in problems if x.area is None and x.field), link=link,
        strategy_file=str(p.ctx.settings.strategy.file), names=AREA_FIELDS, field_names=FIELD_NAMES)


def typed_from(view: DialogueView) -> DialogueInput:
    """What is saved, as the form shows it."""
    record = view.record
    return DialogueInput(
        held_on=record.held_on.isoformat() if record and record.held_on else "",
        participants=(record.participants or "") if record else "", notes=(record.notes or "") if record else "",
        areas=tuple(_typed_entry(area) for area in view.areas if area.known))


def _typed_entry(area: AreaView) -> AreaInput:
    entry = area.entry
    if entry is None:
        return AreaInput(area.code)
    return AreaInput(area.code, entry.does_today or "", entry.commits_to or "",
                     entry.follow_up_on.isoformat() if entry.follow_up_on else "", entry.state.value, entry.good_example or "")


def state_name(value: str | None) -> str:
    return dict(STATES).get(value or "", "Inget åtagande")


# -- the reasons, in Swedish -----------------------------------------------------------------------------------


def phrase(problem: Problem, names: dict[str, str]) -> str:
    """One refusal reason as the person at the form reads it."""
    where = f"”{names.get(problem.area, problem.area)}”: " if problem.area else ""
    what = FIELD_NAMES.get(problem.field or "", "")
    return where + _words(problem, what)


def _words(problem: Problem, what: str) -> str:
    code, detail = problem.code, problem.detail or ""
    if code == d.WRONG_STATUS:
        return ("Ett dialogmöte kan dokumenteras när ärendet är inbjudet, bokat eller har genomförd dialog "
                f"(status är nu ”{labels.status(detail)}”).")
    if code == d.TOO_LONG:
        return f"Texten i ”{what}” är för lång (högst {int(detail or d.MAX_TEXT):,} tecken).".replace(",", " ")
    return WORDS.get(code, "Uppgifterna kunde inte sparas.").format(what=what, detail=detail)


WORDS = {
    d.HELD_ON_MISSING: "Skriv vilket datum mötet hölls.",
    d.DATE_FORMAT: "”{what}” är inte ett giltigt datum. Skriv det som 2026-03-12.",
    d.HELD_IN_FUTURE: "Mötesdatumet kan inte vara senare än i dag ({detail}).",
    d.HELD_TOO_LONG_AGO: "Mötesdatumet ligger mer än {detail} år tillbaka. Kontrollera året.",
    d.FOLLOW_UP_BEFORE_HELD: "Uppföljningsdatumet är före mötesdatumet ({detail}).",
    d.FOLLOW_UP_TOO_FAR: "Uppföljningen kan ligga högst {detail} år fram i tiden.",
    d.FOLLOW_UP_WITHOUT_COMMITMENT: "Ett uppföljningsdatum hör till ett åtagande. Skriv vad organisationen åtar sig, "
                                    "eller töm datumet.",
    d.UNKNOWN_AREA: "Problemområdet finns inte i strategin. Ladda om sidan och försök igen.",
    d.DUPLICATE_AREA: "Problemområdet kom med två gånger. Ladda om sidan och försök igen.",
    d.UNKNOWN_STATE: "Välj ett av lägena i listan.",
    d.STATE_WITHOUT_COMMITMENT: "Ett läge hör till ett åtagande. Skriv vad organisationen åtar sig, eller välj "
                                "”Inget åtagande”.",
    d.COMMITMENT_WITHOUT_STATE: "Välj åtagandets läge: Planerat, Pågår, Genomfört eller Avbrutet.",
}
