"""The strategy data file: what ships, and that every mistake an admin can make is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from strategy import StrategyError, load_strategy

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "strategy.toml"
GOALS = '[[subgoals]]\ncode = "2"\nname = "Ekonomisk jämställdhet"\n\n[[subgoals]]\ncode = "6"\nname = "Mäns våld mot kvinnor ska upphöra"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "strategy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def area(code: str, subgoal: str, years: str = "[]") -> str:
    return f'\n[[areas]]\ncode = "{code}"\nname = "Område {code}"\nsubgoal = "{subgoal}"\nprioritised = {years}\n'


def test_the_shipped_file_has_the_six_subgoals_and_only_the_three_areas_the_public_texts_name():
    strategy = load_strategy(SHIPPED)
    assert [goal.name for goal in strategy.subgoals] == [
        "En jämn fördelning av makt och inflytande", "Ekonomisk jämställdhet", "Jämställd utbildning",
        "Jämn fördelning av det obetalda hem- och omsorgsarbetet", "Jämställd hälsa", "Mäns våld mot kvinnor ska upphöra"]
    assert [(a.name, a.subgoal, a.prioritised) for a in strategy.areas] == [
        ("Utrikesfödda kvinnors etablering på arbetsmarknaden", "2", (2024,)),
        ("Att systematiskt upptäcka våld, även våld som arbetsgivarfråga", "6", (2024,)),
        ("Våldsförebyggande arbete riktat till barn och unga", "6", (2024,))]
    # Not invented: the file says it is partial, and the placements are marked as inferred.
    assert strategy.complete is False and strategy.missing_areas == 12
    assert all(a.placement_checked is False for a in strategy.areas)


def test_priorities_of_the_latest_year_written_down_are_in_force_and_come_first(tmp_path):
    strategy = load_strategy(write(tmp_path, GOALS + area("a", "6") + area("b", "2", "[2024]") + area("c", "6", "[2026]")))
    assert strategy.priority_year(2025) == 2024 and strategy.priority_year(2027) == 2026 and strategy.priority_year(2023) is None
    assert [a.code for a in strategy.ordered(2025)] == ["b", "a", "c"]
    assert [a.code for a in strategy.ordered(2026)] == ["c", "b", "a"]
    assert [a.code for a in strategy.ordered(2023)] == ["b", "a", "c"]  # no priorities: sub-goal order, file order
    assert [(goal.code, [a.code for a in areas]) for goal, areas in strategy.by_subgoal()] == [("2", ["b"]), ("6", ["a", "c"])]


@pytest.mark.parametrize(("text", "says"), [
    (GOALS + area("vald", "9"), "area 'vald': subgoal '9' is not one of the [[subgoals]] codes (2, 6)"),
    (GOALS + area("vald", "6") + area("vald", "2"), "area code 'vald' is used twice"),
    (GOALS + GOALS, "subgoal code '2' is used twice"),
    (GOALS + area("Våld i nära relationer", "6"), "[[areas]] 1 (Våld i nära relationer): code: String should match pattern"),
    (GOALS + area("vald", "6") + 'colour = "red"\n', "[[areas]] 1 (vald): colour: unknown key"),
    ('expected_areas = 15\n', "subgoals: Field required"),
    (GOALS + "[[areas]]\ncode = \n", "not valid TOML"),
])
def test_a_mistake_is_one_line_naming_the_file_and_the_entry(tmp_path, text, says):
    path = write(tmp_path, text)
    with pytest.raises(StrategyError) as raised:
        load_strategy(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and says in message and "\n" not in message, message


def test_a_missing_file_names_the_key_to_set(tmp_path):
    with pytest.raises(StrategyError, match=r"file not found \(set \[strategy\] file in config.toml\)"):
        load_strategy(tmp_path / "none.toml")
