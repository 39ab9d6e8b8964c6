"""The strategy as data: its problem areas under the national sub-goals, and the prioritised ones per year."""

from strategy.areas import Area, Strategy, StrategyError, Subgoal, load_strategy, strategy_for

__all__ = ["Area", "Strategy", "StrategyError", "Subgoal", "load_strategy", "strategy_for"]
