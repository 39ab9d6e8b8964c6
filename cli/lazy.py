"""Sub-commands imported only when they run, so that `inbox --help` and an idle `inbox poll` start
in a blink, and so that each message's child process, which imports the `inbox` script again
(ingest.isolation), does not import the whole service.

A LazyGroup takes a table: command name -> ("module:attribute", the one line `inbox --help`
shows for it). The help line is in the table so that listing the commands imports none of
them; tests/unit/test_cli_lazy.py checks each line against the command's own docstring.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

import click


def load(target: str) -> click.Command:
    """The command object named "package.module:attribute"."""
    module, _, attribute = target.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{target} is not a click command")
    return command


class LazyGroup(click.Group):
    def __init__(self, *args, lazy: dict[str, tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy if lazy is not None else {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            self.add_command(load(self.lazy[cmd_name][0]), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's own, with the help lines of commands not yet imported taken from the table."""
        names = [name for name in self.list_commands(ctx) if name in self.lazy or not self.commands[name].hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(map(len, names))
        rows = [(name, self._short_help(name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def _short_help(self, name: str, limit: int) -> str:
        if name in self.commands:
            return self.commands[name].get_short_help_str(limit)
        return click.Command(name, help=self.lazy[name][1]).get_short_help_str(limit)  # shortened as click does


class LazyChoice(click.Choice):
    """A Choice whose values are read when first needed (an enum in a module that is slow to import)."""

    def __init__(self, values: Callable[[], Sequence[str]]) -> None:
        self._values = values
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self._values())

    @choices.setter
    def choices(self, _value) -> None:
        """Click's __init__ sets the choices; they come from `values` instead."""
