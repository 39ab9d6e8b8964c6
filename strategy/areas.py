"""Read and check data/strategy.toml (or the file [strategy] file names): sub-goals, problem areas, priorities.

A mistake in the file is a StrategyError (a ConfigError) naming the file, the entry and what is wrong,
so `inbox doctor` (check "strategy"), the case page and the overview report it in one line, never a traceback."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from inbox.context import AppContext
from inbox.errors import ConfigError
from inbox.toml_file import read_toml

CODE = r"^[a-z0-9][a-z0-9-]{0,63}$"


class StrategyError(ConfigError):
    """The strategy data file is missing, unreadable or inconsistent."""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Subgoal(_Entry):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)


class Area(_Entry):
    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=300)
    subgoal: str
    description: str = Field("", max_length=2000)
    placement_checked: bool = True  # false: the sub-goal was inferred, a person should confirm it
    prioritised: tuple[int, ...] = ()  # the years the area is prioritised

    def prioritised_in(self, year: int) -> bool:
        return year in self.prioritised


class Strategy(_Entry):
    expected_areas: int = Field(15, ge=1, le=200)
    complete: bool = True
    subgoals: tuple[Subgoal, ...] = Field(min_length=1)
    areas: tuple[Area, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Strategy:
        for kind, codes in (("subgoal", [s.code for s in self.subgoals]), ("area", [a.code for a in self.areas])):
            doubles = sorted({code for code in codes if codes.count(code) > 1})
            if doubles:
                raise ValueError(f"{kind} code {doubles[0]!r} is used twice; each code names one {kind}")
        known = {s.code for s in self.subgoals}
        for area in self.areas:
            if area.subgoal not in known:
                raise ValueError(f"area {area.code!r}: subgoal {area.subgoal!r} is not one of the [[subgoals]] codes "
                                 f"({', '.join(sorted(known))})")
        return self

    @property
    def missing_areas(self) -> int:
        """How many areas the strategy has that the file does not list yet (0 when complete)."""
        return 0 if self.complete else max(self.expected_areas - len(self.areas), 0)

    def area(self, code: str) -> Area | None:
        return next((area for area in self.areas if area.code == code), None)

    def subgoal(self, code: str) -> Subgoal | None:
        return next((goal for goal in self.subgoals if goal.code == code), None)

    def priority_year(self, year: int) -> int | None:
        """The year whose priorities are in force in `year`: that year if any area names it, else the latest
        earlier year that does (priorities are set in consultation and may not be written down for every year)."""
        years = sorted({y for area in self.areas for y in area.prioritised if y <= year})
        return years[-1] if years else None

    def ordered(self, year: int) -> list[Area]:
        """The areas, prioritised ones (in the priority year for `year`) first, then by sub-goal, each in file order."""
        priority = self.priority_year(year)
        order = {goal.code: index for index, goal in enumerate(self.subgoals)}
        return sorted(self.areas, key=lambda a: (priority is None or priority not in a.prioritised, order[a.subgoal]))

    def by_subgoal(self) -> list[tuple[Subgoal, list[Area]]]:
        return [(goal, [area for area in self.areas if area.subgoal == goal.code]) for goal in self.subgoals]


def load_strategy(path: Path) -> Strategy:
    data = read_toml(path, error=StrategyError, missing="file not found (set [strategy] file in config.toml)")
    try:
        return Strategy(**data)
    except ValidationError as err:
        raise StrategyError(_describe(path, err, data)) from err
    except TypeError as err:  # a top-level key that is not a table/array where one is expected
        raise StrategyError(f"{path}: {err}") from err


def _describe(path: Path, err: ValidationError, data: dict) -> str:
    """One line naming the file, the entry ('[[areas]] 3 (upptacka-vald)'), the key and what is wrong."""
    lines = [_problem(problem, data) for problem in err.errors()]
    if len(lines) == 1:
        return f"{path}: {lines[0]}"
    return f"{path}: {len(lines)} problems: " + "; ".join(lines)


def _problem(problem: ErrorDetails, data: dict) -> str:
    loc = list(problem["loc"])
    message = str(problem["msg"]).removeprefix("Value error, ")
    if problem["type"] == "extra_forbidden":
        message = "unknown key (check the spelling against the shipped data/strategy.toml)"
    where = []
    if len(loc) >= 2 and loc[0] in ("subgoals", "areas") and isinstance(loc[1], int):
        items = data.get(str(loc[0]))
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        code = item.get("code") if isinstance(item, dict) else None
        where.append(f"[[{loc[0]}]] {loc[1] + 1}" + (f" ({code})" if code else ""))
        loc = loc[2:]
    where.extend(str(part) for part in loc)
    return ": ".join([*where, message])


def strategy_for(ctx: AppContext) -> Strategy:
    """The context's strategy, read once ([strategy] file, or the shipped data/strategy.toml)."""
    path = ctx.settings.shipped_path(ctx.settings.strategy.file)
    return ctx.memo("strategy", lambda: load_strategy(path))
