"""Translations and locale-aware formatting: gettext catalogs read with Babel.

Messages are English ``msgid`` strings with named ``{placeholders}``; ``_`` translates one into
the active language and fills the placeholders. Catalogs are ``.po`` files shipped inside the
package (``locales/<language>/LC_MESSAGES/<domain>.po``); every domain file of a language is
merged into one translations object in memory, so nothing is compiled at build or install time.

The active language lives in a :class:`contextvars.ContextVar` (default ``"en"``): set it with
:func:`use_language` (a context manager) or, once for a CLI run, :func:`set_language`. A
regional language falls back to its base language, then to English: ``es_CO`` → ``es`` → ``en``.

Dates, weekdays, numbers, distances, currency, percentages and times are formatted by Babel in
the active locale.

Examples
--------
>>> with use_language("es-CO"):
...     format_number(1234.5)
'1.234,5'

"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Literal, NewType

from babel import Locale, dates, localedata, numbers, units
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from routeplan.errors import ConfigError

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "es_CO", "es_ES", "es_MX", "pt_BR")
"""Languages ``[ui] language`` and ``--lang`` accept, as Babel locale identifiers."""

CATALOG_LANGUAGES: tuple[str, ...] = ("es", "pt_BR")
"""Languages with a full catalog; regional ones (``es_CO``) fall back to theirs, then English."""

DEFAULT_LANGUAGE = "en"
"""The language of the msgids, used when nothing else is set."""

LANGUAGE_ALIASES: dict[str, str] = {"pt": "pt_BR"}
"""Short names that stand for a supported regional language."""

REGIONAL_LANGUAGES: tuple[str, ...] = ("en", "es")
"""Languages accepted with any country Babel has formats for (``es_AR``, ``es_CL``,
``es_419``, ``en_GB``): their texts come from the language's catalog, their dates, numbers and
currency from the region's CLDR data. Portuguese stays Brazilian (``pt_BR``, the only
Portuguese catalog)."""

LOCALES_DIR = Path(__file__).with_name("locales")
"""Where the ``<language>/LC_MESSAGES/<domain>.po`` catalogs live."""

_DAY_PATTERNS: dict[str, str] = {
    "en": "EEEE d MMMM",
    "es": "EEEE d 'de' MMMM",
    "pt": "EEEE, d 'de' MMMM",
}
"""CLDR patterns of a day heading without year, by base language (Babel's skeletons for
``MMMMEEEEd`` abbreviate the weekday, so the wide form is spelled out here)."""

_FRACTION = re.compile(r"(?<=0)\.[0#]+")

Msgid = NewType("Msgid", str)
"""An English message marked with :func:`N_`, translated later with :func:`translate`."""

_LANGUAGE: ContextVar[str] = ContextVar("routeplan_language", default=DEFAULT_LANGUAGE)


def normalise_language(language: str) -> str:
    """The supported Babel locale identifier a user's language code stands for.

    Parameters
    ----------
    language
        A code such as ``"es-CO"``, ``"ES_co"``, ``"pt"`` or ``"en"``: case-insensitive,
        ``-`` or ``_`` between language and region.

    Returns
    -------
    str
        One of :data:`SUPPORTED_LANGUAGES`, e.g. ``"es_CO"``, or a region of a
        :data:`REGIONAL_LANGUAGES` language, e.g. ``"es_AR"``.

    Raises
    ------
    ConfigError
        When the language is not supported; the hint lists the supported ones.

    Examples
    --------
    >>> normalise_language("es-co"), normalise_language("PT"), normalise_language("es-ar")
    ('es_CO', 'pt_BR', 'es_AR')

    """
    parts = language.strip().replace("-", "_").split("_")
    code = parts[0].lower() + "".join(f"_{part.upper()}" for part in parts[1:])
    code = LANGUAGE_ALIASES.get(code, code)
    if code in SUPPORTED_LANGUAGES or is_regional(code):
        return code
    supported = ", ".join(name.replace("_", "-") for name in SUPPORTED_LANGUAGES)
    raise ConfigError(
        _("unknown language '{language}'", language=language),
        hint=_(
            "use one of {choices}, or Spanish or English with a country code "
            "(es-AR, es-CL, es-PE, en-GB)",
            choices=supported,
        ),
    )


def is_regional(code: str) -> bool:
    """Whether ``code`` is a region of a :data:`REGIONAL_LANGUAGES` language Babel knows."""
    base, _sep, region = code.partition("_")
    return bool(region) and base in REGIONAL_LANGUAGES and localedata.exists(code)


def current_language() -> str:
    """The active language, a Babel locale identifier such as ``"es_CO"``."""
    return _LANGUAGE.get()


def set_language(language: str) -> str:
    """Make ``language`` active in the current context (for the CLI, once per run).

    Parameters
    ----------
    language
        Any code :func:`normalise_language` accepts.

    Returns
    -------
    str
        The normalised language now active.

    """
    code = normalise_language(language)
    _LANGUAGE.set(code)
    return code


@contextmanager
def use_language(language: str) -> Iterator[str]:
    """Make ``language`` active inside a ``with`` block, then restore the previous one.

    Parameters
    ----------
    language
        Any code :func:`normalise_language` accepts.

    Yields
    ------
    str
        The normalised language.

    Examples
    --------
    >>> with use_language("pt-BR") as code:
    ...     code, current_language()
    ('pt_BR', 'pt_BR')
    >>> current_language()
    'en'

    """
    token = _LANGUAGE.set(normalise_language(language))
    try:
        yield _LANGUAGE.get()
    finally:
        _LANGUAGE.reset(token)


def catalog_files(language: str, *, locales_dir: Path | None = None) -> list[Path]:
    """The ``.po`` domain files of exactly ``language`` (no fallback), sorted by name.

    Parameters
    ----------
    language
        A Babel locale identifier such as ``"es"`` or ``"pt_BR"``.
    locales_dir
        The catalogs' root; :data:`LOCALES_DIR` when None.

    Returns
    -------
    list of Path
        Possibly empty (English needs no catalog).

    """
    root = LOCALES_DIR if locales_dir is None else locales_dir
    return sorted((root / language / "LC_MESSAGES").glob("*.po"))


def load_catalog(language: str, *, locales_dir: Path | None = None) -> Catalog:
    """Every domain file of ``language`` merged into one Babel catalog.

    Parameters
    ----------
    language
        A Babel locale identifier such as ``"es"`` or ``"pt_BR"``.
    locales_dir
        The catalogs' root; :data:`LOCALES_DIR` when None.

    Returns
    -------
    Catalog
        The merged catalog; empty when the language has no files.

    Raises
    ------
    ValueError
        When two domain files of the language define the same msgid, or disagree on the
        ``Plural-Forms`` header (the merged catalog keeps the files' plural rule, the one their
        ``msgstr[n]`` were written for).

    """
    files = catalog_files(language, locales_dir=locales_dir)
    merged = Catalog(locale=language, domain="routeplan")
    origin: dict[str, str] = {}
    for path in files:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=path.stem)
        if path == files[0]:
            merged = catalog
        elif catalog.plural_forms != merged.plural_forms:
            msg = (
                f"{path.name} has Plural-Forms {catalog.plural_forms!r}, "
                f"{files[0].name} has {merged.plural_forms!r}; use one rule per language"
            )
            raise ValueError(msg)
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if not key:
                continue
            if key in origin:
                msg = f"msgid {key!r} is in both {origin[key]} and {path.name}"
                raise ValueError(msg)
            origin[key] = path.name
            merged[message.id] = message
    return merged


def _compiled(language: str) -> Translations | None:
    """The merged catalog of exactly ``language`` as gettext translations, or None."""
    if not catalog_files(language):
        return None
    buffer = io.BytesIO()
    write_mo(buffer, load_catalog(language))
    buffer.seek(0)
    return Translations(fp=buffer, domain="routeplan")


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The translations of ``language`` with its fallback chain (``es_CO`` → ``es`` → English).

    Parameters
    ----------
    language
        A supported Babel locale identifier.

    Returns
    -------
    gettext.NullTranslations
        Translations whose missing or empty entries fall back along the chain; a plain
        :class:`gettext.NullTranslations` (English msgids) when no catalog exists.

    """
    chain = [language] if "_" not in language else [language, language.split("_")[0]]
    found = [t for t in (_compiled(code) for code in chain) if t is not None]
    head: gettext.NullTranslations = gettext.NullTranslations()
    for fallback in reversed(found):
        fallback.add_fallback(head)
        head = fallback
    return head


def _(message: str, /, **params: object) -> str:
    """Translate ``message`` into the active language, then fill its ``{placeholders}``.

    Parameters
    ----------
    message
        The English msgid, a string literal (the catalog test extracts it from the source).
    **params
        Values for the named placeholders.

    Returns
    -------
    str
        The translated, formatted text (English when no translation exists).

    Examples
    --------
    >>> _("{count} clients", count=3)
    '3 clients'

    """
    return translations(current_language()).gettext(message).format(**params)


def ngettext(singular: str, plural: str, n: int, /, **params: object) -> str:
    """Translate a message whose form depends on a count, then fill its placeholders.

    Parameters
    ----------
    singular, plural
        The English forms, string literals, e.g. ``"{count} visit"`` and ``"{count} visits"``.
    n
        The count that chooses the plural form (by the language's plural rule).
    **params
        Values for the placeholders; ``count`` defaults to ``n`` (pass a formatted number to
        override it, e.g. ``count=format_number(n, decimals=0)``).

    Returns
    -------
    str
        The translated, formatted text.

    Examples
    --------
    >>> ngettext("{count} visit", "{count} visits", 2)
    '2 visits'

    """
    text = translations(current_language()).ngettext(singular, plural, n)
    return text.format(**{"count": n, **params})


def N_(message: str, /) -> Msgid:  # noqa: N802 - the gettext convention
    """Mark a module-level constant for extraction without translating it yet.

    Parameters
    ----------
    message
        The English msgid, a string literal.

    Returns
    -------
    Msgid
        The same text, to pass to :func:`translate` at the time it is shown.

    """
    return Msgid(message)


def translate(message: Msgid, /, **params: object) -> str:
    """Translate a message marked earlier with :func:`N_`, then fill its placeholders.

    Parameters
    ----------
    message
        A value returned by :func:`N_` (the type keeps unmarked strings out).
    **params
        Values for the named placeholders.

    Returns
    -------
    str
        The translated, formatted text.

    Examples
    --------
    >>> CLOSED = N_("closed on every allowed day")
    >>> translate(CLOSED)
    'closed on every allowed day'

    """
    return translations(current_language()).gettext(message).format(**params)


def current_locale() -> Locale:
    """The Babel :class:`~babel.Locale` of the active language."""
    return _locale(current_language())


@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def format_date(day: dt.date, format: str = "medium") -> str:
    """A date in the active locale.

    Parameters
    ----------
    day
        The date.
    format
        ``"full"``, ``"long"``, ``"medium"``, ``"short"`` or a CLDR pattern.

    Returns
    -------
    str
        E.g. ``"lunes, 22 de marzo de 2027"`` for ``"full"`` in ``es``.

    """
    return dates.format_date(day, format=format, locale=current_locale())


def format_day(day: dt.date) -> str:
    """A day heading without year: weekday, day and month in the active locale.

    Parameters
    ----------
    day
        The date.

    Returns
    -------
    str
        ``"lunes 22 de marzo"`` (es), ``"segunda-feira, 22 de março"`` (pt_BR),
        ``"Monday 22 March"`` (en).

    """
    locale = current_locale()
    pattern = _DAY_PATTERNS.get(locale.language, _DAY_PATTERNS[DEFAULT_LANGUAGE])
    return dates.format_date(day, format=pattern, locale=locale)


def weekday_name(
    day: int | dt.date, width: Literal["wide", "abbreviated", "short", "narrow"] = "wide"
) -> str:
    """The stand-alone name of a weekday in the active locale.

    Parameters
    ----------
    day
        A weekday index (0 is Monday, as in ``config.WEEKDAYS``) or a date.
    width
        ``"wide"`` (``lunes``) or ``"abbreviated"`` (``lun``); also ``"short"``, ``"narrow"``.

    Returns
    -------
    str
        The weekday's name.

    Raises
    ------
    ValueError
        When an index is not between 0 and 6.

    """
    index = day.weekday() if isinstance(day, dt.date) else day
    if not 0 <= index <= 6:
        msg = f"weekday index must be between 0 (Monday) and 6 (Sunday), got {index}"
        raise ValueError(msg)
    names = dates.get_day_names(width, context="stand-alone", locale=current_locale())
    return str(names[index])


def _with_decimals(pattern: str, decimals: int) -> str:
    """A CLDR number pattern with exactly ``decimals`` fraction digits."""
    if decimals < 0:
        msg = f"decimals must be 0 or more, got {decimals}"
        raise ValueError(msg)
    fraction = "." + "0" * decimals if decimals else ""
    pattern = pattern.split(";")[0]
    if _FRACTION.search(pattern):
        return _FRACTION.sub(fraction, pattern, count=1)
    return pattern.replace("0", "0" + fraction, 1) if "0" in pattern else pattern


def format_number(value: float | Decimal, decimals: int = 1) -> str:
    """A number with grouping and exactly ``decimals`` fraction digits in the active locale.

    Parameters
    ----------
    value
        The number.
    decimals
        Fraction digits shown (rounded half to even, as Babel does).

    Returns
    -------
    str
        E.g. ``"1.234,5"`` in ``es``, ``"1,234.5"`` in ``en``.

    """
    locale = current_locale()
    pattern = _with_decimals(locale.decimal_formats[None].pattern, decimals)
    return numbers.format_decimal(value, format=pattern, locale=locale)


def format_km(km: float | Decimal, decimals: int = 1) -> str:
    """A distance in kilometres with the locale's unit pattern.

    Parameters
    ----------
    km
        The distance in kilometres.
    decimals
        Fraction digits shown.

    Returns
    -------
    str
        E.g. ``"1.234,5 km"`` in ``es``.

    """
    locale = current_locale()
    pattern = _with_decimals(locale.decimal_formats[None].pattern, decimals)
    return units.format_unit(km, "length-kilometer", length="short", format=pattern, locale=locale)


def format_currency(amount: float | Decimal, currency: str) -> str:
    """An amount of money in the active locale, with the currency's usual digits.

    Parameters
    ----------
    amount
        The amount.
    currency
        ISO 4217 code such as ``"COP"``, ``"BRL"``, ``"EUR"``.

    Returns
    -------
    str
        E.g. ``"$1.234.567"`` for COP in ``es_CO``, ``"R$ 1.234,56"`` for BRL in ``pt_BR``.

    """
    return numbers.format_currency(amount, currency, locale=current_locale())


def format_percent(fraction: float | Decimal, decimals: int = 0) -> str:
    """A fraction as a percentage in the active locale (``0.125`` is 12.5 %).

    Parameters
    ----------
    fraction
        The fraction, 1.0 being 100 %.
    decimals
        Fraction digits of the percentage.

    Returns
    -------
    str
        E.g. ``"12,5 %"`` in ``es`` (non-breaking space), ``"12,5%"`` in ``pt_BR``.

    """
    locale = current_locale()
    pattern = _with_decimals(locale.percent_formats[None].pattern, decimals)
    return numbers.format_percent(fraction, format=pattern, locale=locale)


def format_time(time: str | dt.time) -> str:
    """A time of day, 24-hour, as the active locale writes it.

    Parameters
    ----------
    time
        An ``"HH:MM"`` string (as in ``routeplan.toml``) or a :class:`datetime.time`.

    Returns
    -------
    str
        E.g. ``"14:05"``; ``"8:05"`` in ``es``, ``"08:05"`` in ``pt_BR`` and ``en``.

    """
    value = dt.time.fromisoformat(time) if isinstance(time, str) else time
    return dates.format_skeleton("Hm", value, locale=current_locale())
