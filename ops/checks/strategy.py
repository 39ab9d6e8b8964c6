"""The strategy data file ([strategy] file): readable, consistent, and how complete it is."""

from __future__ import annotations

from ops.doctor import CheckFailed, Checkup
from strategy import StrategyError, load_strategy


def check_strategy(checkup: Checkup) -> str:
    settings = checkup.settings
    path = settings.shipped_path(settings.strategy.file)
    try:
        strategy = load_strategy(path)
    except StrategyError as err:
        raise CheckFailed(str(err), f"correct {path} (README \"The strategy as data\")") from err
    listed = f"{len(strategy.areas)} problem areas under {len(strategy.subgoals)} sub-goals in {path}"
    if strategy.missing_areas:
        return f"{listed}; {strategy.missing_areas} of the strategy's {strategy.expected_areas} areas are not listed yet (complete = false)"
    return listed
