"""overview.collect over a small real database (SQLite and PostgreSQL): who works on which area, what counts,
what is left out, and that the collection costs a few queries whatever the number of cases.

`seed_overview` writes the rows the dialogue's services would write, directly through the models (the services
are another part of the work), and is shared with tests/web/test_overview.py."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import event

from models import Case, CaseStatus, CommitmentState, DialogueAnswer, DialogueEntry, DialogueRecord, Organisation
from overview.collect import county_overview

WORK = "utrikesfodda-kvinnors-etablering"
VIOLENCE = "upptacka-vald"
YOUNG = "valdsforebyggande-barn-unga"
HOSTILE_ORG = '<script>alert(1)</script> Bygg "><img src=x onerror=alert(1)> AB'
FORMULA = '=HYPERLINK("http://evil.example/","klicka")'
AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@dataclass
class Seeded:
    vasteras: int
    region: int
    trygga: int
    hostile: int
    withdrawn: int
    merged: int


def add_case(session, reference: str, name: str, org_type: str | None, status: CaseStatus = CaseStatus.BOOKED,
             **extra) -> Case:
    case = Case(reference=reference, status=status, organisation=Organisation(name=name, type=org_type), sender=None,
                missing=[], confidence={}, review=[], overrides={}, status_since=AT, created_at=AT, updated_at=AT, **extra)
    session.add(case)
    session.flush()
    return case


def entry(session, case: Case, area: str, **values) -> None:
    session.add(DialogueEntry(case_id=case.id, area_code=area, updated_by="staff", created_at=AT, updated_at=AT, **values))


def answer(session, case: Case, area: str, **values) -> None:
    session.add(DialogueAnswer(case_id=case.id, area_code=area, created_at=AT, updated_at=AT, **values))


def held(session, case: Case, on: date | None = date(2026, 3, 2)) -> None:
    session.add(DialogueRecord(case_id=case.id, held_on=on, participants="Anna Lind", created_at=AT, updated_at=AT))


def seed_overview(ctx) -> Seeded:
    """Four affiliated organisations of four types, one withdrawn and one merged case, an area code the strategy
    no longer lists, a hostile name and formula-like text; nobody works on YOUNG (a development area)."""
    with ctx.sessions() as s:
        vasteras = add_case(s, "JS-2026-0101", "Västerås stad", "kommun", CaseStatus.DIALOGUE_HELD)
        held(s, vasteras)
        entry(s, vasteras, WORK, does_today="Språkpraktik enligt § 12 i avtalet – 40 deltagare", commits_to="Mentorprogram",
              state=CommitmentState.ONGOING, follow_up_on=date(2026, 9, 1),
              good_example="Jobbspår för utrikesfödda kvinnor i Västerås")
        entry(s, vasteras, VIOLENCE, does_today="Rutin för att fråga om våld i alla möten")
        entry(s, vasteras, "gammalt-omrade", does_today="Något under ett område som strykits ur filen")
        region = add_case(s, "JS-2026-0102", "Region Västmanland", "region", CaseStatus.BOOKED)
        answer(s, region, VIOLENCE, does_today="Screening inom mödrahälsovården", could_contribute="Utbildning av personal")
        answer(s, region, "", does_today="Vi arbetar brett med jämställdhetsintegrering.")
        trygga = add_case(s, "JS-2026-0103", "Föreningen Trygga hem", "civilsamhalle", CaseStatus.DIALOGUE_HELD)
        held(s, trygga)
        entry(s, trygga, VIOLENCE, commits_to="Utbildning för volontärer", state=CommitmentState.PLANNED,
              follow_up_on=date(2026, 11, 15))
        entry(s, trygga, YOUNG)  # a blank row says nothing: YOUNG stays a development area
        hostile = add_case(s, "JS-2026-0104", HOSTILE_ORG, "naringsliv", CaseStatus.INVITED)
        held(s, hostile, None)  # a record without a date: not a held dialogue
        entry(s, hostile, WORK, does_today=FORMULA, commits_to="+1+1", state=CommitmentState.DONE, good_example="@SUM(A1)")
        withdrawn = add_case(s, "JS-2026-0105", "Arboga kommun", "kommun", CaseStatus.WITHDRAWN)
        held(s, withdrawn)
        entry(s, withdrawn, YOUNG, does_today="Räknas inte: återkallat", commits_to="Räknas inte")
        merged = add_case(s, "JS-2026-0106", "Köpings kommun", "kommun", CaseStatus.COMPLETE, merged_into_id=vasteras.id)
        answer(s, merged, YOUNG, does_today="Räknas inte: sammanfogat")
        s.commit()
        return Seeded(vasteras.id, region.id, trygga.id, hostile.id, withdrawn.id, merged.id)


def collect(ctx):
    with ctx.sessions() as session:
        return county_overview(ctx, session)


def test_areas_come_prioritised_first_with_who_works_on_them(make_app):
    ctx = make_app()
    seed_overview(ctx)
    found = collect(ctx)
    assert found.priority_year == 2024  # the clock says 2026; the file's latest priorities are 2024's
    assert [g.title for g in found.groups] == ["Prioriterade problemområden 2024", "Områden som inte längre finns i strategifilen"]
    work, violence, young, old = found.areas
    assert (work.code, violence.code, young.code, old.code) == (WORK, VIOLENCE, YOUNG, "gammalt-omrade")
    assert work.prioritised and work.subgoal == "Ekonomisk jämställdhet"
    assert [w.org.name for w in work.entries] == [HOSTILE_ORG, "Västerås stad"]  # by name ("<" sorts first)
    assert (work.today, work.committed) == (2, 2)
    assert work.states == [("Pågår", 1), ("Genomfört", 1)]
    assert work.by_type == [("Kommun", 1), ("Näringsliv", 1)]
    assert (violence.today, violence.committed) == (2, 1)  # Västerås (staff) and the region (its own answer)
    assert [w.org.name for w in violence.answers] == ["Region Västmanland"]
    assert violence.answers[0].source_label == "Uppgett av organisationen"
    assert violence.states == [("Planerat", 1)]
    assert violence.by_type == [("Kommun", 1), ("Region", 1), ("Civilsamhälle", 1)]


def test_nobody_working_on_an_area_makes_it_a_development_area(make_app):
    ctx = make_app()
    seed_overview(ctx)
    found = collect(ctx)
    assert [a.code for a in found.development] == [YOUNG]
    young = found.areas[2]
    assert young.empty and young.entries == () and young.answers == ()


def test_withdrawn_and_merged_cases_do_not_count(make_app):
    ctx = make_app()
    seeded = seed_overview(ctx)
    found = collect(ctx)
    every = [w.org.case_id for a in found.areas for w in (*a.entries, *a.answers)] + [w.org.case_id for w in found.general]
    assert seeded.withdrawn not in every and seeded.merged not in every
    assert found.totals.organisations == 4
    assert found.totals.dialogues == 2  # Västerås and Trygga hem; the withdrawn one and the undated record do not count
    assert found.totals.commitments == 3
    assert [(t.label, t.affiliated, t.dialogues, t.working, t.commitments) for t in found.by_type] == [
        ("Kommun", 1, 1, 1, 1), ("Region", 1, 0, 1, 0), ("Näringsliv", 1, 0, 1, 1), ("Civilsamhälle", 1, 1, 1, 1)]


def test_an_area_code_the_file_no_longer_lists_is_kept_in_its_own_group(make_app):
    ctx = make_app()
    seed_overview(ctx)
    old = collect(ctx).groups[-1].areas
    assert [(a.code, a.known, a.today) for a in old] == [("gammalt-omrade", False, 1)]
    assert old[0].entries[0].org.name == "Västerås stad"


def test_the_organisations_words_about_their_whole_work_are_kept_apart(make_app):
    ctx = make_app()
    seed_overview(ctx)
    general = collect(ctx).general
    assert [(w.org.name, w.does_today) for w in general] == [("Region Västmanland", "Vi arbetar brett med jämställdhetsintegrering.")]


def test_a_partial_strategy_file_is_said_and_a_complete_one_is_not(make_app, tmp_path):
    assert collect(make_app()).partial_note.startswith("Strategifilen är ofullständig: 12 av 15 problemområden")
    path = tmp_path / "strategy.toml"
    path.write_text(
        'expected_areas = 2\ncomplete = true\n[[subgoals]]\ncode = "1"\nname = "Makt"\n[[subgoals]]\ncode = "2"\n'
        'name = "Ekonomi"\n[[areas]]\ncode = "a"\nname = "Område A"\nsubgoal = "1"\n[[areas]]\ncode = "b"\n'
        'name = "Område B"\nsubgoal = "2"\nprioritised = [2025]\n', encoding="utf-8")
    found = collect(make_app(strategy={"file": str(path)}))
    assert found.partial_note is None
    assert found.priority_year == 2025
    assert [(g.title, [a.code for a in g.areas]) for g in found.groups] == [
        ("Prioriterade problemområden 2025", ["b"]), ("Delmål: Makt", ["a"])]


def test_the_collection_takes_a_few_queries_for_300_cases(make_app, capsys):
    ctx = make_app()
    with ctx.sessions() as s:
        for n in range(300):
            case = add_case(s, f"JS-2026-{n + 1000:05d}", f"Organisation {n}", ("kommun", "region", "naringsliv")[n % 3])
            held(s, case)
            for area in (WORK, VIOLENCE, YOUNG):
                entry(s, case, area, does_today=f"Arbete {n}", commits_to=f"Åtagande {n}" if n % 2 else None,
                      state=CommitmentState.ONGOING if n % 2 else CommitmentState.NONE)
            answer(s, case, WORK, does_today=f"Eget svar {n}")
        s.commit()
    statements: list[str] = []
    event.listen(ctx.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    started = time.perf_counter()
    found = collect(ctx)
    took = time.perf_counter() - started
    assert len(statements) <= 5, statements
    assert found.totals.organisations == 300 and found.totals.commitments == 450
    assert found.areas[0].today == 300 and found.areas[0].committed == 150
    with capsys.disabled():
        print(f"\noverview of 300 cases x 3 areas ({ctx.engine.dialect.name}): {len(statements)} queries, {took * 1000:.0f} ms")
