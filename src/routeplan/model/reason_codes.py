"""The ``reason_code`` field: stable reason codes with named arguments, as one text.

See :mod:`routeplan.model.reasons` for the format and the wording.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

WEEKDAY_CODES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""The weekday codes reasons carry (as ``config.WEEKDAYS``)."""

_SAFE = "+-:.,/"
"""Characters kept as they are in an encoded value (the rest of ASCII punctuation, spaces,
``;`` and ``=`` are percent-encoded)."""


@dataclass(frozen=True)
class Reason:
    """One reason: a stable code and its named arguments (strings or integers)."""

    code: str
    args: Mapping[str, object] = field(default_factory=dict)

    def arg(self, name: str) -> str:
        """The argument ``name`` as text (empty when absent)."""
        return str(self.args.get(name, ""))


def encode(reasons: Iterable[Reason]) -> str:
    """The ``reason_code`` field of ``reasons`` (see the module docstring for the format).

    Parameters
    ----------
    reasons
        In the order they are read.

    Returns
    -------
    str
        ``"code name=value; code"``; empty for no reasons.

    """
    parts = []
    for reason in reasons:
        pairs = (f"{name}={quote(str(value), safe=_SAFE)}" for name, value in reason.args.items())
        parts.append(" ".join((reason.code, *pairs)))
    return "; ".join(parts)


def decode(code: object) -> tuple[Reason, ...]:
    """The reasons of a ``reason_code`` field (None, NaN or empty give none).

    Examples
    --------
    >>> decode("locked_week week=3; locked_day day=Tue")
    (Reason(code='locked_week', args={'week': '3'}), Reason(code='locked_day', args={'day': 'Tue'}))

    """
    if code is None or (isinstance(code, float) and code != code):
        return ()
    out = []
    for part in str(code).split(";"):
        words = part.split()
        if not words:
            continue
        args = dict(word.partition("=")[::2] for word in words[1:])
        out.append(Reason(words[0], {k: unquote(v) for k, v in args.items()}))
    return tuple(out)


def join(*codes: str) -> str:
    """Several ``reason_code`` fields as one (empty ones left out)."""
    return "; ".join(c for c in codes if c)


Wording = Callable[[Reason], str]
"""How one code is worded for people in the active language."""
