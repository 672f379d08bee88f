"""Every command's and option's ``--help`` text has a Spanish and a Portuguese translation.

The test walks the whole click tree, so a command or option added with an unmarked or
untranslated help text fails it.
"""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from routeplan.cli.main import main
from routeplan.i18n import load_catalog


def _helps(command: click.Command, path: str) -> Iterator[tuple[str, str]]:
    """(where, text) of every help text under ``command``."""
    for text in (command.help, command.short_help):
        if text:
            yield path, text
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            yield f"{path} {param.opts[-1]}", param.help
    if isinstance(command, click.Group):
        context = click.Context(command)
        for name in sorted(command.list_commands(context)):
            sub = command.get_command(context, name)  # loads lazy command groups too
            assert sub is not None, name
            yield from _helps(sub, f"{path} {name}")


def test_the_walk_sees_every_command() -> None:
    paths = {where for where, _text in _helps(main, "routeplan")}
    for command in (
        "routeplan build",
        "routeplan capacity",
        "routeplan serve",
        "routeplan validate",
    ):
        assert command in paths
    assert len(paths) > 80


@pytest.mark.parametrize("language", ["es", "pt_BR"])
def test_every_help_text_is_translated(language: str) -> None:
    catalog = load_catalog(language)
    untranslated = [
        f"{where}: {text[:60]!r}"
        for where, text in _helps(main, "routeplan")
        if (message := catalog.get(text)) is None or not message.string
    ]
    assert untranslated == []
