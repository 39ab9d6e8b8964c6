"""Gather the county overview ("samlad bild") from the dialogue records of the affiliated organisations.

Only affiliated cases count: those with an organisation that are neither withdrawn nor merged into another.
Four queries whatever the number of cases (organisations, staff entries, the organisations' own answers, held
dialogues); everything else is grouping in memory. An entry or answer under an area code the strategy file no
longer lists is kept, in a group of its own: a record keeps the code it was written under (models/dialogue.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from digest import labels as digest_labels
from inbox.context import AppContext
from models import Case, CaseStatus, CommitmentState, DialogueAnswer, DialogueEntry, DialogueRecord, Organisation
from overview import labels
from strategy.areas import Area, Strategy, strategy_for

STAFF, ORGANISATION = "staff", "organisation"
TYPE_ORDER = [*digest_labels.ORGANISATION_TYPES.values(), digest_labels.UNKNOWN_TYPE]


@dataclass(frozen=True)
class OrgRef:
    case_id: int
    reference: str
    name: str
    type_label: str


@dataclass(frozen=True)
class Work:
    """What one organisation does or commits to in one area: from staff's dialogue entry, or its own answer."""

    org: OrgRef
    area_code: str
    source: str  # STAFF or ORGANISATION
    does_today: str | None = None
    commits_to: str | None = None
    could_contribute: str | None = None  # the organisation's own words only
    state: CommitmentState | None = None  # staff's entries only
    follow_up_on: date | None = None
    good_example: str | None = None

    @property
    def source_label(self) -> str:
        return labels.STAFF_SOURCE if self.source == STAFF else labels.ORGANISATION_SOURCE

    @property
    def is_commitment(self) -> bool:
        return self.source == STAFF and (bool(self.commits_to) or self.state not in (None, CommitmentState.NONE))

    @property
    def state_label(self) -> str | None:
        return labels.state(self.state or CommitmentState.NONE) if self.is_commitment else None

    @property
    def involved(self) -> bool:
        """Anything written at all: a blank row says nothing about the area."""
        return any((self.does_today, self.commits_to, self.could_contribute, self.good_example))


@dataclass(frozen=True)
class AreaOverview:
    code: str
    name: str
    subgoal: str | None  # the sub-goal's name; None for an area the file no longer lists
    known: bool
    prioritised: bool
    entries: tuple[Work, ...]  # staff's, from the dialogue
    answers: tuple[Work, ...]  # the organisations' own

    @property
    def today(self) -> int:
        """Organisations that work on the area today (staff's record or their own answer)."""
        return len({w.org.case_id for w in (*self.entries, *self.answers) if w.does_today})

    @property
    def committed(self) -> int:
        return len({w.org.case_id for w in self.entries if w.is_commitment})

    @property
    def commitments(self) -> tuple[Work, ...]:
        return tuple(w for w in self.entries if w.is_commitment)

    @property
    def states(self) -> list[tuple[str, int]]:
        """(Swedish state, count) of the commitments, in the order of labels.STATES, only those that occur."""
        found = Counter(w.state or CommitmentState.NONE for w in self.commitments)
        return [(word, found[state]) for state, word in labels.STATES.items() if found[state]]

    @property
    def by_type(self) -> list[tuple[str, int]]:
        """(organisation type, organisations involved in the area) for the types that occur."""
        return _type_counts({w.org.case_id: w.org for w in (*self.entries, *self.answers)}.values())

    @property
    def organisations(self) -> int:
        return len({w.org.case_id for w in (*self.entries, *self.answers)})

    @property
    def examples(self) -> tuple[Work, ...]:
        return tuple(w for w in self.entries if w.good_example)

    @property
    def empty(self) -> bool:
        """Nobody works on it yet: no entry with "does today" or "commits to", and no answer of the organisation."""
        return not self.answers and not any(w.does_today or w.is_commitment for w in self.entries)


@dataclass(frozen=True)
class AreaGroup:
    title: str
    areas: tuple[AreaOverview, ...]


@dataclass(frozen=True)
class TypeCount:
    label: str
    affiliated: int
    dialogues: int
    working: int  # involved in at least one area
    commitments: int


@dataclass(frozen=True)
class Totals:
    organisations: int
    dialogues: int
    commitments: int
    areas: int
    development: int


@dataclass(frozen=True)
class GoodExample:
    area: str
    work: Work


@dataclass(frozen=True)
class CountyOverview:
    generated_at: datetime  # local time
    priority_year: int | None
    totals: Totals
    groups: tuple[AreaGroup, ...]
    development: tuple[AreaOverview, ...]
    examples: tuple[GoodExample, ...]
    by_type: tuple[TypeCount, ...]
    general: tuple[Work, ...]  # the organisations' own words about their work as a whole (area code "")
    partial_note: str | None  # set while the strategy file lists only some of the areas

    @property
    def areas(self) -> list[AreaOverview]:
        return [area for group in self.groups for area in group.areas]


def county_overview(ctx: AppContext, session: Session) -> CountyOverview:
    now = ctx.clock().astimezone(ctx.zone)
    strategy = strategy_for(ctx)
    orgs = _affiliated_organisations(session)
    works = [*_entries(session, orgs), *_answers(session, orgs)]
    held = _held_dialogues(session)
    areas = _areas(strategy, now.year, [w for w in works if w.area_code])
    groups = _groups(strategy.priority_year(now.year), areas)
    development = tuple(area for area in areas if area.known and area.empty)
    commitments = [w for w in works if w.is_commitment]
    return CountyOverview(
        generated_at=now, priority_year=strategy.priority_year(now.year),
        totals=Totals(organisations=len(orgs), dialogues=len(held), commitments=len(commitments),
                      areas=sum(area.known for area in areas), development=len(development)),
        groups=groups, development=development,
        examples=tuple(GoodExample(area.name, work) for area in areas for work in area.examples),
        by_type=_by_type(orgs, held, [w for w in works if w.area_code and w.involved], commitments),
        general=tuple(_sorted(w for w in works if not w.area_code)),
        partial_note=labels.partial_note(strategy.missing_areas, strategy.expected_areas) if strategy.missing_areas else None,
    )


# -- the queries: one each, whatever the number of cases --------------------------------------------------


def _affiliated_ids() -> Select:
    return select(Case.id).where(Case.status != CaseStatus.WITHDRAWN, Case.merged_into_id.is_(None),
                                 Case.organisation_id.is_not(None))


def _affiliated_organisations(session: Session) -> dict[int, OrgRef]:
    rows = session.execute(
        select(Case.id, Case.reference, Organisation.name, Organisation.type)
        .join(Organisation, Case.organisation_id == Organisation.id)
        .where(Case.id.in_(_affiliated_ids()))
    )
    return {row.id: OrgRef(row.id, row.reference, digest_labels.one_line(row.name) or row.reference,
                           digest_labels.organisation_type(row.type)) for row in rows}


def _entries(session: Session, orgs: dict[int, OrgRef]) -> list[Work]:
    found = session.scalars(select(DialogueEntry).where(DialogueEntry.case_id.in_(_affiliated_ids())))
    return [work for work in (Work(
        orgs[e.case_id], e.area_code, STAFF, does_today=_text(e.does_today), commits_to=_text(e.commits_to),
        state=e.state, follow_up_on=e.follow_up_on, good_example=_text(e.good_example),
    ) for e in found if e.case_id in orgs) if work.involved]


def _answers(session: Session, orgs: dict[int, OrgRef]) -> list[Work]:
    found = session.scalars(select(DialogueAnswer).where(DialogueAnswer.case_id.in_(_affiliated_ids())))
    return [work for work in (Work(
        orgs[a.case_id], a.area_code, ORGANISATION, does_today=_text(a.does_today),
        could_contribute=_text(a.could_contribute),
    ) for a in found if a.case_id in orgs) if work.involved]


def _held_dialogues(session: Session) -> set[int]:
    """Cases whose dialogue meeting staff recorded as held."""
    return set(session.scalars(select(DialogueRecord.case_id).where(
        DialogueRecord.held_on.is_not(None), DialogueRecord.case_id.in_(_affiliated_ids()))))


def _text(value: str | None) -> str | None:
    """Blank text is no text."""
    return value.strip() or None if value else None


# -- grouping -------------------------------------------------------------------------------------------------


def _areas(strategy: Strategy, year: int, works: list[Work]) -> list[AreaOverview]:
    """Every area of the strategy in its order (prioritised first), then the codes the file no longer lists."""
    by_code: dict[str, list[Work]] = {}
    for work in works:
        by_code.setdefault(work.area_code, []).append(work)
    priority = strategy.priority_year(year)
    areas = [_area(area, priority, by_code.pop(area.code, []), strategy) for area in strategy.ordered(year)]
    return areas + [_unknown_area(code, by_code[code]) for code in sorted(by_code)]


def _area(area: Area, priority: int | None, works: list[Work], strategy: Strategy) -> AreaOverview:
    goal = strategy.subgoal(area.subgoal)
    return AreaOverview(area.code, area.name, goal.name if goal else None, known=True,
                        prioritised=priority is not None and area.prioritised_in(priority),
                        entries=_sorted(w for w in works if w.source == STAFF),
                        answers=_sorted(w for w in works if w.source == ORGANISATION))


def _unknown_area(code: str, works: list[Work]) -> AreaOverview:
    return AreaOverview(code, code, None, known=False, prioritised=False,
                        entries=_sorted(w for w in works if w.source == STAFF),
                        answers=_sorted(w for w in works if w.source == ORGANISATION))


def _groups(priority: int | None, areas: list[AreaOverview]) -> tuple[AreaGroup, ...]:
    """Prioritised areas, then the others under their sub-goals (in the file's order), then the unknown codes."""
    groups: list[AreaGroup] = []
    prioritised = tuple(area for area in areas if area.prioritised)
    if prioritised:
        groups.append(AreaGroup(f"{labels.PRIORITISED} {priority}", prioritised))
    others: dict[str, list[AreaOverview]] = {}
    for area in areas:
        if area.known and not area.prioritised:
            others.setdefault(area.subgoal or "", []).append(area)
    groups += [AreaGroup(f"Delmål: {goal}", tuple(found)) for goal, found in others.items()]
    unknown = tuple(area for area in areas if not area.known)
    if unknown:
        groups.append(AreaGroup(labels.UNKNOWN_AREAS, unknown))
    return tuple(groups)


def _sorted(works: Iterable[Work]) -> tuple[Work, ...]:
    return tuple(sorted(works, key=lambda w: (w.org.name.casefold(), w.org.reference)))


def _type_counts(orgs: Iterable[OrgRef]) -> list[tuple[str, int]]:
    found = Counter(org.type_label for org in orgs)
    return [(label, found[label]) for label in TYPE_ORDER if found[label]]


def _by_type(orgs: dict[int, OrgRef], held: set[int], involved: list[Work], commitments: list[Work]) -> tuple[TypeCount, ...]:
    """Per organisation type: affiliated, dialogues held, working on an area, commitments (types that occur)."""
    affiliated = Counter(org.type_label for org in orgs.values())
    dialogues = Counter(orgs[case_id].type_label for case_id in held if case_id in orgs)
    working = Counter(org.type_label for org in {w.org.case_id: w.org for w in involved}.values())
    committed = Counter(w.org.type_label for w in commitments)
    return tuple(TypeCount(label, affiliated[label], dialogues[label], working[label], committed[label])
                 for label in TYPE_ORDER if affiliated[label])
