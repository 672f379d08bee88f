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


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def lifecycle_note(row: pd.Series) -> str:
    """The lifecycle facts of one client in words ("" when none is recorded).

    Examples
    --------
    >>> lifecycle_note(pd.Series({"stage": "occasional", "share_of_wallet": 0.4}))
    'stage occasional, share of wallet 40%, also buys from competitors'

    """
    notes = []
    stage = row.get("stage")
    if isinstance(stage, str) and stage.strip():
        notes.append(f"stage {stage.strip().lower()}")
    share = _number(row.get("share_of_wallet"))
    if share is not None:
        notes.append(f"share of wallet {share:.0%}")
    try:
        elsewhere = yes_no(row.get("buys_from_competitors"))
    except ValueError:
        elsewhere = None
    if elsewhere or (elsewhere is None and share is not None and share < 1):
        notes.append("also buys from competitors")
    growth = _number(row.get("growth_potential"))
    if growth is not None:
        notes.append(f"growth potential {growth:.0%}")
    return ", ".join(notes)


def with_lifecycle(reasons: pd.Series, clients: pd.DataFrame) -> pd.Series:
    """Each reason followed by the client's lifecycle facts, when it has any."""
    columns = [c for c in LIFECYCLE_COLUMNS if c in clients]
    if not columns:
        return reasons
    notes = [lifecycle_note(row) for _i, row in clients[columns].iterrows()]
    return pd.Series(
        [f"{r}; {n}" if n else r for r, n in zip(reasons, notes, strict=True)],
        index=reasons.index,
        dtype="str",
    )
