"""Click commands whose ``--help`` is translated when it is shown, not when it is defined.

Help texts are English msgids marked with :func:`~routeplan.i18n.N_` where the command and its
options are declared (``help=N_("...")``); the command classes here translate them into the
active language each time a help page or a command list is rendered. The language is known
by then: ``--lang`` is an eager option of the main group, processed before ``--help``, and a
subcommand's help renders after the group's callback has set the language from ``--lang`` or
``[ui] language``. Click's own headings ("Usage:", "Options", "Commands") and the ``--help``
option's text are translated too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from routeplan.i18n import N_, Msgid, _, translate

HELP_OPTION_HELP = N_("Show this message and exit.")
"""The help text of every command's ``-h/--help``."""

METAVARS: dict[str, Msgid] = {
    "integer": N_("INTEGER"),
    "integer range": N_("INTEGER"),
    "float": N_("NUMBER"),
    "float range": N_("NUMBER"),
    "text": N_("TEXT"),
    "directory": N_("FOLDER"),
    "file": N_("FILE"),
    "path": N_("PATH"),
}
"""The value placeholder of an option, by click type name (``--week INTEGER``)."""

USAGE_PIECES: dict[str, Msgid] = {
    "[OPTIONS]": N_("[OPTIONS]"),
    "COMMAND [ARGS]...": N_("COMMAND [ARGS]..."),
}
"""Click's placeholders in a ``Usage:`` line."""


def _metavar(param: click.Option, ctx: click.Context) -> str | None:
    """The translated value placeholder of an option click would name after its type."""
    if param.metavar is not None or param.is_flag or param.count:
        return param.metavar
    if param.type.get_metavar(param=param, ctx=ctx) is not None:
        return None  # click's own, e.g. [a|b|c] of a choice
    message = METAVARS.get(param.type.name)
    if message is None:
        return None
    return translate(message) + ("..." if param.nargs != 1 else "")


def translated(text: str | None) -> str | None:
    """A help text in the active language (None stays None)."""
    return None if text is None else translate(Msgid(text))


@contextmanager
def _help_in_language(command: click.Command, ctx: click.Context) -> Iterator[None]:
    """Swap the command's and its parameters' help texts for their translations, then back."""
    params = [p for p in command.get_params(ctx) if isinstance(p, click.Option)]
    saved = (command.help, command.short_help, [(p.help, p.metavar) for p in params])
    command.help = translated(command.help)
    command.short_help = translated(command.short_help)
    for param in params:
        param.help, param.metavar = translated(param.help), _metavar(param, ctx)
    try:
        yield
    finally:
        command.help, command.short_help = saved[0], saved[1]
        for param, (text, metavar) in zip(params, saved[2], strict=True):
            param.help, param.metavar = text, metavar


class _Localized:
    """Help rendering shared by :class:`LocalizedCommand` and :class:`LocalizedGroup`."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Render the help page with every text translated."""
        command: Any = self
        with _help_in_language(command, ctx):
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        """The one-line help shown in the parent group's command list, translated."""
        command: Any = self
        saved = command.help, command.short_help
        command.help, command.short_help = translated(saved[0]), translated(saved[1])
        try:
            return str(super().get_short_help_str(limit))  # type: ignore[misc]
        finally:
            command.help, command.short_help = saved

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """``Usage: routeplan build [OPTIONS]`` with a translated prefix."""
        command: Any = self
        pieces = [
            translate(USAGE_PIECES[piece]) if piece in USAGE_PIECES else piece
            for piece in command.collect_usage_pieces(ctx)
        ]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage:") + " ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The options under a translated heading (and, for a group, its commands)."""
        command: Any = self
        rows = [
            record
            for param in command.get_params(ctx)
            if isinstance(param, click.Option) and (record := param.get_help_record(ctx))
        ]
        if rows:
            with formatter.section(_("Options")):
                formatter.write_dl(rows)
        if isinstance(command, click.Group):
            _format_commands(command, ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """The ``-h/--help`` option, its text in the active language."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None and not getattr(option, "routeplan_help", False):
            option.help = HELP_OPTION_HELP  # once: click caches the option, help swaps it
            option.routeplan_help = True
        return option  # type: ignore[no-any-return]


def _format_commands(
    group: click.Group, ctx: click.Context, formatter: click.HelpFormatter
) -> None:
    commands = [
        (name, command)
        for name in group.list_commands(ctx)
        if (command := group.get_command(ctx, name)) is not None and not command.hidden
    ]
    if not commands:
        return
    limit = formatter.width - 6 - max(len(name) for name, _command in commands)
    rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
    with formatter.section(_("Commands")):
        formatter.write_dl(rows)


class LocalizedCommand(_Localized, click.Command):
    """A click command whose help is translated at render time."""


class LocalizedGroup(_Localized, click.Group):
    """A click group whose help, and its commands' help, are translated at render time."""

    command_class = LocalizedCommand
    group_class = type
