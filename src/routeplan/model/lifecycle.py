"""Lifecycle and loyalty columns of the clients contract (all optional).

- ``stage``: where the account is in its life with us, one of :data:`STAGES`: ``prospect``
  (identified, not buying yet), ``new``, ``occasional``, ``regular``, ``exclusive`` (buys this
  category only from us), ``advocate`` (recommends us). Empty = not recorded.
- ``share_of_wallet``: our share (0-1) of what the account buys in our category.
- ``buys_from_competitors``: yes/no (``yes``, ``true``, ``1``, ``sí``, ``sim`` … or ``no``,
  ``false``, ``0``, ``não``); when empty and ``share_of_wallet`` is given, ``share_of_wallet
  < 1`` means yes.
- ``growth_potential``: 0-1, the manager's or the rep's estimate of how much the account can
  grow with us (0 none, 1 a lot).
"""

from __future__ import annotations

import math

from routeplan.i18n import _

STAGES: tuple[str, ...] = ("prospect", "new", "occasional", "regular", "exclusive", "advocate")
"""Allowed values of ``stage``, from first contact to the most loyal."""

LIFECYCLE_COLUMNS: tuple[str, ...] = (
    "stage",
    "share_of_wallet",
    "buys_from_competitors",
    "growth_potential",
)
"""The optional lifecycle and loyalty columns."""

_YES = frozenset({"yes", "y", "true", "1", "si", "sí", "sim", "x"})
_NO = frozenset({"no", "n", "false", "0", "não", "nao", ""})


def yes_no(value: object) -> bool | None:
    """Read a yes/no cell in English, Spanish or Portuguese; None when empty.

    Raises
    ------
    ValueError
        When the cell is neither yes nor no.

    Examples
    --------
    >>> yes_no("Sí"), yes_no("não"), yes_no(None)
    (True, False, None)

    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    msg = _("'{value}' is not yes or no", value=value)
    raise ValueError(msg)
