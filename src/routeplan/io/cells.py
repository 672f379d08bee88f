"""Cells as CRM and Excel exports write them, in English, Spanish and Portuguese locales.

Numbers with either decimal mark and thousands separators (``1.234.567,89``, ``1,234,567.89``,
``$ 1.234``, ``R$ 1.234,56``, ``12 345,6``), 12-hour times (``5:00 p. m.``, ``5:00 PM``),
weekday names (``Lun``, ``lunes``, ``seg``, ``segunda-feira``, ``Mon-Fri``) and booleans
(``TRUE``, ``sí``, ``não``). Pure functions: text in, value or ``None`` out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Decimal = Literal[",", "."]

_CURRENCY = re.compile(r"^(?:R\$|US\$|COP|MXN|BRL|EUR|USD|CLP|PEN|ARS|S/\.?|\$|€|£)\s*", re.I)
_CURRENCY_AFTER = re.compile(r"\s*(?:R\$|COP|MXN|BRL|EUR|USD|CLP|PEN|ARS|\$|€|£)$", re.I)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}([.,]\d{3})+([.,]\d+)?$")


def _ascii(text: str) -> str:
    """Lower-case ``text`` without accents (``Sáb`` → ``sab``)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _strip_number(text: str) -> tuple[str, bool]:
    """Remove currency signs and space/apostrophe thousands separators.

    Returns the bare number text and whether a space-like group separator was present.
    """
    text = _CURRENCY_AFTER.sub("", _CURRENCY.sub("", text.strip()))
    if text.startswith("-") or text.startswith("+"):
        sign, rest = text[0], _CURRENCY.sub("", text[1:].strip())
        text = sign + rest
    spaced = bool(_SPACES.search(text))
    return _SPACES.sub("", text), spaced


def decimal_vote(text: str) -> Decimal | None:
    """The decimal mark a number's text proves, or None when it could be either.

    ``1.234,5`` and ``4,61`` prove ``","``; ``1,234.5`` and ``4.6097`` prove ``"."``;
    ``1.234`` or ``12`` prove nothing.

    Parameters
    ----------
    text
        A cell.

    Returns
    -------
    str or None
        ``","``, ``"."`` or None.

    Examples
    --------
    >>> [decimal_vote(t) for t in ("1.234,56", "R$ 1.234", "4.6097", "1.234", "12")]
    [',', None, '.', None, None]

    """
    bare, _ = _strip_number(text)
    dots, commas = bare.count("."), bare.count(",")
    if dots and commas:
        return "," if bare.rfind(",") > bare.rfind(".") else "."
    pairs: tuple[tuple[Decimal, Decimal], ...] = ((".", ","), (",", "."))
    for mark, other in pairs:
        count = bare.count(mark)
        if count > 1:
            return other  # repeated: a thousands separator
        if count == 1:
            whole, after = bare.split(mark)
            grouped = _GROUPED.match(bare) and whole.lstrip("+-") not in ("", "0")
            if len(after) == 3 and grouped:
                return None  # 1.234: a grouped integer or three decimals
            return mark
    return None


def parse_number(text: str, decimal: Decimal = ".") -> float | None:
    """A number written with ``decimal`` as its decimal mark, or None when it is not one.

    Thousands separators (the other mark, spaces, apostrophes) and currency signs are removed.

    Parameters
    ----------
    text
        A cell such as ``"R$ 1.234,56"`` or ``"12 345,6"``.
    decimal
        ``","`` or ``"."``.

    Returns
    -------
    float or None
        The value; None when ``text`` is not a number in that convention.

    Examples
    --------
    >>> parse_number("1.234.567,89", ","), parse_number("$ 1,234", ".")
    (1234567.89, 1234.0)
    >>> parse_number("12 345,6", ","), parse_number("4,61", ".")
    (12345.6, None)

    """
    bare, _ = _strip_number(text)
    if not bare:
        return None
    group = "," if decimal == "." else "."
    if group in bare:
        whole = bare.split(decimal)[0]
        if not _GROUPED.match(whole if decimal in bare else bare):
            return None
        bare = bare.replace(group, "")
    if bare.count(decimal) > 1 or not _PLAIN.match(bare):
        return None
    try:
        return float(bare.replace(decimal, "."))
    except ValueError:  # pragma: no cover - _PLAIN guards the syntax
        return None


@dataclass(frozen=True)
class DecimalGuess:
    """The decimal mark of a set of number cells, as far as the cells tell.

    ``mark`` is None when no cell decides; ``ambiguous`` holds a cell that could be read both
    ways (``1.234``); ``conflict`` is True when some cells prove ``","`` and others ``"."``.
    """

    mark: Decimal | None
    ambiguous: str | None = None
    conflict: bool = False


def guess_decimal(cells: Iterable[str]) -> DecimalGuess:
    """Vote over ``cells`` for their decimal mark.

    Parameters
    ----------
    cells
        Number cells as text.

    Returns
    -------
    DecimalGuess
        The majority mark, an ambiguous example and whether the cells disagree.

    Examples
    --------
    >>> guess_decimal(["1.234", "2,5"]).mark
    ','
    >>> guess_decimal(["1.234", "12"]).ambiguous
    '1.234'

    """
    votes: Counter[Decimal] = Counter()
    ambiguous = None
    for cell in cells:
        if not cell:
            continue
        vote = decimal_vote(cell)
        if vote is None:
            bare, _ = _strip_number(cell)
            if ambiguous is None and ("." in bare or "," in bare):
                ambiguous = cell
        else:
            votes[vote] += 1
    if not votes:
        return DecimalGuess(None, ambiguous)
    mark: Decimal = "," if votes[","] > votes["."] else "."
    return DecimalGuess(mark, ambiguous, conflict=len(votes) > 1)


_TIME = re.compile(
    r"^(\d{1,2})(?:[:.h](\d{2}))?(?::(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?$",
    re.I,
)


def parse_time(text: str) -> str | None:
    """A time of day as ``HH:MM``, from 24-hour or 12-hour text; None when it is not one.

    Accepts ``8:30``, ``08:30:00``, ``8h30``, ``5:00 PM``, ``5:00 p. m.``, ``5 pm``,
    ``12:30 a.m.``.

    Parameters
    ----------
    text
        A cell.

    Returns
    -------
    str or None
        ``"HH:MM"``.

    Examples
    --------
    >>> parse_time("5:00 p. m."), parse_time("12:15 AM"), parse_time("8h30"), parse_time("25:00")
    ('17:00', '00:15', '08:30', None)

    """
    match = _TIME.match(text.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if match.group(2) is None and match.group(4) is None:
        return None  # a bare number is not a time
    suffix = (match.group(4) or "").replace(".", "").replace(" ", "").lower()
    if suffix:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if suffix == "pm" else 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


_DAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        "mon monday lun lunes seg segunda",
        "tue tues tuesday mar martes ter terca",
        "wed weds wednesday mie mier miercoles qua quarta",
        "thu thur thurs thursday jue jueves qui quinta",
        "fri friday vie viernes sex sexta",
        "sat saturday sab sabado",
        "sun sunday dom domingo",
    )
):
    for _name in _names.split():
        _DAY_NAMES[_name] = _index

_AND = frozenset({"y", "e", "and"})
_RANGE = re.compile(r"^\s*(\S+)\s*(?:-|–|\ba\b|\bal\b|\bto\b)\s*(\S+)\s*$")


def _day_index(word: str) -> int | None:
    word = _ascii(word).strip(".").removesuffix("-feira").removesuffix("feira")
    return _DAY_NAMES.get(word)


def parse_weekdays(text: str) -> list[int] | None:
    """Weekday indexes (0 = Monday) named in English, Spanish or Portuguese; None if unknown.

    Lists (``Lun Mar Mié``, ``seg,ter``), ranges (``Mon-Fri``, ``lunes a viernes``,
    ``seg a sex``) and full Portuguese names (``segunda-feira``) are accepted.

    Parameters
    ----------
    text
        A cell.

    Returns
    -------
    list of int or None
        Sorted, without repeats.

    Examples
    --------
    >>> parse_weekdays("Lun Mar Mié"), parse_weekdays("seg a sex"), parse_weekdays("Mon-Wed")
    ([0, 1, 2], [0, 1, 2, 3, 4], [0, 1, 2])

    """
    cleaned = re.sub(r"(?i)-feira", "", text)
    ranged = _RANGE.match(cleaned)
    if ranged:
        first, last = _day_index(ranged.group(1)), _day_index(ranged.group(2))
        if first is not None and last is not None and first <= last:
            return list(range(first, last + 1))
    days = []
    for word in re.split(r"[\s,;/+&]+", cleaned):
        if not word or _ascii(word) in _AND:
            continue
        index = _day_index(word)
        if index is None:
            return None
        days.append(index)
    return sorted(set(days)) or None


_TRUE = frozenset({"true", "verdadero", "verdadeiro", "yes", "y", "si", "s", "sim", "1", "x"})
_FALSE = frozenset({"false", "falso", "no", "n", "nao", "0"})


def parse_bool(text: str) -> bool | None:
    """A yes/no cell in English, Spanish or Portuguese (``TRUE``, ``sí``, ``não``); None if not.

    Parameters
    ----------
    text
        A cell.

    Returns
    -------
    bool or None
        The value.

    Examples
    --------
    >>> parse_bool("Sí"), parse_bool("NÃO"), parse_bool("FALSE"), parse_bool("maybe")
    (True, False, False, None)

    """
    word = _ascii(text.strip())
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return None
