"""What the optional lifecycle and loyalty columns add to a tier's reason.

The columns are described in :mod:`routeplan.model.lifecycle`. They do not change the rule's
tier by themselves; ``[tiers] score`` may weigh the numeric ones (``share_of_wallet``,
``growth_potential``) like any numeric column, and the reason names what was recorded, so a
manager reading ``tiers.csv`` sees "prospect", "also buys from competitors" next to the cut.
"""

from __future__ import annotations

import math

import pandas as pd

from routeplan.model.lifecycle import LIFECYCLE_COLUMNS, yes_no
from routeplan.model.reasons import Reason, encode, join


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def lifecycle_reason(row: pd.Series) -> Reason | None:
    """The lifecycle facts of one client as one reason (None when it has none).

    Worded as whole phrases (the stage value stays its code: ``prospect``, ``regular``…).

    Examples
    --------
    >>> from routeplan.model.reasons import encode, reason_text
    >>> row = pd.Series({"stage": "occasional", "share_of_wallet": 0.4})
    >>> reason_text(encode([lifecycle_reason(row)]))
    'stage occasional, share of wallet 40%, also buys from competitors'

    """
    facts: dict[str, object] = {}
    stage = row.get("stage")
    if isinstance(stage, str) and stage.strip():
        facts["stage"] = stage.strip().lower()
    share = _number(row.get("share_of_wallet"))
    if share is not None:
        facts["share"] = share
    try:
        elsewhere = yes_no(row.get("buys_from_competitors"))
    except ValueError:
        elsewhere = None
    if elsewhere or (elsewhere is None and share is not None and share < 1):
        facts["elsewhere"] = 1
    growth = _number(row.get("growth_potential"))
    if growth is not None:
        facts["growth"] = growth
    return Reason("lifecycle", facts) if facts else None


def with_lifecycle(reasons: pd.Series, clients: pd.DataFrame) -> pd.Series:
    """Each ``reason_code`` followed by the client's lifecycle facts, when it has any."""
    columns = [c for c in LIFECYCLE_COLUMNS if c in clients]
    if not columns:
        return reasons
    notes = [
        encode([r] if (r := lifecycle_reason(row)) is not None else [])
        for _i, row in clients[columns].iterrows()
    ]
    return pd.Series(
        [join(r, n) for r, n in zip(reasons, notes, strict=True)],
        index=reasons.index,
        dtype="str",
    )
