"""Click's own words (usage errors, ``[default: …]``, "Try … --help") in the run's language.

Click words its messages with the standard library's :func:`gettext.gettext`, which looks them
up in the process's gettext domain, in compiled ``.mo`` files, for the language of the
``LANGUAGE`` environment variable. :func:`speak_click` makes that lookup find routeplan's
catalogs: on first use it compiles the merged catalog of each full language into a private
temporary folder (removed at exit), binds the ``routeplan`` gettext domain to it and makes it
the process's domain; then it sets ``LANGUAGE`` to the run's language. Nothing in click is
patched. The msgids are click's English strings, listed here so the catalog test checks
their translations like any other (``click.po``); a click message missing from the list stays
English.
"""

from __future__ import annotations

import atexit
import functools
import gettext
import os
import shutil
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo

from routeplan.i18n import CATALOG_LANGUAGES, N_, Msgid, load_catalog, normalise_language

DOMAIN = "routeplan"
"""The gettext domain click's lookups go to once :func:`speak_click` ran."""


def ngettext(singular: str, plural: str, n: int, /) -> tuple[str, str]:
    """Mark one of click's plural messages for extraction (click translates it itself)."""
    del n
    return singular, plural


CLICK_MESSAGES: tuple[Msgid, ...] = (
    N_("Aborted!"),
    N_("deprecated"),
    N_("Missing command."),
    N_("Positional arguments"),
    N_("Value must be an iterable."),
    N_("env var: {var}"),
    N_("default: {default}"),
    N_("required"),
    N_("(dynamic)"),
    N_("Do you want to continue?"),
    N_("Confirm the action without prompting."),
    N_("%(prog)s, version %(version)s"),
    N_("Missing argument"),
    N_("unknown error"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing option"),
    N_("Could not open file {filename!r}: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing parameter"),
    N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Invalid value: {message}"),
    N_("Missing {param_type}"),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Press any key to continue..."),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("Choose from:\n\t{choices}"),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value!r} is not a valid UUID."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    N_("{name} {filename!r} does not exist."),
)
"""Click's messages a user of the CLI can meet (not its errors for programmers). "Usage:",
"Options", "Commands", "Error: {message}" and "Show this message and exit." are routeplan's
own msgids too (:mod:`routeplan.cli.localized`, :mod:`routeplan.cli.main`)."""

CLICK_PLURALS: tuple[tuple[str, str], ...] = (
    ngettext(
        "Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 2
    ),
    ngettext(
        "Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", 2
    ),
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2),
    ngettext(
        "Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 2
    ),
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 2),
    ngettext(
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
        2,
    ),
    ngettext(
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
        2,
    ),
)
"""Click's plural messages, as (singular, plural)."""


@functools.cache
def _compiled_catalogs() -> Path:
    """A private folder with ``<language>/LC_MESSAGES/routeplan.mo`` for each full language."""
    root = Path(tempfile.mkdtemp(prefix="routeplan-click-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for language in CATALOG_LANGUAGES:
        folder = root / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with (folder / f"{DOMAIN}.mo").open("wb") as handle:
            write_mo(handle, load_catalog(language))
    return root


def speak_click(language: str) -> None:
    """Make click word its messages in ``language`` from now on in this process.

    Parameters
    ----------
    language
        A supported language code (``es``, ``pt-BR``, ``es_CO``, ``en``...); regional ones
        fall back to their base catalog, English needs none.

    """
    gettext.bindtextdomain(DOMAIN, str(_compiled_catalogs()))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = normalise_language(language)
