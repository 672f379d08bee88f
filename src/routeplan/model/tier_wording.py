"""Why a client has its tier: the tier rules' reason codes, worded in the active language.

The rules (:mod:`routeplan.tiers.rules`) give each client a ``tier_reason_code`` (see
:mod:`routeplan.model.reasons` for the format) with the raw figures as arguments; numbers,
percentages, column names and the scope are worded here, when shown, in the active locale.

Examples
--------
>>> from routeplan.model.reasons import reason_text
>>> reason_text("share_top share=0.2 score=revenue value=412000 threshold=300000")
'top 20% by revenue company-wide: 412,000 ≥ 300,000'

"""

from __future__ import annotations

import math

from routeplan.i18n import N_, Msgid, _, current_locale, format_number, format_percent, translate
from routeplan.model.reason_codes import Reason, Wording

SCORE_LABELS: dict[str, Msgid] = {
    "revenue": N_("revenue"),
    "margin": N_("margin"),
    "orders_per_year": N_("orders per year"),
    "potential": N_("potential"),
    "score": N_("score"),
    "gross_profit": N_("gross profit"),
}
"""Names people read for the columns the rules rank by (any other column: its name)."""

_SIDES: dict[tuple[str, str], Msgid] = {
    ("volume", "high"): N_("high volume"),
    ("volume", "low"): N_("low volume"),
    ("margin", "high"): N_("high margin"),
    ("margin", "low"): N_("low margin"),
}
"""One side of one axis of the volume × margin matrix."""


def decimal_symbol() -> str:
    """The decimal separator of the active locale (``.`` in en, ``,`` in es and pt-BR)."""
    return str(current_locale().number_symbols["latn"]["decimal"])


def figure(value: float) -> str:
    """``412,000`` for money-like values, ``0.42`` for fractions (``412.000``, ``0,42`` in es)."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1000 or float(value).is_integer():
        return format_number(value, 0)
    return f"{value:.3g}".replace(".", decimal_symbol())


def share(value: float) -> str:
    """A share of the rules (``0.2`` → ``20%``, ``0.125`` → ``12.5%``, locale's decimal)."""
    return f"{value * 100:.4g}%".replace(".", decimal_symbol())


def _number(reason: Reason, name: str) -> float:
    try:
        return float(reason.arg(name))
    except ValueError:
        return math.nan


def _fig(reason: Reason, name: str) -> str:
    return figure(_number(reason, name))


def _score(reason: Reason, name: str = "score") -> str:
    column = reason.arg(name)
    label = SCORE_LABELS.get(column)
    return column if label is None else translate(label)


def _scope(reason: Reason) -> str:
    zone = reason.arg("zone")
    return _("in zone {zone}", zone=zone) if zone else _("company-wide")


def _words(reason: Reason, *, threshold: str = "threshold") -> dict[str, str]:
    """The placeholders the share rule's sentences share."""
    return {
        "score": _score(reason),
        "scope": _scope(reason),
        "value": _fig(reason, "value"),
        "share": share(_number(reason, "share")),
        "threshold": _fig(reason, threshold),
    }


def _side(reason: Reason) -> str:
    message = _SIDES.get((reason.arg("axis"), reason.arg("level")))
    return translate(message) if message is not None else reason.arg("axis")


def _matrix(reason: Reason) -> str:
    words = {
        "side": _side(reason),
        "column": _score(reason, "column"),
        "value": _fig(reason, "value"),
        "threshold": _fig(reason, "threshold"),
    }
    high = reason.arg("level") == "high"
    quantile = _number(reason, "quantile")
    if math.isnan(quantile):
        if high:
            return _("{side}: {column} {value} ≥ {threshold}", **words)
        return _("{side}: {column} {value} < {threshold}", **words)
    words |= {"rank": str(round(quantile * 100)), "scope": _scope(reason)}
    if high:
        return _("{side}: {column} {value} ≥ {threshold} (percentile {rank} {scope})", **words)
    return _("{side}: {column} {value} < {threshold} (percentile {rank} {scope})", **words)


def _potential(reason: Reason) -> str:
    potential, current = _number(reason, "potential"), _number(reason, "current")
    if current == 0:
        return _("potential {potential} with no current purchase", potential=figure(potential))
    ratio = f"{potential / current:.2g}".replace(".", decimal_symbol())
    return _(
        "potential {ratio}× current purchase ({potential} vs {current})",
        ratio=ratio,
        potential=figure(potential),
        current=figure(current),
    )


def _percent(reason: Reason, name: str) -> str:
    return format_percent(_number(reason, name))


def _lifecycle(reason: Reason) -> str:
    """The lifecycle facts recorded for a client, as phrases joined by commas."""
    facts = []
    if reason.arg("stage"):
        facts.append(_("stage {stage}", stage=reason.arg("stage")))
    if reason.arg("share"):
        facts.append(_("share of wallet {share}", share=_percent(reason, "share")))
    if reason.arg("elsewhere"):
        facts.append(_("also buys from competitors"))
    if reason.arg("growth"):
        facts.append(_("growth potential {growth}", growth=_percent(reason, "growth")))
    return ", ".join(facts)


TIER_WORDING: dict[str, Wording] = {
    "tier_kept": lambda r: _(
        "kept {tier} (hysteresis {band}): {score} {value} within {band} of {bound} (rule: {rule})",
        tier=r.arg("tier"),
        band=share(_number(r, "band")),
        score=_score(r),
        value=_fig(r, "value"),
        bound=_fig(r, "bound"),
        rule=r.arg("rule"),
    ),
    "share_top": lambda r: _("top {share} by {score} {scope}: {value} ≥ {threshold}", **_words(r)),
    "share_revenue_first": lambda r: _(
        "in the first {share} of revenue {scope} by {score}: {value} ≥ {threshold}", **_words(r)
    ),
    "share_too_few": lambda r: _(
        "{score} {value}; too few accounts {scope} for higher tiers", **_words(r)
    ),
    "share_tie_top": lambda r: _(
        "top {share} by {score} {scope} ends at {value}: tie broken by client_id", **_words(r)
    ),
    "share_tie_revenue": lambda r: _(
        "the first {share} of revenue {scope} by {score} ends at {value}: tie broken by client_id",
        **_words(r),
    ),
    "share_below_top": lambda r: _(
        "below the top {share} by {score} {scope}: {value} < {threshold}", **_words(r)
    ),
    "share_below_revenue": lambda r: _(
        "below the first {share} of revenue {scope} by {score}: {value} < {threshold}",
        **_words(r),
    ),
    "matrix": _matrix,
    "matrix_kept": lambda r: _(
        "kept {side} (hysteresis {band}): {column} {value} within {band} of {threshold}",
        side=_side(r),
        band=share(_number(r, "band")),
        column=_score(r, "column"),
        value=_fig(r, "value"),
        threshold=_fig(r, "threshold"),
    ),
    "promoted": lambda r: _(
        "promoted {before}→{after}: {why}",
        before=r.arg("before"),
        after=r.arg("after"),
        why=_potential(r),
    ),
    "development": lambda r: _("development: {why}", why=_potential(r)),
    "override": lambda r: _(
        "override: tier column in {file} (rules give {tier})",
        file=r.arg("file"),
        tier=r.arg("tier"),
    ),
    "lifecycle": _lifecycle,
}
"""Every code the tier rules and the lifecycle columns give a client's tier."""
